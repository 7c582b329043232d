//! Resolving a motif with parameter values and colours into a [`Pattern`].

use std::collections::HashSet;
use std::sync::Arc;

use kurbo::{
    Affine, Arc as KArc, BezPath, PathEl, Point, Rect, Shape as _, Stroke, StrokeOpts, Vec2,
};

use super::{union_bbox, Fill, FillRule, Lattice, LatticeKind, Pattern, WallpaperGroup};
use crate::error::UserError;
use crate::geom::{regular_polygon, star, Shape};
use crate::motif::expr::{Expr, Scope};
use crate::motif::format::{Layer, ShapeSpec};
use crate::motif::palette::{parse_colour, Colour, Palette};
use crate::motif::registry::Library;
use crate::motif::{Condition, Motif, ParamValues, Value};

/// Most fills one period may hold after symmetry; beyond it a motif is refused
/// (a runaway `copies` or formula, not a design).
pub const MAX_FILLS_PER_CELL: usize = 200_000;
/// Most rotational copies of one shape.
pub const MAX_COPIES: usize = 10_000;
/// Flattening/approximation tolerance, in drawing units (1/100000 of a repeat).
pub const TOLERANCE: f64 = 1e-5;

/// Geometry without colours: what a motif draws with these values.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// mm per drawing unit.
    pub unit_mm: f64,
    /// Lattice.
    pub lattice: Lattice,
    /// Fills of one period.
    pub fills: Vec<Fill>,
    /// Role names indexed by `Fill::role` (the motif's roles, sorted).
    pub roles: Vec<String>,
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
    let f = motif.file();
    let l = &f.lattice;
    let unit_mm = eval(&l.unit, values, "lattice.unit")?;
    if unit_mm <= 0.0 {
        return Err(err(
            "lattice.unit",
            format!("must be a positive length in mm, got {unit_mm}"),
        ));
    }
    let kind: LatticeKind = l.kind.parse().map_err(|e| err("lattice.kind", e))?;
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
    let num =
        |e: &Option<Expr>, d: f64, what: &str| e.as_ref().map_or(Ok(d), |e| eval(e, values, what));
    let width = num(&l.width, 1.0, "lattice.width")?;
    let height = num(&l.height, 1.0, "lattice.height")?;
    let angle = num(&l.angle, 90.0, "lattice.angle")?;
    if width <= 0.0 || height <= 0.0 {
        return Err(err("lattice", format!("cell size {width} × {height} must be positive (a zero-size cell would repeat forever)")));
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
    let roles: Vec<String> = f.colors.roles.keys().cloned().collect();
    let role_index = |r: &str| {
        roles
            .iter()
            .position(|x| x == r)
            .expect("roles checked at load")
    };
    let ops = group.ops(&lattice);
    let mut fills = Vec::new();
    for (i, layer) in f.layers.iter().enumerate() {
        let lname = layer
            .name
            .clone()
            .unwrap_or_else(|| format!("layer {}", i + 1));
        if !layer_enabled(layer, values, &lname)? {
            continue;
        }
        let paths = layer_paths(layer, values, &lname)?;
        let rule = match layer.fill_rule.as_deref() {
            None | Some("nonzero") => FillRule::NonZero,
            Some("evenodd") => FillRule::EvenOdd,
            Some(x) => {
                return Err(err(
                    &lname,
                    format!("fill_rule '{x}' must be nonzero or evenodd"),
                ))
            }
        };
        let ops_here: &[Affine] = if layer.symmetry.unwrap_or(true) {
            &ops
        } else {
            &[Affine::IDENTITY]
        };
        let mut seen = HashSet::new();
        let mut images = |path: &BezPath, kind: u8, out: &mut Vec<BezPath>| {
            for op in ops_here {
                let mut p = path.clone();
                p.apply_affine(*op);
                let c = p.bounding_box().center();
                p.apply_affine(Affine::translate(lattice.reduce(c)));
                if seen.insert((kind, canonical_key(&p))) {
                    out.push(p);
                }
            }
        };
        let mut fill_images = Vec::new();
        let mut stroke_images = Vec::new();
        for p in &paths {
            if layer.fill.is_some() {
                images(p, 0, &mut fill_images);
            }
            if layer.stroke.is_some() {
                images(p, 1, &mut stroke_images);
            }
        }
        if let Some(role) = &layer.fill {
            let r = role_index(role);
            fills.extend(fill_images.into_iter().map(|p| Fill::new(p, r, rule)));
        }
        if let Some(role) = &layer.stroke {
            let w = layer.stroke_width.as_ref().map_or(Ok(0.01), |e| {
                eval(e, values, &format!("{lname}.stroke_width"))
            })?;
            if w <= 0.0 {
                return Err(err(&lname, format!("stroke_width {w} must be positive")));
            }
            let r = role_index(role);
            let style = Stroke::new(w);
            for p in stroke_images {
                let outline = kurbo::stroke(p.iter(), &style, &StrokeOpts::default(), TOLERANCE);
                fills.push(Fill::new(outline, r, FillRule::NonZero));
            }
        }
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
        fills,
        roles,
    })
}

/// A key equal for two paths with the same points in any order or direction
/// (how a symmetric shape looks after the operation that maps it to itself).
fn canonical_key(p: &BezPath) -> Vec<(i64, i64)> {
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

fn layer_paths(
    layer: &Layer,
    values: &ParamValues,
    lname: &str,
) -> Result<Vec<BezPath>, UserError> {
    let mut out = Vec::new();
    for (j, s) in layer.shapes.iter().enumerate() {
        let what = format!("{lname}, shape {} ({})", j + 1, s.kind);
        let base = shape_path(s, values, &what)?;
        let copies = s
            .copies
            .as_ref()
            .map_or(Ok(1.0), |e| eval(e, values, &what))?;
        if copies < 1.0 || copies > MAX_COPIES as f64 || copies.fract() != 0.0 {
            return Err(err(
                &what,
                format!("copies = {copies} must be a whole number from 1 to {MAX_COPIES}"),
            ));
        }
        let about = s
            .copy_about
            .as_ref()
            .map_or(Ok(Point::ORIGIN), |p| eval_pt(p, values, &what))?;
        for k in 0..copies as usize {
            let mut p = base.clone();
            let a = std::f64::consts::TAU * k as f64 / copies;
            p.apply_affine(Affine::rotate_about(a, about));
            out.push(p);
        }
    }
    Ok(out)
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
            let sweep = need(&s.sweep, "sweep")?.to_radians();
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
    let role_specs = &motif.file().colors.roles;
    let mut resolved: Vec<Colour> = g
        .roles
        .iter()
        .map(|r| role_colour(&role_specs[r], palette))
        .collect::<Result<_, _>>()?;
    for (name, c) in &colours.overrides {
        let mut hit = false;
        for (i, r) in g.roles.iter().enumerate() {
            let spec = &role_specs[r];
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
        clips: Vec::new(),
        background: resolved[ground],
        roles: g.roles,
        colours: resolved,
        bbox,
    })
}
