//! Translation lattices.

use kurbo::{Affine, Point, Rect, Vec2};

/// A 2D lattice spanned by `a` and `b` (drawing units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lattice {
    /// First basis vector.
    pub a: Vec2,
    /// Second basis vector.
    pub b: Vec2,
}

impl Lattice {
    /// A rectangular lattice `w` × `h`.
    pub fn rect(w: f64, h: f64) -> Self {
        Lattice {
            a: Vec2::new(w, 0.0),
            b: Vec2::new(0.0, h),
        }
    }

    /// The map from fractional (lattice) coordinates to drawing coordinates.
    pub fn basis(&self) -> Affine {
        Affine::new([self.a.x, self.a.y, self.b.x, self.b.y, 0.0, 0.0])
    }

    /// The lattice under the linear part of `t` (translation ignored: a
    /// lattice is a set of vectors, not of points).
    pub fn linear_image(&self, t: Affine) -> Lattice {
        let c = t.as_coeffs();
        let lin = |v: Vec2| Vec2::new(c[0] * v.x + c[2] * v.y, c[1] * v.x + c[3] * v.y);
        Lattice {
            a: lin(self.a),
            b: lin(self.b),
        }
    }

    /// Area of one cell.
    pub fn cell_area(&self) -> f64 {
        self.a.cross(self.b).abs()
    }

    /// The translation `n·a + m·b`.
    pub fn at(&self, n: i64, m: i64) -> Vec2 {
        self.a * n as f64 + self.b * m as f64
    }

    /// The smallest axis-aligned rectangular period `(w, h)`, if the lattice
    /// has one made of small integer combinations (every rectangular, square and
    /// hexagonal lattice does; a generic oblique one does not).
    pub fn rect_period(&self) -> Option<(f64, f64)> {
        let (x, y) = self.rect_period_steps()?;
        Some((self.at(x.0, x.1).x, self.at(y.0, y.1).y))
    }

    /// The integer combinations `(n, m)` whose translations are the sides of
    /// [`rect_period`](Self::rect_period): `(along x, along y)`.
    pub fn rect_period_steps(&self) -> Option<((i64, i64), (i64, i64))> {
        let eps = 1e-9 * (self.a.hypot() + self.b.hypot());
        let mut best_x: Option<(f64, (i64, i64))> = None;
        let mut best_y: Option<(f64, (i64, i64))> = None;
        for n in -6i64..=6 {
            for m in -6i64..=6 {
                if n == 0 && m == 0 {
                    continue;
                }
                let v = self.at(n, m);
                if v.y.abs() < eps && v.x > eps && best_x.is_none_or(|b| v.x < b.0 - eps) {
                    best_x = Some((v.x, (n, m)));
                }
                if v.x.abs() < eps && v.y > eps && best_y.is_none_or(|b| v.y < b.0 - eps) {
                    best_y = Some((v.y, (n, m)));
                }
            }
        }
        Some((best_x?.1, best_y?.1))
    }

    /// Every `(n, m)` whose translate of `bbox` meets `view` (all in drawing units).
    pub fn translations_meeting(&self, bbox: Rect, view: Rect) -> Vec<(i64, i64)> {
        let Some(inv) = invert(self.basis()) else {
            return Vec::new();
        };
        // t must lie in view ⊖ bbox: [view.x0 - bbox.x1, view.x1 - bbox.x0] × …
        let region = Rect::new(
            view.x0 - bbox.x1,
            view.y0 - bbox.y1,
            view.x1 - bbox.x0,
            view.y1 - bbox.y0,
        );
        let corners = [
            Point::new(region.x0, region.y0),
            Point::new(region.x1, region.y0),
            Point::new(region.x0, region.y1),
            Point::new(region.x1, region.y1),
        ];
        let (mut n0, mut n1, mut m0, mut m1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for c in corners {
            let f = inv * c;
            n0 = n0.min(f.x);
            n1 = n1.max(f.x);
            m0 = m0.min(f.y);
            m1 = m1.max(f.y);
        }
        let mut out = Vec::new();
        for n in (n0.floor() as i64)..=(n1.ceil() as i64) {
            for m in (m0.floor() as i64)..=(m1.ceil() as i64) {
                let t = self.at(n, m);
                let moved = Rect::new(bbox.x0 + t.x, bbox.y0 + t.y, bbox.x1 + t.x, bbox.y1 + t.y);
                if moved.x1 >= view.x0
                    && moved.x0 <= view.x1
                    && moved.y1 >= view.y0
                    && moved.y0 <= view.y1
                {
                    out.push((n, m));
                }
            }
        }
        out
    }

    /// Fractional coordinates of `p` reduced to `[0, 1)²`, as a translation that
    /// brings `p` into the fundamental cell.
    pub fn reduce(&self, p: Point) -> Vec2 {
        let Some(inv) = invert(self.basis()) else {
            return Vec2::ZERO;
        };
        // A hair of slack keeps points on a cell edge (0 computed as -1e-17) in
        // the cell, so symmetric images of one shape reduce to the same place.
        let f = inv * p;
        -self.at((f.x + 1e-7).floor() as i64, (f.y + 1e-7).floor() as i64)
    }
}

/// The inverse of an affine map, if it is invertible.
pub fn invert(t: Affine) -> Option<Affine> {
    let d = t.determinant();
    (d.is_finite() && d.abs() > 1e-300).then(|| t.inverse())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexagonal_lattice_has_root3_period() {
        let l = Lattice {
            a: Vec2::new(1.0, 0.0),
            b: Vec2::new(-0.5, 3f64.sqrt() / 2.0),
        };
        let (w, h) = l.rect_period().unwrap();
        assert!((w - 1.0).abs() < 1e-12 && (h - 3f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn translations_cover_view() {
        let l = Lattice::rect(1.0, 1.0);
        let t =
            l.translations_meeting(Rect::new(0.0, 0.0, 0.5, 0.5), Rect::new(0.0, 0.0, 3.0, 2.0));
        assert!(t.contains(&(0, 0)) && t.contains(&(2, 1)) && t.contains(&(3, 2)));
        assert!(!t.contains(&(4, 0)) && !t.contains(&(-1, 0)));
    }
}
