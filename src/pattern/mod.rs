//! From a motif and its parameters to an immutable, resolved [`Pattern`].
//!
//! Resolution happens once, before rendering: formulas are evaluated, shapes
//! become Bézier paths, strokes become filled outlines (kurbo's stroker, in f64),
//! the lattice's symmetry group is applied, duplicate images are removed, and
//! colours are looked up. The renderer and the exporters then only ever see
//! filled paths with a colour — one code path for raster and vector output, so
//! an SVG and a PNG of the same pattern cannot disagree about what is drawn.
//!
//! Rejected alternative: passing strokes to tiny-skia. Its stroker works in f32
//! device space, so a stroke drawn at a lattice translate would differ by float
//! rounding from the same stroke elsewhere, breaking exact repeats and the
//! strip-versus-whole equality the renderer guarantees.

pub mod along;
pub mod bands;
pub mod frieze;
pub mod isen;
pub mod lattice;
mod nest;
pub mod repeat;
pub mod resolve;
mod units;
pub mod wallpaper;

use std::sync::Arc;

use kurbo::{BezPath, Rect, Shape as _};

pub use frieze::FriezeGroup;
pub use lattice::Lattice;
pub use repeat::TextileRepeat;
pub use wallpaper::{LatticeKind, WallpaperGroup};

use crate::motif::palette::Colour;

/// How overlapping subpaths fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillRule {
    /// Non-zero winding.
    NonZero,
    /// Even-odd.
    EvenOdd,
}

/// One filled path of a pattern's period, in drawing units.
#[derive(Debug, Clone)]
pub struct Fill {
    /// The outline.
    pub path: BezPath,
    /// Bounding box of `path`.
    pub bbox: Rect,
    /// Index into [`Pattern::roles`].
    pub role: usize,
    /// Fill rule.
    pub rule: FillRule,
    /// Index into [`Pattern::clips`]: the fill is drawn only inside that
    /// region (and inside its ancestors).
    pub clip: Option<usize>,
}

impl Fill {
    /// A fill of `path` in `role`.
    pub fn new(path: BezPath, role: usize, rule: FillRule) -> Self {
        let bbox = path.bounding_box();
        Fill {
            path,
            bbox,
            role,
            rule,
            clip: None,
        }
    }
}

/// A clip region: a closed path (non-zero fill rule) in the same coordinates
/// as the fills that refer to it. A clip may itself be clipped by `parent`, so a
/// motif nested in a region of a motif that is laid in a half-drop tile is
/// clipped to both; renderers intersect the chain.
///
/// Clipped fills move with their clip: a fill drawn at a lattice translation is
/// clipped by its clip at that same translation.
#[derive(Debug, Clone)]
pub struct Clip {
    /// The region.
    pub path: BezPath,
    /// Bounding box of `path`.
    pub bbox: Rect,
    /// Index into [`Pattern::clips`] of an enclosing clip.
    pub parent: Option<usize>,
}

impl Clip {
    /// A clip to `path`, inside `parent`.
    pub fn new(path: BezPath, parent: Option<usize>) -> Self {
        let bbox = path.bounding_box();
        Clip { path, bbox, parent }
    }

    /// A clip to a rectangle.
    pub fn rect(r: Rect) -> Self {
        Clip::new(r.to_path(0.0), None)
    }

    /// The same clip moved by `t` (an isometry or translation), with parent `parent`.
    pub fn mapped(&self, t: kurbo::Affine, parent: Option<usize>) -> Self {
        let mut path = self.path.clone();
        path.apply_affine(t);
        Clip::new(path, parent)
    }
}

/// Consecutive fills of a pattern with one colour, rule and clip.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Colour of every fill in the run.
    pub colour: Colour,
    /// Fill rule of every fill in the run.
    pub rule: FillRule,
    /// Clip of every fill in the run.
    pub clip: Option<usize>,
    /// The fills.
    pub fills: &'a [Fill],
}

/// A resolved, immutable pattern: geometry, layout and colours.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The motif's name.
    pub motif: String,
    /// Physical length of one drawing unit, in mm.
    pub unit_mm: f64,
    /// Translation lattice, drawing units.
    pub lattice: Lattice,
    /// The contents of one period, bottom first.
    pub fills: Arc<Vec<Fill>>,
    /// Clip regions referenced by fills.
    pub clips: Vec<Clip>,
    /// A frieze (border): the pattern repeats along the lattice's first vector
    /// only, in the band `0 ≤ y ≤ lattice.b.y` of row zero; elsewhere the
    /// ground shows. See [`frieze`].
    pub frieze: bool,
    /// The mirror repeat of the tile `(0, 0)–(w, h)`: the other three quadrants
    /// of each `2w × 2h` period are its mirror images. A printer mirrors the
    /// tile's pixels, so where the tile is a whole number of pixels the
    /// rasteriser mirrors pixels too rather than drawing mirrored outlines
    /// (anti-aliasing is not mirror-symmetric). Set by
    /// [`TextileRepeat::Mirror`](repeat::TextileRepeat::Mirror).
    pub mirror_tile: Option<(f64, f64)>,
    /// Role names, indexed by [`Fill::role`].
    pub roles: Vec<String>,
    /// Colour of each role.
    pub colours: Vec<Colour>,
    /// The ground (background) colour.
    pub background: Colour,
    /// Union of all fills' bounding boxes.
    pub bbox: Rect,
}

impl Pattern {
    /// The physical repeat: the rectangular period in mm, if the lattice has one.
    pub fn repeat_mm(&self) -> Option<(f64, f64)> {
        self.lattice
            .rect_period()
            .map(|(w, h)| (w * self.unit_mm, h * self.unit_mm))
    }

    /// Number of fills per period.
    pub fn len(&self) -> usize {
        self.fills.len()
    }

    /// Whether a period draws nothing (a plain ground).
    pub fn is_empty(&self) -> bool {
        self.fills.is_empty()
    }

    /// The fills split into runs of consecutive fills sharing colour, rule and
    /// clip: the unit a vector exporter defines once and places per repeat
    /// (painting order matters only between runs, not inside one).
    pub fn runs(&self) -> impl Iterator<Item = Run<'_>> {
        let key = |f: &Fill| (self.colours[f.role], f.rule, f.clip);
        let mut rest: &[Fill] = &self.fills;
        std::iter::from_fn(move || {
            let first = rest.first()?;
            let k = key(first);
            let n = rest.iter().take_while(|f| key(f) == k).count();
            let (fills, tail) = rest.split_at(n);
            rest = tail;
            Some(Run {
                colour: k.0,
                rule: k.1,
                clip: k.2,
                fills,
            })
        })
    }

    /// Whether every pixel will be opaque.
    pub fn is_opaque(&self) -> bool {
        self.background.alpha == 255
    }

    /// The same pattern scaled so one drawing unit is `unit_mm` millimetres.
    pub fn with_unit_mm(mut self, unit_mm: f64) -> Self {
        self.unit_mm = unit_mm;
        self
    }
}

pub(crate) fn union_bbox(fills: &[Fill]) -> Rect {
    fills
        .iter()
        .map(|f| f.bbox)
        .reduce(|a, b| a.union(b))
        .unwrap_or(Rect::ZERO)
}
