//! Whole-pixel periods: draw one period, copy it everywhere.
//!
//! A batik repeats. When the pattern's rectangular period is a whole number of
//! pixels in device space (which [`View::at_dpi`](super::View::at_dpi) arranges
//! by snapping the repeat, as a textile printer does), every pixel equals the
//! pixel one period away, exactly:
//!
//! - lattice vectors are snapped to 1/65536 px and translations are sums of
//!   them, so a translate one period over is exactly an integer number of
//!   pixels away in f64;
//! - device coordinates are quantised *before* the translation is added
//!   ([`to_skia`](super::device::to_skia)), so the two translates reach
//!   tiny-skia as the same f32 coordinates plus an integer;
//! - tiny-skia rasterises the same path moved by whole pixels identically (the
//!   tile and region properties rest on the same fact), and the translations
//!   covering any pixel are drawn in the same relative order
//!   (lexicographic in `(n, m)`).
//!
//! So the period is drawn once, with the ordinary tile renderer, and every
//! other pixel is a copy: the output stays byte-identical to the single-pixmap
//! reference (the tests check it on every motif) at the cost of a memory copy.
//!
//! The mirror repeat is the exception that defines its own pixels: a printer
//! mirrors the tile's *pixels*, and tiny-skia's anti-aliasing is not mirror
//! symmetric (edges through sample rows round one way), so mirrored outlines
//! differ from mirrored pixels by up to a quarter of a pixel's coverage. When
//! the tile is whole pixels and axis-aligned, the tile is drawn and its
//! mirror images are copied, in every renderer including the reference.
//!
//! Rejected: drawing each period with a cached pixmap translated by the
//! sub-pixel phase (not exact), and detecting periodicity from the output
//! (costs a full render).

use rayon::prelude::*;

use super::device::{quantise, Scene};
use super::tile::PixelRect;
use super::{draw_rect, STRIP_ROWS};
use crate::error::Error;
use crate::pattern::Pattern;

/// Largest period image kept in memory, in bytes.
const MAX_PERIOD_BYTES: u64 = 512 << 20;

/// How a scene's pixels relate to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// No whole-pixel period: every tile is drawn.
    Draw,
    /// The image repeats every `w` pixels along x, and every `h` rows shifted
    /// by `shift` pixels along x: the lattice in Hermite normal form,
    /// `(w, 0)` and `(shift, h)`. Any integer lattice has one.
    Periodic {
        /// Period along x, pixels.
        w: u32,
        /// Rows per period along y.
        h: u32,
        /// Horizontal offset of the next period down, `0 ≤ shift < w`.
        shift: u32,
    },
    /// The mirror repeat of the `w × h` tile whose top-left pixel is `(x, y)`:
    /// the period is `2w × 2h` and three quadrants mirror the tile's pixels.
    Mirrored {
        /// Image column of the tile's left edge.
        x: i64,
        /// Image row of the tile's top edge.
        y: i64,
        /// Tile width, pixels.
        w: u32,
        /// Tile height, pixels.
        h: u32,
    },
}

impl Layout {
    /// The layout of `pattern` drawn with `transform`, given the scene's
    /// snapped device lattice.
    pub(crate) fn of(
        pattern: &Pattern,
        transform: kurbo::Affine,
        lattice: &crate::pattern::Lattice,
    ) -> Layout {
        let Some((w, h, shift)) = whole_period(pattern, lattice) else {
            return Layout::Draw;
        };
        if let Some(m) = mirrored(pattern, transform, (w, h, shift)) {
            return m;
        }
        Layout::Periodic { w, h, shift }
    }
}

/// The whole-pixel period of `pattern` drawn with `transform`, in Hermite
/// normal form `(w, h, shift)` as in [`Layout::Periodic`]: `None` for a frieze
/// or a lattice that is not whole pixels. For effects that work on a grid of
/// their own and want it to repeat with the image.
pub(crate) fn pixel_period(pattern: &Pattern, transform: kurbo::Affine) -> Option<(u32, u32, u32)> {
    whole_period(pattern, &super::device::device_lattice(pattern, transform))
}

/// The period of `pattern` on its snapped device `lattice`, if it repeats in
/// whole pixels (a frieze repeats along one direction only).
fn whole_period(pattern: &Pattern, lattice: &crate::pattern::Lattice) -> Option<(u32, u32, u32)> {
    if pattern.frieze {
        return None;
    }
    hermite(lattice)
}

/// The mirror layout, when the mirror repeat's tile is whole pixels,
/// axis-aligned, on pixel edges and small enough to keep.
fn mirrored(
    pattern: &Pattern,
    transform: kurbo::Affine,
    period: (u32, u32, u32),
) -> Option<Layout> {
    let (tw, th) = pattern.mirror_tile?;
    let c = transform.as_coeffs();
    let axis_aligned = c[1] == 0.0 && c[2] == 0.0 && c[0] > 0.0 && c[3] > 0.0;
    let (w, h) = whole(quantise(tw * c[0])).zip(whole(quantise(th * c[3])))?;
    let corner = (quantise(c[4]), quantise(c[5]));
    // Beyond the memory cap the tile is drawn as mirrored outlines.
    let ok = axis_aligned
        && period == (2 * w, 2 * h, 0)
        && corner.0.fract() == 0.0
        && corner.1.fract() == 0.0
        && w as u64 * h as u64 * 16 <= MAX_PERIOD_BYTES;
    ok.then_some(Layout::Mirrored {
        x: corner.0 as i64,
        y: corner.1 as i64,
        w,
        h,
    })
}

/// The Hermite normal form `(w, h, shift)` of an integer lattice: the
/// translations are exactly the combinations of `(w, 0)` and `(shift, h)`.
/// `None` unless both vectors are whole pixels.
fn hermite(l: &crate::pattern::Lattice) -> Option<(u32, u32, u32)> {
    let int = |v: f64| (v.fract() == 0.0 && v.abs() < (1u64 << 40) as f64).then_some(v as i64);
    let (ax, ay, bx, by) = (int(l.a.x)?, int(l.a.y)?, int(l.b.x)?, int(l.b.y)?);
    let det = (ax * by - ay * bx).abs();
    // p·ay + q·by = g: the combination p·a + q·b is the shortest step in y.
    let (g, p, q) = egcd(ay, by);
    if det == 0 || g == 0 {
        return None;
    }
    let (g, p, q) = if g < 0 { (-g, -p, -q) } else { (g, p, q) };
    let w = det / g;
    let shift = (p * ax + q * bx).rem_euclid(w);
    Some((u32::try_from(w).ok()?, u32::try_from(g).ok()?, shift as u32))
}

/// `(g, x, y)` with `a·x + b·y = g = ±gcd(a, b)`.
pub(crate) fn egcd(a: i64, b: i64) -> (i64, i64, i64) {
    if b == 0 {
        (a, 1, 0)
    } else {
        let (g, x, y) = egcd(b, a % b);
        (g, y, x - (a / b) * y)
    }
}

/// `v` as a whole, positive pixel count.
fn whole(v: f64) -> Option<u32> {
    (v >= 1.0 && v <= u32::MAX as f64 && v.fract() == 0.0).then_some(v as u32)
}

/// One period of the image, straight RGBA8: image pixel `(X, Y)`, with
/// `Y − y = k·h + r`, is pixel `((X − x − k·shift) mod w, r)` here.
pub struct PeriodImage {
    x: i64,
    y: i64,
    w: u32,
    h: u32,
    shift: u32,
    data: Vec<u8>,
}

impl PeriodImage {
    /// The period image of `scene`, when copying it is exact and worth it for
    /// `area` pixels of output (mirror layouts are always built: their pixels
    /// are defined by it). `pool` draws it in parallel.
    pub(crate) fn build(
        scene: &Scene,
        area: u64,
        pool: Option<&rayon::ThreadPool>,
    ) -> Result<Option<PeriodImage>, Error> {
        let (x, y, tile) = match scene.layout {
            Layout::Draw => return Ok(None),
            Layout::Periodic { w, h, .. } => {
                if 2 * w as u64 * h as u64 > area {
                    return Ok(None);
                }
                (0, 0, (w, h))
            }
            Layout::Mirrored { x, y, w, h } => (x, y, (w, h)),
        };
        if scene.layout
            != (Layout::Mirrored {
                x,
                y,
                w: tile.0,
                h: tile.1,
            })
            && tile.0 as u64 * tile.1 as u64 * 4 > MAX_PERIOD_BYTES
        {
            return Ok(None);
        }
        let drawn = draw_parallel(
            scene,
            PixelRect {
                x,
                y,
                w: tile.0,
                h: tile.1,
            },
            pool,
        )?;
        Ok(Some(PeriodImage::from_tile(
            scene.layout,
            x,
            y,
            tile,
            drawn,
        )))
    }

    /// The period image whose tile `(x, y, tile.0, tile.1)` was drawn as
    /// `drawn` (mirrored into four quadrants for a mirror layout).
    pub(crate) fn from_tile(
        layout: Layout,
        x: i64,
        y: i64,
        tile: (u32, u32),
        drawn: Vec<u8>,
    ) -> PeriodImage {
        let (tw, th) = (tile.0 as usize, tile.1 as usize);
        match layout {
            Layout::Mirrored { .. } => PeriodImage {
                x,
                y,
                w: 2 * tile.0,
                h: 2 * tile.1,
                shift: 0,
                data: mirror_quadrants(&drawn, tw, th),
            },
            Layout::Periodic { shift, .. } => PeriodImage {
                x,
                y,
                w: tile.0,
                h: tile.1,
                shift,
                data: drawn,
            },
            Layout::Draw => unreachable!("nothing to copy without a period"),
        }
    }

    /// Copies image rectangle `r` into `out`, rows `stride` bytes apart.
    pub(crate) fn copy_rect(&self, r: PixelRect, out: &mut [u8], stride: usize) {
        let (w, row_bytes) = (self.w as usize, self.w as usize * 4);
        for row in 0..r.h as usize {
            let y = r.y + row as i64 - self.y;
            let (k, sy) = (
                y.div_euclid(self.h as i64),
                y.rem_euclid(self.h as i64) as usize,
            );
            let x0 = (r.x - self.x - k * self.shift as i64).rem_euclid(self.w as i64) as usize;
            let src = &self.data[sy * row_bytes..(sy + 1) * row_bytes];
            let dst = &mut out[row * stride..row * stride + r.w as usize * 4];
            let mut sx = x0;
            let mut done = 0;
            while done < dst.len() {
                let n = (w - sx).min((dst.len() - done) / 4) * 4;
                dst[done..done + n].copy_from_slice(&src[sx * 4..sx * 4 + n]);
                done += n;
                sx = 0;
            }
        }
    }
}

impl std::fmt::Debug for PeriodImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PeriodImage {}×{} shifted {} at ({}, {})",
            self.w, self.h, self.shift, self.x, self.y
        )
    }
}

/// Draws `r` (straight RGBA8, tightly packed), in bands of [`STRIP_ROWS`] on `pool`.
fn draw_parallel(
    scene: &Scene,
    r: PixelRect,
    pool: Option<&rayon::ThreadPool>,
) -> Result<Vec<u8>, Error> {
    let stride = r.w as usize * 4;
    let mut data = vec![0u8; stride * r.h as usize];
    let bands = data
        .par_chunks_mut(stride * STRIP_ROWS as usize)
        .enumerate();
    let draw = || {
        bands
            .map_init(
                || None,
                |pm, (i, band)| {
                    let y = r.y + (i as u32 * STRIP_ROWS) as i64;
                    let rows = (band.len() / stride) as u32;
                    let rect = PixelRect { y, h: rows, ..r };
                    draw_rect(scene, rect, band, stride, pm)
                },
            )
            .collect::<Result<(), Error>>()
    };
    match pool {
        Some(p) => p.install(draw)?,
        None => draw()?,
    }
    Ok(data)
}

/// The `2w × 2h` period of the mirror repeat of the `w × h` tile `q`.
fn mirror_quadrants(q: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * w * h);
    for row in (0..h).chain((0..h).rev()) {
        let src = &q[row * w * 4..(row + 1) * w * 4];
        out.extend_from_slice(src);
        out.extend(src.chunks_exact(4).rev().flatten());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrants_mirror_the_tile() {
        // A 2 × 1 tile: pixels 1 and 2.
        let q = [1, 1, 1, 1, 2, 2, 2, 2];
        let p = mirror_quadrants(&q, 2, 1);
        let firsts: Vec<u8> = p.chunks_exact(4).map(|px| px[0]).collect();
        assert_eq!(firsts, [1, 2, 2, 1, 1, 2, 2, 1]);
    }

    #[test]
    fn hermite_form_of_oblique_and_half_drop_lattices() {
        use crate::pattern::Lattice;
        use kurbo::Vec2;
        let l = |a: (f64, f64), b: (f64, f64)| Lattice {
            a: Vec2::new(a.0, a.1),
            b: Vec2::new(b.0, b.1),
        };
        assert_eq!(hermite(&l((10.0, 0.0), (0.0, 7.0))), Some((10, 7, 0)));
        // Half-drop: (w, h/2) and (0, h) → period 2w wide, h/2 down, shifted w.
        assert_eq!(hermite(&l((10.0, 4.0), (0.0, 8.0))), Some((20, 4, 10)));
        // Parang-like 45° bands: (1670, 0) and (351, 351).
        assert_eq!(
            hermite(&l((1670.0, 0.0), (351.0, 351.0))),
            Some((1670, 351, 351))
        );
        assert_eq!(hermite(&l((-3.0, 0.0), (1.0, -2.0))), Some((3, 2, 2)));
        assert_eq!(hermite(&l((10.5, 0.0), (0.0, 7.0))), None);
    }

    #[test]
    fn shifted_periods_step_along_x_each_period_down() {
        let data: Vec<u8> = (0..3u8).flat_map(|v| [v; 4]).collect();
        let p = PeriodImage {
            x: 0,
            y: 0,
            w: 3,
            h: 1,
            shift: 1,
            data,
        };
        let mut out = vec![0u8; 3 * 4 * 2];
        p.copy_rect(
            PixelRect {
                x: 0,
                y: 0,
                w: 3,
                h: 2,
            },
            &mut out,
            12,
        );
        let firsts: Vec<u8> = out.chunks_exact(4).map(|px| px[0]).collect();
        // Row 1 is row 0 moved right by one pixel.
        assert_eq!(firsts, [0, 1, 2, 2, 0, 1]);
    }

    #[test]
    fn copies_wrap_around_the_period() {
        let data: Vec<u8> = (0..6u8).flat_map(|v| [v; 4]).collect();
        let p = PeriodImage {
            x: 1,
            y: 0,
            w: 3,
            h: 2,
            shift: 0,
            data,
        };
        let mut out = vec![0u8; 5 * 4 * 2];
        p.copy_rect(
            PixelRect {
                x: -1,
                y: 1,
                w: 5,
                h: 2,
            },
            &mut out,
            20,
        );
        let firsts: Vec<u8> = out.chunks_exact(4).map(|px| px[0]).collect();
        // Column -1 is period column (-2 mod 3) = 1; row 1 then row 2 ≡ 0.
        assert_eq!(firsts, [4, 5, 3, 4, 5, 1, 2, 0, 1, 2]);
    }
}
