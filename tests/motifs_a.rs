//! Motifs built on the format extensions (mega-mendung, gringsing, nitik,
//! sekar-jagad, tambal, tumpal) and the extensions themselves: clipping,
//! nested motifs, friezes, stepped bands, marks along paths.
//!
//! Reference images: tests/reference/NAME.png through tests/common.

mod common;

use wastra::pattern::TextileRepeat;
use wastra::render::{render_reference, render_strips, RenderOptions, View};
use wastra::Design;

const MOTIFS: [&str; 6] = [
    "gringsing",
    "mega-mendung",
    "nitik",
    "sekar-jagad",
    "tambal",
    "tumpal",
];

fn reference(name: &str) {
    let img = Design::builtin(name)
        .unwrap()
        .render_px(192, 192, 40.0)
        .unwrap();
    common::assert_reference(name, &img);
}

#[test]
fn gringsing_reference() {
    reference("gringsing");
}

#[test]
fn mega_mendung_reference() {
    reference("mega-mendung");
}

#[test]
fn nitik_reference() {
    reference("nitik");
}

#[test]
fn sekar_jagad_reference() {
    reference("sekar-jagad");
}

#[test]
fn tambal_reference() {
    reference("tambal");
}

#[test]
fn tumpal_reference() {
    reference("tumpal");
}

#[test]
fn every_preset_renders() {
    for name in MOTIFS {
        let d = Design::builtin(name).unwrap();
        let presets: Vec<String> = d.motif().file().presets.keys().cloned().collect();
        assert!(presets.len() >= 2, "{name} has presets");
        for p in presets {
            let img = d
                .clone()
                .preset(&p)
                .unwrap()
                .render_px(48, 48, 20.0)
                .unwrap();
            assert_eq!(img.dimensions(), (48, 48), "{name} {p}");
        }
    }
}

/// Clipped and nested content stays byte-identical across thread counts and
/// equal to the single-pixmap reference, including under textile repeats
/// (whose tile clips chain above the motifs' own clips).
#[test]
fn clipped_content_renders_identically_in_strips_and_threads() {
    let cases = [
        ("tambal", TextileRepeat::Block),
        ("mega-mendung", TextileRepeat::Block),
        ("gringsing", TextileRepeat::Mirror),
        ("nitik", TextileRepeat::HalfDrop),
        ("tumpal", TextileRepeat::Block),
    ];
    for (name, repeat) in cases {
        let p = Design::builtin(name)
            .unwrap()
            .textile_repeat(repeat)
            .resolve()
            .unwrap();
        assert!(!p.clips.is_empty() || name == "tumpal", "{name} uses clips");
        // Taller than two strips, so strip seams cross clipped content.
        let view = View::at_dpi(&p, 150, 600, 30.0).shifted(7.3, 11.9);
        let reference = render_reference(&p, &view).unwrap();
        for threads in [1, 2, 3] {
            let mut out = Vec::new();
            render_strips(&p, &view, &RenderOptions::with_threads(threads), |s| {
                out.extend_from_slice(&s.data);
                Ok(())
            })
            .unwrap();
            assert!(
                out == reference.as_raw().as_slice(),
                "{name} {repeat}: {threads} threads differ from the reference"
            );
        }
    }
}

#[test]
fn svg_clips_nest_with_clip_path_chains() {
    let p = Design::builtin("tambal")
        .unwrap()
        .textile_repeat(TextileRepeat::Mirror)
        .resolve()
        .unwrap();
    let view = View::at_dpi(&p, 100, 100, 10.0);
    let doc = wastra::export::svg::document(&p, &view, "10".parse().unwrap(), None).to_string();
    // Each patch's clip sits inside its mirrored tile's clip.
    let chained = doc.matches("<clipPath clip-path=\"url(#c").count();
    assert!(chained >= 8, "{chained} chained clip paths");
    assert!(doc.contains("<clipPath id=\"c0\">"), "the tile clip");
}

#[test]
fn the_frieze_band_is_drawn_once_with_ground_elsewhere() {
    let d = Design::builtin("tumpal").unwrap();
    let p = d.resolve().unwrap();
    assert!(p.frieze);
    let (w, h) = p.repeat_mm().unwrap();
    assert!((w - 40.0).abs() < 1e-9 && (h - 96.0).abs() < 1e-9);
    // 25.4 dpi: 1 px per mm. The band is 96 px tall; below it only ground.
    let img = d.render_px(120, 300, 25.4).unwrap();
    let ground = *img.get_pixel(119, 299);
    assert_eq!(ground, *img.get_pixel(0, 0), "above the apexes is ground");
    let band_rows = (0..300)
        .filter(|&y| (0..120).any(|x| *img.get_pixel(x, y) != ground))
        .collect::<Vec<_>>();
    assert!(*band_rows.first().unwrap() < 15, "{band_rows:?}");
    assert!(*band_rows.last().unwrap() <= 97, "{band_rows:?}");
    assert!(band_rows.last().unwrap() - band_rows.first().unwrap() > 80);
    // Half-drop of a frieze is refused with a reason.
    let e = d
        .textile_repeat(TextileRepeat::HalfDrop)
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(e.contains("frieze"), "{e}");
}

#[test]
fn mega_mendung_steps_are_a_parameter() {
    let area = |steps: f64, hex: u32| {
        let img = Design::builtin("mega-mendung")
            .unwrap()
            .set("steps", steps)
            .unwrap()
            .render_px(300, 200, 50.0)
            .unwrap();
        let c = [(hex >> 16) as u8, (hex >> 8) as u8, hex as u8, 255];
        img.pixels().filter(|p| p.0 == c).count()
    };
    // Seven steps use all seven skies of the palette; three steps spread
    // over them: the darkest, the middle and the lightest.
    for sky in [
        0x0B2545, 0x13315C, 0x1D4E89, 0x2E6DA4, 0x5B93C7, 0x93BEDF, 0xCFE3F3,
    ] {
        assert!(area(7.0, sky) > 100, "{sky:06X} with 7 steps");
    }
    for sky in [0x0B2545, 0x2E6DA4, 0xCFE3F3] {
        assert!(area(3.0, sky) > 100, "{sky:06X} with 3 steps");
    }
    for sky in [0x13315C, 0x1D4E89, 0x5B93C7, 0x93BEDF] {
        assert_eq!(area(3.0, sky), 0, "{sky:06X} with 3 steps");
    }
}

/// A minimal motif file with `layers` appended (1 unit = 10 mm, square cell).
fn user_motif(name: &str, layers: &str) -> String {
    format!(
        r##"[motif]
name = "{name}"
family = "batik"
region = "test"
description = "test"
meaning = "test"

[params.repeat]
default = 10.0
min = 1.0
max = 100.0
unit = "mm"
doc = "repeat"

[colors]
palette = "sogan"
roles = {{ ground = "#FFFFFF", a = "#FF0000", b = "#0000FF" }}

[lattice]
kind = "square"
unit = "repeat"

{layers}"##
    )
}

/// 25.4 dpi at 10 mm per unit: 10 px per unit... render 1 unit as 100 px.
fn render_user(src: &str) -> image::RgbaImage {
    Design::from_toml(src)
        .unwrap()
        .render_px(100, 100, 254.0)
        .unwrap()
}

fn px(img: &image::RgbaImage, x: u32, y: u32) -> [u8; 4] {
    img.get_pixel(x, y).0
}

const WHITE: [u8; 4] = [255, 255, 255, 255];
const RED: [u8; 4] = [255, 0, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];

#[test]
fn a_layer_is_clipped_to_a_closed_path() {
    // A full red square clipped to a triangle, then a blue circle clipped to
    // the shapes of the layer named "tri" (the same triangle, drawn nowhere).
    let src = user_motif(
        "clip-test",
        r#"
[[layer]]
fill = "a"
[[layer.clip]]
type = "polygon"
points = [[0, 0], [1, 0], [0, 1]]
[[layer.shape]]
type = "rect"
center = [0.5, 0.5]
w = 1
h = 1

[[layer]]
name = "tri"
when = "0"
[[layer.shape]]
type = "polygon"
points = [[0, 0], [1, 0], [0, 1]]

[[layer]]
fill = "b"
clip = "tri"
[[layer.shape]]
type = "circle"
center = [0.5, 0.5]
r = 0.2
"#,
    );
    let img = render_user(&src);
    assert_eq!(px(&img, 10, 10), RED, "inside the triangle");
    assert_eq!(px(&img, 90, 90), WHITE, "outside the triangle: ground");
    assert_eq!(px(&img, 40, 45), BLUE, "circle inside the clip");
    assert_eq!(px(&img, 60, 55), WHITE, "circle clipped away");
}

#[test]
fn isen_fill_only_the_host_and_along_marks_follow_the_guide() {
    let src = user_motif(
        "isen-test",
        r#"
[[layer]]
fill = "a"
[[layer.clip]]
type = "circle"
center = [0.5, 0.5]
r = 0.3
[[layer.shape]]
type = "isen"
isen = "sawut"
spacing = 0.1
width = 0.05

[[layer]]
fill = "b"
[[layer.shape]]
type = "along"
mark = "square"
spacing = 0.25
size = 0.03
[layer.shape.guide]
type = "polyline"
points = [[0, 0.95], [1, 0.95]]
"#,
    );
    let img = render_user(&src);
    // Horizontal lines through the centre, 0.1 apart and 0.05 wide.
    assert_eq!(px(&img, 50, 50), RED);
    assert_eq!(px(&img, 50, 45), WHITE, "between two lines");
    assert_eq!(px(&img, 50, 60), RED);
    assert_eq!(px(&img, 10, 50), WHITE, "outside the host circle");
    // Square marks at x = 0, .25, .5, .75 (and 1 ≡ 0), y = 0.95.
    assert_eq!(px(&img, 25, 95), BLUE);
    assert_eq!(px(&img, 27, 97), BLUE, "a square's corner is filled");
    assert_eq!(px(&img, 37, 95), WHITE, "between marks");
}

#[test]
fn a_region_filled_with_another_motif_takes_its_roles_and_clip() {
    let src = user_motif(
        "nest-test",
        r##"
[[layer]]
name = "patch"
[[layer.clip]]
type = "rect"
center = [0.25, 0.5]
w = 0.5
h = 1
[[layer.shape]]
type = "motif"
motif = "kawung"
set = { repeat = 5 }
colors = { ground = "#00FF00" }
"##,
    );
    let d = Design::from_toml(&src).unwrap();
    let p = d.resolve().unwrap();
    assert!(p.roles.iter().any(|r| r == "kawung.petal"), "{:?}", p.roles);
    assert!(
        p.fills.iter().all(|f| f.clip.is_some()),
        "all clipped to the patch"
    );
    let img = render_user(&src);
    let right: Vec<[u8; 4]> = (55..100)
        .flat_map(|x| (0..100).map(move |y| (x, y)))
        .map(|(x, y)| px(&img, x, y))
        .collect();
    assert!(
        right.iter().all(|c| *c == WHITE),
        "nothing outside the patch"
    );
    let green = (0..45)
        .flat_map(|x| (0..100).map(move |y| (x, y)))
        .filter(|&(x, y)| px(&img, x, y) == [0, 255, 0, 255])
        .count();
    assert!(green > 100, "the nested ground is remapped: {green}");
}

#[test]
fn a_motif_nesting_itself_is_refused_with_the_limit() {
    let src = user_motif(
        "ouroboros",
        r#"
[[layer]]
[[layer.clip]]
type = "circle"
center = [0.5, 0.5]
r = 0.4
[[layer.shape]]
type = "motif"
motif = "ouroboros"
"#,
    );
    let e = Design::from_toml(&src).unwrap_err().to_string();
    assert!(e.contains("would contain itself"), "{e}");
    assert!(e.contains("ouroboros → ouroboros"), "{e}");
    assert!(e.contains("at most 3 deep"), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn stepped_bands_step_inward_from_the_outline() {
    let src = user_motif(
        "bands-test",
        r#"
[[layer]]
bands = { count = 3, width = 0.1, roles = ["a", "b", "ground"] }
[[layer.shape]]
type = "rect"
center = [0.5, 0.5]
w = 0.8
h = 0.8
"#,
    );
    let img = render_user(&src);
    // Three bands from the edge at x = 10: a in 10..20, b in 20..30, core beyond.
    // The roles spread over the list: a, b, ground.
    assert_eq!(px(&img, 15, 50), RED);
    assert_eq!(px(&img, 25, 50), BLUE);
    assert_eq!(px(&img, 50, 50), WHITE);
    assert_eq!(px(&img, 5, 50), WHITE, "nothing outside the outline");
    // Corners: bands keep their width round a convex corner.
    assert_eq!(px(&img, 15, 15), RED);
    assert_eq!(px(&img, 25, 25), BLUE);
}

/// The SVG (clip paths, nested clips, a frieze band) draws what the PNG does:
/// rendered back by resvg, only anti-aliased edges differ.
#[test]
fn svg_of_clipped_nested_and_frieze_motifs_matches_the_png() {
    for (name, repeat) in [
        ("tambal", TextileRepeat::HalfDrop),
        ("mega-mendung", TextileRepeat::Block),
        ("tumpal", TextileRepeat::Block),
    ] {
        let p = Design::builtin(name)
            .unwrap()
            .textile_repeat(repeat)
            .resolve()
            .unwrap();
        let (w, h) = (240, 200);
        let view = View::at_dpi(&p, w, h, 30.0);
        let png = wastra::render::render_image(&p, &view, &RenderOptions::default()).unwrap();
        let mut opts = wastra::export::ExportOptions::default();
        opts.dpi = "30".parse().unwrap();
        let mut svg = Vec::new();
        wastra::export::svg::write_svg(&p, &view, &opts, &mut svg).unwrap();
        let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default()).unwrap();
        let mut pm = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
        let s = w as f32 / tree.size().width();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(s, s),
            &mut pm.as_mut(),
        );
        let from_svg = image::RgbaImage::from_raw(w, h, pm.take()).unwrap();
        let mut sq = 0f64;
        for (a, b) in png.pixels().zip(from_svg.pixels()) {
            for (x, y) in a.0.iter().zip(b.0.iter()) {
                sq += (*x as f64 - *y as f64).powi(2);
            }
        }
        let psnr = 10.0 * (255f64.powi(2) / (sq / (w * h * 4) as f64)).log10();
        eprintln!("{name}: SVG vs PNG PSNR {psnr:.1} dB");
        assert!(
            psnr > 36.0,
            "{name}: PSNR {psnr:.1} dB, the SVG draws something else"
        );
    }
}
