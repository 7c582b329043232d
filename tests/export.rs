//! Print-ready export, checked with decoders that are not wastra's own
//! (libtiff's tiffinfo/tiffdump, pngcheck, exiftool, ImageMagick, poppler,
//! Little CMS's transicc). The Debian packages are in .ci/packages.txt.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wastra::render::{render_reference, View};
use wastra::Design;

const CMYK_ICC: &str = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
const A98_ICC: &str = "/usr/share/color/icc/ghostscript/a98.icc";

fn wastra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args(args)
        .output()
        .expect("run wastra")
}

fn ok(args: &[&str]) -> String {
    let out = wastra(args);
    assert!(
        out.status.success(),
        "wastra {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs an inspection tool; stdout and stderr together.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {name} ({e}): install the packages in .ci/packages.txt")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Raw samples decoded by ImageMagick, e.g. `map` = "rgba", `depth` 8.
fn magick_raw(path: &Path, map: &str, depth: u32) -> Vec<u8> {
    let out = Command::new("convert")
        .arg(path)
        .args(["-depth", &depth.to_string(), "-endian", "MSB"])
        .arg(format!("{map}:-"))
        .output()
        .expect("run ImageMagick convert");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn p(d: &tempfile::TempDir, name: &str) -> PathBuf {
    d.path().join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// What wastra should have drawn: the reference render of kawung at `dpi`.
fn reference(w: u32, h: u32, dpi: f64, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut d = Design::builtin("kawung").unwrap();
    for (role, hex) in extra {
        d = d.color(role, hex).unwrap();
    }
    let pat = d.resolve().unwrap();
    render_reference(&pat, &View::at_dpi(&pat, w, h, dpi))
        .unwrap()
        .into_raw()
}

fn rgb_of(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// No file in `d` but `names`.
fn only_files(d: &tempfile::TempDir, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(found, want, "files left in the output directory");
}

#[test]
fn png_has_pixel_size_dpi_srgb_and_the_rendered_pixels() {
    let d = dir();
    let f = p(&d, "k.png");
    let msg = ok(&[
        "render",
        "kawung",
        "--size",
        "10x5cm",
        "--dpi",
        "150",
        "-o",
        s(&f),
    ]);
    // 100 mm at 150 dpi = 590.55 px → 591; 50 mm → 295.28 → 295.
    assert!(msg.contains("591 × 295 px at 150 dpi"), "{msg}");
    // The 40 mm repeat is 236.22 px, drawn as 236 px (39.963 mm) so every
    // repeat is pixel-identical.
    assert!(msg.contains("repeat 39.963 mm (236 px)"), "{msg}");
    let check = tool("pngcheck", &["-v", s(&f)]);
    assert!(check.contains("591 x 295 image, 24-bit RGB"), "{check}");
    assert!(
        check.contains("5906x5906 pixels/meter (150 dpi)"),
        "{check}"
    );
    assert!(check.contains("chunk sRGB"), "{check}");
    assert!(!check.contains("iCCP"), "{check}");
    let px = magick_raw(&f, "rgb", 8);
    assert_eq!(px, rgb_of(&reference(591, 295, 150.0, &[])));
}

#[test]
fn png_16_bit_with_an_rgb_profile_embeds_it_instead_of_srgb() {
    let d = dir();
    let f = p(&d, "k.png");
    ok(&[
        "render",
        "kawung",
        "--size",
        "2x2cm",
        "--bit-depth",
        "16",
        "--icc",
        A98_ICC,
        "-o",
        s(&f),
    ]);
    let check = tool("pngcheck", &["-v", s(&f)]);
    assert!(check.contains("48-bit RGB"), "{check}");
    assert!(check.contains("chunk iCCP"), "{check}");
    assert!(!check.contains("chunk sRGB"), "{check}");
    let exif = tool("exiftool", &["-ProfileDescription", "-BitDepth", s(&f)]);
    assert!(exif.contains("A98"), "{exif}");
    assert!(exif.contains("16"), "{exif}");
}

#[test]
fn png_16_bit_samples_are_the_8_bit_render_widened_exactly() {
    let d = dir();
    let f = p(&d, "k.png");
    ok(&[
        "render",
        "kawung",
        "--width",
        "64",
        "--height",
        "48",
        "--dpi",
        "100",
        "--bit-depth",
        "16",
        "-o",
        s(&f),
    ]);
    let px = magick_raw(&f, "rgb", 16);
    let want: Vec<u8> = rgb_of(&reference(64, 48, 100.0, &[]))
        .iter()
        .flat_map(|&v| (v as u16 * 257).to_be_bytes())
        .collect();
    assert_eq!(px, want);
}

#[test]
fn tiff_has_resolution_deflate_predictor_and_no_alpha_when_opaque() {
    let d = dir();
    let f = p(&d, "k.tif");
    ok(&[
        "render",
        "kawung",
        "--size",
        "4x3cm",
        "--dpi",
        "300",
        "-o",
        s(&f),
    ]);
    let info = tool("tiffinfo", &[s(&f)]);
    // 40 mm at 300 dpi = 472.44 px → 472; 30 mm → 354.33 → 354.
    assert!(
        info.contains("Image Width: 472 Image Length: 354"),
        "{info}"
    );
    assert!(info.contains("Resolution: 300, 300 pixels/inch"), "{info}");
    assert!(info.contains("Bits/Sample: 8"), "{info}");
    assert!(info.contains("Samples/Pixel: 3"), "{info}");
    assert!(info.contains("Compression Scheme: AdobeDeflate"), "{info}");
    assert!(info.contains("horizontal differencing"), "{info}");
    assert!(!info.contains("Extra Samples"), "{info}");
    assert!(!info.to_lowercase().contains("warning"), "{info}");
    let px = magick_raw(&f, "rgb", 8);
    assert_eq!(px, rgb_of(&reference(472, 354, 300.0, &[])));
}

#[test]
fn tiff_lzw_16_bit_with_unassociated_alpha() {
    let d = dir();
    let f = p(&d, "k.tif");
    let ground = [("ground", "#8B5A2B80")];
    ok(&[
        "render",
        "kawung",
        "--width",
        "100",
        "--height",
        "70",
        "--dpi",
        "200",
        "--color",
        "ground=#8B5A2B80",
        "--compression",
        "lzw",
        "--bit-depth",
        "16",
        "-o",
        s(&f),
    ]);
    let info = tool("tiffinfo", &[s(&f)]);
    assert!(info.contains("Bits/Sample: 16"), "{info}");
    assert!(info.contains("Samples/Pixel: 4"), "{info}");
    assert!(info.contains("Extra Samples: 1<unassoc-alpha>"), "{info}");
    assert!(info.contains("Compression Scheme: LZW"), "{info}");
    assert!(info.contains("Resolution: 200, 200 pixels/inch"), "{info}");
    let px = magick_raw(&f, "rgba", 16);
    let want: Vec<u8> = reference(100, 70, 200.0, &ground)
        .iter()
        .flat_map(|&v| (v as u16 * 257).to_be_bytes())
        .collect();
    assert_eq!(px.len(), want.len());
    // ImageMagick returns colour under zero alpha as it likes; compare the rest.
    for (i, (a, b)) in px.chunks_exact(8).zip(want.chunks_exact(8)).enumerate() {
        if b[6..8] != [0, 0] {
            assert_eq!(a, b, "pixel {i}");
        }
    }
}

#[test]
fn bigtiff_is_readable_by_libtiff() {
    let d = dir();
    let f = p(&d, "k.tif");
    ok(&[
        "render",
        "kawung",
        "--size",
        "2x2cm",
        "--bigtiff",
        "-o",
        s(&f),
    ]);
    let dump = tool("tiffdump", &[s(&f)]);
    assert!(dump.contains("<BigTIFF>"), "{dump}");
    let info = tool("tiffinfo", &[s(&f)]);
    assert!(
        info.contains("Image Width: 236 Image Length: 236"),
        "{info}"
    );
    assert_eq!(
        magick_raw(&f, "rgb", 8),
        rgb_of(&reference(236, 236, 300.0, &[]))
    );
}

/// CMYK (0–100 %) that Little CMS's own calculator gives for an sRGB colour.
fn transicc(rgb: [u8; 3], intent: &str, bpc: bool) -> Vec<f64> {
    let mut cmd = Command::new("transicc");
    cmd.args(["-i", "*sRGB", "-o", CMYK_ICC, "-t", intent, "-n"]);
    if bpc {
        cmd.arg("-b");
    }
    use std::io::Write as _;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run transicc (liblcms2-utils)");
    writeln!(
        child.stdin.take().unwrap(),
        "{} {} {}",
        rgb[0],
        rgb[1],
        rgb[2]
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<f64> = text
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!(nums.len() >= 4, "transicc said: {text}");
    nums[nums.len() - 4..].to_vec()
}

#[test]
fn cmyk_tiff_through_an_output_profile_with_each_intent() {
    let d = dir();
    let first = reference(79, 79, 100.0, &[("ground", "#8B5A2B")]);
    let corner_rgb = [first[0], first[1], first[2]];
    for (intent, t, bpc) in [
        ("perceptual", "0", false),
        ("relative", "1", true),
        ("saturation", "2", false),
    ] {
        let f = p(&d, &format!("{intent}.tif"));
        let msg = ok(&[
            "render",
            "kawung",
            "--size",
            "2x2cm",
            "--dpi",
            "100",
            "--color",
            "ground=#8B5A2B",
            "--icc",
            CMYK_ICC,
            "--intent",
            intent,
            "-o",
            s(&f),
        ]);
        assert!(msg.contains("CMYK"), "{msg}");
        let info = tool("tiffinfo", &[s(&f)]);
        assert!(
            info.contains("Photometric Interpretation: separated"),
            "{info}"
        );
        assert!(info.contains("InkSet: 1"), "{info}");
        assert!(info.contains("Samples/Pixel: 4"), "{info}");
        assert!(info.contains("ICC Profile: <present>"), "{info}");
        let id = tool("identify", &["-format", "%[colorspace] %z %w %h", s(&f)]);
        assert_eq!(id.trim(), "CMYK 8 79 79");
        let px = magick_raw(&f, "cmyk", 8);
        let corner = &px[..4];
        let want = transicc(corner_rgb, t, bpc);
        for (got, pct) in corner.iter().zip(&want) {
            let want8 = pct * 255.0 / 100.0;
            assert!(
                (*got as f64 - want8).abs() <= 2.0,
                "{intent}: CMYK {corner:?}, transicc says {want:?} %"
            );
        }
    }
    let size = |name: &str| std::fs::read(p(&d, name)).unwrap();
    assert_ne!(
        size("perceptual.tif"),
        size("relative.tif"),
        "the intent made no difference"
    );
}

#[test]
fn jpeg_has_jfif_density_and_close_pixels() {
    let d = dir();
    let f = p(&d, "k.jpg");
    ok(&[
        "render",
        "kawung",
        "--size",
        "3x2cm",
        "--dpi",
        "240",
        "-o",
        s(&f),
    ]);
    let exif = tool(
        "exiftool",
        &[
            "-JFIFVersion",
            "-ResolutionUnit",
            "-XResolution",
            "-ImageSize",
            s(&f),
        ],
    );
    assert!(
        exif.contains("Resolution Unit                 : inches"),
        "{exif}"
    );
    assert!(
        exif.contains("X Resolution                    : 240"),
        "{exif}"
    );
    // 30 mm at 240 dpi = 283.46 → 283; 20 mm → 188.98 → 189.
    assert!(
        exif.contains("Image Size                      : 283x189"),
        "{exif}"
    );
    let px = magick_raw(&f, "rgb", 8);
    let want = rgb_of(&reference(283, 189, 240.0, &[]));
    let mean = px
        .iter()
        .zip(&want)
        .map(|(a, b)| a.abs_diff(*b) as f64)
        .sum::<f64>()
        / px.len() as f64;
    assert!(mean < 3.0, "mean error {mean}");
}

#[test]
fn jpeg_with_an_rgb_profile_embeds_it() {
    let d = dir();
    let f = p(&d, "k.jpg");
    ok(&[
        "render",
        "kawung",
        "--size",
        "1x1cm",
        "--icc",
        A98_ICC,
        "-o",
        s(&f),
    ]);
    let exif = tool("exiftool", &["-ProfileDescription", s(&f)]);
    assert!(exif.contains("A98"), "{exif}");
}

#[test]
fn jpeg_refuses_more_than_65535_px_and_leaves_nothing() {
    let d = dir();
    let f = p(&d, "wide.jpg");
    let out = wastra(&[
        "render",
        "kawung",
        "--width",
        "65536",
        "--height",
        "8",
        "-o",
        s(&f),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("65535 px per side"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    only_files(&d, &[]);
}

#[test]
fn pdf_is_vector_with_the_exact_page_size_trim_and_bleed_boxes() {
    let d = dir();
    let f = p(&d, "k.pdf");
    ok(&[
        "render",
        "kawung",
        "--size",
        "10x10cm",
        "--bleed",
        "1cm",
        "-o",
        s(&f),
    ]);
    let info = tool("pdfinfo", &["-box", s(&f)]);
    // 120 mm = 340.157 pt; the trim starts 10 mm = 28.35 pt in.
    assert!(
        info.contains("Page size:       340.157 x 340.157 pts"),
        "{info}"
    );
    assert!(
        info.contains("TrimBox:            28.35    28.35   311.81   311.81"),
        "{info}"
    );
    assert!(
        info.contains("BleedBox:            0.00     0.00   340.16   340.16"),
        "{info}"
    );
    let images = tool("pdfimages", &["-list", s(&f)]);
    assert_eq!(
        images.lines().count(),
        2,
        "a vector PDF holds no images: {images}"
    );
}

#[test]
fn pdf_crop_marks_sit_outside_the_bleed() {
    let d = dir();
    let f = p(&d, "k.pdf");
    ok(&[
        "render",
        "kawung",
        "--size",
        "50x50mm",
        "--bleed",
        "3mm",
        "--crop-marks",
        "-o",
        s(&f),
    ]);
    let info = tool("pdfinfo", &["-box", s(&f)]);
    // Slug 3 (bleed) + 5 (mark) + 1 mm = 9 mm each side: 68 mm = 192.756 pt.
    assert!(
        info.contains("Page size:       192.756 x 192.756 pts"),
        "{info}"
    );
    assert!(
        info.contains("TrimBox:            25.51    25.51   167.24   167.24"),
        "{info}"
    );
    assert!(
        info.contains("BleedBox:           17.01    17.01   175.75   175.75"),
        "{info}"
    );
    // Rendered by poppler at 254 dpi (10 px/mm): marks are dark pixels on
    // the trim line beyond the bleed, and the slug elsewhere is white.
    let out = Command::new("pdftoppm")
        .args(["-r", "254", "-gray", s(&f)])
        .output()
        .expect("pdftoppm");
    let pgm = out.stdout;
    let (w, pixels) = parse_pgm(&pgm);
    let at = |x: usize, y: usize| pixels[y * w + x];
    // Top-left: trim corner at (90, 90) px; the mark runs 3..8 mm to its left.
    assert!((20..80).any(|x| at(x, 90) < 128), "no crop mark");
    assert_eq!(at(50, 50), 255, "slug not white");
    assert!(at(95, 95) < 250, "pattern missing inside the trim");
}

fn parse_pgm(data: &[u8]) -> (usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let w: usize = fields[1].parse().unwrap();
    (w, data[i + 1..].to_vec())
}

#[test]
fn pdf_draws_the_same_picture_as_the_png() {
    let d = dir();
    let pdf = p(&d, "k.pdf");
    // 2540 px at 254 dpi is exactly 254 mm: poppler's pixels align with ours.
    ok(&[
        "render",
        "kawung",
        "--width",
        "254",
        "--height",
        "254",
        "--dpi",
        "254",
        "-o",
        s(&pdf),
    ]);
    let out = Command::new("pdftoppm")
        .args(["-r", "254", s(&pdf)])
        .output()
        .expect("pdftoppm");
    let ppm = out.stdout;
    // P6 header then RGB.
    let header_end = ppm
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(2)
        .unwrap()
        .0;
    let px = &ppm[header_end + 1..];
    let want = rgb_of(&reference(254, 254, 254.0, &[]));
    assert_eq!(px.len(), want.len());
    let mean = px
        .iter()
        .zip(&want)
        .map(|(a, b)| a.abs_diff(*b) as f64)
        .sum::<f64>()
        / px.len() as f64;
    assert!(
        mean < 2.0,
        "poppler's render differs from ours by {mean} on average"
    );
}

#[test]
fn bleed_extends_the_pattern_continuously() {
    let d = dir();
    let trim = p(&d, "trim.png");
    let bled = p(&d, "bled.png");
    ok(&[
        "render",
        "kawung",
        "--size",
        "10x10cm",
        "--dpi",
        "100",
        "-o",
        s(&trim),
    ]);
    let msg = ok(&[
        "render",
        "kawung",
        "--size",
        "10x10cm",
        "--dpi",
        "100",
        "--bleed",
        "1cm",
        "-o",
        s(&bled),
    ]);
    // 100 mm at 100 dpi = 393.7 → 394 px; 10 mm → 39.37 → 39 px each side.
    assert!(msg.contains("472 × 472 px"), "{msg}");
    assert!(msg.contains("trim 394 × 394 px + bleed 39 px"), "{msg}");
    let a = magick_raw(&trim, "rgb", 8);
    let b = magick_raw(&bled, "rgb", 8);
    // The trim area of the bled file is the unbled file. Equal up to
    // anti-aliasing: the renderer's output is exact for a given image size,
    // but images of different sizes differ on a few edge pixels by at most
    // one of tiny-skia's 16 coverage steps (≤ 17/255 after rounding).
    let (mut max, mut sum) = (0u8, 0u64);
    for y in 0..394 {
        for x in 0..394 * 3 {
            let d = a[y * 394 * 3 + x].abs_diff(b[(y + 39) * 472 * 3 + 39 * 3 + x]);
            max = max.max(d);
            sum += d as u64;
        }
    }
    let mean = sum as f64 / (394.0 * 394.0 * 3.0);
    assert!(
        max <= 17 && mean < 0.1,
        "trim differs: max {max}, mean {mean}"
    );
    // The bleed itself is pattern, continuing the trim area: equal to a
    // render of the same pattern shifted by the bleed.
    let pat = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::at_dpi(&pat, 472, 472, 100.0).shifted(-39.0, -39.0);
    assert_eq!(
        b,
        rgb_of(&render_reference(&pat, &view).unwrap().into_raw())
    );
}

#[test]
fn an_existing_file_survives_a_failed_render() {
    let d = dir();
    let f = p(&d, "precious.png");
    std::fs::write(&f, b"precious").unwrap();
    // Fails after the temporary file exists: cancelled at the first strip.
    let pat = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::at_dpi(&pat, 300, 300, 300.0);
    let opts = wastra::export::ExportOptions::default();
    opts.cancel.cancel();
    let e = wastra::export::export(&pat, &view, &opts, &f).unwrap_err();
    assert!(matches!(e, wastra::Error::Interrupted), "{e}");
    assert_eq!(std::fs::read(&f).unwrap(), b"precious");
    only_files(&d, &["precious.png"]);
    // Fails before: a JPEG too wide.
    let j = p(&d, "precious.jpg");
    std::fs::write(&j, b"precious").unwrap();
    let out = wastra(&[
        "render",
        "kawung",
        "--width",
        "70000",
        "--height",
        "2",
        "-o",
        s(&j),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&j).unwrap(), b"precious");
    only_files(&d, &["precious.png", "precious.jpg"]);
}

/// Interrupts a large render over an existing file with `signal`.
fn interrupt_render(signal: &str) {
    let d = dir();
    let f = p(&d, "big.png");
    std::fs::write(&f, b"precious").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args([
            "render",
            "kawung",
            "--width",
            "12000",
            "--height",
            "12000",
            "--threads",
            "1",
            "-o",
            s(&f),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary file exists, i.e. rendering has begun.
    let start = std::time::Instant::now();
    while std::fs::read_dir(d.path()).unwrap().count() < 2 {
        assert!(start.elapsed().as_secs() < 60, "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kill = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{signal}: {err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_eq!(std::fs::read(&f).unwrap(), b"precious");
    only_files(&d, &["big.png"]);
}

#[test]
fn ctrl_c_stops_the_render_and_leaves_the_old_file() {
    interrupt_render("-INT");
}

/// SIGTERM (a scheduler's or `kill`'s stop) killed the process outright and
/// left its temporary file: only SIGINT was caught.
#[test]
fn sigterm_left_the_temporary_file_behind() {
    interrupt_render("-TERM");
}

/// Peak resident memory (kB) of `wastra args`, by GNU time.
fn peak_rss_kb(args: &[&str]) -> u64 {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_wastra"))
        .args(args)
        .output()
        .expect("run /usr/bin/time (package time)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    err.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {err}"))
}

#[test]
fn a_large_render_streams_in_bounded_memory() {
    let d = dir();
    let f = p(&d, "large.tif");
    // 4000 × 16000 RGBA is 256 MB; streaming holds a few 4 MB strips.
    let kb = peak_rss_kb(&[
        "render",
        "kawung",
        "--width",
        "4000",
        "--height",
        "16000",
        "-q",
        "-o",
        s(&f),
    ]);
    eprintln!("peak RSS for 4000 × 16000 TIFF: {} MB", kb / 1000);
    assert!(kb < 128_000, "peak RSS {kb} kB, half the image is 128 MB");
    let info = tool("tiffinfo", &[s(&f)]);
    assert!(
        info.contains("Image Width: 4000 Image Length: 16000"),
        "{info}"
    );
}

/// 23622 × 11811 px, 1.1 GB as RGBA; the repeat is drawn once and copied, so
/// this takes seconds even in a debug build.
#[test]
fn wrap_panel_at_300_dpi_streams_well_under_its_raw_size() {
    let d = dir();
    for name in ["wrap.png", "wrap.tif"] {
        let f = p(&d, name);
        let kb = peak_rss_kb(&[
            "render",
            "kawung",
            "--size",
            "200x100cm",
            "--dpi",
            "300",
            "-q",
            "-o",
            s(&f),
        ]);
        eprintln!("peak RSS for the 23622 × 11811 {name}: {} MB", kb / 1000);
        assert!(kb < 300_000, "peak RSS {kb} kB, the target is 300 MB");
        // ImageMagick's default policy refuses 16k+ px sides: ask libtiff/pngcheck.
        let header = if name.ends_with("png") {
            tool("pngcheck", &[s(&f)])
        } else {
            tool("tiffinfo", &[s(&f)])
        };
        assert!(
            header.contains("23622x11811")
                || header.contains("Image Width: 23622 Image Length: 11811"),
            "{header}"
        );
        std::fs::remove_file(&f).unwrap();
    }
}

/// Pixels rendered first and written with `write_png_image` make the same
/// file, byte for byte, as the streaming exporter; and every compression
/// level decodes to those pixels. The streamed strips of this periodic
/// pattern are 64 rows, the image's are cut every 256: the file must not
/// depend on how the rows were cut.
#[test]
fn png_of_rendered_pixels_equals_the_streamed_png() {
    use wastra::effects::PixelStage;
    use wastra::export::{png, Compression, ExportOptions};
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    // 700 rows: eleven copied strips, eleven compression bands.
    let view = View::at_dpi(&p, 333, 700, 150.0);
    let img = wastra::render::render_image(&p, &view, &Default::default()).unwrap();
    for c in [Compression::Fast, Compression::Balanced, Compression::Best] {
        let mut opts = ExportOptions::default();
        opts.compression = c;
        let (mut streamed, mut from_image) = (Vec::new(), Vec::new());
        png::write_png(&p, &view, &opts, &PixelStage::default(), &mut streamed).unwrap();
        png::write_png_image(&img, &opts, &mut from_image).unwrap();
        assert!(streamed == from_image, "{c:?}");
        let decoded = image::load_from_memory(&streamed).unwrap().to_rgba8();
        assert!(decoded == img, "{c:?} decodes to other pixels");
    }
}
