//! Rendering one rectangular tile of the image.

use kurbo::{Rect, Vec2};
use tiny_skia::{FillRule, Mask, Pixmap, Transform};

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
///
/// Unclipped fills are painted fill-major: each fill at every lattice
/// translation, in drawing order. A run of consecutive fills sharing one clip is
/// painted translation-major instead — the whole run at one translation, inside
/// that translate of its clip, then the next translation — so one mask is
/// alive at a time whatever the number of translations, and overlapping
/// translates of a clipped group (the clouds of Mega Mendung) stack whole.
pub fn draw(scene: &Scene, origin: (i64, i64), pm: &mut Pixmap) {
    pm.fill(scene.background);
    let view = Rect::new(
        origin.0 as f64,
        origin.1 as f64,
        origin.0 as f64 + pm.width() as f64,
        origin.1 as f64 + pm.height() as f64,
    );
    let mut mask: Option<Mask> = None;
    let fills = &scene.fills;
    let mut i = 0;
    while i < fills.len() {
        let Some(clip) = fills[i].clip else {
            let f = &fills[i];
            let paint = Scene::paint(f);
            for (n, m) in scene.translations_meeting(f.bbox, view) {
                let t = scene.lattice.at(n, m);
                if let Some(path) = to_skia(&f.path, t, origin) {
                    pm.fill_path(&path, &paint, f.rule, Transform::identity(), None);
                }
            }
            i += 1;
            continue;
        };
        let mut j = i;
        let mut bbox = fills[i].bbox;
        while j < fills.len() && fills[j].clip == Some(clip) {
            bbox = bbox.union(fills[j].bbox);
            j += 1;
        }
        let run = &fills[i..j];
        let bbox = bbox.intersect(scene.clips[clip].bbox);
        for (n, m) in scene.translations_meeting(bbox, view) {
            let t = scene.lattice.at(n, m);
            let Some(mask) = clip_mask(scene, clip, t, origin, pm, &mut mask) else {
                continue;
            };
            for f in run {
                let b = f.bbox + t;
                if b.x1 < view.x0 || b.x0 > view.x1 || b.y1 < view.y0 || b.y0 > view.y1 {
                    continue;
                }
                if let Some(path) = to_skia(&f.path, t, origin) {
                    let paint = Scene::paint(f);
                    pm.fill_path(&path, &paint, f.rule, Transform::identity(), Some(mask));
                }
            }
        }
        i = j;
    }
}

/// The mask of clip `id` and its ancestors at translation `t`, drawn into the
/// reused `slot`; `None` when the clip is empty here.
fn clip_mask<'a>(
    scene: &Scene,
    id: usize,
    t: Vec2,
    origin: (i64, i64),
    pm: &Pixmap,
    slot: &'a mut Option<Mask>,
) -> Option<&'a Mask> {
    if slot
        .as_ref()
        .is_some_and(|m| m.width() != pm.width() || m.height() != pm.height())
    {
        *slot = None;
    }
    let mask = match slot {
        Some(m) => {
            m.clear();
            m
        }
        None => slot.insert(Mask::new(pm.width(), pm.height())?),
    };
    let mut c = Some(id);
    let mut first = true;
    while let Some(k) = c {
        let clip = &scene.clips[k];
        let path = to_skia(&clip.path, t, origin)?;
        if first {
            mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
            first = false;
        } else {
            mask.intersect_path(&path, FillRule::Winding, true, Transform::identity());
        }
        c = clip.parent;
    }
    Some(mask)
}
