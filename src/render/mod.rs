//! The parallel strip rasteriser.
//!
//! The image is cut into a fixed grid of tiles — rows of [`STRIP_ROWS`] pixels,
//! each row split into at most [`MAX_TILE_WIDTH`]-pixel columns (tiny-skia runs
//! every path again per 8191-pixel tile on wider pixmaps). Tiles are rendered in
//! parallel with rayon, each with an overlap margin (see [`device`]), and
//! delivered to a sink one strip at a time, in order, so an exporter can stream
//! an image far larger than memory. The grid does not depend on the number of
//! threads, and every tile equals the same area of a single-pixmap render
//! ([`render_reference`]), so output is byte-identical for any `--threads`.

pub mod budget;
pub mod device;
pub mod label;
pub mod period;
mod spare;
mod tile;

use kurbo::{Affine, Vec2};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tiny_skia::Pixmap;

pub use device::Scene;
pub use period::{Layout, PeriodImage};
pub(crate) use spare::Spare;
pub use tile::PixelRect;

use crate::error::{Error, UserError};
use crate::pattern::Pattern;

/// Rows per strip where the pattern is drawn.
pub const STRIP_ROWS: u32 = 256;
/// Rows per strip where every strip is copied from a period image: a strip
/// costs no overlap margin there, and a smaller strip stays in cache while
/// an encoder reads it (an 8192² PNG 10 % faster than with 256).
pub const COPY_STRIP_ROWS: u32 = 64;
/// Widest tile, in pixels.
pub const MAX_TILE_WIDTH: u32 = 4096;
/// Largest image side accepted, in pixels (PNG's and TIFF's limits are far
/// higher; this keeps a typo such as `--size 60x40m` from queueing a day's work).
pub const MAX_SIDE_PX: u64 = 1 << 20;
/// Largest image accepted, in pixels (about 30 m² at 300 dpi).
pub const MAX_PIXELS: u64 = 1 << 34;

/// Where the pattern lands on the image.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct View {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Drawing units → image pixels.
    pub transform: Affine,
}

impl View {
    /// An image of `width` × `height` pixels at `dpi`, the pattern's origin at
    /// the top-left corner, physical scale from the pattern's unit, with the
    /// repeat snapped to whole pixels.
    ///
    /// A printer steps a repeat by whole pixels, and so does this: the lattice
    /// vectors are rounded to whole pixels (a 40 mm Kawung at 300 dpi is
    /// 472.44 px and becomes 472 px, 39.96 mm, −0.09 %; Parang's 45° bands
    /// shear by under 0.1°). Every repeat is then pixel-identical, and the
    /// renderer draws one period and copies it (see [`period`]). Where
    /// rounding would distort by more than 1 % (periods under about 50 px)
    /// the scale is left exact; [`View::at_dpi_exact`] always keeps it.
    pub fn at_dpi(pattern: &Pattern, width: u32, height: u32, dpi: f64) -> Self {
        let s = pattern.unit_mm * dpi / 25.4;
        View {
            width,
            height,
            transform: whole_pixel_repeat(pattern, s),
        }
    }

    /// As [`View::at_dpi`] without snapping: the exact physical scale, every
    /// period drawn at its own sub-pixel phase.
    pub fn at_dpi_exact(pattern: &Pattern, width: u32, height: u32, dpi: f64) -> Self {
        let s = pattern.unit_mm * dpi / 25.4;
        View {
            width,
            height,
            transform: Affine::scale(s),
        }
    }

    /// An image whose transform is `transform`.
    pub fn new(width: u32, height: u32, transform: Affine) -> Self {
        View {
            width,
            height,
            transform,
        }
    }

    /// The same view moved so image pixel `(0, 0)` shows what `(x, y)` did
    /// (negative values add room on the top and left, as bleed does).
    pub fn shifted(mut self, x: f64, y: f64) -> Self {
        self.transform = Affine::translate(Vec2::new(-x, -y)) * self.transform;
        self
    }

    /// Checks the size is renderable, stating the memory a full image needs.
    pub fn check(&self) -> Result<(), UserError> {
        let (w, h) = (self.width as u64, self.height as u64);
        if w == 0 || h == 0 {
            return Err(UserError::invalid(
                "size",
                format!("{w} × {h} px has no pixels"),
            ));
        }
        if w > MAX_SIDE_PX || h > MAX_SIDE_PX || w * h > MAX_PIXELS {
            return Err(UserError::TooLarge(format!(
                "{w} × {h} px is too large: it would need {} of RGBA pixels (limits: {MAX_SIDE_PX} px per side, {} Mpx)",
                human_bytes_f64(w as f64 * h as f64 * 4.0),
                MAX_PIXELS / 1_000_000
            )));
        }
        Ok(())
    }
}

/// Largest distortion [`View::at_dpi`] accepts to make the repeat whole
/// pixels (a period under 50 px would need more; it is left fractional).
const MAX_SNAP: f64 = 0.01;

/// The scale `s` (drawing units → pixels) followed by the smallest linear
/// correction that makes the lattice vectors whole pixels (for the mirror
/// repeat, its tile's sides), or plain `s` when that would distort by more
/// than [`MAX_SNAP`].
fn whole_pixel_repeat(pattern: &Pattern, s: f64) -> Affine {
    let plain = Affine::scale(s);
    if let Some((w, h)) = pattern.mirror_tile {
        let snap = |v: f64| (v * s).round() / (v * s);
        let (kx, ky) = (snap(w), snap(h));
        if (kx - 1.0).abs() <= MAX_SNAP && (ky - 1.0).abs() <= MAX_SNAP {
            return Affine::scale_non_uniform(kx, ky) * plain;
        }
        return plain;
    }
    let l = pattern.lattice.linear_image(plain);
    let round = |v: Vec2| Vec2::new(v.x.round(), v.y.round());
    let (mut ra, mut rb) = (round(l.a), round(l.b));
    // A half-drop (a = (w, h/2), b = (0, h)) or brick (a = (w, 0),
    // b = (w/2, h)) lattice drops by exactly half a tile: keep it half, with
    // the tile's side rounded to an even number of pixels, as the exact tile
    // (`export::tile`) rounds it. Rounding each vector on its own gave a drop
    // a pixel off half and a render that did not match `wastra tile`.
    let eps = 1e-9 * (l.a.hypot() + l.b.hypot());
    if l.b.x.abs() < eps && (2.0 * l.a.y - l.b.y).abs() < eps {
        rb.y = even_px(l.b.y);
        ra.y = rb.y / 2.0;
    } else if l.a.y.abs() < eps && (2.0 * l.b.x - l.a.x).abs() < eps {
        ra.x = even_px(l.a.x);
        rb.x = ra.x / 2.0;
    }
    // S maps the lattice basis onto its rounded self: S = R · L⁻¹.
    let (basis, rounded) = (
        Affine::new([l.a.x, l.a.y, l.b.x, l.b.y, 0.0, 0.0]),
        Affine::new([ra.x, ra.y, rb.x, rb.y, 0.0, 0.0]),
    );
    if rounded.determinant() * basis.determinant() <= 0.0 {
        return plain;
    }
    let snap = rounded * basis.inverse();
    let c = snap.as_coeffs();
    let distortion = [c[0] - 1.0, c[1], c[2], c[3] - 1.0]
        .iter()
        .fold(0f64, |m, v| m.max(v.abs()));
    if distortion.is_nan() || distortion > MAX_SNAP {
        return plain;
    }
    snap * plain
}

/// `v` pixels rounded to an even count (at least 2): the side of a tile
/// that is dropped or shifted by half of it.
pub(crate) fn even_px(v: f64) -> f64 {
    ((v / 2.0).round() * 2.0).max(2.0)
}

/// `1.1 GB`, `256 MB`.
pub fn human_bytes(b: u64) -> String {
    human_bytes_f64(b as f64)
}

/// [`human_bytes`] of a byte count that may exceed `u64`.
pub fn human_bytes_f64(b: f64) -> String {
    if b >= 1e12 {
        format!("{:.1} TB", b / 1e12)
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

/// Options of a render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Worker threads. Default: `None`, one per core.
    pub threads: Option<usize>,
}

impl RenderOptions {
    /// Options with `threads` workers.
    pub fn with_threads(threads: usize) -> Self {
        RenderOptions {
            threads: Some(threads),
        }
    }
}

/// A horizontal band of finished rows, straight (not premultiplied) RGBA8.
#[derive(Debug, Default)]
pub struct Strip {
    /// First row of the band.
    pub y: u32,
    /// Rows in the band.
    pub rows: u32,
    /// `rows × width × 4` bytes.
    pub data: Vec<u8>,
}

/// The most worker threads a render takes. Each costs a strip buffer and a
/// pixmap; far more threads than cores only adds memory and contention, and a
/// typo such as `--threads 99999` must not start a hundred thousand threads.
pub const MAX_THREADS: usize = 256;

/// Checks a requested thread count: 1 to [`MAX_THREADS`], or `None` (one per core).
pub fn check_threads(threads: Option<usize>) -> Result<(), UserError> {
    match threads {
        Some(n) if n == 0 || n > MAX_THREADS => Err(UserError::invalid(
            "--threads",
            format!("must be 1 to {MAX_THREADS}, not {n}"),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn pool(opts: &RenderOptions) -> Result<rayon::ThreadPool, Error> {
    check_threads(opts.threads)?;
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        b = b.num_threads(n.max(1));
    }
    b.build()
        .map_err(|e| Error::Internal(format!("cannot start render threads: {e}")))
}

/// Renders `pattern` in `view`, handing strips to `sink` top to bottom.
pub fn render_strips(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
    sink: impl FnMut(Strip) -> Result<(), Error>,
) -> Result<(), Error> {
    render_strips_map(pattern, view, opts, 1, |s| Ok(std::mem::take(s)), sink)
}

/// [`render_strips`] with `map` applied to each strip on the render thread
/// that drew it, in parallel (an encoder compresses there, while the strip
/// is in cache); `sink` receives the results top to bottom, on this thread,
/// while the render threads go on.
///
/// At most `per_thread` strips per render thread are in flight (drawn, being
/// mapped, or mapped and waiting for the strips above them): a map that
/// shrinks strips (compression) may ask for several, to ride out uneven
/// strips, while results as large as strips should ask for one to keep
/// memory at a few strips. A strip's buffer is reused for a later strip
/// when `map` leaves it in place (take it with [`std::mem::take`] to keep it).
///
/// The window slides: a new strip starts as soon as the oldest is sunk. The
/// batches with a barrier this replaced left a core idle at each barrier
/// while the slowest strip of the batch finished.
pub fn render_strips_map<T: Send>(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
    per_thread: usize,
    map: impl Fn(&mut Strip) -> Result<T, Error> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Error>,
) -> Result<(), Error> {
    view.check()?;
    budget::check_raster(pattern, view)?;
    let pool = pool(opts)?;
    let scene = Scene::new(pattern, view.transform).with_period(view_area(view), Some(&pool))?;
    let threads = pool.current_num_threads().max(1);
    let window = (threads * per_thread.max(1)) as u32;
    let strip_rows = match scene.period {
        Some(_) => COPY_STRIP_ROWS,
        None => STRIP_ROWS,
    };
    let count = view.height.div_ceil(strip_rows);
    // One pixmap per render thread (tiles reuse it), and the buffers of
    // strips already mapped, for the next strips.
    let pixmaps: Vec<Mutex<Option<Pixmap>>> = (0..threads).map(|_| Mutex::new(None)).collect();
    let spare = Spare::default();
    let stop = AtomicBool::new(false);
    let work = |s: u32| -> Result<T, Error> {
        if stop.load(Ordering::Relaxed) {
            return Err(Error::Internal("stopped".into()));
        }
        let y = s * strip_rows;
        let rows = strip_rows.min(view.height - y);
        let len = view.width as usize * rows as usize * 4;
        let mut data = spare.take(len);
        {
            let slot = rayon::current_thread_index().unwrap_or(0) % threads;
            let mut pm = lock(&pixmaps[slot]);
            render_rows(
                &scene,
                view.width,
                y as i64,
                rows,
                &mut data,
                view.width as usize * 4,
                &mut pm,
            )?;
        }
        let mut strip = Strip { y, rows, data };
        let t = map(&mut strip);
        spare.give(strip.data);
        t
    };
    let (tx, rx) = std::sync::mpsc::channel::<(u32, Result<T, Error>)>();
    pool.in_place_scope(|scope| {
        let start = |s: u32| {
            let tx = tx.clone();
            let work = &work;
            scope.spawn(move |_| {
                // The receiver is gone only once this function has failed.
                let _ = tx.send((s, work(s)));
            });
        };
        let mut started = 0;
        while started < count.min(window) {
            start(started);
            started += 1;
        }
        let mut done = std::collections::BTreeMap::new();
        let mut next = 0;
        let result = (|| {
            while next < count {
                let (s, r) = rx
                    .recv()
                    .map_err(|_| Error::Internal("render threads stopped".into()))?;
                done.insert(s, r);
                while let Some(r) = done.remove(&next) {
                    sink(r?)?;
                    next += 1;
                    if started < count {
                        start(started);
                        started += 1;
                    }
                }
            }
            Ok(())
        })();
        // Strips still in flight skip their work; the scope waits for them.
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Locks `m`; a panic elsewhere that poisoned it does not matter here, as the
/// guarded values are only caches.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Renders image rows `y .. y + rows` (all columns `0 .. width`) into `out`,
/// whose rows are `stride` bytes apart.
fn render_rows(
    scene: &Scene,
    width: u32,
    y: i64,
    rows: u32,
    out: &mut [u8],
    stride: usize,
    pm: &mut Option<Pixmap>,
) -> Result<(), Error> {
    render_rect(
        scene,
        PixelRect {
            x: 0,
            y,
            w: width,
            h: rows,
        },
        out,
        stride,
        pm,
    )
}

/// Renders any pixel rectangle of the image into `out` (rows `stride` apart):
/// copied from the scene's period image when it has one, drawn otherwise.
pub(crate) fn render_rect(
    scene: &Scene,
    r: PixelRect,
    out: &mut [u8],
    stride: usize,
    pm: &mut Option<Pixmap>,
) -> Result<(), Error> {
    match &scene.period {
        Some(p) => {
            p.copy_rect(r, out, stride);
            Ok(())
        }
        None => draw_rect(scene, r, out, stride, pm),
    }
}

fn view_area(view: &View) -> u64 {
    view.width as u64 * view.height as u64
}

/// Draws any pixel rectangle of the image into `out` (rows `stride` apart),
/// column tile by column tile.
pub(crate) fn draw_rect(
    scene: &Scene,
    r: PixelRect,
    out: &mut [u8],
    stride: usize,
    pm: &mut Option<Pixmap>,
) -> Result<(), Error> {
    let cols = r.w.div_ceil(MAX_TILE_WIDTH);
    let tile_w = r.w.div_ceil(cols);
    for c in 0..cols {
        let x0 = c * tile_w;
        let w = tile_w.min(r.w - x0);
        let t = PixelRect {
            x: r.x + x0 as i64,
            y: r.y,
            w,
            h: r.h,
        };
        tile::render_with_margin(scene, t, pm)
            .ok_or_else(|| Error::Internal("cannot allocate a tile pixmap".into()))?;
        let pixmap = pm.as_ref().expect("rendered above");
        copy_out(
            scene,
            pixmap,
            device::MARGIN_PX as u32,
            t.w,
            t.h,
            &mut out[x0 as usize * 4..],
            stride,
        );
    }
    Ok(())
}

fn copy_out(
    scene: &Scene,
    pm: &Pixmap,
    margin: u32,
    w: u32,
    h: u32,
    out: &mut [u8],
    stride: usize,
) {
    let src_stride = pm.width() as usize * 4;
    for row in 0..h as usize {
        let s = (row + margin as usize) * src_stride + margin as usize * 4;
        let src = &pm.data()[s..s + w as usize * 4];
        let dst = &mut out[row * stride..row * stride + w as usize * 4];
        if scene.opaque {
            dst.copy_from_slice(src);
        } else {
            for (d, p) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                let c = tiny_skia::PremultipliedColorU8::from_rgba(p[0], p[1], p[2], p[3])
                    .map(|c| c.demultiply());
                let c = c.unwrap_or(tiny_skia::ColorU8::from_rgba(0, 0, 0, 0));
                d.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
    }
}

/// Reserves `bytes` for a whole image, or says it does not fit in memory
/// (failing to allocate would abort the process, not return an error).
fn try_reserve(buf: &mut Vec<u8>, bytes: usize) -> Result<(), UserError> {
    buf.try_reserve_exact(bytes).map_err(|_| {
        UserError::TooLarge(format!(
            "cannot allocate {} for the image; write a PNG file, which is streamed",
            human_bytes(bytes as u64)
        ))
    })
}

/// Renders the whole view into a new straight-alpha RGBA8 image.
pub fn render_image(
    pattern: &Pattern,
    view: &View,
    opts: &RenderOptions,
) -> Result<image::RgbaImage, Error> {
    view.check()?;
    let bytes = view.width as usize * view.height as usize * 4;
    let mut buf = Vec::new();
    try_reserve(&mut buf, bytes)?;
    render_strips(pattern, view, opts, |s| {
        buf.extend_from_slice(&s.data);
        Ok(())
    })?;
    image::RgbaImage::from_raw(view.width, view.height, buf)
        .ok_or_else(|| Error::Internal("image buffer size mismatch".into()))
}

/// Renders the rectangle `(x, y, w, h)` of the image `view` describes into
/// `buf`, a caller's RGBA8 buffer whose rows are `stride` bytes apart. The
/// pixels equal the same rectangle of a whole-image render.
pub fn render_region(
    pattern: &Pattern,
    view: &View,
    region: PixelRect,
    buf: &mut [u8],
    stride: usize,
) -> Result<(), Error> {
    let need = (region.h as usize).saturating_sub(1) * stride + region.w as usize * 4;
    if stride < region.w as usize * 4 || buf.len() < need {
        return Err(UserError::invalid(
            "buffer",
            format!(
                "{} bytes with stride {stride} cannot hold {} × {} RGBA pixels",
                buf.len(),
                region.w,
                region.h
            ),
        )
        .into());
    }
    budget::check_raster(pattern, &View::new(region.w, region.h, view.transform))?;
    let area = region.w as u64 * region.h as u64;
    let scene = Scene::new(pattern, view.transform).with_period(area, None)?;
    let mut pm = None;
    render_rect(&scene, region, buf, stride, &mut pm)
}

/// The reference: the whole view drawn on one pixmap (with the same margin),
/// without tiles or threads. Tests compare every optimised path against it.
pub fn render_reference(pattern: &Pattern, view: &View) -> Result<image::RgbaImage, Error> {
    view.check()?;
    budget::check_raster(pattern, view)?;
    let scene = Scene::new(pattern, view.transform);
    let whole = PixelRect {
        x: 0,
        y: 0,
        w: view.width,
        h: view.height,
    };
    let mut out = Vec::new();
    try_reserve(&mut out, view.width as usize * view.height as usize * 4)?;
    out.resize(view.width as usize * view.height as usize * 4, 0);
    if let Layout::Mirrored { x, y, w, h } = scene.layout {
        // The mirror repeat's pixels are the tile's, mirrored (see `period`).
        let tile = PixelRect { x, y, w, h };
        let mut drawn = vec![0u8; w as usize * h as usize * 4];
        draw_single_pixmap(&scene, tile, &mut drawn)?;
        PeriodImage::from_tile(scene.layout, x, y, (w, h), drawn).copy_rect(
            whole,
            &mut out,
            view.width as usize * 4,
        );
    } else {
        draw_single_pixmap(&scene, whole, &mut out)?;
    }
    image::RgbaImage::from_raw(view.width, view.height, out)
        .ok_or_else(|| Error::Internal("image buffer size mismatch".into()))
}

/// Draws `r` on one pixmap (with the margin), tightly packed into `out`.
fn draw_single_pixmap(scene: &Scene, r: PixelRect, out: &mut [u8]) -> Result<(), Error> {
    let mut pm = None;
    tile::render_with_margin(scene, r, &mut pm)
        .ok_or_else(|| Error::Internal("cannot allocate the reference pixmap".into()))?;
    copy_out(
        scene,
        pm.as_ref().expect("rendered"),
        device::MARGIN_PX as u32,
        r.w,
        r.h,
        out,
        r.w as usize * 4,
    );
    Ok(())
}
