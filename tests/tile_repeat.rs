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
/// do not hit the same 4×4 sub-samples as their mirror image, and even a
/// block tile differs from a larger render of the same lattice on a few edge
/// pixels (0.14 % of samples at 150 dpi). The tile is drawn from the laid
/// pattern, as `wastra tile` draws it.
#[test]
fn previews_equal_the_tile_laid_by_the_repeat_rules() {
    let block = block();
    let dpi = Dpi::new(150.0).unwrap();
    for repeat in TextileRepeat::ALL {
        let exact = ExactTile::new(&block, repeat, dpi).unwrap();
        let laid = repeat.apply(&block).unwrap();
        let tile = render_image(&laid, &exact.view(), &RenderOptions::default()).unwrap();
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

/// Half-drop and brick used to lay the tile's content clipped to its
/// rectangle, so every shape that crossed the dropped edge was cut in half: a
/// hard seam down every column (half-drop) or row (brick). The tile's shapes
/// are now laid whole, so the blossom on a lattice point of the dropped
/// lattice looks exactly as the same blossom does in the block repeat.
#[test]
fn half_drop_and_brick_cut_no_shape_at_the_dropped_edge() {
    let block = Design::builtin("truntum").unwrap().resolve().unwrap();
    let plain = TextileRepeat::Block.apply(&block).unwrap();
    let dpi = Dpi::new(150.0).unwrap();
    for repeat in [TextileRepeat::HalfDrop, TextileRepeat::Brick] {
        let exact = ExactTile::new(&block, repeat, dpi).unwrap();
        let view = exact.view_of(3, 3);
        let opts = RenderOptions::default();
        let dropped = render_image(&repeat.apply(&block).unwrap(), &view, &opts).unwrap();
        let blocked = render_image(&plain, &view, &opts).unwrap();
        let (w, h) = (exact.width, exact.height);
        // A blossom sits on every lattice point; the one on the tile edge at
        // (w, 1.5 h) in half-drop (at (1.5 w, h) in brick) straddles the
        // dropped edge. The block repeat has the same blossom at (w, h).
        let (dx, dy) = match repeat {
            TextileRepeat::HalfDrop => (0, h / 2),
            _ => (w / 2, 0),
        };
        let r = w * 19 / 100; // the blossom's radius is 0.17 of the repeat
        let (mut max, mut sum, mut n) = (0u8, 0u64, 0u64);
        for y in h - r..h + r {
            for x in w - r..w + r {
                let p = dropped.get_pixel(x + dx, y + dy).0;
                let q = blocked.get_pixel(x, y).0;
                for c in 0..4 {
                    let d = p[c].abs_diff(q[c]);
                    max = max.max(d);
                    sum += d as u64;
                    n += 1;
                }
            }
        }
        let mean = sum as f64 / n as f64;
        eprintln!("{repeat}: around the edge blossom max diff {max}, mean {mean:.3}");
        assert!(
            max <= 17 && mean < 0.5,
            "{repeat}: the edge blossom is cut (max {max}, mean {mean:.3})"
        );
    }
}

/// Parang's blade step of 0.42 band pitches gave no rectangular period short
/// of 21 band pitches, so `wastra tile parang` was refused; at 2/5 (lereng
/// 1/3) the bands repeat in a square of √2 band pitches.
#[test]
fn parang_and_lereng_had_no_exact_tile() {
    let dpi = Dpi::new(150.0).unwrap();
    for motif in ["parang", "lereng"] {
        let block = Design::builtin(motif).unwrap().resolve().unwrap();
        let (w, h) = block.lattice.rect_period().expect("a rectangular period");
        assert!((w - h).abs() < 1e-9 * w, "{motif}: {w} × {h}");
        assert!((w - 2f64.sqrt()).abs() < 1e-9, "{motif}: {w}");
        for repeat in TextileRepeat::ALL {
            ExactTile::new(&block, repeat, dpi).unwrap();
            repeat.apply(&block).unwrap();
        }
    }
}

/// `render --repeat half-drop` rounded the two lattice vectors on their own
/// (a 295.3 px tile: drop 148 of 295), while `wastra tile` made the tile 296
/// px with a drop of 148: the render did not match the tile printed beside
/// it. Both now snap the tile's dropped side to an even number of pixels.
#[test]
fn half_drop_render_and_tile_disagreed_by_a_pixel() {
    let block = Design::builtin("truntum")
        .unwrap()
        .set("repeat", 25.0)
        .unwrap()
        .resolve()
        .unwrap();
    let dpi = Dpi::new(300.0).unwrap();
    for repeat in [TextileRepeat::HalfDrop, TextileRepeat::Brick] {
        let exact = ExactTile::new(&block, repeat, dpi).unwrap();
        let laid = repeat.apply(&block).unwrap();
        let view = wastra::render::View::at_dpi(&laid, 100, 100, dpi.get());
        let (a, b) = (view.transform.as_coeffs(), exact.transform.as_coeffs());
        for (x, y) in a.iter().zip(b.iter()) {
            assert!((x - y).abs() < 1e-9, "{repeat}: render {a:?} vs tile {b:?}");
        }
    }
}
