//! Repeat tiles: a printer tiling the tile file must get exactly the pattern.

use image::RgbaImage;
use wastra::export::tile::ExactTile;
use wastra::geom::Dpi;
use wastra::pattern::TextileRepeat;
use wastra::render::{render_image, RenderOptions};
use wastra::Design;

fn block() -> wastra::Pattern {
    Design::builtin("kawung")
        .unwrap()
        .set("repeat", 10.1)
        .unwrap()
        .resolve()
        .unwrap()
}

/// The tile laid 3 × 3 by the printer's rule for `repeat`.
fn lay(tile: &RgbaImage, repeat: TextileRepeat) -> RgbaImage {
    let (w, h) = tile.dimensions();
    let mut out = RgbaImage::new(3 * w, 3 * h);
    for y in 0..3 * h {
        for x in 0..3 * w {
            let (i, j) = (x / w, y / h);
            let (tx, ty) = (x % w, y % h);
            let (sx, sy) = match repeat {
                TextileRepeat::Block => (tx, ty),
                // Odd columns drop by half a tile, wrapping.
                TextileRepeat::HalfDrop => (tx, (y + h - (i % 2) * h / 2) % h),
                // Odd rows shift right by half a tile, wrapping.
                TextileRepeat::Brick => ((x + w - (j % 2) * w / 2) % w, ty),
                // Odd columns flip left-right, odd rows top-bottom.
                TextileRepeat::Mirror => (
                    if i % 2 == 1 { w - 1 - tx } else { tx },
                    if j % 2 == 1 { h - 1 - ty } else { ty },
                ),
            };
            out.put_pixel(x, y, *tile.get_pixel(sx, sy));
        }
    }
    out
}

/// Largest and mean absolute difference per sample.
fn diff(a: &RgbaImage, b: &RgbaImage) -> (u8, f64) {
    assert_eq!(a.dimensions(), b.dimensions());
    let mut max = 0;
    let mut sum = 0u64;
    for (p, q) in a.as_raw().iter().zip(b.as_raw()) {
        let d = p.abs_diff(*q);
        sum += d as u64;
        max = max.max(d);
    }
    (max, sum as f64 / a.as_raw().len() as f64)
}

/// The 3 × 3 preview `wastra tile --preview` writes equals the tile laid by
/// the repeat's rule, up to anti-aliasing: at most one of tiny-skia's 16
/// coverage steps (≤ 17/255 after rounding) on edge pixels, 0.5/255 on average. Not exact
/// because the tile and the preview are rasterised separately: mirrored paths
/// do not hit the same 4×4 sub-samples as their mirror image, the half-drop
/// and brick previews clip the tile rectangle, and even a block tile differs
/// from a larger render of the same lattice on a few edge pixels (0.14 % of
/// samples at 150 dpi).
#[test]
fn previews_equal_the_tile_laid_by_the_repeat_rules() {
    let block = block();
    let dpi = Dpi::new(150.0).unwrap();
    for repeat in TextileRepeat::ALL {
        let exact = ExactTile::new(&block, repeat, dpi).unwrap();
        let as_block = TextileRepeat::Block.apply(&block).unwrap();
        let tile = render_image(&as_block, &exact.view(), &RenderOptions::default()).unwrap();
        let laid = repeat.apply(&block).unwrap();
        let preview = render_image(&laid, &exact.view_of(3, 3), &RenderOptions::default()).unwrap();
        let (max, mean) = diff(&lay(&tile, repeat), &preview);
        eprintln!("{repeat}: max diff {max}, mean {mean:.4}");
        assert!(max <= 17, "{repeat}: max diff {max}");
        assert!(mean < 0.5, "{repeat}: mean diff {mean}");
    }
}

/// Tiling the block tile 3 × 3 gives a direct render of the same area.
#[test]
fn tiled_block_tile_equals_a_direct_render() {
    let block = block();
    let dpi = Dpi::new(300.0).unwrap();
    let exact = ExactTile::new(&block, TextileRepeat::Block, dpi).unwrap();
    let as_block = TextileRepeat::Block.apply(&block).unwrap();
    let tile = render_image(&as_block, &exact.view(), &RenderOptions::default()).unwrap();
    let direct = render_image(&as_block, &exact.view_of(3, 3), &RenderOptions::default()).unwrap();
    let laid = lay(&tile, TextileRepeat::Block);
    let (max, mean) = diff(&laid, &direct);
    eprintln!("block 3×3 at 300 dpi: max diff {max}, mean {mean:.4}");
    assert!(max <= 17 && mean < 0.1, "max {max}, mean {mean}");
    // The seam rows and columns (where a printer joins tiles) match to the
    // same bound: no line shows where one tile ends.
    let (w, h) = (exact.width, exact.height);
    for k in 1..3 {
        for y in 0..3 * h {
            for x in [k * w - 1, k * w] {
                let (a, b) = (direct.get_pixel(x, y), laid.get_pixel(x, y));
                for c in 0..4 {
                    assert!(a[c].abs_diff(b[c]) <= 17, "seam at x = {x}, y = {y}");
                }
            }
        }
    }
}
