//! PDF: a true vector drawing on a page of the exact physical size, through
//! krilla (the PDF library behind typst), drawing our own paths directly.
//!
//! As in the SVG, the fills of one period are grouped into runs of the same
//! colour, rule and clip; each run becomes one reusable form XObject (krilla
//! `Graphic`, written once) placed at every lattice translation that meets the
//! bleed box. Units are millimetres under one outer scale to points.
//!
//! Page boxes: the TrimBox is the finished size; the BleedBox adds the bleed,
//! over which the pattern continues; with crop marks, a white slug around the
//! bleed holds hairline marks on the trim lines, starting outside the bleed.

use std::io::Write;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Transform};
use krilla::graphic::Graphic;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule as KFillRule, Stroke};
use krilla::surface::Surface;
use krilla::Document;
use kurbo::{Affine, BezPath, Rect, Shape as _};

use super::{ExportOptions, Page};
use crate::error::Error;
use crate::motif::palette::Colour;
use crate::pattern::{FillRule, Pattern};

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// Crop marks start at least this far from the trim (mm), or at the bleed.
const MARK_OFFSET_MM: f64 = 3.0;
/// Length of a crop mark (mm).
const MARK_LEN_MM: f64 = 5.0;
/// White margin beyond the marks (mm).
const SLUG_MARGIN_MM: f64 = 1.0;
/// Crop mark line width: a 0.25 pt hairline, in mm.
const MARK_WIDTH_MM: f64 = 0.25 / PT_PER_MM;

fn internal(e: impl std::fmt::Debug) -> Error {
    Error::Internal(format!("writing PDF: {e:?}"))
}

fn path(p: &BezPath) -> Option<krilla::geom::Path> {
    let mut b = PathBuilder::new();
    for el in p.elements() {
        use kurbo::PathEl::*;
        match *el {
            MoveTo(a) => b.move_to(a.x as f32, a.y as f32),
            LineTo(a) => b.line_to(a.x as f32, a.y as f32),
            QuadTo(a, c) => b.quad_to(a.x as f32, a.y as f32, c.x as f32, c.y as f32),
            CurveTo(a, c, d) => b.cubic_to(
                a.x as f32, a.y as f32, c.x as f32, c.y as f32, d.x as f32, d.y as f32,
            ),
            ClosePath => b.close(),
        }
    }
    b.finish()
}

fn rect_path(r: Rect) -> Option<krilla::geom::Path> {
    path(&r.to_path(0.0))
}

fn fill_of(c: Colour, rule: FillRule) -> Fill {
    Fill {
        paint: rgb::Color::new(c.red, c.green, c.blue).into(),
        opacity: NormalizedF32::new(c.alpha as f32 / 255.0).unwrap_or(NormalizedF32::ONE),
        rule: match rule {
            FillRule::NonZero => KFillRule::NonZero,
            FillRule::EvenOdd => KFillRule::EvenOdd,
        },
    }
}

/// The page layout in mm: media size and where the trim starts on it.
struct Layout {
    media: (f64, f64),
    /// Distance from the media edge to the trim, on every side.
    margin: f64,
    trim: Rect,
    bleed: Rect,
}

impl Layout {
    fn new(page: &Page, crop_marks: bool) -> Self {
        let (tw, th) = page.trim_mm;
        let b = page.bleed_mm;
        let margin = if crop_marks {
            mark_start(b) + MARK_LEN_MM + SLUG_MARGIN_MM
        } else {
            b
        };
        let trim = Rect::new(margin, margin, margin + tw, margin + th);
        Layout {
            media: (tw + 2.0 * margin, th + 2.0 * margin),
            margin,
            trim,
            bleed: trim.inflate(b, b),
        }
    }
}

/// The PDF's media size in mm: the page with its bleed, and the slug that
/// holds crop marks when there are any.
pub fn media_mm(page: &Page, crop_marks: bool) -> (f64, f64) {
    Layout::new(page, crop_marks).media
}

fn mark_start(bleed: f64) -> f64 {
    bleed.max(MARK_OFFSET_MM)
}

fn pdf_rect(r: Rect) -> Option<krilla::geom::Rect> {
    krilla::geom::Rect::from_ltrb(
        (r.x0 * PT_PER_MM) as f32,
        (r.y0 * PT_PER_MM) as f32,
        (r.x1 * PT_PER_MM) as f32,
        (r.y1 * PT_PER_MM) as f32,
    )
}

/// Writes `pattern` on `page` as a one-page PDF.
pub fn write_pdf<W: Write>(
    pattern: &Pattern,
    page: &Page,
    opts: &ExportOptions,
    mut w: W,
) -> Result<(), Error> {
    let layout = Layout::new(page, opts.crop_marks);
    let bad_size = || Error::Internal(format!("bad PDF page size {:?}", layout.media));
    let mut settings = PageSettings::from_wh(
        (layout.media.0 * PT_PER_MM) as f32,
        (layout.media.1 * PT_PER_MM) as f32,
    )
    .ok_or_else(bad_size)?
    .with_trim_box(pdf_rect(layout.trim));
    if page.bleed_mm > 0.0 || opts.crop_marks {
        settings = settings.with_bleed_box(pdf_rect(layout.bleed));
    }
    let mut doc = Document::new();
    {
        let mut pdf_page = doc.start_page_with(settings);
        let mut surface = pdf_page.surface();
        surface.push_transform(&Transform::from_scale(PT_PER_MM as f32, PT_PER_MM as f32));
        let clip = rect_path(layout.bleed).ok_or_else(bad_size)?;
        surface.push_clip_path(&clip, &KFillRule::NonZero);
        if pattern.background.alpha > 0 {
            surface.set_fill(Some(fill_of(pattern.background, FillRule::NonZero)));
            surface.draw_path(&clip);
        }
        let m = layout.margin as f32;
        surface.push_transform(&Transform::from_translate(m, m));
        // The visible area in trim coordinates (origin at the trim corner).
        let visible = layout.bleed - layout.trim.origin().to_vec2();
        draw_runs(&mut surface, pattern, page.transform, visible, opts)?;
        surface.pop();
        surface.pop();
        if opts.crop_marks {
            draw_crop_marks(&mut surface, page);
        }
        surface.pop();
        surface.finish();
        pdf_page.finish();
    }
    let bytes = doc.finish().map_err(internal)?;
    w.write_all(&bytes).map_err(|e| Error::write("PDF", e))?;
    w.flush().map_err(internal)
}

/// Draws every run of fills, once per lattice translation meeting `visible`.
fn draw_runs(
    surface: &mut Surface<'_>,
    pattern: &Pattern,
    t: Affine,
    visible: Rect,
    opts: &ExportOptions,
) -> Result<(), Error> {
    let lattice = pattern.lattice.linear_image(t);
    for run in pattern.runs() {
        opts.cancel.check()?;
        let key = (run.colour, run.rule, run.clip);
        let mut bbox: Option<Rect> = None;
        let mut builder = surface.stream_builder();
        {
            let mut s = builder.surface();
            s.set_fill(Some(fill_of(key.0, key.1)));
            // A clip and its enclosing clips, outermost first.
            let mut chain = Vec::new();
            let mut next = key.2;
            while let Some(c) = next {
                chain.push(c);
                next = pattern.clips[c].parent;
            }
            let mut pushed = 0;
            for &c in chain.iter().rev() {
                let mut cp = pattern.clips[c].path.clone();
                cp.apply_affine(t);
                if let Some(kp) = path(&cp) {
                    s.push_clip_path(&kp, &KFillRule::NonZero);
                    pushed += 1;
                }
            }
            for f in run.fills {
                let mut p = f.path.clone();
                p.apply_affine(t);
                let b = p.bounding_box();
                bbox = Some(bbox.map_or(b, |x| x.union(b)));
                if let Some(kp) = path(&p) {
                    s.draw_path(&kp);
                }
            }
            for _ in 0..pushed {
                s.pop();
            }
            s.finish();
        }
        let graphic = Graphic::new(builder.finish(), false);
        if let Some(b) = bbox {
            for (n, m) in lattice.translations_meeting(b, visible) {
                let v = lattice.at(n, m);
                surface.push_transform(&Transform::from_translate(v.x as f32, v.y as f32));
                surface.draw_graphic(graphic.clone());
                surface.pop();
            }
        }
    }
    Ok(())
}

/// Hairline marks on the trim lines at each corner, outside the bleed.
fn draw_crop_marks(surface: &mut Surface<'_>, page: &Page) {
    let layout_margin = mark_start(page.bleed_mm) + MARK_LEN_MM + SLUG_MARGIN_MM;
    let (tw, th) = page.trim_mm;
    let (s, e) = (
        mark_start(page.bleed_mm),
        mark_start(page.bleed_mm) + MARK_LEN_MM,
    );
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::black().into(),
        width: MARK_WIDTH_MM as f32,
        ..Stroke::default()
    }));
    let mut marks = BezPath::new();
    for (x, y, dx, dy) in [
        (0.0, 0.0, -1.0, -1.0),
        (tw, 0.0, 1.0, -1.0),
        (0.0, th, -1.0, 1.0),
        (tw, th, 1.0, 1.0),
    ] {
        let (x, y) = (x + layout_margin, y + layout_margin);
        marks.move_to((x + dx * s, y));
        marks.line_to((x + dx * e, y));
        marks.move_to((x, y + dy * s));
        marks.line_to((x, y + dy * e));
    }
    if let Some(p) = path(&marks) {
        surface.draw_path(&p);
    }
    surface.set_stroke(None);
}
