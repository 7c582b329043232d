//! Argument definitions (clap derive). Names here are a public interface:
//! users' scripts depend on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::motif::Motif;

/// Traditional Indonesian textile motifs as exact, tiled, print-ready patterns.
#[derive(Debug, Parser)]
#[command(name = "wastra", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in motifs.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a motif's parameters, presets and meaning.
    Info {
        /// Built-in motif name or a motif file (.toml).
        motif: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the colourways.
    Palettes {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Render a motif to PNG, TIFF, JPEG, SVG or PDF (format from the extension).
    Render(RenderArgs),
    /// Write one exact repeat tile for textile printing.
    Tile(TileArgs),
    /// Render a labelled contact sheet of every built-in motif (PNG).
    Gallery(GalleryArgs),
    /// Make a limited edition: numbered, unique, reproducible units with a manifest.
    Edition(EditionArgs),
    /// Re-render an edition from its manifest and check every file and hash.
    Verify {
        /// The edition's manifest.json.
        manifest: PathBuf,
        /// Threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// Options shared by everything that draws a motif.
#[derive(Debug, Args)]
pub struct PatternArgs {
    /// Built-in motif name, or a motif file of your own (.toml).
    pub motif: String,
    /// Start from a preset (see `wastra info MOTIF`).
    #[arg(long)]
    pub preset: Option<String>,
    /// Set a parameter: NAME=VALUE (lengths take mm, cm or in: repeat=4cm). Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Colourway (see `wastra palettes`).
    #[arg(long)]
    pub palette: Option<String>,
    /// Override a colour: ROLE=#RRGGBB (a motif role or a palette slot). Repeatable.
    #[arg(long = "color", value_name = "ROLE=#RRGGBB")]
    pub color: Vec<String>,
    /// Physical size of one motif repeat, e.g. 4cm (same as --set on the motif's repeat parameter).
    #[arg(long, value_name = "LEN", allow_hyphen_values = true)]
    pub repeat_size: Option<String>,
    /// Resolution in dots per inch.
    #[arg(long, default_value = "300", allow_hyphen_values = true)]
    pub dpi: String,
    /// Render threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Seed for randomised effects; the same seed gives the same file.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Textile effects.
    #[command(flatten)]
    pub fx: EffectArgs,
    /// Compression. PNG: fast (default), balanced or best. TIFF: deflate (default), lzw or none.
    #[arg(long)]
    pub compression: Option<String>,
    /// Bits per sample for PNG and TIFF: 8 or 16.
    #[arg(long, default_value = "8")]
    pub bit_depth: String,
    /// Output ICC profile. CMYK (e.g. FOGRA39): writes a CMYK TIFF; RGB: converts into it and embeds it (PNG, TIFF, JPEG).
    #[arg(long, value_name = "PROFILE.icc")]
    pub icc: Option<PathBuf>,
    /// Rendering intent for --icc: perceptual (the default), relative (relative colorimetric with black-point compensation), saturation or absolute.
    #[arg(long)]
    pub intent: Option<String>,
    /// JPEG quality, 1 to 100.
    #[arg(long, default_value_t = 92)]
    pub quality: u8,
    /// Write BigTIFF even when a classic TIFF would do (it is chosen anyway past 4 GiB).
    #[arg(long)]
    pub bigtiff: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--effect` and `--finish`, shared by render, tile and edition so that they
/// mean the same everywhere.
#[derive(Debug, Args)]
pub struct EffectArgs {
    /// Textile effect NAME[:param=value,...]: crackle, tulis, cap, ikat, weave (songket), dye. Repeatable; effects compose in order.
    #[arg(long = "effect", value_name = "NAME[:K=V,...]")]
    pub effect: Vec<String>,
    /// Finish preset: tulis (hand-drawn), cap (stamped) or none; applied before any --effect. Without --finish or --effect a motif takes its own effects (ikat for ikat-wajik and sumba, songket for songket); `--finish none` renders it plain.
    #[arg(long)]
    pub finish: Option<String>,
}

impl EffectArgs {
    /// The finish and effect specs to apply to `motif`: these, or, when the
    /// command names neither, the motif's own (ikat's feathered edges are
    /// part of what ikat is). `--finish none` is a finish, so it takes none.
    pub fn for_motif(&self, motif: &Motif) -> (Option<String>, Vec<String>) {
        if self.effect.is_empty() && self.finish.is_none() {
            (None, motif.file().effects.clone())
        } else {
            (self.finish.clone(), self.effect.clone())
        }
    }
}

/// `wastra render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The motif and its options.
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// Output file: .png, .tif, .jpg, .svg or .pdf.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Width in pixels (with --height).
    #[arg(long, requires = "height", conflicts_with = "size", allow_hyphen_values = true, value_parser = parse_pixels)]
    pub width: Option<u32>,
    /// Height in pixels (with --width).
    #[arg(long, requires = "width", conflicts_with = "size", allow_hyphen_values = true, value_parser = parse_pixels)]
    pub height: Option<u32>,
    /// Physical size, e.g. 60x40cm, 600x400mm, 24x16in.
    #[arg(long, allow_hyphen_values = true)]
    pub size: Option<String>,
    /// Textile repeat: block, half-drop, brick or mirror.
    #[arg(long, default_value = "block")]
    pub repeat: String,
    /// Extend the pattern past the trim size on every side, e.g. 3mm or 2in.
    #[arg(long, value_name = "LEN")]
    pub bleed: Option<String>,
    /// Draw crop marks at the trim corners, outside the bleed (PDF).
    #[arg(long)]
    pub crop_marks: bool,
}

/// `wastra tile`.
#[derive(Debug, Args)]
pub struct TileArgs {
    /// The motif and its options.
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// Output file: .png, .tif, .jpg, .svg or .pdf.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Textile repeat: block, half-drop, brick or mirror.
    #[arg(long, default_value = "block")]
    pub repeat: String,
    /// Also write a 3×3 tiling beside the tile (NAME-preview.EXT).
    #[arg(long)]
    pub preview: bool,
}

/// `wastra gallery`.
#[derive(Debug, Args)]
pub struct GalleryArgs {
    /// Output file (.png).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Show every motif in this colourway (default: each motif's own).
    #[arg(long)]
    pub palette: Option<String>,
    /// Thumbnails per row.
    #[arg(long, default_value_t = 4)]
    pub columns: u32,
    /// Thumbnail side in pixels.
    #[arg(long, default_value_t = 256)]
    pub thumb: u32,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wastra edition`.
#[derive(Debug, Args)]
pub struct EditionArgs {
    /// Built-in motif name, or a motif file of your own (.toml).
    pub motif: String,
    /// Number of units.
    #[arg(long)]
    pub count: u32,
    /// Edition seed (any text); the same seed gives the same edition.
    #[arg(long)]
    pub seed: String,
    /// Directory for the units, certificates, contact sheet and manifest.
    #[arg(long)]
    pub out: PathBuf,
    /// Edition name, the prefix of file names (default: the motif's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Vary a parameter: NAME=MIN..MAX (lengths take mm, cm or in), or NAME=a,b,c for a choice.
    /// Repeatable. Unnamed lengths, ratios and angles vary ±15% around their value.
    #[arg(long = "vary", value_name = "NAME=MIN..MAX")]
    pub vary: Vec<String>,
    /// Colourways units are drawn from, comma-separated (default: the motif's).
    #[arg(long, value_delimiter = ',')]
    pub palettes: Vec<String>,
    /// Render only this unit (1..COUNT) and its manifest fragment, e.g. one batch job per unit.
    #[arg(long, conflicts_with = "merge")]
    pub unit: Option<u32>,
    /// Render nothing; gather the finished units' fragments into manifest.json and the contact sheet.
    #[arg(long)]
    pub merge: bool,
    /// Smallest difference between two units, in visible steps (see docs/editions.md).
    #[arg(long, default_value = "1")]
    pub min_distance: String,
    /// Start from a preset (see `wastra info MOTIF`).
    #[arg(long)]
    pub preset: Option<String>,
    /// Fix a parameter for every unit: NAME=VALUE. Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Override a colour in every unit: ROLE=#RRGGBB. Repeatable.
    #[arg(long = "color", value_name = "ROLE=#RRGGBB")]
    pub color: Vec<String>,
    /// Physical size of one motif repeat, e.g. 4cm.
    #[arg(long, value_name = "LEN")]
    pub repeat_size: Option<String>,
    /// Unit width in pixels (with --height).
    #[arg(long, requires = "height", conflicts_with = "size")]
    pub width: Option<u32>,
    /// Unit height in pixels (with --width).
    #[arg(long, requires = "width", conflicts_with = "size")]
    pub height: Option<u32>,
    /// Physical unit size, e.g. 60x40cm.
    #[arg(long)]
    pub size: Option<String>,
    /// Resolution in dots per inch.
    #[arg(long, default_value = "300")]
    pub dpi: String,
    /// Unit file format: png, tif, jpg, svg or pdf.
    #[arg(long, default_value = "png")]
    pub format: String,
    /// Textile effects, applied to every unit with the unit's own effects seed.
    #[command(flatten)]
    pub fx: EffectArgs,
    /// Textile repeat: block, half-drop, brick or mirror.
    #[arg(long, default_value = "block")]
    pub repeat: String,
    /// Compression. PNG: fast (default), balanced or best. TIFF: deflate (default), lzw or none.
    #[arg(long)]
    pub compression: Option<String>,
    /// Threads (default: one per core); units render in parallel.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A pixel count, with a message that says what is wrong with `-5`, `NaN` or `1e9`.
fn parse_pixels(s: &str) -> Result<u32, String> {
    let bad = |why: &str| format!("'{s}' {why}");
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| bad("is not a whole number of pixels"))?;
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(bad("is not a whole number of pixels"));
    }
    if v < 0.0 {
        return Err(bad("is negative; sizes are at least 1 pixel"));
    }
    if v > u32::MAX as f64 {
        return Err(bad(&format!(
            "pixels is beyond any image: the limit is {} px per side",
            crate::render::MAX_SIDE_PX
        )));
    }
    Ok(v as u32)
}
