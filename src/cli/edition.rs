//! `wastra edition` and `wastra verify`: arguments into an [`EditionSpec`].

use std::path::Path;

use super::args::EditionArgs;
use super::commands::{checked_view, default_size, interrupt, note_raster_only};
use crate::edition::derive::{effective_vary, parse_varies, DERIVATION};
use crate::edition::run::ranges;
use crate::edition::{
    motif_ref, run, verify as verify_edition, EditionSpec, Plan, RunMode, RunOptions,
};
use crate::effects::Effects;
use crate::error::{Error, UserError};
use crate::export::{ExportOptions, Format};
use crate::geom::{Dpi, Length, PhysicalSize, SizeSpec};
use crate::motif::palette::parse_colour;
use crate::motif::params::parse_assignment;
use crate::motif::registry::Library;
use crate::pattern::TextileRepeat;
use crate::Design;

pub(super) fn edition(a: EditionArgs) -> Result<(), Error> {
    let dpi: Dpi = a.dpi.parse()?;
    crate::render::check_threads(a.threads)?;
    let format = Format::from_extension(a.format.trim()).ok_or_else(|| {
        UserError::invalid(
            "--format",
            format!("'{}' must be png, tif, jpg, svg or pdf", a.format),
        )
    })?;
    // The same compression rules as `wastra render`; the spec records the
    // format's default when none is given (`fast` for formats without one,
    // as editions always have).
    ExportOptions::default().set_compression(format, a.compression.as_deref())?;
    let compression = a.compression.clone().unwrap_or_else(|| {
        match format {
            Format::Tiff => "deflate",
            _ => "fast",
        }
        .to_string()
    });
    let repeat: TextileRepeat = a.repeat.parse()?;
    let min_distance: f64 = a.min_distance.trim().parse().map_err(|_| {
        UserError::invalid(
            "--min-distance",
            format!("'{}' is not a number", a.min_distance),
        )
    })?;
    let design = Design::open(&a.motif)?;
    let motif = design.motif().clone();
    // Parsed as render parses them; each unit then gets its own seed.
    let (finish, effect_specs) = a.fx.for_motif(&motif);
    let effects = Effects::parse(&effect_specs, finish.as_deref(), 0)?;
    let mut sets = Vec::new();
    for s in &a.set {
        sets.push(parse_assignment(s)?);
    }
    if let Some(len) = &a.repeat_size {
        let len = len.parse::<Length>()?;
        if motif.param("repeat").is_none() {
            return Err(UserError::invalid(
                "--repeat-size",
                format!("motif '{}' has no `repeat` parameter", motif.name()),
            )
            .into());
        }
        sets.push((
            "repeat".to_string(),
            crate::motif::format::ParamValue::Number(len.mm()),
        ));
    }
    let base = motif.values(a.preset.as_deref(), &sets)?;
    let explicit = parse_varies(&motif, &a.vary)?;
    let fixed: Vec<String> = sets.iter().map(|(k, _)| k.clone()).collect();
    for v in &explicit {
        if fixed.iter().any(|f| f == v.param()) {
            return Err(UserError::invalid(
                "--vary",
                format!("'{}' is both fixed (--set) and varied (--vary)", v.param()),
            )
            .into());
        }
    }
    let palettes = if a.palettes.is_empty() {
        vec![motif.default_palette(a.preset.as_deref()).to_string()]
    } else {
        let mut ps: Vec<String> = Vec::new();
        for p in a.palettes.iter().map(|p| p.trim()) {
            Library::builtin().palette(p)?;
            if !ps.iter().any(|x| x == p) {
                ps.push(p.to_string());
            }
        }
        ps
    };
    let mut colors = Vec::new();
    for c in &a.color {
        let (role, hex) = c
            .split_once('=')
            .ok_or_else(|| UserError::invalid("--color", format!("'{c}' is not ROLE=#RRGGBB")))?;
        parse_colour(hex)?;
        colors.push((role.trim().to_string(), hex.trim().to_string()));
    }
    let mut base_design = design.clone();
    for (k, v) in base.iter() {
        base_design = base_design.set(k, to_param(v))?;
    }
    let pattern = base_design.textile_repeat(repeat).resolve()?;
    let physical = match (&a.width, &a.size) {
        (None, Some(s)) => Some(s.parse::<PhysicalSize>()?),
        _ => None,
    };
    let (w, h) = match (a.width, a.height, physical) {
        (Some(w), Some(h), _) => SizeSpec::Pixels {
            width: w,
            height: h,
        }
        .pixels(dpi),
        (_, _, Some(p)) => SizeSpec::Physical(p).pixels(dpi),
        _ => default_size(&pattern, dpi),
    };
    let view = checked_view(&pattern, w, h, dpi)?;
    let (mref, source) = motif_ref(&a.motif, &motif)?;
    let spec = EditionSpec {
        name: a.name.clone().unwrap_or_else(|| motif.name().to_string()),
        seed: a.seed.clone(),
        count: a.count,
        motif: mref,
        preset: a.preset.clone(),
        base: base.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
        vary: effective_vary(&motif, &base, &explicit, &fixed),
        palettes,
        colors,
        repeat: repeat.to_string(),
        width: view.width,
        height: view.height,
        size_mm: physical.map(|p| (p.width.mm(), p.height.mm())),
        dpi: dpi.get(),
        format: format.extension().to_string(),
        compression,
        min_distance,
        derivation: DERIVATION,
        finish,
        effects: effect_specs,
    };
    spec.check()?;
    let mode = match (a.unit, a.merge) {
        (Some(k), _) => RunMode::Unit(k),
        (None, true) => RunMode::Merge,
        (None, false) => RunMode::All,
    };
    let plan = match mode {
        RunMode::Unit(k) if k == 0 || k > spec.count => {
            return Err(UserError::invalid(
                "--unit",
                format!("{k} is not a unit of this edition (1..{})", spec.count),
            )
            .into())
        }
        // Unit K depends on units 1..K only.
        RunMode::Unit(k) => Plan::derive_up_to(spec, motif, k)?,
        _ => Plan::new(spec, motif)?,
    };
    let opts = RunOptions {
        threads: a.threads,
        mode,
        motif_source: source,
        cancel: interrupt(),
    };
    if !matches!(mode, RunMode::Merge) {
        note_raster_only(&effects, format, a.quiet);
    }
    let report = run(&plan, &a.out, &opts)?;
    if !a.quiet {
        let mut parts = Vec::new();
        if !report.rendered.is_empty() {
            parts.push(format!("rendered {}", units(&report.rendered)));
        }
        if !report.skipped.is_empty() {
            let were = if report.skipped.len() == 1 {
                "was"
            } else {
                "were"
            };
            parts.push(format!("{} {were} already done", units(&report.skipped)));
        }
        let what = match &report.manifest {
            Some(m) => format!("wrote {}", m.display()),
            None => format!(
                "unit {} of {} done; run the same command with --merge when all units are done",
                a.unit.unwrap_or(0),
                plan.spec.count
            ),
        };
        parts.push(what);
        eprintln!("{}: {}", plan.spec.name, parts.join("; "));
    }
    // Left alone (they may be another edition's on purpose), but said, since
    // contact sheet and manifest no longer list them.
    if !report.beyond.is_empty() && !a.quiet {
        eprintln!(
            "warning: {} holds files of {} beyond --count {} from an earlier run; they are not part of this edition",
            a.out.display(),
            units(&report.beyond),
            plan.spec.count
        );
    }
    Ok(())
}

/// "unit 3" or "units 1-2, 5".
fn units(list: &[u32]) -> String {
    let s = if list.len() == 1 { "" } else { "s" };
    format!("unit{s} {}", ranges(list))
}

fn to_param(v: &crate::motif::Value) -> crate::motif::format::ParamValue {
    use crate::motif::format::ParamValue;
    match v {
        crate::motif::Value::Number(n) => ParamValue::Number(*n),
        crate::motif::Value::Choice { name, .. } => ParamValue::Text(name.clone()),
    }
}

pub(super) fn verify(manifest: &Path, threads: Option<usize>, quiet: bool) -> Result<(), Error> {
    crate::render::check_threads(threads)?;
    let report = verify_edition(manifest, threads)?.into_result()?;
    if !quiet {
        let spec = &report.manifest.edition;
        eprintln!(
            "{}: all {} units, certificates and the contact sheet match the manifest (provenance {})",
            spec.name, spec.count, report.manifest.provenance_sha256
        );
    }
    Ok(())
}
