//! The embedding API: a motif with its parameters, colours and repeat.
//!
//! ```
//! use wastra::Design;
//!
//! let design = Design::builtin("kawung")?
//!     .preset("bribil")?
//!     .set("petal", 0.5)?
//!     .palette("indigo");
//! let img = design.render_px(256, 256, 300.0)?;
//! assert_eq!(img.dimensions(), (256, 256));
//! # Ok::<(), wastra::Error>(())
//! ```

use std::path::Path;

use crate::error::{Error, UserError};
use crate::export::{ExportOptions, Format};
use crate::geom::{Dpi, Length};
use crate::motif::format::ParamValue;
use crate::motif::palette::parse_colour;
use crate::motif::registry::Library;
use crate::motif::{Motif, ParamValues};
use crate::pattern::resolve::{resolve, Colours};
use crate::pattern::{Pattern, TextileRepeat};
use crate::render::{render_image, render_region, PixelRect, RenderOptions, View};

/// A motif with everything needed to draw it.
#[derive(Debug, Clone)]
pub struct Design {
    motif: Motif,
    preset: Option<String>,
    values: ParamValues,
    colours: Colours,
    repeat: TextileRepeat,
}

impl Design {
    /// A built-in motif with its defaults.
    pub fn builtin(name: &str) -> Result<Self, Error> {
        Ok(Self::new(Library::builtin().motif(name)?.clone()))
    }

    /// A motif file of your own.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(Self::new(Motif::from_path(path.as_ref())?))
    }

    /// A motif from TOML text.
    pub fn from_toml(source: &str) -> Result<Self, Error> {
        Ok(Self::new(Motif::from_toml(source)?))
    }

    /// A built-in name, or a path if `arg` names a `.toml` file.
    pub fn open(arg: &str) -> Result<Self, Error> {
        let p = Path::new(arg);
        if arg.ends_with(".toml")
            || arg.contains(std::path::MAIN_SEPARATOR)
            || (p.is_file() && !arg.is_empty())
        {
            Self::from_file(p)
        } else {
            Self::builtin(arg)
        }
    }

    /// A design of `motif` with its defaults.
    pub fn new(motif: Motif) -> Self {
        let values = motif.defaults();
        Design {
            motif,
            preset: None,
            values,
            colours: Colours::default(),
            repeat: TextileRepeat::Block,
        }
    }

    /// Applies a preset (on top of the defaults; earlier `set`s are replaced).
    pub fn preset(mut self, name: &str) -> Result<Self, Error> {
        self.values = self.motif.values(Some(name), &[])?;
        self.preset = Some(name.to_string());
        Ok(self)
    }

    /// Sets a parameter: a number (lengths in mm) or text (`"4cm"`, a choice).
    pub fn set(mut self, name: &str, value: impl Into<ParamValueArg>) -> Result<Self, Error> {
        let v = value.into().0;
        let mut sets: Vec<(String, ParamValue)> = self
            .values
            .iter()
            .map(|(k, v)| (k.clone(), value_to_param(v)))
            .collect();
        sets.push((name.to_string(), v));
        self.values = self.motif.values(None, &sets)?;
        Ok(self)
    }

    /// Sets the motif's repeat size (its `repeat` parameter).
    pub fn repeat_size(self, len: Length) -> Result<Self, Error> {
        if self.motif.param("repeat").is_none() {
            return Err(UserError::invalid(
                "repeat size",
                format!("motif '{}' has no `repeat` parameter", self.motif.name()),
            )
            .into());
        }
        self.set("repeat", len.mm())
    }

    /// Picks a colourway.
    pub fn palette(mut self, name: &str) -> Self {
        self.colours.palette = Some(name.to_string());
        self
    }

    /// Overrides a colour role (or palette slot) with `#RRGGBB`.
    pub fn color(mut self, role: &str, hex: &str) -> Result<Self, Error> {
        let c = parse_colour(hex)?;
        self.colours.overrides.push((role.to_string(), c));
        Ok(self)
    }

    /// Picks the textile repeat.
    pub fn textile_repeat(mut self, r: TextileRepeat) -> Self {
        self.repeat = r;
        self
    }

    /// The motif.
    pub fn motif(&self) -> &Motif {
        &self.motif
    }

    /// The parameter values.
    pub fn values(&self) -> &ParamValues {
        &self.values
    }

    /// The textile repeat.
    pub fn repeat(&self) -> TextileRepeat {
        self.repeat
    }

    /// Resolves geometry and colours into a [`Pattern`].
    pub fn resolve(&self) -> Result<Pattern, Error> {
        let p = resolve(
            &self.motif,
            &self.values,
            self.preset.as_deref(),
            &self.colours,
        )?;
        Ok(match self.repeat {
            TextileRepeat::Block => p,
            r => r.apply(&p)?,
        })
    }

    /// Renders `width` × `height` pixels at `dpi` into a new image.
    pub fn render_px(&self, width: u32, height: u32, dpi: f64) -> Result<image::RgbaImage, Error> {
        let p = self.resolve()?;
        let dpi = Dpi::new(dpi)
            .ok_or_else(|| UserError::invalid("dpi", format!("{dpi} must be positive")))?;
        render_image(
            &p,
            &View::at_dpi(&p, width, height, dpi.get()),
            &RenderOptions::default(),
        )
    }

    /// Renders the pixel rectangle `region` of a `width` × `height` image at
    /// `dpi` into `buf` (RGBA8, rows `stride` bytes apart).
    pub fn render_region(
        &self,
        width: u32,
        height: u32,
        dpi: f64,
        region: PixelRect,
        buf: &mut [u8],
        stride: usize,
    ) -> Result<(), Error> {
        let p = self.resolve()?;
        render_region(
            &p,
            &View::at_dpi(&p, width, height, dpi),
            region,
            buf,
            stride,
        )
    }

    /// Writes `width` × `height` pixels at `dpi` to `path` (PNG or SVG by extension).
    pub fn write(
        &self,
        path: impl AsRef<Path>,
        width: u32,
        height: u32,
        opts: &ExportOptions,
    ) -> Result<(), Error> {
        Format::from_path(path.as_ref())?;
        let p = self.resolve()?;
        crate::export::export(
            &p,
            &View::at_dpi(&p, width, height, opts.dpi.get()),
            opts,
            path.as_ref(),
        )
    }
}

fn value_to_param(v: &crate::motif::Value) -> ParamValue {
    match v {
        crate::motif::Value::Number(n) => ParamValue::Number(*n),
        crate::motif::Value::Choice { name, .. } => ParamValue::Text(name.clone()),
    }
}

/// Anything [`Design::set`] accepts: numbers and text.
#[derive(Debug, Clone)]
pub struct ParamValueArg(pub ParamValue);

impl From<f64> for ParamValueArg {
    fn from(v: f64) -> Self {
        ParamValueArg(ParamValue::Number(v))
    }
}
impl From<&str> for ParamValueArg {
    fn from(v: &str) -> Self {
        ParamValueArg(ParamValue::Text(v.to_string()))
    }
}
impl From<ParamValue> for ParamValueArg {
    fn from(v: ParamValue) -> Self {
        ParamValueArg(v)
    }
}
