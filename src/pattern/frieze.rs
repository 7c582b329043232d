//! The 7 frieze groups: symmetries of a band that repeats along x only.
//!
//! Borders such as tumpal (the row of bamboo-shoot triangles at a sarong's head
//! and a cloth's ends) are friezes, not wallpapers. A motif file says
//! `kind = "frieze"` in `[lattice]`; `width` is the period along x and `height`
//! the band's height, both in drawing units. The band occupies
//! `0 ≤ y ≤ height` and its horizontal mid-line `y = height / 2` is the axis of
//! the horizontal mirror, glide and half-turns.
//!
//! Design: a frieze resolves to an ordinary [`Pattern`](super::Pattern) on a
//! rectangular lattice `width × height` with [`Pattern::frieze`](super::Pattern)
//! set. The renderer and the SVG writer then draw lattice row zero only, so the
//! band appears once at the top of the image (shift the view to place it
//! elsewhere) with the ground around it, while everything else — symmetry
//! images, clipping, exact tiles (a tile is one period of the band) — works
//! unchanged. Rejected: a separate 1-D lattice type, which every consumer of
//! `Lattice` would have had to learn; and a very tall vertical period, which
//! would silently repeat the band on large prints.
//!
//! Operations are listed in fractional band coordinates `(x/width, y/height)`.
//! Both the IUC names and Conway's names are accepted.

use std::fmt;
use std::str::FromStr;

use kurbo::Affine;

/// A frieze group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FriezeGroup {
    /// `p111`, "hop": translations only.
    P111,
    /// `p1a1`, "step": a glide reflection along the mid-line.
    P1a1,
    /// `pm11`, "sidle": vertical mirrors.
    Pm11,
    /// `p1m1`, "jump": the horizontal mirror of the mid-line.
    P1m1,
    /// `p112`, "spinning hop": half-turns on the mid-line.
    P112,
    /// `pma2`, "spinning sidle": vertical mirrors and a glide.
    Pma2,
    /// `pmm2`, "spinning jump": vertical and horizontal mirrors.
    Pmm2,
}

/// `(m00, m01, m10, m11, t0, t1)` in fractional band coordinates.
type FracOp = (f64, f64, f64, f64, f64, f64);
const ID: FracOp = (1., 0., 0., 1., 0., 0.);
/// Mirror in the vertical line x = 0.
const MV: FracOp = (-1., 0., 0., 1., 0., 0.);
/// Mirror in the mid-line y = 1/2.
const MH: FracOp = (1., 0., 0., -1., 0., 1.);
/// Half-turn about (0, 1/2).
const R2: FracOp = (-1., 0., 0., -1., 0., 1.);
/// Glide: mirror in the mid-line, then half a period along x.
const GL: FracOp = (1., 0., 0., -1., 0.5, 1.);
/// Half-turn about (1/4, 1/2), the product of `MV` and `GL`.
const R2G: FracOp = (-1., 0., 0., -1., 0.5, 1.);

impl FriezeGroup {
    /// All 7.
    pub const ALL: [FriezeGroup; 7] = [
        Self::P111,
        Self::P1a1,
        Self::Pm11,
        Self::P1m1,
        Self::P112,
        Self::Pma2,
        Self::Pmm2,
    ];

    fn fractional_ops(self) -> Vec<FracOp> {
        match self {
            Self::P111 => vec![ID],
            Self::P1a1 => vec![ID, GL],
            Self::Pm11 => vec![ID, MV],
            Self::P1m1 => vec![ID, MH],
            Self::P112 => vec![ID, R2],
            Self::Pma2 => vec![ID, MV, GL, R2G],
            Self::Pmm2 => vec![ID, MV, MH, R2],
        }
    }

    /// The operations as maps of drawing units, for a band `width × height`.
    pub fn ops(self, width: f64, height: f64) -> Vec<Affine> {
        let basis = Affine::scale_non_uniform(width, height);
        let inv = Affine::scale_non_uniform(1.0 / width, 1.0 / height);
        self.fractional_ops()
            .into_iter()
            .map(|(a, b, c, d, e, f)| basis * Affine::new([a, c, b, d, e, f]) * inv)
            .collect()
    }

    /// Conway's name.
    pub fn conway(self) -> &'static str {
        match self {
            Self::P111 => "hop",
            Self::P1a1 => "step",
            Self::Pm11 => "sidle",
            Self::P1m1 => "jump",
            Self::P112 => "spinning-hop",
            Self::Pma2 => "spinning-sidle",
            Self::Pmm2 => "spinning-jump",
        }
    }
}

impl FromStr for FriezeGroup {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.to_string() == s || g.conway() == s)
            .ok_or_else(|| {
                format!(
                    "unknown frieze group '{s}' (use one of p111 p1a1 pm11 p1m1 p112 pma2 pmm2, \
                     or hop step sidle jump spinning-hop spinning-sidle spinning-jump)"
                )
            })
    }
}

impl fmt::Display for FriezeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P111 => "p111",
            Self::P1a1 => "p1a1",
            Self::Pm11 => "pm11",
            Self::P1m1 => "p1m1",
            Self::P112 => "p112",
            Self::Pma2 => "pma2",
            Self::Pmm2 => "pmm2",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Point;

    /// Every operation keeps the band and the group is closed up to a period.
    #[test]
    fn groups_keep_the_band_and_are_closed() {
        let (w, h) = (2.0, 0.5);
        for g in FriezeGroup::ALL {
            let ops = g.ops(w, h);
            let probe = Point::new(0.3, 0.1);
            let images: Vec<Point> = ops.iter().map(|o| *o * probe).collect();
            for p in &images {
                assert!((0.0..=h).contains(&p.y), "{g} leaves the band: {p:?}");
            }
            for a in &ops {
                for b in &ops {
                    let p = *a * (*b * probe);
                    let found = images.iter().any(|q| {
                        let dx = (p.x - q.x) / w;
                        (dx - dx.round()).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9
                    });
                    assert!(found, "{g} is not closed");
                }
            }
            assert_eq!(g.to_string().parse::<FriezeGroup>().unwrap(), g);
            assert_eq!(g.conway().parse::<FriezeGroup>().unwrap(), g);
        }
    }

    #[test]
    fn mirrors_and_glides_map_points_where_expected() {
        let (w, h) = (1.0, 1.0);
        let p = Point::new(0.2, 0.1);
        let img = |g: FriezeGroup| -> Vec<Point> { g.ops(w, h).iter().map(|o| *o * p).collect() };
        let near = |a: Point, b: Point| (a - b).hypot() < 1e-12;
        assert!(near(img(FriezeGroup::P1m1)[1], Point::new(0.2, 0.9)));
        assert!(near(img(FriezeGroup::Pm11)[1], Point::new(-0.2, 0.1)));
        assert!(near(img(FriezeGroup::P1a1)[1], Point::new(0.7, 0.9)));
        assert!(near(img(FriezeGroup::P112)[1], Point::new(-0.2, 0.9)));
        assert_eq!(FriezeGroup::Pma2.ops(w, h).len(), 4);
    }
}
