//! Labelling the connected regions of wax on the whole grid, one at a time
//! in the order of their first cell (see [`grow_all`](super::grow::grow_all)).
//!
//! Without a wrap, a region is flooded a run at a time: a maximal run of
//! waxed cells in a row is wax up to the next unwaxed cell either way, so
//! its ends are found 64 cells at a time in the wax's bits, and the cells
//! 8-connected to it are the runs of the rows above and below that meet its
//! columns widened by one. Every run is reached whole, so a run is either
//! all seen or not at all, and marking and testing it costs a few words
//! instead of a stack entry and eight neighbour lookups per cell (what the
//! flood cell by cell cost: about 300 instructions a cell, an eighth of a
//! 4096² crackle render). A region's cells are handed on as its runs.
//!
//! In tileable mode a run may continue across the wrap on another row (a
//! half-drop moves it), and where each cell was reached, unwrapped, tells the
//! regions that meet a copy of themselves; the tile is one repeat, so the
//! flood there stays cell by cell.

use super::grow::{steps_flat, Bits, Cells, STEPS};

/// A run of cells in one row, unwrapped: `(row, first column, end column)`,
/// the end excluded.
pub(super) type Run = (i32, i32, i32);

/// A connected region of waxed cells (8-connected, the way cracks and the
/// distance steps move): cracks and distances never leave it.
pub(super) struct Component {
    /// Its first cell in index order (reduced), where it is flooded from again.
    pub first: (i64, i64),
    /// Its box in unwrapped cells, with one cell to spare on every side.
    pub x0: i64,
    pub y0: i64,
    pub x1: i64,
    pub y1: i64,
    /// In tileable mode, whether it meets a copy of itself across the wrap
    /// (then it is grown on the whole wrapped grid).
    pub periodic: bool,
}

impl Component {
    /// Which cells of its box, unwrapped, are not wax, from the runs the
    /// labelling reached (`runs`, unwrapped): the cells the grid's flood
    /// would reach from its first cell when it does not meet a copy of
    /// itself, without looking up the whole grid's wax again.
    pub fn unwaxed(&self, runs: &[Run]) -> Vec<bool> {
        let gw = self.x1 - self.x0 + 1;
        let mut unwaxed = vec![true; (gw * (self.y1 - self.y0 + 1)) as usize];
        for &(j, a, b) in runs {
            let row = (j as i64 - self.y0) * gw - self.x0;
            unwaxed[(row + a as i64) as usize..(row + b as i64) as usize].fill(false);
        }
        unwaxed
    }

    fn at(i: i64, j: i64) -> Self {
        Component {
            first: (i, j),
            x0: i,
            y0: j,
            x1: i,
            y1: j,
            periodic: false,
        }
    }

    fn include(&mut self, (j, a, b): Run) {
        self.x0 = self.x0.min(a as i64);
        self.x1 = self.x1.max(b as i64 - 1);
        self.y0 = self.y0.min(j as i64);
        self.y1 = self.y1.max(j as i64);
    }
}

/// Hands each component of waxed cells to `each`, in the order of their
/// first cell, with the runs (unwrapped) its cells were reached in. A bit
/// per cell says which have been reached; in tileable mode, where each cell
/// was reached unwrapped too, to tell the components that meet a copy of
/// themselves (the tile is one repeat, so that is small).
pub(super) fn components(c: &Cells, mut each: impl FnMut(Component, &[Run])) {
    let n = (c.gw * c.gh) as usize;
    let mut seen = Bits::new(n);
    let mut at = if c.wrap.is_some() {
        vec![(0i32, 0i32); n]
    } else {
        Vec::new()
    };
    let mut stack = Vec::new();
    let mut runs = Vec::new();
    // A word of 64 cells at a time: most of the grid is already seen or not
    // wax, and the first cells are taken in index order as one by one.
    for w in 0..c.unwaxed.0.len() {
        let mut todo = !(c.unwaxed.0[w] | seen.0[w]);
        while todo != 0 {
            let first = w * 64 + todo.trailing_zeros() as usize;
            todo &= todo - 1;
            // The flood of an earlier first cell of this word may have reached it.
            if first >= n || seen.get(first) {
                continue;
            }
            runs.clear();
            let k = if c.wrap.is_some() {
                by_cell(c, first, &mut seen, &mut at, &mut runs)
            } else {
                by_run(c, first, &mut seen, &mut stack, &mut runs)
            };
            each(k, &runs);
        }
    }
}

/// The component of waxed cells from `first` on a grid without a wrap,
/// marking its cells in `seen` and appending its runs to `runs` (this buffer
/// and `stack` hold the largest component's).
fn by_run(
    c: &Cells,
    first: usize,
    seen: &mut Bits,
    stack: &mut Vec<Run>,
    runs: &mut Vec<Run>,
) -> Component {
    let gw = c.gw as usize;
    let unwaxed = |w: usize| c.unwaxed.0[w];
    // The run of waxed cells through `x` of row `j` (which starts at `row`):
    // it ends at the nearest cells that are not wax either side.
    let run_at = |j: usize, row: usize, x: usize| {
        let a = last_one(unwaxed, x, row);
        let b = first_one(unwaxed, x, row + gw);
        (j as i32, (a - row) as i32, (b - row) as i32)
    };
    let (i0, j0) = (first % gw, first / gw);
    let mut k = Component::at(i0 as i64, j0 as i64);
    let r = run_at(j0, j0 * gw, first);
    seen.set_range(first - i0 + r.1 as usize, first - i0 + r.2 as usize);
    stack.push(r);
    while let Some(r @ (j, a, b)) = stack.pop() {
        runs.push(r);
        k.include(r);
        let (lo, hi) = ((a - 1).max(0) as usize, (b as usize + 1).min(gw));
        for nj in [j as i64 - 1, j as i64 + 1] {
            if nj < 0 || nj >= c.gh {
                continue;
            }
            let (nj, row) = (nj as usize, nj as usize * gw);
            // The runs not yet seen that meet columns `lo..hi`: each is seen
            // whole once any cell of it is.
            let mut x = row + lo;
            loop {
                x = first_one(|w| !(c.unwaxed.0[w] | seen.0[w]), x, row + hi);
                if x == row + hi {
                    break;
                }
                let r = run_at(nj, row, x);
                seen.set_range(row + r.1 as usize, row + r.2 as usize);
                stack.push(r);
                x = row + r.2 as usize;
            }
        }
    }
    k.pad(c);
    k
}

/// The component of waxed cells from `first`, cell by cell, as tileable mode
/// needs (see the module docs; without a wrap it is the reference the runs
/// are tested against), marking its cells in `seen` and where each was
/// reached, unwrapped, in `at`; its cells go to `runs` one each (as `at`
/// has them, in 32 bits: this buffer holds the largest component).
fn by_cell(
    c: &Cells,
    first: usize,
    seen: &mut Bits,
    at: &mut [(i32, i32)],
    runs: &mut Vec<Run>,
) -> Component {
    let (i0, j0) = (first as i64 % c.gw, first as i64 / c.gw);
    let mut k = Component::at(i0, j0);
    let flat = steps_flat(c.gw);
    seen.set(first);
    at[first] = (i0 as i32, j0 as i32);
    let mut stack = vec![(i0, j0)];
    while let Some((i, j)) = stack.pop() {
        let r = (j as i32, i as i32, i as i32 + 1);
        runs.push(r);
        k.include(r);
        // Away from the grid's edges a neighbour's index is an offset (and
        // needs no reduction by the wrap).
        let inner = i > 0 && j > 0 && i < c.gw - 1 && j < c.gh - 1;
        let here = (j * c.gw + i) as usize;
        for (&(di, dj, _), &o) in STEPS.iter().zip(&flat) {
            let (ni, nj) = (i + di, j + dj);
            let g = if inner {
                here.wrapping_add_signed(o)
            } else {
                let Some(g) = c.idx(ni, nj) else { continue };
                g
            };
            if c.unwaxed.get(g) {
                continue;
            }
            if !seen.get(g) {
                seen.set(g);
                at[g] = (ni as i32, nj as i32);
                stack.push((ni, nj));
            } else if at[g] != (ni as i32, nj as i32) {
                k.periodic = true;
            }
        }
    }
    k.pad(c);
    k
}

impl Component {
    /// One cell of non-wax around it (off the grid without a wrap).
    fn pad(&mut self, c: &Cells) {
        self.x0 -= 1;
        self.y0 -= 1;
        self.x1 += 1;
        self.y1 += 1;
        if c.wrap.is_none() {
            self.x0 = self.x0.max(0);
            self.y0 = self.y0.max(0);
            self.x1 = self.x1.min(c.gw - 1);
            self.y1 = self.y1.min(c.gh - 1);
        }
    }
}

/// The first `k` of `from..to` whose bit is set in `word(k / 64)`, or `to`.
fn first_one(word: impl Fn(usize) -> u64, from: usize, to: usize) -> usize {
    if from >= to {
        return to;
    }
    let mut w = from >> 6;
    let mut bits = word(w) & (!0 << (from & 63));
    while bits == 0 {
        w += 1;
        if w << 6 >= to {
            return to;
        }
        bits = word(w);
    }
    (w * 64 + bits.trailing_zeros() as usize).min(to)
}

/// One past the last `k` of `to..from` whose bit is set in `word(k / 64)`,
/// or `to`: where the run of clear bits ending before `from` starts.
fn last_one(word: impl Fn(usize) -> u64, from: usize, to: usize) -> usize {
    if from <= to {
        return to;
    }
    let mut w = (from - 1) >> 6;
    let mut bits = word(w) & (!0 >> (63 - ((from - 1) & 63)));
    while bits == 0 {
        if w << 6 <= to {
            return to;
        }
        w -= 1;
        bits = word(w);
    }
    (w * 64 + 64 - bits.leading_zeros() as usize).max(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_scans_find_the_ends_of_runs() {
        let mut b = Bits::new(300);
        for k in [3, 64, 130, 199, 200] {
            b.set(k);
        }
        let w = |w: usize| b.0[w];
        assert_eq!(first_one(w, 0, 300), 3);
        assert_eq!(first_one(w, 4, 300), 64);
        assert_eq!(first_one(w, 65, 300), 130);
        assert_eq!(first_one(w, 65, 120), 120);
        assert_eq!(first_one(w, 201, 300), 300);
        assert_eq!(first_one(w, 5, 5), 5);
        assert_eq!(last_one(w, 130, 0), 65);
        assert_eq!(last_one(w, 131, 0), 131);
        assert_eq!(last_one(w, 64, 0), 4);
        assert_eq!(last_one(w, 199, 70), 131);
        assert_eq!(last_one(w, 129, 100), 100);
        assert_eq!(last_one(w, 3, 0), 0);
        assert_eq!(last_one(w, 2, 2), 2);
    }

    #[test]
    fn runs_label_the_cells_the_flood_cell_by_cell_does() {
        // A seeded grid of wax with regions of every shape, labelled both ways.
        let (gw, gh) = (131i64, 97i64);
        let mut unwaxed = Bits::new((gw * gh) as usize);
        for k in 0..(gw * gh) as usize {
            if super::super::super::field::unit(5, 1, k as i64, 0) < 0.6 {
                unwaxed.set(k);
            }
        }
        let c = Cells {
            gw,
            gh,
            wrap: None,
            unwaxed: &unwaxed,
            seed: 0,
        };
        let label = |cell: bool| {
            let n = (gw * gh) as usize;
            let mut seen = Bits::new(n);
            let mut out = Vec::new();
            for first in 0..n {
                if unwaxed.get(first) || seen.get(first) {
                    continue;
                }
                let mut runs = Vec::new();
                let k = if cell {
                    by_cell(&c, first, &mut seen, &mut vec![(0, 0); n], &mut runs)
                } else {
                    by_run(&c, first, &mut seen, &mut Vec::new(), &mut runs)
                };
                out.push((k.first, (k.x0, k.y0, k.x1, k.y1), k.unwaxed(&runs)));
            }
            out
        };
        let (a, b) = (label(true), label(false));
        assert!(a.len() > 50, "{} components", a.len());
        assert!(a == b);
    }
}
