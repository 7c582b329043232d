//! The grown cracks as drawable segments, bucketed for lookup by pixel.

use super::super::field::{floor_i, unit, Wrap};
#[cfg(doc)]
use super::grow::stop_distance;
use super::grow::Crack;

/// The least integer not below `x`.
fn ceil_i(x: f64) -> i64 {
    -floor_i(-x)
}

/// Side of a bucket, in pixels (at most 32: [`Network::cover`] answers a bit
/// per row). Which segments a pixel sees does not depend on it, only how
/// often a walk over a bucket's list is paid for: 16 took a tenth off the
/// drawing of a 4096² kawung's cracks against 8, and 32 no more.
pub(super) const BUCKET: usize = 16;

/// Bits of a bucket entry that say which copy of the tile a segment is drawn
/// at (one of 3 × 3 in tileable mode); the rest is the segment's index.
const COPY_BITS: u32 = 4;

/// A straight piece of crack in image pixels (in tileable mode, in the
/// coordinates of the exact tile). Stored once, compactly: single precision
/// is a hundredth of a pixel even 60 000 pixels from the origin, and what
/// drawing needs besides (the direction, the box) is a few operations away.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    a: [f32; 2],
    b: [f32; 2],
    /// Half the crack's width, pixels.
    half_width: f32,
    strength: f32,
}

impl Seg {
    /// The segment `a`–`b`, moved by `o`, with its half width and strength.
    fn at(&self, o: (f64, f64)) -> Placed {
        let a = (self.a[0] as f64 + o.0, self.a[1] as f64 + o.1);
        let b = (self.b[0] as f64 + o.0, self.b[1] as f64 + o.1);
        let reach = self.half_width as f64 + 0.5;
        Placed {
            a,
            v: (b.0 - a.0, b.1 - a.1),
            reach,
            strength: self.strength as f64,
            x0: a.0.min(b.0) - reach,
            x1: a.0.max(b.0) + reach,
            y0: a.1.min(b.1) - reach,
            y1: a.1.max(b.1) + reach,
        }
    }
}

/// A segment where it is drawn, with what drawing it needs.
struct Placed {
    a: (f64, f64),
    /// `b − a`.
    v: (f64, f64),
    /// Distance within which the crack covers a pixel centre: half its width
    /// and half a pixel.
    reach: f64,
    strength: f64,
    /// The box of pixel centres it may cover: `a` and `b` ± `reach`.
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

/// The crack network of one render: segments, each stored once, and for each
/// 16 × 16-pixel bucket over the image (or the exact tile) the segments (and
/// copies of the tile) that may cover its pixels.
#[derive(Debug)]
pub(super) struct Network {
    segs: Segs,
    /// Bucket `k` is `entries[starts[k]..starts[k + 1]]`; an entry is a
    /// segment's index shifted by [`COPY_BITS`], and its copy.
    starts: Vec<u32>,
    entries: Vec<u32>,
    /// The offsets of the copies of the tile, pixels.
    copies: Vec<(f64, f64)>,
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
    /// Crack spacing, cells.
    pub spacing: f64,
    /// Where cracks stop forming (see [`stop_distance`]), cells.
    pub stop: f64,
    /// Size of the image, or of the exact tile, pixels.
    pub dw: f64,
    pub dh: f64,
    pub wrap: Option<Wrap>,
    pub seed: u64,
}

/// How far, in pixels, a drawn segment may pass from the points of the
/// polyline it stands for.
const SIMPLIFY_PX: f64 = 0.35;

/// Most points of a crack's polyline (half a cell apart) one drawn segment
/// stands for: a segment's box stays within about two buckets.
const SEG_POINTS: usize = 8;

/// Appends the segments of `crack` to `out`, in pixels.
///
/// A crack's width and strength are its own: width from how far its start
/// was from the nearest wax edge or earlier crack (the first cracks open in
/// wide plates, the last ones where the plates are already about the crack
/// spacing across; from 1.5× the average width down to 0.5×), strength a hash
/// of its start cell. Both were from the crack's place in the global order
/// once, which made every crack depend on every other component's count.
///
/// The polyline is simplified greedily: a segment runs on to the next point
/// while every point it skips is within [`SIMPLIFY_PX`] of it, up to
/// [`SEG_POINTS`] points. Cracks wander little over a few cells, so this
/// takes a third as many segments as one per cell, which on the 2 m wrap at
/// 300 dpi (400 000 cracks) is what keeps the network in its memory budget.
pub(super) fn segments(crack: &Crack, k: &Scale, out: &mut Vec<Seg>) {
    let half_width = (0.5 * k.width_px * age(crack.start_dist / k.stop)) as f32;
    let strength = (0.6 + 0.3 * unit(k.seed, 33, crack.cell as i64, 0)) as f32;
    let pts: Vec<(f64, f64)> = crack.pts.iter().map(|p| (p.0 * k.sx, p.1 * k.sy)).collect();
    let f32s = |p: (f64, f64)| [p.0 as f32, p.1 as f32];
    let mut a = 0;
    while a + 1 < pts.len() {
        // The farthest end whose chord passes near every point in between.
        let mut e = a + 1;
        while e + 1 < pts.len() && e + 1 - a <= SEG_POINTS && fits(&pts[a..=e + 1]) {
            e += 1;
        }
        out.push(Seg {
            a: f32s(pts[a]),
            b: f32s(pts[e]),
            half_width,
            strength,
        });
        a = e;
    }
}

/// Whether every inner point of `pts` is within [`SIMPLIFY_PX`] of the chord
/// from its first point to its last.
fn fits(pts: &[(f64, f64)]) -> bool {
    let (p, q) = (pts[0], pts[pts.len() - 1]);
    let (vx, vy) = (q.0 - p.0, q.1 - p.1);
    let l2 = vx * vx + vy * vy;
    pts[1..pts.len() - 1].iter().all(|r| {
        let (wx, wy) = (r.0 - p.0, r.1 - p.1);
        let t = if l2 > 0.0 {
            ((wx * vx + wy * vy) / l2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (dx, dy) = (wx - t * vx, wy - t * vy);
        dx * dx + dy * dy <= SIMPLIFY_PX * SIMPLIFY_PX
    })
}

/// Segments in chunks of a fixed size: gathered as the components grow, they
/// are never moved, where one vector would be copied each time it grew (and
/// the old copy, 70 MB at the end on the 2 m wrap, kept by the allocator).
#[derive(Debug, Default)]
pub(super) struct Segs {
    chunks: Vec<Vec<Seg>>,
    len: usize,
}

/// Segments per chunk of [`Segs`] (a power of two).
const CHUNK_SHIFT: u32 = 16;

impl Segs {
    pub fn push(&mut self, s: Seg) {
        if self.len % (1 << CHUNK_SHIFT) == 0 {
            // Grown as needed (a chunk is at most 1.5 MB, a copy of which
            // costs little): a small render's network stays small.
            self.chunks.push(Vec::new());
        }
        self.chunks.last_mut().expect("a chunk was pushed").push(s);
        self.len += 1;
    }

    pub fn extend(&mut self, segs: Vec<Seg>) {
        for s in segs {
            self.push(s);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn get(&self, n: usize) -> &Seg {
        &self.chunks[n >> CHUNK_SHIFT][n & ((1 << CHUNK_SHIFT) - 1)]
    }

    fn iter(&self) -> impl Iterator<Item = &Seg> {
        self.chunks.iter().flatten()
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity()).sum::<usize>() * std::mem::size_of::<Seg>()
    }
}

/// A crack's width relative to the average, from its start distance `d` in
/// units of the distance where cracks stop forming (so at least 1): 0.5×
/// there, rising to 1.5× at twice that. Most cracks start below 2 (the plates
/// they split are already small), so this spreads widths over the whole range
/// about as the order of cracks did, with an average near 1× (0.97 to 1.05
/// on kawung, truntum and parang at 4096²).
fn age(d: f64) -> f64 {
    (d - 0.5).clamp(0.5, 1.5)
}

impl Network {
    /// The network of `segs` from `cracks` cracks.
    pub fn new(segs: Segs, cracks: usize, k: &Scale) -> Self {
        let (dw, dh) = (k.dw, k.dh);
        let nbx = (dw / BUCKET as f64).ceil() as usize;
        let nby = (dh / BUCKET as f64).ceil() as usize;
        let copies: Vec<(f64, f64)> = match k.wrap {
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
        assert!(
            segs.len() < 1 << (32 - COPY_BITS),
            "too many crack segments to index"
        );
        // The buckets a copy of a segment reaches (its box with a pixel to
        // spare), if it reaches the tile's own rectangle.
        let reach = |s: &Seg, o: (f64, f64)| {
            let p = s.at(o);
            if p.x1 + 0.5 < 0.0 || p.y1 + 0.5 < 0.0 || p.x0 - 0.5 >= dw || p.y0 - 0.5 >= dh {
                return None;
            }
            let bx0 = ((p.x0 - 0.5).max(0.0) / BUCKET as f64) as usize;
            let by0 = ((p.y0 - 0.5).max(0.0) / BUCKET as f64) as usize;
            let bx1 = (((p.x1 + 0.5) / BUCKET as f64) as usize).min(nbx - 1);
            let by1 = (((p.y1 + 0.5) / BUCKET as f64) as usize).min(nby - 1);
            Some((bx0..=bx1, by0..=by1))
        };
        // Counted, then placed from the last segment back, each at the end
        // of what is left of its bucket: each bucket keeps the order segments
        // were made in without sorting, and `starts` ends up holding each
        // bucket's start without a second array of cursors.
        let nb = nbx * nby;
        let mut starts = vec![0u32; nb + 1];
        for s in segs.iter() {
            for &o in &copies {
                if let Some((xs, ys)) = reach(s, o) {
                    for by in ys {
                        for bx in xs.clone() {
                            starts[by * nbx + bx] += 1;
                        }
                    }
                }
            }
        }
        // Each bucket's end.
        let mut total = 0u64;
        for s in &mut starts[..nb] {
            total += *s as u64;
            *s = u32::try_from(total).expect("too many crack bucket entries");
        }
        starts[nb] = total as u32;
        let mut entries = vec![0u32; total as usize];
        for n in (0..segs.len()).rev() {
            let s = segs.get(n);
            for (c, &o) in copies.iter().enumerate().rev() {
                if let Some((xs, ys)) = reach(s, o) {
                    let e = (n as u32) << COPY_BITS | c as u32;
                    for by in ys {
                        for bx in xs.clone() {
                            let b = by * nbx + bx;
                            starts[b] -= 1;
                            entries[starts[b] as usize] = e;
                        }
                    }
                }
            }
        }
        Network {
            segs,
            starts,
            entries,
            copies,
            nbx,
            nby,
            cracks,
        }
    }

    /// Bytes the network holds, for tests of its size per segment.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.segs.bytes()
            + (self.starts.capacity() + self.entries.capacity()) * 4
            + self.copies.capacity() * 16
    }

    /// Number of segments.
    #[cfg(test)]
    pub fn segments(&self) -> usize {
        self.segs.len()
    }

    /// The width of the grown area, pixels (no cracks beyond).
    pub fn width(&self) -> usize {
        self.nbx * BUCKET
    }

    /// Raises `out[r × stride + k]` to the coverage of the pixel centred at
    /// `(px + k, py + r)` (tile coordinates), for `k < n` and `r < rows`,
    /// rows that lie in one row of buckets; a bit per row, whether any of its
    /// pixels was touched.
    ///
    /// The rows share a walk over each bucket's segments: a segment is
    /// placed once for all the rows (of a bucket's sixteen) its box crosses,
    /// where a walk per row tested every segment of the bucket eight times,
    /// about four in five of them to find it missed the row. Each pixel gets
    /// the same operations on the same values as in a walk of its own row.
    pub fn cover(
        &self,
        (px, py): (f64, f64),
        rows: usize,
        out: &mut [f64],
        stride: usize,
        n: usize,
    ) -> u32 {
        debug_assert!((1..=BUCKET).contains(&rows));
        let by = (py / BUCKET as f64) as usize;
        if by >= self.nby {
            return 0;
        }
        debug_assert_eq!(((py + (rows - 1) as f64) / BUCKET as f64) as usize, by);
        let last = py + (rows - 1) as f64;
        let mut touched = 0;
        let mut k = 0;
        while k < n {
            let bx = ((px + k as f64) / BUCKET as f64) as usize;
            if bx >= self.nbx {
                break;
            }
            // The pixels of this run in bucket `bx`: up to its right edge.
            let end = (ceil_i(((bx + 1) * BUCKET) as f64 - px) as usize).min(n);
            let b = by * self.nbx + bx;
            let range = self.starts[b] as usize..self.starts[b + 1] as usize;
            for &e in &self.entries[range] {
                let seg = self.segs.get((e >> COPY_BITS) as usize);
                let o = self.copies[(e & ((1 << COPY_BITS) - 1)) as usize];
                // Most entries miss the rows: test that before placing the
                // segment (the same bounds as `Placed::y0`, `y1`).
                let reach = seg.half_width as f64 + 0.5;
                let (ay, by) = (seg.a[1] as f64 + o.1, seg.b[1] as f64 + o.1);
                let (y0, y1) = (ay.min(by) - reach, ay.max(by) + reach);
                if last <= y0 || py >= y1 {
                    continue;
                }
                let s = seg.at(o);
                // The pixels whose centres the box may hold (`ceil_i` and
                // `floor_i`, as `ceil` and `floor` are calls to libm here).
                let lo = ceil_i(s.x0 - px).max(k as i64) as usize;
                let hi = (floor_i(s.x1 - px) + 1).clamp(0, end as i64) as usize;
                if lo >= hi {
                    continue;
                }
                let (vx, vy) = s.v;
                let l2 = vx * vx + vy * vy;
                let inv = if l2 > 0.0 { 1.0 / l2 } else { 0.0 };
                let reach2 = s.reach * s.reach;
                for r in 0..rows {
                    // Exact: pixel centres are halves of small integers.
                    let pyr = py + r as f64;
                    if pyr <= y0 || pyr >= y1 {
                        continue;
                    }
                    let wy = pyr - s.a.1;
                    let line = &mut out[r * stride + lo..r * stride + hi];
                    for (kk, o) in (lo..hi).zip(line) {
                        let wx = px + kk as f64 - s.a.0;
                        let t = ((wx * vx + wy * vy) * inv).clamp(0.0, 1.0);
                        let (dx, dy) = (wx - t * vx, wy - t * vy);
                        let d2 = dx * dx + dy * dy;
                        if d2 >= reach2 {
                            continue;
                        }
                        let c = (s.reach - d2.sqrt()).min(1.0) * s.strength;
                        *o = o.max(c);
                        touched |= 1 << r;
                    }
                }
            }
            k = end;
        }
        touched
    }
}
