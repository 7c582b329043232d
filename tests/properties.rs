//! Properties of the geometry and the repeat engine, on random inputs.
//!
//! Case counts are small (the machine has two shared cores); proptest's
//! shrinking still reports the smallest failing case.

use kurbo::{Affine, Point, Vec2};
use proptest::prelude::*;
use wastra::export::tile::ExactTile;
use wastra::geom::{Dpi, Shape};
use wastra::pattern::lattice::{invert, Lattice};
use wastra::pattern::{Pattern, TextileRepeat, WallpaperGroup};
use wastra::render::{
    render_image, render_reference, render_region, PixelRect, RenderOptions, View,
};
use wastra::Design;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The lattice kind a wallpaper group is tested on.
fn kind_of(g: WallpaperGroup) -> &'static str {
    use wastra::pattern::LatticeKind;
    if g.fits(LatticeKind::Hexagonal) && !g.fits(LatticeKind::Rectangular) {
        "hexagonal"
    } else if g.fits(LatticeKind::Rectangular) {
        "rectangular"
    } else {
        "square"
    }
}

/// A motif with no symmetry of its own (an irregular triangle and an
/// off-centre ring) under group `g`, so every operation shows.
fn motif(g: WallpaperGroup, height: f64, tri: [(f64, f64); 3], ring: (f64, f64, f64)) -> Pattern {
    let pts: Vec<String> = tri.iter().map(|(x, y)| format!("[{x}, {y}]")).collect();
    let src = format!(
        r#"
[motif]
name = "prop"
family = "batik"
region = "test"
description = "property test motif"
meaning = "none"

[colors]
palette = "sogan"
roles = {{ ground = "light", a = "ink", b = "accent" }}

[lattice]
kind = "{kind}"
unit = 10
height = {height}
group = "{g}"

[[layer]]
fill = "a"
[[layer.shape]]
type = "polygon"
points = [{pts}]

[[layer]]
stroke = "b"
stroke_width = 0.03
[[layer.shape]]
type = "circle"
center = [{cx}, {cy}]
r = {r}
"#,
        kind = kind_of(g),
        pts = pts.join(", "),
        cx = ring.0,
        cy = ring.1,
        r = ring.2,
    );
    Design::from_toml(&src)
        .unwrap_or_else(|e| panic!("{e}\n{src}"))
        .resolve()
        .unwrap()
}

fn group() -> impl Strategy<Value = WallpaperGroup> {
    (0..WallpaperGroup::ALL.len()).prop_map(|i| WallpaperGroup::ALL[i])
}

fn repeat() -> impl Strategy<Value = TextileRepeat> {
    (0..TextileRepeat::ALL.len()).prop_map(|i| TextileRepeat::ALL[i])
}

fn coord() -> impl Strategy<Value = f64> {
    // Multiples of 1/64 keep the file text exact.
    (0i32..64).prop_map(|v| v as f64 / 64.0)
}

fn pattern() -> impl Strategy<Value = Pattern> {
    (
        group(),
        (24i32..40).prop_map(|v| v as f64 / 32.0),
        [(coord(), coord()), (coord(), coord()), (coord(), coord())],
        (coord(), coord(), (4i32..16).prop_map(|v| v as f64 / 64.0)),
    )
        .prop_map(|(g, h, tri, ring)| motif(g, h, tri, ring))
}

fn pixel(img: &image::RgbaImage, x: u32, y: u32) -> [u8; 4] {
    img.get_pixel(x, y).0
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn affine_maps_are_invertible(
        c in proptest::array::uniform6(-10.0f64..10.0),
        p in (-100.0f64..100.0, -100.0f64..100.0),
    ) {
        let t = Affine::new(c);
        prop_assume!(t.determinant().abs() > 1e-3);
        let inv = invert(t).expect("invertible");
        let p = Point::new(p.0, p.1);
        let back = inv * (t * p);
        prop_assert!((back - p).hypot() < 1e-6 * (1.0 + p.to_vec2().hypot()), "{p:?} -> {back:?}");
        let shape = Shape::Circle { center: p, radius: 1.5 };
        let round_trip = {
            let mut q = shape.transformed(t);
            q.apply_affine(inv);
            q
        };
        for (a, b) in shape.to_path().elements().iter().zip(round_trip.elements()) {
            let (ea, eb) = (a.end_point(), b.end_point());
            if let (Some(ea), Some(eb)) = (ea, eb) {
                prop_assert!((ea - eb).hypot() < 1e-6 * (1.0 + ea.to_vec2().hypot()));
            }
        }
    }

    #[test]
    fn every_group_operation_has_an_inverse_in_the_group(
        g in group(),
        h in 0.5f64..2.0,
        p in (coord(), coord()),
    ) {
        let lattice = match kind_of(g) {
            "hexagonal" => Lattice { a: Vec2::new(1.0, 0.0), b: Vec2::new(-0.5, 3f64.sqrt() / 2.0) },
            "square" => Lattice::rect(1.0, 1.0),
            _ => Lattice::rect(1.0, h),
        };
        let ops = g.ops(&lattice);
        let to_frac = invert(lattice.basis()).unwrap();
        let p = Point::new(p.0, p.1);
        for op in &ops {
            prop_assert!(invert(*op).is_some(), "{g}: singular operation");
            // Some operation of the group undoes `op` up to a lattice translation.
            let undone = ops.iter().any(|back| {
                let d = to_frac * (*back * (*op * p)) - to_frac * p;
                (d.x - d.x.round()).abs() < 1e-9 && (d.y - d.y.round()).abs() < 1e-9
            });
            prop_assert!(undone, "{g}: {op:?} has no inverse among the operations");
        }
    }

    #[test]
    fn reduce_brings_points_into_the_cell(
        a in (0.5f64..2.0, -0.5f64..0.5),
        b in (-0.5f64..0.5, 0.5f64..2.0),
        p in (-50.0f64..50.0, -50.0f64..50.0),
    ) {
        let l = Lattice { a: Vec2::new(a.0, a.1), b: Vec2::new(b.0, b.1) };
        let p = Point::new(p.0, p.1);
        let f = invert(l.basis()).unwrap() * (p + l.reduce(p));
        for v in [f.x, f.y] {
            prop_assert!((-1e-6..1.0 + 1e-6).contains(&v), "{p:?} reduced to fractional {f:?}");
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// A printer tiles the exact tile by whole pixels; the pattern laid out
    /// with the same repeat must look exactly like that, pixel for pixel.
    #[test]
    fn every_group_and_repeat_gives_a_seamless_tile(
        p in pattern(),
        r in repeat(),
        dpi in 60.0f64..110.0,
    ) {
        let dpi = Dpi::new(dpi).unwrap();
        let t = ExactTile::new(&p, r, dpi).unwrap();
        let opts = RenderOptions::with_threads(1);
        let laid = r.apply(&p).unwrap();
        // As `wastra tile` draws it.
        let tile = render_image(&laid, &t.view(), &opts).unwrap();
        let big = render_image(&laid, &t.view_of(2, 2), &opts).unwrap();
        let (w, h) = (t.width, t.height);
        for y in 0..2 * h {
            for x in 0..2 * w {
                let (col, row) = (x / w, y / h);
                let (tx, ty) = match r {
                    TextileRepeat::Block => (x % w, y % h),
                    TextileRepeat::HalfDrop => (x % w, (y + col * h / 2) % h),
                    TextileRepeat::Brick => ((x + row * w / 2) % w, y % h),
                    _ => {
                        let tx = if col == 1 { w - 1 - x % w } else { x % w };
                        let ty = if row == 1 { h - 1 - y % h } else { y % h };
                        (tx, ty)
                    }
                };
                let (got, want) = (pixel(&big, x, y), pixel(&tile, tx, ty));
                // The mirror repeat included: its quadrants mirror the tile's
                // pixels, as a printer's would.
                prop_assert_eq!(
                    got, want,
                    "{} {}: pixel ({}, {}) of {}x{} tile",
                    p.motif, r, x, y, w, h
                );
            }
        }
    }

    /// Regression: a polygon's implicit closing line was not split into short
    /// lines, so tiny-skia chopped it at tile edges and a region differed from
    /// the whole render by up to 7 levels (about 1 case in 50).
    #[test]
    fn a_region_equals_the_crop_of_a_full_render(
        p in pattern(),
        size in (1u32..300, 1u32..300),
        scale in 8.0f64..80.0,
        angle in 0.0f64..6.3,
        offset in (-50.0f64..50.0, -50.0f64..50.0),
        corner in (0.0f64..1.0, 0.0f64..1.0),
        extent in (0.0f64..1.0, 0.0f64..1.0),
    ) {
        let (w, h) = size;
        let view = View::new(
            w,
            h,
            Affine::translate(offset) * Affine::rotate(angle) * Affine::scale(scale),
        );
        let full = render_image(&p, &view, &RenderOptions::with_threads(2)).unwrap();
        let x = (corner.0 * w as f64) as u32;
        let y = (corner.1 * h as f64) as u32;
        let rw = (((w - x) as f64 * extent.0) as u32).max(1);
        let rh = (((h - y) as f64 * extent.1) as u32).max(1);
        let stride = rw as usize * 4 + 12;
        let mut buf = vec![7u8; stride * rh as usize];
        render_region(&p, &view, PixelRect { x: x as i64, y: y as i64, w: rw, h: rh }, &mut buf, stride).unwrap();
        for row in 0..rh {
            for col in 0..rw {
                let i = row as usize * stride + col as usize * 4;
                prop_assert_eq!(&buf[i..i + 4], &pixel(&full, x + col, y + row)[..]);
            }
            // Padding between rows is the caller's and stays untouched.
            let pad = row as usize * stride + rw as usize * 4;
            prop_assert!(buf[pad..pad + 12].iter().all(|&b| b == 7));
        }
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn strips_equal_the_reference_for_any_size(
        size in prop_oneof![
            (1u32..700, 1u32..700),
            // Wider than one tile column, cheap in rows.
            (4000u32..4300, 1u32..12),
        ],
        threads in 1usize..4,
        scale in 10.0f64..120.0,
        angle in 0.0f64..6.3,
    ) {
        let p = Design::builtin("kawung").unwrap().resolve().unwrap();
        let view = View::new(size.0, size.1, Affine::rotate(angle) * Affine::scale(scale));
        let strips = render_image(&p, &view, &RenderOptions::with_threads(threads)).unwrap();
        let reference = render_reference(&p, &view).unwrap();
        prop_assert!(strips == reference, "{}x{} at {threads} threads", size.0, size.1);
    }
}
