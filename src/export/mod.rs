//! Exporters: the output format follows the file extension.
//!
//! Every exporter writes through [`AtomicFile`]: a temporary file beside the
//! target, renamed over it only when everything was written. A failed or
//! interrupted run leaves the previous file untouched and no debris behind.

pub(crate) mod atomic;
pub mod png;
pub mod svg;
pub mod tile;

use std::path::Path;

pub use atomic::AtomicFile;

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
    /// SVG vector.
    Svg,
}

impl Format {
    /// The format for `path`'s extension.
    pub fn from_path(path: &Path) -> Result<Self, UserError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            Some(other) => Err(UserError::invalid(
                "output",
                format!(
                    "unknown extension '.{other}' of {} (use .png or .svg)",
                    path.display()
                ),
            )),
            None => Err(UserError::invalid(
                "output",
                format!("{} has no extension (use .png or .svg)", path.display()),
            )),
        }
    }
}

/// PNG compression effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// fdeflate: fastest with a good ratio on flat art. Default.
    #[default]
    Fast,
    /// zlib level 6.
    Balanced,
    /// Smallest files, for delivery.
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
                "compression",
                s,
                ["fast", "balanced", "best"],
            )),
        }
    }
}

/// Options for writing a file.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Resolution stored in the file, and used for SVG's physical size. Default: 300.
    pub dpi: Dpi,
    /// PNG compression. Default: fast.
    pub compression: Compression,
    /// Render options. Default: all cores.
    pub render: RenderOptions,
    /// Exact physical size for vector formats, when the user gave one (raster
    /// sizes are whole pixels, vector sizes need not be). Default: `None`, the
    /// pixel size at `dpi`.
    pub physical_size: Option<PhysicalSize>,
}

/// Renders `pattern` in `view` and writes it to `path` in the format its
/// extension names.
pub fn export(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    path: &Path,
) -> Result<(), Error> {
    let format = Format::from_path(path)?;
    view.check()?;
    // Refuse before the output file is touched.
    match format {
        Format::Png => crate::render::budget::check_raster(pattern, view)?,
        Format::Svg => crate::render::budget::check_svg(pattern, view)?,
    }
    let mut file = AtomicFile::create(path)?;
    match format {
        Format::Png => png::write_png(pattern, view, opts, file.writer())?,
        Format::Svg => svg::write_svg(pattern, view, opts, file.writer())?,
    }
    file.commit()
}
