//! The raster pipeline shared by PNG, TIFF and JPEG: strips rendered on a
//! worker thread, optionally mapped (compressed) by the render threads in
//! parallel, handed through a small bounded channel to the writer on the
//! calling thread (so rendering and writing overlap and memory stays at a
//! few strips), with cancellation and a progress bar; and the conversion of
//! each strip's RGBA8 into the file's samples.

use std::io::IsTerminal as _;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::colour::Converter;
use super::{BitDepth, ExportOptions, ProfileSpace};
use crate::error::Error;
use crate::pattern::Pattern;
use crate::render::{Strip, View};

/// Strips waiting for the encoder (each `width × 256 × 4` bytes): one is
/// enough to keep the encoder fed, and every strip counts in peak memory.
const QUEUE: usize = 1;
/// A job shows a progress bar once it has run this long.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// A progress bar on stderr that appears only for long jobs on a terminal.
struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: bool,
}

impl Progress {
    fn new(enabled: bool, rows: u64) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(rows), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} rendering {percent:>3}% [{bar:40}] {pos}/{len} rows, {eta} left",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: false,
        }
    }

    fn rows_done(&mut self, rows: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(rows);
            if !self.shown && self.start.elapsed() >= PROGRESS_AFTER {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.shown = true;
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Renders `pattern` in `view`, calling `sink` with each strip top to bottom on
/// this thread. Stops with [`Error::Interrupted`] when `opts.cancel` is set.
pub(crate) fn for_each_strip(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &crate::effects::PixelStage,
    mut sink: impl FnMut(&Strip) -> Result<(), Error>,
) -> Result<(), Error> {
    for_each_strip_map(
        pattern,
        view,
        opts,
        stage,
        1,
        |s| Ok(std::mem::take(s)),
        |s| sink(&s),
    )
}

/// [`for_each_strip`] with `map` applied to each strip first, in parallel on
/// the render threads, where the strip was just made; `sink` gets the
/// results in order on this thread. `per_thread`: see
/// [`render_strips_map`](crate::render::render_strips_map).
pub(crate) fn for_each_strip_map<T: Send>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &crate::effects::PixelStage,
    per_thread: usize,
    map: impl Fn(&mut Strip) -> Result<T, Error> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut progress = Progress::new(opts.progress, view.height as u64);
    let cancel = &opts.cancel;
    let (tx, rx) = sync_channel::<(u32, T)>(QUEUE);
    let map = &map;
    std::thread::scope(|s| {
        let renderer = s.spawn(move || {
            // A closed channel means the encoder stopped; its error wins.
            let send = |end: u32, t: T| {
                cancel.check()?;
                tx.send((end, t))
                    .map_err(|_| Error::Internal("encoder stopped".into()))
            };
            let tagged = |s: &mut Strip| Ok((s.y + s.rows, map(s)?));
            let sink = |(e, t)| send(e, t);
            crate::effects::render_strips_map(
                pattern,
                view,
                &opts.render,
                stage,
                per_thread,
                tagged,
                sink,
            )
        });
        let mut encoded = Ok(());
        for (end, t) in rx.iter() {
            encoded = cancel.check().and_then(|()| sink(t));
            if encoded.is_err() {
                break;
            }
            progress.rows_done(end as u64);
        }
        // Dropping the receiver unblocks the renderer if the encoder failed.
        drop(rx);
        let rendered = renderer
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("render thread panicked".into())));
        encoded?;
        rendered
    })?;
    cancel.check()
}

/// Channels of a raster file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channels {
    Rgb,
    Rgba,
    Cmyk,
    Cmyka,
}

impl Channels {
    pub fn count(self) -> usize {
        match self {
            Channels::Rgb => 3,
            Channels::Rgba | Channels::Cmyk => 4,
            Channels::Cmyka => 5,
        }
    }
    pub fn has_alpha(self) -> bool {
        matches!(self, Channels::Rgba | Channels::Cmyka)
    }
}

/// Samples without a colour conversion: sRGB straight through, alpha kept
/// if any pixel may need it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Direct {
    alpha: bool,
    sixteen: bool,
    big_endian: bool,
}

impl Direct {
    /// Appends the samples of `rgba` (straight RGBA8 pixels) to `out`.
    pub fn encode(&self, rgba: &[u8], out: &mut Vec<u8>) {
        let n = rgba.len() / 4;
        if !self.sixteen {
            if self.alpha {
                out.extend_from_slice(rgba);
            } else {
                let start = out.len();
                out.resize(start + n * 3, 0);
                rgba_to_rgb(rgba, &mut out[start..]);
            }
            return;
        }
        let keep = if self.alpha { 4 } else { 3 };
        out.reserve(n * keep * 2);
        for p in rgba.chunks_exact(4) {
            for &v in &p[..keep] {
                let v = v as u16 * 257;
                out.extend_from_slice(&if self.big_endian {
                    v.to_be_bytes()
                } else {
                    v.to_ne_bytes()
                });
            }
        }
    }
}

/// Drops the alpha byte of each RGBA8 pixel of `rgba` into `rgb`.
///
/// Four pixels at a time as little-endian words, three words out: a
/// byte-by-byte copy took a quarter of an opaque PNG's encoding time.
fn rgba_to_rgb(rgba: &[u8], rgb: &mut [u8]) {
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let mut src = rgba.chunks_exact(16);
    let mut dst = rgb.chunks_exact_mut(12);
    for (s, d) in (&mut src).zip(&mut dst) {
        let (a, b, c, e) = (
            word(&s[0..4]),
            word(&s[4..8]),
            word(&s[8..12]),
            word(&s[12..16]),
        );
        d[0..4].copy_from_slice(&((a & 0xFF_FFFF) | (b << 24)).to_le_bytes());
        d[4..8].copy_from_slice(&(((b >> 8) & 0xFFFF) | (c << 16)).to_le_bytes());
        d[8..12].copy_from_slice(&(((c >> 16) & 0xFF) | (e << 8)).to_le_bytes());
    }
    let tail = dst.into_remainder();
    for (d, p) in tail
        .chunks_exact_mut(3)
        .zip(src.remainder().chunks_exact(4))
    {
        d.copy_from_slice(&p[..3]);
    }
}

/// A strip as it reaches the writing thread: encoded on the render thread
/// that made it, or, where a colour conversion is needed (lcms2 transforms
/// are used by one thread), the strip itself, to convert there.
pub(crate) enum Piece<T> {
    Done(T),
    Raw(Strip),
}

impl<T> Piece<T> {
    /// `encode` run on `strip` with the `direct` samples, or the strip taken
    /// whole when there are none.
    pub fn of(
        direct: Option<Direct>,
        strip: &mut Strip,
        encode: impl FnOnce(Direct, &Strip) -> Result<T, Error>,
    ) -> Result<Self, Error> {
        match direct {
            Some(d) => encode(d, strip).map(Piece::Done),
            None => Ok(Piece::Raw(std::mem::take(strip))),
        }
    }
}

/// How a strip's straight RGBA8 becomes a file's samples.
pub(crate) struct Samples {
    pub channels: Channels,
    pub sixteen: bool,
    big_endian: bool,
    converter: Option<Converter>,
    rgb: Vec<u8>,
    converted: Vec<u8>,
}

/// Whether every pixel `pattern` draws is opaque (then alpha is left out).
pub(crate) fn is_opaque(pattern: &Pattern) -> bool {
    pattern.is_opaque() && pattern.colours.iter().all(|c| c.alpha == 255)
}

impl Samples {
    /// Samples for `pattern` under `opts`; 16-bit samples big-endian (PNG) or
    /// native (TIFF).
    pub fn new(pattern: &Pattern, opts: &ExportOptions, big_endian: bool) -> Result<Self, Error> {
        Self::with_alpha(!is_opaque(pattern), opts, big_endian)
    }

    /// Samples with or without an alpha channel.
    pub fn with_alpha(alpha: bool, opts: &ExportOptions, big_endian: bool) -> Result<Self, Error> {
        let sixteen = opts.bit_depth == BitDepth::Sixteen;
        let converter = match &opts.icc {
            Some(p) => Some(Converter::new(p, opts.intent, opts.bit_depth)?),
            None => None,
        };
        let cmyk = opts
            .icc
            .as_ref()
            .is_some_and(|p| p.space() == ProfileSpace::Cmyk);
        let channels = match (cmyk, alpha) {
            (false, false) => Channels::Rgb,
            (false, true) => Channels::Rgba,
            (true, false) => Channels::Cmyk,
            (true, true) => Channels::Cmyka,
        };
        Ok(Samples {
            channels,
            sixteen,
            big_endian,
            converter,
            rgb: Vec::new(),
            converted: Vec::new(),
        })
    }

    /// Bytes per pixel in the file.
    pub fn bytes_per_pixel(&self) -> usize {
        self.channels.count() * if self.sixteen { 2 } else { 1 }
    }

    /// The conversion when no colour profile is involved: plain data that
    /// any thread can use.
    pub fn direct(&self) -> Option<Direct> {
        self.converter.is_none().then_some(Direct {
            alpha: self.channels.has_alpha(),
            sixteen: self.sixteen,
            big_endian: self.big_endian,
        })
    }

    /// Appends the samples of `rgba` (straight RGBA8 pixels) to `out`.
    pub fn encode(&mut self, rgba: &[u8], out: &mut Vec<u8>) {
        let n = rgba.len() / 4;
        out.reserve(n * self.bytes_per_pixel());
        let alpha = self.channels.has_alpha();
        let Some(conv) = &self.converter else {
            Direct {
                alpha,
                sixteen: self.sixteen,
                big_endian: self.big_endian,
            }
            .encode(rgba, out);
            return;
        };
        self.rgb.clear();
        self.rgb
            .extend(rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
        let c = conv.channels();
        let sample = if self.sixteen { 2 } else { 1 };
        self.converted.clear();
        self.converted.resize(n * c * sample, 0);
        conv.convert(&self.rgb, &mut self.converted);
        let big = self.big_endian && cfg!(target_endian = "little")
            || !self.big_endian && cfg!(target_endian = "big");
        for (i, px) in self.converted.chunks_exact(c * sample).enumerate() {
            if self.sixteen && big {
                out.extend(px.chunks_exact(2).flat_map(|s| [s[1], s[0]]));
            } else {
                out.extend_from_slice(px);
            }
            if alpha {
                let a = rgba[i * 4 + 3];
                if self.sixteen {
                    let v = a as u16 * 257;
                    out.extend_from_slice(&if self.big_endian {
                        v.to_be_bytes()
                    } else {
                        v.to_ne_bytes()
                    });
                } else {
                    out.push(a);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rgba_to_rgb;

    #[test]
    fn rgba_to_rgb_drops_alpha_at_every_length() {
        for n in 0..23usize {
            let rgba: Vec<u8> = (0..n * 4).map(|i| (i * 37 % 251) as u8).collect();
            let want: Vec<u8> = rgba
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            let mut got = vec![0u8; n * 3];
            rgba_to_rgb(&rgba, &mut got);
            assert_eq!(got, want, "{n} pixels");
        }
    }
}
