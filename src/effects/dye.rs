//! Dye irregularity: the uneven colour of hand-dyed cloth.
//!
//! Model: two octaves of smooth value noise (cells of `scale` mm and a third of
//! that) darken the cloth by up to `amount`, as a dye bath takes unevenly where
//! the cloth was folded, crowded or wrung. Multiplying keeps hue and affects
//! light ground most visibly, as in real cloth. In tileable mode the noise
//! lattice is fitted to the tile and wrapped the printer's way.
//!
//! Rejected: per-pixel (white) noise, which reads as print grain rather than
//! dye; hue shifts, which recolour the palette the designer chose.

use std::ops::Range;

use super::field::{Shift, ValueNoise, Wrap};
use super::stage::{round_u8, Region};

/// Parameters of dye irregularity.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Dye {
    /// Strongest darkening, 0..1. Default: 0.1.
    pub amount: f64,
    /// Size of the blotches, in mm. Default: 30.
    pub scale_mm: f64,
}

impl Default for Dye {
    fn default() -> Self {
        Dye {
            amount: 0.1,
            scale_mm: 30.0,
        }
    }
}

/// Dye irregularity at one scale.
#[derive(Debug, Clone)]
pub struct DyeField {
    coarse: ValueNoise,
    fine: ValueNoise,
    amount: f64,
    step: i64,
}

impl Dye {
    /// The field for a render at `px_per_mm`.
    pub fn field(&self, px_per_mm: f64, wrap: Option<Wrap>, seed: u64) -> DyeField {
        let cell = self.scale_mm * px_per_mm;
        DyeField {
            coarse: ValueNoise::new(seed, 41, cell, wrap),
            fine: ValueNoise::new(seed, 42, cell / 3.0, wrap),
            amount: self.amount,
            step: wrap.map_or(STEP, |w| {
                // Knots must land on the same places in every copy of the tile.
                let period = if w.shift == Shift::Brick {
                    w.nx / 2
                } else {
                    w.nx
                };
                [8, 4, 2, 1]
                    .into_iter()
                    .find(|s| period % s == 0)
                    .unwrap_or(1)
            }),
        }
    }
}

/// The noise is evaluated at every [`STEP`]th image column (fewer in
/// tileable mode when the tile's width is not a multiple of it) and interpolated
/// linearly between: the blotches are hundreds of pixels wide, so this is
/// invisible, and it keeps the effect a pure function of absolute coordinates
/// at an eighth of the cost. Along a row the knots share their noise cells, so
/// each cell's lattice values are hashed once per row, not once per knot.
const STEP: i64 = 8;

impl DyeField {
    /// Darkens rows `rows` of `r` by the noise.
    pub fn apply(&self, r: &mut Region, rows: Range<usize>) {
        let step = self.step as usize;
        let x0 = r.x.div_euclid(self.step) * self.step;
        let samples = (r.x + r.w as i64 - x0) as usize / step + 2;
        let mut knots = vec![0.0; samples];
        // The interpolation weight of each column within its knot interval.
        let frac: Vec<f64> = (0..step).map(|t| t as f64 / step as f64).collect();
        // Column `col` is `first + col` columns right of knot 0.
        let first = (r.x - x0) as usize;
        // The knots' places in both noise lattices, the same on every row.
        let places: Vec<_> = (0..samples)
            .map(|k| {
                let x = (x0 + (k * step) as i64) as f64 + 0.5;
                (self.coarse.place_x(x), self.fine.place_x(x))
            })
            .collect();
        for row in rows {
            let y = (r.y + row as i64) as f64 + 0.5;
            let (yc, yf) = (self.coarse.place_y(y), self.fine.place_y(y));
            let (mut coarse, mut fine) = (None, None);
            for (v, &(xc, xf)) in knots.iter_mut().zip(&places) {
                *v = 0.7 * self.coarse.at(xc, yc, &mut coarse)
                    + 0.3 * self.fine.at(xf, yf, &mut fine);
            }
            let line = &mut r.data[row * r.w * 4..(row + 1) * r.w * 4];
            let mut pixels = line.chunks_exact_mut(4);
            let (mut k, mut t0) = (first / step, first % step);
            'row: loop {
                let (n0, dn) = (knots[k], knots[k + 1] - knots[k]);
                for f in &frac[t0..] {
                    let Some(p) = pixels.next() else {
                        break 'row;
                    };
                    let m = 1.0 - self.amount * (n0 + dn * f);
                    for v in &mut p[..3] {
                        *v = round_u8(*v as f64 * m);
                    }
                }
                k += 1;
                t0 = 0;
            }
        }
    }
}
