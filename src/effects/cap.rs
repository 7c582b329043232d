//! Cap: batik stamped with a copper block (cap).
//!
//! Model: the cloth is printed by `stamps × stamps` impressions of the same
//! block, each landing slightly off its ideal place. The pattern's period
//! becomes a super-cell of that many copies, each moved by its own seeded
//! offset, so impressions stay crisp (no wobble inside a stamp) and their
//! misregistration shows exactly where impressions meet: shapes that cross the
//! block edge no longer quite line up, leaving hairline gaps and overlaps.
//!
//! The result is still a vector [`Pattern`] on a (larger) lattice, so SVG output
//! shows the offsets too, and an exact tile covers the whole super-cell and
//! stays seamless.
//!
//! Rejected: offsetting pixels per block (raster only, and the seam between
//! blocks would need its own anti-aliasing); a random offset per impression
//! across the whole cloth (no repeat a printer could tile).

use std::sync::Arc;

use kurbo::{Affine, Vec2};

use super::field::signed;
use crate::pattern::{union_bbox, Fill, Lattice, Pattern};

/// Parameters of the stamped finish.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Cap {
    /// Largest misregistration of one impression, in mm. Default: 0.4.
    pub offset_mm: f64,
    /// Impressions per side of the repeated super-cell. Default: 2.
    pub stamps: u32,
}

impl Default for Cap {
    fn default() -> Self {
        Cap {
            offset_mm: 0.4,
            stamps: 2,
        }
    }
}

impl Cap {
    /// The stamped pattern: a `stamps × stamps` super-cell of offset copies.
    pub fn apply(&self, p: &Pattern, seed: u64) -> Pattern {
        let n = self.stamps.max(1) as i64;
        let off = self.offset_mm / p.unit_mm;
        let nclips = p.clips.len();
        let mut fills = Vec::with_capacity(p.fills.len() * (n * n) as usize);
        let mut clips = Vec::with_capacity(nclips * (n * n) as usize);
        for j in 0..n {
            for i in 0..n {
                let k = (j * n + i) as usize;
                let d = Vec2::new(signed(seed, 21, i, j), signed(seed, 22, i, j)) * off;
                let t = Affine::translate(p.lattice.at(i, j) + d);
                clips.extend(
                    p.clips
                        .iter()
                        .map(|c| c.mapped(t, c.parent.map(|q| q + k * nclips))),
                );
                fills.extend(p.fills.iter().map(|f| {
                    let mut path = f.path.clone();
                    path.apply_affine(t);
                    Fill {
                        bbox: f.bbox + (p.lattice.at(i, j) + d),
                        path,
                        clip: f.clip.map(|c| c + k * nclips),
                        ..f.clone()
                    }
                }));
            }
        }
        Pattern {
            lattice: Lattice {
                a: p.lattice.a * n as f64,
                b: p.lattice.b * n as f64,
            },
            bbox: union_bbox(&fills),
            fills: Arc::new(fills),
            clips,
            ..p.clone()
        }
    }
}
