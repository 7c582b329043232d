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
    let d = Design::builtin("kawung").unwrap();
    let p = d.resolve().unwrap();
    let view = View::at_dpi(&p, 320, 240, 96.0);
    let png = render_image(&p, &view, &RenderOptions::default()).unwrap();
    let mut svg = Vec::new();
    wastra::export::svg::write_svg(&p, &view, Dpi::new(96.0).unwrap(), &mut svg).unwrap();
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default()).unwrap();
    let mut pm = resvg::tiny_skia::Pixmap::new(320, 240).unwrap();
    let s = 320.0 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(s, s),
        &mut pm.as_mut(),
    );
    let from_svg = RgbaImage::from_raw(320, 240, pm.take()).unwrap();
    // Both go through tiny-skia; they differ only by f32 rounding of the
    // transforms resvg composes, i.e. a few anti-aliasing levels on edges.
    let mut off = 0usize;
    let mut worst = 0u8;
    for (a, b) in png.pixels().zip(from_svg.pixels()) {
        let d =
            a.0.iter()
                .zip(b.0.iter())
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap();
        worst = worst.max(d);
        off += usize::from(d > 1);
    }
    let total = (320 * 240) as f64;
    assert!(
        off as f64 / total < 0.01,
        "{off} pixels differ by more than 1 (worst {worst})"
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
    let tile = render_image(&p, &exact.view(), &RenderOptions::default()).unwrap();
    let laid = TextileRepeat::HalfDrop.apply(&p).unwrap();
    let big = render_image(&laid, &exact.view_of(2, 2), &RenderOptions::default()).unwrap();
    // Column 0 is the tile; column 1 is the tile dropped by half its height.
    for y in 0..h {
        for x in 0..w {
            assert_eq!(
                big.get_pixel(x, y),
                tile.get_pixel(x, y),
                "first column at ({x},{y})"
            );
            let dropped = big.get_pixel(w + x, (y + h / 2) % (2 * h));
            assert_eq!(dropped, tile.get_pixel(x, y), "dropped column at ({x},{y})");
        }
    }
}
