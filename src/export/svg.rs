//! SVG: a true vector drawing of exactly what the rasteriser draws.
//!
//! The fills of one period are grouped into runs of consecutive fills with the
//! same colour, rule and clip; each run is defined once and placed with `<use>`
//! at every lattice translation that meets the image. Painting order is kept
//! where it matters: runs stay in drawing order, and inside a run the order of
//! same-coloured fills does not change the picture. Width and height are
//! physical (mm) from the DPI, the viewBox is in pixels, so the SVG and a PNG at
//! the same DPI share coordinates.

use std::io::Write;

use kurbo::{Affine, BezPath, Rect, Shape as _};
use svg::node::element::{ClipPath, Definitions, Group, Path, Rectangle, Use};
use svg::Document;

use super::ExportOptions;
use crate::error::Error;
use crate::geom::{Dpi, PhysicalSize};
use crate::motif::palette::{format_colour, Colour};
use crate::pattern::{FillRule, Pattern};
use crate::render::View;

fn num(v: f64) -> String {
    crate::motif::params::trim_float((v * 1e4).round() / 1e4)
}

fn path_data(p: &BezPath) -> String {
    let mut out = String::new();
    for el in p.elements() {
        use kurbo::PathEl::*;
        let pt = |q: kurbo::Point| format!("{} {}", num(q.x), num(q.y));
        match *el {
            MoveTo(a) => out += &format!("M{}", pt(a)),
            LineTo(a) => out += &format!("L{}", pt(a)),
            QuadTo(a, b) => out += &format!("Q{} {}", pt(a), pt(b)),
            CurveTo(a, b, c) => out += &format!("C{} {} {}", pt(a), pt(b), pt(c)),
            ClosePath => out += "Z",
        }
    }
    out
}

fn paint(c: Colour) -> (String, Option<String>) {
    let opaque = Colour { alpha: 255, ..c };
    (
        format_colour(opaque),
        (c.alpha != 255).then(|| num(c.alpha as f64 / 255.0)),
    )
}

/// Writes `pattern` in `view` as SVG.
pub fn write_svg<W: Write>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    mut w: W,
) -> Result<(), Error> {
    let doc = document(pattern, view, opts.dpi, opts.physical_size);
    svg::write(&mut w, &doc).map_err(|e| Error::write("SVG", e))?;
    w.flush().map_err(|e| Error::write("SVG", e))
}

/// The SVG document for `pattern` in `view`; `physical`, when given, is the
/// exact size (the view's pixel size is that size rounded to whole pixels).
pub fn document(
    pattern: &Pattern,
    view: &View,
    dpi: Dpi,
    physical: Option<PhysicalSize>,
) -> Document {
    let t = view.transform;
    let (wpx, hpx) = match physical {
        Some(p) => (p.width.px(dpi), p.height.px(dpi)),
        None => (view.width as f64, view.height as f64),
    };
    let mm = |px: f64| format!("{}mm", num(px / dpi.px_per_mm()));
    let (bg, bg_opacity) = paint(pattern.background);
    let mut background = Rectangle::new()
        .set("width", num(wpx))
        .set("height", num(hpx))
        .set("fill", bg);
    if let Some(o) = bg_opacity {
        background = background.set("fill-opacity", o);
    }
    let mut doc = Document::new()
        .set("width", mm(wpx))
        .set("height", mm(hpx))
        .set("viewBox", format!("0 0 {} {}", num(wpx), num(hpx)))
        .add(svg::node::element::Title::new(format!(
            "{} — made with wastra",
            pattern.motif
        )))
        .add(background);
    let lattice = pattern.lattice.linear_image(t);
    let viewport = Rect::new(0.0, 0.0, wpx, hpx);
    let mut defs = Definitions::new();
    let mut body = Group::new();
    let mut defined_clips = vec![false; pattern.clips.len()];
    for (run_id, run) in pattern.runs().enumerate() {
        let key = (run.colour, run.rule, run.clip);
        let mut group = Group::new().set("id", format!("r{run_id}"));
        let (fill, opacity) = paint(key.0);
        group = group.set("fill", fill);
        if let Some(o) = opacity {
            group = group.set("fill-opacity", o);
        }
        if key.1 == FillRule::EvenOdd {
            group = group.set("fill-rule", "evenodd");
        }
        if let Some(c) = key.2 {
            defs = define_clip(pattern, t, c, &mut defined_clips, defs);
            group = group.set("clip-path", format!("url(#c{c})"));
        }
        let mut bbox: Option<Rect> = None;
        for f in run.fills {
            let mut p = f.path.clone();
            p.apply_affine(t);
            let b = p.bounding_box();
            bbox = Some(bbox.map_or(b, |x| x.union(b)));
            group = group.add(Path::new().set("d", path_data(&p)));
        }
        defs = defs.add(group);
        if let Some(b) = bbox {
            for (n, m) in lattice.translations_meeting(b, viewport) {
                if pattern.frieze && m != 0 {
                    continue;
                }
                let v = lattice.at(n, m);
                body = body.add(
                    Use::new()
                        .set("href", format!("#r{run_id}"))
                        .set("x", num(v.x))
                        .set("y", num(v.y)),
                );
            }
        }
    }
    doc = doc.add(defs).add(body);
    doc
}

/// Adds `<clipPath id="cN">` for clip `c` and its ancestors (each clipped by
/// its parent's `clip-path`), once each.
fn define_clip(
    pattern: &Pattern,
    t: Affine,
    c: usize,
    defined: &mut [bool],
    mut defs: Definitions,
) -> Definitions {
    if defined[c] {
        return defs;
    }
    defined[c] = true;
    let clip = &pattern.clips[c];
    let mut p = clip.path.clone();
    p.apply_affine(t);
    let mut el = ClipPath::new()
        .set("id", format!("c{c}"))
        .add(Path::new().set("d", path_data(&p)));
    if let Some(parent) = clip.parent {
        defs = define_clip(pattern, t, parent, defined, defs);
        el = el.set("clip-path", format!("url(#c{parent})"));
    }
    defs.add(el)
}
