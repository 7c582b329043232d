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

use super::field::{ValueNoise, Wrap};
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
}

impl Dye {
    /// The field for a render at `px_per_mm`.
    pub fn field(&self, px_per_mm: f64, wrap: Option<Wrap>, seed: u64) -> DyeField {
        let cell = self.scale_mm * px_per_mm;
        DyeField {
            coarse: ValueNoise::new(seed, 41, cell, wrap),
            fine: ValueNoise::new(seed, 42, cell / 3.0, wrap),
            amount: self.amount,
        }
    }
}

impl DyeField {
    /// Darkens `r` by the noise.
    pub fn apply(&self, r: &mut Region) {
        for row in 0..r.h {
            let y = (r.y + row as i64) as f64 + 0.5;
            for col in 0..r.w {
                let x = (r.x + col as i64) as f64 + 0.5;
                let n = 0.7 * self.coarse.get(x, y) + 0.3 * self.fine.get(x, y);
                let k = 1.0 - self.amount * n;
                let i = (row * r.w + col) * 4;
                for v in &mut r.data[i..i + 3] {
                    *v = (*v as f64 * k).round() as u8;
                }
            }
        }
    }
}
