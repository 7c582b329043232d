//! Ikat bleed: the feathered, stepped edges of resist-dyed threads.
//!
//! Model: in ikat the threads are tied and dyed before weaving, then laid on
//! the loom; each thread lands a little off, so every colour edge is displaced
//! along the thread by that thread's own offset. Here the image is cut into
//! threads of `threads` per cm across the chosen direction (warp: vertical
//! threads, displacement along y; weft: horizontal). A thread's offset is the
//! sum of a bundle term (threads were tied in bundles of four), a per-thread
//! term and a slow drift along the thread, up to `amount` mm. The colour at a
//! pixel is the pattern sampled at that offset and averaged over a short run
//! along the thread, which feathers the edge as dye wicks along the fibre.
//! Thread boundaries are shaded faintly so the threads read as threads.
//!
//! Each output pixel reads input pixels at most [`Ikat::reach_px`] away along
//! the thread, which the strip renderer adds to its margin; the offsets are a
//! pure function of the thread index, the position and the seed. In tileable
//! mode the thread count is fitted to the tile (a multiple of four) and the
//! drift wraps with the tile, so the tile stays seamless.
//!
//! Rejected: blurring edges isotropically (ikat blurs along the thread only);
//! shifting whole shapes (real offsets differ thread by thread).

use super::field::{signed, unit, Wrap};
use super::stage::Region;

/// Which threads carry the ikat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Warp ikat: vertical threads, edges jagged up and down. Default.
    #[default]
    Warp,
    /// Weft ikat: horizontal threads, edges jagged left and right.
    Weft,
}

/// Parameters of ikat bleed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Ikat {
    /// Largest thread offset, in mm. Default: 1.
    pub amount_mm: f64,
    /// Threads per cm. Default: 12.
    pub threads: f64,
    /// Warp or weft. Default: warp.
    pub direction: Direction,
}

impl Default for Ikat {
    fn default() -> Self {
        Ikat {
            amount_mm: 1.0,
            threads: 12.0,
            direction: Direction::Warp,
        }
    }
}

/// Ikat for one render.
#[derive(Debug, Clone)]
pub struct IkatField {
    thread_px: f64,
    amount: f64,
    drift_px: f64,
    drift_cells: Option<i64>,
    wrap: Option<Wrap>,
    vertical: bool,
    seed: u64,
}

impl Ikat {
    /// Pixels an output pixel may read away from itself along the thread.
    pub fn reach_px(&self, px_per_mm: f64) -> u32 {
        (self.amount_mm * px_per_mm * 1.8).ceil() as u32 + 2
    }

    /// The field for a render at `px_per_mm`.
    pub fn field(&self, px_per_mm: f64, wrap: Option<Wrap>, seed: u64) -> IkatField {
        let vertical = self.direction == Direction::Warp;
        let nominal = 10.0 * px_per_mm / self.threads;
        let drift = 12.0 * px_per_mm;
        let (thread_px, drift_px, drift_cells) = match wrap {
            Some(w) => {
                let (across, along) = if vertical { (w.nx, w.ny) } else { (w.ny, w.nx) };
                let n = (((across as f64 / nominal) / 4.0).round() as i64).max(1) * 4;
                let m = (((along as f64 / drift) / 2.0).round() as i64).max(1) * 2;
                (across as f64 / n as f64, along as f64 / m as f64, Some(m))
            }
            None => (nominal, drift, None),
        };
        IkatField {
            thread_px,
            amount: self.amount_mm * px_per_mm,
            drift_px,
            drift_cells,
            wrap,
            vertical,
            seed,
        }
    }
}

/// Per-thread values, reused while consecutive pixels share a thread and a
/// drift cell: (thread, drift cell) → (fixed offset, feather, brightness,
/// drift at the cell's two ends).
type Memo = Option<((i64, i64), (f64, f64, f64, f64, f64))>;

impl IkatField {
    /// (offset along the thread, feather length, shading) at a pixel.
    fn thread_at(&self, x: i64, y: i64, memo: &mut Memo) -> (f64, f64, f64) {
        let (rx, ry) = match self.wrap {
            Some(w) => w.reduce(x, y),
            None => (x, y),
        };
        let (across, along) = if self.vertical { (rx, ry) } else { (ry, rx) };
        let pos = (across as f64 + 0.5) / self.thread_px;
        let t = pos.floor() as i64;
        let v = along as f64 / self.drift_px;
        let j = v.floor() as i64;
        let s = self.seed;
        let (fixed, feather, bright, d0, d1) = match *memo {
            Some((k, vals)) if k == (t, j) => vals,
            _ => {
                let wrapj = |j: i64| self.drift_cells.map_or(j, |m| j.rem_euclid(m));
                let vals = (
                    0.35 * signed(s, 51, t.div_euclid(4), 0) + 0.45 * signed(s, 52, t, 0),
                    self.amount * (0.05 + 0.2 * unit(s, 54, t, 0)),
                    signed(s, 55, t, 0),
                    signed(s, 53, t, wrapj(j)),
                    signed(s, 53, t, wrapj(j + 1)),
                );
                *memo = Some(((t, j), vals));
                vals
            }
        };
        let f = v - j as f64;
        let f = f * f * (3.0 - 2.0 * f);
        let drift = d0 + (d1 - d0) * f;
        let off = self.amount * (fixed + 0.2 * drift);
        let u = pos - t as f64;
        let shade = 1.0 - 0.05 * (1.0 - (std::f64::consts::PI * u).sin()) + 0.02 * bright;
        (off, feather, shade)
    }

    /// Applies ikat to `r`, reading its pixels (the margin must hold the reach).
    pub fn apply(&self, r: &mut Region) {
        let src = r.data.clone();
        let (w, h) = (r.w as i64, r.h as i64);
        let mut memo = None;
        for row in 0..h {
            for col in 0..w {
                let (off, feather, shade) = self.thread_at(r.x + col, r.y + row, &mut memo);
                let mut acc = [0.0f64; 3];
                const TAPS: i64 = 5;
                for k in 0..TAPS {
                    let d =
                        (off + feather * (k as f64 / (TAPS - 1) as f64 - 0.5) * 2.0).round() as i64;
                    let (sc, sr) = if self.vertical {
                        (col, (row + d).clamp(0, h - 1))
                    } else {
                        ((col + d).clamp(0, w - 1), row)
                    };
                    let i = ((sr * w + sc) * 4) as usize;
                    for c in 0..3 {
                        acc[c] += src[i + c] as f64;
                    }
                }
                let i = ((row * w + col) * 4) as usize;
                for (d, a) in r.data[i..i + 3].iter_mut().zip(acc) {
                    *d = (a / TAPS as f64 * shade).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}
