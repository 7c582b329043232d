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

use super::field::{Shift, ValueNoise, Wrap};
use super::stage::Region;

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
/// at an eighth of the cost.
const STEP: i64 = 8;

impl DyeField {
    fn at(&self, x: i64, y: f64) -> f64 {
        let x = x as f64 + 0.5;
        0.7 * self.coarse.get(x, y) + 0.3 * self.fine.get(x, y)
    }

    /// Darkens `r` by the noise.
    pub fn apply(&self, r: &mut Region) {
        let step = self.step;
        let x0 = r.x.div_euclid(step) * step;
        let samples = (r.x + r.w as i64 - x0) / step + 2;
        let mut knots = vec![0.0; samples as usize];
        for row in 0..r.h {
            let y = (r.y + row as i64) as f64 + 0.5;
            for (k, v) in knots.iter_mut().enumerate() {
                *v = self.at(x0 + k as i64 * step, y);
            }
            for col in 0..r.w {
                let x = r.x + col as i64;
                let k = ((x - x0) / step) as usize;
                let f = ((x - x0) % step) as f64 / step as f64;
                let n = knots[k] + (knots[k + 1] - knots[k]) * f;
                let k = 1.0 - self.amount * n;
                let i = (row * r.w + col) * 4;
                for v in &mut r.data[i..i + 3] {
                    *v = (*v as f64 * k).round() as u8;
                }
            }
        }
    }
}
