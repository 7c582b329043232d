//! The grown cracks as drawable segments, bucketed for lookup by pixel.

use super::super::field::{floor_i, unit, Wrap};

/// The least integer not below `x`.
fn ceil_i(x: f64) -> i64 {
    -floor_i(-x)
}

/// Side of a bucket, in pixels.
const BUCKET: usize = 8;

/// A straight piece of crack in image pixels (in tileable mode, in the
/// coordinates of the exact tile), with what drawing it needs precomputed.
#[derive(Debug, Clone, Copy)]
struct Seg {
    a: (f64, f64),
    /// `b − a`.
    v: (f64, f64),
    /// `|b − a|²`.
    l2: f64,
    /// Distance within which the crack covers a pixel centre: half its width
    /// and half a pixel.
    reach: f64,
    reach2: f64,
    strength: f64,
    /// The box of pixel centres it may cover: `a` and `b` ± `reach`.
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Seg {
    fn new(a: (f64, f64), b: (f64, f64), half_width: f64, strength: f64) -> Self {
        let reach = half_width + 0.5;
        Seg {
            a,
            v: (b.0 - a.0, b.1 - a.1),
            l2: (b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1),
            reach,
            reach2: reach * reach,
            strength,
            x0: a.0.min(b.0) - reach,
            x1: a.0.max(b.0) + reach,
            y0: a.1.min(b.1) - reach,
            y1: a.1.max(b.1) + reach,
        }
    }

    /// Squared distance from `p` to the segment.
    fn dist2(&self, p: (f64, f64)) -> f64 {
        let (vx, vy) = self.v;
        let (wx, wy) = (p.0 - self.a.0, p.1 - self.a.1);
        let t = if self.l2 > 0.0 {
            ((wx * vx + wy * vy) / self.l2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (dx, dy) = (wx - t * vx, wy - t * vy);
        dx * dx + dy * dy
    }
}

/// The crack network of one render: segments in 8 × 8-pixel buckets over the
/// image (or the exact tile).
#[derive(Debug)]
pub(super) struct Network {
    /// Segments, bucket after bucket; bucket `k` is `segs[starts[k]..starts[k + 1]]`.
    segs: Vec<Seg>,
    starts: Vec<usize>,
    nbx: usize,
    nby: usize,
    /// Number of cracks grown.
    pub cracks: usize,
}

/// How the grid's cracks become pixels.
#[derive(Debug)]
pub(super) struct Scale {
    /// Pixels per grid cell, across and down.
    pub sx: f64,
    pub sy: f64,
    /// Average crack width, pixels.
    pub width_px: f64,
    /// Size of the image, or of the exact tile, pixels.
    pub dw: f64,
    pub dh: f64,
    pub wrap: Option<Wrap>,
    pub seed: u64,
}

impl Network {
    /// The network of `cracks` (polylines in grid cells, oldest first).
    pub fn new(cracks: &[Vec<(f64, f64)>], k: &Scale) -> Self {
        let total = cracks.len().max(2) as f64;
        // Segments in pixels, with the half width they need for bucketing.
        let mut segs = Vec::new();
        for (n, pts) in cracks.iter().enumerate() {
            // Oldest 1.5× the average width, newest 0.5×.
            let age = 1.5 - n as f64 / (total - 1.0);
            let half_width = 0.5 * k.width_px * age.max(0.5);
            let strength = 0.6 + 0.3 * unit(k.seed, 33, n as i64, 0);
            let thin: Vec<(f64, f64)> = pts
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 0 || *i == pts.len() - 1)
                .map(|(_, p)| (p.0 * k.sx, p.1 * k.sy))
                .collect();
            for w in thin.windows(2) {
                segs.push((w[0], w[1], half_width, strength));
            }
        }
        let (dw, dh) = (k.dw, k.dh);
        let nbx = (dw / BUCKET as f64).ceil() as usize;
        let nby = (dh / BUCKET as f64).ceil() as usize;
        let shifts: Vec<(f64, f64)> = match k.wrap {
            None => vec![(0.0, 0.0)],
            Some(w) => {
                let [u, v] = w.vectors();
                let mut s = Vec::new();
                for i in -1..=1 {
                    for j in -1..=1 {
                        s.push((
                            u.0 * i as f64 + v.0 * j as f64,
                            u.1 * i as f64 + v.1 * j as f64,
                        ));
                    }
                }
                s
            }
        };
        // A segment goes to each bucket its box (with a pixel to spare) meets,
        // once per copy of the tile that reaches the tile's own rectangle.
        // Counted first, then placed, so each bucket keeps the order segments
        // were made in without sorting (a sort of the pairs took a fifth of
        // the set-up at 4096²).
        let mut placed: Vec<(Seg, [usize; 4])> = Vec::new();
        for &(a, b, half_width, strength) in &segs {
            for &(ox, oy) in &shifts {
                let r = half_width + 1.0;
                let x0 = a.0.min(b.0) + ox - r;
                let x1 = a.0.max(b.0) + ox + r;
                let y0 = a.1.min(b.1) + oy - r;
                let y1 = a.1.max(b.1) + oy + r;
                if x1 < 0.0 || y1 < 0.0 || x0 >= dw || y0 >= dh {
                    continue;
                }
                let bx0 = (x0.max(0.0) / BUCKET as f64) as usize;
                let by0 = (y0.max(0.0) / BUCKET as f64) as usize;
                let bx1 = ((x1 / BUCKET as f64) as usize).min(nbx - 1);
                let by1 = ((y1 / BUCKET as f64) as usize).min(nby - 1);
                let moved = Seg::new(
                    (a.0 + ox, a.1 + oy),
                    (b.0 + ox, b.1 + oy),
                    half_width,
                    strength,
                );
                placed.push((moved, [bx0, bx1, by0, by1]));
            }
        }
        let mut starts = vec![0; nbx * nby + 1];
        for (_, [bx0, bx1, by0, by1]) in &placed {
            for by in *by0..=*by1 {
                for bx in *bx0..=*bx1 {
                    starts[by * nbx + bx + 1] += 1;
                }
            }
        }
        for b in 0..nbx * nby {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        let unused = Seg::new((0.0, 0.0), (0.0, 0.0), 0.0, 0.0);
        let mut bucketed = vec![unused; starts[nbx * nby]];
        for (s, [bx0, bx1, by0, by1]) in &placed {
            for by in *by0..=*by1 {
                for bx in *bx0..=*bx1 {
                    let b = by * nbx + bx;
                    bucketed[next[b]] = *s;
                    next[b] += 1;
                }
            }
        }
        Network {
            segs: bucketed,
            starts,
            nbx,
            nby,
            cracks: cracks.len(),
        }
    }

    /// The width of the grown area, pixels (no cracks beyond).
    pub fn width(&self) -> usize {
        self.nbx * BUCKET
    }

    /// Raises `out[k]` to the coverage of the pixel centred at
    /// `(px + k, py)` (tile coordinates); whether any was touched.
    pub fn cover(&self, px: f64, py: f64, out: &mut [f64]) -> bool {
        let by = (py / BUCKET as f64) as usize;
        if by >= self.nby {
            return false;
        }
        let mut any = false;
        let n = out.len();
        let mut k = 0;
        while k < n {
            let bx = ((px + k as f64) / BUCKET as f64) as usize;
            if bx >= self.nbx {
                break;
            }
            // The pixels of this run in bucket `bx`: up to its right edge.
            let end = (ceil_i(((bx + 1) * BUCKET) as f64 - px) as usize).min(n);
            let b = by * self.nbx + bx;
            for s in &self.segs[self.starts[b]..self.starts[b + 1]] {
                if py <= s.y0 || py >= s.y1 {
                    continue;
                }
                // The pixels whose centres the box may hold (`ceil_i` and
                // `floor_i`, as `ceil` and `floor` are calls to libm here).
                let lo = ceil_i(s.x0 - px).max(k as i64) as usize;
                let hi = (floor_i(s.x1 - px) + 1).clamp(0, end as i64) as usize;
                for (kk, o) in out.iter_mut().enumerate().take(hi).skip(lo) {
                    let d2 = s.dist2((px + kk as f64, py));
                    if d2 >= s.reach2 {
                        continue;
                    }
                    let c = (s.reach - d2.sqrt()).min(1.0) * s.strength;
                    *o = o.max(c);
                    any = true;
                }
            }
            k = end;
        }
        any
    }
}
