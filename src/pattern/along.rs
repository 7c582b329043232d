//! Marks placed along a path: the cecek contours that follow a shape's outline
//! in batik, the dotted lines of nitik.
//!
//! Marks are placed at equal arc-length steps along each segment of the guide,
//! the step adjusted so a whole number fits: every vertex carries a mark (a
//! dotted diamond has dots at its corners), a symmetric guide gets symmetric
//! marks, and a closed contour has no gap or crowding where it closes; an open
//! guide has marks at both ends. `offset` moves marks off the guide along
//! its normal — outward for a closed guide, so a dotted contour can ring a
//! shape without touching its outline.

use kurbo::{
    Affine, BezPath, Circle, CubicBez, Line, ParamCurve, ParamCurveArclen, PathEl, PathSeg, Point,
    QuadBez, Rect, Shape as _, Vec2,
};

use super::resolve::TOLERANCE;

/// Most marks one `along` shape may place.
pub const MAX_MARKS: usize = 100_000;

/// A mark's shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A dot of radius `size`.
    Dot,
    /// An axis-aligned square of side `2 × size` (the canting cawang's dot).
    Square,
    /// A dash `length` long and `2 × size` wide, along the guide.
    Dash(f64),
}

/// Marks along `guide`, about `spacing` apart, `offset` off the guide.
///
/// Each segment of the guide gets a whole number of equal steps, so every
/// vertex carries a mark and a symmetric guide gets symmetric marks.
pub fn along(
    guide: &BezPath,
    spacing: f64,
    size: f64,
    mark: Mark,
    offset: f64,
) -> Result<Vec<BezPath>, String> {
    if spacing <= 0.0 || size <= 0.0 {
        return Err(format!(
            "`spacing` = {spacing} and `size` = {size} must be positive"
        ));
    }
    let mut out = Vec::new();
    for (segs, closed) in subpaths(guide) {
        let mut sub = BezPath::new();
        for (i, s) in segs.iter().enumerate() {
            if i == 0 {
                sub.move_to(s.start());
            }
            sub.push(s.as_path_el());
        }
        // Outward is to the right of travel on a positively oriented loop.
        let outward = if closed && sub.area() < 0.0 {
            -1.0
        } else {
            1.0
        };
        for (i, seg) in segs.iter().enumerate() {
            let len = seg.arclen(TOLERANCE);
            if len <= 0.0 {
                continue;
            }
            let n = (len / spacing).round().max(1.0);
            if out.len() as f64 + n > MAX_MARKS as f64 {
                return Err(format!(
                    "spacing {spacing} places more than {MAX_MARKS} marks, the limit"
                ));
            }
            let last = !closed && i + 1 == segs.len();
            let count = n as usize + usize::from(last);
            for k in 0..count {
                let t = seg.inv_arclen(len * k as f64 / n, TOLERANCE);
                let dir = tangent(seg, t);
                let mut normal = Vec2::new(dir.y, -dir.x) * outward;
                // At a vertex, mark off the corner along the bisector.
                let prev = if i > 0 {
                    Some(i - 1)
                } else {
                    closed.then(|| segs.len() - 1)
                };
                if let (0, Some(j)) = (k, prev) {
                    let d = tangent(&segs[j], 1.0);
                    let m = normal + Vec2::new(d.y, -d.x) * outward;
                    if m.hypot() > 1e-9 {
                        normal = m.normalize();
                    }
                }
                let c = seg.eval(t) + normal * offset;
                out.push(mark_at(mark, c, size, dir));
            }
        }
    }
    Ok(out)
}

/// The unit tangent of `seg` at `t`.
fn tangent(seg: &PathSeg, t: f64) -> Vec2 {
    let (a, b) = (seg.eval((t - 1e-4).max(0.0)), seg.eval((t + 1e-4).min(1.0)));
    (b - a).normalize()
}

fn mark_at(mark: Mark, c: Point, size: f64, dir: Vec2) -> BezPath {
    match mark {
        Mark::Dot => Circle::new(c, size).to_path(TOLERANCE),
        Mark::Square => Rect::from_center_size(c, (2.0 * size, 2.0 * size)).to_path(TOLERANCE),
        Mark::Dash(len) => {
            let mut p = Rect::from_center_size(Point::ORIGIN, (len, 2.0 * size)).to_path(TOLERANCE);
            p.apply_affine(Affine::translate(c.to_vec2()) * Affine::rotate(dir.atan2()));
            p
        }
    }
}

/// The guide's subpaths as segments, each with whether it is closed (a
/// closing line is added when the end is not the start).
fn subpaths(guide: &BezPath) -> Vec<(Vec<PathSeg>, bool)> {
    let mut out: Vec<(Vec<PathSeg>, bool)> = Vec::new();
    let mut cur: Vec<PathSeg> = Vec::new();
    let mut start = Point::ORIGIN;
    let mut last = Point::ORIGIN;
    for el in guide.elements() {
        let seg = match *el {
            PathEl::MoveTo(p) => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), false));
                }
                start = p;
                last = p;
                continue;
            }
            PathEl::LineTo(p) => PathSeg::Line(Line::new(last, p)),
            PathEl::QuadTo(a, p) => PathSeg::Quad(QuadBez::new(last, a, p)),
            PathEl::CurveTo(a, b, p) => PathSeg::Cubic(CubicBez::new(last, a, b, p)),
            PathEl::ClosePath => {
                if last.distance(start) > 1e-12 {
                    cur.push(PathSeg::Line(Line::new(last, start)));
                }
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), true));
                }
                last = start;
                continue;
            }
        };
        last = seg.end();
        cur.push(seg);
    }
    if !cur.is_empty() {
        out.push((cur, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_ring_a_circle_evenly_at_the_offset() {
        let c = Circle::new((0.0, 0.0), 1.0).to_path(1e-6);
        let spacing = std::f64::consts::TAU / 12.0;
        let dots = along(&c, spacing, 0.02, Mark::Dot, 0.1).unwrap();
        // Each of the circle's Bézier segments gets a whole number of steps.
        assert!((11..=13).contains(&dots.len()), "{}", dots.len());
        let centres: Vec<Point> = dots.iter().map(|d| d.bounding_box().center()).collect();
        for (i, p) in centres.iter().enumerate() {
            let r = p.to_vec2().hypot();
            assert!((r - 1.1).abs() < 1e-3, "outward offset: {r}");
            let next = centres[(i + 1) % centres.len()];
            let gap = p.distance(next) / 1.1;
            assert!(gap > 0.7 * spacing && gap < 1.4 * spacing, "even: {gap}");
        }
        // The same ring drawn the other way round is still outside.
        let mut rev = BezPath::new();
        rev.move_to((1.0, 0.0));
        for k in 1..=360 {
            let a = -(k as f64).to_radians();
            rev.line_to((a.cos(), a.sin()));
        }
        rev.close_path();
        let dots = along(&rev, 0.5, 0.02, Mark::Dot, 0.1).unwrap();
        assert!(dots
            .iter()
            .all(|d| d.bounding_box().center().to_vec2().hypot() > 1.05));
    }

    #[test]
    fn corner_marks_sit_on_the_bisector() {
        let mut sq = BezPath::new();
        sq.move_to((0.0, 0.0));
        sq.line_to((1.0, 0.0));
        sq.line_to((1.0, 1.0));
        sq.line_to((0.0, 1.0));
        sq.close_path();
        let dots = along(&sq, 0.5, 0.01, Mark::Dot, 0.1).unwrap();
        assert_eq!(dots.len(), 8);
        let c = dots[0].bounding_box().center();
        let d = 0.1 / std::f64::consts::SQRT_2;
        assert!((c - Point::new(-d, -d)).hypot() < 1e-6, "{c:?}");
    }

    #[test]
    fn open_guides_have_marks_at_both_ends_and_squares_are_square() {
        let mut l = BezPath::new();
        l.move_to((0.0, 0.0));
        l.line_to((1.0, 0.0));
        let sq = along(&l, 0.25, 0.05, Mark::Square, 0.0).unwrap();
        assert_eq!(sq.len(), 5);
        let b = sq[4].bounding_box();
        assert!((b.center().x - 1.0).abs() < 1e-9);
        assert!((b.width() - 0.1).abs() < 1e-9 && (b.height() - 0.1).abs() < 1e-9);
        let dash = along(&l, 0.5, 0.01, Mark::Dash(0.2), 0.0).unwrap();
        let b = dash[1].bounding_box();
        assert!((b.width() - 0.2).abs() < 1e-9 && (b.height() - 0.02).abs() < 1e-9);
    }
}
