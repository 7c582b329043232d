//! The 17 plane (wallpaper) symmetry groups.
//!
//! Each group is stored as its coset representatives in fractional coordinates,
//! exactly as the International Tables for Crystallography list them, and turned
//! into Cartesian maps through the lattice basis. Keeping the tables in the
//! crystallographers' form makes every entry checkable against the literature;
//! the centred groups `cm` and `cmm` use the conventional rectangular cell with
//! the centring translation as an extra operation.

use std::fmt;
use std::str::FromStr;

use kurbo::Affine;

use super::lattice::{invert, Lattice};

/// The lattice shapes a group can live on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatticeKind {
    /// Any two vectors.
    Oblique,
    /// Perpendicular vectors.
    Rectangular,
    /// Perpendicular vectors of equal length.
    Square,
    /// Equal vectors at 120°.
    Hexagonal,
}

impl FromStr for LatticeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "oblique" => Self::Oblique,
            "rectangular" => Self::Rectangular,
            "square" => Self::Square,
            "hexagonal" => Self::Hexagonal,
            _ => {
                return Err(format!(
                    "unknown lattice kind '{s}' (use square, rectangular, hexagonal or oblique)"
                ))
            }
        })
    }
}

/// A wallpaper group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum WallpaperGroup {
    P1,
    P2,
    Pm,
    Pg,
    Cm,
    Pmm,
    Pmg,
    Pgg,
    Cmm,
    P4,
    P4m,
    P4g,
    P3,
    P3m1,
    P31m,
    P6,
    P6m,
}

/// `(m00, m01, m10, m11, t0, t1)`: `x' = m00 x + m01 y + t0`, `y' = m10 x + m11 y + t1`.
type FracOp = (f64, f64, f64, f64, f64, f64);

const H: f64 = 0.5;
const ID: FracOp = (1., 0., 0., 1., 0., 0.);
const P2: [FracOp; 2] = [ID, (-1., 0., 0., -1., 0., 0.)];
const P4: [FracOp; 4] = [
    ID,
    (-1., 0., 0., -1., 0., 0.),
    (0., -1., 1., 0., 0., 0.),
    (0., 1., -1., 0., 0., 0.),
];
const P3: [FracOp; 3] = [ID, (0., -1., 1., -1., 0., 0.), (-1., 1., -1., 0., 0., 0.)];
const P6_EXTRA: [FracOp; 3] = [
    (-1., 0., 0., -1., 0., 0.),
    (0., 1., -1., 1., 0., 0.),
    (1., -1., 1., 0., 0., 0.),
];
const M_3M1: [FracOp; 3] = [
    (0., -1., -1., 0., 0., 0.),
    (-1., 1., 0., 1., 0., 0.),
    (1., 0., 1., -1., 0., 0.),
];
const M_31M: [FracOp; 3] = [
    (0., 1., 1., 0., 0., 0.),
    (1., -1., 0., -1., 0., 0.),
    (-1., 0., -1., 1., 0., 0.),
];

impl WallpaperGroup {
    /// All 17, in the International Tables' order.
    pub const ALL: [WallpaperGroup; 17] = [
        Self::P1,
        Self::P2,
        Self::Pm,
        Self::Pg,
        Self::Cm,
        Self::Pmm,
        Self::Pmg,
        Self::Pgg,
        Self::Cmm,
        Self::P4,
        Self::P4m,
        Self::P4g,
        Self::P3,
        Self::P3m1,
        Self::P31m,
        Self::P6,
        Self::P6m,
    ];

    /// The operations, in fractional coordinates.
    fn fractional_ops(self) -> Vec<FracOp> {
        let mx: FracOp = (-1., 0., 0., 1., 0., 0.);
        let my: FracOp = (1., 0., 0., -1., 0., 0.);
        let with = |base: &[FracOp], extra: &[FracOp]| {
            base.iter().chain(extra).copied().collect::<Vec<_>>()
        };
        let centred = |ops: &[FracOp]| {
            ops.iter()
                .copied()
                .chain(
                    ops.iter()
                        .map(|&(a, b, c, d, e, f)| (a, b, c, d, e + H, f + H)),
                )
                .collect::<Vec<_>>()
        };
        match self {
            Self::P1 => vec![ID],
            Self::P2 => P2.to_vec(),
            Self::Pm => vec![ID, mx],
            Self::Pg => vec![ID, (-1., 0., 0., 1., 0., H)],
            Self::Cm => centred(&[ID, mx]),
            Self::Pmm => with(&P2, &[mx, my]),
            Self::Pmg => with(&P2, &[(-1., 0., 0., 1., H, 0.), (1., 0., 0., -1., H, 0.)]),
            Self::Pgg => with(&P2, &[(-1., 0., 0., 1., H, H), (1., 0., 0., -1., H, H)]),
            Self::Cmm => centred(&with(&P2, &[mx, my])),
            Self::P4 => P4.to_vec(),
            Self::P4m => with(
                &P4,
                &[mx, my, (0., 1., 1., 0., 0., 0.), (0., -1., -1., 0., 0., 0.)],
            ),
            Self::P4g => with(
                &P4,
                &[
                    (-1., 0., 0., 1., H, H),
                    (1., 0., 0., -1., H, H),
                    (0., 1., 1., 0., H, H),
                    (0., -1., -1., 0., H, H),
                ],
            ),
            Self::P3 => P3.to_vec(),
            Self::P3m1 => with(&P3, &M_3M1),
            Self::P31m => with(&P3, &M_31M),
            Self::P6 => with(&P3, &P6_EXTRA),
            Self::P6m => with(&with(&P3, &P6_EXTRA), &[M_3M1, M_31M].concat()),
        }
    }

    /// Whether the group can live on a lattice of `kind`.
    pub fn fits(self, kind: LatticeKind) -> bool {
        use LatticeKind::*;
        match self {
            Self::P1 | Self::P2 => true,
            Self::Pm | Self::Pg | Self::Cm | Self::Pmm | Self::Pmg | Self::Pgg | Self::Cmm => {
                matches!(kind, Rectangular | Square)
            }
            Self::P4 | Self::P4m | Self::P4g => kind == Square,
            Self::P3 | Self::P3m1 | Self::P31m | Self::P6 | Self::P6m => kind == Hexagonal,
        }
    }

    /// The operations as Cartesian maps for `lattice`.
    pub fn ops(self, lattice: &Lattice) -> Vec<Affine> {
        let basis = lattice.basis();
        let inv = invert(basis).unwrap_or(Affine::IDENTITY);
        self.fractional_ops()
            .into_iter()
            .map(|(a, b, c, d, e, f)| basis * Affine::new([a, c, b, d, e, f]) * inv)
            .collect()
    }

    /// The order of the point group times the centring (number of operations).
    pub fn order(self) -> usize {
        self.fractional_ops().len()
    }
}

impl FromStr for WallpaperGroup {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.to_string() == s)
            .ok_or_else(|| format!("unknown wallpaper group '{s}' (use one of p1 p2 pm pg cm pmm pmg pgg cmm p4 p4m p4g p3 p3m1 p31m p6 p6m)"))
    }
}

impl fmt::Display for WallpaperGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P1 => "p1",
            Self::P2 => "p2",
            Self::Pm => "pm",
            Self::Pg => "pg",
            Self::Cm => "cm",
            Self::Pmm => "pmm",
            Self::Pmg => "pmg",
            Self::Pgg => "pgg",
            Self::Cmm => "cmm",
            Self::P4 => "p4",
            Self::P4m => "p4m",
            Self::P4g => "p4g",
            Self::P3 => "p3",
            Self::P3m1 => "p3m1",
            Self::P31m => "p31m",
            Self::P6 => "p6",
            Self::P6m => "p6m",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::{Point, Vec2};

    fn lattice_for(g: WallpaperGroup) -> Lattice {
        if g.fits(LatticeKind::Square) {
            Lattice::rect(1.0, 1.0)
        } else {
            Lattice {
                a: Vec2::new(1.0, 0.0),
                b: Vec2::new(-0.5, 3f64.sqrt() / 2.0),
            }
        }
    }

    /// A group is closed: composing two operations gives a third, up to a
    /// lattice translation. This catches any mistyped table entry.
    #[test]
    fn every_group_is_closed_under_composition() {
        for g in WallpaperGroup::ALL {
            let l = lattice_for(g);
            let ops = g.ops(&l);
            let probe = Point::new(0.123, 0.0456);
            let images: Vec<Point> = ops.iter().map(|o| *o * probe).collect();
            for a in &ops {
                for b in &ops {
                    let p = *a * (*b * probe);
                    let found = images.iter().any(|q| {
                        let d = p - *q;
                        let f = invert(l.basis()).unwrap() * Point::new(d.x, d.y);
                        (f.x - f.x.round()).abs() < 1e-9 && (f.y - f.y.round()).abs() < 1e-9
                    });
                    assert!(found, "{g} is not closed");
                }
            }
            // Operations are isometries (no shear or scale slipped in).
            for o in &ops {
                assert!((o.determinant().abs() - 1.0).abs() < 1e-9, "{g}");
            }
        }
    }

    #[test]
    fn orders_match_the_tables() {
        let orders: Vec<usize> = WallpaperGroup::ALL.iter().map(|g| g.order()).collect();
        assert_eq!(
            orders,
            vec![1, 2, 2, 2, 4, 4, 4, 4, 8, 4, 8, 8, 3, 6, 6, 6, 12]
        );
        for g in WallpaperGroup::ALL {
            assert_eq!(g.to_string().parse::<WallpaperGroup>().unwrap(), g);
        }
    }
}
