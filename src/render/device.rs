//! The pattern in device space, prepared once per render.
//!
//! Two rules make every tile of a render byte-identical to the same area of a
//! single-pixmap render, whatever the tile grid or thread count:
//!
//! 1. **Short lines only.** Curves are flattened here, in f64, to within
//!    [`FLATTEN_TOLERANCE_PX`], and every line is split until it spans at most
//!    [`MAX_SEGMENT_PX`] pixels. tiny-skia treats a path that is not wholly inside
//!    the pixmap differently: it chops lines at the pixmap edge (changing their
//!    slope) and chops *every* curve of such a path at its x-extrema (changing how
//!    the whole curve is flattened, far from the edge). Lines wholly inside are
//!    left alone, and each tile is rendered with a margin of [`MARGIN_PX`] ≥ the
//!    longest line, so whatever is chopped lies in the margin cropped away.
//! 2. **Quantised coordinates.** Device coordinates are rounded to 1/256 px in
//!    f64 before the tile's integer offset is subtracted, so the `f32` values
//!    tiny-skia receives are exact in every tile (up to 65536 px from the
//!    origin) and a shape's rasterisation does not depend on where the tile is.
//!
//! Rejected: rendering strips edge to edge (differs by up to 43/255 along
//! curves), and passing curves to tiny-skia split into short pieces (found
//! wrong by the strip-versus-whole test: the x-extrema chopping above still
//! changed pixels in the middle of a strip).

use kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape as _, Vec2};
use tiny_skia::{Paint, PathBuilder};

use std::sync::Arc;

use super::period::{Layout, PeriodImage};
use crate::pattern::{FillRule, Lattice, Pattern};

/// Overlap rendered around each tile and cropped away, in pixels.
pub const MARGIN_PX: i64 = 24;
/// Longest extent of one line after subdivision, in pixels.
pub const MAX_SEGMENT_PX: f64 = 16.0;
/// Largest distance between a curve and its flattened lines, in pixels
/// (tiny-skia's 4×4 anti-aliasing resolves 1/4 px).
pub const FLATTEN_TOLERANCE_PX: f64 = 0.05;
/// Device coordinates are rounded to multiples of 1/QUANTUM px.
pub const QUANTUM: f64 = 256.0;
const MAX_SUBDIVISION_DEPTH: u32 = 24;

/// One fill in device space.
#[derive(Debug, Clone)]
pub struct DeviceFill {
    /// Segments, subdivided, at translation zero (not yet quantised).
    pub path: BezPath,
    /// Bounding box in device pixels.
    pub bbox: Rect,
    /// Premultiplied paint colour.
    pub color: tiny_skia::Color,
    /// Fill rule.
    pub rule: tiny_skia::FillRule,
    /// Index into [`Scene::clips`].
    pub clip: Option<usize>,
}

/// A clip region in device space.
#[derive(Debug, Clone)]
pub struct DeviceClip {
    /// Outline, subdivided like fills so masks rasterise alike in every tile.
    pub path: BezPath,
    /// Bounding box in device pixels.
    pub bbox: Rect,
    /// Enclosing clip.
    pub parent: Option<usize>,
}

/// A pattern prepared for rendering at one scale.
#[derive(Debug, Clone)]
pub struct Scene {
    /// Fills in drawing order.
    pub fills: Vec<DeviceFill>,
    /// Clip regions.
    pub clips: Vec<DeviceClip>,
    /// Only lattice row zero is drawn (a frieze).
    pub frieze: bool,
    /// Lattice in device pixels.
    pub lattice: Lattice,
    /// Background colour.
    pub background: tiny_skia::Color,
    /// Whether every colour is opaque (then premultiplied equals straight alpha).
    pub opaque: bool,
    /// How pixels repeat.
    pub layout: Layout,
    /// One period, drawn once and copied, when that is exact and worth it.
    pub period: Option<Arc<PeriodImage>>,
}

/// The lattice of `pattern` in device pixels under `transform`, snapped to
/// 1/65536 px: an integer pixel period becomes exactly integer, so a tile and
/// its translates rasterise alike.
pub(crate) fn device_lattice(pattern: &Pattern, transform: Affine) -> Lattice {
    let snap = |v: Vec2| {
        Vec2::new(
            (v.x * 65536.0).round() / 65536.0,
            (v.y * 65536.0).round() / 65536.0,
        )
    };
    let lattice = pattern.lattice.linear_image(transform);
    Lattice {
        a: snap(lattice.a),
        b: snap(lattice.b),
    }
}

impl Scene {
    /// Prepares `pattern` under `transform` (drawing units → device pixels).
    pub fn new(pattern: &Pattern, transform: Affine) -> Self {
        let lattice = device_lattice(pattern, transform);
        let fills = pattern
            .fills
            .iter()
            .map(|f| {
                let mut p = f.path.clone();
                p.apply_affine(transform);
                let path = subdivide(&p);
                let bbox = path.bounding_box();
                let c = pattern.colours[f.role];
                DeviceFill {
                    path,
                    bbox,
                    color: tiny_skia::Color::from_rgba8(c.red, c.green, c.blue, c.alpha),
                    rule: match f.rule {
                        FillRule::NonZero => tiny_skia::FillRule::Winding,
                        FillRule::EvenOdd => tiny_skia::FillRule::EvenOdd,
                    },
                    clip: f.clip,
                }
            })
            .collect();
        let clips = pattern
            .clips
            .iter()
            .map(|c| {
                let mut p = c.path.clone();
                p.apply_affine(transform);
                let path = subdivide(&p);
                DeviceClip {
                    bbox: path.bounding_box(),
                    path,
                    parent: c.parent,
                }
            })
            .collect();
        let bg = pattern.background;
        let layout = Layout::of(pattern, transform, &lattice);
        Scene {
            layout,
            period: None,
            fills,
            clips,
            frieze: pattern.frieze,
            lattice,
            background: tiny_skia::Color::from_rgba8(bg.red, bg.green, bg.blue, bg.alpha),
            opaque: bg.alpha == 255 && pattern.colours.iter().all(|c| c.alpha == 255),
        }
    }

    /// The scene with its period image, when copying one is exact and worth
    /// it for `area` output pixels (see [`super::period`]).
    pub fn with_period(
        mut self,
        area: u64,
        pool: Option<&rayon::ThreadPool>,
    ) -> Result<Self, crate::error::Error> {
        self.period = PeriodImage::build(&self, area, pool)?.map(Arc::new);
        Ok(self)
    }

    /// Every `(n, m)` whose lattice translate of `bbox` meets `view`; only row
    /// zero for a frieze.
    pub fn translations_meeting(&self, bbox: Rect, view: Rect) -> Vec<(i64, i64)> {
        let mut t = self.lattice.translations_meeting(bbox, view);
        if self.frieze {
            t.retain(|&(_, m)| m == 0);
        }
        t
    }

    /// The paint for fill `f`.
    pub fn paint(f: &DeviceFill) -> Paint<'static> {
        let mut p = Paint::default();
        p.set_color(f.color);
        p.anti_alias = true;
        p
    }
}

/// `v` rounded to a multiple of 1/[`QUANTUM`].
pub(crate) fn quantise(v: f64) -> f64 {
    (v * QUANTUM).round() / QUANTUM
}

/// `path` moved by `t`, quantised, then moved by the integer `origin`, as a
/// tiny-skia path. `None` for an empty or degenerate path.
pub fn to_skia(path: &BezPath, t: Vec2, origin: (i64, i64)) -> Option<tiny_skia::Path> {
    let (ox, oy) = (origin.0 as f64, origin.1 as f64);
    // Quantised before the translation is added: moved by a whole number of
    // pixels, a point then lands exactly that many pixels away (see `period`).
    let pt = |p: Point| {
        (
            (quantise(quantise(p.x) + t.x) - ox) as f32,
            (quantise(quantise(p.y) + t.y) - oy) as f32,
        )
    };
    let mut b = PathBuilder::with_capacity(path.elements().len(), path.elements().len() * 3);
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => {
                let (x, y) = pt(p);
                b.move_to(x, y)
            }
            PathEl::LineTo(p) => {
                let (x, y) = pt(p);
                b.line_to(x, y)
            }
            PathEl::QuadTo(p1, p2) => {
                let ((x1, y1), (x, y)) = (pt(p1), pt(p2));
                b.quad_to(x1, y1, x, y)
            }
            PathEl::CurveTo(p1, p2, p3) => {
                let ((x1, y1), (x2, y2), (x, y)) = (pt(p1), pt(p2), pt(p3));
                b.cubic_to(x1, y1, x2, y2, x, y)
            }
            PathEl::ClosePath => b.close(),
        }
    }
    b.finish()
}

/// Flattens curves to lines and splits every line to at most [`MAX_SEGMENT_PX`].
pub fn subdivide(path: &BezPath) -> BezPath {
    let mut out = BezPath::new();
    let (mut start, mut last) = (Point::ORIGIN, Point::ORIGIN);
    kurbo::flatten(path.iter(), FLATTEN_TOLERANCE_PX, |el| match el {
        PathEl::MoveTo(p) => {
            out.move_to(p);
            (start, last) = (p, p);
        }
        PathEl::LineTo(p) => {
            split_line(&mut out, last, p);
            last = p;
        }
        PathEl::ClosePath => {
            // The closing line is as long as any other: split it too, or
            // tiny-skia chops it at the pixmap edge like any long line.
            if last != start {
                split_line(&mut out, last, start);
            }
            out.close_path();
            last = start;
        }
        PathEl::QuadTo(..) | PathEl::CurveTo(..) => unreachable!("flatten emits lines only"),
    });
    out
}

/// Appends the line `from`–`to` as pieces of at most [`MAX_SEGMENT_PX`].
fn split_line(out: &mut BezPath, from: Point, to: Point) {
    let d = to - from;
    let n = ((d.x.abs().max(d.y.abs()) / MAX_SEGMENT_PX).ceil() as usize)
        .clamp(1, 1 << MAX_SUBDIVISION_DEPTH);
    for i in 1..n {
        out.line_to(from + d * (i as f64 / n as f64));
    }
    out.line_to(to);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::{Circle, PathSeg};

    #[test]
    fn subdivision_gives_short_lines_close_to_the_curve() {
        let c = Circle::new((500.0, 500.0), 400.0).to_path(1e-3);
        let s = subdivide(&c);
        for seg in s.segments() {
            let PathSeg::Line(l) = seg else {
                panic!("curve left: {seg:?}")
            };
            assert!(
                (l.p1 - l.p0).x.abs() <= MAX_SEGMENT_PX + 1e-9
                    && (l.p1 - l.p0).y.abs() <= MAX_SEGMENT_PX + 1e-9
            );
        }
        // A chord polygon within 0.05 px of a 400 px circle loses < 0.05 px of radius.
        let r_eff = (s.area().abs() / std::f64::consts::PI).sqrt();
        assert!((400.0 - r_eff).abs() < FLATTEN_TOLERANCE_PX, "{r_eff}");
    }

    /// Regression: the implicit closing line of a polygon was left whole, so a
    /// long one was chopped at tile edges and `render_region` differed from a
    /// whole render by up to 7 levels.
    #[test]
    fn closing_lines_are_split_like_any_other() {
        let mut tri = BezPath::new();
        tri.move_to((0.0, 0.0));
        tri.line_to((10.0, 0.0));
        tri.line_to((0.0, 100.0));
        tri.close_path();
        let s = subdivide(&tri);
        let mut last = Point::ORIGIN;
        let mut start = Point::ORIGIN;
        for el in s.elements() {
            match *el {
                PathEl::MoveTo(p) => (start, last) = (p, p),
                PathEl::LineTo(p) => {
                    let d = p - last;
                    assert!(
                        d.x.abs().max(d.y.abs()) <= MAX_SEGMENT_PX + 1e-9,
                        "{last:?}–{p:?}"
                    );
                    last = p;
                }
                PathEl::ClosePath => assert_eq!(last, start, "closing line left implicit"),
                _ => panic!("curve left: {el:?}"),
            }
        }
        assert!((s.area() - tri.area()).abs() < 1e-9);
    }

    #[test]
    fn quantised_coordinates_are_exact_in_f32_after_integer_offsets() {
        let v = 1234.56789_f64;
        let q = quantise(v);
        assert_eq!((q - 1024.0) as f32, (q as f32) - 1024.0);
    }
}
