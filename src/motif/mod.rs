//! Motifs as data: the file format, its checks, parameters, palettes, and the
//! built-in library.
//!
//! A motif file is parsed into [`format::MotifFile`] (syntax, unknown keys), then
//! checked into a [`Motif`] (names, ranges, references). Geometry is checked by
//! resolving the motif once with its defaults and with every preset, so a motif
//! that loads is a motif that renders.

pub mod expr;
pub mod format;
pub mod load;
pub mod palette;
pub mod params;
pub mod registry;

use std::path::Path;

use crate::error::{Error, UserError};
use format::{Family, MotifFile, ParamValue};
pub use params::{Param, ParamKind, ParamValues, Value};

/// A checked motif.
#[derive(Debug, Clone)]
pub struct Motif {
    file: MotifFile,
    params: Vec<Param>,
}

/// A layer's `when` condition, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `NAME == CHOICE` (`equal` true) or `NAME != CHOICE`.
    Choice {
        /// Parameter.
        param: String,
        /// Choice compared with.
        choice: String,
        /// `==` or `!=`.
        equal: bool,
    },
    /// A formula; the layer is drawn when it is non-zero.
    Formula(expr::Expr),
}

impl Condition {
    /// Parses a `when` string.
    pub fn parse(s: &str) -> Self {
        for (op, equal) in [("==", true), ("!=", false)] {
            if let Some((a, b)) = s.split_once(op) {
                return Condition::Choice {
                    param: a.trim().into(),
                    choice: b.trim().into(),
                    equal,
                };
            }
        }
        Condition::Formula(expr::Expr::Formula(s.to_string()))
    }
}

impl Motif {
    /// Checks a parsed file.
    pub fn from_file(file: MotifFile) -> Result<Self, UserError> {
        let motif = Self::from_file_unchecked(file)?;
        let bad = |message: String| UserError::MotifFile {
            file: motif.name().to_string(),
            message,
        };
        // A geometry error names no file yet: keep just its message.
        let text = |e: UserError| match e {
            UserError::MotifFile { message, .. } => message,
            other => other.to_string(),
        };
        // Resolving with defaults and each preset proves the geometry is sound.
        let lib_free_check = crate::pattern::resolve::check_geometry(&motif, &motif.defaults());
        lib_free_check.map_err(|e| bad(text(e)))?;
        for p in motif.file.presets.keys() {
            let v = motif.values(Some(p), &[]).map_err(|e| bad(e.to_string()))?;
            crate::pattern::resolve::check_geometry(&motif, &v)
                .map_err(|e| bad(format!("preset '{p}': {}", text(e))))?;
        }
        Ok(motif)
    }

    /// Checks a parsed file's names, parameters and references, but not its
    /// geometry.
    pub(crate) fn from_file_unchecked(file: MotifFile) -> Result<Self, UserError> {
        let motif_name = file.motif.name.clone();
        let bad = |message: String| UserError::MotifFile {
            file: motif_name.clone(),
            message,
        };
        if file.format != 1 {
            return Err(bad(format!(
                "format {} is not supported (this wastra reads format 1)",
                file.format
            )));
        }
        let name = &file.motif.name;
        if !name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(bad(format!(
                "motif name '{name}' must be lower case letters, digits and '-'"
            )));
        }
        let params = file
            .params
            .0
            .iter()
            .map(|(n, s)| Param::new(n, s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        let motif = Motif { file, params };
        for (pname, preset) in &motif.file.presets {
            motif
                .values(Some(pname), &[])
                .map_err(|e| bad(format!("preset '{pname}': {e}")))?;
            let _ = preset;
        }
        if !motif.file.colors.roles.contains_key("ground") {
            return Err(bad(
                "[colors.roles] must define 'ground', the background".into()
            ));
        }
        for (i, layer) in motif.file.layers.iter().enumerate() {
            let lname = layer
                .name
                .clone()
                .unwrap_or_else(|| format!("layer {}", i + 1));
            let band_roles = layer.bands.iter().flat_map(|b| b.roles.iter());
            for role in layer
                .fill
                .iter()
                .chain(layer.stroke.iter())
                .chain(band_roles)
            {
                if !motif.file.colors.roles.contains_key(role) {
                    return Err(bad(UserError::unknown(
                        "colour role",
                        role,
                        motif.file.colors.roles.keys().map(String::as_str),
                    )
                    .to_string()
                        + &format!(" in {lname}")));
                }
            }
            if let Some(Condition::Choice { param, choice, .. }) =
                layer.when.as_deref().map(Condition::parse)
            {
                let p = motif.param(&param).ok_or_else(|| {
                    bad(format!(
                        "{lname}: when refers to unknown parameter '{param}'"
                    ))
                })?;
                if !p.spec.choices.contains(&choice) {
                    return Err(bad(format!(
                        "{lname}: '{choice}' is not a choice of '{param}' ({})",
                        p.spec.choices.join(", ")
                    )));
                }
            }
        }
        Ok(motif)
    }

    /// Checks the palettes and palette slots the motif names exist in `palettes`
    /// (done apart from [`Motif::from_file`] because the built-in palettes are
    /// themselves loaded with the built-in motifs).
    pub fn check_palettes(&self, palettes: &[palette::Palette]) -> Result<(), UserError> {
        let bad = |message: String| UserError::MotifFile {
            file: self.name().to_string(),
            message,
        };
        let find = |name: &str, whose: &str| {
            palettes.iter().find(|p| p.name == name).ok_or_else(|| {
                let e =
                    UserError::unknown("palette", name, palettes.iter().map(|p| p.name.as_str()));
                bad(format!("{whose}: {e}"))
            })
        };
        let mut used = vec![find(&self.file.colors.palette, "[colors] palette")?];
        for (pname, preset) in &self.file.presets {
            if let Some(p) = &preset.palette {
                used.push(find(p, &format!("preset '{pname}'"))?);
            }
        }
        for (role, spec) in &self.file.colors.roles {
            if spec.starts_with('#') {
                palette::parse_colour(spec)
                    .map_err(|e| bad(format!("colour role '{role}': {e}")))?;
                continue;
            }
            for p in &used {
                if !spec.split('|').any(|slot| p.slot(slot.trim()).is_some()) {
                    let e = UserError::unknown(
                        "palette slot",
                        spec,
                        p.slots.keys().map(String::as_str),
                    );
                    return Err(bad(format!(
                        "colour role '{role}' in palette '{}': {e}",
                        p.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// Loads and checks a motif file from disk.
    pub fn from_path(path: &Path) -> Result<Self, Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > load::MAX_FILE_BYTES as u64 {
            return Err(UserError::MotifFile {
                file: path.display().to_string(),
                message: format!(
                    "file is larger than {} KiB, the limit for a motif file",
                    load::MAX_FILE_BYTES / 1024
                ),
            }
            .into());
        }
        let src = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::parse_checked(&src, &path.display().to_string())?)
    }

    /// Parses and checks a motif from TOML text.
    pub fn from_toml(source: &str) -> Result<Self, UserError> {
        Self::parse_checked(source, "<motif>")
    }

    /// Parses `source` and checks it, palettes included, naming `file` in errors.
    fn parse_checked(source: &str, file: &str) -> Result<Self, UserError> {
        let m = load::parse_motif(source, file)?;
        for spec in &m.file.effects {
            spec.parse::<crate::effects::Effect>()
                .map_err(|e| UserError::MotifFile {
                    file: file.to_string(),
                    message: format!("effects: {e}"),
                })?;
        }
        m.check_palettes(registry::Library::builtin().palettes())
            .map_err(|e| match e {
                UserError::MotifFile { message, .. } => UserError::MotifFile {
                    file: file.to_string(),
                    message,
                },
                other => other,
            })?;
        Ok(m)
    }

    /// The file as parsed.
    pub fn file(&self) -> &MotifFile {
        &self.file
    }
    /// Identifier.
    pub fn name(&self) -> &str {
        &self.file.motif.name
    }
    /// Display name.
    pub fn title(&self) -> &str {
        self.file
            .motif
            .title
            .as_deref()
            .unwrap_or(&self.file.motif.name)
    }
    /// batik or tenun.
    pub fn family(&self) -> Family {
        self.file.motif.family
    }
    /// Declared parameters, in file order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
    /// Default values.
    pub fn defaults(&self) -> ParamValues {
        ParamValues::defaults(&self.params)
    }

    /// Values from the defaults, then `preset`, then `sets` in order.
    pub fn values(
        &self,
        preset: Option<&str>,
        sets: &[(String, ParamValue)],
    ) -> Result<ParamValues, UserError> {
        let mut v = self.defaults();
        if let Some(pn) = preset {
            let preset = self.file.presets.get(pn).ok_or_else(|| {
                UserError::unknown("preset", pn, self.file.presets.keys().map(String::as_str))
            })?;
            for (k, val) in &preset.set {
                self.set_one(&mut v, k, val)?;
            }
        }
        for (k, val) in sets {
            self.set_one(&mut v, k, val)?;
        }
        Ok(v)
    }

    fn set_one(&self, v: &mut ParamValues, k: &str, val: &ParamValue) -> Result<(), UserError> {
        let p = self.param(k).ok_or_else(|| {
            UserError::unknown("parameter", k, self.params.iter().map(|p| p.name.as_str()))
        })?;
        let checked = p
            .check(val)
            .map_err(|e| UserError::invalid("parameter", e))?;
        v.insert(k.to_string(), checked);
        Ok(())
    }

    /// The colourway a preset asks for, else the motif's default.
    pub fn default_palette(&self, preset: Option<&str>) -> &str {
        preset
            .and_then(|p| self.file.presets.get(p))
            .and_then(|p| p.palette.as_deref())
            .unwrap_or(&self.file.colors.palette)
    }
}
