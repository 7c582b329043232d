//! Stepped colour bands: Mega Mendung's clouds, drawn as bands of equal width
//! stepping inward from the outline, each a colour step lighter.
//!
//! Band `k` (from 1 at the outline) is the part of the shape whose distance to
//! the outline lies in `[(k-1)·w, k·w)`; the last band is the whole core.
//! They are painted back to front: the shape in the innermost colour, then for
//! `k = count-1 … 1` the outline stroked with width `2·k·w` and round joins —
//! exactly the points within `k·w` of the outline — in band `k`'s colour,
//! clipped to the shape. Each stroke covers the inner bands' outer parts, so
//! every point ends up the colour of its distance band.
//!
//! Why strokes: a stroke of the outline is an exact distance band in kurbo (in
//! f64, within tolerance) for any closed shape, convex or not, so the bands keep
//! an even width round the cloud's curls and pointed ends, and inner bands
//! vanish where the cloud is thin, as a hand-drawn cloud's do. Rejected:
//! nested scaled copies of the outline (bands of uneven width that cross the
//! outline on a non-convex cloud) and a closed-path offset (kurbo has none that
//! is robust for self-intersecting results).

use kurbo::{BezPath, Cap, Join, Stroke, StrokeOpts};

use super::resolve::TOLERANCE;

/// Which of `roles` colours band `k` (0-based, from the outline) of `count`:
/// the count bands take colours spread evenly over the list, first to last.
pub fn role_of_band(k: usize, count: usize, roles: usize) -> usize {
    if count <= 1 || roles <= 1 {
        return 0;
    }
    ((k * (roles - 1)) as f64 / (count - 1) as f64).round() as usize
}

/// The filled outline covering every point within `distance` of `outline`.
pub fn within(outline: &BezPath, distance: f64) -> BezPath {
    let style = Stroke::new(2.0 * distance)
        .with_join(Join::Round)
        .with_caps(Cap::Round);
    kurbo::stroke(outline.iter(), &style, &StrokeOpts::default(), TOLERANCE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::{Circle, Point, Shape as _};

    #[test]
    fn colours_spread_over_the_roles() {
        let v: Vec<usize> = (0..3).map(|k| role_of_band(k, 3, 7)).collect();
        assert_eq!(v, vec![0, 3, 6]);
        let v: Vec<usize> = (0..7).map(|k| role_of_band(k, 7, 7)).collect();
        assert_eq!(v, (0..7).collect::<Vec<_>>());
        assert_eq!(role_of_band(0, 1, 7), 0);
    }

    #[test]
    fn a_band_is_the_points_within_its_distance() {
        let c = Circle::new((0.0, 0.0), 1.0).to_path(1e-6);
        let b = within(&c, 0.2);
        let inside = |p: Point| b.winding(p) != 0;
        assert!(inside(Point::new(0.85, 0.0)) && inside(Point::new(0.0, -1.15)));
        assert!(!inside(Point::new(0.75, 0.0)) && !inside(Point::new(0.0, 0.0)));
    }
}
