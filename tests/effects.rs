//! Textile effects: reference images at a fixed seed, thread-count invariance,
//! seamless tiles, and user errors.

mod common;

use wastra::effects::field::{Shift, Wrap};
use wastra::effects::{render_image, render_reference, Effect, Effects, Frame};
use wastra::export::tile::ExactTile;
use wastra::geom::Dpi;
use wastra::pattern::{Pattern, TextileRepeat};
use wastra::render::{RenderOptions, View};
use wastra::Design;

const DPI: f64 = 300.0;

fn kawung(repeat_mm: f64) -> Pattern {
    Design::builtin("kawung")
        .unwrap()
        .set("repeat", repeat_mm)
        .unwrap()
        .resolve()
        .unwrap()
}

fn effects(specs: &[&str], finish: Option<&str>) -> Effects {
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    Effects::parse(&specs, finish, 7).unwrap()
}

fn render(p: &Pattern, fx: &Effects, w: u32, h: u32, threads: usize) -> image::RgbaImage {
    let p = fx.apply_geometry(p);
    let view = View::at_dpi(&p, w, h, DPI);
    let opts = RenderOptions::with_threads(threads);
    let stage = fx
        .pixel_stage(&p, &view, &Frame::at_dpi(DPI), &opts)
        .unwrap();
    render_image(&p, &view, &opts, &stage).unwrap()
}

fn pinned(name: &str, specs: &[&str], finish: Option<&str>) {
    let img = render(&kawung(12.0), &effects(specs, finish), 200, 200, 2);
    common::assert_reference(&format!("effects/{name}"), &img);
}

#[test]
fn crackle_is_pinned() {
    pinned("crackle", &["crackle"], None);
}

#[test]
fn crackle_dense_indigo_is_pinned() {
    pinned(
        "crackle-dense",
        &["crackle:density=8,width=0.05,color=#1F2A44"],
        None,
    );
}

/// Cracks per waxed cm² of kawung at 300 dpi as a frieze on a black ground
/// (so only its band, at the top, is wax), in a `w × h` view.
fn crack_density(w: u32, h: u32) -> f64 {
    let mut p = kawung(12.0);
    p.frieze = true;
    p.background = wastra::motif::palette::Colour::new(0, 0, 0, 255);
    let view = View::at_dpi(&p, w, h, DPI);
    let opts = RenderOptions::with_threads(2);
    let f = wastra::effects::Crackle::default()
        .field(&p, &view, &Frame::at_dpi(DPI), 7, &opts)
        .unwrap();
    f.cracks() as f64 / (f.waxed_mm2() / 100.0)
}

#[test]
fn crack_density_per_area_does_not_depend_on_the_image_size() {
    // The large view is the 2 m × 1 m wrap at 300 dpi, 230 times the small
    // one's area; only the band is wax, so the cracks grow on little of it
    // (the whole of it once took the grid to 2.8 cells per crack spacing,
    // and half as many cracks per cm²).
    let small = crack_density(2000, 600);
    let large = crack_density(23622, 11811);
    let ratio = large / small;
    assert!(
        (0.8..1.25).contains(&ratio),
        "{large:.2} cracks/cm² on the wrap, {small:.2} on a small render"
    );
}

#[test]
fn tulis_is_pinned() {
    pinned("tulis", &[], Some("tulis"));
}

#[test]
fn cap_is_pinned() {
    pinned("cap", &[], Some("cap"));
}

#[test]
fn ikat_is_pinned() {
    pinned("ikat", &["ikat"], None);
    pinned(
        "ikat-weft",
        &["ikat:direction=weft,amount=0.6,threads=20"],
        None,
    );
}

#[test]
fn weave_and_songket_are_pinned() {
    pinned("weave", &["weave"], None);
    pinned("songket", &["weave:metal=#D4A537,float=4"], None);
}

#[test]
fn dye_is_pinned() {
    pinned("dye", &["dye:amount=0.3,scale=8"], None);
}

#[test]
fn effects_change_pixels_and_seeds_matter() {
    let p = kawung(12.0);
    let plain = render(&p, &Effects::new(7), 120, 120, 1);
    for spec in ["crackle", "tulis", "cap", "ikat", "weave", "dye"] {
        let fx = effects(&[spec], None);
        let a = render(&p, &fx, 120, 120, 1);
        assert_ne!(a, plain, "{spec} changed nothing");
        let mut other = fx.clone();
        other.seed = 8;
        assert_ne!(
            render(&p, &other, 120, 120, 1),
            a,
            "{spec} ignores the seed"
        );
        assert_eq!(
            render(&p, &fx, 120, 120, 1),
            a,
            "{spec} is not deterministic"
        );
    }
}

#[test]
fn strips_are_identical_for_any_thread_count_and_equal_the_reference() {
    let p = kawung(15.0);
    // Three strips of 256 rows; every pixel effect, two of them reading neighbours.
    let fx = effects(
        &[
            "crackle",
            "ikat:amount=1.5",
            "ikat:direction=weft",
            "weave:metal=#D4A537",
            "dye",
        ],
        Some("tulis"),
    );
    let one = render(&p, &fx, 300, 600, 1);
    for t in [2, 3, 4] {
        assert!(one == render(&p, &fx, 300, 600, t), "{t} threads differ");
    }
    let g = fx.apply_geometry(&p);
    let view = View::at_dpi(&g, 300, 600, DPI);
    let stage = fx
        .pixel_stage(
            &g,
            &view,
            &Frame::at_dpi(DPI),
            &RenderOptions::with_threads(2),
        )
        .unwrap();
    let r = render_reference(&g, &view, &stage).unwrap();
    let diffs: Vec<_> = one
        .enumerate_pixels()
        .filter(|(x, y, p)| r.get_pixel(*x, *y) != *p)
        .map(|(x, y, p)| (x, y, p.0, r.get_pixel(x, y).0))
        .collect();
    assert!(
        diffs.is_empty(),
        "strips differ from the reference at {} pixels: {:?}",
        diffs.len(),
        &diffs[..diffs.len().min(8)]
    );
}

#[test]
fn effects_start_from_the_plain_render_in_every_repeat() {
    // A weave of depth 0 shades by exactly 1: the stage's output is then the
    // pixels it started from, which must be the plain render's, also for the
    // mirror repeat, whose pixels are its tile's mirrored pixels rather than
    // its mirrored outlines drawn.
    let fx = effects(&["weave:depth=0"], None);
    let opts = RenderOptions::with_threads(2);
    for repeat in [TextileRepeat::Block, TextileRepeat::Mirror] {
        let p = repeat.apply(&kawung(12.0)).unwrap();
        let view = View::at_dpi(&p, 300, 300, DPI);
        let stage = fx
            .pixel_stage(&p, &view, &Frame::at_dpi(DPI), &opts)
            .unwrap();
        let plain = wastra::render::render_image(&p, &view, &opts).unwrap();
        assert!(
            render_image(&p, &view, &opts, &stage).unwrap() == plain,
            "{repeat:?}: strips"
        );
        assert!(
            render_reference(&p, &view, &stage).unwrap() == plain,
            "{repeat:?}: reference"
        );
    }
}

#[test]
fn a_wide_copied_scene_in_short_strips_equals_the_reference() {
    // Wider than 8192 px: the stage cuts a copied scene into 64-row blocks
    // (the reference into 256-row ones); 150 rows make three strips, the
    // last shorter than the others, and the effects read across them.
    let p = kawung(15.0);
    let fx = effects(&["ikat:amount=1.5", "dye"], None);
    let opts = RenderOptions::with_threads(2);
    let view = View::at_dpi(&p, 8200, 150, DPI);
    let stage = fx
        .pixel_stage(&p, &view, &Frame::at_dpi(DPI), &opts)
        .unwrap();
    let strips = render_image(&p, &view, &opts, &stage).unwrap();
    let reference = render_reference(&p, &view, &stage).unwrap();
    assert!(strips == reference, "strips differ from the reference");
}

#[test]
fn a_last_strip_shorter_than_the_margin_is_finished() {
    // 257 rows: the last strip has one row, fewer than ikat's margin, so the
    // strip above it reads through it into the rows drawn below the image
    // (this panicked with an index out of bounds).
    let p = kawung(15.0);
    let fx = effects(&["ikat:amount=1.5", "crackle"], None);
    let one = render(&p, &fx, 120, 257, 1);
    assert!(one == render(&p, &fx, 120, 257, 3), "threads differ");
    let g = fx.apply_geometry(&p);
    let view = View::at_dpi(&g, 120, 257, DPI);
    let opts = RenderOptions::with_threads(2);
    let stage = fx
        .pixel_stage(&g, &view, &Frame::at_dpi(DPI), &opts)
        .unwrap();
    assert!(one == render_reference(&g, &view, &stage).unwrap());
}

/// A tile rendered alone, and 2 × 2 tiles laid by `repeat`, with effects in
/// tileable mode: every pixel of the laid image equals the tile's pixel it
/// wraps to, within `tol` beyond what the plain renderer itself differs there.
/// (The plain renderer differs from its own tile by up to 17 levels at a few
/// anti-aliased pixels, e.g. across a strip boundary; reported, not an
/// effects matter. A seam from an effect field would be a jump along a whole
/// tile edge where the plain render agrees.)
fn assert_seamless(repeat: TextileRepeat, shift: Shift, fx: &Effects, tol: u8) {
    let block = fx.apply_geometry(&kawung(12.0));
    let exact = ExactTile::new(&block, repeat, Dpi::new(DPI).unwrap()).unwrap();
    let wrap = Wrap {
        nx: exact.width as i64,
        ny: exact.height as i64,
        shift,
    };
    let frame = Frame::at_dpi(DPI).tileable(wrap);
    let opts = RenderOptions::with_threads(2);
    // As the CLI does: with effects, the tile is drawn from the printer's
    // layout, so effects reading past the tile edge see its real neighbours.
    let laid = repeat.apply(&block).unwrap();
    let stage = fx.pixel_stage(&laid, &exact.view(), &frame, &opts).unwrap();
    let tile = render_image(&laid, &exact.view(), &opts, &stage).unwrap();
    let view = exact.view_of(2, 2);
    let stage = fx.pixel_stage(&laid, &view, &frame, &opts).unwrap();
    let big = render_image(&laid, &view, &opts, &stage).unwrap();
    // The plain renderer's own tile-versus-tiling differences, which effects
    // may carry through (and the songket metal, switching on a colour match,
    // may amplify).
    let plain_tile = wastra::render::render_image(&laid, &exact.view(), &opts).unwrap();
    let plain_big = wastra::render::render_image(&laid, &view, &opts).unwrap();
    let diff = |a: &image::Rgba<u8>, b: &image::Rgba<u8>| {
        a.0.iter()
            .zip(b.0.iter())
            .map(|(p, q)| p.abs_diff(*q))
            .max()
            .unwrap()
    };
    let (mut bad, mut worst) = (0, 0);
    for (x, y, p) in big.enumerate_pixels() {
        let (tx, ty) = wrap.reduce(x as i64, y as i64);
        let q = tile.get_pixel(tx as u32, ty as u32);
        let d = diff(p, q);
        worst = worst.max(d);
        let d0 = diff(
            plain_big.get_pixel(x, y),
            plain_tile.get_pixel(tx as u32, ty as u32),
        );
        if d > tol.saturating_add(d0.saturating_mul(4)) {
            bad += 1;
        }
    }
    assert_eq!(
        bad,
        0,
        "{repeat:?} with {:?}: {bad} pixels of the tiling differ from the tile (worst {worst})",
        fx.effects.iter().map(|e| e.name()).collect::<Vec<_>>()
    );
}

#[test]
fn tiles_stay_seamless_with_effects() {
    // Effects that read no neighbours are exact: the tiling equals the tile.
    let fx = effects(&["crackle", "weave", "dye:scale=5"], Some("tulis"));
    assert_seamless(TextileRepeat::Block, Shift::None, &fx, common::TOLERANCE);
    assert_seamless(
        TextileRepeat::HalfDrop,
        Shift::HalfDrop,
        &fx,
        common::TOLERANCE,
    );
    assert_seamless(TextileRepeat::Brick, Shift::Brick, &fx, common::TOLERANCE);
    let cap = effects(&["crackle", "weave"], Some("cap"));
    assert_seamless(TextileRepeat::Block, Shift::None, &cap, common::TOLERANCE);
    let songket = effects(&["weave:metal=#D4A537"], None);
    assert_seamless(
        TextileRepeat::Block,
        Shift::None,
        &songket,
        common::TOLERANCE,
    );
    assert_seamless(
        TextileRepeat::HalfDrop,
        Shift::HalfDrop,
        &songket,
        common::TOLERANCE,
    );
    // Ikat reads a margin of plain pixels drawn as extra blocks around the
    // image, whose pixels the plain renderer draws slightly differently than
    // inside a larger image (a few levels at isolated anti-aliased pixels), so
    // the plain comparison does not cover them: a small fixed tolerance.
    for (repeat, shift) in [
        (TextileRepeat::Block, Shift::None),
        (TextileRepeat::HalfDrop, Shift::HalfDrop),
        (TextileRepeat::Brick, Shift::Brick),
    ] {
        let fx = effects(&["crackle", "ikat", "ikat:direction=weft"], Some("tulis"));
        assert_seamless(repeat, shift, &fx, 6);
    }
}

#[test]
fn cap_and_tulis_reach_svg_and_other_effects_are_reported_raster_only() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.svg");
    let cap = dir.path().join("cap.svg");
    common::wastra_ok(&[
        "render",
        "kawung",
        "-o",
        plain.to_str().unwrap(),
        "--width",
        "200",
        "--height",
        "200",
    ]);
    let out = common::wastra_ok(&[
        "render",
        "kawung",
        "--finish",
        "cap",
        "--effect",
        "crackle",
        "-o",
        cap.to_str().unwrap(),
        "--width",
        "200",
        "--height",
        "200",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("crackle") && err.contains("raster-only"),
        "{err}"
    );
    assert!(!err.contains("cap,") && !err.contains("cap is"), "{err}");
    let (a, b) = (
        std::fs::read_to_string(&plain).unwrap(),
        std::fs::read_to_string(&cap).unwrap(),
    );
    assert_ne!(a, b, "cap offsets did not reach the SVG");
}

#[test]
fn bad_effects_are_one_line_user_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.png");
    let o = out.to_str().unwrap();
    for (args, needle) in [
        (vec!["--effect", "glitter"], "unknown effect 'glitter'"),
        (vec!["--effect", "crakle"], "did you mean crackle"),
        (
            vec!["--effect", "crackle:density=lots"],
            "'lots' is not a number",
        ),
        (vec!["--effect", "crackle:density=0"], "outside"),
        (
            vec!["--effect", "crackle:colour=#000000"],
            "unknown parameter 'colour'",
        ),
        (vec!["--effect", "crackle:color=brown"], "not a colour"),
        (vec!["--effect", "ikat:direction=diagonal"], "warp, weft"),
        (vec!["--effect", "dye:amount"], "not param=value"),
        (vec!["--finish", "batik"], "unknown finish 'batik'"),
    ] {
        let mut a = vec![
            "render", "kawung", "-o", o, "--width", "64", "--height", "64",
        ];
        a.extend(args.iter());
        let r = common::wastra(&a);
        assert_eq!(r.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    assert!("crackle:density=3".parse::<Effect>().is_ok());
}

/// A PDF silently left raster-only effects out, where the SVG said so.
#[test]
fn pdf_left_raster_only_effects_out_without_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("k.pdf");
    let out = common::wastra_ok(&[
        "render",
        "kawung",
        "--effect",
        "crackle",
        "-o",
        pdf.to_str().unwrap(),
        "--size",
        "4x4cm",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("crackle is raster-only; the PDF leaves it out"),
        "{err}"
    );
    assert!(pdf.exists());
}

/// Ikat wajik rendered as flat vector colour unless `--effect ikat` was
/// given, so it read as a printed argyle: a motif file's `effects` are what a
/// render takes by default, and `--finish none` (or any effect named) replaces them.
#[test]
fn ikat_wajik_was_flat_without_an_explicit_ikat_effect() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let f = dir.path().join(name);
        let mut args = vec![
            "render",
            "ikat-wajik",
            "-o",
            f.to_str().unwrap(),
            "--width",
            "160",
            "--height",
            "160",
        ];
        args.extend_from_slice(extra);
        common::wastra_ok(&args);
        std::fs::read(&f).unwrap()
    };
    let default = run("default.png", &[]);
    let explicit = run("ikat.png", &["--effect", "ikat"]);
    let flat = run("flat.png", &["--finish", "none"]);
    let plain = wastra::Design::builtin("ikat-wajik").unwrap();
    assert_eq!(
        default, explicit,
        "the default is the motif's own ikat effect"
    );
    assert_ne!(default, flat, "--finish none renders without it");
    let flat_img = image::load_from_memory(&flat).unwrap().to_rgba8();
    let lib = plain.render_px(160, 160, 300.0).unwrap();
    assert_eq!(
        flat_img.as_raw(),
        lib.as_raw(),
        "--finish none is the plain render"
    );
    let info = common::wastra_ok(&["info", "ikat-wajik", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(v["effects"], serde_json::json!(["ikat"]));
}

/// A motif file's `effects` are checked when it loads, like the rest of it.
#[test]
fn a_motif_file_with_an_unknown_effect_is_refused_on_load() {
    let src = include_str!("../motifs/ikat-wajik.toml")
        .replace("effects = [\"ikat\"]", "effects = [\"ikatt\"]");
    let e = wastra::motif::Motif::from_toml(&src)
        .unwrap_err()
        .to_string();
    assert!(e.contains("effects") && e.contains("ikatt"), "{e}");
}
