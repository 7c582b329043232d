//! Work limits of one render, checked before any pixel is drawn.
//!
//! [`View::check`](super::View::check) bounds the image; this bounds the work
//! inside it, which also depends on the pattern at that scale. A motif whose
//! cell is a thousandth of a pixel would otherwise be drawn billions of times
//! in a small image, and a cell of kilometres would subdivide each outline
//! into billions of segments. Both estimates are upper bounds of the real
//! work (within a factor of about two), so legitimate jobs pass.

use kurbo::{PathSeg, Shape as _};

use super::device::{FLATTEN_TOLERANCE_PX, MARGIN_PX, MAX_SEGMENT_PX};
use super::{human_bytes, View, MAX_TILE_WIDTH, STRIP_ROWS};
use crate::error::UserError;
use crate::motif::params::trim_float;
use crate::pattern::Pattern;

/// Most shape draws (a fill at one lattice translation) a raster render may
/// make: about a 30 m² print at 300 dpi of a dense motif.
pub const MAX_DRAWS: f64 = 1e10;
/// Most path segments after flattening and splitting into device-space lines
/// (about 1 GB).
pub const MAX_SCENE_SEGMENTS: f64 = (1u64 << 24) as f64;
/// Most `<use>` placements in an SVG, which is built in memory.
pub const MAX_SVG_PLACEMENTS: f64 = 2e6;

/// What a render of `pattern` in `view` would cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JobCost {
    /// Device area of one lattice cell, px².
    pub cell_px2: f64,
    /// Upper bound of the shape draws of a raster render.
    pub draws: f64,
    /// Upper bound of the device-space path segments.
    pub segments: f64,
    /// Upper bound of an SVG's `<use>` placements.
    pub svg_placements: f64,
}

/// Estimates the work of rendering `pattern` in `view`.
pub fn cost(pattern: &Pattern, view: &View) -> JobCost {
    let c = view.transform.as_coeffs();
    let det = (c[0] * c[3] - c[1] * c[2]).abs();
    let scale = (c[0].hypot(c[1])).max(c[2].hypot(c[3]));
    let cell_px2 = pattern.lattice.cell_area() * det;
    // A fill meets a tile at most once per cell overlapping the tile grown by
    // the fill's extent; the union box bounds every fill's extent.
    let ext = pattern.bbox.width().max(pattern.bbox.height()).max(0.0) * scale;
    let (w, h) = (view.width as f64, view.height as f64);
    let cols = (w / MAX_TILE_WIDTH as f64).ceil().max(1.0);
    let rows = (h / STRIP_ROWS as f64).ceil().max(1.0);
    let grow = 2.0 * MARGIN_PX as f64 + ext;
    let tiles_area = (w + cols * grow) * (h + rows * grow);
    let per_fill = tiles_area / cell_px2 + cols * rows;
    let draws = pattern.fills.len() as f64 * per_fill;
    let segments = pattern
        .fills
        .iter()
        .flat_map(|f| f.path.segments())
        .map(|s| {
            // Lines are split every MAX_SEGMENT_PX; curves are first flattened
            // into about sqrt(size / tolerance) lines.
            let (b, curve) = match s {
                PathSeg::Line(l) => (l.bounding_box(), false),
                PathSeg::Quad(q) => (q.bounding_box(), true),
                PathSeg::Cubic(k) => (k.bounding_box(), true),
            };
            let px = b.width().max(b.height()) * scale;
            let flat = if curve {
                (px / FLATTEN_TOLERANCE_PX).sqrt()
            } else {
                0.0
            };
            1.0 + flat + 2.0 * px / MAX_SEGMENT_PX
        })
        .sum();
    let mut runs = 0usize;
    let mut last = None;
    for f in pattern.fills.iter() {
        let key = (pattern.colours[f.role], f.rule, f.clip);
        if last != Some(key) {
            runs += 1;
            last = Some(key);
        }
    }
    let svg_placements = runs as f64 * ((w + ext) * (h + ext) / cell_px2 + 1.0);
    JobCost {
        cell_px2,
        draws,
        segments,
        svg_placements,
    }
}

/// `lo < v <= hi`, false for NaN.
fn within(v: f64, lo: f64, hi: f64) -> bool {
    v > lo && v <= hi
}

fn advice(cost: &JobCost) -> String {
    format!(
        "one motif cell is {} px across at this size; lower the size, or raise --dpi or the repeat size",
        trim_float(cost.cell_px2.sqrt())
    )
}

/// Refuses a raster render whose work would be unbounded in practice.
pub fn check_raster(pattern: &Pattern, view: &View) -> Result<(), UserError> {
    let c = cost(pattern, view);
    if !within(c.cell_px2, 0.0, f64::MAX) || !within(c.draws, 0.0, MAX_DRAWS) {
        return Err(UserError::TooLarge(format!(
            "this render would draw shapes about {} times, more than the limit of {}: {}",
            trim_float(c.draws),
            trim_float(MAX_DRAWS),
            advice(&c)
        )));
    }
    if !within(c.segments, 0.0, MAX_SCENE_SEGMENTS) {
        return Err(UserError::TooLarge(format!(
            "the motif's outlines at this scale would need about {} segments ({} of memory), more than the limit of {}; lower --dpi or the repeat size",
            trim_float(c.segments.round()),
            human_bytes((c.segments * 56.0).min(u64::MAX as f64) as u64),
            trim_float(MAX_SCENE_SEGMENTS)
        )));
    }
    Ok(())
}

/// Refuses an SVG that would hold more placements than fit in memory.
pub fn check_svg(pattern: &Pattern, view: &View) -> Result<(), UserError> {
    let c = cost(pattern, view);
    if !within(c.cell_px2, 0.0, f64::MAX) || !within(c.svg_placements, 0.0, MAX_SVG_PLACEMENTS) {
        return Err(UserError::TooLarge(format!(
            "this SVG would place shapes about {} times, more than the limit of {}: {}",
            trim_float(c.svg_placements.round()),
            trim_float(MAX_SVG_PLACEMENTS),
            advice(&c)
        )));
    }
    Ok(())
}
