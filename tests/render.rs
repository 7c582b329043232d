//! Renderer guarantees: thread-count invariance, equality with a single-pixmap
//! render, regions, exact seamless tiles, and SVG that draws the same picture.

mod common;

use image::RgbaImage;
use wastra::export::tile::ExactTile;
use wastra::geom::Dpi;
use wastra::pattern::TextileRepeat;
use wastra::render::{
    render_image, render_reference, render_region, PixelRect, RenderOptions, View,
};
use wastra::Design;

fn kawung() -> wastra::Pattern {
    Design::builtin("kawung").unwrap().resolve().unwrap()
}

#[test]
fn strips_equal_the_single_pixmap_render_across_strip_and_tile_boundaries() {
    let p = kawung();
    // 600 rows cross two strip boundaries; 150 dpi puts curves across them.
    let view = View::at_dpi(&p, 333, 600, 150.0);
    let strips = render_image(&p, &view, &RenderOptions::with_threads(2)).unwrap();
    let whole = render_reference(&p, &view).unwrap();
    assert!(
        strips.as_raw() == whole.as_raw(),
        "{}",
        common::compare(&whole, &strips, 0).unwrap_or_default()
    );
}

#[test]
fn one_and_two_threads_give_identical_pixels() {
    let p = Design::builtin("kawung")
        .unwrap()
        .preset("picis")
        .unwrap()
        .resolve()
        .unwrap();
    let view = View::at_dpi(&p, 700, 900, 200.0);
    let one = render_image(&p, &view, &RenderOptions::with_threads(1)).unwrap();
    let two = render_image(&p, &view, &RenderOptions::with_threads(2)).unwrap();
    assert!(one.as_raw() == two.as_raw());
}

#[test]
fn a_region_equals_the_same_crop_of_the_whole_image() {
    let p = kawung();
    let view = View::at_dpi(&p, 400, 300, 120.0);
    let whole = render_image(&p, &view, &RenderOptions::default()).unwrap();
    let r = PixelRect {
        x: 123,
        y: 77,
        w: 150,
        h: 140,
    };
    let stride = 200 * 4;
    let mut buf = vec![0u8; stride * r.h as usize];
    render_region(&p, &view, r, &mut buf, stride).unwrap();
    for y in 0..r.h {
        for x in 0..r.w {
            let got = &buf[y as usize * stride + x as usize * 4..][..4];
            let want = whole.get_pixel(r.x as u32 + x, r.y as u32 + y).0;
            assert_eq!(got, want, "pixel ({x}, {y}) of the region");
        }
    }
}

/// A tile repeated 2×2 must equal a direct render of the 2×2 area: then the
/// tile continues seamlessly across its left/right and top/bottom edges.
#[test]
fn exact_tiles_repeat_without_a_seam() {
    let dpi = Dpi::new(300.0).unwrap();
    for repeat_mm in [40.0, 23.7, 10.1] {
        let p = Design::builtin("kawung")
            .unwrap()
            .set("repeat", repeat_mm)
            .unwrap()
            .resolve()
            .unwrap();
        let exact = ExactTile::new(&p, TextileRepeat::Block, dpi).unwrap();
        let tile = render_image(&p, &exact.view(), &RenderOptions::default()).unwrap();
        let big = render_image(&p, &exact.view_of(2, 2), &RenderOptions::default()).unwrap();
        let (w, h) = tile.dimensions();
        let mut tiled = RgbaImage::new(2 * w, 2 * h);
        for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            image::imageops::replace(&mut tiled, &tile, (i * w) as i64, (j * h) as i64);
        }
        assert!(
            big.as_raw() == tiled.as_raw(),
            "repeat {repeat_mm} mm: {}",
            common::compare(&big, &tiled, 0).unwrap_or_default()
        );
        // And the edges really meet: the seam column equals its neighbours' continuation.
        assert_ne!(
            tile.get_pixel(0, 0),
            tile.get_pixel(w / 3, h / 5),
            "tile is not flat"
        );
    }
}

#[test]
fn svg_rendered_by_resvg_matches_the_png() {
    let p = kawung();
    let view = View::at_dpi(&p, 320, 240, 96.0);
    let png = render_image(&p, &view, &RenderOptions::default()).unwrap();
    let mut svg = Vec::new();
    let mut opts = wastra::export::ExportOptions::default();
    opts.dpi = Dpi::new(96.0).unwrap();
    wastra::export::svg::write_svg(&p, &view, &opts, &mut svg).unwrap();
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default()).unwrap();
    let mut pm = resvg::tiny_skia::Pixmap::new(320, 240).unwrap();
    let s = 320.0 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(s, s),
        &mut pm.as_mut(),
    );
    let from_svg = RgbaImage::from_raw(320, 240, pm.take()).unwrap();
    // The SVG keeps true curves; the rasteriser flattens them in f64 (0.05 px).
    // So anti-aliased edge pixels differ by a few levels and nothing else: a
    // missing or misplaced shape would differ by 100+ levels and sink the PSNR.
    let mut worst = 0u8;
    let mut sq = 0f64;
    for (a, b) in png.pixels().zip(from_svg.pixels()) {
        for (x, y) in a.0.iter().zip(b.0.iter()) {
            worst = worst.max(x.abs_diff(*y));
            sq += (*x as f64 - *y as f64).powi(2);
        }
    }
    let psnr = 10.0 * (255f64.powi(2) / (sq / (320.0 * 240.0 * 4.0))).log10();
    eprintln!("SVG vs PNG: PSNR {psnr:.1} dB, worst {worst}");
    assert!(
        psnr > 38.0,
        "PSNR {psnr:.1} dB: the SVG draws something else"
    );
    assert!(
        worst <= 48,
        "worst difference {worst}: the SVG draws something else"
    );
}

#[test]
fn textile_repeats_lay_the_tile_as_printers_expect() {
    let dpi = Dpi::new(150.0).unwrap();
    let p = Design::builtin("kawung")
        .unwrap()
        .set("repeat", 20.32)
        .unwrap()
        .resolve()
        .unwrap();
    let exact = ExactTile::new(&p, TextileRepeat::HalfDrop, dpi).unwrap();
    let (w, h) = (exact.width, exact.height);
    let laid = TextileRepeat::HalfDrop.apply(&p).unwrap();
    // The tile a printer gets is the laid pattern's first tile (the shapes
    // straddling its dropped edges come from the neighbouring tiles).
    let tile = render_image(&laid, &exact.view(), &RenderOptions::default()).unwrap();
    let big = render_image(&laid, &exact.view_of(2, 2), &RenderOptions::default()).unwrap();
    // Column 0 is the tile; column 1 is the tile dropped by half its height.
    // Tolerance 2, not 0, for tiny-skia's rounding of fills drawn at another
    // offset in a larger pixmap; the exported tile is exact.
    let near = |a: &image::Rgba<u8>, b: &image::Rgba<u8>| {
        a.0.iter().zip(b.0.iter()).all(|(x, y)| x.abs_diff(*y) <= 2)
    };
    for y in 0..h {
        for x in 0..w {
            let t = tile.get_pixel(x, y);
            assert!(
                near(big.get_pixel(x, y), t),
                "first column at ({x},{y}): {:?} vs {t:?}",
                big.get_pixel(x, y)
            );
            let dropped = big.get_pixel(w + x, (y + h / 2) % (2 * h));
            assert!(
                near(dropped, t),
                "dropped column at ({x},{y}): {dropped:?} vs {t:?}"
            );
        }
    }
}

/// Where the repeat is whole pixels the renderer draws one period and copies
/// it (the mirror repeat mirrors the tile's pixels). Every motif, and a few
/// under every textile repeat, must still equal the single-pixmap render,
/// pixel for pixel.
#[test]
fn period_copies_equal_the_single_pixmap_render_for_every_motif() {
    use wastra::render::{Layout, Scene};
    let every_repeat = ["kawung", "parang", "ikat-wajik", "mega-mendung", "sumba"];
    let (mut copied, mut cases) = (0, 0);
    for motif in wastra::motif::registry::Library::builtin().motifs() {
        for repeat in TextileRepeat::ALL {
            if repeat != TextileRepeat::Block && !every_repeat.contains(&motif.name()) {
                continue;
            }
            let Ok(p) = Design::new(motif.clone()).textile_repeat(repeat).resolve() else {
                continue; // friezes and oblique lattices take only the block repeat
            };
            // About 100 px per repeat: curves a few pixels, snapping under 1 %.
            let (w, h) = p.repeat_mm().unwrap_or((p.unit_mm, p.unit_mm));
            let view = View::at_dpi(&p, 240, 200, 25.4 * 100.0 / w.min(h));
            if Scene::new(&p, view.transform).layout != Layout::Draw {
                copied += 1;
            }
            cases += 1;
            let fast = render_image(&p, &view, &RenderOptions::with_threads(2)).unwrap();
            let whole = render_reference(&p, &view).unwrap();
            assert!(
                fast.as_raw() == whole.as_raw(),
                "{} {repeat}: {}",
                p.motif,
                common::compare(&whole, &fast, 0).unwrap_or_default()
            );
        }
    }
    // Not vacuous: nearly every case took a copying path.
    assert!(copied * 10 >= cases * 8, "{copied} of {cases} copied");
}
