//! `wastra verify`: re-derive and re-render an edition from its manifest alone
//! and compare with the files and the recorded hashes.

use std::path::Path;

use rayon::prelude::*;

use super::manifest::{derived_record, file_sha256, provenance, HashWriter, Manifest};
use super::run::{certify, write_unit};
use super::{contact, load_motif, sha256_hex, Plan};
use crate::error::{Error, UserError};
use crate::export::{Cancel, Format};

/// A unit that no longer matches, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Unit number (0 for the edition as a whole: spec, provenance, contact sheet).
    pub unit: u32,
    /// What differs.
    pub reasons: Vec<String>,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyReport {
    /// The manifest checked.
    pub manifest: Manifest,
    /// Everything that no longer matches; empty when the edition is intact.
    pub mismatches: Vec<Mismatch>,
}

/// Checks the edition whose manifest is at `path`, re-rendering each unit on
/// `threads` workers (default: one per core).
pub fn verify(path: &Path, threads: Option<usize>) -> Result<VerifyReport, Error> {
    let m = Manifest::read(path)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let motif = load_motif(&m.edition.motif, dir)?;
    let plan = Plan::new(m.edition.clone(), motif)?;
    let mut edition = Vec::new();
    if m.spec_sha256 != plan.spec.sha256() {
        edition.push("spec_sha256 does not match the edition spec".to_string());
    }
    if m.provenance_sha256 != provenance(&m.units) {
        edition.push("provenance_sha256 does not match the units' hashes".to_string());
    }
    let numbers: Vec<u32> = m.units.iter().map(|u| u.number).collect();
    if numbers != (1..=plan.spec.count).collect::<Vec<_>>() {
        edition.push(format!(
            "the manifest lists {} units, not 1..{} in order",
            m.units.len(),
            plan.spec.count
        ));
    }
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads {
            b = b.num_threads(n.max(1));
        }
        b.build()
            .map_err(|e| Error::Internal(format!("cannot start threads: {e}")))?
    };
    let checked: Vec<Result<Option<Mismatch>, Error>> = pool.install(|| {
        m.units
            .par_iter()
            .map(|r| {
                let mut why = Vec::new();
                let Some(u) = plan.unit(r.number) else {
                    return Ok(Some(Mismatch {
                        unit: r.number,
                        reasons: vec!["is not a unit of this edition".into()],
                    }));
                };
                if !r.same_derivation(&derived_record(&plan, u)) {
                    why.push(
                        "its parameters, colours, seeds or file names differ from the derivation"
                            .to_string(),
                    );
                }
                let rendered = rendered_sha256(&plan, u)?;
                match file_sha256(&dir.join(&r.file)) {
                    None => why.push(format!("{} is missing", r.file)),
                    Some(s) if s != r.sha256 => why.push(format!(
                        "{} does not match its SHA-256 in the manifest",
                        r.file
                    )),
                    Some(_) => {}
                }
                if rendered != r.sha256 {
                    why.push("re-rendering it gives another picture than the manifest's".into());
                }
                let (_, cert) = certify(&plan, u, r.sha256.clone())?;
                let cert_sha = sha256_hex(&cert);
                match file_sha256(&dir.join(&r.certificate.file)) {
                    None => why.push(format!("{} is missing", r.certificate.file)),
                    Some(s) if s != r.certificate.sha256 || s != cert_sha => {
                        why.push(format!("{} does not match", r.certificate.file))
                    }
                    Some(_) => {}
                }
                Ok((!why.is_empty()).then_some(Mismatch {
                    unit: r.number,
                    reasons: why,
                }))
            })
            .collect()
    });
    let mut mismatches = Vec::new();
    for c in checked {
        mismatches.extend(c?);
    }
    let sheet = pool.install(|| contact::contact_sheet(&plan))?;
    let sheet_sha = sha256_hex(&sheet);
    match file_sha256(&dir.join(&m.contact_sheet.file)) {
        Some(s) if s == m.contact_sheet.sha256 && s == sheet_sha => {}
        _ => edition.push(format!("{} does not match", m.contact_sheet.file)),
    }
    if !edition.is_empty() {
        mismatches.insert(
            0,
            Mismatch {
                unit: 0,
                reasons: edition,
            },
        );
    }
    Ok(VerifyReport {
        manifest: m,
        mismatches,
    })
}

/// SHA-256 of unit `u` as rendered now. Streamed through a hash, except
/// TIFF, which seeks while writing and is held in memory instead.
fn rendered_sha256(plan: &Plan, u: &super::Unit) -> Result<String, Error> {
    let never = Cancel::default();
    if plan.spec.file_format()? == Format::Tiff {
        let mut c = std::io::Cursor::new(Vec::new());
        write_unit(plan, u, 1, &never, &mut c)?;
        return Ok(sha256_hex(c.get_ref()));
    }
    let mut hw = HashWriter::new(std::io::sink());
    write_unit(plan, u, 1, &never, &mut hw)?;
    Ok(hw.finish())
}

impl VerifyReport {
    /// Ok if everything matches, else a one-line error naming every unit that does not.
    pub fn into_result(self) -> Result<Self, UserError> {
        if self.mismatches.is_empty() {
            return Ok(self);
        }
        let spec = &self.manifest.edition;
        let units: Vec<String> = self
            .mismatches
            .iter()
            .filter(|m| m.unit > 0)
            .map(|m| spec.number(m.unit))
            .collect();
        let detail: Vec<String> = self
            .mismatches
            .iter()
            .map(|m| {
                let who = if m.unit == 0 {
                    "edition".to_string()
                } else {
                    format!("unit {}", spec.number(m.unit))
                };
                format!("{who}: {}", m.reasons.join(", "))
            })
            .collect();
        let head = if units.is_empty() {
            "the edition does not match its manifest".to_string()
        } else {
            format!(
                "{} of {} units no longer match ({})",
                units.len(),
                spec.count,
                units.join(", ")
            )
        };
        Err(UserError::invalid(
            "edition",
            format!("{head}; {}", detail.join("; ")),
        ))
    }
}
