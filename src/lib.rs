//! # wastra
//!
//! Traditional Indonesian textile motifs — batik and tenun — as exact,
//! parametric, tiled vector patterns, rasterised in parallel and exported
//! print-ready.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`motif`]: a motif file (TOML data, see `docs/motif-format.md`) is parsed
//!    and checked; built-in motifs are the files in `motifs/`, embedded.
//! 2. [`pattern`]: the motif with parameter values and colours is resolved into
//!    an immutable [`Pattern`]: filled paths in one cell, a lattice, and a
//!    wallpaper group or textile repeat that lays it out.
//! 3. [`render`]: a parallel strip rasteriser (tiny-skia + rayon) whose output
//!    does not depend on the number of threads.
//! 4. [`export`]: PNG with physical DPI, and SVG that draws the same picture.
//!
//! [`Design`] ties them together for embedding:
//!
//! ```
//! let img = wastra::Design::builtin("kawung")?.render_px(128, 128, 150.0)?;
//! assert_eq!(img.width(), 128);
//! # Ok::<(), wastra::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
mod design;
pub mod edition;
pub mod effects;
pub mod error;
pub mod export;
pub mod gallery;
pub mod geom;
pub mod motif;
pub mod pattern;
pub mod render;

pub use design::{Design, ParamValueArg};
pub use error::{Error, UserError};
pub use pattern::Pattern;
