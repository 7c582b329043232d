//! Wax crackle (remukan): thin dye-filled cracks where the wax broke.
//!
//! Model, after Wyvill, van Overveld and Carpendale, "Rendering Cracks in
//! Batik" (NPAR 2004): cracks form one after another on the waxed cloth. A
//! distance field holds, for every cell of a coarse grid, the distance to the
//! nearest wax edge or earlier crack. The next crack starts near the cell
//! farthest from both (a seeded jitter picks among near-ties), runs across the
//! region the short way (of eight seeded directions, the shortest chord, so
//! regions split into compact plates as drying wax does), wandering a little,
//! and each of its two ends stops where it meets the wax edge or an earlier
//! crack. So T-junctions are common and crossings rare (a small seeded
//! chance lets a crack run on through one). Cracks stop forming when no cell is
//! farther than half the crack spacing from a crack. Older cracks are wider
//! (they opened first and were stretched longest). The dye colour multiplies
//! the pixel where a crack lies over wax.
//!
//! Wax is everywhere but the darkest colour: pixels whose luminance is above
//! 20% of the way from the pattern's darkest colour to its lightest. In a
//! classical batik the darkest dye (the outlines, the soga or indigo of the last
//! bath) is the only part never covered by wax, so the cracks run over ground
//! and motif alike and stop at the dark lines.
//!
//! The crack network is computed once per render on a grid over the image (or,
//! in tileable mode, over the exact tile with the printer's wrap, so cracks
//! continue across tile edges) and stored as segments in buckets; each output
//! pixel is then a pure function of its coordinates, so strips, threads and
//! the tile margin do not matter.
//!
//! Rejected: Voronoi cells (no T-junction ordering, every vertex is a Y); a
//! random walk on pixels per strip (cracks would stop at strip edges); growing
//! at full resolution (minutes for a print-size image, for no visible gain
//! since cracks are a few pixels wide).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use kurbo::Affine;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::field::{hash, unit, Wrap};
use super::stage::{luminance, Frame, Region};
use crate::error::Error;
use crate::motif::palette::Colour;
use crate::pattern::Pattern;
use crate::render::{render_image, RenderOptions, View};

/// Parameters of wax crackle.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Crackle {
    /// Cracks per centimetre (the spacing of the crack network is 10/density mm). Default: 4.
    pub density: f64,
    /// Average crack width in mm. Default: 0.08.
    pub width_mm: f64,
    /// The dye that entered the cracks. Default: #3B2A20 (soga brown).
    pub dye: Colour,
}

impl Default for Crackle {
    fn default() -> Self {
        Crackle {
            density: 4.0,
            width_mm: 0.08,
            dye: Colour::new(0x3B, 0x2A, 0x20, 255),
        }
    }
}

/// A straight piece of crack in image pixels.
#[derive(Debug, Clone, Copy)]
struct Seg {
    a: (f64, f64),
    b: (f64, f64),
    half_width: f64,
    strength: f64,
}

/// The crack network of one render.
#[derive(Debug)]
pub struct CrackField {
    buckets: Vec<Vec<Seg>>,
    bucket: f64,
    nbx: usize,
    nby: usize,
    wrap: Option<Wrap>,
    dye: [f64; 3],
    wax_threshold: f64,
    /// Number of cracks grown (for tests and reports).
    pub cracks: usize,
}

const BUCKET_PX: f64 = 8.0;

#[derive(PartialEq)]
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

struct Grid {
    gw: i64,
    gh: i64,
    wrap: Option<Wrap>,
    /// 0 free wax, 1 not wax.
    unwaxed: Vec<bool>,
    crack: Vec<u32>,
    dist: Vec<f64>,
}

impl Grid {
    fn idx(&self, i: i64, j: i64) -> Option<usize> {
        match self.wrap {
            Some(w) => {
                let (i, j) = w.reduce(i, j);
                Some((j * self.gw + i) as usize)
            }
            None if i >= 0 && j >= 0 && i < self.gw && j < self.gh => {
                Some((j * self.gw + i) as usize)
            }
            None => None,
        }
    }

    /// Dijkstra with 8-neighbour chamfer steps from the cells in `heap`.
    fn relax(&mut self, heap: &mut BinaryHeap<std::cmp::Reverse<Key>>) {
        const STEPS: [(i64, i64, f64); 8] = [
            (1, 0, 1.0),
            (-1, 0, 1.0),
            (0, 1, 1.0),
            (0, -1, 1.0),
            (1, 1, std::f64::consts::SQRT_2),
            (1, -1, std::f64::consts::SQRT_2),
            (-1, 1, std::f64::consts::SQRT_2),
            (-1, -1, std::f64::consts::SQRT_2),
        ];
        while let Some(std::cmp::Reverse(Key(d, c))) = heap.pop() {
            if d > self.dist[c] {
                continue;
            }
            let (i, j) = ((c as i64) % self.gw, (c as i64) / self.gw);
            for (di, dj, w) in STEPS {
                if let Some(n) = self.idx(i + di, j + dj) {
                    let nd = d + w;
                    if nd < self.dist[n] {
                        self.dist[n] = nd;
                        heap.push(std::cmp::Reverse(Key(nd, n)));
                    }
                }
            }
        }
    }

    fn blocked_for(&self, c: usize, id: u32) -> bool {
        self.unwaxed[c] || (self.crack[c] != 0 && self.crack[c] != id)
    }
}

fn rand_unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

impl Crackle {
    /// Grows the crack network for `view` of `pattern`.
    pub fn field(
        &self,
        pattern: &Pattern,
        view: &View,
        frame: &Frame,
        seed: u64,
        opts: &RenderOptions,
    ) -> Result<CrackField, Error> {
        let spacing_px = 10.0 / self.density * frame.px_per_mm;
        let (dw, dh) = match frame.wrap {
            Some(w) => (w.nx as f64, w.ny as f64),
            None => (view.width as f64, view.height as f64),
        };
        let mut cell = (spacing_px / 9.0).max(1.0);
        cell = cell.max((dw * dh / 2.5e6).sqrt());
        let (gwrap, gw, gh) = match frame.wrap {
            Some(w) => {
                let (c, _, _) = w.coarse(cell);
                (Some(c), c.nx, c.ny)
            }
            None => (None, (dw / cell).ceil() as i64, (dh / cell).ceil() as i64),
        };
        let (sx, sy) = match frame.wrap {
            Some(_) => (dw / gw as f64, dh / gh as f64),
            None => (cell, cell),
        };
        let wax_threshold = wax_threshold(pattern);
        // The wax: the pattern rendered at grid resolution.
        let small = View::new(
            gw as u32,
            gh as u32,
            Affine::scale_non_uniform(1.0 / sx, 1.0 / sy) * view.transform,
        );
        let img = render_image(pattern, &small, opts)?;
        let unwaxed: Vec<bool> = img
            .pixels()
            .map(|p| p.0[3] < 128 || luminance(p.0[0], p.0[1], p.0[2]) <= wax_threshold)
            .collect();
        let n = (gw * gh) as usize;
        let mut g = Grid {
            gw,
            gh,
            wrap: gwrap,
            unwaxed,
            crack: vec![0; n],
            dist: vec![f64::INFINITY; n],
        };
        let mut heap = BinaryHeap::new();
        for c in 0..n {
            let (i, j) = ((c as i64) % gw, (c as i64) / gw);
            let border = gwrap.is_none() && (i == 0 || j == 0 || i == gw - 1 || j == gh - 1);
            if g.unwaxed[c] || border {
                g.dist[c] = if g.unwaxed[c] { 0.0 } else { 1.0 };
                heap.push(std::cmp::Reverse(Key(g.dist[c], c)));
            }
        }
        g.relax(&mut heap);
        let spacing = spacing_px / sx.max(sy);
        let stop = spacing * 0.35;
        let max_len = (gw.max(gh) as f64).min(spacing * 12.0);
        let jitter = |c: usize| 0.85 + 0.3 * unit(seed, 31, c as i64, 0);
        let mut far: BinaryHeap<Key> = (0..n)
            .filter(|&c| !g.unwaxed[c])
            .map(|c| Key(g.dist[c].min(1e9) * jitter(c), c))
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(hash(seed, 32, 0, 0));
        let mut cracks: Vec<Vec<(f64, f64)>> = Vec::new();
        while let Some(Key(k, c)) = far.pop() {
            let now = g.dist[c].min(1e9) * jitter(c);
            if now < k - 1e-9 {
                far.push(Key(now, c));
                continue;
            }
            if g.dist[c] < stop || g.crack[c] != 0 {
                if g.dist[c] < stop {
                    break;
                }
                continue;
            }
            let id = cracks.len() as u32 + 1;
            let start = (
                (c as i64 % gw) as f64 + 0.2 + 0.6 * rand_unit(&mut rng),
                (c as i64 / gw) as f64 + 0.2 + 0.6 * rand_unit(&mut rng),
            );
            // The shortest chord of eight directions, with a little chance.
            let th0 = rand_unit(&mut rng) * std::f64::consts::PI;
            let mut best = (f64::INFINITY, th0);
            for k in 0..8 {
                let th = th0 + k as f64 * std::f64::consts::PI / 8.0;
                let len = (ray(&g, start, th, id, max_len)
                    + ray(&g, start, th + std::f64::consts::PI, id, max_len))
                    * (1.0 + 0.35 * rand_unit(&mut rng));
                if len < best.0 {
                    best = (len, th);
                }
            }
            let mut a = grow(&g, start, best.1, id, max_len, &mut rng);
            let b = grow(
                &g,
                start,
                best.1 + std::f64::consts::PI,
                id,
                max_len,
                &mut rng,
            );
            a.reverse();
            a.extend(b.into_iter().skip(1));
            mark(&mut g, &a, id, &mut heap);
            g.relax(&mut heap);
            cracks.push(a);
            if cracks.len() > 200_000 {
                break;
            }
        }
        let width_px = self.width_mm * frame.px_per_mm;
        let total = cracks.len().max(2) as f64;
        let mut segs = Vec::new();
        for (k, pts) in cracks.iter().enumerate() {
            // Oldest 1.5× the average width, newest 0.5×.
            let age = 1.5 - k as f64 / (total - 1.0);
            let half_width = 0.5 * width_px * age.max(0.5);
            let strength = 0.6 + 0.3 * unit(seed, 33, k as i64, 0);
            let thin: Vec<(f64, f64)> = pts
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 0 || *i == pts.len() - 1)
                .map(|(_, p)| (p.0 * sx, p.1 * sy))
                .collect();
            for w in thin.windows(2) {
                segs.push(Seg {
                    a: w[0],
                    b: w[1],
                    half_width,
                    strength,
                });
            }
        }
        let nbx = (dw / BUCKET_PX).ceil() as usize;
        let nby = (dh / BUCKET_PX).ceil() as usize;
        let mut buckets = vec![Vec::new(); nbx * nby];
        let shifts: Vec<(f64, f64)> = match frame.wrap {
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
        for s in &segs {
            for &(ox, oy) in &shifts {
                let r = s.half_width + 1.0;
                let x0 = s.a.0.min(s.b.0) + ox - r;
                let x1 = s.a.0.max(s.b.0) + ox + r;
                let y0 = s.a.1.min(s.b.1) + oy - r;
                let y1 = s.a.1.max(s.b.1) + oy + r;
                if x1 < 0.0 || y1 < 0.0 || x0 >= dw || y0 >= dh {
                    continue;
                }
                let bx0 = (x0.max(0.0) / BUCKET_PX) as usize;
                let by0 = (y0.max(0.0) / BUCKET_PX) as usize;
                let bx1 = ((x1 / BUCKET_PX) as usize).min(nbx - 1);
                let by1 = ((y1 / BUCKET_PX) as usize).min(nby - 1);
                let moved = Seg {
                    a: (s.a.0 + ox, s.a.1 + oy),
                    b: (s.b.0 + ox, s.b.1 + oy),
                    ..*s
                };
                for by in by0..=by1 {
                    for bx in bx0..=bx1 {
                        buckets[by * nbx + bx].push(moved);
                    }
                }
            }
        }
        Ok(CrackField {
            buckets,
            bucket: BUCKET_PX,
            nbx,
            nby,
            wrap: frame.wrap,
            dye: [
                self.dye.red as f64 / 255.0,
                self.dye.green as f64 / 255.0,
                self.dye.blue as f64 / 255.0,
            ],
            wax_threshold,
            cracks: cracks.len(),
        })
    }
}

/// Luminance 20% of the way from the darkest colour of `p` to its lightest.
fn wax_threshold(p: &Pattern) -> f64 {
    let lums: Vec<f64> = std::iter::once(p.background)
        .chain(p.colours.iter().copied())
        .map(|c| luminance(c.red, c.green, c.blue))
        .collect();
    let lo = lums.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = lums.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    lo + 0.2 * (hi - lo)
}

/// How far a straight line from `p` at angle `th` runs before it is blocked.
fn ray(g: &Grid, p: (f64, f64), th: f64, id: u32, max_len: f64) -> f64 {
    let (dx, dy) = (th.cos() * 0.5, th.sin() * 0.5);
    let mut t = 0.0;
    let (mut x, mut y) = p;
    while t < max_len {
        x += dx;
        y += dy;
        t += 0.5;
        match g.idx(x.floor() as i64, y.floor() as i64) {
            Some(c) if !g.blocked_for(c, id) => {}
            _ => break,
        }
    }
    t
}

/// One half of a crack: from `p` heading `th`, until blocked.
fn grow(
    g: &Grid,
    p: (f64, f64),
    th: f64,
    id: u32,
    max_len: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<(f64, f64)> {
    let mut pts = vec![p];
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
        match g.idx(x.floor() as i64, y.floor() as i64) {
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
    pts
}

/// Marks the cells under `pts` as crack `id`, 4-connected so that later cracks
/// cannot slip between two diagonal cells.
fn mark(g: &mut Grid, pts: &[(f64, f64)], id: u32, heap: &mut BinaryHeap<std::cmp::Reverse<Key>>) {
    let mut prev: Option<(i64, i64)> = None;
    let mut set = |g: &mut Grid, i: i64, j: i64| {
        if let Some(c) = g.idx(i, j) {
            if !g.unwaxed[c] && g.crack[c] == 0 {
                g.crack[c] = id;
            }
            if g.dist[c] > 0.0 {
                g.dist[c] = 0.0;
                heap.push(std::cmp::Reverse(Key(0.0, c)));
            }
        }
    };
    for &(x, y) in pts {
        let (i, j) = (x.floor() as i64, y.floor() as i64);
        if let Some((pi, pj)) = prev {
            if pi != i && pj != j {
                set(g, pi, j);
            }
        }
        set(g, i, j);
        prev = Some((i, j));
    }
}

impl CrackField {
    /// Darkens the cracked pixels of `r`.
    pub fn apply(&self, r: &mut Region) {
        for row in 0..r.h {
            let y = r.y + row as i64;
            for col in 0..r.w {
                let x = r.x + col as i64;
                let (px, py) = match self.wrap {
                    Some(w) => w.reduce_f(x as f64 + 0.5, y as f64 + 0.5),
                    None => (x as f64 + 0.5, y as f64 + 0.5),
                };
                if px < 0.0 || py < 0.0 {
                    continue;
                }
                let (bx, by) = ((px / self.bucket) as usize, (py / self.bucket) as usize);
                if bx >= self.nbx || by >= self.nby {
                    continue;
                }
                let segs = &self.buckets[by * self.nbx + bx];
                if segs.is_empty() {
                    continue;
                }
                let mut cov: f64 = 0.0;
                for s in segs {
                    let reach = s.half_width + 0.5;
                    let d2 = seg_dist2((px, py), s.a, s.b);
                    if d2 >= reach * reach {
                        continue;
                    }
                    let c = (reach - d2.sqrt()).min(1.0) * s.strength;
                    cov = cov.max(c);
                }
                if cov <= 0.0 {
                    continue;
                }
                let i = (row * r.w + col) * 4;
                let p = &mut r.data[i..i + 4];
                let l = luminance(p[0], p[1], p[2]);
                let wax = ((l - self.wax_threshold) / 0.06 + 0.5).clamp(0.0, 1.0);
                let k = cov * wax;
                for (c, dye) in p.iter_mut().zip(self.dye) {
                    let v = *c as f64 * (1.0 - k * (1.0 - dye));
                    *c = v.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

fn seg_dist2(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let (wx, wy) = (p.0 - a.0, p.1 - a.1);
    let l2 = vx * vx + vy * vy;
    let t = if l2 > 0.0 {
        ((wx * vx + wy * vy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (wx - t * vx, wy - t * vy);
    dx * dx + dy * dy
}
