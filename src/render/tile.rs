//! Rendering one rectangular tile of the image.

use std::collections::HashMap;

use kurbo::Rect;
use tiny_skia::{Mask, PathBuilder, Pixmap, Transform};

use super::device::{to_skia, Scene, MARGIN_PX};

/// A pixel rectangle of the output image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    /// Left.
    pub x: i64,
    /// Top.
    pub y: i64,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// Renders `r` with a margin of [`MARGIN_PX`] into `pixmap` (resized as needed)
/// and returns the pixmap; the wanted area starts at `(MARGIN_PX, MARGIN_PX)`.
pub fn render_with_margin(scene: &Scene, r: PixelRect, pixmap: &mut Option<Pixmap>) -> Option<()> {
    let (pw, ph) = (r.w + 2 * MARGIN_PX as u32, r.h + 2 * MARGIN_PX as u32);
    let pm = match pixmap {
        Some(p) if p.width() == pw && p.height() == ph => p,
        _ => pixmap.insert(Pixmap::new(pw, ph)?),
    };
    draw(scene, (r.x - MARGIN_PX, r.y - MARGIN_PX), pm);
    Some(())
}

/// Draws the whole scene into `pm`, whose top-left pixel is image pixel `origin`.
pub fn draw(scene: &Scene, origin: (i64, i64), pm: &mut Pixmap) {
    pm.fill(scene.background);
    let view = Rect::new(
        origin.0 as f64,
        origin.1 as f64,
        origin.0 as f64 + pm.width() as f64,
        origin.1 as f64 + pm.height() as f64,
    );
    let mut masks: HashMap<(usize, i64, i64), Option<Mask>> = HashMap::new();
    for f in &scene.fills {
        let paint = Scene::paint(f);
        for (n, m) in scene.lattice.translations_meeting(f.bbox, view) {
            let t = scene.lattice.at(n, m);
            let Some(path) = to_skia(&f.path, t, origin) else {
                continue;
            };
            let mask = match f.clip {
                None => None,
                Some((id, rect)) => {
                    let entry = masks
                        .entry((id, n, m))
                        .or_insert_with(|| clip_mask(rect + t, origin, pm.width(), pm.height()));
                    match entry {
                        Some(mask) => Some(&*mask),
                        None => continue,
                    }
                }
            };
            pm.fill_path(&path, &paint, f.rule, Transform::identity(), mask);
        }
    }
}

fn clip_mask(rect: Rect, origin: (i64, i64), w: u32, h: u32) -> Option<Mask> {
    let r = tiny_skia::Rect::from_ltrb(
        (rect.x0 - origin.0 as f64) as f32,
        (rect.y0 - origin.1 as f64) as f32,
        (rect.x1 - origin.0 as f64) as f32,
        (rect.y1 - origin.1 as f64) as f32,
    )?;
    let mut mask = Mask::new(w, h)?;
    mask.fill_path(
        &PathBuilder::from_rect(r),
        tiny_skia::FillRule::Winding,
        true,
        Transform::identity(),
    );
    Some(mask)
}
