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
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join("my-kawung.toml");
    /// # std::fs::write(&path, include_str!("../motifs/kawung.toml")).unwrap();
    /// let design = wastra::Design::from_file(&path)?;
    /// assert_eq!(design.motif().name(), "kawung");
    /// // A file that is not a motif is a user error, with the file named.
    /// # std::fs::write(&path, "[motif]\nname = 3").unwrap();
    /// let e = wastra::Design::from_file(&path).unwrap_err();
    /// assert!(e.is_user_error());
    /// # Ok::<(), wastra::Error>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        Ok(Self::new(Motif::from_path(path.as_ref())?))
    }

    /// A motif from TOML text.
    ///
    /// ```
    /// let design = wastra::Design::from_toml(r#"
    ///     [motif]
    ///     name = "dots"
    ///     family = "batik"
    ///     region = "anywhere"
    ///     description = "One dot per cell"
    ///     meaning = "A test"
    ///     [params.repeat]
    ///     default = 10.0
    ///     min = 1.0
    ///     max = 100.0
    ///     unit = "mm"
    ///     doc = "Cell size"
    ///     [colors]
    ///     palette = "indigo"
    ///     roles = { ground = "ground", dot = "ink" }
    ///     [lattice]
    ///     kind = "square"
    ///     unit = "repeat"
    ///     [[layer]]
    ///     fill = "dot"
    ///     [[layer.shape]]
    ///     type = "circle"
    ///     center = [0.5, 0.5]
    ///     r = 0.25
    /// "#)?;
    /// let img = design.render_px(64, 64, 254.0)?; // 10 mm = 100 px
    /// assert_ne!(img.get_pixel(50, 50), img.get_pixel(0, 0));
    /// # Ok::<(), wastra::Error>(())
    /// ```
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
        let dpi = checked_dpi(dpi)?;
        render_image(
            &p,
            &View::at_dpi(&p, width, height, dpi.get()),
            &RenderOptions::default(),
        )
    }

    /// Renders the pixel rectangle `region` of a `width` × `height` image at
    /// `dpi` into `buf` (RGBA8, rows `stride` bytes apart): a caller's own
    /// buffer, for tiled viewers or huge images made piece by piece. The
    /// pixels equal the same rectangle of the whole image.
    ///
    /// ```
    /// use wastra::render::PixelRect;
    ///
    /// let design = wastra::Design::builtin("kawung")?;
    /// let whole = design.render_px(200, 200, 150.0)?;
    /// let region = PixelRect { x: 120, y: 40, w: 50, h: 30 };
    /// let mut buf = vec![0u8; 50 * 30 * 4];
    /// design.render_region(200, 200, 150.0, region, &mut buf, 50 * 4)?;
    /// for (row, line) in buf.chunks(50 * 4).enumerate() {
    ///     let y = 40 + row as u32;
    ///     let start = ((y * 200 + 120) * 4) as usize;
    ///     assert_eq!(line, &whole.as_raw()[start..start + 50 * 4]);
    /// }
    /// # Ok::<(), wastra::Error>(())
    /// ```
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
            &View::at_dpi(&p, width, height, checked_dpi(dpi)?.get()),
            region,
            buf,
            stride,
        )
    }

    /// Writes `width` × `height` pixels at `opts.dpi` to `path`, in the
    /// format its extension names (PNG, TIFF, JPEG, SVG or PDF); the file is
    /// written atomically (a failed write leaves an existing file alone).
    ///
    /// ```
    /// use wastra::export::ExportOptions;
    ///
    /// # let dir = tempfile::tempdir().unwrap();
    /// let svg = dir.path().join("kawung.svg");
    /// wastra::Design::builtin("kawung")?.write(&svg, 600, 400, &ExportOptions::default())?;
    /// let text = std::fs::read_to_string(&svg).unwrap();
    /// assert!(text.contains("<svg") && text.contains("mm\""));
    /// # Ok::<(), wastra::Error>(())
    /// ```
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

fn checked_dpi(dpi: f64) -> Result<Dpi, Error> {
    Ok(
        Dpi::new(dpi)
            .ok_or_else(|| UserError::invalid("dpi", format!("{dpi} must be positive")))?,
    )
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
