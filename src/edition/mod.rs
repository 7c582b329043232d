//! Limited editions: numbered, unique, reproducible units with provenance.
//!
//! An [`EditionSpec`] says everything that determines an edition's files: the
//! motif (and the SHA-256 of its source), base parameter values, how each
//! varied parameter may vary, the colourways, size and format, and the seed.
//! [`Plan::new`] derives every unit from it ([`derive`]), keeping any two units
//! at least the minimum distance apart ([`distance`]). [`run`] renders units in
//! parallel, resumes what an interrupted run left ([`manifest`]), and writes a
//! certificate per unit ([`certificate`]) and a contact sheet ([`contact`]);
//! [`verify`] re-renders an edition from its manifest alone.
//!
//! The spec is stored in the manifest with the *effective* variation (defaults
//! included), so a later wastra with other default ranges still re-derives the
//! same units.

pub mod certificate;
pub mod chips;
pub mod contact;
pub mod derive;
pub mod distance;
pub mod manifest;
pub mod run;
pub mod verify;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use derive::Vary;
pub use manifest::{Manifest, UnitRecord};
pub use run::{run, RunMode, RunOptions, RunReport};
pub use verify::{verify, Mismatch, VerifyReport};

use crate::effects::Effects;
use crate::error::{Error, UserError};
use crate::export::{ExportOptions, Format};
use crate::motif::format::ParamValue;
use crate::motif::palette::{format_colour, parse_colour, Colour};
use crate::motif::registry::{builtin_source, Library};
use crate::motif::{Motif, Value};
use crate::pattern::TextileRepeat;
use crate::Design;

/// Largest edition accepted.
pub const MAX_COUNT: u32 = 1_000_000;

/// Which motif, exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotifRef {
    /// The motif's name.
    pub name: String,
    /// Its display name.
    pub title: String,
    /// Whether it is a built-in motif; otherwise its source is copied into the
    /// edition directory as `file`.
    pub builtin: bool,
    /// For a motif of one's own: the copy of its file, relative to the edition directory.
    pub file: Option<String>,
    /// SHA-256 of the motif file's text.
    pub sha256: String,
}

/// Everything that determines an edition's files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionSpec {
    /// Edition name; the prefix of every file name.
    pub name: String,
    /// The edition seed, as given.
    pub seed: String,
    /// Number of units.
    pub count: u32,
    /// The motif.
    pub motif: MotifRef,
    /// The preset the base values came from, for the record.
    pub preset: Option<String>,
    /// Every parameter's base value (lengths in mm); varied ones are drawn per unit.
    pub base: BTreeMap<String, serde_json::Value>,
    /// How parameters vary, in the motif's declaration order.
    pub vary: Vec<Vary>,
    /// Colourways units are drawn from.
    pub palettes: Vec<String>,
    /// Colour overrides `(role or slot, #RRGGBB)` applied to every unit.
    pub colors: Vec<(String, String)>,
    /// Textile repeat.
    pub repeat: String,
    /// Unit width in pixels.
    pub width: u32,
    /// Unit height in pixels.
    pub height: u32,
    /// The physical size asked for, in mm (`--size`); SVG units keep it exactly.
    pub size_mm: Option<(f64, f64)>,
    /// Resolution.
    pub dpi: f64,
    /// The unit files' format, as their extension: `png`, `tif`, `jpg`, `svg` or `pdf`.
    pub format: String,
    /// Compression: PNG's (fast, balanced, best) or TIFF's (deflate, lzw,
    /// none); `fast` and unused for other formats.
    pub compression: String,
    /// Smallest distance between two units, in visible steps (see [`distance`]).
    pub min_distance: f64,
    /// Version of the derivation rules ([`derive::DERIVATION`]).
    pub derivation: u32,
    /// The finish preset (`--finish`), applied to every unit before `effects`.
    /// Left out of the JSON when absent, so editions made before effects keep
    /// their spec hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish: Option<String>,
    /// Textile effects (`--effect` specs, in order), applied to every unit
    /// with its own effects seed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<String>,
}

impl EditionSpec {
    /// SHA-256 of the spec as JSON: units of editions with the same spec hash
    /// are interchangeable (the key for resuming and merging).
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(
            serde_json::to_vec(self).expect("spec serialises"),
        ))
    }

    /// Digits in unit numbers: at least 3 (`007`), more for larger editions.
    pub fn digits(&self) -> usize {
        self.count.to_string().len().max(3)
    }

    /// The zero-padded unit number.
    pub fn number(&self, unit: u32) -> String {
        format!("{unit:0w$}", w = self.digits())
    }

    /// File name of unit `unit`'s picture.
    pub fn unit_file(&self, unit: u32) -> String {
        format!("{}-{}.{}", self.name, self.number(unit), self.format)
    }

    /// File name of unit `unit`'s certificate.
    pub fn certificate_file(&self, unit: u32) -> String {
        format!("{}-{}-certificate.svg", self.name, self.number(unit))
    }

    /// File name of unit `unit`'s manifest fragment.
    pub fn fragment_file(&self, unit: u32) -> String {
        format!("{}-{}.json", self.name, self.number(unit))
    }

    /// The unit files' format.
    pub fn file_format(&self) -> Result<Format, UserError> {
        Format::from_extension(&self.format)
            .filter(|f| f.extension() == self.format)
            .ok_or_else(|| {
                UserError::invalid(
                    "--format",
                    format!("'{}' must be png, tif, jpg, svg or pdf", self.format),
                )
            })
    }

    /// The recorded compression, for the formats that take one (PNG, TIFF).
    pub fn compression_of(&self, format: Format) -> Option<&str> {
        matches!(format, Format::Png | Format::Tiff).then_some(&*self.compression)
    }

    /// The effects of a unit whose effects seed is `seed`.
    pub fn unit_effects(&self, seed: u64) -> Result<Effects, UserError> {
        Effects::parse(&self.effects, self.finish.as_deref(), seed)
    }

    /// Checks names, numbers and options a hand-edited manifest could break.
    pub fn check(&self) -> Result<(), UserError> {
        check_name(&self.name)?;
        if self.count == 0 || self.count > MAX_COUNT {
            return Err(UserError::invalid(
                "--count",
                format!("{} must be between 1 and {MAX_COUNT}", self.count),
            ));
        }
        if self.seed.is_empty() {
            return Err(UserError::invalid("--seed", "must not be empty"));
        }
        if !(self.min_distance.is_finite() && self.min_distance > 0.0) {
            return Err(UserError::invalid(
                "--min-distance",
                format!("{} must be a positive number of steps", self.min_distance),
            ));
        }
        if self.palettes.is_empty() {
            return Err(UserError::invalid("--palettes", "name at least one"));
        }
        let format = self.file_format()?;
        ExportOptions::default().set_compression(format, self.compression_of(format))?;
        self.unit_effects(0)?;
        if self.derivation != derive::DERIVATION {
            return Err(UserError::invalid(
                "edition",
                format!(
                    "derivation version {} is not {} (this wastra's)",
                    self.derivation,
                    derive::DERIVATION
                ),
            ));
        }
        Ok(())
    }
}

/// An edition name: lower case letters, digits, `-` and `_` (it is a file name prefix).
pub fn check_name(name: &str) -> Result<(), UserError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(UserError::invalid(
            "--name",
            format!("'{name}' must be 1 to 64 lower case letters, digits, '-' or '_'"),
        ))
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of text, in hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The [`MotifRef`] of a motif given on the command line (a built-in name or a
/// file), with the source text to copy beside the edition for a file.
pub fn motif_ref(arg: &str, motif: &Motif) -> Result<(MotifRef, Option<String>), Error> {
    let builtin = Library::builtin()
        .motif(motif.name())
        .ok()
        .zip(builtin_source(motif.name()));
    let from_file = Path::new(arg).is_file() || arg.ends_with(".toml");
    if let (Some((_, src)), false) = (builtin, from_file) {
        return Ok((
            MotifRef {
                name: motif.name().to_string(),
                title: motif.title().to_string(),
                builtin: true,
                file: None,
                sha256: sha256_hex(src.as_bytes()),
            },
            None,
        ));
    }
    let src = std::fs::read_to_string(arg).map_err(|e| Error::io(arg, e))?;
    Ok((
        MotifRef {
            name: motif.name().to_string(),
            title: motif.title().to_string(),
            builtin: false,
            file: Some(format!("{}.motif.toml", motif.name())),
            sha256: sha256_hex(src.as_bytes()),
        },
        Some(src),
    ))
}

/// Loads the motif a [`MotifRef`] names, for an edition in `dir`, checking its hash.
pub fn load_motif(r: &MotifRef, dir: &Path) -> Result<Motif, Error> {
    let (motif, src) = match &r.file {
        None => {
            let m = Library::builtin().motif(&r.name)?.clone();
            (m, builtin_source(&r.name).unwrap_or_default().to_string())
        }
        Some(f) => {
            let path = dir.join(f);
            let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            (Motif::from_toml(&src)?, src)
        }
    };
    if sha256_hex(src.as_bytes()) != r.sha256 {
        return Err(UserError::invalid(
            "motif",
            format!(
                "'{}' is not the motif the edition was made with (its SHA-256 differs{})",
                r.name,
                if r.builtin {
                    ": this wastra ships another version of it"
                } else {
                    ""
                }
            ),
        )
        .into());
    }
    Ok(motif)
}

/// One unit, derived.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its number, from 1.
    pub number: u32,
    /// Every parameter's value.
    pub values: BTreeMap<String, Value>,
    /// Colourway.
    pub palette: String,
    /// The seed of its random stream.
    pub seed: [u8; 32],
    /// Which draw was kept (0 unless earlier draws were too close to other units).
    pub attempt: u32,
    /// Seed for randomised effects.
    pub effects: u64,
}

/// An edition with every unit derived.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The spec.
    pub spec: EditionSpec,
    /// The motif.
    pub motif: Motif,
    /// Units 1..=count.
    pub units: Vec<Unit>,
    /// The role colours of each colourway, roles in the pattern's order.
    pub colourways: Vec<Vec<Colour>>,
    /// Role names of `colourways`.
    pub roles: Vec<String>,
}

fn json_to_param(v: &serde_json::Value) -> Result<ParamValue, UserError> {
    match v {
        serde_json::Value::Number(n) => Ok(ParamValue::Number(n.as_f64().unwrap_or(f64::NAN))),
        serde_json::Value::String(s) => Ok(ParamValue::Text(s.clone())),
        other => Err(UserError::invalid(
            "edition",
            format!("parameter value {other} is not a number or a name"),
        )),
    }
}

impl Plan {
    /// Derives every unit of `spec` (motif already loaded). Fails, naming the
    /// unit, when no draw keeps the minimum distance from the earlier units.
    pub fn new(spec: EditionSpec, motif: Motif) -> Result<Self, Error> {
        Self::derive_up_to(spec, motif, u32::MAX)
    }

    /// Derives units 1..=`last` only (a `--unit` job needs no more).
    pub fn derive_up_to(spec: EditionSpec, motif: Motif, last: u32) -> Result<Self, Error> {
        spec.check()?;
        let base_sets: Vec<(String, ParamValue)> = spec
            .base
            .iter()
            .map(|(k, v)| Ok((k.clone(), json_to_param(v)?)))
            .collect::<Result<_, UserError>>()?;
        let base = motif.values(None, &base_sets)?;
        let base: BTreeMap<String, Value> =
            base.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for v in &spec.vary {
            if motif.param(v.param()).is_none() {
                return Err(UserError::unknown(
                    "parameter",
                    v.param(),
                    motif.params().iter().map(|p| p.name.as_str()),
                )
                .into());
            }
        }
        let mut plan = Plan {
            spec,
            motif,
            units: Vec::new(),
            colourways: Vec::new(),
            roles: Vec::new(),
        };
        for p in &plan.spec.palettes {
            let pat = plan.design(&base, p)?.resolve()?;
            plan.roles = pat.roles.clone();
            plan.colourways.push(pat.colours.clone());
        }
        let measure = distance::Measure::new(&plan.motif, &plan.spec.vary, &plan.colourways);
        let mut draws: Vec<derive::Draw> = Vec::new();
        let last = last.min(plan.spec.count);
        for number in 1..=last {
            let mut kept = None;
            for attempt in 0..derive::MAX_ATTEMPTS {
                let d = derive::draw(
                    &plan.motif,
                    &plan.spec.vary,
                    plan.spec.palettes.len(),
                    &plan.spec.seed,
                    number,
                    attempt,
                );
                let far = draws.iter().all(|o| {
                    !measure.identical(&d, o) && measure.distance(&d, o) >= plan.spec.min_distance
                });
                if far {
                    kept = Some((d, attempt));
                    break;
                }
            }
            let Some((d, attempt)) = kept else {
                return Err(UserError::invalid(
                    "edition",
                    format!(
                        "unit {number} cannot be kept {} visible steps from units 1..{} in {} draws: widen the --vary ranges, vary more parameters, add --palettes, or lower --min-distance",
                        crate::motif::params::trim_float(plan.spec.min_distance),
                        number - 1,
                        derive::MAX_ATTEMPTS
                    ),
                )
                .into());
            };
            plan.units.push(Unit {
                number,
                values: derive::assignment(&base, &plan.spec.vary, &d),
                palette: plan.spec.palettes[d.palette].clone(),
                seed: derive::unit_seed(&plan.spec.seed, number, attempt),
                attempt,
                effects: d.effects,
            });
            draws.push(d);
        }
        Ok(plan)
    }

    /// The design of a parameter assignment in a colourway.
    fn design(&self, values: &BTreeMap<String, Value>, palette: &str) -> Result<Design, Error> {
        let mut d = Design::new(self.motif.clone());
        for (k, v) in values {
            let pv = match v {
                Value::Number(n) => ParamValue::Number(*n),
                Value::Choice { name, .. } => ParamValue::Text(name.clone()),
            };
            d = d.set(k, pv)?;
        }
        Library::builtin().palette(palette)?;
        d = d.palette(palette);
        for (role, hex) in &self.spec.colors {
            parse_colour(hex)?;
            d = d.color(role, hex)?;
        }
        let repeat: TextileRepeat = self.spec.repeat.parse()?;
        Ok(d.textile_repeat(repeat))
    }

    /// The design of unit `u`.
    pub fn unit_design(&self, u: &Unit) -> Result<Design, Error> {
        self.design(&u.values, &u.palette)
    }

    /// The unit numbered `n`.
    pub fn unit(&self, n: u32) -> Option<&Unit> {
        self.units.get(n.checked_sub(1)? as usize)
    }

    /// The colourway of unit `u`: role → `#RRGGBB`.
    pub fn colourway(&self, u: &Unit) -> BTreeMap<String, String> {
        let i = self
            .spec
            .palettes
            .iter()
            .position(|p| *p == u.palette)
            .unwrap_or(0);
        self.roles
            .iter()
            .zip(&self.colourways[i])
            .map(|(r, c)| (r.clone(), format_colour(*c)))
            .collect()
    }
}
