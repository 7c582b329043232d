//! Weave: visible warp and weft threads, and songket's metallic weft.
//!
//! Model: a plain weave at `threads` per cm. Each pixel belongs to one warp
//! (vertical) and one weft (horizontal) thread; in a plain weave the warp is on
//! top where their indices have even sum, the weft elsewhere. The thread on top
//! is shaded by its round cross-section (darker at its edges) and dips at the
//! ends of its float where it passes under; each thread has its own slight
//! brightness, as yarns do. The pattern colour is multiplied by the shading.
//!
//! With `metal` set (songket), a supplementary metallic weft, two ground wefts
//! thick, floats over the motif (where the pixel has the pattern's lightest motif
//! colour): the
//! metal colour shaded by the round thread with a specular highlight along it,
//! tied down by a warp every `float` threads in a stepped (twill-like) order,
//! so the gold catches light as couched thread does.
//!
//! All of it is a pure function of pixel coordinates and seed; in tileable
//! mode the thread counts are fitted to the tile as multiples of four so the
//! weave's parity and the printer's half shifts agree.
//!
//! Each term of a pixel's shading depends on its column alone (which warp, where
//! across it, the warp's brightness) or its row alone (the same for the weft,
//! and the metal weft's row shading), so both are tabulated once per region
//! (over the tile in tileable mode) and a pixel combines one entry of each;
//! the glint hash is kept while a row stays in one float.
//!
//! Rejected: a thread texture image (fixed resolution, visible tiling, and not
//! fitted to the repeat); rendering yarn geometry (far over the cost budget);
//! a per-pixel evaluation of the profiles and hashes (what this replaced: 4×,
//! with songket 5×, the plain render).

use std::ops::Range;

use super::field::{floor_i, for_each_run, signed, unit, Wrap};
use super::stage::{luminance, round_u8, Region};
use crate::motif::palette::Colour;
use crate::pattern::Pattern;

/// Parameters of the weave.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Weave {
    /// Threads per cm, warp and weft. Default: 20.
    pub threads: f64,
    /// Shading depth of the thread relief, 0..1. Default: 0.35.
    pub depth: f64,
    /// Metallic supplementary weft (songket) colour. Default: none.
    pub metal: Option<Colour>,
    /// Warps a metallic float passes over before it is tied down. Default: 5.
    pub float: u32,
}

impl Default for Weave {
    fn default() -> Self {
        Weave {
            threads: 20.0,
            depth: 0.35,
            metal: None,
            float: 5,
        }
    }
}

/// The weave for one render.
#[derive(Debug, Clone)]
pub struct WeaveField {
    tx: f64,
    ty: f64,
    wrap: Option<Wrap>,
    depth: f64,
    metal: Option<[f64; 3]>,
    float: i64,
    ground: [f64; 3],
    motif: [f64; 3],
    seed: u64,
}

impl Weave {
    /// The field for a render of `pattern` at `px_per_mm`.
    pub fn field(
        &self,
        px_per_mm: f64,
        wrap: Option<Wrap>,
        pattern: &Pattern,
        seed: u64,
    ) -> WeaveField {
        let rgb = |c: Colour| [c.red as f64, c.green as f64, c.blue as f64];
        // The metal takes the place of the lightest motif colour.
        let motif = pattern
            .colours
            .iter()
            .copied()
            .max_by(|a, b| {
                luminance(a.red, a.green, a.blue).total_cmp(&luminance(b.red, b.green, b.blue))
            })
            .unwrap_or(pattern.background);
        let nominal = 10.0 * px_per_mm / self.threads;
        // Multiples of four keep parity under half shifts; with metal, also
        // whole tie-down cycles, so the couching pattern wraps too.
        let q = if self.metal.is_some() {
            4 * self.float.max(2) as i64
        } else {
            4
        };
        let fit = |n: i64| {
            n as f64 / ((((n as f64 / nominal) / q as f64).round() as i64).max(1) * q) as f64
        };
        let (tx, ty) = match wrap {
            Some(w) => (fit(w.nx), fit(w.ny)),
            None => (nominal, nominal),
        };
        WeaveField {
            tx,
            ty,
            wrap,
            depth: self.depth,
            metal: self
                .metal
                .map(|c| [c.red as f64, c.green as f64, c.blue as f64]),
            float: self.float.max(2) as i64,
            ground: rgb(pattern.background),
            motif: rgb(motif),
            seed,
        }
    }
}

const LUT_N: usize = 1024;

/// `sin(πa)`, `sin(πa)^0.6` and `sin(πa)^0.3` for `a` in `[0, 1]`, tabulated:
/// the powers dominated the cost, and a thread's profile does not need more
/// than 1/1024 of its width.
fn profiles() -> &'static [[f64; 3]] {
    static T: std::sync::OnceLock<Vec<[f64; 3]>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        (0..=LUT_N)
            .map(|i| {
                let s = (std::f64::consts::PI * i as f64 / LUT_N as f64)
                    .sin()
                    .max(0.0);
                [s, s.powf(0.6), s.powf(0.3)]
            })
            .collect()
    })
}

fn lut(t: &[[f64; 3]], a: f64, k: usize) -> f64 {
    t[((a * LUT_N as f64) as usize).min(LUT_N)][k]
}

/// One column's (or row's) place in its thread: the thread index, the
/// position across it, the round profile there and the dip of a crossing
/// thread there, and the thread's own brightness; for the metal, the index
/// split into whole tie-down cycles of `float` threads and the rest.
#[derive(Debug, Clone, Copy)]
struct Place {
    n: i64,
    at: f64,
    round: f64,
    dip: f64,
    bright: f64,
    cycle: i64,
    in_cycle: i64,
}

/// Where a row is in the metallic weft: its supplementary row index (and
/// twice that, modulo the float, the stagger of its tie-downs), its body
/// shading and the height of the highlight along it.
#[derive(Debug, Clone, Copy)]
struct MetalRow {
    j2: i64,
    stagger: i64,
    body: f64,
    hl: f64,
}

impl WeaveField {
    /// The places of coordinates `lo .. hi` in threads `step` pixels apart.
    fn places(&self, lo: i64, hi: i64, step: f64, salt: u64) -> Vec<Place> {
        let t = profiles();
        (lo..hi)
            .map(|a| {
                let f = (a as f64 + 0.5) / step;
                let n = floor_i(f);
                let at = f - n as f64;
                Place {
                    n,
                    at,
                    round: lut(t, at, 1),
                    dip: lut(t, at, 2),
                    bright: signed(self.seed, salt, n, 0),
                    cycle: n.div_euclid(self.float),
                    in_cycle: n.rem_euclid(self.float),
                }
            })
            .collect()
    }

    /// The metallic weft's rows for coordinates `lo .. hi`.
    fn metal_rows(&self, lo: i64, hi: i64) -> Vec<MetalRow> {
        let t = profiles();
        (lo..hi)
            .map(|ry| {
                // Supplementary weft: rows two ground wefts thick.
                let fy2 = (ry as f64 + 0.5) / (2.0 * self.ty);
                let j2 = floor_i(fy2);
                let v2 = fy2 - j2 as f64;
                MetalRow {
                    j2,
                    stagger: (2 * j2).rem_euclid(self.float),
                    body: 0.5 + 0.5 * lut(t, v2, 0),
                    hl: (-((v2 - 0.35) / 0.1).powi(2)).exp(),
                }
            })
            .collect()
    }

    /// Weaves rows `rows` of `r`.
    ///
    /// Every term of a pixel's shading depends on its column alone or its row
    /// alone (which thread it is in and where across it), so those are
    /// tabulated once per region and a pixel combines one entry of each.
    pub fn apply(&self, r: &mut Region, rows: Range<usize>) {
        let s = self.seed;
        let t = profiles();
        let (x_lo, x_hi) = self.wrap.map_or((r.x, r.x + r.w as i64), |w| (0, w.nx));
        let (y_lo, y_hi) = self.wrap.map_or((r.y, r.y + r.h as i64), |w| (0, w.ny));
        let warps = self.places(x_lo, x_hi, self.tx, 61);
        let wefts = self.places(y_lo, y_hi, self.ty, 62);
        let metal_rows = match self.metal {
            Some(_) => self.metal_rows(y_lo, y_hi),
            None => Vec::new(),
        };
        // The highlight's fall-off along a float, by the float's position in
        // its tie-down cycle (a row's stagger plus a column's rest) and column.
        let ncols = warps.len();
        let mut sheen = Vec::new();
        if self.metal.is_some() {
            for tie in 0..self.float {
                sheen.extend(warps.iter().map(|wx| {
                    let along = (tie as f64 - 1.0 + wx.at) / (self.float - 1) as f64;
                    0.55 + 0.45 * lut(t, along.clamp(0.0, 1.0), 0)
                }));
            }
        }
        let depth = self.depth;
        for row in rows {
            let y = r.y + row as i64;
            let line = &mut r.data[row * r.w * 4..(row + 1) * r.w * 4];
            for_each_run(self.wrap, r.x, r.w, y, |col, len, rx, ry| {
                let wy = wefts[(ry - y_lo) as usize];
                let mr = metal_rows.get((ry - y_lo) as usize);
                // The metal's glint, base colour and headroom to white, kept
                // while the row stays in one tie-down cycle.
                let mut glint_at = (i64::MIN, [0.0; 3], [0.0; 3]);
                let first = (rx - x_lo) as usize;
                let pixels = line[col * 4..(col + len) * 4].chunks_exact_mut(4);
                for (ci, (wx, px)) in warps[first..].iter().zip(pixels).enumerate() {
                    // Plain weave: the warp is on top where the indices' sum is even.
                    let shade = if (wx.n + wy.n).rem_euclid(2) == 0 {
                        1.0 - depth * (1.0 - wx.round * (0.7 + 0.3 * wy.dip))
                            + depth * 0.12 * wx.bright
                    } else {
                        1.0 - depth * (1.0 - wy.round * (0.7 + 0.3 * wx.dip))
                            + depth * 0.12 * wy.bright
                    };
                    let mut out = [
                        px[0] as f64 * shade,
                        px[1] as f64 * shade,
                        px[2] as f64 * shade,
                    ];
                    if let (Some(m), Some(mr)) = (self.metal, mr) {
                        let dist: f64 = (0..3).map(|c| (px[c] as f64 - self.motif[c]).abs()).sum();
                        let motif = (1.0 - (dist - 30.0) / 60.0).clamp(0.0, 1.0);
                        if motif > 0.0 {
                            // (i + 2 j2) mod float, from the two tabulated rests.
                            let tie = wx.in_cycle + mr.stagger;
                            let tie = if tie >= self.float {
                                tie - self.float
                            } else {
                                tie
                            };
                            let metal = if tie == 0 {
                                // The tying warp, in the ground colour,
                                // crosses over the metal here.
                                let g = self.ground;
                                [g[0] * shade, g[1] * shade, g[2] * shade]
                            } else {
                                if glint_at.0 != wx.cycle {
                                    let g = 0.85 + 0.25 * unit(s, 63, wx.cycle, mr.j2);
                                    let b = m.map(|m| m * mr.body * g);
                                    glint_at = (wx.cycle, b, b.map(|b| (255.0 - b).max(0.0) * 0.7));
                                }
                                let hl = mr.hl * sheen[tie as usize * ncols + first + ci];
                                let (_, b, room) = glint_at;
                                [
                                    b[0] + room[0] * hl,
                                    b[1] + room[1] * hl,
                                    b[2] + room[2] * hl,
                                ]
                            };
                            for ch in 0..3 {
                                out[ch] = out[ch] * (1.0 - motif) + metal[ch] * motif;
                            }
                        }
                    }
                    for ch in 0..3 {
                        px[ch] = round_u8(out[ch]);
                    }
                }
            });
        }
    }
}
