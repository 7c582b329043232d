//! Each subcommand: validate arguments into library options, call the library.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::args::{Cli, Command, GalleryArgs, PatternArgs, RenderArgs, TileArgs};
use crate::effects::field::{Shift, Wrap};
use crate::effects::{Effects, Frame, PixelStage};
use crate::error::{Error, UserError};
use crate::export::tile::ExactTile;
use crate::export::{
    export_with, remove_temp_files, BitDepth, Cancel, ExportOptions, Format, IccProfile, Page,
    ProfileSpace,
};
use crate::geom::{Dpi, Length, PhysicalSize, SizeSpec};
use crate::motif::format::ParamValue;
use crate::motif::palette::{format_colour, parse_colour};
use crate::motif::params::{parse_assignment, trim_float, ParamKind};
use crate::motif::registry::Library;
use crate::motif::Motif;
use crate::pattern::{Pattern, TextileRepeat};
use crate::render::{RenderOptions, View};
use crate::Design;

/// `println!` that hands a failed write to stdout back as an error instead of
/// panicking; a closed pipe (`wastra list | head -1`) then ends the command
/// quietly (see `main_with_args`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(|e| Error::write("stdout", e))?
    }};
}

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
        out!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    let width = lib.motifs().map(|m| m.name().len()).max().unwrap_or(8);
    for m in lib.motifs() {
        out!(
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
            "params": param_json(m), "presets": presets, "effects": f.effects,
        });
        out!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    out!("{} ({}, {})", m.title(), m.family(), f.motif.region);
    out!("{}\n", f.motif.description);
    out!("Meaning: {}\n", f.motif.meaning);
    out!(
        "Lattice: {} {}",
        f.lattice.kind,
        f.lattice.group.as_deref().unwrap_or("p1")
    );
    out!(
        "Colourway: {} (roles: {})\n",
        f.colors.palette,
        f.colors
            .roles
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !f.effects.is_empty() {
        out!(
            "Effects: {} (unless --effect or --finish is given; --finish none for none)\n",
            f.effects.join(", ")
        );
    }
    out!("Parameters:");
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
        out!(
            "  {:14} default {:8} range {:22} {}",
            p.name,
            d,
            range,
            p.spec.doc
        );
    }
    if !f.presets.is_empty() {
        out!("\nPresets:");
        for (name, p) in &f.presets {
            let size = m
                .values(Some(name), &[])
                .ok()
                .and_then(|v| v.get("repeat").map(|x| format!(" [repeat {x} mm]")))
                .unwrap_or_default();
            out!("  {name:14} {}{size}", p.doc);
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
        out!("{}", serde_json::to_string_pretty(&v).expect("json"));
        return Ok(());
    }
    for p in lib.palettes() {
        let slots: Vec<String> = p
            .slots
            .iter()
            .map(|(k, c)| format!("{k}={}", format_colour(*c)))
            .collect();
        out!(
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
    effects: Effects,
    dpi: Dpi,
    export: ExportOptions,
}

/// The process-wide cancellation flag, set by the Ctrl-C handler.
pub(super) fn interrupt() -> Cancel {
    static CANCEL: std::sync::OnceLock<Cancel> = std::sync::OnceLock::new();
    CANCEL
        .get_or_init(|| {
            let cancel = Cancel::default();
            let flag = cancel.clone();
            // First Ctrl-C (or SIGTERM): stop at the next strip and unwind,
            // which removes the temporary file. A second one exits at once,
            // removing temporary files first. Targets are never touched.
            let installed = ctrlc::set_handler(move || {
                if flag.is_cancelled() {
                    remove_temp_files();
                    std::process::exit(130);
                }
                flag.cancel();
            });
            // Embedded in a program with its own handler: no interruption then.
            drop(installed);
            cancel
        })
        .clone()
}

fn prepare(a: &PatternArgs, format: Format) -> Result<Prepared, Error> {
    let dpi: Dpi = a.dpi.parse()?;
    crate::render::check_threads(a.threads)?;
    let mut export = ExportOptions::default();
    export.set_compression(format, a.compression.as_deref())?;
    export.bit_depth = a.bit_depth.parse::<BitDepth>()?;
    if let Some(intent) = &a.intent {
        if a.icc.is_none() {
            return Err(UserError::invalid(
                "--intent",
                "applies only with --icc (a conversion into an output profile)",
            )
            .into());
        }
        export.intent = intent.parse()?;
    }
    export.jpeg_quality = a.quality;
    export.bigtiff = a.bigtiff;
    if a.bigtiff && format != Format::Tiff {
        return Err(UserError::invalid("--bigtiff", "applies to TIFF output").into());
    }
    if let Some(path) = &a.icc {
        export.icc = Some(IccProfile::from_file(path)?);
    }
    let mut design = Design::open(&a.motif)?;
    let (finish, specs) = a.fx.for_motif(design.motif());
    let effects = Effects::parse(&specs, finish.as_deref(), a.seed)?;
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
    export.dpi = dpi;
    export.render = render;
    export.progress = !a.quiet;
    export.cancel = interrupt();
    Ok(Prepared {
        design,
        effects,
        dpi,
        export,
    })
}

/// The largest PDF page side many tools accept: 14400 pt (200 in).
const PDF_TOOL_LIMIT_MM: f64 = 200.0 * 25.4;

/// Says (unless `quiet`) which of `effects` a vector `format` cannot carry.
pub(super) fn note_raster_only(effects: &Effects, format: Format, quiet: bool) {
    let raster = effects.raster_only();
    if !format.is_raster() && !raster.is_empty() && !quiet {
        eprintln!(
            "note: effect {} is raster-only; the {} leaves it out (tulis and cap are drawn as vector)",
            raster.join(", "),
            format.name()
        );
    }
}

/// The pixel effects for writing `format`; for SVG and PDF, says which
/// effects they cannot carry.
fn pixel_stage(
    prep: &Prepared,
    pattern: &Pattern,
    view: &View,
    format: Format,
    wrap: Option<Wrap>,
    quiet: bool,
) -> Result<PixelStage, Error> {
    if !format.is_raster() {
        note_raster_only(&prep.effects, format, quiet);
        return Ok(PixelStage::default());
    }
    let mut frame = Frame::at_dpi(prep.dpi.get());
    frame.wrap = wrap;
    prep.effects
        .pixel_stage(pattern, view, &frame, &prep.export.render)
}

fn check_output(path: &Path) -> Result<Format, Error> {
    Ok(Format::from_path(path)?)
}

/// The repeat as drawn: in pixels of `view` (whole when the repeat was
/// snapped to whole pixels) and the real size in mm that makes at `dpi`.
fn describe_repeat(p: &Pattern, view: &View, dpi: Dpi) -> String {
    let c = view.transform.as_coeffs();
    let Some((w, h)) = p
        .lattice
        .rect_period()
        .filter(|_| c[1] == 0.0 && c[2] == 0.0)
    else {
        return format!("cell unit {} mm", trim_float(p.unit_mm));
    };
    let (wpx, hpx) = (w * c[0].abs(), h * c[3].abs());
    let px = |v: f64| trim_float((v * 100.0).round() / 100.0);
    let mm = |v: f64| v / dpi.px_per_mm();
    if (wpx - hpx).abs() < 1e-6 {
        format!("repeat {:.3} mm ({} px)", mm(wpx), px(wpx))
    } else {
        format!(
            "repeat {:.3} × {:.3} mm ({} × {} px)",
            mm(wpx),
            mm(hpx),
            px(wpx),
            px(hpx)
        )
    }
}

fn render(a: RenderArgs) -> Result<(), Error> {
    let format = check_output(&a.output)?;
    let repeat: TextileRepeat = a.repeat.parse()?;
    let mut prep = prepare(&a.pattern, format)?;
    let design = prep.design.clone().textile_repeat(repeat);
    let pattern = prep.effects.apply_geometry(&design.resolve()?);
    let dpi = prep.dpi;
    // The trim size: exact in mm (for PDF) and in whole pixels (for rasters).
    let (w, h, trim_mm) = match (a.width, a.height, &a.size) {
        (Some(w), Some(h), _) => {
            let (w, h) = SizeSpec::Pixels {
                width: w,
                height: h,
            }
            .pixels(dpi);
            (
                w,
                h,
                (w as f64 / dpi.px_per_mm(), h as f64 / dpi.px_per_mm()),
            )
        }
        (_, _, Some(s)) => {
            let size = s.parse::<PhysicalSize>()?;
            let (w, h) = SizeSpec::Physical(size).pixels(dpi);
            (w, h, (size.width.mm(), size.height.mm()))
        }
        _ => {
            let (w, h) = default_size(&pattern, dpi);
            (
                w,
                h,
                (w as f64 / dpi.px_per_mm(), h as f64 / dpi.px_per_mm()),
            )
        }
    };
    let bleed = match &a.bleed {
        Some(b) => Some(b.parse::<Length>()?),
        None => None,
    };
    let bleed_mm = bleed.map_or(0.0, |b| b.mm());
    let bleed_px = bleed.map_or(0, |b| b.px(dpi).round() as u64);
    if a.crop_marks && format != Format::Pdf {
        return Err(UserError::invalid("--crop-marks", "applies to PDF output").into());
    }
    // The trim's top-left corner keeps the pattern's origin: image pixel
    // (bleed, bleed) shows what pixel (0, 0) shows without bleed.
    let view = checked_view(&pattern, w + 2 * bleed_px, h + 2 * bleed_px, dpi)?
        .shifted(-(bleed_px as f64), -(bleed_px as f64));
    prep.export.page = Some(Page::new(&pattern, trim_mm, bleed_mm));
    prep.export.crop_marks = a.crop_marks;
    if a.size.is_some() {
        // SVG's exact physical size: the trim plus the bleed.
        let len = |mm: f64| {
            Length::from_mm(mm).ok_or_else(|| UserError::invalid("size", "must be positive"))
        };
        prep.export.physical_size = Some(PhysicalSize {
            width: len(trim_mm.0 + 2.0 * bleed_mm)?,
            height: len(trim_mm.1 + 2.0 * bleed_mm)?,
        });
    }
    let stage = pixel_stage(&prep, &pattern, &view, format, None, a.pattern.quiet)?;
    export_with(&pattern, &view, &prep.export, &stage, &a.output)?;
    if !a.pattern.quiet {
        let cm = |px: u64| px as f64 / dpi.px_per_mm() / 10.0;
        let size = match format {
            Format::Pdf => {
                let page = prep.export.page.expect("set above");
                let media = crate::export::pdf::media_mm(&page, a.crop_marks);
                let mut s = format!("page {:.2} × {:.2} mm", media.0, media.1);
                if bleed_mm > 0.0 || a.crop_marks {
                    s += &format!(" (trim {:.2} × {:.2} mm", trim_mm.0, trim_mm.1);
                    if bleed_mm > 0.0 {
                        s += &format!(" + bleed {bleed_mm:.2} mm each side");
                    }
                    if a.crop_marks {
                        s += ", crop marks";
                    }
                    s += ")";
                }
                // PDF readers and design tools stop at 14400 pt (200 in)
                // a side; wraps are then designed at 1:10.
                if media.0.max(media.1) > PDF_TOOL_LIMIT_MM {
                    eprintln!(
                        "note: the page is wider than 200 in (5080 mm), more than many PDF tools open; \
                         for such panels render at 1:10 (a tenth of the --size and --repeat-size) or split the panel"
                    );
                }
                s
            }
            _ => {
                let mut s = format!(
                    "{} × {} px at {} dpi ({:.2} × {:.2} cm)",
                    view.width,
                    view.height,
                    trim_float(dpi.get()),
                    cm(view.width as u64),
                    cm(view.height as u64)
                );
                if bleed_px > 0 {
                    s += &format!(
                        ", trim {w} × {h} px + bleed {bleed_px} px ({:.2} mm) each side",
                        bleed_px as f64 / dpi.px_per_mm()
                    );
                }
                s
            }
        };
        let colour = describe_colour(&prep.export, format);
        eprintln!(
            "wrote {}: {size}, {}{colour}",
            a.output.display(),
            describe_repeat(&pattern, &view, dpi)
        );
    }
    Ok(())
}

/// `, CMYK (FOGRA39, perceptual)`, `, 16-bit`, or nothing for plain sRGB.
fn describe_colour(e: &ExportOptions, format: Format) -> String {
    let mut s = String::new();
    if let Some(p) = &e.icc {
        let space = match p.space() {
            ProfileSpace::Cmyk => "CMYK",
            ProfileSpace::Rgb => "RGB",
        };
        s += &format!(", {space} '{}' ({})", p.description().trim(), e.intent);
    }
    if e.bit_depth == BitDepth::Sixteen && format.is_raster() {
        s += ", 16-bit";
    }
    s
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
    let format = check_output(&a.output)?;
    let repeat: TextileRepeat = a.repeat.parse()?;
    let prep = prepare(&a.pattern, format)?;
    let block = prep.effects.apply_geometry(&prep.design.resolve()?);
    let exact = ExactTile::new(&block, repeat, prep.dpi)?;
    // Effects wrap the way the printer lays the tile; a mirrored tile meets
    // its own reflection, which is continuous without wrapping.
    let shift = match repeat {
        TextileRepeat::Block => Some(Shift::None),
        TextileRepeat::HalfDrop => Some(Shift::HalfDrop),
        TextileRepeat::Brick => Some(Shift::Brick),
        _ => None,
    };
    let wrap = shift.map(|shift| Wrap {
        nx: exact.width as i64,
        ny: exact.height as i64,
        shift,
    });
    let quiet = a.pattern.quiet;
    let laid = repeat.apply(&block)?;
    // The tile is drawn from the laid-out pattern, not the plain block: the
    // repeats clip their tile, and a clipped fill rasterises a level apart from
    // an unclipped one, so only this tile matches the preview pixel for pixel;
    // and an effect reading past the tile edge (ikat) sees real neighbours.
    let tile_pattern = &laid;
    // A preview that cannot be made must not cost the user their old tile.
    if a.preview {
        let preview = preview_path(&a.output);
        crate::export::check_export(&laid, &exact.view_of(3, 3), &prep.export, &preview)?;
    }
    let stage = pixel_stage(&prep, tile_pattern, &exact.view(), format, wrap, quiet)?;
    export_with(tile_pattern, &exact.view(), &prep.export, &stage, &a.output)?;
    let mut wrote = vec![a.output.clone()];
    if a.preview {
        let preview = preview_path(&a.output);
        let view = exact.view_of(3, 3);
        let stage = pixel_stage(&prep, &laid, &view, format, wrap, true)?;
        export_with(&laid, &view, &prep.export, &stage, &preview)?;
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
