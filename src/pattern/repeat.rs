//! Textile repeats: how printers lay a rectangular tile of the pattern.
//!
//! A repeat is applied to a resolved pattern. The tile is the motif's smallest
//! rectangular period. Block keeps the motif's own lattice. Half-drop and brick
//! lay the tile's *generating shapes* (the fills of one rectangular period,
//! whole) on the dropped lattice, so a blossom that straddles the tile's edge
//! moves with its tile and is drawn whole: clipping the tile's content to its
//! rectangle and dropping that instead was rejected, as it cut every shape on
//! the dropped edge into a visible seam (regression test
//! `half_drop_and_brick_cut_no_shape_at_the_dropped_edge`). Mirror clips the
//! tile to its rectangle and mirrors it, as a printer's mirror repeat does:
//! a mirrored edge always continues.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use kurbo::{Affine, Rect, Shape as _, Vec2};

use super::{union_bbox, Clip, Fill, Lattice, Pattern};
use crate::error::UserError;

/// A textile repeat type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextileRepeat {
    /// Full drop: tiles side by side in a grid.
    #[default]
    Block,
    /// Every other column dropped by half a tile.
    HalfDrop,
    /// Every other row shifted by half a tile (half-brick).
    Brick,
    /// Tiles mirrored left-right and top-bottom in turn.
    Mirror,
}

impl TextileRepeat {
    /// All repeat types.
    pub const ALL: [TextileRepeat; 4] = [Self::Block, Self::HalfDrop, Self::Brick, Self::Mirror];

    /// How many tiles the period holds, across and down.
    pub fn tiles_per_period(self) -> (u32, u32) {
        match self {
            Self::Block => (1, 1),
            Self::HalfDrop => (2, 1),
            Self::Brick => (1, 2),
            Self::Mirror => (2, 2),
        }
    }

    /// Applies the repeat to `p`, whose lattice must have a rectangular period.
    pub fn apply(self, p: &Pattern) -> Result<Pattern, UserError> {
        let (w, h) = p.lattice.rect_period().ok_or_else(|| {
            UserError::invalid(
                "repeat",
                format!(
                    "motif '{}' has an oblique lattice with no rectangular tile",
                    p.motif
                ),
            )
        })?;
        let tile = Rect::new(0.0, 0.0, w, h);
        let rect_lattice = Lattice::rect(w, h);
        if self == Self::Block {
            return Ok(on_rect_lattice(p, rect_lattice));
        }
        if p.frieze {
            return Err(UserError::invalid(
                "repeat",
                format!(
                    "motif '{}' is a frieze (a border repeating along x only); only the block repeat applies",
                    p.motif
                ),
            ));
        }
        let dropped = match self {
            Self::HalfDrop => Some(Lattice {
                a: Vec2::new(w, h / 2.0),
                b: Vec2::new(0.0, h),
            }),
            Self::Brick => Some(Lattice {
                a: Vec2::new(w, 0.0),
                b: Vec2::new(w / 2.0, h),
            }),
            _ => None,
        };
        if let Some(lattice) = dropped {
            return Ok(Pattern {
                lattice,
                ..on_rect_lattice(p, rect_lattice)
            });
        }
        let mut clips = Vec::new();
        let mut fills = Vec::new();
        let placements: [(Affine, Rect); 4] = [
            (Affine::IDENTITY, tile),
            (
                Affine::new([-1.0, 0.0, 0.0, 1.0, 2.0 * w, 0.0]),
                tile + Vec2::new(w, 0.0),
            ),
            (
                Affine::new([1.0, 0.0, 0.0, -1.0, 0.0, 2.0 * h]),
                tile + Vec2::new(0.0, h),
            ),
            (
                Affine::new([-1.0, 0.0, 0.0, -1.0, 2.0 * w, 2.0 * h]),
                tile + Vec2::new(w, h),
            ),
        ];
        for (map, clip_rect) in placements {
            let clip = clips.len();
            clips.push(Clip::rect(clip_rect));
            fills.extend(tile_content(p, tile, clip, map, &mut clips));
        }
        let bbox = union_bbox(&fills);
        Ok(Pattern {
            lattice: Lattice::rect(2.0 * w, 2.0 * h),
            fills: Arc::new(fills),
            clips,
            bbox,
            mirror_tile: Some((w, h)),
            ..p.clone()
        })
    }
}

/// The same pattern on its rectangular sublattice: the fills repeated once for
/// each lattice point inside the rectangle (two for a hexagonal lattice).
pub fn on_rect_lattice(p: &Pattern, rect: Lattice) -> Pattern {
    let (w, h) = (rect.a.x, rect.b.y);
    let eps = 1e-9 * (w + h);
    let mut cosets = Vec::new();
    for n in -8i64..=8 {
        for m in -8i64..=8 {
            let t = p.lattice.at(n, m);
            if t.x > -eps && t.x < w - eps && t.y > -eps && t.y < h - eps {
                cosets.push(t);
            }
        }
    }
    if cosets.len() == 1 && cosets[0] == Vec2::ZERO {
        return Pattern {
            lattice: rect,
            ..p.clone()
        };
    }
    // Fill-major order, as the renderer paints: a layer never covers a later one.
    let mut fills = Vec::with_capacity(p.fills.len() * cosets.len());
    let mut clips = Vec::new();
    let mut copied = HashMap::new();
    for f in p.fills.iter() {
        for (k, &t) in cosets.iter().enumerate() {
            let mut g = f.clone();
            g.path.apply_affine(Affine::translate(t));
            g.bbox = f.bbox + t;
            g.clip = f
                .clip
                .map(|c| copy_clip(p, c, k, Affine::translate(t), None, &mut clips, &mut copied));
            fills.push(g);
        }
    }
    let bbox = union_bbox(&fills);
    Pattern {
        lattice: rect,
        fills: Arc::new(fills),
        clips,
        bbox,
        ..p.clone()
    }
}

/// Copies clip `c` of `p` (and its ancestors) under `map` into `out`, the root
/// of the chain placed inside `root`; `key` tells apart the copies made for
/// different placements. Returns the copy's index.
fn copy_clip(
    p: &Pattern,
    c: usize,
    key: usize,
    map: Affine,
    root: Option<usize>,
    out: &mut Vec<Clip>,
    copied: &mut HashMap<(usize, usize), usize>,
) -> usize {
    if let Some(&i) = copied.get(&(c, key)) {
        return i;
    }
    let parent = match p.clips[c].parent {
        Some(up) => Some(copy_clip(p, up, key, map, root, out, copied)),
        None => root,
    };
    out.push(p.clips[c].mapped(map, parent));
    copied.insert((c, key), out.len() - 1);
    out.len() - 1
}

/// The fills of `p` that meet `tile`, translated from neighbouring cells as
/// needed and placed by `map`, each clipped to clip `clip` (and to its own
/// clips, copied into `clips`).
fn tile_content(
    p: &Pattern,
    tile: Rect,
    clip: usize,
    map: Affine,
    clips: &mut Vec<Clip>,
) -> Vec<Fill> {
    let mut out = Vec::new();
    let clip_rect = clips[clip].bbox;
    let translations = p.lattice.translations_meeting(p.bbox, tile);
    let mut copied = HashMap::new();
    for f in p.fills.iter() {
        for (k, &(n, m)) in translations.iter().enumerate() {
            let t = p.lattice.at(n, m);
            let b = f.bbox + t;
            if b.x1 <= tile.x0 || b.x0 >= tile.x1 || b.y1 <= tile.y0 || b.y0 >= tile.y1 {
                continue;
            }
            let place = map * Affine::translate(t);
            let mut g = f.clone();
            g.path.apply_affine(place);
            g.bbox = g.path.bounding_box().intersect(clip_rect);
            g.clip = Some(match f.clip {
                None => clip,
                Some(c) => copy_clip(p, c, k, place, Some(clip), clips, &mut copied),
            });
            out.push(g);
        }
    }
    out
}

impl FromStr for TextileRepeat {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        match s {
            "block" | "full-drop" => Ok(Self::Block),
            "half-drop" => Ok(Self::HalfDrop),
            "brick" | "half-brick" => Ok(Self::Brick),
            "mirror" => Ok(Self::Mirror),
            _ => Err(UserError::unknown(
                "repeat",
                s,
                ["block", "half-drop", "brick", "mirror"],
            )),
        }
    }
}

impl fmt::Display for TextileRepeat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Block => "block",
            Self::HalfDrop => "half-drop",
            Self::Brick => "brick",
            Self::Mirror => "mirror",
        })
    }
}
