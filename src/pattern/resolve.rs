//! Resolving a motif with parameter values and colours into a [`Pattern`].

use std::sync::Arc;

use kurbo::{Affine, Arc as KArc, BezPath, PathEl, Point, Rect, Shape as _, Vec2};

use super::along::{self, Mark};
use super::isen::{self, Isen};
use super::units::{self, Item, LocalClip, Paint, Unit};
use super::{
    bands, nest, union_bbox, Clip, Fill, FillRule, FriezeGroup, Lattice, LatticeKind, Pattern,
    WallpaperGroup,
};
use crate::error::UserError;
use crate::geom::{regular_polygon, star, Shape};
use crate::motif::expr::{Expr, Scope};
use crate::motif::format::{ClipSpec, Layer, ShapeSpec};
use crate::motif::palette::{parse_colour, Colour, Palette};
use crate::motif::params::trim_float;
use crate::motif::registry::Library;
use crate::motif::{Condition, Motif, ParamValues, Value};

/// Most fills one period may hold after symmetry; beyond it a motif is refused
/// (a runaway `copies` or formula, not a design).
pub const MAX_FILLS_PER_CELL: usize = 200_000;
/// Most rotational copies of one shape.
pub const MAX_COPIES: usize = 10_000;
/// Most path segments one period may hold (about 110 MB of outlines); a
/// 1000-sided polygon copied 10,000 times is a mistake, not a design.
pub const MAX_SEGMENTS_PER_CELL: usize = 2_000_000;
/// Widest a shape (or stroke) may be, in cell diagonals: shapes may overlap
/// their neighbours, but one spanning thousands of cells would be drawn
/// thousands of times in every tile.
pub const MAX_SHAPE_CELLS: f64 = 16.0;
/// Most a cell's sides may differ in length (a needle-thin cell repeats
/// millions of times across a small image).
pub const MAX_CELL_ASPECT: f64 = 1000.0;
/// Smallest and largest physical cell side, in mm (0.01 mm to 10 m).
pub const CELL_MM_RANGE: (f64, f64) = (0.01, 10_000.0);
/// Flattening/approximation tolerance, in drawing units (1/100000 of a repeat).
pub const TOLERANCE: f64 = 1e-5;

/// Geometry without colours: what a motif draws with these values.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// mm per drawing unit.
    pub unit_mm: f64,
    /// Lattice.
    pub lattice: Lattice,
    /// Whether the pattern is a frieze (repeats along x only).
    pub frieze: bool,
    /// Fills of one period.
    pub fills: Vec<Fill>,
    /// Clip regions referenced by fills.
    pub clips: Vec<Clip>,
    /// Role names indexed by `Fill::role`: the motif's roles, sorted, then
    /// those of nested motifs (`kawung.petal`).
    pub roles: Vec<String>,
    /// How each role is coloured.
    pub role_specs: Vec<RoleSpec>,
}

/// How a role is coloured: a palette reference (`slot`, `slot|fallback` or
/// `#RRGGBB`), in the render's palette or in a named one.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleSpec {
    /// The reference.
    pub spec: String,
    /// Palette to look it up in. Default: the render's.
    pub palette: Option<String>,
}

/// Checks that `motif` resolves with `values` (used when loading a motif).
pub fn check_geometry(motif: &Motif, values: &ParamValues) -> Result<(), UserError> {
    geometry(motif, values).map(|_| ())
}

fn err(what: &str, why: impl std::fmt::Display) -> UserError {
    UserError::MotifFile {
        file: String::new(),
        message: format!("{what}: {why}"),
    }
}

fn eval(e: &Expr, scope: &dyn Scope, what: &str) -> Result<f64, UserError> {
    e.eval(scope).map_err(|x| err(what, x))
}

fn eval_pt(p: &[Expr; 2], scope: &dyn Scope, what: &str) -> Result<Point, UserError> {
    Ok(Point::new(
        eval(&p[0], scope, what)?,
        eval(&p[1], scope, what)?,
    ))
}

/// Resolves geometry for `values`.
pub fn geometry(motif: &Motif, values: &ParamValues) -> Result<Geometry, UserError> {
    geometry_in(motif, values, &mut vec![motif.name().to_string()])
}

/// [`geometry`] for a motif nested in the motifs named in `stack`.
pub(crate) fn geometry_in(
    motif: &Motif,
    values: &ParamValues,
    stack: &mut Vec<String>,
) -> Result<Geometry, UserError> {
    let f = motif.file();
    let l = &f.lattice;
    let unit_mm = eval(&l.unit, values, "lattice.unit")?;
    if unit_mm <= 0.0 {
        return Err(err(
            "lattice.unit",
            format!("must be a positive length in mm, got {unit_mm}"),
        ));
    }
    let num =
        |e: &Option<Expr>, d: f64, what: &str| e.as_ref().map_or(Ok(d), |e| eval(e, values, what));
    let width = num(&l.width, 1.0, "lattice.width")?;
    let height = num(&l.height, 1.0, "lattice.height")?;
    let angle = num(&l.angle, 90.0, "lattice.angle")?;
    if width <= 0.0 || height <= 0.0 {
        return Err(err("lattice", format!("cell size {width} × {height} must be positive (a zero-size cell would repeat forever)")));
    }
    let frieze = l.kind == "frieze";
    let (lattice, ops) = if frieze {
        let group: FriezeGroup = l
            .group
            .as_deref()
            .unwrap_or("p111")
            .parse()
            .map_err(|e| err("lattice.group", e))?;
        (Lattice::rect(width, height), group.ops(width, height))
    } else {
        let kind: LatticeKind = l.kind.parse().map_err(|e: String| {
            err("lattice.kind", e.replace("or oblique", "oblique or frieze"))
        })?;
        let group: WallpaperGroup = l
            .group
            .as_deref()
            .unwrap_or("p1")
            .parse()
            .map_err(|e| err("lattice.group", e))?;
        if !group.fits(kind) {
            return Err(err(
                "lattice.group",
                format!("{group} cannot live on a {} lattice", l.kind),
            ));
        }
        let lattice = match kind {
            LatticeKind::Square => Lattice::rect(width, width),
            LatticeKind::Rectangular => Lattice::rect(width, height),
            LatticeKind::Hexagonal => Lattice {
                a: Vec2::new(width, 0.0),
                b: Vec2::new(-width / 2.0, width * 3f64.sqrt() / 2.0),
            },
            LatticeKind::Oblique => {
                if !(1.0..=179.0).contains(&angle) {
                    return Err(err(
                        "lattice.angle",
                        format!("{angle}° must be between 1 and 179"),
                    ));
                }
                Lattice {
                    a: Vec2::new(width, 0.0),
                    b: height * Vec2::from_angle(angle.to_radians()),
                }
            }
        };
        (lattice, group.ops(&lattice))
    };
    let reach = check_cell(&lattice, unit_mm)?;
    // A frieze reduces along x only: its band does not repeat vertically.
    let reduce = |c: Point| -> Vec2 {
        let t = lattice.reduce(c);
        if frieze {
            Vec2::new(t.x, 0.0)
        } else {
            t
        }
    };
    let mut roles = Roles {
        names: f.colors.roles.keys().cloned().collect(),
        specs: f
            .colors
            .roles
            .values()
            .map(|s| RoleSpec {
                spec: s.clone(),
                palette: None,
            })
            .collect(),
    };
    let mut fills = Vec::new();
    let mut clips = Vec::new();
    let mut segments = 0usize;
    for (i, layer) in f.layers.iter().enumerate() {
        let lname = layer
            .name
            .clone()
            .unwrap_or_else(|| format!("layer {}", i + 1));
        if !layer_enabled(layer, values, &lname)? {
            continue;
        }
        let ctx = LayerCtx {
            motif,
            values,
            lname: &lname,
            unit_mm,
        };
        let units = layer_units(&ctx, layer, &mut roles, stack)?;
        let ops_here: &[Affine] = if layer.symmetry.unwrap_or(true) {
            &ops
        } else {
            &[Affine::IDENTITY]
        };
        let before = fills.len();
        for u in units::images(&units, ops_here, &reduce) {
            units::emit(u, None, &mut fills, &mut clips);
        }
        check_fills(&fills[before..], reach, &mut segments, &lname)?;
        if fills.len() > MAX_FILLS_PER_CELL {
            return Err(err(
                &lname,
                format!(
                    "the motif draws more than {MAX_FILLS_PER_CELL} shapes per cell, the limit"
                ),
            ));
        }
    }
    Ok(Geometry {
        unit_mm,
        lattice,
        frieze,
        fills,
        clips,
        roles: roles.names,
        role_specs: roles.specs,
    })
}

/// What a layer's shapes need to know.
pub(crate) struct LayerCtx<'a> {
    pub motif: &'a Motif,
    pub values: &'a ParamValues,
    pub lname: &'a str,
    pub unit_mm: f64,
}

/// Colour roles of a geometry: the motif's own, then those of nested motifs.
#[derive(Debug, Clone)]
pub(crate) struct Roles {
    pub names: Vec<String>,
    pub specs: Vec<RoleSpec>,
}

impl Roles {
    fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|x| x == name)
            .expect("roles checked at load")
    }

    /// The index of role `name` coloured by `spec`, added if new (renamed
    /// `name~2`, … when the name is taken by another colouring).
    pub fn find_or_add(&mut self, name: &str, spec: RoleSpec) -> usize {
        let mut candidate = name.to_string();
        for n in 2.. {
            match self.names.iter().position(|x| *x == candidate) {
                Some(i) if self.specs[i] == spec => return i,
                Some(_) => candidate = format!("{name}~{n}"),
                None => break,
            }
        }
        self.names.push(candidate);
        self.specs.push(spec);
        self.names.len() - 1
    }
}

/// What a layer draws, before symmetry, as units (see [`units`]).
fn layer_units(
    ctx: &LayerCtx,
    layer: &Layer,
    roles: &mut Roles,
    stack: &mut Vec<String>,
) -> Result<Vec<Unit>, UserError> {
    let (values, lname) = (ctx.values, ctx.lname);
    let rule = match layer.fill_rule.as_deref() {
        None | Some("nonzero") => FillRule::NonZero,
        Some("evenodd") => FillRule::EvenOdd,
        Some(x) => {
            return Err(err(
                lname,
                format!("fill_rule '{x}' must be nonzero or evenodd"),
            ))
        }
    };
    let fill = layer.fill.as_deref().map(|r| roles.index(r));
    let stroke = match &layer.stroke {
        None => None,
        Some(r) => {
            let w = layer.stroke_width.as_ref().map_or(Ok(0.01), |e| {
                eval(e, values, &format!("{lname}.stroke_width"))
            })?;
            if w <= 0.0 {
                return Err(err(lname, format!("stroke_width {w} must be positive")));
            }
            Some((roles.index(r), w))
        }
    };
    let region = match &layer.clip {
        None => None,
        Some(ClipSpec::Shapes(v)) => {
            Some(union(shapes_paths(v, values, &format!("{lname}, clip"))?))
        }
        Some(ClipSpec::Layer(name)) => {
            let src = ctx
                .motif
                .file()
                .layers
                .iter()
                .find(|l| l.name.as_deref() == Some(name.as_str()))
                .ok_or_else(|| err(lname, format!("clip names no layer called '{name}'")))?;
            Some(union(shapes_paths(
                &src.shapes,
                values,
                &format!("{lname}, clip"),
            )?))
        }
    };
    let mut shapes = Vec::new();
    let mut marks = Vec::new();
    let mut extra = Unit::default();
    if let Some(r) = &region {
        extra.clips.push(LocalClip {
            path: r.clone(),
            parent: None,
        });
    }
    let root = region.as_ref().map(|_| 0);
    for (j, s) in layer.shapes.iter().enumerate() {
        let what = format!("{lname}, shape {} ({})", j + 1, s.kind);
        let need_region = || {
            region.as_ref().ok_or_else(|| {
                err(
                    &what,
                    "fills a region: give the layer a `clip` (the shapes to fill)",
                )
            })
        };
        match s.kind.as_str() {
            "along" => marks.extend(along_marks(s, values, &what)?),
            "isen" => {
                let host = need_region()?;
                let role = fill.ok_or_else(|| err(&what, "isen needs the layer's `fill` role"))?;
                let filler = isen_spec(s, values, &what)?
                    .fill(host)
                    .map_err(|e| err(&what, e))?;
                let clip = if filler.clipped { root } else { None };
                extra
                    .items
                    .extend(filler.paths.into_iter().map(|path| Item {
                        path,
                        paint: Paint::Fill(role, rule),
                        clip,
                    }));
            }
            "motif" => {
                let host = need_region()?;
                let nested = nest::fill_region(ctx, s, host, roles, stack, &what)?;
                let base = extra.clips.len();
                extra
                    .clips
                    .extend(nested.clips.into_iter().map(|c| LocalClip {
                        path: c.path,
                        parent: Some(c.parent.map_or(0, |p| p + base)),
                    }));
                extra.items.extend(nested.items.into_iter().map(|i| Item {
                    clip: Some(i.clip.map_or(0, |c| c + base)),
                    ..i
                }));
            }
            _ => shapes.extend(shape_paths(s, values, &what)?),
        }
    }
    if !marks.is_empty() && fill.is_none() && stroke.is_none() {
        return Err(err(lname, "`along` marks need the layer's `fill` role"));
    }
    let bands = match &layer.bands {
        None => None,
        Some(b) => {
            let count = eval(&b.count, values, &format!("{lname}.bands.count"))?;
            let width = eval(&b.width, values, &format!("{lname}.bands.width"))?;
            if count < 1.0 || count > b.roles.len() as f64 || count.fract() != 0.0 {
                return Err(err(
                    lname,
                    format!(
                        "bands.count = {count} must be a whole number from 1 to {} (the number of roles)",
                        b.roles.len()
                    ),
                ));
            }
            if width <= 0.0 {
                return Err(err(
                    lname,
                    format!("bands.width = {width} must be positive"),
                ));
            }
            let ids: Vec<usize> = b.roles.iter().map(|r| roles.index(r)).collect();
            Some((count as usize, width, ids))
        }
    };
    let mut units = Vec::new();
    if let Some((count, width, ids)) = &bands {
        for p in &shapes {
            let mut u = Unit::default();
            if let Some(r) = &region {
                u.clips.push(LocalClip {
                    path: r.clone(),
                    parent: None,
                });
            }
            u.clips.push(LocalClip {
                path: p.clone(),
                parent: root,
            });
            let own = u.clips.len() - 1;
            let role = |k: usize| ids[bands::role_of_band(k, *count, ids.len())];
            u.items.push(Item {
                path: p.clone(),
                paint: Paint::Fill(role(count - 1), rule),
                clip: root,
            });
            for k in (1..*count).rev() {
                u.items.push(Item {
                    path: bands::within(p, k as f64 * width),
                    paint: Paint::Fill(role(k - 1), FillRule::NonZero),
                    clip: Some(own),
                });
            }
            if let Some((r, w)) = stroke {
                u.items.push(Item {
                    path: p.clone(),
                    paint: Paint::Stroke(r, w),
                    clip: root,
                });
            }
            units.push(u);
        }
        shapes.clear();
    }
    let drawn: Vec<BezPath> = shapes.into_iter().chain(marks).collect();
    if region.is_none() {
        for p in &drawn {
            if let Some(r) = fill {
                units.push(Unit::plain(p.clone(), Paint::Fill(r, rule)));
            }
        }
        for p in drawn {
            if let Some((r, w)) = stroke {
                units.push(Unit::plain(p, Paint::Stroke(r, w)));
            }
        }
        return Ok(units);
    }
    let mut u = extra;
    if let Some(r) = fill {
        u.items.extend(drawn.iter().map(|p| Item {
            path: p.clone(),
            paint: Paint::Fill(r, rule),
            clip: root,
        }));
    }
    if let Some((r, w)) = stroke {
        u.items.extend(drawn.into_iter().map(|p| Item {
            path: p,
            paint: Paint::Stroke(r, w),
            clip: root,
        }));
    }
    if !u.items.is_empty() {
        units.insert(0, u);
    }
    Ok(units)
}

/// Paths drawn one after another form one region (non-zero).
fn union(paths: Vec<BezPath>) -> BezPath {
    let mut out = BezPath::new();
    for p in paths {
        out.extend(p);
    }
    out
}

fn shapes_paths(
    shapes: &[ShapeSpec],
    values: &ParamValues,
    what: &str,
) -> Result<Vec<BezPath>, UserError> {
    let mut out = Vec::new();
    for (j, s) in shapes.iter().enumerate() {
        out.extend(shape_paths(
            s,
            values,
            &format!("{what} {} ({})", j + 1, s.kind),
        )?);
    }
    Ok(out)
}

fn isen_spec(s: &ShapeSpec, values: &ParamValues, what: &str) -> Result<Isen, UserError> {
    let kind = s.isen.clone().ok_or_else(|| {
        err(
            what,
            format!("needs `isen` (one of {})", isen::KINDS.join(", ")),
        )
    })?;
    let get = |o: &Option<Expr>, field: &str| -> Result<Option<f64>, UserError> {
        o.as_ref()
            .map(|e| eval(e, values, &format!("{what}.{field}")))
            .transpose()
    };
    let spacing = get(&s.spacing, "spacing")?.ok_or_else(|| err(what, "needs `spacing`"))?;
    let size = get(&s.size, "size")?.unwrap_or(spacing / 8.0);
    let (dw, drot) = Isen::defaults(&kind, size, spacing);
    Ok(Isen {
        width: get(&s.width, "width")?.unwrap_or(dw),
        rotate: get(&s.rotate, "rotate")?.unwrap_or(drot),
        margin: get(&s.margin, "margin")?.unwrap_or(size / 2.0),
        kind,
        spacing,
        size,
    })
}

fn along_marks(s: &ShapeSpec, values: &ParamValues, what: &str) -> Result<Vec<BezPath>, UserError> {
    let guide = s
        .guide
        .as_deref()
        .ok_or_else(|| err(what, "needs a `guide` shape (the path to follow)"))?;
    let paths = shape_paths(guide, values, &format!("{what}, guide"))?;
    let get = |o: &Option<Expr>, field: &str, d: Option<f64>| -> Result<f64, UserError> {
        match o {
            Some(e) => eval(e, values, &format!("{what}.{field}")),
            None => d.ok_or_else(|| err(what, format!("needs `{field}`"))),
        }
    };
    let spacing = get(&s.spacing, "spacing", None)?;
    let size = get(&s.size, "size", None)?;
    let offset = get(&s.offset, "offset", Some(0.0))?;
    let mark = match s.mark.as_deref().unwrap_or("dot") {
        "dot" => Mark::Dot,
        "square" => Mark::Square,
        "dash" => Mark::Dash(get(&s.length, "length", Some(3.0 * size))?),
        other => {
            return Err(err(
                what,
                UserError::unknown("mark", other, ["dot", "square", "dash"]),
            ))
        }
    };
    let mut out = Vec::new();
    for p in &paths {
        out.extend(along::along(p, spacing, size, mark, offset).map_err(|e| err(what, e))?);
    }
    Ok(out)
}

/// Checks the cell is neither needle-thin nor absurdly small or large, and
/// returns the widest a shape may be, in drawing units.
fn check_cell(lattice: &Lattice, unit_mm: f64) -> Result<f64, UserError> {
    let (la, lb) = (lattice.a.hypot(), lattice.b.hypot());
    if la.max(lb) > MAX_CELL_ASPECT * la.min(lb) {
        return Err(err(
            "lattice",
            format!(
                "cell sides {} and {} differ more than {MAX_CELL_ASPECT} times, the limit",
                trim_float(la),
                trim_float(lb)
            ),
        ));
    }
    let cell_mm = la.max(lb) * unit_mm;
    if !(CELL_MM_RANGE.0..=CELL_MM_RANGE.1).contains(&cell_mm) {
        return Err(err(
            "lattice",
            format!(
                "a cell {} mm across is outside the limits {} mm to {} m",
                trim_float(cell_mm),
                CELL_MM_RANGE.0,
                CELL_MM_RANGE.1 / 1000.0
            ),
        ));
    }
    Ok(MAX_SHAPE_CELLS * (la + lb))
}

/// Checks new fills are finite, at most `reach` wide, and keeps the period's
/// segment count under [`MAX_SEGMENTS_PER_CELL`].
fn check_fills(
    fills: &[Fill],
    reach: f64,
    segments: &mut usize,
    what: &str,
) -> Result<(), UserError> {
    for f in fills {
        if f.path
            .elements()
            .iter()
            .any(|el| el_points(el).any(|q| !q.x.is_finite() || !q.y.is_finite()))
        {
            return Err(err(what, "coordinates are not finite numbers"));
        }
        let b = f.path.bounding_box();
        if !(b.width() <= reach && b.height() <= reach) {
            return Err(err(
                what,
                format!(
                    "a shape is {} × {} units, larger than {MAX_SHAPE_CELLS} cell diagonals ({}), the limit",
                    trim_float(b.width()),
                    trim_float(b.height()),
                    trim_float(reach)
                ),
            ));
        }
        *segments += f.path.elements().len();
        if *segments > MAX_SEGMENTS_PER_CELL {
            return Err(err(
                what,
                format!(
                    "the motif's outlines have more than {MAX_SEGMENTS_PER_CELL} segments per cell, the limit"
                ),
            ));
        }
    }
    Ok(())
}

fn shape_paths(s: &ShapeSpec, values: &ParamValues, what: &str) -> Result<Vec<BezPath>, UserError> {
    let mut out = Vec::new();
    let base = shape_path(s, values, what)?;
    let copies = s
        .copies
        .as_ref()
        .map_or(Ok(1.0), |e| eval(e, values, what))?;
    if copies < 1.0 || copies > MAX_COPIES as f64 || copies.fract() != 0.0 {
        return Err(err(
            what,
            format!("copies = {copies} must be a whole number from 1 to {MAX_COPIES}"),
        ));
    }
    if base.elements().len() as f64 * copies > MAX_SEGMENTS_PER_CELL as f64 {
        return Err(err(
            what,
            format!(
                "the motif's outlines have more than {MAX_SEGMENTS_PER_CELL} segments per cell, the limit"
            ),
        ));
    }
    let about = s
        .copy_about
        .as_ref()
        .map_or(Ok(Point::ORIGIN), |p| eval_pt(p, values, what))?;
    for k in 0..copies as usize {
        let mut p = base.clone();
        let a = std::f64::consts::TAU * k as f64 / copies;
        p.apply_affine(Affine::rotate_about(a, about));
        out.push(p);
    }
    Ok(out)
}

fn layer_enabled(layer: &Layer, values: &ParamValues, lname: &str) -> Result<bool, UserError> {
    Ok(match layer.when.as_deref().map(Condition::parse) {
        None => true,
        Some(Condition::Choice {
            param,
            choice,
            equal,
        }) => match values.get(&param) {
            Some(Value::Choice { name, .. }) => (name == &choice) == equal,
            _ => {
                return Err(err(
                    lname,
                    format!("when: '{param}' is not a choice parameter"),
                ))
            }
        },
        Some(Condition::Formula(e)) => eval(&e, values, &format!("{lname}.when"))? != 0.0,
    })
}

fn shape_path(s: &ShapeSpec, sc: &ParamValues, what: &str) -> Result<BezPath, UserError> {
    let need = |o: &Option<Expr>, field: &str| -> Result<f64, UserError> {
        let e = o
            .as_ref()
            .ok_or_else(|| err(what, format!("needs `{field}`")))?;
        eval(e, sc, &format!("{what}.{field}"))
    };
    let positive = |v: f64, field: &str| -> Result<f64, UserError> {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(err(what, format!("`{field}` = {v} must be positive")))
        }
    };
    let center = |s: &ShapeSpec| {
        s.center
            .as_ref()
            .map_or(Ok(Point::ORIGIN), |c| eval_pt(c, sc, what))
    };
    let rotate = s
        .rotate
        .as_ref()
        .map_or(Ok(0.0), |e| eval(e, sc, what))?
        .to_radians();
    let points = |s: &ShapeSpec| -> Result<Vec<Point>, UserError> {
        let pts = s
            .points
            .as_ref()
            .ok_or_else(|| err(what, "needs `points`"))?;
        if pts.len() < 2 {
            return Err(err(what, "needs at least two points"));
        }
        pts.iter().map(|p| eval_pt(p, sc, what)).collect()
    };
    // Rotation applies about the centre for centred shapes, else about the origin.
    let mut rotated_in_place = true;
    let mut path = match s.kind.as_str() {
        "circle" => Shape::Circle {
            center: center(s)?,
            radius: positive(need(&s.r, "r")?, "r")?,
        }
        .to_path(),
        "ellipse" => Shape::Ellipse {
            center: center(s)?,
            radii: Vec2::new(
                positive(need(&s.rx, "rx")?, "rx")?,
                positive(need(&s.ry, "ry")?, "ry")?,
            ),
            rotation: rotate,
        }
        .to_path(),
        "rect" => {
            let (w, h) = (
                positive(need(&s.w, "w")?, "w")?,
                positive(need(&s.h, "h")?, "h")?,
            );
            let c = center(s)?;
            let mut p = Rect::from_center_size(c, (w, h)).to_path(TOLERANCE);
            p.apply_affine(Affine::rotate_about(rotate, c));
            p
        }
        "regular" => {
            let sides = need(&s.sides, "sides")?;
            if !(3.0..=1000.0).contains(&sides) {
                return Err(err(what, format!("sides = {sides} must be from 3 to 1000")));
            }
            regular_polygon(
                center(s)?,
                positive(need(&s.r, "r")?, "r")?,
                sides as u32,
                rotate,
            )
        }
        "star" => {
            let tips = need(&s.sides, "sides")?;
            if !(2.0..=1000.0).contains(&tips) {
                return Err(err(what, format!("sides = {tips} must be from 2 to 1000")));
            }
            star(
                center(s)?,
                positive(need(&s.outer, "outer")?, "outer")?,
                positive(need(&s.inner, "inner")?, "inner")?,
                tips as u32,
                rotate,
            )
        }
        "arc" => {
            let c = center(s)?;
            let r = positive(need(&s.r, "r")?, "r")?;
            let start = need(&s.start, "start")?.to_radians() + rotate;
            let sweep = need(&s.sweep, "sweep")?;
            if sweep.abs() > 360.0 {
                return Err(err(
                    what,
                    format!("sweep = {}° must be from -360 to 360", trim_float(sweep)),
                ));
            }
            let sweep = sweep.to_radians();
            KArc::new(c, (r, r), start, sweep, 0.0).into_path(TOLERANCE)
        }
        "polygon" | "polyline" => {
            rotated_in_place = false;
            let pts = points(s)?;
            let mut p = BezPath::new();
            p.move_to(pts[0]);
            for q in &pts[1..] {
                p.line_to(*q);
            }
            if s.kind == "polygon" {
                p.close_path();
            }
            p
        }
        "path" => {
            rotated_in_place = false;
            let d =
                s.d.as_deref()
                    .ok_or_else(|| err(what, "needs `d` (SVG path data)"))?;
            let p = BezPath::from_svg(d).map_err(|e| err(what, format!("bad path data: {e}")))?;
            if p.elements()
                .iter()
                .any(|el| el_points(el).any(|q| !q.x.is_finite() || !q.y.is_finite()))
            {
                return Err(err(what, "path data has non-finite numbers"));
            }
            p
        }
        other => {
            return Err(err(
                what,
                UserError::unknown(
                    "shape type",
                    other,
                    [
                        "circle", "ellipse", "rect", "regular", "star", "arc", "polygon",
                        "polyline", "path",
                    ],
                ),
            ))
        }
    };
    if !rotated_in_place && rotate != 0.0 {
        path.apply_affine(Affine::rotate(rotate));
    }
    if let Some(e) = &s.scale {
        let k = eval(e, sc, what)?;
        path.apply_affine(Affine::scale(k));
    }
    if let Some(t) = &s.translate {
        let t = eval_pt(t, sc, what)?;
        path.apply_affine(Affine::translate(t.to_vec2()));
    }
    Ok(path)
}

fn el_points(el: &PathEl) -> impl Iterator<Item = Point> {
    let v: Vec<Point> = match *el {
        PathEl::MoveTo(a) | PathEl::LineTo(a) => vec![a],
        PathEl::QuadTo(a, b) => vec![a, b],
        PathEl::CurveTo(a, b, c) => vec![a, b, c],
        PathEl::ClosePath => vec![],
    };
    v.into_iter()
}

/// The colour choices of a render: a colourway and per-role overrides.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Colours {
    /// Palette name. Default: the motif's (or its preset's) own.
    pub palette: Option<String>,
    /// `(role or slot, colour)` overrides, applied in order.
    pub overrides: Vec<(String, Colour)>,
}

impl Colours {
    /// Colours from palette `name`.
    pub fn palette(name: impl Into<String>) -> Self {
        Colours {
            palette: Some(name.into()),
            overrides: Vec::new(),
        }
    }
    /// Adds an override of a role (or of a palette slot, for every role using it).
    pub fn with(mut self, role: impl Into<String>, c: Colour) -> Self {
        self.overrides.push((role.into(), c));
        self
    }
}

/// A role's palette reference: `slot`, `slot|fallback`, or `#RRGGBB`.
fn role_colour(spec: &str, palette: &Palette) -> Result<Colour, UserError> {
    if spec.starts_with('#') {
        return parse_colour(spec);
    }
    spec.split('|')
        .map(str::trim)
        .find_map(|slot| palette.slot(slot))
        .ok_or_else(|| {
            UserError::invalid(
                "colour role",
                format!("palette '{}' has no slot for '{spec}'", palette.name),
            )
        })
}

/// Resolves `motif` with `values` and `colours` from the built-in palettes.
pub fn resolve(
    motif: &Motif,
    values: &ParamValues,
    preset: Option<&str>,
    colours: &Colours,
) -> Result<Pattern, UserError> {
    resolve_with(Library::builtin(), motif, values, preset, colours)
}

/// Like [`resolve`], with palettes from `lib`.
pub fn resolve_with(
    lib: &Library,
    motif: &Motif,
    values: &ParamValues,
    preset: Option<&str>,
    colours: &Colours,
) -> Result<Pattern, UserError> {
    let g = geometry(motif, values).map_err(|e| match e {
        UserError::MotifFile { message, .. } => UserError::MotifFile {
            file: motif.name().to_string(),
            message,
        },
        other => other,
    })?;
    let pname = colours
        .palette
        .as_deref()
        .unwrap_or_else(|| motif.default_palette(preset));
    let palette = lib.palette(pname)?;
    let mut resolved: Vec<Colour> = g
        .role_specs
        .iter()
        .map(|r| match &r.palette {
            None => role_colour(&r.spec, palette),
            Some(p) => role_colour(&r.spec, lib.palette(p)?),
        })
        .collect::<Result<_, _>>()?;
    for (name, c) in &colours.overrides {
        let mut hit = false;
        for (i, r) in g.roles.iter().enumerate() {
            let spec = &g.role_specs[i].spec;
            if r == name || spec.split('|').next().map(str::trim) == Some(name.as_str()) {
                resolved[i] = *c;
                hit = true;
            }
        }
        if !hit {
            let mut known: Vec<&str> = g.roles.iter().map(String::as_str).collect();
            known.extend(palette.slots.keys().map(String::as_str));
            return Err(UserError::unknown("colour role", name, known));
        }
    }
    let ground = g
        .roles
        .iter()
        .position(|r| r == "ground")
        .expect("ground is checked at load");
    let bbox = union_bbox(&g.fills);
    Ok(Pattern {
        motif: motif.name().to_string(),
        unit_mm: g.unit_mm,
        lattice: g.lattice,
        fills: Arc::new(g.fills),
        clips: g.clips,
        frieze: g.frieze,
        mirror_tile: None,
        background: resolved[ground],
        roles: g.roles,
        colours: resolved,
        bbox,
    })
}
