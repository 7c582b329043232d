//! Marks placed along a path: the cecek contours that follow a shape's outline
//! in batik, the dotted lines of nitik.
//!
//! The guide is flattened (within [`TOLERANCE`]) and marks are placed at equal
//! arc-length steps. On a closed guide the step is adjusted so a whole number of
//! marks goes round with no gap or crowding where the contour closes; on an
//! open guide marks sit at both ends. `offset` moves marks off the guide along
//! its normal — outward for a closed guide, so a dotted contour can ring a
//! shape without touching its outline.

use kurbo::{Affine, BezPath, Circle, PathEl, Point, Rect, Shape as _, Vec2};

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

/// Marks along `guide`, `spacing` apart, `offset` off the guide.
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
    for (pts, closed) in polylines(guide) {
        let lens: Vec<f64> = pts.windows(2).map(|w| w[0].distance(w[1])).collect();
        let total: f64 = lens.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let n = (total / spacing).round().max(1.0);
        if out.len() as f64 + n > MAX_MARKS as f64 {
            return Err(format!(
                "spacing {spacing} places more than {MAX_MARKS} marks, the limit"
            ));
        }
        let step = total / n;
        let count = if closed { n as usize } else { n as usize + 1 };
        // Outward is to the right of travel on a positively oriented loop.
        let area: f64 = pts
            .windows(2)
            .map(|w| w[0].to_vec2().cross(w[1].to_vec2()))
            .sum();
        let outward = if closed && area < 0.0 { -1.0 } else { 1.0 };
        let mut seg = 0;
        let mut before = 0.0;
        for k in 0..count {
            let s = (k as f64 * step).min(total);
            while seg + 1 < lens.len() && before + lens[seg] < s {
                before += lens[seg];
                seg += 1;
            }
            let (a, b) = (pts[seg], pts[seg + 1]);
            let dir = (b - a).normalize();
            let t = if lens[seg] > 0.0 {
                ((s - before) / lens[seg]).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let normal = Vec2::new(dir.y, -dir.x) * outward;
            let c = a.lerp(b, t) + normal * offset;
            out.push(match mark {
                Mark::Dot => Circle::new(c, size).to_path(TOLERANCE),
                Mark::Square => {
                    Rect::from_center_size(c, (2.0 * size, 2.0 * size)).to_path(TOLERANCE)
                }
                Mark::Dash(len) => {
                    let mut p =
                        Rect::from_center_size(Point::ORIGIN, (len, 2.0 * size)).to_path(TOLERANCE);
                    p.apply_affine(Affine::translate(c.to_vec2()) * Affine::rotate(dir.atan2()));
                    p
                }
            });
        }
    }
    Ok(out)
}

/// The guide's subpaths as polylines, each with whether it is closed (and then
/// its last point repeats the first).
fn polylines(guide: &BezPath) -> Vec<(Vec<Point>, bool)> {
    let mut out: Vec<(Vec<Point>, bool)> = Vec::new();
    let mut cur: Vec<Point> = Vec::new();
    kurbo::flatten(guide.iter(), TOLERANCE, |el| match el {
        PathEl::MoveTo(p) => {
            if cur.len() > 1 {
                out.push((std::mem::take(&mut cur), false));
            }
            cur = vec![p];
        }
        PathEl::LineTo(p) => cur.push(p),
        PathEl::ClosePath => {
            if let Some(&first) = cur.first() {
                if cur.last() != Some(&first) {
                    cur.push(first);
                }
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), true));
                }
                cur = vec![first];
            }
        }
        _ => {}
    });
    if cur.len() > 1 {
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
        let dots = along(&c, std::f64::consts::TAU / 12.0, 0.02, Mark::Dot, 0.1).unwrap();
        assert_eq!(dots.len(), 12);
        for d in &dots {
            let r = d.bounding_box().center().to_vec2().hypot();
            assert!((r - 1.1).abs() < 1e-3, "outward offset: {r}");
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
