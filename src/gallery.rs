//! A labelled contact sheet of motifs (`wastra gallery`).
//!
//! Each motif is drawn with its defaults in a square thumbnail that shows about
//! two repeats of its largest period, so a fine and a broad motif are both
//! legible; the scale is therefore per motif, and the label says the real
//! repeat. Thumbnails are rendered with the ordinary renderer, labels with
//! [`crate::render::label`], so the sheet needs no system fonts.

use std::path::Path;

use image::{ImageEncoder, RgbaImage};
use kurbo::Affine;
use tiny_skia::Pixmap;

use crate::effects::{Effects, Frame};
use crate::error::{Error, UserError};
use crate::motif::palette::Colour;
use crate::motif::params::trim_float;
use crate::motif::registry::Library;
use crate::motif::Motif;
use crate::render::label::{draw_text, text_width};
use crate::render::{RenderOptions, View};
use crate::Design;

/// How the sheet is laid out.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GalleryOptions {
    /// Colourway for every thumbnail. Default: `None`, each motif's own.
    pub palette: Option<String>,
    /// Thumbnail side in pixels. Default: 256.
    pub thumb: u32,
    /// Thumbnails per row. Default: 4.
    pub columns: u32,
    /// Em size of the title line in pixels (the detail line is 0.7 of it). Default: 18.
    pub label_px: f64,
    /// Rendering options for the thumbnails. Default: all cores.
    pub render: RenderOptions,
}

impl Default for GalleryOptions {
    fn default() -> Self {
        GalleryOptions {
            palette: None,
            thumb: 256,
            columns: 4,
            label_px: 18.0,
            render: RenderOptions::default(),
        }
    }
}

/// Where one motif landed on the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct GalleryCell {
    /// Motif name.
    pub name: String,
    /// The label's title line.
    pub title: String,
    /// The label's detail line (name and repeat).
    pub detail: String,
    /// Thumbnail rectangle: x, y, width, height in pixels.
    pub thumb: (u32, u32, u32, u32),
    /// Label rectangle below the thumbnail: x, y, width, height in pixels.
    pub label: (u32, u32, u32, u32),
}

/// A rendered sheet.
#[derive(Debug, Clone)]
pub struct Gallery {
    /// The sheet, opaque RGBA8.
    pub image: RgbaImage,
    /// One entry per motif, in sheet order.
    pub cells: Vec<GalleryCell>,
}

/// Sheet background.
pub const PAPER: Colour = Colour::new(250, 247, 240, 255);
/// Label ink.
pub const INK: Colour = Colour::new(34, 30, 26, 255);
const MARGIN: u32 = 16;
const GAP: u32 = 16;

/// Largest sheet side accepted, in pixels.
const MAX_SHEET_SIDE: u64 = 16_384;

/// The contact sheet of every built-in motif.
pub fn builtin_gallery(opts: &GalleryOptions) -> Result<Gallery, Error> {
    let motifs: Vec<&Motif> = Library::builtin().motifs().collect();
    gallery(&motifs, opts)
}

/// The contact sheet of `motifs`, in the order given.
pub fn gallery(motifs: &[&Motif], opts: &GalleryOptions) -> Result<Gallery, Error> {
    if let Some(p) = &opts.palette {
        Library::builtin().palette(p)?;
    }
    if opts.columns == 0 || opts.thumb < 16 || !opts.label_px.is_finite() || opts.label_px < 6.0 {
        return Err(UserError::invalid(
            "gallery",
            "needs at least one column, thumbnails of 16 px or more and labels of 6 px or more",
        )
        .into());
    }
    let label_h = (opts.label_px * 2.3).ceil() as u32;
    let cols = opts.columns.min(motifs.len().max(1) as u32);
    let rows = (motifs.len() as u32).div_ceil(cols).max(1);
    let cell_w = opts.thumb + GAP;
    let cell_h = opts.thumb + label_h + GAP;
    let width = 2 * MARGIN + cols * cell_w - GAP;
    let height = 2 * MARGIN + rows * cell_h - GAP;
    if u64::from(width) > MAX_SHEET_SIDE || u64::from(height) > MAX_SHEET_SIDE {
        return Err(UserError::TooLarge(format!(
            "a {width} × {height} px gallery is larger than {MAX_SHEET_SIDE} px a side"
        ))
        .into());
    }
    let mut sheet = Pixmap::new(width, height)
        .ok_or_else(|| Error::Internal("gallery pixmap allocation".into()))?;
    sheet.fill(tiny_skia::Color::from_rgba8(
        PAPER.red,
        PAPER.green,
        PAPER.blue,
        255,
    ));
    let mut cells = Vec::with_capacity(motifs.len());
    let mut thumbs = Vec::with_capacity(motifs.len());
    for (i, m) in motifs.iter().enumerate() {
        let (col, row) = (i as u32 % cols, i as u32 / cols);
        let x = MARGIN + col * cell_w;
        let y = MARGIN + row * cell_h;
        let mut design = Design::new((*m).clone());
        if let Some(p) = &opts.palette {
            design = design.palette(p);
        }
        let pattern = design.resolve()?;
        let thumb = thumbnail(m, &pattern, opts)?;
        let repeat_mm = design
            .values()
            .get("repeat")
            .map(|v| v.to_json())
            .and_then(|j| j.as_f64());
        let detail = match repeat_mm {
            Some(mm) if mm >= 10.0 => format!("{} · {} cm", m.name(), trim_float(mm / 10.0)),
            Some(mm) => format!("{} · {} mm", m.name(), trim_float(mm)),
            None => m.name().to_string(),
        };
        let title = m.title().to_string();
        let ly = y + opts.thumb;
        draw_fitted(
            &mut sheet,
            &title,
            x,
            ly + (opts.label_px * 1.15) as u32,
            opts.label_px,
            opts.thumb,
        );
        draw_fitted(
            &mut sheet,
            &detail,
            x,
            ly + (opts.label_px * 2.05) as u32,
            opts.label_px * 0.7,
            opts.thumb,
        );
        cells.push(GalleryCell {
            name: m.name().to_string(),
            title,
            detail,
            thumb: (x, y, opts.thumb, opts.thumb),
            label: (x, ly, opts.thumb, label_h),
        });
        thumbs.push(thumb);
    }
    // The sheet is opaque, so its premultiplied pixels are straight RGBA.
    let mut image = RgbaImage::from_raw(width, height, sheet.take())
        .ok_or_else(|| Error::Internal("gallery buffer size mismatch".into()))?;
    for (c, t) in cells.iter().zip(&thumbs) {
        image::imageops::overlay(&mut image, t, i64::from(c.thumb.0), i64::from(c.thumb.1));
    }
    Ok(Gallery { image, cells })
}

/// Draws `text` at `size`, shrunk to fit `max_w` pixels.
fn draw_fitted(pm: &mut Pixmap, text: &str, x: u32, baseline: u32, size: f64, max_w: u32) {
    let w = text_width(text, size);
    let size = if w > f64::from(max_w) {
        size * f64::from(max_w) / w
    } else {
        size
    };
    draw_text(pm, text, f64::from(x), f64::from(baseline), size, INK);
}

/// About two repeats of the pattern's largest period across the thumbnail,
/// with the motif's own effects (ikat's feathered edges) at the thumbnail's
/// scale, as `wastra render` would draw them.
fn thumbnail(m: &Motif, p: &crate::Pattern, opts: &GalleryOptions) -> Result<RgbaImage, Error> {
    let period = p
        .lattice
        .rect_period()
        .map(|(w, h)| w.max(h))
        .unwrap_or_else(|| p.lattice.a.hypot().max(p.lattice.b.hypot()));
    let s = f64::from(opts.thumb) / (2.0 * period);
    let view = View::new(opts.thumb, opts.thumb, Affine::scale(s));
    let effects = Effects::parse(&m.file().effects, None, 0)?;
    let p = &effects.apply_geometry(p);
    let dpi = s / p.unit_mm * 25.4;
    let stage = effects.pixel_stage(p, &view, &Frame::at_dpi(dpi), &opts.render)?;
    let mut img = crate::effects::render_image(p, &view, &opts.render, &stage)?;
    // Composite on paper so a translucent colourway still gives an opaque sheet.
    for px in img.pixels_mut() {
        let a = u16::from(px.0[3]);
        for (c, bg) in
            px.0.iter_mut()
                .take(3)
                .zip([PAPER.red, PAPER.green, PAPER.blue])
        {
            *c = ((u16::from(*c) * a + u16::from(bg) * (255 - a) + 127) / 255) as u8;
        }
        px.0[3] = 255;
    }
    Ok(img)
}

/// Renders the built-in gallery and writes it as PNG to `path`, atomically.
pub fn write_gallery(path: &Path, opts: &GalleryOptions) -> Result<Gallery, Error> {
    let is_png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !is_png {
        return Err(UserError::invalid(
            "output",
            format!("{} must end in .png (the gallery is a PNG)", path.display()),
        )
        .into());
    }
    let g = builtin_gallery(opts)?;
    let mut file = crate::export::atomic::AtomicFile::create(path)?;
    image::codecs::png::PngEncoder::new(file.writer())
        .write_image(
            g.image.as_raw(),
            g.image.width(),
            g.image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| Error::Internal(format!("writing PNG: {e}")))?;
    file.commit()?;
    Ok(g)
}
