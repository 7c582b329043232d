//! The manifest (`manifest.json`), per-unit fragments, and hashes.
//!
//! Each finished unit leaves a fragment `NAME-NNN.json` holding the spec hash
//! and the unit's record; it is written last, after the picture and the
//! certificate, so a fragment whose hashes match the files on disk proves the
//! unit done (the key to resuming, and to merging units rendered by separate
//! jobs). `manifest.json` gathers the records in order with the collection
//! provenance hash: SHA-256 of the units' SHA-256 hex strings concatenated in
//! unit order (`jq -j '.units[].sha256' manifest.json | sha256sum`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{hex, EditionSpec, Plan, Unit};
use crate::error::{Error, UserError};
use crate::export::AtomicFile;

/// Manifest format identifier.
pub const FORMAT: &str = "wastra-edition/1";

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// Name, relative to the edition directory.
    pub file: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A unit's colours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colourway {
    /// Palette name.
    pub palette: String,
    /// Colour role → `#RRGGBB`, after overrides.
    pub colours: BTreeMap<String, String>,
}

/// A unit's seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seeds {
    /// The 256-bit seed of its ChaCha20 stream, hex.
    pub unit: String,
    /// Which draw was kept.
    pub attempt: u32,
    /// Seed for randomised effects, hex (64 bits).
    pub effects: String,
}

/// One unit in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRecord {
    /// Unit number, from 1.
    pub number: u32,
    /// Every parameter's value (lengths in mm).
    pub params: BTreeMap<String, serde_json::Value>,
    /// Colours.
    pub colourway: Colourway,
    /// Seeds.
    pub seeds: Seeds,
    /// The picture.
    pub file: String,
    /// SHA-256 of the picture.
    pub sha256: String,
    /// The certificate.
    pub certificate: FileRef,
    /// Wrap film lot number, filled in at application (warranty records).
    pub film_lot: Option<String>,
    /// Date the unit was applied, filled in at application.
    pub application_date: Option<String>,
}

impl UnitRecord {
    /// Whether the derived parts (number, values, colours, seeds, file name)
    /// equal another record's: hashes and application fields are not compared.
    pub fn same_derivation(&self, o: &UnitRecord) -> bool {
        self.number == o.number
            && self.params == o.params
            && self.colourway == o.colourway
            && self.seeds == o.seeds
            && self.file == o.file
            && self.certificate.file == o.certificate.file
    }
}

/// The record of a derived unit, before its files exist (hashes empty).
pub fn derived_record(plan: &Plan, u: &Unit) -> UnitRecord {
    UnitRecord {
        number: u.number,
        params: u
            .values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect(),
        colourway: Colourway {
            palette: u.palette.clone(),
            colours: plan.colourway(u),
        },
        seeds: Seeds {
            unit: hex(&u.seed),
            attempt: u.attempt,
            effects: format!("{:016x}", u.effects),
        },
        file: plan.spec.unit_file(u.number),
        sha256: String::new(),
        certificate: FileRef {
            file: plan.spec.certificate_file(u.number),
            sha256: String::new(),
        },
        film_lot: None,
        application_date: None,
    }
}

/// A finished unit: written as `NAME-NNN.json` beside its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    /// Format identifier.
    pub format: String,
    /// Hash of the edition spec it belongs to.
    pub spec_sha256: String,
    /// The unit.
    pub unit: UnitRecord,
}

/// The whole edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format identifier.
    pub format: String,
    /// The wastra version that made it.
    pub wastra_version: String,
    /// The edition spec: name, seed, motif, variation, size.
    pub edition: EditionSpec,
    /// Hash of `edition`.
    pub spec_sha256: String,
    /// SHA-256 of the units' SHA-256 hex strings concatenated in order.
    pub provenance_sha256: String,
    /// The contact sheet.
    pub contact_sheet: FileRef,
    /// Units in order.
    pub units: Vec<UnitRecord>,
}

impl Manifest {
    /// Reads a manifest.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            UserError::invalid(
                "manifest",
                format!("{}: {}", path.display(), e.to_string().replace('\n', " ")),
            )
        })?;
        if m.format != FORMAT {
            return Err(UserError::invalid(
                "manifest",
                format!("format '{}' is not {FORMAT}", m.format),
            )
            .into());
        }
        Ok(m)
    }
}

/// The collection provenance hash of `units`' hashes, in order.
pub fn provenance(units: &[UnitRecord]) -> String {
    let mut h = Sha256::new();
    for u in units {
        h.update(u.sha256.as_bytes());
    }
    hex(&h.finalize())
}

/// A writer that hashes what passes through it.
pub struct HashWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> HashWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        HashWriter {
            inner,
            hasher: Sha256::new(),
        }
    }
    /// The SHA-256 of everything written, hex.
    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Only formats that never seek (every one but TIFF) may be hashed on the
/// way out; a seek is refused rather than hashing the wrong bytes.
impl<W: Write> std::io::Seek for HashWriter<W> {
    fn seek(&mut self, _: std::io::SeekFrom) -> std::io::Result<u64> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "a hashing writer cannot seek",
        ))
    }
}

/// SHA-256 of a file's contents, `None` if it cannot be read.
pub fn file_sha256(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(hex(&h.finalize()))
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = AtomicFile::create(path)?;
    f.writer()
        .write_all(bytes)
        .map_err(|e| Error::io(path, e))?;
    f.commit()
}

/// Writes a value as pretty JSON with a final newline, atomically.
pub fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(v).expect("records serialise");
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// The fragment of unit `u` in `dir`, if it is there and its files are intact:
/// same spec, same derivation, and the files' hashes match.
pub fn finished(plan: &Plan, spec_sha: &str, u: &Unit, dir: &Path) -> Option<UnitRecord> {
    let path = dir.join(plan.spec.fragment_file(u.number));
    let text = std::fs::read_to_string(path).ok()?;
    let frag: Fragment = serde_json::from_str(&text).ok()?;
    if frag.spec_sha256 != spec_sha || !frag.unit.same_derivation(&derived_record(plan, u)) {
        return None;
    }
    let r = frag.unit;
    (file_sha256(&dir.join(&r.file))? == r.sha256
        && file_sha256(&dir.join(&r.certificate.file))? == r.certificate.sha256)
        .then_some(r)
}

/// `film_lot` and `application_date` of the units they were filled in for.
pub type ApplicationFields = BTreeMap<u32, (Option<String>, Option<String>)>;

/// The applicators' `film_lot` and `application_date` in the manifest
/// already at `path` (if any), by unit number, to carry into the manifest
/// written next, so that resuming or merging again does not wipe what was
/// filled in. A manifest of another spec may be replaced only when nothing
/// was filled into it, and an unreadable one never: both are errors, checked
/// before any unit is rendered.
pub fn application_fields(path: &Path, spec_sha: &str) -> Result<ApplicationFields, Error> {
    if !path.exists() {
        return Ok(ApplicationFields::new());
    }
    let old = Manifest::read(path).map_err(|e| {
        UserError::invalid(
            "edition",
            format!(
                "{} is there but cannot be read, and may hold film lots and application dates: fix or move it ({e})",
                path.display()
            ),
        )
    })?;
    let filled: Vec<&UnitRecord> = old
        .units
        .iter()
        .filter(|u| u.film_lot.is_some() || u.application_date.is_some())
        .collect();
    if old.spec_sha256 != spec_sha {
        if filled.is_empty() {
            return Ok(ApplicationFields::new());
        }
        return Err(UserError::invalid(
            "edition",
            format!(
                "{} belongs to another edition spec and holds film lots or application dates of {} unit{}: move it away first",
                path.display(),
                filled.len(),
                if filled.len() == 1 { "" } else { "s" }
            ),
        )
        .into());
    }
    Ok(filled
        .into_iter()
        .map(|u| (u.number, (u.film_lot.clone(), u.application_date.clone())))
        .collect())
}
