//! Rendering an edition: units in parallel, resuming, one unit alone, merging.
//!
//! Units are rendered in parallel across a rayon pool, each single-threaded
//! (fewer units than threads share the pool out): the renderer's output does not depend
//! on its thread count, so neither do the files. Every file is written through
//! [`crate::export::AtomicFile`], and a unit's fragment last, so an interrupted
//! run leaves only whole units behind, and the next run skips them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::io::{Seek, Write};

use super::manifest::{
    application_fields, derived_record, file_sha256, finished, provenance, write_atomic,
    write_json, FileRef, Fragment, HashWriter, Manifest, UnitRecord, FORMAT,
};
use super::{certificate, contact, sha256_hex, Plan, Unit};
use crate::effects::{Frame, PixelStage};
use crate::error::{Error, UserError};
use crate::export::{check_format, write_format, AtomicFile, Cancel, ExportOptions, Format, Page};
use crate::geom::{Dpi, Length, PhysicalSize};
use crate::pattern::Pattern;
use crate::render::{RenderOptions, View};

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunMode {
    /// Render every unit not yet done, then write the manifest and contact sheet. Default.
    #[default]
    All,
    /// Render this unit only (if not done) and its fragment; no manifest.
    Unit(u32),
    /// Render nothing: gather the fragments of finished units into the manifest.
    Merge,
}

/// Options of [`run`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RunOptions {
    /// Worker threads. Default: `None`, one per core.
    pub threads: Option<usize>,
    /// What to do. Default: [`RunMode::All`].
    pub mode: RunMode,
    /// For a motif of one's own: its source, copied into the edition directory. Default: `None`.
    pub motif_source: Option<String>,
    /// Stops the run at the next strip, leaving only whole units. Default: never cancelled.
    pub cancel: Cancel,
}

/// What [`run`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunReport {
    /// Units rendered now.
    pub rendered: Vec<u32>,
    /// Units found finished and skipped.
    pub skipped: Vec<u32>,
    /// The manifest written, if any.
    pub manifest: Option<PathBuf>,
    /// Units beyond the edition's count whose files an earlier run left in
    /// the directory; they are not part of the edition and are left alone.
    pub beyond: Vec<u32>,
}

/// "3, 5-9, 12".
pub fn ranges(units: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let mut j = i;
        while j + 1 < units.len() && units[j + 1] == units[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            units[i].to_string()
        } else {
            format!("{}-{}", units[i], units[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// The export options of a unit: what `wastra render` would use for the
/// same size, resolution and compression.
fn export_options(
    plan: &Plan,
    pattern: &Pattern,
    format: Format,
    threads: usize,
    cancel: &Cancel,
) -> Result<ExportOptions, Error> {
    let dpi = Dpi::new(plan.spec.dpi)
        .ok_or_else(|| UserError::invalid("dpi", format!("{} must be positive", plan.spec.dpi)))?;
    let physical_size = match plan.spec.size_mm {
        Some((w, h)) => Some(PhysicalSize {
            width: Length::from_mm(w)
                .ok_or_else(|| UserError::invalid("size", format!("width {w} mm")))?,
            height: Length::from_mm(h)
                .ok_or_else(|| UserError::invalid("size", format!("height {h} mm")))?,
        }),
        None => None,
    };
    // A PDF page as render draws it: the trim size asked for (or the pixel
    // size at the resolution), the pattern's origin at its top-left corner.
    let trim_mm = plan.spec.size_mm.unwrap_or((
        plan.spec.width as f64 / dpi.px_per_mm(),
        plan.spec.height as f64 / dpi.px_per_mm(),
    ));
    let mut opts = ExportOptions {
        dpi,
        render: RenderOptions::with_threads(threads),
        physical_size,
        page: Some(Page::new(pattern, trim_mm, 0.0)),
        cancel: cancel.clone(),
        ..Default::default()
    };
    opts.set_compression(format, plan.spec.compression_of(format))?;
    Ok(opts)
}

/// Writes unit `u`'s picture to `w`; the same bytes as its file. The
/// edition's effects apply with the unit's own effects seed, through the
/// same export path as `wastra render` (pixel effects only in raster formats).
pub(super) fn write_unit<W: Write + Seek + Send>(
    plan: &Plan,
    u: &Unit,
    threads: usize,
    cancel: &Cancel,
    w: W,
) -> Result<(), Error> {
    let format = plan.spec.file_format()?;
    let fx = plan.spec.unit_effects(u.effects)?;
    let pattern = fx.apply_geometry(&plan.unit_design(u)?.resolve()?);
    let view = View::at_dpi(&pattern, plan.spec.width, plan.spec.height, plan.spec.dpi);
    let opts = export_options(plan, &pattern, format, threads, cancel)?;
    check_format(format, &pattern, &view, &opts)?;
    let stage = if format.is_raster() {
        fx.pixel_stage(&pattern, &view, &Frame::at_dpi(plan.spec.dpi), &opts.render)?
    } else {
        PixelStage::default()
    };
    write_format(format, &pattern, &view, &opts, &stage, w)?;
    cancel.check()
}

/// The record and certificate bytes of unit `u` whose picture hashes to `sha256`.
pub(super) fn certify(
    plan: &Plan,
    u: &Unit,
    sha256: String,
) -> Result<(UnitRecord, Vec<u8>), Error> {
    let mut r = derived_record(plan, u);
    r.sha256 = sha256;
    let cert = certificate::certificate(plan, &r, &plan.unit_design(u)?)?;
    r.certificate.sha256 = sha256_hex(&cert);
    Ok((r, cert))
}

fn render_unit(
    plan: &Plan,
    spec_sha: &str,
    u: &Unit,
    dir: &Path,
    threads: usize,
    cancel: &Cancel,
) -> Result<UnitRecord, Error> {
    let path = dir.join(plan.spec.unit_file(u.number));
    let mut file = AtomicFile::create(&path)?;
    // Hashed on the way out, but TIFF, which seeks back while writing: it is
    // hashed as read back.
    let sha = if plan.spec.file_format()? == Format::Tiff {
        write_unit(plan, u, threads, cancel, file.writer())?;
        file.commit()?;
        file_sha256(&path).ok_or_else(|| {
            Error::io(
                &path,
                std::io::Error::other("cannot read the unit back to hash it"),
            )
        })?
    } else {
        let mut hw = HashWriter::new(file.writer());
        write_unit(plan, u, threads, cancel, &mut hw)?;
        let sha = hw.finish();
        file.commit()?;
        sha
    };
    let (r, cert) = certify(plan, u, sha)?;
    write_atomic(&dir.join(&r.certificate.file), &cert)?;
    write_json(
        &dir.join(plan.spec.fragment_file(u.number)),
        &Fragment {
            format: FORMAT.to_string(),
            spec_sha256: spec_sha.to_string(),
            unit: r.clone(),
        },
    )?;
    Ok(r)
}

/// The manifest of finished `records` (all units, in order), with the
/// contact sheet's reference; fails if two units' pictures are identical.
pub(super) fn manifest(
    plan: &Plan,
    records: Vec<UnitRecord>,
    sheet_sha: String,
) -> Result<Manifest, Error> {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for r in &records {
        if let Some(other) = seen.insert(&r.sha256, r.number) {
            return Err(UserError::invalid(
                "edition",
                format!(
                    "units {other} and {} rendered identical pictures: the varied parameters do not change the picture at this size; vary others",
                    r.number
                ),
            )
            .into());
        }
    }
    Ok(Manifest {
        format: FORMAT.to_string(),
        wastra_version: env!("CARGO_PKG_VERSION").to_string(),
        edition: plan.spec.clone(),
        spec_sha256: plan.spec.sha256(),
        provenance_sha256: provenance(&records),
        contact_sheet: FileRef {
            file: CONTACT_SHEET.to_string(),
            sha256: sheet_sha,
        },
        units: records,
    })
}

/// Why `--merge` cannot gather `pending`: fragments of another spec (another
/// seed, count, size, option...) say so, rather than "not finished".
fn unmergeable(plan: &Plan, spec_sha: &str, pending: &[&Unit], dir: &Path) -> UserError {
    let foreign: Vec<u32> = pending
        .iter()
        .filter(|u| {
            let path = dir.join(plan.spec.fragment_file(u.number));
            std::fs::read_to_string(path)
                .ok()
                .and_then(|t| serde_json::from_str::<Fragment>(&t).ok())
                .is_some_and(|f| f.spec_sha256 != spec_sha)
        })
        .map(|u| u.number)
        .collect();
    let missing: Vec<u32> = pending.iter().map(|u| u.number).collect();
    let (s, are) = if missing.len() == 1 {
        ("", "is")
    } else {
        ("s", "are")
    };
    if foreign.len() == missing.len() {
        let (fs, belong) = if foreign.len() == 1 {
            ("", "belongs")
        } else {
            ("s", "belong")
        };
        return UserError::invalid(
            "--merge",
            format!(
                "the fragment{fs} of unit{fs} {} in {} {belong} to another edition spec: merge with the same options the units were rendered with",
                ranges(&foreign),
                dir.display()
            ),
        );
    }
    let other = if foreign.is_empty() {
        String::new()
    } else {
        format!(
            "; the fragments of {} belong to another edition spec",
            ranges(&foreign)
        )
    };
    UserError::invalid(
        "--merge",
        format!(
            "unit{s} {} {are} not finished in {} (render them with --unit K, then merge again){other}",
            ranges(&missing),
            dir.display()
        ),
    )
}

/// Removes the temporary files (`.FILE.wastra-PID.tmp`, see
/// [`AtomicFile`]) that a killed run (SIGKILL, a power cut) left for any of
/// `targets` in `dir`; a run that ends normally or on Ctrl-C removes its own.
/// Whatever their PID: a run writes its targets alone (one run per edition
/// directory, or one `--unit` job per unit), so such a file is debris, and a
/// PID could belong to another machine sharing the directory anyway.
fn remove_stale_temps(dir: &Path, targets: &HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let target = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once(".wastra-"))
            .filter(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            .map(|(t, _)| t);
        if target.is_some_and(|t| targets.contains(t)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Units numbered above `spec.count` whose fragments an earlier run with a
/// larger count left in `dir`.
fn beyond_count(plan: &Plan, dir: &Path) -> Vec<u32> {
    let prefix = format!("{}-", plan.spec.name);
    let mut out: Vec<u32> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let digits = name.strip_prefix(&prefix)?.strip_suffix(".json")?;
            if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u32>().ok().filter(|&n| n > plan.spec.count)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// File name of the contact sheet.
pub const CONTACT_SHEET: &str = "contact-sheet.png";
/// File name of the manifest.
pub const MANIFEST: &str = "manifest.json";

/// Renders (or resumes, or merges) the edition `plan` into `dir`.
pub fn run(plan: &Plan, dir: &Path, opts: &RunOptions) -> Result<RunReport, Error> {
    let spec = &plan.spec;
    if let RunMode::Unit(k) = opts.mode {
        if k == 0 || k > spec.count {
            return Err(UserError::invalid(
                "--unit",
                format!("{k} is not a unit of this edition (1..{})", spec.count),
            )
            .into());
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if let (Some(src), Some(f)) = (&opts.motif_source, &spec.motif.file) {
        let path = dir.join(f);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(src.as_str()) {
            write_atomic(&path, src.as_bytes())?;
        }
    }
    let spec_sha = spec.sha256();
    let mut applied = match opts.mode {
        RunMode::Unit(_) => Default::default(),
        _ => application_fields(&dir.join(MANIFEST), &spec_sha)?,
    };
    let todo: Vec<&Unit> = match opts.mode {
        RunMode::Unit(k) => plan.unit(k).into_iter().collect(),
        _ => plan.units.iter().collect(),
    };
    if matches!(opts.mode, RunMode::All | RunMode::Merge) && todo.len() != spec.count as usize {
        return Err(Error::Internal("the plan does not hold every unit".into()));
    }
    let mut targets: HashSet<String> = HashSet::new();
    if opts.mode != RunMode::Merge {
        for u in &todo {
            targets.insert(spec.unit_file(u.number));
            targets.insert(spec.certificate_file(u.number));
            targets.insert(spec.fragment_file(u.number));
        }
    }
    if !matches!(opts.mode, RunMode::Unit(_)) {
        targets.extend([CONTACT_SHEET.to_string(), MANIFEST.to_string()]);
    }
    targets.extend(spec.motif.file.clone());
    remove_stale_temps(dir, &targets);
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = opts.threads {
            b = b.num_threads(n.max(1));
        }
        b.build()
            .map_err(|e| Error::Internal(format!("cannot start threads: {e}")))?
    };
    let done: Vec<Option<UnitRecord>> = pool.install(|| {
        todo.par_iter()
            .map(|u| finished(plan, &spec_sha, u, dir))
            .collect()
    });
    let pending: Vec<&Unit> = todo
        .iter()
        .zip(&done)
        .filter(|(_, d)| d.is_none())
        .map(|(u, _)| *u)
        .collect();
    let mut report = RunReport {
        skipped: todo
            .iter()
            .zip(&done)
            .filter(|(_, d)| d.is_some())
            .map(|(u, _)| u.number)
            .collect(),
        ..RunReport::default()
    };
    if opts.mode == RunMode::Merge && !pending.is_empty() {
        return Err(unmergeable(plan, &spec_sha, &pending, dir).into());
    }
    // Few units on many threads: each render gets its share of the pool.
    let per_unit = (pool.current_num_threads() / pending.len().max(1)).max(1);
    let rendered: Vec<Result<UnitRecord, Error>> = pool.install(|| {
        pending
            .par_iter()
            .map(|u| render_unit(plan, &spec_sha, u, dir, per_unit, &opts.cancel))
            .collect()
    });
    let mut fresh = Vec::new();
    for r in rendered {
        let r = r?;
        report.rendered.push(r.number);
        fresh.push(r);
    }
    if let RunMode::Unit(_) = opts.mode {
        return Ok(report);
    }
    let mut records: Vec<UnitRecord> = done.into_iter().flatten().chain(fresh).collect();
    records.sort_by_key(|r| r.number);
    for r in &mut records {
        if let Some((lot, date)) = applied.remove(&r.number) {
            (r.film_lot, r.application_date) = (lot, date);
        }
    }
    let sheet = pool.install(|| contact::contact_sheet(plan))?;
    write_atomic(&dir.join(CONTACT_SHEET), &sheet)?;
    let m = manifest(plan, records, sha256_hex(&sheet))?;
    let path = dir.join(MANIFEST);
    write_json(&path, &m)?;
    report.manifest = Some(path);
    report.beyond = beyond_count(plan, dir);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn ranges_compress_runs() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1-3, 5, 7-8");
        assert_eq!(ranges(&[4]), "4");
        assert_eq!(ranges(&[]), "");
    }
}
