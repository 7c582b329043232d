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
//! Rejected: a thread texture image (fixed resolution, visible tiling, and not
//! fitted to the repeat); rendering yarn geometry (far over the cost budget).

use super::field::{signed, unit, Wrap};
use super::stage::luminance;
use super::stage::Region;
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

impl WeaveField {
    /// Weaves `r`.
    pub fn apply(&self, r: &mut Region) {
        let s = self.seed;
        let t = profiles();
        for row in 0..r.h {
            let y = r.y + row as i64;
            for col in 0..r.w {
                let x = r.x + col as i64;
                let (rx, ry) = self.wrap.map_or((x, y), |w| w.reduce(x, y));
                let (fx, fy) = ((rx as f64 + 0.5) / self.tx, (ry as f64 + 0.5) / self.ty);
                let (i, j) = (fx.floor() as i64, fy.floor() as i64);
                let (u, v) = (fx - i as f64, fy - j as f64);
                let warp_on_top = (i + j).rem_euclid(2) == 0;
                let (across, along, id) = if warp_on_top {
                    (u, v, (0, i))
                } else {
                    (v, u, (1, j))
                };
                let round = lut(t, across, 1);
                let dip = lut(t, along, 2);
                let shade = 1.0 - self.depth * (1.0 - round * (0.7 + 0.3 * dip))
                    + self.depth * 0.12 * signed(s, 61 + id.0, id.1, 0);
                let k = (row * r.w + col) * 4;
                let px = &mut r.data[k..k + 4];
                let mut out = [
                    px[0] as f64 * shade,
                    px[1] as f64 * shade,
                    px[2] as f64 * shade,
                ];
                if let Some(m) = self.metal {
                    let dist: f64 = (0..3).map(|c| (px[c] as f64 - self.motif[c]).abs()).sum();
                    let motif = (1.0 - (dist - 30.0) / 60.0).clamp(0.0, 1.0);
                    if motif > 0.0 {
                        // Supplementary weft: rows two ground wefts thick.
                        let fy2 = (ry as f64 + 0.5) / (2.0 * self.ty);
                        let j2 = fy2.floor() as i64;
                        let v2 = fy2 - j2 as f64;
                        let tied = (i + 2 * j2).rem_euclid(self.float) == 0;
                        let metal = if tied {
                            // The tying warp, in the ground colour, crosses over the metal here.
                            let g = self.ground;
                            [g[0] * shade, g[1] * shade, g[2] * shade]
                        } else {
                            let along = ((i + 2 * j2).rem_euclid(self.float) as f64 - 1.0 + u)
                                / (self.float - 1) as f64;
                            let body = 0.5 + 0.5 * lut(t, v2, 0);
                            let glint = 0.85 + 0.25 * unit(s, 63, i.div_euclid(self.float), j2);
                            let hl = (-((v2 - 0.35) / 0.1).powi(2)).exp()
                                * (0.55 + 0.45 * lut(t, along.clamp(0.0, 1.0), 0));
                            let mut c = [0.0; 3];
                            for ch in 0..3 {
                                let b = m[ch] * body * glint;
                                c[ch] = b + (255.0 - b).max(0.0) * 0.7 * hl;
                            }
                            c
                        };
                        for ch in 0..3 {
                            out[ch] = out[ch] * (1.0 - motif) + metal[ch] * motif;
                        }
                    }
                }
                for ch in 0..3 {
                    px[ch] = out[ch].round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}
