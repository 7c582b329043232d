//! Deterministic randomness and periodic fields shared by the effects.
//!
//! Every random value an effect uses is either a hash of `(seed, salt,
//! integer coordinates)` — SplitMix64's finaliser, a fixed, portable function —
//! or comes from a ChaCha8 stream seeded from such a hash (the crack growth,
//! which is sequential by nature). Nothing depends on the platform, the thread
//! count or the order pixels are visited in.
//!
//! A [`Wrap`] describes the period of an exact repeat tile: a rectangle
//! `nx × ny` whose neighbours sit beside it (block), dropped by half its height
//! (half-drop) or shifted by half its width (brick). Fields built on integer
//! lattice points whose coordinates are reduced by the wrap before hashing are
//! periodic in that lattice, so a tile with effects tiles seamlessly the way the
//! printer lays it.

/// SplitMix64's output function: a bijective, well-mixed 64-bit hash.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of a seed, a salt naming the use, and two integer coordinates.
pub fn hash(seed: u64, salt: u64, i: i64, j: i64) -> u64 {
    mix(
        mix(mix(seed ^ salt.wrapping_mul(0xA24B_AED4_963E_E407)) ^ i as u64)
            ^ (j as u64).rotate_left(32),
    )
}

/// `hash` as a number in `[0, 1)`.
pub fn unit(seed: u64, salt: u64, i: i64, j: i64) -> f64 {
    (hash(seed, salt, i, j) >> 11) as f64 / (1u64 << 53) as f64
}

/// `hash` as a number in `[-1, 1)`.
pub fn signed(seed: u64, salt: u64, i: i64, j: i64) -> f64 {
    unit(seed, salt, i, j) * 2.0 - 1.0
}

/// How copies of an exact tile are laid by the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// Side by side.
    None,
    /// The next column is dropped by half the height.
    HalfDrop,
    /// The next row is shifted by half the width.
    Brick,
}

/// An integer period: `(x, y)` and `(x + nx, y + ny/2)` (half-drop) or
/// `(x + nx/2, y + ny)` (brick) or `(x + nx, y)`, `(x, y + ny)` are the same point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrap {
    /// Width of the fundamental rectangle.
    pub nx: i64,
    /// Height of the fundamental rectangle.
    pub ny: i64,
    /// How neighbouring rectangles are offset.
    pub shift: Shift,
}

impl Wrap {
    /// The representative of `(i, j)` inside `[0, nx) × [0, ny)`.
    pub fn reduce(&self, i: i64, j: i64) -> (i64, i64) {
        match self.shift {
            Shift::None => (i.rem_euclid(self.nx), j.rem_euclid(self.ny)),
            Shift::HalfDrop => {
                let k = i.div_euclid(self.nx);
                (i - k * self.nx, (j - k * (self.ny / 2)).rem_euclid(self.ny))
            }
            Shift::Brick => {
                let k = j.div_euclid(self.ny);
                ((i - k * (self.nx / 2)).rem_euclid(self.nx), j - k * self.ny)
            }
        }
    }

    /// The same as `reduce` for real coordinates.
    pub fn reduce_f(&self, x: f64, y: f64) -> (f64, f64) {
        let (nx, ny) = (self.nx as f64, self.ny as f64);
        match self.shift {
            Shift::None => (x.rem_euclid(nx), y.rem_euclid(ny)),
            Shift::HalfDrop => {
                let k = (x / nx).floor();
                (x - k * nx, (y - k * (ny / 2.0)).rem_euclid(ny))
            }
            Shift::Brick => {
                let k = (y / ny).floor();
                ((x - k * (nx / 2.0)).rem_euclid(nx), y - k * ny)
            }
        }
    }

    /// The two lattice vectors of the period.
    pub fn vectors(&self) -> [(f64, f64); 2] {
        let (nx, ny) = (self.nx as f64, self.ny as f64);
        match self.shift {
            Shift::None => [(nx, 0.0), (0.0, ny)],
            Shift::HalfDrop => [(nx, ny / 2.0), (0.0, ny)],
            Shift::Brick => [(nx / 2.0, ny), (nx, 0.0)],
        }
    }

    /// A coarser wrap with steps of about `cell` units (along x, along y):
    /// `(wrap, step_x, step_y)`. Counts are kept even so half shifts land on
    /// whole steps.
    pub fn coarse(&self, cell: (f64, f64)) -> (Wrap, f64, f64) {
        let count = |n: i64, cell: f64, even: bool| {
            let c = ((n as f64 / cell).round() as i64).max(1);
            if even {
                (c + c % 2).max(2)
            } else {
                c
            }
        };
        let cx = count(self.nx, cell.0, self.shift == Shift::Brick);
        let cy = count(self.ny, cell.1, self.shift == Shift::HalfDrop);
        (
            Wrap {
                nx: cx,
                ny: cy,
                shift: self.shift,
            },
            self.nx as f64 / cx as f64,
            self.ny as f64 / cy as f64,
        )
    }
}

/// `x.floor() as i64`, exactly (for |x| < 2⁶³), without the call to libm's
/// `floor` that `f64::floor` compiles to on baseline x86-64 (no SSE4.1),
/// which was a visible share of every per-pixel loop that used it.
#[inline]
pub fn floor_i(x: f64) -> i64 {
    let t = x as i64;
    t - ((t as f64) > x) as i64
}

/// `x.round() as i64` (halves away from zero), exactly, without libm's `round`
/// (see [`floor_i`]): `x − trunc(x)` is exact, so the comparisons are.
#[inline]
pub fn round_i(x: f64) -> i64 {
    let t = x as i64;
    let f = x - t as f64;
    t + (f >= 0.5) as i64 - (f <= -0.5) as i64
}

/// Calls `f(col, len, rx, ry)` for the runs of row `y`, columns `x0 .. x0 + w`,
/// on which `wrap` reduces column `x0 + col + k` to `(rx + k, ry)`: the whole
/// row without a wrap, else each stretch up to a tile edge. Effects walk these
/// instead of reducing every pixel (two integer divisions each).
pub fn for_each_run(
    wrap: Option<Wrap>,
    x0: i64,
    w: usize,
    y: i64,
    mut f: impl FnMut(usize, usize, i64, i64),
) {
    let Some(wr) = wrap else {
        f(0, w, x0, y);
        return;
    };
    let mut col = 0;
    while col < w {
        let (rx, ry) = wr.reduce(x0 + col as i64, y);
        let len = ((wr.nx - rx) as usize).min(w - col);
        f(col, len, rx, ry);
        col += len;
    }
}

fn smooth(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

/// Smooth value noise in `[0, 1]` with cells about `cell` pixels wide,
/// periodic in `wrap` when given.
#[derive(Debug, Clone, Copy)]
pub struct ValueNoise {
    seed: u64,
    salt: u64,
    sx: f64,
    sy: f64,
    wrap: Option<Wrap>,
}

impl ValueNoise {
    /// Noise of cell size `cell` pixels.
    pub fn new(seed: u64, salt: u64, cell: f64, wrap: Option<Wrap>) -> Self {
        let cell = cell.max(1.0);
        match wrap {
            Some(w) => {
                let (c, sx, sy) = w.coarse((cell, cell));
                ValueNoise {
                    seed,
                    salt,
                    sx,
                    sy,
                    wrap: Some(c),
                }
            }
            None => ValueNoise {
                seed,
                salt,
                sx: cell,
                sy: cell,
                wrap: None,
            },
        }
    }

    fn at_point(&self, i: i64, j: i64) -> f64 {
        let (i, j) = self.wrap.map_or((i, j), |w| w.reduce(i, j));
        unit(self.seed, self.salt, i, j)
    }

    /// The noise at pixel position `(x, y)`.
    pub fn get(&self, x: f64, y: f64) -> f64 {
        self.at(self.place_x(x), self.place_y(y), &mut None)
    }

    /// Where column `x` falls in the lattice: its cell and smoothed position
    /// in the cell. With [`place_y`](Self::place_y) and [`at`](Self::at) this
    /// is [`get`](Self::get) in parts, so a region can place its columns once
    /// rather than once per row.
    pub fn place_x(&self, x: f64) -> (i64, f64) {
        let u = x / self.sx;
        let i = floor_i(u);
        (i, smooth(u - i as f64))
    }

    /// Where row `y` falls in the lattice (see [`place_x`](Self::place_x)).
    pub fn place_y(&self, y: f64) -> (i64, f64) {
        let v = y / self.sy;
        let j = floor_i(v);
        (j, smooth(v - j as f64))
    }

    /// The noise at a placed column and row, reusing the four lattice values
    /// of the last call in `cell` when they are the same (along a row the cell
    /// changes every few hundred pixels, and the hashes were the cost).
    pub fn at(
        &self,
        (i, fx): (i64, f64),
        (j, fy): (i64, f64),
        cell: &mut Option<((i64, i64), [f64; 4])>,
    ) -> f64 {
        let [a, b, c, d] = match *cell {
            Some((k, vals)) if k == (i, j) => vals,
            _ => {
                let vals = [
                    self.at_point(i, j),
                    self.at_point(i + 1, j),
                    self.at_point(i, j + 1),
                    self.at_point(i + 1, j + 1),
                ];
                *cell = Some(((i, j), vals));
                vals
            }
        };
        let top = a + (b - a) * fx;
        let bot = c + (d - c) * fx;
        top + (bot - top) * fy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_drop_wrap_identifies_shifted_points() {
        let w = Wrap {
            nx: 10,
            ny: 8,
            shift: Shift::HalfDrop,
        };
        assert_eq!(w.reduce(13, 5), w.reduce(3, 1));
        assert_eq!(w.reduce(-1, 0), (9, 4));
        let n = ValueNoise::new(7, 1, 3.0, Some(w));
        for &(x, y) in &[(0.3, 0.7), (4.2, 6.9), (9.9, 1.0)] {
            assert!((n.get(x, y) - n.get(x + 10.0, y + 4.0)).abs() < 1e-12);
            assert!((n.get(x, y) - n.get(x, y + 8.0)).abs() < 1e-12);
        }
    }

    #[test]
    fn fast_floor_and_round_equal_the_library_ones() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            254.5,
            255.5,
            1e15 + 0.5,
        ];
        xs.extend([
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
        ]);
        for k in 0..20_000 {
            let x = (unit(3, 4, k, 0) - 0.5) * 2000.0;
            xs.extend([x, x.floor() + 0.5, x.floor() - 1e-12, x.floor()]);
        }
        for x in xs {
            assert_eq!(floor_i(x), x.floor() as i64, "floor {x}");
            assert_eq!(round_i(x), x.round() as i64, "round {x}");
        }
    }

    #[test]
    fn runs_reduce_like_each_pixel() {
        for shift in [Shift::None, Shift::HalfDrop, Shift::Brick] {
            let w = Wrap {
                nx: 7,
                ny: 5,
                shift,
            };
            for y in -6..6 {
                let mut seen = 0;
                for_each_run(Some(w), -9, 30, y, |col, len, rx, ry| {
                    assert_eq!(col, seen);
                    for k in 0..len {
                        let x = -9 + (col + k) as i64;
                        assert_eq!(w.reduce(x, y), (rx + k as i64, ry), "{shift:?} {x} {y}");
                    }
                    seen += len;
                });
                assert_eq!(seen, 30);
            }
        }
    }

    #[test]
    fn hashes_differ_by_seed_and_are_stable() {
        assert_ne!(hash(1, 2, 3, 4), hash(2, 2, 3, 4));
        assert_eq!(hash(1, 2, 3, 4), hash(1, 2, 3, 4));
        let u = unit(5, 6, -7, 8);
        assert!((0.0..1.0).contains(&u));
    }
}
