//! Growing the crack network on the coarse grid, once per render.
//!
//! The order of cracks is the model (see the parent module): the next crack
//! starts at the waxed cell farthest (jittered) from every wax edge and earlier
//! crack. After each crack, a Dijkstra pass from its cells lowers the distance
//! field where the crack is now the nearest feature.
//!
//! This is sequential within a connected region of wax and scales with the
//! area: a 4096² render at 300 dpi has a grid of 1.5 million cells and 26 000
//! cracks, the 2 m wrap 26 million cells and 430 000 cracks. Regions do not interact, so each grows on a grid of its own box
//! ([`grow_all`]), in parallel; in tileable mode a region that meets a copy of
//! itself across the wrap grows, with the others like it, on the whole
//! wrapped grid. What keeps each growth affordable, each giving exactly the
//! cracks the plain algorithm gives:
//!
//! - [`Farthest`] keeps the maximum of each 16 × 16 block of cells in a heap;
//!   a crack marks the blocks whose distances it lowered as dirty, a dirty
//!   block is rescanned only when it reaches the top, and blocks whose every
//!   cell is too close to start a crack are dropped for good.
//! - The Dijkstra passes use a bucket queue ([`Pending`]) instead of a binary
//!   heap: with steps of at least 1, a bucket per unit of distance settles
//!   every cell at the same distance, at a constant cost per cell.
//! - Choosing a crack's direction marches rays only while the chord can still
//!   be the shortest.
//! - The regions are labelled a run of waxed cells in a row at a time, whose
//!   ends are found 64 cells at a time in the wax's bits
//!   ([`label`](super::label)): cell by cell, the flood cost an eighth of a
//!   4096² crackle render, 300 instructions a cell.
//! - Away from a box's edges, the first distances and the Dijkstra passes
//!   reach a cell's eight neighbours through its three rows as slices of
//!   three, not eight looked-up indices (a bounds check and, for the first
//!   distances, a branch each; the passes take 12 % fewer instructions,
//!   the rest of the growth 5 %), in the same order, so the same queue.
//!
//! Rejected: one heap of every cell, re-pushed lazily when its key was found
//! stale (what the blocks replaced: with the binary-heap Dijkstra, nearly
//! half of a 4096² crackle render's time went to popping heaps); a segment tree over cells
//! updated on every distance change (the Dijkstra passes change distances
//! tens of millions of times, each update then costing a walk to the root); a
//! coarser grid (a crack stops up to a cell away from the one it meets, so
//! coarser cells leave visible gaps and overshoots at T-junctions, and fewer,
//! straighter cracks: the look must not change with the image size); a raster
//! chamfer transform for the first distance field (not periodic under the
//! printer's wraps, and its sums in another order can differ in the last bit,
//! which could reorder near-equal cells); one growth over the whole grid with
//! one random stream (sequential, and every crack depended on all earlier
//! ones, in every region); labelling regions by 4-connection (a crack or a
//! diagonal distance step passes between two dark cells that touch at a
//! corner, so such regions do interact); following a direction ray's cell
//! across cell edges instead of taking two floors at every half-cell step
//! (exact, since a step moves a floor by at most one, but the comparisons
//! with the edges cost what the floors did: no fewer instructions).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::super::field::{floor_i, hash, unit, Wrap};
use super::label::{components, Component};

/// A key and the cell it belongs to, ordered by key, then by cell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64, usize);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0).then(self.1.cmp(&o.1))
    }
}

/// Side of a [`Farthest`] block, in cells (a power of two).
const BLOCK_SHIFT: u32 = 4;

/// The chamfer steps to the eight neighbours: `(di, dj, length)`.
pub(super) const STEPS: [(i64, i64, f64); 8] = [
    (1, 0, 1.0),
    (-1, 0, 1.0),
    (0, 1, 1.0),
    (0, -1, 1.0),
    (1, 1, std::f64::consts::SQRT_2),
    (1, -1, std::f64::consts::SQRT_2),
    (-1, 1, std::f64::consts::SQRT_2),
    (-1, -1, std::f64::consts::SQRT_2),
];

/// A set of cells of the whole grid, a bit each: the whole-image structures
/// (the wax, and which cells the labelling has visited) are the ones that
/// grow with the print, and a bit keeps them at 3 MB for the 2 m wrap at
/// 300 dpi (26 million cells), where a `u32` label per cell was 100 MB.
#[derive(Debug, Clone)]
pub(super) struct Bits(pub(super) Vec<u64>);

impl Bits {
    pub fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub fn get(&self, k: usize) -> bool {
        self.0[k >> 6] >> (k & 63) & 1 != 0
    }

    pub fn set(&mut self, k: usize) {
        self.0[k >> 6] |= 1 << (k & 63);
    }

    /// Sets the bits of `a..b`, a word at a time.
    pub fn set_range(&mut self, a: usize, b: usize) {
        if a >= b {
            return;
        }
        let (wa, wb) = (a >> 6, (b - 1) >> 6);
        let (lo, hi) = (!0 << (a & 63), !0 >> (63 - ((b - 1) & 63)));
        if wa == wb {
            self.0[wa] |= lo & hi;
            return;
        }
        self.0[wa] |= lo;
        self.0[wa + 1..wb].fill(!0);
        self.0[wb] |= hi;
    }
}

/// The whole grid the cracks grow on: `gw × gh` cells, wrapped by `wrap`,
/// which of them are not wax, and the seed.
pub(super) struct Cells<'a> {
    pub gw: i64,
    pub gh: i64,
    pub wrap: Option<Wrap>,
    /// Cells that are not wax (dark dye, or transparent): cracks stop there.
    pub unwaxed: &'a Bits,
    pub seed: u64,
}

/// The index of cell `(i, j)` of a `gw × gh` grid, reduced by `wrap`; `None`
/// off an unwrapped grid.
fn cell_index(wrap: Option<Wrap>, gw: i64, gh: i64, i: i64, j: i64) -> Option<usize> {
    match wrap {
        Some(w) => {
            let (i, j) = w.reduce(i, j);
            Some((j * gw + i) as usize)
        }
        None if i >= 0 && j >= 0 && i < gw && j < gh => Some((j * gw + i) as usize),
        None => None,
    }
}

impl Cells<'_> {
    /// The index of cell `(i, j)`, reduced by the wrap; `None` off the grid.
    pub(super) fn idx(&self, i: i64, j: i64) -> Option<usize> {
        cell_index(self.wrap, self.gw, self.gh, i, j)
    }
}

/// A crack as grown: its polyline in grid cells (inside or beside the grid,
/// with its start inside), the distance from its start cell to the nearest
/// wax edge or earlier crack when it formed, and that cell's index.
pub(super) struct Crack {
    pub pts: Vec<(f64, f64)>,
    pub start_dist: f64,
    pub cell: usize,
}

/// The flat index offsets of [`STEPS`] on a grid `gw` cells wide.
pub(super) fn steps_flat(gw: i64) -> [isize; 8] {
    STEPS.map(|(di, dj, _)| (di + dj * gw) as isize)
}

/// Floods the cells of `open` (the box's waxed cells, a flag per cell of a
/// `gw × gh` box, wrapped by `wrap`) 8-connected to `from` (the box's cell
/// `(i, j)`), and marks them in `waxed`. A component that does not meet a
/// copy of itself floods, unwrapped, exactly the cells its labelling reached,
/// at the same places, so no label per cell is kept.
fn flood(
    (gw, gh): (i64, i64),
    wrap: Option<Wrap>,
    open: &[bool],
    (i0, j0): (i64, i64),
    waxed: &mut [bool],
) {
    let Some(l0) = cell_index(wrap, gw, gh, i0, j0) else {
        return;
    };
    if waxed[l0] || !open[l0] {
        return;
    }
    waxed[l0] = true;
    let flat = steps_flat(gw);
    let mut stack = vec![(i0, j0)];
    while let Some((i, j)) = stack.pop() {
        let inner = i > 0 && j > 0 && i < gw - 1 && j < gh - 1;
        let here = (j * gw + i) as usize;
        for (&(di, dj, _), &o) in STEPS.iter().zip(&flat) {
            let (ni, nj) = (i + di, j + dj);
            let l = if inner {
                here.wrapping_add_signed(o)
            } else {
                let Some(l) = cell_index(wrap, gw, gh, ni, nj) else {
                    continue;
                };
                l
            };
            if waxed[l] || !open[l] {
                continue;
            }
            waxed[l] = true;
            stack.push((ni, nj));
        }
    }
}

/// The grid one component (or, in tileable mode, all the periodic ones
/// together) grows on: its box, where every other cell is not wax.
pub(super) struct Grid<'a> {
    /// The whole grid.
    cells: &'a Cells<'a>,
    /// Where this grid's cell `(0, 0)` lies on the whole grid, unwrapped.
    ox: i64,
    oy: i64,
    gw: i64,
    gh: i64,
    /// The whole grid's wrap, for the grid of the periodic components.
    wrap: Option<Wrap>,
    unwaxed: Vec<bool>,
    /// The crack through each cell (1-based), or 0.
    crack: Vec<u32>,
    /// Chamfer distance to the nearest wax edge or crack, in cells.
    dist: Vec<f64>,
    /// Blocks of [`BLOCK_SHIFT`] whose distances changed since [`Farthest`] last looked.
    dirty: Vec<bool>,
    nbx: usize,
}

impl<'a> Grid<'a> {
    /// The grid of `ox, oy, gw × gh` (unwrapped cells of `cells`, wrapped by
    /// `wrap`) on which the components flooded from `firsts` are wax.
    fn new(
        cells: &'a Cells<'a>,
        (ox, oy, gw, gh): (i64, i64, i64, i64),
        wrap: Option<Wrap>,
        firsts: impl Iterator<Item = (i64, i64)>,
    ) -> Self {
        let n = (gw * gh) as usize;
        // The box's waxed cells on the whole grid, looked up once each
        // rather than once per neighbour while flooding.
        let mut open = Vec::with_capacity(n);
        for j in oy..oy + gh {
            for i in ox..ox + gw {
                open.push(cells.idx(i, j).is_some_and(|g| !cells.unwaxed.get(g)));
            }
        }
        let mut waxed = vec![false; n];
        for (i, j) in firsts {
            flood((gw, gh), wrap, &open, (i - ox, j - oy), &mut waxed);
        }
        let unwaxed = waxed.into_iter().map(|w| !w).collect();
        Self::with_wax(cells, (ox, oy, gw, gh), wrap, unwaxed)
    }

    /// The grid of `k`'s box, unwrapped, on which the cells of `unwaxed`
    /// (see [`Component::unwaxed`]) are not wax.
    fn of_component(cells: &'a Cells<'a>, k: &Component, unwaxed: Vec<bool>) -> Self {
        let (gw, gh) = (k.x1 - k.x0 + 1, k.y1 - k.y0 + 1);
        Self::with_wax(cells, (k.x0, k.y0, gw, gh), None, unwaxed)
    }

    fn with_wax(
        cells: &'a Cells<'a>,
        (ox, oy, gw, gh): (i64, i64, i64, i64),
        wrap: Option<Wrap>,
        unwaxed: Vec<bool>,
    ) -> Self {
        let n = (gw * gh) as usize;
        let nbx = (gw as usize).div_ceil(1 << BLOCK_SHIFT);
        let nby = (gh as usize).div_ceil(1 << BLOCK_SHIFT);
        Grid {
            cells,
            ox,
            oy,
            gw,
            gh,
            wrap,
            unwaxed,
            crack: vec![0; n],
            dist: vec![f64::INFINITY; n],
            dirty: vec![false; nbx * nby],
            nbx,
        }
    }

    /// The index on the whole grid of this grid's cell `c`.
    fn global(&self, c: usize) -> usize {
        let gw = self.gw as usize;
        self.global_ij(c % gw, c / gw)
    }

    /// The index on the whole grid of this grid's cell `(i, j)`.
    fn global_ij(&self, i: usize, j: usize) -> usize {
        self.cells
            .idx(i as i64 + self.ox, j as i64 + self.oy)
            .expect("a grid's cells lie on the whole grid")
    }

    fn idx(&self, i: i64, j: i64) -> Option<usize> {
        cell_index(self.wrap, self.gw, self.gh, i, j)
    }

    fn lower(&mut self, i: usize, j: usize, d: f64, q: &mut Pending) {
        self.dist[j * self.gw as usize + i] = d;
        self.dirty[(j >> BLOCK_SHIFT) * self.nbx + (i >> BLOCK_SHIFT)] = true;
        q.push(d, i, j);
    }

    /// Passes lowered distances on (Dijkstra with 8-neighbour chamfer steps)
    /// from the cells in `q` until nothing changes.
    fn relax(&mut self, q: &mut Pending) {
        let (gw, gh) = (self.gw, self.gh);
        let g = gw as usize;
        let mut k = 0;
        while k < q.buckets.len() {
            if q.buckets[k].is_empty() {
                k += 1;
                continue;
            }
            // Every distance in bucket `k` is in `k..k + 1` and a step is 1
            // or √2 long, so what it passes on lands in bucket `k + 1` if
            // below `k + 2`, else in `k + 2`: the same bucket as `nd as
            // usize`, for a comparison, and both are at hand. Nothing lands
            // in bucket `k` while it is worked through, so each of its cells
            // is already final.
            if q.buckets.len() < k + 3 {
                q.buckets.resize_with(k + 3, Vec::new);
            }
            let [now, near, far] = &mut q.buckets[k..k + 3] else {
                unreachable!("three buckets from k")
            };
            let split = (k + 2) as f64;
            for &(d, i, j) in now.iter() {
                let c = j as usize * g + i as usize;
                if d > self.dist[c] {
                    continue;
                }
                // The one entry of a cell at its final distance (a distance
                // is queued only when it falls, so never twice the same):
                // every cell lowered is settled so once, so its block is
                // marked here rather than at each lowering.
                self.dirty[(j as usize >> BLOCK_SHIFT) * self.nbx + (i as usize >> BLOCK_SHIFT)] =
                    true;
                if i > 0 && j > 0 && (i as i64) < gw - 1 && (j as i64) < gh - 1 {
                    // The three rows of neighbours as slices of three, so
                    // that reaching each costs no bounds check of its own.
                    let (above, rest) = self.dist[c - g - 1..].split_at_mut(g);
                    let (row, rest) = rest.split_at_mut(g);
                    let ([ul, um, ur], [hl, _, hr], [dl, dm, dr]) =
                        (three(above), three(row), three(rest));
                    // The neighbour each of `STEPS` reaches, in their order,
                    // which is the order they queue in.
                    let reached = [hr, hl, dm, um, dr, ur, dl, ul];
                    for (n, &(di, dj, w)) in reached.into_iter().zip(&STEPS) {
                        let nd = d + w;
                        if nd < *n {
                            *n = nd;
                            let to = if nd < split { &mut *near } else { &mut *far };
                            to.push((nd, (i as i64 + di) as u32, (j as i64 + dj) as u32));
                        }
                    }
                    continue;
                }
                for &(di, dj, w) in &STEPS {
                    let (ni, nj) = (i as i64 + di, j as i64 + dj);
                    let (ni, nj) = if ni >= 0 && nj >= 0 && ni < gw && nj < gh {
                        (ni, nj)
                    } else if let Some(wrap) = self.wrap {
                        wrap.reduce(ni, nj)
                    } else {
                        continue;
                    };
                    let nd = d + w;
                    let n = (nj * gw + ni) as usize;
                    if nd < self.dist[n] {
                        self.dist[n] = nd;
                        let to = if nd < split { &mut *near } else { &mut *far };
                        to.push((nd, ni as u32, nj as u32));
                    }
                }
            }
            now.clear();
            k += 1;
        }
    }

    fn blocked_for(&self, c: usize, id: u32) -> bool {
        self.unwaxed[c] || (self.crack[c] != 0 && self.crack[c] != id)
    }
}

/// The first three cells of `s`.
fn three(s: &mut [f64]) -> &mut [f64; 3] {
    (&mut s[..3]).try_into().expect("three cells")
}

/// Cells whose distance fell, waiting to pass it on: Dial's bucket queue, one
/// bucket per unit of distance. The shortest step is 1, so a bucket's cells
/// cannot lower each other: taking buckets in order and each in any order
/// settles every cell at the same distance a binary heap would (each is the
/// least, over paths, of the steps summed along the path), at a constant cost
/// per cell instead of a heap's logarithm; the first full pass over a
/// print-size grid took 0.6 s with the heap.
/// Entries are `(distance, column, row)`.
#[derive(Default)]
struct Pending {
    buckets: Vec<Vec<(f64, u32, u32)>>,
}

impl Pending {
    fn push(&mut self, d: f64, i: usize, j: usize) {
        let k = d as usize;
        if k >= self.buckets.len() {
            self.buckets.resize_with(k + 1, Vec::new);
        }
        self.buckets[k].push((d, i as u32, j as u32));
    }
}

/// The waxed cell with the greatest key `distance × jitter`, by blocks.
///
/// Distances only fall, so a cell once closer than `stop` to a wax edge or
/// crack never starts one: each block keeps a list of its cells not yet that
/// close (in index order, with their jitter), and a rescan walks and
/// shortens that list instead of the block's every cell. Late in a growth
/// most cells are close to a crack, and near wax edges most never start
/// one, so the lists are short (and only their cells' jitter is hashed).
struct Farthest {
    /// Cells closer than this to a wax edge or crack start none.
    stop: f64,
    /// The cells of block `b` that may still start a crack are
    /// `live[starts[b]..starts[b] + lens[b]]`, with their jitter in `jitter`.
    live: Vec<u32>,
    jitter: Vec<f64>,
    starts: Vec<usize>,
    lens: Vec<usize>,
    /// The current maximum of each clean block, as last pushed.
    best: Vec<Option<Key>>,
    /// Block maxima, some stale; with the block index.
    heap: BinaryHeap<(Key, usize)>,
}

impl Farthest {
    /// The cells of `g` far enough to start a crack, with the jitter
    /// `jitter(global cell)` of each.
    fn new(g: &mut Grid, stop: f64, jitter: impl Fn(usize) -> f64) -> Self {
        let nb = g.dirty.len();
        let side = 1usize << BLOCK_SHIFT;
        let (gw, gh) = (g.gw as usize, g.gh as usize);
        let mut f = Farthest {
            stop,
            live: Vec::new(),
            jitter: Vec::new(),
            starts: Vec::with_capacity(nb),
            lens: Vec::with_capacity(nb),
            best: vec![None; nb],
            heap: BinaryHeap::with_capacity(nb),
        };
        for b in 0..nb {
            let (bi, bj) = ((b % g.nbx) << BLOCK_SHIFT, (b / g.nbx) << BLOCK_SHIFT);
            let start = f.live.len();
            for j in bj..(bj + side).min(gh) {
                for i in bi..(bi + side).min(gw) {
                    let c = j * gw + i;
                    if g.dist[c] >= stop {
                        f.live.push(c as u32);
                        f.jitter.push(jitter(g.global_ij(i, j)));
                    }
                }
            }
            f.starts.push(start);
            f.lens.push(f.live.len() - start);
        }
        for b in 0..nb {
            f.rescan(g, b);
        }
        f
    }

    /// Recomputes block `b`'s maximum over the cells far enough to start a
    /// crack and pushes it, unless there is none; drops from its list the
    /// cells now too close.
    fn rescan(&mut self, g: &mut Grid, b: usize) {
        g.dirty[b] = false;
        // The greatest key, the last cell in index order on a tie, as the
        // heap's order of keys breaks ties. Filtering by distance rather
        // than stopping at the first cell too close (as before) makes the
        // end of the growth a per-cell rule, so components grown apart give
        // the cracks they give grown together.
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        let s = self.starts[b];
        let mut kept = s;
        for r in s..s + self.lens[b] {
            let c = self.live[r] as usize;
            let d = g.dist[c];
            if d < self.stop {
                continue;
            }
            let jit = self.jitter[r];
            self.live[kept] = c as u32;
            self.jitter[kept] = jit;
            kept += 1;
            let k = d.min(1e9) * jit;
            if k >= best.0 {
                best = (k, c);
            }
        }
        self.lens[b] = kept - s;
        self.best[b] = (best.1 != usize::MAX).then_some(Key(best.0, best.1));
        if let Some(k) = self.best[b] {
            self.heap.push((k, b));
        }
    }

    /// The waxed cell with the greatest current key, if any is far enough
    /// from every wax edge and crack to start one.
    fn pop(&mut self, g: &mut Grid) -> Option<usize> {
        while let Some((k, b)) = self.heap.pop() {
            if g.dirty[b] {
                // Keys only fall, so the stale entry was an upper bound.
                self.rescan(g, b);
            } else if self.best[b] == Some(k) {
                // Every other entry is an upper bound of its block, and lower.
                // The entry stays, as the bound of the block's other cells;
                // the chosen cell becomes a crack, so the block must be rescanned.
                self.heap.push((k, b));
                g.dirty[b] = true;
                return Some(k.1);
            }
        }
        None
    }
}

fn rand_unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Components grown in parallel before their results are handed on: few
/// enough that their segments are a small part of the network, many enough
/// that a large one rarely leaves a core idle.
const BATCH: usize = 256;

/// Grows every crack on `cells`: each component of waxed cells on its own,
/// in parallel, the cracks of each oldest first; `spacing` is the crack
/// spacing in cells. Components too small to hold a cell [`stop_distance`]
/// from their edge are skipped without a grid. Each component's cracks are
/// handed to `done` as soon as they have grown (its grid freed), and its
/// result to `take` in the order of the components' first cells, then the
/// periodic ones together, whatever the number of threads. Results are
/// taken a batch at a time, so they never all wait at once (the segments of
/// the 2 m wrap would be held twice while being gathered).
pub(super) fn grow_all<T: Send>(
    cells: &Cells,
    spacing: f64,
    done: impl Fn(Vec<Crack>) -> T + Sync,
    mut take: impl FnMut(T),
) {
    let stop = stop_distance(spacing);
    let grow_batch = |batch: &mut Vec<(Component, Vec<bool>)>, take: &mut dyn FnMut(T)| {
        let grown: Vec<T> = std::mem::take(batch)
            .into_par_iter()
            .map(|(k, unwaxed)| {
                let mut g = Grid::of_component(cells, &k, unwaxed);
                let cracks = grow_grid(&mut g, spacing);
                drop(g);
                done(cracks)
            })
            .collect();
        grown.into_iter().for_each(take);
    };
    // Components are labelled as they are grown, a batch at a time: the
    // wax of each one apart is where the labelling reached it (no second
    // flood), and waits only for its batch.
    let mut periodic = Vec::new();
    let mut batch = Vec::new();
    components(cells, |k, runs| {
        // A cell's chamfer distance to the nearest cell outside its
        // component is at most its distance to the box's edge, half the
        // box's shorter side.
        if (((k.x1 - k.x0).min(k.y1 - k.y0) as f64) / 2.0) < stop {
            return;
        }
        if k.periodic {
            periodic.push(k);
            return;
        }
        // Unwrapped, only the copy of the component met first.
        let unwaxed = k.unwaxed(runs);
        batch.push((k, unwaxed));
        if batch.len() == BATCH {
            grow_batch(&mut batch, &mut take);
        }
    });
    grow_batch(&mut batch, &mut take);
    if !periodic.is_empty() {
        let mut g = Grid::new(
            cells,
            (0, 0, cells.gw, cells.gh),
            cells.wrap,
            periodic.iter().map(|k| k.first),
        );
        let cracks = grow_grid(&mut g, spacing);
        drop(g);
        take(done(cracks));
    }
}

/// The distance from every wax edge and crack, in cells, below which a cell
/// starts no crack: `0.35 × spacing`, but at least 1.5. The cell is a ninth
/// of the spacing, so the floor only matters where the spacing is under nine
/// pixels (the cell is at least one): every waxed cell beside a crack is a
/// step of 1 from it, and a stop below that would let cracks start beside
/// every crack until the wax was all crack.
pub(super) fn stop_distance(spacing: f64) -> f64 {
    (spacing * 0.35).max(1.5)
}

/// Grows every crack on `g`, oldest first.
///
/// A crack starts at the waxed cell farthest (distance × a seeded jitter in
/// 0.85..1.15) from every wax edge and earlier crack among those at least
/// [`stop_distance`] from them, until there is none. Its randomness is a stream
/// seeded from its start cell, so it does not depend on the other components.
/// Every crack marks its start cell, so there are fewer cracks than cells.
fn grow_grid(g: &mut Grid, spacing: f64) -> Vec<Crack> {
    let (gw, gh) = (g.gw, g.gh);
    let seed = g.cells.seed;
    let mut pending = Pending::default();
    // The first distances: a step from each non-wax neighbour, or 1 on the
    // border of an unwrapped image (its edge counts as a wax edge a cell
    // away). The same as passing distance 0 on from every non-wax cell, but
    // without queueing all of them, most of a component's box.
    // Away from the box's edges the nearest non-wax neighbour is read off
    // the three rows around a cell, without a branch per neighbour: a step
    // is 1 or √2, so their minimum is which kind of neighbour is there.
    let g_w = gw as usize;
    for (j, i) in (0..gh).flat_map(|j| (0..gw).map(move |i| (j, i))) {
        let c = (j * gw + i) as usize;
        if g.unwaxed[c] {
            g.dist[c] = 0.0;
            continue;
        }
        let (wi, wj) = (i + g.ox, j + g.oy);
        let mut d = f64::INFINITY;
        if g.cells.wrap.is_none()
            && (wi == 0 || wj == 0 || wi == g.cells.gw - 1 || wj == g.cells.gh - 1)
        {
            d = 1.0;
        }
        if i > 0 && j > 0 && i < gw - 1 && j < gh - 1 {
            let u = &g.unwaxed;
            let (up, here, down) = (
                &u[c - g_w - 1..c - g_w + 2],
                &u[c - 1..c + 2],
                &u[c + g_w - 1..c + g_w + 2],
            );
            if up[1] | here[0] | here[2] | down[1] {
                d = 1.0;
            } else if up[0] | up[2] | down[0] | down[2] {
                d = d.min(std::f64::consts::SQRT_2);
            }
        } else {
            for &(di, dj, w) in &STEPS {
                if let Some(nc) = g.idx(i + di, j + dj) {
                    if g.unwaxed[nc] {
                        d = d.min(w);
                    }
                }
            }
        }
        if d.is_finite() {
            g.dist[c] = d;
            pending.push(d, i as usize, j as usize);
        }
    }
    g.relax(&mut pending);
    let stop = stop_distance(spacing);
    let max_len = (g.cells.gw.max(g.cells.gh) as f64).min(spacing * 12.0);
    let mut far = Farthest::new(g, stop, |cell| 0.85 + 0.3 * unit(seed, 31, cell as i64, 0));
    let mut cracks: Vec<Crack> = Vec::new();
    let (mut half_a, mut half_b) = (Vec::new(), Vec::new());
    while let Some(c) = far.pop(g) {
        let id = cracks.len() as u32 + 1;
        let cell = g.global(c);
        let mut rng = ChaCha8Rng::seed_from_u64(hash(seed, 32, cell as i64, 0));
        let start = (
            (c as i64 % gw) as f64 + 0.2 + 0.6 * rand_unit(&mut rng),
            (c as i64 / gw) as f64 + 0.2 + 0.6 * rand_unit(&mut rng),
        );
        // The shortest chord of eight directions, with a little chance.
        let th0 = rand_unit(&mut rng) * std::f64::consts::PI;
        let mut best = (f64::INFINITY, th0);
        for k in 0..8 {
            let th = th0 + k as f64 * std::f64::consts::PI / 8.0;
            // Rays use no randomness, so drawing the chance before them keeps
            // the sequence, and lets them stop once the chord cannot win.
            let chance = 1.0 + 0.35 * rand_unit(&mut rng);
            let limit = (chance, best.0);
            let Some(a) = ray(g, start, th, id, max_len, 0.0, limit) else {
                continue;
            };
            let back = th + std::f64::consts::PI;
            let Some(b) = ray(g, start, back, id, max_len, a, limit) else {
                continue;
            };
            let len = (a + b) * chance;
            if len < best.0 {
                best = (len, th);
            }
        }
        // The two halves in buffers kept from crack to crack, then the
        // polyline from one end to the other in a vector of its own size.
        grow(g, start, best.1, id, max_len, &mut rng, &mut half_a);
        let back = best.1 + std::f64::consts::PI;
        grow(g, start, back, id, max_len, &mut rng, &mut half_b);
        let mut a = Vec::with_capacity(half_a.len() + half_b.len() - 1);
        a.extend(half_a.iter().rev());
        a.extend(&half_b[1..]);
        let start_dist = g.dist[c].min(1e9);
        mark(g, &a, id, &mut pending);
        g.relax(&mut pending);
        // On the whole grid, unwrapped; a crack of a component grown
        // unwrapped in tileable mode is moved by a period so its start lies
        // in the tile, as on the wrapped grid.
        let (mut dx, mut dy) = (g.ox as f64, g.oy as f64);
        if let (Some(w), None) = (g.cells.wrap, g.wrap) {
            let (x, y) = (start.0 + dx, start.1 + dy);
            let (rx, ry) = w.reduce_f(x, y);
            dx += rx - x;
            dy += ry - y;
        }
        if dx != 0.0 || dy != 0.0 {
            for p in &mut a {
                *p = (p.0 + dx, p.1 + dy);
            }
        }
        cracks.push(Crack {
            pts: a,
            start_dist,
            cell,
        });
    }
    cracks
}

/// How far a straight line from `p` at angle `th` runs before it is blocked,
/// or `None` once `(before + run) × chance` reaches `best` (`limit` is
/// `(chance, best)`): the chord through `p` is then no shorter than the best
/// one, and the rest of the march would be wasted.
fn ray(
    g: &Grid,
    p: (f64, f64),
    th: f64,
    id: u32,
    max_len: f64,
    before: f64,
    (chance, best): (f64, f64),
) -> Option<f64> {
    let (dx, dy) = (th.cos() * 0.5, th.sin() * 0.5);
    let mut t = 0.0;
    let (mut x, mut y) = p;
    while t < max_len {
        x += dx;
        y += dy;
        t += 0.5;
        if (before + t) * chance >= best {
            return None;
        }
        match g.idx(floor_i(x), floor_i(y)) {
            Some(c) if !g.blocked_for(c, id) => {}
            _ => break,
        }
    }
    Some(t)
}

/// One half of a crack: from `p` heading `th`, until blocked, into `pts`.
fn grow(
    g: &Grid,
    p: (f64, f64),
    th: f64,
    id: u32,
    max_len: f64,
    rng: &mut ChaCha8Rng,
    pts: &mut Vec<(f64, f64)>,
) {
    pts.clear();
    pts.push(p);
    let (mut x, mut y) = p;
    let mut heading = th;
    let mut target = th;
    let mut t = 0.0;
    let mut crossed = false;
    while t < max_len {
        target += (rand_unit(rng) - 0.5) * 0.12;
        heading += 0.25 * (target - heading) + (rand_unit(rng) - 0.5) * 0.35;
        x += heading.cos() * 0.5;
        y += heading.sin() * 0.5;
        t += 0.5;
        pts.push((x, y));
        match g.idx(floor_i(x), floor_i(y)) {
            None => break,
            Some(c) if g.unwaxed[c] => break,
            Some(c) if g.crack[c] != 0 && g.crack[c] != id => {
                // Rarely a crack runs on through an earlier one.
                if crossed || rand_unit(rng) > 0.03 {
                    break;
                }
                crossed = true;
            }
            _ => {}
        }
    }
}

/// Marks the cells under `pts` as crack `id`, 4-connected so that later cracks
/// cannot slip between two diagonal cells.
fn mark(g: &mut Grid, pts: &[(f64, f64)], id: u32, q: &mut Pending) {
    let mut prev: Option<(i64, i64)> = None;
    let set = |g: &mut Grid, i: i64, j: i64, q: &mut Pending| {
        if let Some(c) = g.idx(i, j) {
            if !g.unwaxed[c] && g.crack[c] == 0 {
                g.crack[c] = id;
            }
            if g.dist[c] > 0.0 {
                let gw = g.gw as usize;
                g.lower(c % gw, c / gw, 0.0, q);
            }
        }
    };
    for &(x, y) in pts {
        let (i, j) = (floor_i(x), floor_i(y));
        if let Some((pi, pj)) = prev {
            if pi != i && pj != j {
                set(g, pi, j, q);
            }
        }
        set(g, i, j, q);
        prev = Some((i, j));
    }
}
