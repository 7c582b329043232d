//! The pixel stage: effects applied to rendered pixels, strip by strip.
//!
//! The plain renderer's strips are drawn exactly as it draws them (its period
//! image copied where it has one, see [`crate::render::period`]; plus rows
//! above and below the image when an effect reads beyond it), and each output
//! strip is assembled from its own rows and a margin of its neighbours' rows
//! (the largest distance any pixel effect reads, summed over the effects); the
//! effects run over that buffer in order and the margin is cropped. Each
//! plain strip is drawn once, so the cost over a plain render is the effects
//! themselves and a copy (none without a margin).
//!
//! Effects are pure functions of absolute pixel coordinates, the seed, the
//! pattern and per-render fields computed once (the crack network), so the
//! result is byte-identical for any thread count and equal to
//! [`render_reference`], which does the same on one buffer covering the whole
//! image.
//!
//! # Cost
//!
//! An effect should cost no more than the plain render it finishes (see
//! `benches/effects.rs`). The rules that got them there:
//!
//! - Anything that depends on the row alone or the column alone (which thread
//!   a pixel is in, a thread's profile, its random brightness, a noise row) is
//!   tabulated once per region; a pixel combines table entries with a few
//!   multiplications. Hashes are per thread, cell or knot, never per pixel.
//! - No libm calls per pixel: on baseline x86-64 (no SSE4.1) `f64::round` and
//!   `f64::floor` are calls, and were a sixth of the effects' time. [`round_u8`]
//!   and [`field::floor_i`](super::field::floor_i) give the same results
//!   inline. The float arithmetic itself is unchanged, so output did not move
//!   by a single level.
//! - Each effect computes only the rows later effects read (see
//!   [`PixelStage::apply`]), and the rows drawn outside the image are only as
//!   many as the margin (see `Blocks`).
//! - Sequential set-up (growing the crack network) waits until
//!   [`render_strips`] runs it on one thread while the others draw the first
//!   plain strips, up to `AHEAD_BYTES` of them.
//!
//! Rejected: rendering each strip with its own extended rectangle. The plain
//! renderer equals its single-pixmap reference only on its own strip grid; a
//! rectangle starting at another row differs by up to ~20 levels at a few
//! anti-aliased pixels, which effects reading the margin would then see.
//! Rejected for speed: fixed-point or `f32` pixel arithmetic (every output
//! would move by a level here and there, for a gain the tables already
//! gave); growing the crack network on another thread while `pixel_stage`
//! returns (a thread outliving the call, and nothing to overlap it with until
//! the caller starts rendering).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::crackle::CrackField;
use super::dye::DyeField;
use super::field::Wrap;
use super::ikat::IkatField;
use super::weave::WeaveField;
use crate::error::Error;
use crate::pattern::Pattern;
use crate::render::{
    render_rect, PixelRect, RenderOptions, Scene, Spare, Strip, View, COPY_STRIP_ROWS, STRIP_ROWS,
};

/// `x.round().clamp(0.0, 255.0) as u8`, exactly, and cheaply: every pixel
/// effect ends in three of these per pixel. `f64::round` is a call to libm on
/// baseline x86-64 (no SSE4.1), a tenth to a sixth of each effect's time, and
/// converting to an integer and back stalls on the conversions. Instead,
/// adding 1.5 × 2⁵² rounds to an integer (ties to even) whose value is then
/// the low bits of the sum; a tie the sum rounded down (`x − r` exactly one
/// half) is moved up, as `round` rounds halves away from zero. NaN gives 0,
/// as `as u8` does.
#[inline]
pub fn round_u8(x: f64) -> u8 {
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    // Not `clamp`, which passes NaN on (and the sum's low bits would then be
    // the NaN's payload).
    let x = if x >= 0.0 { x.min(255.0) } else { 0.0 };
    let y = x + MAGIC;
    let r = y - MAGIC;
    (y.to_bits() as u8).wrapping_add((x - r == 0.5) as u8)
}

/// Relative luminance of 8-bit sRGB values (on the encoded values, which is
/// what a viewer's eye sorts light from dark by well enough for a wax mask).
pub fn luminance(r: u8, g: u8, b: u8) -> f64 {
    (0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64) / 255.0
}

/// Where and at what scale a render happens.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Frame {
    /// Output pixels per mm of cloth. Default: 300 dpi.
    pub px_per_mm: f64,
    /// Tileable mode: the exact tile's pixel period and how it is laid. Default: none.
    pub wrap: Option<Wrap>,
}

impl Default for Frame {
    fn default() -> Self {
        Frame {
            px_per_mm: 300.0 / 25.4,
            wrap: None,
        }
    }
}

impl Frame {
    /// A frame at `dpi`, not tileable.
    pub fn at_dpi(dpi: f64) -> Self {
        Frame {
            px_per_mm: dpi / 25.4,
            wrap: None,
        }
    }
    /// The same frame in tileable mode.
    pub fn tileable(mut self, wrap: Wrap) -> Self {
        self.wrap = Some(wrap);
        self
    }
}

/// A rectangle of straight-alpha RGBA8 pixels at an absolute image position.
#[derive(Debug, Clone)]
pub struct Region {
    /// Image column of the first pixel.
    pub x: i64,
    /// Image row of the first pixel.
    pub y: i64,
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// `w × h × 4` bytes.
    pub data: Vec<u8>,
}

/// One prepared pixel effect.
#[derive(Debug)]
pub(crate) enum PixelEffect {
    Crackle(Box<CrackField>),
    Ikat(IkatField),
    Weave(WeaveField),
    Dye(DyeField),
}

/// The pixel effects of one render, in order.
#[derive(Debug, Default)]
pub struct PixelStage {
    pub(crate) effects: Vec<PixelEffect>,
    pub(crate) margin: (u32, u32),
}

impl PixelStage {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.effects.is_empty()
    }

    /// Margin read around each strip, (x, y) pixels.
    pub fn margin(&self) -> (u32, u32) {
        self.margin
    }

    /// Does the set-up the effects left for when they are first needed
    /// (growing the crack network), if not done yet. [`render_strips`] runs
    /// it beside the drawing of the first plain strips; [`apply`](Self::apply)
    /// runs it itself if nothing did before.
    pub fn prepare(&self) {
        for e in &self.effects {
            if let PixelEffect::Crackle(c) = e {
                c.prepare();
            }
        }
    }

    /// Whether [`prepare`](Self::prepare) has work left.
    fn unprepared(&self) -> bool {
        self.effects
            .iter()
            .any(|e| matches!(e, PixelEffect::Crackle(c) if !c.is_prepared()))
    }

    /// Applies every effect to `r`, in order. Pixels within the margin of the
    /// edge of `r` are not valid afterwards.
    ///
    /// Each effect computes only the rows the effects after it read: with
    /// `margin` rows around the strip and `later` the rows the later effects
    /// reach, all but `margin − later` at the top and bottom. The rows beyond
    /// are cropped anyway, and a last effect with a margin of its own would
    /// otherwise work through a fifth more rows than the strip has.
    pub fn apply(&self, r: &mut Region) {
        let margin = self.margin.1 as usize;
        let mut later = margin;
        for e in &self.effects {
            later -= e.reach().1 as usize;
            let top = (margin - later).min(r.h);
            let rows = top..r.h.saturating_sub(margin - later).max(top);
            match e {
                PixelEffect::Crackle(c) => c.apply(r, rows),
                PixelEffect::Ikat(i) => i.apply(r, rows),
                PixelEffect::Weave(w) => w.apply(r, rows),
                PixelEffect::Dye(d) => d.apply(r, rows),
            }
        }
    }
}

impl PixelEffect {
    /// The distance (x, y) an effect reads from each output pixel.
    fn reach(&self) -> (u32, u32) {
        match self {
            PixelEffect::Ikat(i) => i.reach(),
            _ => (0, 0),
        }
    }
}

/// The row blocks the plain renderer draws: its own strips (rows `k·rows`,
/// at most `rows` tall: [`STRIP_ROWS`], or [`COPY_STRIP_ROWS`] where the
/// scene is copied from a period image), extended by `extra` blocks above
/// row 0 and below the last row, together just tall enough to hold the margin
/// effects read. Every block inside the image is drawn as the plain renderer
/// draws its strip, so the pixels an effect reads are exactly the plain
/// render's, whatever strip is being processed.
///
/// The blocks outside the image are only as tall as the margin (not whole
/// strips): they are nobody's output, only what effects read beyond the edge,
/// so any fixed grid of them is as good as another, and a 24-row margin then
/// costs 24 rendered rows rather than 256 (half again a plain 1024-row render).
struct Blocks {
    /// Rows of each block inside the image (the last may be shorter).
    rows: u32,
    n: i64,
    height: i64,
    /// Extra blocks above and below.
    extra: i64,
    /// Rows of each extra block.
    extra_rows: u32,
    x: i64,
    w: u32,
}

impl Blocks {
    /// Blocks of the plain renderer's strip height for `scene`, but for a
    /// wide copied scene shorter ones, which keep the blocks, regions and
    /// strips in flight small (a 2 m wrap's 256-row blocks are 24 MB each).
    /// Not for every copied scene: each block costs a barrier and its margin
    /// again, and at 4096 px wide 64-row blocks made effects 10–40 % slower.
    fn new(view: &View, scene: &Scene, margin: (u32, u32)) -> Self {
        let wide = view.width as usize * STRIP_ROWS as usize * 4 > WIDE_BLOCK_BYTES;
        let rows = match scene.period {
            Some(_) if wide => COPY_STRIP_ROWS,
            _ => STRIP_ROWS,
        };
        let extra = margin.1.div_ceil(rows);
        Blocks {
            rows,
            n: view.height.div_ceil(rows) as i64,
            height: view.height as i64,
            extra: extra as i64,
            extra_rows: if extra == 0 {
                0
            } else {
                margin.1.div_ceil(extra)
            },
            x: -(margin.0 as i64),
            w: view.width + 2 * margin.0,
        }
    }

    /// First row and rows of block `i` (`-extra ..n + extra`).
    fn rows(&self, i: i64) -> (i64, u32) {
        let s = self.rows as i64;
        let e = self.extra_rows as i64;
        if i < 0 {
            (i * e, self.extra_rows)
        } else if i < self.n {
            (i * s, (self.height - i * s).min(s) as u32)
        } else {
            (self.height + (i - self.n) * e, self.extra_rows)
        }
    }

    /// The blocks output strip `s` reads: its own and `extra` above; below,
    /// one more, since the last image block may be shorter than the margin.
    fn around(&self, s: i64) -> std::ops::Range<i64> {
        (s - self.extra).max(-self.extra)..(s + self.extra + 2).min(self.n + self.extra)
    }

    fn render(
        &self,
        scene: &Scene,
        i: i64,
        pm: &mut Option<tiny_skia::Pixmap>,
        spare: &Spare,
    ) -> Result<Vec<u8>, Error> {
        let (y, h) = self.rows(i);
        let mut data = spare.take(self.w as usize * h as usize * 4);
        let rect = PixelRect {
            x: self.x,
            y,
            w: self.w,
            h,
        };
        render_rect(scene, rect, &mut data, self.w as usize * 4, pm)?;
        Ok(data)
    }
}

/// Output strip `s`: its rows with the margin gathered from `get(block)`, the
/// effects applied, the margin cropped.
fn finish_strip<'a>(
    stage: &PixelStage,
    blocks: &Blocks,
    s: i64,
    get: impl Fn(i64) -> &'a [u8],
    spare: &Spare,
) -> Strip {
    let (mx, my) = (stage.margin.0 as usize, stage.margin.1 as i64);
    let (y, rows) = blocks.rows(s);
    let stride = blocks.w as usize * 4;
    let (top, bottom) = (y - my, y + rows as i64 + my);
    let mut data = spare.take_empty((bottom - top) as usize * stride);
    for b in blocks.around(s) {
        let (by, bh) = blocks.rows(b);
        let (from, to) = (top.max(by), bottom.min(by + bh as i64));
        if from < to {
            let block = get(b);
            data.extend_from_slice(
                &block[(from - by) as usize * stride..(to - by) as usize * stride],
            );
        }
    }
    let mut reg = Region {
        x: blocks.x,
        y: top,
        w: blocks.w as usize,
        h: (bottom - top) as usize,
        data,
    };
    stage.apply(&mut reg);
    let width = blocks.w as usize - 2 * mx;
    let data = if mx == 0 && my == 0 {
        // Nothing to crop: the buffer is the strip.
        reg.data
    } else {
        let mut out = spare.take_empty(rows as usize * width * 4);
        for row in 0..rows as usize {
            let start = (row + my as usize) * stride + mx * 4;
            out.extend_from_slice(&reg.data[start..start + width * 4]);
        }
        spare.give(reg.data);
        out
    };
    Strip {
        y: y as u32,
        rows,
        data,
    }
}

/// Largest block of [`STRIP_ROWS`] rows kept for a copied scene (8192 px wide).
const WIDE_BLOCK_BYTES: usize = 8 << 20;

/// Memory for plain blocks drawn ahead while the effects finish their set-up.
/// Small: the crack network now grows on every core (region by region), and
/// copied plain blocks cost little, so more ahead only raises the peak (256
/// MiB of it put the 2 m wrap with crackle at 580 MB).
const AHEAD_BYTES: usize = 32 << 20;

/// Renders `pattern` in `view` with `stage`, handing strips to `sink` top to
/// bottom. Plain blocks and finished strips are both computed in parallel.
pub fn render_strips(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
    stage: &PixelStage,
    sink: impl FnMut(Strip) -> Result<(), Error>,
) -> Result<(), Error> {
    render_strips_map(
        pattern,
        view,
        opts,
        stage,
        1,
        |s| Ok(std::mem::take(s)),
        sink,
    )
}

/// [`render_strips`] with `map` applied to each finished strip on the thread
/// that finished it, in parallel (an encoder compresses there); `sink` gets
/// the results top to bottom. A strip's buffer is reused when `map` leaves
/// it in place. Without effects this is
/// [`crate::render::render_strips_map`], with `per_thread`.
pub fn render_strips_map<T: Send>(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
    stage: &PixelStage,
    per_thread: usize,
    map: impl Fn(&mut Strip) -> Result<T, Error> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Error>,
) -> Result<(), Error> {
    if stage.is_empty() {
        return crate::render::render_strips_map(pattern, view, opts, per_thread, map, sink);
    }
    view.check()?;
    let pool = crate::render::pool(opts)?;
    // As the plain renderer: one period drawn and copied where that is exact
    // (and, for the mirror repeat, the pixels it defines).
    let area = view.width as u64 * view.height as u64;
    let scene = Scene::new(pattern, view.transform).with_period(area, Some(&pool))?;
    let batch = pool.current_num_threads().max(1) as i64 * 2;
    let blocks = Blocks::new(view, &scene, stage.margin);
    let mut have: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
    let spare = Spare::default();
    let render = |need: &[i64]| -> Vec<Result<(i64, Vec<u8>), Error>> {
        need.par_iter()
            .map_init(
                || None,
                |pm, &i| Ok((i, blocks.render(&scene, i, pm, &spare)?)),
            )
            .collect()
    };
    if stage.unprepared() {
        // The rest of the set-up is sequential: one thread does it while the
        // others draw the plain blocks of the first strips, as many as fit in
        // AHEAD_BYTES.
        let strips = (AHEAD_BYTES / (blocks.w as usize * blocks.rows as usize * 4)) as i64;
        let strips = strips.clamp(batch.min(blocks.n), blocks.n);
        let ahead: Vec<i64> = (blocks.around(0).start..blocks.around(strips - 1).end).collect();
        let ((), fresh) = pool.install(|| rayon::join(|| stage.prepare(), || render(&ahead)));
        for f in fresh {
            let (i, d) = f?;
            have.insert(i, d);
        }
    }
    let mut s0 = 0;
    while s0 < blocks.n {
        let s1 = (s0 + batch).min(blocks.n);
        let need: Vec<i64> = (blocks.around(s0).start..blocks.around(s1 - 1).end)
            .filter(|i| !have.contains_key(i))
            .collect();
        let fresh = pool.install(|| render(&need));
        for f in fresh {
            let (i, d) = f?;
            have.insert(i, d);
        }
        let done: Vec<Result<T, Error>> = pool.install(|| {
            (s0..s1)
                .into_par_iter()
                .map(|s| {
                    let mut strip = finish_strip(stage, &blocks, s, |b| &have[&b], &spare);
                    let t = map(&mut strip);
                    spare.give(strip.data);
                    t
                })
                .collect()
        });
        for t in done {
            sink(t?)?;
        }
        let keep = blocks.around(s1).start;
        while let Some(e) = have.first_entry().filter(|e| *e.key() < keep) {
            spare.give(e.remove());
        }
        s0 = s1;
    }
    Ok(())
}

/// Renders the whole view with `stage` into a new image.
pub fn render_image(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
    stage: &PixelStage,
) -> Result<image::RgbaImage, Error> {
    let mut buf = Vec::with_capacity(view.width as usize * view.height as usize * 4);
    render_strips(pattern, view, opts, stage, |s| {
        buf.extend_from_slice(&s.data);
        Ok(())
    })?;
    image::RgbaImage::from_raw(view.width, view.height, buf)
        .ok_or_else(|| Error::Internal("image buffer size mismatch".into()))
}

/// The reference: every plain block drawn one after another into one tall
/// buffer, the effects applied once to all of it, single-threaded. Tests
/// compare the strip renderer against it.
pub fn render_reference(
    pattern: &Pattern,
    view: &View,
    stage: &PixelStage,
) -> Result<image::RgbaImage, Error> {
    view.check()?;
    // Every block drawn, as the single-pixmap reference draws, but for the
    // mirror repeat, whose pixels its period image defines (area 0 builds no
    // other period image).
    let scene = Scene::new(pattern, view.transform).with_period(0, None)?;
    let blocks = Blocks::new(view, &scene, stage.margin);
    let mut pm = None;
    let mut data = Vec::new();
    let spare = Spare::default();
    for i in -blocks.extra..blocks.n + blocks.extra {
        let block = blocks.render(&scene, i, &mut pm, &spare)?;
        data.extend_from_slice(&block);
        spare.give(block);
    }
    let top = blocks.rows(-blocks.extra).0;
    let mut reg = Region {
        x: blocks.x,
        y: top,
        w: blocks.w as usize,
        h: data.len() / (blocks.w as usize * 4),
        data,
    };
    stage.apply(&mut reg);
    let (mx, w) = (stage.margin.0 as usize, view.width as usize);
    let mut out = Vec::with_capacity(w * view.height as usize * 4);
    for row in 0..view.height as usize {
        let start = ((row as i64 - top) as usize * reg.w + mx) * 4;
        out.extend_from_slice(&reg.data[start..start + w * 4]);
    }
    image::RgbaImage::from_raw(view.width, view.height, out)
        .ok_or_else(|| Error::Internal("image buffer size mismatch".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_u8_equals_round_then_clamp() {
        let mut xs = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            -0.5,
            -0.6,
            0.49999999999999994,
            0.5,
            254.49999999999997,
            254.5,
            255.0,
            255.49,
            255.5,
            1e300,
        ];
        for k in 0..=300 * 64 {
            let x = k as f64 / 64.0 - 10.0;
            xs.extend([x, x + 1e-13, x - 1e-13]);
        }
        for x in xs {
            assert_eq!(round_u8(x), x.round().clamp(0.0, 255.0) as u8, "{x}");
        }
    }
}
