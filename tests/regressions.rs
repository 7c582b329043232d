//! One test per robustness bug found (by hand with hostile inputs, or by the
//! fuzzers in `fuzz/`), named after the bug. Each failed — hung, panicked,
//! exhausted memory or gave a muddled message — before its fix.

use kurbo::Affine;
use wastra::error::UserError;
use wastra::export::tile::ExactTile;
use wastra::geom::Dpi;
use wastra::motif::Motif;
use wastra::pattern::TextileRepeat;
use wastra::render::{render_image, RenderOptions, View};
use wastra::Design;

const KAWUNG: &str = include_str!("../motifs/kawung.toml");

/// Kawung with `from` replaced by `to` (which must occur).
fn kawung_with(from: &str, to: &str) -> String {
    assert!(KAWUNG.contains(from), "edit does not apply: {from}");
    KAWUNG.replacen(from, to, 1)
}

/// The one-line error loading the edited kawung gives.
fn load_error(from: &str, to: &str) -> String {
    let e = Motif::from_toml(&kawung_with(from, to))
        .unwrap_err()
        .to_string();
    assert!(!e.contains('\n'), "{e}");
    e
}

#[test]
fn view_check_overflowed_on_u32_max_sides() {
    // u32::MAX² × 4 bytes overflowed u64: a panic in debug builds.
    let e = View::new(u32::MAX, u32::MAX, Affine::IDENTITY)
        .check()
        .unwrap_err()
        .to_string();
    assert!(e.contains("73786976.3 TB"), "{e}");
}

#[test]
fn arc_sweep_of_a_billion_degrees_hung() {
    let e = load_error(
        "type = \"circle\"\ncenter = [0.5, 0]\nr = 0.04",
        "type = \"arc\"\ncenter = [0.5, 0]\nr = 0.04\nstart = 0\nsweep = 1e9",
    );
    assert!(e.contains("sweep = 1e9° must be from -360 to 360"), "{e}");
}

#[test]
fn path_with_overflowing_coordinates_hung() {
    let e = load_error(
        "type = \"circle\"\ncenter = [0.5, 0]\nr = 0.04",
        "type = \"path\"\nd = \"M 0 0 L 1e308 1e308 L -1e308 5 Z\"",
    );
    assert!(e.contains("larger than 16 cell diagonals"), "{e}");
}

#[test]
fn shape_a_billion_cells_wide_hung_the_renderer() {
    let e = load_error("r = 0.04\n", "r = 1e9\n");
    assert!(e.contains("a shape is 2e9 × 2e9 units"), "{e}");
}

#[test]
fn shape_scaled_past_f64_hung() {
    let e = load_error("r = 0.04\n", "r = 0.04\nscale = 1e300\n");
    assert!(e.contains("larger than 16 cell diagonals"), "{e}");
    let e = load_error(
        "r = 0.04\n",
        "r = 0.04\nscale = 1e300\ntranslate = [1e300, 0]\n",
    );
    assert!(e.contains("not finite") || e.contains("larger than"), "{e}");
}

#[test]
fn stroke_a_billion_units_wide_hung() {
    let e = load_error("stroke_width = \"outline / repeat\"", "stroke_width = 1e9");
    assert!(
        e.contains("petals: a shape is 1e9 × 1e9 units, larger than 16 cell diagonals"),
        "{e}"
    );
}

#[test]
fn ten_thousand_copies_of_a_thousand_gon_exhausted_memory() {
    let e = load_error(
        "r = 0.04\nsides = 4\n",
        "r = 0.001\nsides = 1000\ncopies = 10000\n",
    );
    assert!(e.contains("more than 2000000 segments per cell"), "{e}");
}

#[test]
fn needle_thin_cell_repeated_forever() {
    let e = load_error("unit = \"repeat\"", "unit = \"repeat\"\nwidth = 1e-12");
    assert!(
        e.contains("a cell 4e-11 mm across is outside the limits"),
        "{e}"
    );
    let thin = kawung_with(
        "kind = \"square\"",
        "kind = \"rectangular\"\nheight = 0.0001",
    )
    .replacen("group = \"p4m\"", "group = \"pmm\"", 1);
    let e = Motif::from_toml(&thin).unwrap_err().to_string();
    assert!(e.contains("differ more than 1000 times"), "{e}");
}

#[test]
fn quoted_numbers_with_exponents_were_formula_errors() {
    // exmex does not read "4e1"; it used to say "we have 0 ops and 2 node".
    let m = Motif::from_toml(&kawung_with("unit = \"repeat\"", "unit = \"4e1\"")).unwrap();
    let p = Design::new(m).resolve().unwrap();
    assert_eq!(p.unit_mm, 40.0);
}

#[test]
fn geometry_errors_printed_an_empty_file_name() {
    let e = Design::from_toml(&kawung_with("group = \"p4m\"", "group = \"p7\""))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("<motif>: lattice.group: unknown wallpaper group"),
        "{e}"
    );
}

#[test]
fn unknown_palette_of_a_preset_was_not_checked() {
    let e = load_error(
        "set = { repeat = 36.0",
        "palette = \"nope\"\nset = { repeat = 36.0",
    );
    assert!(e.contains("preset 'sen': unknown palette 'nope'"), "{e}");
}

#[test]
fn unknown_palette_slot_was_found_only_when_rendering() {
    let e = load_error("ground = \"mid\"", "ground = \"midd\"");
    assert!(
        e.contains("colour role 'ground' in palette 'sogan': unknown palette slot 'midd' (did you mean mid?)"),
        "{e}"
    );
}

#[test]
fn dpi_below_one_wrote_a_one_pixel_file_at_0_dpi() {
    for bad in ["0.001", "1e-300", "1e300", "100001"] {
        assert!(bad.parse::<Dpi>().is_err(), "{bad}");
    }
    assert!("100000".parse::<Dpi>().is_ok());
}

#[test]
fn subpixel_cells_hung_the_renderer() {
    // Library callers can pick any transform: a cell of 1e-6 px would be
    // drawn 1e12 times in a 1000 × 1000 image.
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::new(1000, 1000, Affine::scale(1e-6));
    let e = render_image(&p, &view, &RenderOptions::with_threads(1)).unwrap_err();
    assert!(
        matches!(e, wastra::Error::User(UserError::TooLarge(_))),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("one motif cell is 0.000001 px across"),
        "{e}"
    );
}

#[test]
fn huge_cells_would_subdivide_into_billions_of_segments() {
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::new(8, 8, Affine::scale(1e9));
    let e = render_image(&p, &view, &RenderOptions::with_threads(1)).unwrap_err();
    assert!(e.to_string().contains("segments"), "{e}");
}

#[test]
fn exact_tile_preview_size_overflowed() {
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let t = ExactTile::new(&p, TextileRepeat::Block, Dpi::new(300.0).unwrap()).unwrap();
    let v = t.view_of(u32::MAX, 3);
    assert_eq!(v.width, u32::MAX);
    assert!(v.check().is_err());
}

#[test]
fn colour_role_suggestions_repeated_a_name() {
    let e = Design::builtin("kawung")
        .unwrap()
        .color("grund", "#112233")
        .and_then(|d| d.resolve())
        .unwrap_err()
        .to_string();
    assert!(e.ends_with("(did you mean ground?)"), "{e}");
}

/// Found by `tests/properties.rs`: tiny-skia's edge clipper cuts every curve of
/// a path that crosses the pixmap edge at its x/y extrema, so a tile that
/// clipped a path rasterised its curves differently from the reference.
#[test]
fn rotated_views_rendered_tiles_unlike_the_reference() {
    use wastra::render::render_reference;
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    for (w, h, angle) in [(600, 600, 0.5), (4097, 9, 3.92)] {
        let view = View::new(w, h, Affine::rotate(angle) * Affine::scale(10.0));
        let strips = render_image(&p, &view, &RenderOptions::with_threads(2)).unwrap();
        assert!(strips == render_reference(&p, &view).unwrap(), "{w}x{h}");
    }
}

/// Found by `tests/properties.rs`: at 75 dpi a 40 mm repeat is 118 px and the
/// 2 × 2 render differed from the tile at its seams (same cause as above); and
/// half-drop/brick tiles were drawn unclipped while the laid-out pattern is
/// clipped, a level apart on every fill.
#[test]
fn exact_tiles_had_seams_and_clipped_fills_a_level_apart() {
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let opts = RenderOptions::with_threads(1);
    for r in [
        TextileRepeat::Block,
        TextileRepeat::HalfDrop,
        TextileRepeat::Brick,
    ] {
        let t = ExactTile::new(&p, r, Dpi::new(75.0).unwrap()).unwrap();
        let laid = r.apply(&p).unwrap();
        let tile = render_image(&laid, &t.view(), &opts).unwrap();
        let big = render_image(&laid, &t.view_of(2, 2), &opts).unwrap();
        let (w, h) = (t.width, t.height);
        for y in 0..2 * h {
            for x in 0..2 * w {
                let (tx, ty) = match r {
                    TextileRepeat::HalfDrop => (x % w, (y + (x / w) * h / 2) % h),
                    TextileRepeat::Brick => ((x + (y / h) * w / 2) % w, y % h),
                    _ => (x % w, y % h),
                };
                assert_eq!(
                    big.get_pixel(x, y),
                    tile.get_pixel(tx, ty),
                    "{r} ({x}, {y})"
                );
            }
        }
    }
}

/// `--threads 99999` started a hundred thousand threads for a 64 × 64 image
/// (killed for memory); a thread count above the limit is now refused.
#[test]
fn threads_99999_started_a_hundred_thousand_threads() {
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::at_dpi(&p, 16, 16, 300.0);
    for n in [0, wastra::render::MAX_THREADS + 1, 99_999] {
        let e = render_image(&p, &view, &RenderOptions::with_threads(n)).unwrap_err();
        assert!(e.is_user_error(), "{n}: {e}");
        assert!(e.to_string().contains("--threads"), "{n}: {e}");
    }
    render_image(
        &p,
        &view,
        &RenderOptions::with_threads(wastra::render::MAX_THREADS),
    )
    .unwrap();
}

/// docs/motif-format.md called its Kawung example "in full" while it left out
/// two parameters and most layers: put together, its blocks did not load.
/// Its last section now holds the whole file, kept equal to motifs/kawung.toml.
#[test]
fn motif_format_worked_example_was_not_the_whole_file() {
    let doc = include_str!("../docs/motif-format.md");
    let whole = doc
        .split("### The whole file")
        .nth(1)
        .expect("a 'The whole file' section");
    let block = whole
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a toml block");
    assert_eq!(block.trim_end(), KAWUNG.trim_end());
    Motif::from_toml(block).unwrap();
}
