//! The contact sheet: every unit as a thumbnail, labelled with its number, on
//! one PNG. Thumbnails are rendered from the units' vector patterns (the whole
//! unit, scaled down), not read back from the unit files, so the sheet is the
//! same whether units were written as PNG or SVG, here or on other machines.

use kurbo::Affine;
use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::Plan;
use crate::error::Error;
use crate::motif::palette::Colour;
use crate::render::label::{draw_text, text_width};
use crate::render::{render_image, RenderOptions, View};

const BACKGROUND: [u8; 3] = [0xFA, 0xF8, 0xF2];
const INK: Colour = Colour::new(0x22, 0x22, 0x22, 255);

/// Thumbnail side for an edition of `n`: smaller for large editions, so the
/// sheet stays a few thousand pixels wide.
fn thumb_side(n: usize) -> u32 {
    match n {
        0..=100 => 160,
        101..=1000 => 96,
        _ => 48,
    }
}

/// Renders the contact sheet of all units of `plan` as PNG bytes.
pub fn contact_sheet(plan: &Plan) -> Result<Vec<u8>, Error> {
    let n = plan.units.len();
    let side = thumb_side(n);
    let label = (side as f64 * 0.11).round().max(10.0);
    let pad = (side / 12).max(4);
    let cell_w = side + pad;
    let cell_h = side + pad + label as u32 + pad / 2;
    let cols = (n as f64).sqrt().ceil().max(1.0) as u32;
    let rows = (n as u32).div_ceil(cols);
    let title_h = (label * 2.2).round() as u32;
    let width = cols * cell_w + pad;
    let height = title_h + rows * cell_h + pad;

    let thumbs: Vec<Result<image::RgbaImage, Error>> = plan
        .units
        .par_iter()
        .map(|u| {
            let p = plan.unit_design(u)?.resolve()?;
            let (w, h) = (plan.spec.width as f64, plan.spec.height as f64);
            let s = side as f64 / w.max(h);
            let base = View::at_dpi(&p, plan.spec.width, plan.spec.height, plan.spec.dpi);
            let view = View::new(
                ((w * s).round() as u32).max(1),
                ((h * s).round() as u32).max(1),
                Affine::scale(s) * base.transform,
            );
            render_image(&p, &view, &RenderOptions::with_threads(1))
        })
        .collect();

    let mut data = Vec::with_capacity(width as usize * height as usize * 4);
    for _ in 0..width as usize * height as usize {
        data.extend_from_slice(&[BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]);
    }
    let stride = width as usize * 4;
    for (i, t) in thumbs.into_iter().enumerate() {
        let t = t?;
        let (c, r) = (i as u32 % cols, i as u32 / cols);
        let x0 = pad + c * cell_w + (side - t.width()) / 2;
        let y0 = title_h + r * cell_h + (side - t.height()) / 2;
        for (y, row) in t.rows().enumerate() {
            let at = (y0 as usize + y) * stride + x0 as usize * 4;
            for (x, px) in row.enumerate() {
                let d = &mut data[at + x * 4..at + x * 4 + 4];
                // Composite over the sheet: thumbnails may be transparent.
                let a = px[3] as u32;
                for k in 0..3 {
                    d[k] = ((px[k] as u32 * a + d[k] as u32 * (255 - a) + 127) / 255) as u8;
                }
            }
        }
    }
    // The sheet is opaque, so its straight RGBA is also premultiplied.
    let mut pm = Pixmap::from_vec(
        data,
        tiny_skia::IntSize::from_wh(width, height)
            .ok_or_else(|| Error::Internal("contact sheet has no pixels".into()))?,
    )
    .ok_or_else(|| Error::Internal("contact sheet buffer".into()))?;
    let title = format!(
        "{} · {} · {} units · seed “{}”",
        plan.spec.name,
        plan.motif.title(),
        plan.spec.count,
        plan.spec.seed
    );
    draw_text(
        &mut pm,
        &title,
        pad as f64,
        (title_h as f64 * 0.68).round(),
        label * 1.2,
        INK,
    );
    for (i, u) in plan.units.iter().enumerate() {
        let (c, r) = (i as u32 % cols, i as u32 / cols);
        let text = plan.spec.number(u.number);
        let tw = text_width(&text, label);
        let x = (pad + c * cell_w) as f64 + (side as f64 - tw) / 2.0;
        let y = (title_h + r * cell_h + side) as f64 + pad as f64 / 2.0 + label * 0.85;
        draw_text(&mut pm, &text, x.round(), y.round(), label, INK);
    }
    let rgb: Vec<u8> = pm
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let mut w = enc
        .write_header()
        .map_err(|e| Error::Internal(format!("contact sheet PNG: {e}")))?;
    w.write_image_data(&rgb)
        .map_err(|e| Error::Internal(format!("contact sheet PNG: {e}")))?;
    w.finish()
        .map_err(|e| Error::Internal(format!("contact sheet PNG: {e}")))?;
    Ok(out)
}
