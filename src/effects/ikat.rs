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
//! A thread's offsets are whole pixels that change slowly along it, so they
//! are computed per thread and position along it (per thread and row for the
//! warp, per thread for a whole row for the weft, reused by the thread's
//! other rows), and the mean of the taps is taken as sums of row slices where
//! neighbouring pixels share their offsets: across a warp thread's width,
//! along a stretch of a weft thread. Per pixel that leaves adding a few bytes,
//! one table lookup and one multiplication per channel, instead of the
//! offsets' floating-point work and hashes (8× the plain render before).
//!
//! Rejected: blurring edges isotropically (ikat blurs along the thread only);
//! shifting whole shapes (real offsets differ thread by thread); a box filter
//! over a running sum along the thread (the taps are five points, not a box,
//! and each thread has its own feather, so the look would change).

use std::ops::Range;

use super::field::{floor_i, for_each_run, round_i, signed, unit, Wrap};
use super::stage::{round_u8, Region};

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
    reach: u32,
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
            reach: self.reach_px(px_per_mm),
        }
    }
}

/// What does not change along one thread: its index, fixed offset, feather
/// length and brightness, and where it ends in the [`Across`] table.
#[derive(Debug, Clone, Copy)]
struct Thread {
    t: i64,
    fixed: f64,
    feather: f64,
    bright: f64,
    end: i64,
}

/// The threads crossing a range of `across` coordinates, and for each
/// coordinate its thread (an index into `threads`) and shading.
struct Across {
    lo: i64,
    threads: Vec<Thread>,
    at: Vec<(usize, f64)>,
}

/// Samples per output pixel, spread over the feather length.
const TAPS: usize = 5;

/// `a / TAPS` for every sum `a` of [`TAPS`] channel values, as the division
/// gives it (a table lookup instead of a division per channel per pixel).
fn tap_means() -> &'static [f64] {
    static T: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    T.get_or_init(|| (0..=255 * TAPS).map(|a| a as f64 / TAPS as f64).collect())
}

/// A thread's drift at both ends of one drift cell: `(cell, d0, d1)`.
type Drift = (i64, f64, f64);

impl IkatField {
    /// The distance (x, y) an output pixel reads from itself: along the thread.
    pub fn reach(&self) -> (u32, u32) {
        if self.vertical {
            (0, self.reach)
        } else {
            (self.reach, 0)
        }
    }

    /// The thread tables for `across` coordinates `lo .. hi`.
    fn across(&self, lo: i64, hi: i64) -> Across {
        let s = self.seed;
        let mut threads: Vec<Thread> = Vec::new();
        let mut at = Vec::with_capacity((hi - lo) as usize);
        for a in lo..hi {
            let pos = (a as f64 + 0.5) / self.thread_px;
            let t = floor_i(pos);
            match threads.last_mut() {
                Some(th) if th.t == t => th.end = a + 1,
                _ => threads.push(Thread {
                    t,
                    fixed: 0.35 * signed(s, 51, t.div_euclid(4), 0) + 0.45 * signed(s, 52, t, 0),
                    feather: self.amount * (0.05 + 0.2 * unit(s, 54, t, 0)),
                    bright: signed(s, 55, t, 0),
                    end: a + 1,
                }),
            }
            let th = threads.last().expect("pushed above");
            let u = pos - t as f64;
            let shade = 1.0 - 0.05 * (1.0 - (std::f64::consts::PI * u).sin()) + 0.02 * th.bright;
            at.push((threads.len() - 1, shade));
        }
        Across { lo, threads, at }
    }

    /// The whole-pixel offsets of the taps of thread `th` at `along`;
    /// `drift` keeps the thread's drift values for the last drift cell.
    fn taps(&self, th: &Thread, along: i64, drift: &mut Drift) -> [i64; TAPS] {
        let v = along as f64 / self.drift_px;
        let j = floor_i(v);
        if drift.0 != j {
            let wrapj = |j: i64| self.drift_cells.map_or(j, |m| j.rem_euclid(m));
            *drift = (
                j,
                signed(self.seed, 53, th.t, wrapj(j)),
                signed(self.seed, 53, th.t, wrapj(j + 1)),
            );
        }
        let (_, d0, d1) = *drift;
        let f = v - j as f64;
        let f = f * f * (3.0 - 2.0 * f);
        let drift = d0 + (d1 - d0) * f;
        let off = self.amount * (th.fixed + 0.2 * drift);
        std::array::from_fn(|k| {
            round_i(off + th.feather * (k as f64 / (TAPS - 1) as f64 - 0.5) * 2.0)
        })
    }

    /// Applies ikat to rows `rows` of `r`, reading its pixels (the margin
    /// must hold the reach).
    ///
    /// A thread's offsets change only along it and only slowly, so they are
    /// worked out once per thread and position along it, as whole pixels. A
    /// pixel is the mean of [`TAPS`] pixels of its own column (warp) or row
    /// (weft) at those offsets, times its column's or row's shading; where
    /// neighbouring pixels share their offsets (a warp thread's width, a
    /// stretch of a weft thread) the sums are taken a slice at a time.
    pub fn apply(&self, r: &mut Region, rows: Range<usize>) {
        let src = r.data.clone();
        let mut acc = vec![0u16; r.w * 4];
        let mut shade = vec![0.0; r.w];
        let means = tap_means();
        let fill = if self.vertical {
            Self::warp_row
        } else {
            Self::weft_row
        };
        let mut state = State::new(self, r);
        for row in rows {
            // Every pixel of the row is in some run, whose first tap sets its sums.
            fill(self, &mut state, r, &src, row, &mut acc, &mut shade);
            let out = &mut r.data[row * r.w * 4..(row + 1) * r.w * 4];
            for ((o, a), s) in out.chunks_exact_mut(4).zip(acc.chunks_exact(4)).zip(&shade) {
                for ch in 0..3 {
                    o[ch] = round_u8(means[a[ch] as usize] * s);
                }
            }
        }
    }

    /// Warp: vertical threads, taps up and down the column. Adds the taps of
    /// `row` into `acc` and the columns' shading into `shade`.
    fn warp_row(
        &self,
        st: &mut State,
        r: &Region,
        src: &[u8],
        row: usize,
        acc: &mut [u16],
        shade: &mut [f64],
    ) {
        let (w, h) = (r.w, r.h as i64);
        let across = &st.across;
        for_each_run(self.wrap, r.x, w, r.y + row as i64, |col, len, rx, ry| {
            let mut k = 0;
            while k < len {
                let a = rx + k as i64;
                let (slot, _) = across.at[(a - across.lo) as usize];
                let th = &across.threads[slot];
                let end = (k + (th.end - a) as usize).min(len);
                let (c0, c1) = (col + k, col + end);
                for (c, s) in (c0..c1).zip(&mut shade[c0..c1]) {
                    *s = across.at[(rx + (c - col) as i64 - across.lo) as usize].1;
                }
                let memo = &mut st.memo[slot];
                if memo.0 != ry {
                    *memo = (ry, self.taps(th, ry, &mut st.drift[slot]));
                }
                let sum = &mut acc[c0 * 4..c1 * 4];
                for (n, d) in memo.1.into_iter().enumerate() {
                    let sr = (row as i64 + d).clamp(0, h - 1) as usize;
                    add(sum, &src[(sr * w + c0) * 4..(sr * w + c1) * 4], n == 0);
                }
                k = end;
            }
        });
    }

    /// Weft: horizontal threads, taps left and right along the row.
    fn weft_row(
        &self,
        st: &mut State,
        r: &Region,
        src: &[u8],
        row: usize,
        acc: &mut [u16],
        shade: &mut [f64],
    ) {
        let w = r.w as i64;
        let line = &src[row * r.w * 4..(row + 1) * r.w * 4];
        let State {
            across,
            along_lo,
            along_hi,
            cache,
            drift,
            ..
        } = st;
        for_each_run(self.wrap, r.x, r.w, r.y + row as i64, |col, len, rx, ry| {
            let (slot, sh) = across.at[(ry - across.lo) as usize];
            shade[col..col + len].fill(sh);
            let k = match cache.iter().position(|(s, _)| *s == slot) {
                Some(k) => k,
                None => {
                    let th = &across.threads[slot];
                    let d = &mut drift[slot];
                    let mut taps: Stretches = (*along_lo..*along_hi)
                        .map(|a| (self.taps(th, a, d), 1))
                        .collect();
                    // How many positions from each share its taps.
                    for a in (0..taps.len().saturating_sub(1)).rev() {
                        if taps[a].0 == taps[a + 1].0 {
                            taps[a].1 = taps[a + 1].1 + 1;
                        }
                    }
                    // A thread spans several rows; a tileable row may cross two.
                    if cache.len() == 4 {
                        cache.remove(0);
                    }
                    cache.push((slot, taps));
                    cache.len() - 1
                }
            };
            let taps = &cache[k].1;
            let mut k = 0;
            while k < len {
                let (offs, same) = taps[(rx + k as i64 - *along_lo) as usize];
                let end = (k + same).min(len);
                let (c0, c1) = ((col + k) as i64, (col + end) as i64);
                for (n, d) in offs.into_iter().enumerate() {
                    if c0 + d >= 0 && c1 + d <= w {
                        let s = &line[(c0 + d) as usize * 4..(c1 + d) as usize * 4];
                        add(&mut acc[c0 as usize * 4..c1 as usize * 4], s, n == 0);
                    } else {
                        // At the region's edge: clamped, pixel by pixel.
                        for c in c0..c1 {
                            let i = (c + d).clamp(0, w - 1) as usize * 4;
                            let sum = &mut acc[c as usize * 4..c as usize * 4 + 4];
                            add(sum, &line[i..i + 4], n == 0);
                        }
                    }
                }
                k = end;
            }
        });
    }
}

/// `sum[i] += src[i]`, or `sum[i] = src[i]` for the `first` tap (so the sums
/// need no clearing), in forms the compiler turns into vector code.
fn add(sum: &mut [u16], src: &[u8], first: bool) {
    if first {
        for (a, v) in sum.iter_mut().zip(src) {
            *a = *v as u16;
        }
    } else {
        for (a, v) in sum.iter_mut().zip(src) {
            *a += *v as u16;
        }
    }
}

/// A weft thread's taps at each position along it, with the number of
/// positions from there on that share them.
type Stretches = Vec<([i64; TAPS], usize)>;

/// What one [`IkatField::apply`] keeps between rows.
struct State {
    across: Across,
    /// Per thread, the position along it whose taps are held (warp).
    memo: Vec<(i64, [i64; TAPS])>,
    /// Per thread, its drift in the last drift cell asked for.
    drift: Vec<Drift>,
    along_lo: i64,
    along_hi: i64,
    /// The taps of the last few threads along the whole row (weft).
    cache: Vec<(usize, Stretches)>,
}

impl State {
    fn new(f: &IkatField, r: &Region) -> Self {
        let (x, y) = ((r.x, r.x + r.w as i64), (r.y, r.y + r.h as i64));
        let ((lo, hi), (along_lo, along_hi)) = match (f.wrap, f.vertical) {
            (None, true) => (x, y),
            (None, false) => (y, x),
            (Some(w), true) => ((0, w.nx), (0, w.ny)),
            (Some(w), false) => ((0, w.ny), (0, w.nx)),
        };
        let across = f.across(lo, hi);
        let n = across.threads.len();
        State {
            across,
            memo: vec![(i64::MIN, [0; TAPS]); n],
            drift: vec![(i64::MIN, 0.0, 0.0); n],
            along_lo,
            along_hi,
            cache: Vec::new(),
        }
    }
}
