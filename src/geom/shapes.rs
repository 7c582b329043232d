//! Shape builders kurbo does not provide, and the [`Shape`] enum that the motif
//! format resolves to.

use kurbo::{Affine, BezPath, Circle, Ellipse, Point, Rect, Shape as _, Vec2};

/// Tolerance for converting arcs and ellipses to Béziers, in drawing units
/// relative to a unit cell; 1e-4 of a 50 mm repeat is 5 µm, far below a pixel.
pub const CURVE_TOLERANCE: f64 = 1e-4;

/// A closed or open primitive, in drawing units, before styling.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A circle.
    Circle {
        /// Centre.
        center: Point,
        /// Radius.
        radius: f64,
    },
    /// An ellipse, rotated by `rotation` radians.
    Ellipse {
        /// Centre.
        center: Point,
        /// Semi-axes (x, y) before rotation.
        radii: Vec2,
        /// Rotation in radians.
        rotation: f64,
    },
    /// An axis-aligned rectangle.
    Rect(Rect),
    /// Any Bézier path (lines, arcs already converted, quads, cubics).
    Path(BezPath),
}

impl Shape {
    /// The shape as a Bézier path.
    pub fn to_path(&self) -> BezPath {
        match self {
            Shape::Circle { center, radius } => {
                Circle::new(*center, *radius).to_path(CURVE_TOLERANCE)
            }
            Shape::Ellipse {
                center,
                radii,
                rotation,
            } => Ellipse::new(*center, *radii, *rotation).to_path(CURVE_TOLERANCE),
            Shape::Rect(r) => r.to_path(CURVE_TOLERANCE),
            Shape::Path(p) => p.clone(),
        }
    }

    /// The shape's path under an affine map.
    pub fn transformed(&self, t: Affine) -> BezPath {
        let mut p = self.to_path();
        p.apply_affine(t);
        p
    }
}

/// A regular polygon with `sides` vertices on a circle of `radius`, the first
/// vertex at angle `rotation` (radians, 0 = +x, counter-clockwise in y-up terms).
pub fn regular_polygon(center: Point, radius: f64, sides: u32, rotation: f64) -> BezPath {
    let n = sides.max(3);
    polygon((0..n).map(|i| {
        let a = rotation + std::f64::consts::TAU * i as f64 / n as f64;
        center + radius * Vec2::from_angle(a)
    }))
}

/// A star with `points` tips on `outer` radius and valleys on `inner` radius.
pub fn star(center: Point, outer: f64, inner: f64, points: u32, rotation: f64) -> BezPath {
    let n = points.max(2);
    polygon((0..2 * n).map(|i| {
        let r = if i % 2 == 0 { outer } else { inner };
        let a = rotation + std::f64::consts::PI * i as f64 / n as f64;
        center + r * Vec2::from_angle(a)
    }))
}

/// A closed polygon through `points`.
pub fn polygon(points: impl IntoIterator<Item = Point>) -> BezPath {
    let mut p = BezPath::new();
    for (i, pt) in points.into_iter().enumerate() {
        if i == 0 {
            p.move_to(pt);
        } else {
            p.line_to(pt);
        }
    }
    p.close_path();
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_has_twice_the_vertices_and_right_radii() {
        let s = star(Point::ZERO, 2.0, 1.0, 8, 0.0);
        let pts: Vec<_> = s.elements().iter().filter_map(|e| e.end_point()).collect();
        assert_eq!(pts.len(), 16);
        assert!((pts[0].distance(Point::ZERO) - 2.0).abs() < 1e-12);
        assert!((pts[1].distance(Point::ZERO) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hexagon_area_is_exact() {
        let h = regular_polygon(Point::ZERO, 1.0, 6, 0.0);
        let expected = 3.0 * 3f64.sqrt() / 2.0;
        assert!((h.area().abs() - expected).abs() < 1e-12);
    }

    #[test]
    fn ellipse_bbox_matches_rotation() {
        let e = Shape::Ellipse {
            center: Point::ZERO,
            radii: Vec2::new(2.0, 1.0),
            rotation: std::f64::consts::FRAC_PI_2,
        };
        let b = e.to_path().bounding_box();
        assert!(
            (b.width() - 2.0).abs() < 1e-3 && (b.height() - 4.0).abs() < 1e-3,
            "{b:?}"
        );
    }
}
