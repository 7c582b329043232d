//! The pattern in device space, prepared once per render.
//!
//! Two rules make every tile of a render byte-identical to the same area of a
//! single-pixmap render, whatever the tile grid or thread count:
//!
//! 1. **Short segments.** Every path segment is subdivided (exactly: de
//!    Casteljau) until its control box spans at most [`MAX_SEGMENT_PX`] pixels.
//!    tiny-skia chops segments that cross the pixmap edge, which changes how they
//!    are flattened; each tile is rendered with a margin of [`MARGIN_PX`] ≥ that
//!    span, so a chopped segment lies wholly in the margin that is cropped away.
//! 2. **Quantised coordinates.** Device coordinates are rounded to 1/256 px in
//!    f64 before the tile's integer offset is subtracted, so the `f32` values
//!    tiny-skia receives are exact in every tile (up to 65536 px from the
//!    origin) and a shape's rasterisation does not depend on where the tile is.
//!
//! Rejected: rendering strips edge to edge (differs by up to 43/255 along
//! curves) and flattening curves to lines ourselves (resvg renders our SVG's
//! curves through the same tiny-skia, which is a free cross-check we keep).

use kurbo::{
    Affine, BezPath, CubicBez, Line, ParamCurve, PathEl, PathSeg, Point, QuadBez, Rect, Shape as _,
    Vec2,
};
use tiny_skia::{Paint, PathBuilder};

use crate::pattern::{FillRule, Lattice, Pattern};

/// Overlap rendered around each tile and cropped away, in pixels.
pub const MARGIN_PX: i64 = 24;
/// Longest extent of one path segment after subdivision, in pixels.
pub const MAX_SEGMENT_PX: f64 = 16.0;
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
    /// Clip rectangle in device pixels at translation zero.
    pub clip: Option<(usize, Rect)>,
}

/// A pattern prepared for rendering at one scale.
#[derive(Debug, Clone)]
pub struct Scene {
    /// Fills in drawing order.
    pub fills: Vec<DeviceFill>,
    /// Lattice in device pixels.
    pub lattice: Lattice,
    /// Background colour.
    pub background: tiny_skia::Color,
    /// Whether every colour is opaque (then premultiplied equals straight alpha).
    pub opaque: bool,
}

impl Scene {
    /// Prepares `pattern` under `transform` (drawing units → device pixels).
    pub fn new(pattern: &Pattern, transform: Affine) -> Self {
        let linear = Affine::new({
            let c = transform.as_coeffs();
            [c[0], c[1], c[2], c[3], 0.0, 0.0]
        });
        // Lattice vectors are snapped to 1/65536 px: an integer pixel period
        // becomes exactly integer, so a tile and its translates rasterise alike.
        let snap = |v: Vec2| {
            Vec2::new(
                (v.x * 65536.0).round() / 65536.0,
                (v.y * 65536.0).round() / 65536.0,
            )
        };
        let lattice = Lattice {
            a: snap((linear * pattern.lattice.a.to_point()).to_vec2()),
            b: snap((linear * pattern.lattice.b.to_point()).to_vec2()),
        };
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
                    clip: f
                        .clip
                        .map(|i| (i, transform.transform_rect_bbox(pattern.clips[i]))),
                }
            })
            .collect();
        let bg = pattern.background;
        Scene {
            fills,
            lattice,
            background: tiny_skia::Color::from_rgba8(bg.red, bg.green, bg.blue, bg.alpha),
            opaque: bg.alpha == 255 && pattern.colours.iter().all(|c| c.alpha == 255),
        }
    }

    /// The paint for fill `f`.
    pub fn paint(f: &DeviceFill) -> Paint<'static> {
        let mut p = Paint::default();
        p.set_color(f.color);
        p.anti_alias = true;
        p
    }
}

fn quantise(v: f64) -> f64 {
    (v * QUANTUM).round() / QUANTUM
}

/// `path` moved by `t`, quantised, then moved by the integer `origin`, as a
/// tiny-skia path. `None` for an empty or degenerate path.
pub fn to_skia(path: &BezPath, t: Vec2, origin: (i64, i64)) -> Option<tiny_skia::Path> {
    let (ox, oy) = (origin.0 as f64, origin.1 as f64);
    let pt = |p: Point| {
        (
            (quantise(p.x + t.x) - ox) as f32,
            (quantise(p.y + t.y) - oy) as f32,
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

/// Splits every segment until its control box is at most [`MAX_SEGMENT_PX`].
pub fn subdivide(path: &BezPath) -> BezPath {
    let mut out = BezPath::new();
    let mut subpath_start = None;
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => {
                out.move_to(p);
                subpath_start = Some(p);
            }
            PathEl::ClosePath => {
                out.close_path();
            }
            _ => {}
        }
        if matches!(el, PathEl::MoveTo(_) | PathEl::ClosePath) {
            continue;
        }
        let start = out
            .elements()
            .last()
            .and_then(|e| e.end_point())
            .or(subpath_start)
            .unwrap_or(Point::ORIGIN);
        let seg = match *el {
            PathEl::LineTo(p) => PathSeg::Line(Line::new(start, p)),
            PathEl::QuadTo(a, b) => PathSeg::Quad(QuadBez::new(start, a, b)),
            PathEl::CurveTo(a, b, c) => PathSeg::Cubic(CubicBez::new(start, a, b, c)),
            _ => unreachable!("handled above"),
        };
        push_split(&mut out, seg, 0);
    }
    out
}

fn control_extent(seg: &PathSeg) -> f64 {
    let r = match seg {
        PathSeg::Line(l) => Rect::from_points(l.p0, l.p1),
        PathSeg::Quad(q) => Rect::from_points(q.p0, q.p1).union_pt(q.p2),
        PathSeg::Cubic(c) => Rect::from_points(c.p0, c.p1).union_pt(c.p2).union_pt(c.p3),
    };
    r.width().max(r.height())
}

fn push_split(out: &mut BezPath, seg: PathSeg, depth: u32) {
    if depth < MAX_SUBDIVISION_DEPTH && control_extent(&seg) > MAX_SEGMENT_PX {
        let (a, b) = (seg.subsegment(0.0..0.5), seg.subsegment(0.5..1.0));
        push_split(out, a, depth + 1);
        push_split(out, b, depth + 1);
        return;
    }
    match seg {
        PathSeg::Line(l) => out.line_to(l.p1),
        PathSeg::Quad(q) => out.quad_to(q.p1, q.p2),
        PathSeg::Cubic(c) => out.curve_to(c.p1, c.p2, c.p3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Circle;

    #[test]
    fn subdivision_bounds_every_segment_and_keeps_the_shape() {
        let c = Circle::new((500.0, 500.0), 400.0).to_path(1e-3);
        let s = subdivide(&c);
        for seg in s.segments() {
            assert!(control_extent(&seg) <= MAX_SEGMENT_PX, "{seg:?}");
        }
        assert!((s.area() - c.area()).abs() < 1e-6 * c.area().abs());
    }

    #[test]
    fn quantised_coordinates_are_exact_in_f32_after_integer_offsets() {
        let v = 1234.56789_f64;
        let q = quantise(v);
        assert_eq!((q - 1024.0) as f32, (q as f32) - 1024.0);
    }
}
