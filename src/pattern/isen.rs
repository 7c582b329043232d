//! Isen-isen: the small fillers batik makers draw inside shapes.
//!
//! A filler covers a host region (a layer's `clip`) with elements laid on a
//! grid of `spacing` centred on the host's bounding box, turned by `rotate`
//! degrees:
//!
//! | isen | element | grid | kept |
//! |---|---|---|---|
//! | `cecek` | dot of radius `size` | triangular | whole |
//! | `cecek-telu` | three dots in a triangle | triangular | whole |
//! | `cecek-pitu` | a dot with six around it | triangular | whole |
//! | `ukel` | a small curl (spiral) of radius `size`, line `width` | triangular | whole |
//! | `sawut` | fine parallel lines of `width` | rows | clipped |
//! | `galaran` | slanted parallel lines of `width` (default 45°) | rows | clipped |
//! | `sisik` | scale arcs of radius `spacing / 2`, line `width` | staggered rows | clipped |
//!
//! A canting never draws half a dot, so dots and curls are kept **whole**: an
//! element is drawn only when it lies inside the host with `margin` to spare,
//! and needs no clipping. Lines and scales run to the edge and are clipped to
//! the host by the renderer.

use kurbo::{
    Affine, BezPath, Cap, Circle, Join, Point, Rect, Shape as _, Stroke, StrokeOpts, Vec2,
};

use super::resolve::TOLERANCE;

/// Most elements one filler may generate.
pub const MAX_ELEMENTS: usize = 100_000;

/// The fillers.
pub const KINDS: [&str; 8] = [
    "cecek",
    "nitik",
    "cecek-telu",
    "cecek-pitu",
    "ukel",
    "sawut",
    "galaran",
    "sisik",
];

/// A filler's parameters, in drawing units.
#[derive(Debug, Clone, PartialEq)]
pub struct Isen {
    /// One of [`KINDS`].
    pub kind: String,
    /// Grid spacing.
    pub spacing: f64,
    /// Element size (dot, curl radius).
    pub size: f64,
    /// Line width.
    pub width: f64,
    /// Grid rotation, degrees.
    pub rotate: f64,
    /// Clearance from the host's edge for whole elements.
    pub margin: f64,
}

/// Elements of a filler, and whether they must be clipped to the host.
#[derive(Debug, Clone)]
pub struct Filler {
    /// Filled outlines.
    pub paths: Vec<BezPath>,
    /// Whether the elements run past the host's edge (and must be clipped).
    pub clipped: bool,
}

impl Isen {
    /// The default line width and rotation of a filler kind.
    pub fn defaults(kind: &str, size: f64, spacing: f64) -> (f64, f64) {
        match kind {
            "galaran" => (spacing * 0.3, 45.0),
            "sawut" => (spacing * 0.3, 0.0),
            "sisik" => (spacing * 0.06, 0.0),
            "ukel" => (size * 0.3, 0.0),
            _ => (size, 0.0),
        }
    }

    /// Fills `host`.
    pub fn fill(&self, host: &BezPath) -> Result<Filler, String> {
        if !KINDS.contains(&self.kind.as_str()) {
            return Err(crate::error::UserError::unknown("isen", &self.kind, KINDS).to_string());
        }
        for (v, n) in [
            (self.spacing, "spacing"),
            (self.size, "size"),
            (self.width, "width"),
        ] {
            if v <= 0.0 {
                return Err(format!("`{n}` = {v} must be positive"));
            }
        }
        let bbox = host.bounding_box();
        // The grid is centred on the host, so a symmetric host gets a
        // symmetric filler.
        let rot =
            Affine::translate(bbox.center().to_vec2()) * Affine::rotate(self.rotate.to_radians());
        // The host's box in the grid's own (unrotated) frame.
        let frame = rot
            .inverse()
            .transform_rect_bbox(bbox)
            .inflate(self.spacing, self.spacing);
        let row_h = match self.kind.as_str() {
            "sawut" | "galaran" | "nitik" => self.spacing,
            "sisik" => self.spacing / 2.0,
            _ => self.spacing * 3f64.sqrt() / 2.0,
        };
        let count = (frame.width() / self.spacing) * (frame.height() / row_h);
        if count > MAX_ELEMENTS as f64 {
            return Err(format!(
                "spacing {} is too fine for the region: {} elements, more than the limit {MAX_ELEMENTS}",
                self.spacing, count as u64
            ));
        }
        let inside = |c: Point, r: f64| {
            let r = r + self.margin;
            host.winding(c) != 0
                && (0..8).all(|k| {
                    let a = std::f64::consts::FRAC_PI_4 * k as f64;
                    host.winding(c + r * Vec2::from_angle(a)) != 0
                })
        };
        let mut paths = Vec::new();
        match self.kind.as_str() {
            "sawut" | "galaran" => {
                for (_, y) in rows(frame, row_h) {
                    let r = Rect::new(
                        frame.x0,
                        y - self.width / 2.0,
                        frame.x1,
                        y + self.width / 2.0,
                    );
                    let mut p = r.to_path(TOLERANCE);
                    p.apply_affine(rot);
                    paths.push(p);
                }
                return Ok(Filler {
                    paths,
                    clipped: true,
                });
            }
            "sisik" => {
                let r = self.spacing / 2.0;
                let style = Stroke::new(self.width).with_caps(Cap::Butt);
                for (i, y) in rows(frame, row_h) {
                    let shift = if i.rem_euclid(2) == 1 { r } else { 0.0 };
                    for x in columns(frame, self.spacing, shift) {
                        // The lower half of a circle: a scale seen from above.
                        let arc = kurbo::Arc::new((x, y), (r, r), 0.0, std::f64::consts::PI, 0.0);
                        let mut p = kurbo::stroke(
                            arc.path_elements(TOLERANCE),
                            &style,
                            &StrokeOpts::default(),
                            TOLERANCE,
                        );
                        p.apply_affine(rot);
                        paths.push(p);
                    }
                }
                return Ok(Filler {
                    paths,
                    clipped: true,
                });
            }
            _ => {}
        }
        // nitik is a square grid (a raster); the others are triangular.
        let staggered = self.kind != "nitik";
        for (i, y) in rows(frame, row_h) {
            let shift = if staggered && i.rem_euclid(2) == 1 {
                self.spacing / 2.0
            } else {
                0.0
            };
            for x in columns(frame, self.spacing, shift) {
                let c = rot * Point::new(x, y);
                let (elements, reach) = self.element(c);
                if inside(c, reach) {
                    paths.extend(elements);
                }
            }
        }
        Ok(Filler {
            paths,
            clipped: false,
        })
    }

    /// The element centred at `c` and the radius it reaches.
    fn element(&self, c: Point) -> (Vec<BezPath>, f64) {
        let dot = |p: Point, r: f64| Circle::new(p, r).to_path(TOLERANCE);
        let turn = self.rotate.to_radians();
        match self.kind.as_str() {
            "cecek" => (vec![dot(c, self.size)], self.size),
            "nitik" => {
                let mut sq =
                    Rect::from_center_size(Point::ORIGIN, (2.0 * self.size, 2.0 * self.size))
                        .to_path(TOLERANCE);
                sq.apply_affine(Affine::translate(c.to_vec2()) * Affine::rotate(turn));
                (vec![sq], self.size * std::f64::consts::SQRT_2)
            }
            "cecek-telu" => {
                let d = self.size * 1.6;
                let ps = (0..3).map(|k| {
                    let a =
                        turn - std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / 3.0;
                    dot(c + d * Vec2::from_angle(a), self.size)
                });
                (ps.collect(), d + self.size)
            }
            "cecek-pitu" => {
                let d = self.size * 2.6;
                let mut v = vec![dot(c, self.size)];
                v.extend((0..6).map(|k| {
                    let a = turn + std::f64::consts::TAU * k as f64 / 6.0;
                    dot(c + d * Vec2::from_angle(a), self.size * 0.8)
                }));
                (v, d + self.size * 0.8)
            }
            _ => {
                // ukel: an Archimedean spiral of 1.6 turns from the rim inwards.
                let turns = 1.6 * std::f64::consts::TAU;
                let mut p = BezPath::new();
                let n = 48;
                for k in 0..=n {
                    let t = k as f64 / n as f64;
                    let r = self.size * (1.0 - 0.85 * t);
                    let q = c + r * Vec2::from_angle(turn + t * turns);
                    if k == 0 {
                        p.move_to(q);
                    } else {
                        p.line_to(q);
                    }
                }
                let style = Stroke::new(self.width)
                    .with_caps(Cap::Round)
                    .with_join(Join::Round);
                let out = kurbo::stroke(p.iter(), &style, &StrokeOpts::default(), TOLERANCE);
                (vec![out], self.size + self.width / 2.0)
            }
        }
    }
}

/// x of the grid columns covering `frame`, shifted by `shift`.
fn columns(frame: Rect, spacing: f64, shift: f64) -> impl Iterator<Item = f64> {
    let first = ((frame.x0 - shift) / spacing).floor() as i64;
    let last = ((frame.x1 - shift) / spacing).ceil() as i64;
    (first..=last).map(move |k| k as f64 * spacing + shift)
}

/// `(row number, y)` of the rows covering `frame`. Rows are numbered from the
/// grid's origin, so the stagger does not depend on where the host is.
fn rows(frame: Rect, row_h: f64) -> impl Iterator<Item = (i64, f64)> {
    let first = (frame.y0 / row_h).floor() as i64;
    let last = (frame.y1 / row_h).ceil() as i64;
    (first..=last).map(move |i| (i, i as f64 * row_h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isen(kind: &str, spacing: f64, size: f64) -> Isen {
        let (width, rotate) = Isen::defaults(kind, size, spacing);
        Isen {
            kind: kind.into(),
            spacing,
            size,
            width,
            rotate,
            margin: size / 2.0,
        }
    }

    #[test]
    fn cecek_dots_are_whole_and_inside_the_host() {
        let host = Circle::new((0.0, 0.0), 1.0).to_path(1e-6);
        let f = isen("cecek", 0.2, 0.03).fill(&host).unwrap();
        assert!(!f.clipped);
        // About area / cell area dots: pi / (0.2² · √3/2) ≈ 90, fewer near the rim.
        assert!((60..=95).contains(&f.paths.len()), "{}", f.paths.len());
        for p in &f.paths {
            let b = p.bounding_box();
            assert!((b.width() - 0.06).abs() < 1e-3, "a dot is whole");
            assert!(b.center().to_vec2().hypot() + 0.03 <= 1.0, "inside");
        }
    }

    #[test]
    fn nitik_dots_are_squares_on_a_square_grid() {
        let host = Rect::new(0.0, 0.0, 1.0, 1.0).to_path(1e-6);
        let f = isen("nitik", 0.1, 0.02).fill(&host).unwrap();
        // Centres 0.1 apart whose squares (reach 0.02·√2 + margin 0.01) fit: 0.1 ..= 0.9.
        assert_eq!(f.paths.len(), 81);
        let b = f.paths[0].bounding_box();
        assert!((b.width() - 0.04).abs() < 1e-9 && (b.height() - 0.04).abs() < 1e-9);
    }

    #[test]
    fn cecek_pitu_has_seven_dots_per_cluster() {
        let host = Rect::new(0.0, 0.0, 1.0, 1.0).to_path(1e-6);
        let f = isen("cecek-pitu", 0.3, 0.02).fill(&host).unwrap();
        assert_eq!(f.paths.len() % 7, 0);
        assert!(!f.paths.is_empty());
    }

    #[test]
    fn lines_cover_the_host_at_their_spacing_and_are_clipped() {
        let host = Rect::new(0.0, 0.0, 1.0, 1.0).to_path(1e-6);
        let f = isen("sawut", 0.1, 0.01).fill(&host).unwrap();
        assert!(f.clipped);
        // Horizontal lines 0.1 apart over a frame inflated by one spacing.
        let inside = f
            .paths
            .iter()
            .filter(|p| (-0.01..=1.01).contains(&p.bounding_box().center().y))
            .count();
        assert_eq!(inside, 11);
        let g = isen("galaran", 0.1, 0.01).fill(&host).unwrap();
        let b = g.paths[0].bounding_box();
        assert!((b.width() - b.height()).abs() < 1e-6, "45° lines: {b:?}");
    }

    #[test]
    fn ukel_and_sisik_make_curves() {
        let host = Rect::new(0.0, 0.0, 1.0, 1.0).to_path(1e-6);
        let u = isen("ukel", 0.25, 0.08).fill(&host).unwrap();
        assert!(!u.paths.is_empty() && !u.clipped);
        let s = isen("sisik", 0.25, 0.08).fill(&host).unwrap();
        assert!(s.clipped && s.paths.len() >= 20);
    }

    #[test]
    fn runaway_density_and_unknown_kinds_are_refused() {
        let host = Rect::new(0.0, 0.0, 1.0, 1.0).to_path(1e-6);
        let e = isen("cecek", 1e-4, 1e-5).fill(&host).unwrap_err();
        assert!(e.contains("too fine"), "{e}");
        let e = isen("cecekk", 0.1, 0.01).fill(&host).unwrap_err();
        assert!(e.contains("cecek"), "{e}");
    }
}
