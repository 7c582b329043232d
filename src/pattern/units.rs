//! Units: what one layer draws, grouped so that symmetry moves clipped content
//! together with its clip.
//!
//! An unclipped shape is a unit of its own (one path, one paint), so symmetry
//! images of a shape that maps to itself are removed exactly as before. A
//! clipped group — a layer's `clip` with everything drawn in it, or a shape's
//! colour bands — is one unit, identified by its clip regions: a host shape
//! that maps to itself under a mirror keeps one filler, not two mirrored ones.

use std::collections::HashSet;

use kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape as _, Stroke, StrokeOpts, Vec2};

use super::{resolve::TOLERANCE, Clip, Fill, FillRule};

/// How an item is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Paint {
    /// Filled in a role.
    Fill(usize, FillRule),
    /// Stroked (after symmetry, so images stay exact) in a role, with a width.
    Stroke(usize, f64),
}

/// A path with its paint and, optionally, a clip of the unit.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub path: BezPath,
    pub paint: Paint,
    /// Index into [`Unit::clips`].
    pub clip: Option<usize>,
}

/// A clip of a unit, inside another of the unit's clips (or the unit's root).
#[derive(Debug, Clone)]
pub(crate) struct LocalClip {
    pub path: BezPath,
    pub parent: Option<usize>,
}

/// Paths that move together.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unit {
    pub clips: Vec<LocalClip>,
    pub items: Vec<Item>,
}

impl Unit {
    /// A single unclipped path.
    pub fn plain(path: BezPath, paint: Paint) -> Self {
        Unit {
            clips: Vec::new(),
            items: vec![Item {
                path,
                paint,
                clip: None,
            }],
        }
    }

    /// The unit under `a`.
    pub fn transformed(&self, a: Affine) -> Self {
        let mut u = self.clone();
        for c in &mut u.clips {
            c.path.apply_affine(a);
        }
        for i in &mut u.items {
            i.path.apply_affine(a);
        }
        u
    }

    /// Where the unit is, for reducing it into the cell: its first clip's
    /// centre, else the centre of its paths.
    pub fn anchor(&self) -> Point {
        if let Some(c) = self.clips.first() {
            return c.path.bounding_box().center();
        }
        self.items
            .iter()
            .map(|i| i.path.bounding_box())
            .reduce(|a, b| a.union(b))
            .unwrap_or(Rect::ZERO)
            .center()
    }

    fn key(&self) -> Vec<(i64, i64)> {
        let mut k = Vec::new();
        if self.clips.is_empty() {
            for i in &self.items {
                k.push((matches!(i.paint, Paint::Stroke(..)) as i64, -1));
                k.extend(canonical_key(&i.path));
            }
        } else {
            for c in &self.clips {
                k.push((2, -1));
                k.extend(canonical_key(&c.path));
            }
        }
        k
    }
}

/// The images of `units` under `ops`, without duplicates: an image that
/// `reduce` brings onto an earlier one (a shape mapped onto itself, or onto a
/// lattice translate of itself) is drawn once.
///
/// An image stays where the op put it, not where `reduce` would bring it:
/// the petals of a blossom drawn around a cell corner stay together around
/// that corner. The block repeat cannot tell, but half-drop and brick lay the
/// cell's shapes on a dropped lattice, where a petal moved a cell away ends up
/// beside another blossom (regression test
/// `half_drop_and_brick_cut_no_shape_at_the_dropped_edge`).
pub(crate) fn images(units: &[Unit], ops: &[Affine], reduce: &dyn Fn(Point) -> Vec2) -> Vec<Unit> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for u in units {
        for op in ops {
            let img = u.transformed(*op);
            let home = img.transformed(Affine::translate(reduce(img.anchor())));
            if seen.insert(home.key()) {
                out.push(img);
            }
        }
    }
    out
}

/// Appends `unit` to `fills` and `clips`, its root clips placed inside `root`.
pub(crate) fn emit(unit: Unit, root: Option<usize>, fills: &mut Vec<Fill>, clips: &mut Vec<Clip>) {
    let base = clips.len();
    for c in unit.clips {
        clips.push(Clip::new(c.path, c.parent.map(|p| p + base).or(root)));
    }
    for i in unit.items {
        let clip = i.clip.map(|c| c + base).or(root);
        let mut f = match i.paint {
            Paint::Fill(role, rule) => Fill::new(i.path, role, rule),
            Paint::Stroke(role, w) => Fill::new(
                kurbo::stroke(
                    i.path.iter(),
                    &Stroke::new(w),
                    &StrokeOpts::default(),
                    TOLERANCE,
                ),
                role,
                FillRule::NonZero,
            ),
        };
        f.clip = clip;
        fills.push(f);
    }
}

/// A key equal for two paths with the same points in any order or direction
/// (how a symmetric shape looks after the operation that maps it to itself).
pub(crate) fn canonical_key(p: &BezPath) -> Vec<(i64, i64)> {
    let q = |v: f64| (v * 1e6).round() as i64;
    let mut pts: Vec<(i64, i64)> = Vec::new();
    for el in p.elements() {
        match *el {
            PathEl::MoveTo(a) | PathEl::LineTo(a) => pts.push((q(a.x), q(a.y))),
            PathEl::QuadTo(a, b) => pts.extend([(q(a.x), q(a.y)), (q(b.x), q(b.y))]),
            PathEl::CurveTo(a, b, c) => {
                pts.extend([(q(a.x), q(a.y)), (q(b.x), q(b.y)), (q(c.x), q(c.y))])
            }
            PathEl::ClosePath => {}
        }
    }
    pts.sort_unstable();
    pts.dedup();
    pts
}
