//! Tulis: the hand of a batik maker drawing wax with a canting.
//!
//! Model: a smooth displacement field moves every outline point and dot a
//! little (`wobble`), and a second scalar field pushes each outline along its
//! normal (`weight`), so a line drawn as a filled outline gets thicker and
//! thinner as the canting slows and speeds. Both fields are sums of a dozen sine
//! waves whose wave vectors are integer combinations of the pattern's reciprocal
//! lattice, so they are exactly periodic in the pattern's lattice: every repeat
//! receives the same hand and tiles stay seamless, and a shape that touches the
//! cell edge moves the same way as its copy in the next cell.
//!
//! Clip regions take the same wobble (not the line-weight change), so
//! clipped content and the edge it is clipped to move together.
//!
//! It works on geometry, before rendering: the result is still a vector
//! [`Pattern`], so SVG output carries the wobble, and raster output is
//! anti-aliased as any other shape.
//!
//! Rejected: displacing pixels after rendering (blurs edges, cannot reach SVG,
//! and needs a neighbourhood larger than the tile margin for a visible wobble);
//! per-repeat random wobble (repeats would no longer be identical, and the exact
//! tile a printer repeats would need to hold many of them).

use std::f64::consts::TAU;
use std::sync::Arc;

use kurbo::{BezPath, ParamCurve, ParamCurveDeriv, PathEl, PathSeg, Point, Shape as _, Vec2};

use super::field::{signed, unit};
use crate::pattern::{union_bbox, Clip, Fill, Lattice, Pattern};

/// Parameters of the tulis wobble.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Tulis {
    /// Typical displacement of outlines and dots, in mm. Default: 0.2.
    pub wobble_mm: f64,
    /// Typical change of an outline's offset (half the line-weight change), in mm. Default: 0.05.
    pub weight_mm: f64,
    /// Typical wavelength of the wobble along a line, in mm. Default: 4.
    pub scale_mm: f64,
}

impl Default for Tulis {
    fn default() -> Self {
        Tulis {
            wobble_mm: 0.2,
            weight_mm: 0.05,
            scale_mm: 4.0,
        }
    }
}

/// A sum of sine waves periodic in a lattice.
struct Waves {
    /// (frequency vector in drawing units⁻¹ × 2π, phase, amplitude vector)
    modes: Vec<(Vec2, f64, Vec2)>,
}

impl Waves {
    fn new(lattice: &Lattice, wavelength: f64, amplitude: f64, seed: u64, salt: u64) -> Self {
        // Reciprocal basis: a*·a = 1, a*·b = 0, b*·b = 1, b*·a = 0.
        let det = lattice.a.cross(lattice.b);
        let ra = Vec2::new(lattice.b.y, -lattice.b.x) / det;
        let rb = Vec2::new(-lattice.a.y, lattice.a.x) / det;
        let target = 1.0 / wavelength;
        let mut cands: Vec<(i64, i64, f64)> = Vec::new();
        for k in -40i64..=40 {
            for l in 0..=40i64 {
                if l == 0 && k <= 0 {
                    continue;
                }
                let f = (ra * k as f64 + rb * l as f64).hypot();
                cands.push((k, l, f));
            }
        }
        let mut band: Vec<_> = cands
            .iter()
            .filter(|c| c.2 > 0.6 * target && c.2 < 1.6 * target)
            .copied()
            .collect();
        if band.len() < 4 {
            // The period is shorter than the wavelength: use the lowest harmonics.
            cands.sort_by(|a, b| a.2.total_cmp(&b.2));
            band = cands.into_iter().take(6).collect();
        }
        // A seeded choice of 12 modes (with repeats allowed when few exist).
        let n = 12;
        // Peaks of the sum then stay near `amplitude`.
        let amp = amplitude * (2.0 / n as f64).sqrt() * 0.5;
        let modes = (0..n)
            .map(|m| {
                let pick = (unit(seed, salt, m, 0) * band.len() as f64) as usize;
                let (k, l, _) = band[pick.min(band.len() - 1)];
                let freq = (ra * k as f64 + rb * l as f64) * TAU;
                let phase = unit(seed, salt, m, 1) * TAU;
                let dir = Vec2::new(signed(seed, salt, m, 2), signed(seed, salt, m, 3));
                (freq, phase, dir * amp)
            })
            .collect();
        Waves { modes }
    }

    fn vector(&self, p: Point) -> Vec2 {
        self.modes
            .iter()
            .map(|(f, ph, a)| *a * (f.dot(p.to_vec2()) + ph).sin())
            .fold(Vec2::ZERO, |s, v| s + v)
    }

    fn scalar(&self, p: Point) -> f64 {
        self.modes
            .iter()
            .map(|(f, ph, a)| a.x * (f.dot(p.to_vec2()) + ph).sin())
            .sum()
    }
}

impl Tulis {
    /// The pattern drawn by hand: same lattice, wobbled outlines.
    pub fn apply(&self, p: &Pattern, seed: u64) -> Pattern {
        let u = 1.0 / p.unit_mm;
        let shift = Waves::new(&p.lattice, self.scale_mm * u, self.wobble_mm * u, seed, 11);
        let weight = Waves::new(
            &p.lattice,
            self.scale_mm * 0.6 * u,
            self.weight_mm * u * 1.4,
            seed,
            12,
        );
        let max_seg = self.scale_mm * u / 10.0;
        let fills: Vec<Fill> = p
            .fills
            .iter()
            .map(|f| {
                let path = displace(
                    &f.path,
                    max_seg,
                    |pt| shift.vector(pt),
                    |pt| weight.scalar(pt),
                );
                Fill {
                    bbox: path.bounding_box(),
                    path,
                    ..f.clone()
                }
            })
            .collect();
        // Clips move with the same hand as what they clip, so clipped content
        // and its boundary stay together; they are regions, not drawn lines,
        // so they take the wobble but not the change of line weight (an
        // outline drawn along a clip's edge keeps its centre on the edge).
        let clips = p
            .clips
            .iter()
            .map(|c| {
                let path = displace(&c.path, max_seg, |pt| shift.vector(pt), |_| 0.0);
                Clip::new(path, c.parent)
            })
            .collect();
        Pattern {
            bbox: union_bbox(&fills),
            fills: Arc::new(fills),
            clips,
            ..p.clone()
        }
    }
}

/// `path` with every point moved by `shift` and pushed outward along its normal
/// by `weight` (outward for the path's dominant orientation), after splitting
/// segments longer than `max_seg` so the fields are followed.
pub fn displace(
    path: &BezPath,
    max_seg: f64,
    shift: impl Fn(Point) -> Vec2,
    weight: impl Fn(Point) -> f64,
) -> BezPath {
    // Positive area → the outward normal is the tangent turned one way.
    let side = if path.area() >= 0.0 { -1.0 } else { 1.0 };
    let mv = |p: Point, tangent: Vec2| {
        let n = if tangent.hypot2() > 1e-24 {
            let t = tangent.normalize();
            Vec2::new(-t.y, t.x) * side
        } else {
            Vec2::ZERO
        };
        p + shift(p) + n * weight(p)
    };
    let mut out = BezPath::new();
    let mut start = Point::ORIGIN;
    let mut last = Point::ORIGIN;
    let mut first_in_subpath = true;
    for el in path.elements() {
        let seg = match *el {
            PathEl::MoveTo(p) => {
                start = p;
                last = p;
                first_in_subpath = true;
                continue;
            }
            PathEl::ClosePath => {
                out.close_path();
                last = start;
                continue;
            }
            PathEl::LineTo(p) => PathSeg::Line(kurbo::Line::new(last, p)),
            PathEl::QuadTo(a, b) => PathSeg::Quad(kurbo::QuadBez::new(last, a, b)),
            PathEl::CurveTo(a, b, c) => PathSeg::Cubic(kurbo::CubicBez::new(last, a, b, c)),
        };
        last = seg.end();
        let n = (extent(&seg) / max_seg).ceil().clamp(1.0, 256.0) as usize;
        for i in 0..n {
            let (t0, t1) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
            let s = seg.subsegment(t0..t1);
            if first_in_subpath {
                out.move_to(mv(s.start(), tangent(&s, 0.0)));
                first_in_subpath = false;
            }
            match s {
                PathSeg::Line(l) => out.line_to(mv(l.p1, tangent(&s, 1.0))),
                PathSeg::Quad(q) => {
                    out.quad_to(mv(q.p1, tangent(&s, 0.5)), mv(q.p2, tangent(&s, 1.0)))
                }
                PathSeg::Cubic(c) => out.curve_to(
                    mv(c.p1, tangent(&s, 1.0 / 3.0)),
                    mv(c.p2, tangent(&s, 2.0 / 3.0)),
                    mv(c.p3, tangent(&s, 1.0)),
                ),
            }
        }
    }
    out
}

fn extent(s: &PathSeg) -> f64 {
    match s {
        PathSeg::Line(l) => (l.p1 - l.p0).hypot(),
        PathSeg::Quad(q) => (q.p1 - q.p0).hypot() + (q.p2 - q.p1).hypot(),
        PathSeg::Cubic(c) => (c.p1 - c.p0).hypot() + (c.p2 - c.p1).hypot() + (c.p3 - c.p2).hypot(),
    }
}

fn tangent(s: &PathSeg, t: f64) -> Vec2 {
    match s {
        PathSeg::Line(l) => l.p1 - l.p0,
        PathSeg::Quad(q) => q.deriv().eval(t).to_vec2(),
        PathSeg::Cubic(c) => c.deriv().eval(t).to_vec2(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Circle;

    #[test]
    fn positive_weight_dilates_either_orientation() {
        let c = Circle::new((0.0, 0.0), 10.0).to_path(1e-4);
        let mut rev = c.clone();
        rev = kurbo::BezPath::from_vec(rev.reverse_subpaths().elements().to_vec());
        for p in [c, rev] {
            let d = displace(&p, 1.0, |_| Vec2::ZERO, |_| 1.0);
            assert!(
                (d.area().abs() - std::f64::consts::PI * 121.0).abs() < 0.5,
                "{}",
                d.area()
            );
        }
    }

    #[test]
    fn clips_wobble_with_what_they_clip() {
        use crate::pattern::FillRule;
        let mut p = crate::Design::builtin("kawung").unwrap().resolve().unwrap();
        let centre = (p.lattice.a + p.lattice.b) * 0.5;
        let r = p.lattice.a.hypot().min(p.lattice.b.hypot()) * 0.3;
        let disc = Circle::new(centre.to_point(), r).to_path(1e-4);
        p.clips = vec![Clip::new(disc.clone(), None)];
        p.fills = Arc::new(vec![Fill {
            clip: Some(0),
            ..Fill::new(disc.clone(), 0, FillRule::NonZero)
        }]);
        // Without a change of weight a fill moves exactly as a clip does, so
        // a fill clipped to its own outline must keep matching it.
        let t = Tulis {
            weight_mm: 0.0,
            ..Tulis::default()
        }
        .apply(&p, 9);
        let (fill, clip) = (&t.fills[0].path, &t.clips[0].path);
        assert_ne!(clip.elements(), disc.elements(), "the clip did not move");
        assert_eq!(fill.elements(), clip.elements());
        assert_eq!(t.clips[0].bbox, clip.bounding_box());
    }

    #[test]
    fn wobble_is_periodic_in_the_lattice() {
        let l = Lattice {
            a: Vec2::new(3.0, 0.0),
            b: Vec2::new(1.0, 2.0),
        };
        let w = Waves::new(&l, 0.7, 0.1, 5, 1);
        let p = Point::new(0.4, 0.9);
        let d = w.vector(p) - w.vector(p + l.a * 2.0 - l.b);
        assert!(d.hypot() < 1e-9);
    }
}
