//! Each subcommand: validate arguments into library options, call the library.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::args::{Cli, Command, GalleryArgs, PatternArgs, RenderArgs, TileArgs};
use crate::error::{Error, UserError};
use crate::export::tile::ExactTile;
use crate::export::{export, Compression, ExportOptions, Format};
use crate::geom::{Dpi, Length, PhysicalSize, SizeSpec};
use crate::motif::format::ParamValue;
use crate::motif::palette::{format_colour, parse_colour};
use crate::motif::params::{parse_assignment, trim_float, ParamKind};
use crate::motif::registry::Library;
use crate::motif::Motif;
use crate::pattern::{Pattern, TextileRepeat};
use crate::render::{RenderOptions, View};
use crate::Design;

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::List { json } => list(json),
        Command::Info { motif, json } => info(&motif, json),
        Command::Palettes { json } => palettes(json),
        Command::Render(a) => render(a),
        Command::Tile(a) => tile(a),
        Command::Gallery(a) => gallery(a),
        Command::Edition(a) => super::edition::edition(a),
        Command::Verify {
            manifest,
            threads,
            quiet,
        } => super::edition::verify(&manifest, threads, quiet),
    }
}

fn list(json: bool) -> Result<(), Error> {
    let lib = Library::builtin();
    if json {
        let v: Vec<_> = lib
            .motifs()
            .map(|m| json!({"name": m.name(), "title": m.title(), "family": m.family().to_string(), "region": m.file().motif.region, "description": m.file().motif.description}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    let width = lib.motifs().map(|m| m.name().len()).max().unwrap_or(8);
    for m in lib.motifs() {
        println!(
            "{:width$}  {:6}  {}",
            m.name(),
            m.family().to_string(),
            m.file().motif.description
        );
    }
    Ok(())
}

fn param_json(motif: &Motif) -> Vec<serde_json::Value> {
    motif
        .params()
        .iter()
        .map(|p| {
            let default = match &p.spec.default {
                ParamValue::Number(n) => json!(n),
                ParamValue::Text(t) => json!(t),
            };
            let mut o = json!({"name": p.name, "default": default, "unit": p.kind.unit(), "doc": p.spec.doc});
            if p.kind == ParamKind::Choice {
                o["choices"] = json!(p.spec.choices);
            } else {
                o["min"] = json!(p.spec.min);
                o["max"] = json!(p.spec.max);
            }
            o
        })
        .collect()
}

fn info(arg: &str, json_out: bool) -> Result<(), Error> {
    let design = Design::open(arg)?;
    let m = design.motif();
    let f = m.file();
    let presets: Vec<_> = f
        .presets
        .iter()
        .map(|(name, p)| {
            let set: serde_json::Map<String, serde_json::Value> = p
                .set
                .iter()
                .map(|(k, v)| (k.clone(), match v { ParamValue::Number(n) => json!(n), ParamValue::Text(t) => json!(t) }))
                .collect();
            let repeat = m.values(Some(name), &[]).ok().and_then(|v| v.get("repeat").map(|x| x.to_json()));
            json!({"name": name, "doc": p.doc, "set": set, "palette": p.palette, "repeat_mm": repeat})
        })
        .collect();
    if json_out {
        let v = json!({
            "name": m.name(), "title": m.title(), "family": m.family().to_string(),
            "region": f.motif.region, "description": f.motif.description, "meaning": f.motif.meaning,
            "palette": f.colors.palette, "roles": f.colors.roles,
            "lattice": {"kind": f.lattice.kind, "group": f.lattice.group.clone().unwrap_or_else(|| "p1".into())},
            "params": param_json(m), "presets": presets,
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    println!("{} ({}, {})", m.title(), m.family(), f.motif.region);
    println!("{}\n", f.motif.description);
    println!("Meaning: {}\n", f.motif.meaning);
    println!(
        "Lattice: {} {}",
        f.lattice.kind,
        f.lattice.group.as_deref().unwrap_or("p1")
    );
    println!(
        "Colourway: {} (roles: {})\n",
        f.colors.palette,
        f.colors
            .roles
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("Parameters:");
    for p in m.params() {
        let range = match p.kind {
            ParamKind::Choice => p.spec.choices.join(" | "),
            _ => format!(
                "{}..{} {}",
                trim_float(p.spec.min.unwrap_or(0.0)),
                trim_float(p.spec.max.unwrap_or(0.0)),
                p.kind.unit()
            ),
        };
        let d = match &p.spec.default {
            ParamValue::Number(n) => trim_float(*n),
            ParamValue::Text(t) => t.clone(),
        };
        println!(
            "  {:14} default {:8} range {:22} {}",
            p.name, d, range, p.spec.doc
        );
    }
    if !f.presets.is_empty() {
        println!("\nPresets:");
        for (name, p) in &f.presets {
            let size = m
                .values(Some(name), &[])
                .ok()
                .and_then(|v| v.get("repeat").map(|x| format!(" [repeat {x} mm]")))
                .unwrap_or_default();
            println!("  {name:14} {}{size}", p.doc);
        }
    }
    Ok(())
}

fn palettes(json_out: bool) -> Result<(), Error> {
    let lib = Library::builtin();
    if json_out {
        let v: Vec<_> = lib
            .palettes()
            .iter()
            .map(|p| json!({"name": p.name, "description": p.description, "colors": p.slots.iter().map(|(k, c)| (k.clone(), json!(format_colour(*c)))).collect::<serde_json::Map<_, _>>()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    for p in lib.palettes() {
        let slots: Vec<String> = p
            .slots
            .iter()
            .map(|(k, c)| format!("{k}={}", format_colour(*c)))
            .collect();
        println!(
            "{:14} {}\n               {}",
            p.name,
            p.description,
            slots.join(" ")
        );
    }
    Ok(())
}

/// Validated options common to render and tile.
struct Prepared {
    design: Design,
    dpi: Dpi,
    export: ExportOptions,
}

fn prepare(a: &PatternArgs) -> Result<Prepared, Error> {
    let dpi: Dpi = a.dpi.parse()?;
    if a.threads == Some(0) {
        return Err(UserError::invalid("--threads", "must be at least 1").into());
    }
    let compression: Compression = a.compression.parse()?;
    let mut design = Design::open(&a.motif)?;
    if let Some(p) = &a.preset {
        design = design.preset(p)?;
    }
    for s in &a.set {
        let (k, v) = parse_assignment(s)?;
        design = design.set(&k, v)?;
    }
    if let Some(len) = &a.repeat_size {
        design = design.repeat_size(len.parse::<Length>()?)?;
    }
    if let Some(p) = &a.palette {
        Library::builtin().palette(p)?;
        design = design.palette(p);
    }
    for c in &a.color {
        let (role, hex) = c
            .split_once('=')
            .ok_or_else(|| UserError::invalid("--color", format!("'{c}' is not ROLE=#RRGGBB")))?;
        parse_colour(hex)?;
        design = design.color(role.trim(), hex.trim())?;
    }
    let render = RenderOptions { threads: a.threads };
    let export = ExportOptions {
        dpi,
        compression,
        render,
        ..Default::default()
    };
    Ok(Prepared {
        design,
        dpi,
        export,
    })
}

fn check_output(path: &Path) -> Result<Format, Error> {
    Ok(Format::from_path(path)?)
}

fn describe_repeat(p: &Pattern) -> String {
    match p.repeat_mm() {
        Some((w, h)) if (w - h).abs() < 1e-6 => format!(
            "repeat {}",
            Length::from_mm(w).map_or("?".into(), |l| l.to_string())
        ),
        Some((w, h)) => format!("repeat {} × {}", trim_float(w), trim_float(h)) + " mm",
        None => format!("cell unit {} mm", trim_float(p.unit_mm)),
    }
}

fn render(a: RenderArgs) -> Result<(), Error> {
    check_output(&a.output)?;
    let repeat: TextileRepeat = a.repeat.parse()?;
    let prep = prepare(&a.pattern)?;
    let design = prep.design.clone().textile_repeat(repeat);
    let pattern = design.resolve()?;
    let mut export_opts = prep.export;
    let (w, h) = match (a.width, a.height, &a.size) {
        (Some(w), Some(h), _) => SizeSpec::Pixels {
            width: w,
            height: h,
        }
        .pixels(prep.dpi),
        (_, _, Some(s)) => {
            let physical = s.parse::<PhysicalSize>()?;
            export_opts.physical_size = Some(physical);
            SizeSpec::Physical(physical).pixels(prep.dpi)
        }
        _ => default_size(&pattern, prep.dpi),
    };
    let view = checked_view(&pattern, w, h, prep.dpi)?;
    export(&pattern, &view, &export_opts, &a.output)?;
    if !a.pattern.quiet {
        eprintln!(
            "wrote {}: {} × {} px at {} dpi ({:.1} × {:.1} cm), {}",
            a.output.display(),
            view.width,
            view.height,
            trim_float(prep.dpi.get()),
            view.width as f64 / prep.dpi.px_per_mm() / 10.0,
            view.height as f64 / prep.dpi.px_per_mm() / 10.0,
            describe_repeat(&pattern)
        );
    }
    Ok(())
}

/// Three repeats square, when no size is given; a frieze (border) three
/// periods long and one band high.
pub(super) fn default_size(p: &Pattern, dpi: Dpi) -> (u64, u64) {
    let (w, h) = p.repeat_mm().unwrap_or((p.unit_mm, p.unit_mm));
    if p.frieze {
        let px = |v: f64| (v * dpi.px_per_mm()).round().max(1.0) as u64;
        return (px(3.0 * w), px(h));
    }
    let side = (3.0 * w.max(h) * dpi.px_per_mm()).round().max(1.0) as u64;
    (side, side)
}

pub(super) fn checked_view(p: &Pattern, w: u64, h: u64, dpi: Dpi) -> Result<View, Error> {
    let probe = View::new(
        w.min(u32::MAX as u64) as u32,
        h.min(u32::MAX as u64) as u32,
        kurbo::Affine::IDENTITY,
    );
    if w > u32::MAX as u64 || h > u32::MAX as u64 {
        return Err(UserError::TooLarge(format!(
            "{w} × {h} px is too large: it would need {} of RGBA pixels",
            crate::render::human_bytes_f64(w as f64 * h as f64 * 4.0)
        ))
        .into());
    }
    probe.check()?;
    Ok(View::at_dpi(p, w as u32, h as u32, dpi.get()))
}

fn tile(a: TileArgs) -> Result<(), Error> {
    check_output(&a.output)?;
    let repeat: TextileRepeat = a.repeat.parse()?;
    let prep = prepare(&a.pattern)?;
    let block = prep.design.resolve()?;
    let exact = ExactTile::new(&block, repeat, prep.dpi)?;
    // The tile is drawn from the laid-out pattern, not the plain block: the
    // repeats clip their tile, and a clipped fill rasterises a level apart from
    // an unclipped one, so only this tile matches the preview pixel for pixel.
    let laid = repeat.apply(&block)?;
    export(&laid, &exact.view(), &prep.export, &a.output)?;
    let mut wrote = vec![a.output.clone()];
    if a.preview {
        let preview = preview_path(&a.output);
        export(&laid, &exact.view_of(3, 3), &prep.export, &preview)?;
        wrote.push(preview);
    }
    if !a.pattern.quiet {
        eprintln!(
            "wrote {}: {} tile {} × {} px at {} dpi, real repeat {:.3} × {:.3} mm",
            wrote
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" and "),
            repeat,
            exact.width,
            exact.height,
            trim_float(prep.dpi.get()),
            exact.repeat_mm.0,
            exact.repeat_mm.1
        );
    }
    Ok(())
}

/// `dir/name-preview.ext` for `dir/name.ext`.
pub fn preview_path(p: &Path) -> PathBuf {
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = p
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.with_file_name(format!("{stem}-preview.{ext}"))
}

fn gallery(a: GalleryArgs) -> Result<(), Error> {
    let opts = crate::gallery::GalleryOptions {
        palette: a.palette,
        thumb: a.thumb,
        columns: a.columns,
        ..Default::default()
    };
    let g = crate::gallery::write_gallery(&a.output, &opts)?;
    if !a.quiet {
        eprintln!(
            "wrote {}: {} motifs, {} × {} px",
            a.output.display(),
            g.cells.len(),
            g.image.width(),
            g.image.height()
        );
    }
    Ok(())
}
