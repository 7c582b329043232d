//! Exporters: the output format follows the file extension.
//!
//! Every exporter writes through [`AtomicFile`]: a temporary file beside the
//! target, renamed over it only when everything was written. A failed or
//! interrupted run leaves the previous file untouched and no debris behind.
//!
//! Raster formats (PNG, TIFF, JPEG) stream the image strip by strip from
//! [`render_strips`](crate::render::render_strips): memory stays bounded by a
//! few strips whatever the image size. Vector formats (SVG, PDF) draw the
//! pattern's paths; PDF draws on an exact physical [`Page`], with bleed, a
//! TrimBox and optional crop marks.

pub(crate) mod atomic;
pub mod colour;
mod idat;
pub mod jpeg;
pub mod pdf;
pub mod png;
mod stream;
pub mod svg;
pub mod tiff;
pub mod tile;

use std::io::{Seek, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use kurbo::Affine;

pub use atomic::{remove_temp_files, AtomicFile};
pub use colour::{IccProfile, Intent, ProfileSpace};

use crate::effects::PixelStage;
use crate::error::{Error, UserError};
use crate::geom::{Dpi, PhysicalSize};
use crate::pattern::Pattern;
use crate::render::{RenderOptions, View};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// PNG raster.
    Png,
    /// TIFF raster (RGB or CMYK).
    Tiff,
    /// JPEG raster (baseline, JFIF).
    Jpeg,
    /// SVG vector.
    Svg,
    /// PDF vector.
    Pdf,
}

const EXTENSIONS: &str = ".png, .tif, .jpg, .svg or .pdf";

impl Format {
    /// The format for `path`'s extension.
    pub fn from_path(path: &Path) -> Result<Self, UserError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some(e) => Self::from_extension(e).ok_or_else(|| {
                UserError::invalid(
                    "output",
                    format!(
                        "unknown extension '.{e}' of {} (use {EXTENSIONS})",
                        path.display()
                    ),
                )
            }),
            None => Err(UserError::invalid(
                "output",
                format!("{} has no extension (use {EXTENSIONS})", path.display()),
            )),
        }
    }

    /// The format of a file extension (without the dot, any case): `png`,
    /// `tif`/`tiff`, `jpg`/`jpeg`, `svg`, `pdf`.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "tif" | "tiff" => Some(Format::Tiff),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The usual extension, without the dot: `png`, `tif`, `jpg`, `svg`, `pdf`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Tiff => "tif",
            Format::Jpeg => "jpg",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }

    /// Whether the format stores pixels (rather than paths).
    pub fn is_raster(self) -> bool {
        matches!(self, Format::Png | Format::Tiff | Format::Jpeg)
    }

    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Tiff => "TIFF",
            Format::Jpeg => "JPEG",
            Format::Svg => "SVG",
            Format::Pdf => "PDF",
        }
    }
}

/// PNG compression effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// zlib level 1, on every core: fastest. Default.
    #[default]
    Fast,
    /// zlib level 6.
    Balanced,
    /// zlib level 9: smallest files, for delivery.
    Best,
}

impl std::str::FromStr for Compression {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        match s {
            "fast" => Ok(Self::Fast),
            "balanced" => Ok(Self::Balanced),
            "best" => Ok(Self::Best),
            _ => Err(UserError::unknown(
                "PNG compression",
                s,
                ["fast", "balanced", "best"],
            )),
        }
    }
}

/// TIFF compression (both with the horizontal predictor, which every TIFF reader supports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TiffCompression {
    /// Deflate (Adobe, code 8): fast and small on flat art. Default.
    #[default]
    Deflate,
    /// LZW (code 5): the oldest compression RIPs accept; slower.
    Lzw,
    /// No compression.
    None,
}

impl std::str::FromStr for TiffCompression {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        match s {
            "deflate" | "zip" => Ok(Self::Deflate),
            "lzw" => Ok(Self::Lzw),
            "none" => Ok(Self::None),
            _ => Err(UserError::unknown(
                "TIFF compression",
                s,
                ["deflate", "lzw", "none"],
            )),
        }
    }
}

/// Bits per sample of raster output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BitDepth {
    /// 8 bits. Default.
    #[default]
    Eight,
    /// 16 bits (PNG and TIFF). The rasteriser works in 8 bits, so RGB samples
    /// are 8-bit values widened exactly (`v × 257`); a colour-managed
    /// conversion (`icc`) does produce full 16-bit precision.
    Sixteen,
}

impl std::str::FromStr for BitDepth {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        match s {
            "8" => Ok(Self::Eight),
            "16" => Ok(Self::Sixteen),
            _ => Err(UserError::unknown("bit depth", s, ["8", "16"])),
        }
    }
}

/// A cancellation flag shared with a signal handler or another thread.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks every export holding this flag to stop at the next strip.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// `Err(Error::Interrupted)` once cancelled.
    pub fn check(&self) -> Result<(), Error> {
        if self.is_cancelled() {
            Err(Error::Interrupted)
        } else {
            Ok(())
        }
    }
}

/// The physical page a PDF is drawn on. Raster formats use the [`View`]; the
/// page keeps vector output exact where pixels would round (10 cm is 10 cm,
/// not 1181 px / 300 dpi).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Page {
    /// Trim (finished) size in mm.
    pub trim_mm: (f64, f64),
    /// Bleed added on each side, in mm.
    pub bleed_mm: f64,
    /// Drawing units → mm, with the origin at the trim's top-left corner.
    pub transform: Affine,
}

impl Page {
    /// A page of `trim_mm` with `bleed_mm` on each side; the pattern's
    /// origin at the trim's top-left corner at its physical scale.
    pub fn new(pattern: &Pattern, trim_mm: (f64, f64), bleed_mm: f64) -> Self {
        Page {
            trim_mm,
            bleed_mm,
            transform: Affine::scale(pattern.unit_mm),
        }
    }

    /// The page showing exactly `view` at `dpi`, without bleed.
    pub fn of_view(view: &View, dpi: Dpi) -> Self {
        let mm = 1.0 / dpi.px_per_mm();
        Page {
            trim_mm: (view.width as f64 * mm, view.height as f64 * mm),
            bleed_mm: 0.0,
            transform: Affine::scale(mm) * view.transform,
        }
    }
}

/// Options for writing a file.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Resolution stored in the file, and used for SVG's physical size. Default: 300.
    pub dpi: Dpi,
    /// PNG compression. Default: fast.
    pub compression: Compression,
    /// TIFF compression. Default: deflate.
    pub tiff_compression: TiffCompression,
    /// Always write BigTIFF. Default: false (BigTIFF only when a classic TIFF
    /// could pass its 4 GiB limit).
    pub bigtiff: bool,
    /// Bits per sample for PNG and TIFF. Default: 8.
    pub bit_depth: BitDepth,
    /// JPEG quality, 1–100. Default: 92.
    pub jpeg_quality: u8,
    /// Output colour profile. RGB: pixels are converted from sRGB into it and
    /// it is embedded (PNG, TIFF, JPEG). CMYK: a CMYK TIFF. Default: none
    /// (sRGB, marked as such).
    pub icc: Option<IccProfile>,
    /// Rendering intent of the `icc` conversion. Default: perceptual.
    pub intent: Intent,
    /// The physical page for PDF. Default: `None`, the view at `dpi`.
    pub page: Option<Page>,
    /// Draw crop marks outside the bleed (PDF). Default: false.
    pub crop_marks: bool,
    /// Show a progress bar on stderr (only when it is a terminal and the job
    /// runs longer than about a second). Default: false.
    pub progress: bool,
    /// Stops the export, leaving no file behind. Default: never cancelled.
    pub cancel: Cancel,
    /// Render options. Default: all cores.
    pub render: RenderOptions,
    /// Exact physical size for SVG, when the user gave one (raster sizes are
    /// whole pixels, vector sizes need not be). Default: `None`, the pixel
    /// size at `dpi`. PDF uses `page`.
    pub physical_size: Option<PhysicalSize>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            dpi: Dpi::default(),
            compression: Compression::default(),
            tiff_compression: TiffCompression::default(),
            bigtiff: false,
            bit_depth: BitDepth::default(),
            jpeg_quality: 92,
            icc: None,
            intent: Intent::default(),
            page: None,
            crop_marks: false,
            progress: false,
            cancel: Cancel::default(),
            render: RenderOptions::default(),
            physical_size: None,
        }
    }
}

impl ExportOptions {
    /// Sets the compression `--compression` names for `format`: PNG's
    /// (fast, balanced, best) or TIFF's (deflate, lzw, none); other formats
    /// take none.
    pub fn set_compression(&mut self, format: Format, c: Option<&str>) -> Result<(), UserError> {
        match (format, c) {
            (Format::Tiff, Some(c)) => self.tiff_compression = c.parse()?,
            (Format::Png, Some(c)) => self.compression = c.parse()?,
            (_, Some(_)) => {
                return Err(UserError::invalid(
                    "--compression",
                    format!("applies to PNG and TIFF output, not {}", format.name()),
                ))
            }
            (_, None) => {}
        }
        Ok(())
    }
}

/// Checks that `opts` make sense for `format` and `view`, before any work.
pub fn check_options(format: Format, view: &View, opts: &ExportOptions) -> Result<(), UserError> {
    let only = |what: &str, formats: &str| {
        UserError::invalid(
            what,
            format!("applies to {formats} output, not {}", format.name()),
        )
    };
    if opts.bit_depth == BitDepth::Sixteen && !matches!(format, Format::Png | Format::Tiff) {
        return Err(only("--bit-depth 16", "PNG and TIFF"));
    }
    if let Some(p) = &opts.icc {
        if !format.is_raster() {
            return Err(only("--icc", "PNG, TIFF and JPEG"));
        }
        if p.space() == ProfileSpace::Cmyk && format != Format::Tiff {
            return Err(UserError::invalid(
                "--icc",
                format!(
                    "'{}' is a CMYK profile: CMYK output is written as TIFF (use a .tif output)",
                    p.description()
                ),
            ));
        }
    }
    if opts.crop_marks && format != Format::Pdf {
        return Err(only("--crop-marks", "PDF"));
    }
    if format == Format::Jpeg {
        jpeg::check_size(view)?;
    }
    if !(1..=100).contains(&opts.jpeg_quality) {
        return Err(UserError::invalid(
            "JPEG quality",
            format!("must be 1 to 100, got {}", opts.jpeg_quality),
        ));
    }
    Ok(())
}

/// Renders `pattern` in `view` and writes it to `path` in the format its
/// extension names.
pub fn export(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    path: &Path,
) -> Result<(), Error> {
    export_with(pattern, view, opts, &PixelStage::default(), path)
}

/// Every check [`export_with`] makes before it writes: the format, the size,
/// the options and the job's cost. A command writing two files runs it on
/// both before writing either.
pub fn check_export(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    path: &Path,
) -> Result<Format, Error> {
    let format = Format::from_path(path)?;
    check_format(format, pattern, view, opts)?;
    Ok(format)
}

/// [`check_export`] for a format known without a path.
pub fn check_format(
    format: Format,
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
) -> Result<(), Error> {
    view.check()?;
    check_options(format, view, opts)?;
    if format.is_raster() {
        crate::render::budget::check_raster(pattern, view)?;
    } else {
        crate::render::budget::check_svg(pattern, view)?;
    }
    Ok(())
}

/// [`export`] with the pixel effects of `stage` (raster formats only; SVG
/// carries geometry effects, which are already in `pattern`).
pub fn export_with(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &PixelStage,
    path: &Path,
) -> Result<(), Error> {
    // Refuse before the output file is touched.
    let format = check_export(pattern, view, opts, path)?;
    let mut file = AtomicFile::create(path)?;
    write_format(format, pattern, view, opts, stage, file.writer())?;
    opts.cancel.check()?;
    file.commit()
}

/// Writes `pattern` in `view` as `format` to `w`: the bytes [`export_with`]
/// puts in its file (which also checks first, see [`check_format`]). Only
/// TIFF seeks.
pub fn write_format<W: Write + Seek + Send>(
    format: Format,
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &PixelStage,
    w: W,
) -> Result<(), Error> {
    match format {
        Format::Png => png::write_png(pattern, view, opts, stage, w),
        Format::Tiff => tiff::write_tiff(pattern, view, opts, stage, w),
        Format::Jpeg => jpeg::write_jpeg(pattern, view, opts, stage, w),
        Format::Svg => svg::write_svg(pattern, view, opts, w),
        Format::Pdf => {
            let page = opts.page.unwrap_or_else(|| Page::of_view(view, opts.dpi));
            pdf::write_pdf(pattern, &page, opts, w)
        }
    }
}
