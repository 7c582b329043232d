//! A region filled with another motif: the patches of Sekar Jagad and Tambal.
//!
//! A `type = "motif"` shape fills its layer's clip region with a built-in
//! motif at that motif's own physical size (its `repeat` in mm stays a length
//! on the cloth), with its own parameters (`set`), its colours taken from the
//! outer palette (or `palette`), remapped by `colors`. The nested motif's
//! ground is painted over the region first, then its fills at every lattice
//! translation meeting the region, all clipped to the region (nested clips are
//! chained inside it).
//!
//! Nesting is bounded: a motif may not contain itself, directly or through
//! others, and motifs nest at most [`MAX_NESTING`] deep, so a mistaken file
//! fails with a clear message instead of recursing forever.

use std::collections::{BTreeMap, HashMap};

use kurbo::{Affine, BezPath, Shape as _, Vec2};

use super::resolve::{geometry_in, LayerCtx, RoleSpec, Roles, MAX_FILLS_PER_CELL};
use super::units::{Item, LocalClip, Paint, Unit};
use super::FillRule;
use crate::error::UserError;
use crate::motif::format::ShapeSpec;
use crate::motif::registry::Library;

/// How deep motifs may nest (a motif in a motif in a motif).
pub const MAX_NESTING: usize = 3;

fn err(what: &str, why: impl std::fmt::Display) -> UserError {
    UserError::MotifFile {
        file: String::new(),
        message: format!("{what}: {why}"),
    }
}

/// Checks that `name` may be nested inside the motifs on `stack`.
pub(crate) fn check_nesting(name: &str, stack: &[String], what: &str) -> Result<(), UserError> {
    let chain = || {
        stack
            .iter()
            .map(String::as_str)
            .chain([name])
            .collect::<Vec<_>>()
            .join(" → ")
    };
    if stack.iter().any(|s| s == name) {
        return Err(err(
            what,
            format!(
                "motif '{name}' would contain itself ({}); motifs nest at most {MAX_NESTING} deep and never in themselves",
                chain()
            ),
        ));
    }
    if stack.len() > MAX_NESTING {
        return Err(err(
            what,
            format!(
                "motifs nest at most {MAX_NESTING} deep, and {} is deeper",
                chain()
            ),
        ));
    }
    Ok(())
}

/// The content filling `region` with the motif `spec` names: clips and items
/// whose `None` clip means the region itself.
pub(crate) fn fill_region(
    ctx: &LayerCtx,
    spec: &ShapeSpec,
    region: &BezPath,
    roles: &mut Roles,
    stack: &mut Vec<String>,
    what: &str,
) -> Result<Unit, UserError> {
    let name = spec
        .motif
        .as_deref()
        .ok_or_else(|| err(what, "needs `motif`, the name of the motif to fill with"))?;
    check_nesting(name, stack, what)?;
    let motif = Library::builtin().motif(name).map_err(|e| err(what, e))?;
    let sets: Vec<_> = spec.set.clone().unwrap_or_default().into_iter().collect();
    let values = motif
        .values(None, &sets)
        .map_err(|e| err(what, format!("motif '{name}': {e}")))?;
    stack.push(name.to_string());
    let g = geometry_in(motif, &values, stack).map_err(|e| match e {
        UserError::MotifFile { message, .. } => err(what, format!("in motif '{name}': {message}")),
        other => other,
    });
    stack.pop();
    let g = g?;
    // Colours: the nested roles, renamed `motif.role`, in the outer palette.
    let overrides: &BTreeMap<String, String> = match &spec.colors {
        Some(c) => c,
        None => &BTreeMap::new(),
    };
    for k in overrides.keys() {
        if !g.roles.contains(k) {
            return Err(err(
                what,
                UserError::unknown("colour role", k, g.roles.iter().map(String::as_str)),
            ));
        }
    }
    let map: Vec<usize> = g
        .roles
        .iter()
        .zip(&g.role_specs)
        .map(|(r, s)| {
            let spec_here = match overrides.get(r) {
                Some(o) => RoleSpec {
                    spec: o.clone(),
                    palette: spec.palette.clone(),
                },
                None => RoleSpec {
                    spec: s.spec.clone(),
                    palette: s.palette.clone().or_else(|| spec.palette.clone()),
                },
            };
            roles.find_or_add(&format!("{name}.{r}"), spec_here)
        })
        .collect();
    let ground = map[g
        .roles
        .iter()
        .position(|r| r == "ground")
        .expect("checked at load")];
    // Placement: the nested motif's drawing units into ours, at physical scale.
    let num = |e: &Option<crate::motif::expr::Expr>, d: f64, f: &str| {
        e.as_ref().map_or(Ok(d), |e| {
            e.eval(ctx.values)
                .map_err(|x| err(&format!("{what}.{f}"), x))
        })
    };
    let scale = num(&spec.scale, 1.0, "scale")? * g.unit_mm / ctx.unit_mm;
    let rotate = num(&spec.rotate, 0.0, "rotate")?.to_radians();
    let shift = match &spec.translate {
        Some([x, y]) => Vec2::new(
            num(&Some(x.clone()), 0.0, "translate")?,
            num(&Some(y.clone()), 0.0, "translate")?,
        ),
        None => Vec2::ZERO,
    };
    let place = Affine::translate(shift) * Affine::rotate(rotate) * Affine::scale(scale);
    let inv = place.inverse();
    let area = inv.transform_rect_bbox(region.bounding_box());
    let bbox = super::union_bbox(&g.fills);
    let mut translations = g.lattice.translations_meeting(bbox, area);
    if g.frieze {
        translations.retain(|&(_, m)| m == 0);
    }
    if translations.len().saturating_mul(g.fills.len().max(1)) > MAX_FILLS_PER_CELL {
        return Err(err(
            what,
            format!(
                "motif '{name}' at this size needs more than {MAX_FILLS_PER_CELL} shapes to fill the region, the limit"
            ),
        ));
    }
    let mut unit = Unit::default();
    unit.items.push(Item {
        path: region.clone(),
        paint: Paint::Fill(ground, FillRule::NonZero),
        clip: None,
    });
    let mut copied: HashMap<(usize, usize), usize> = HashMap::new();
    for f in &g.fills {
        for (k, &(n, m)) in translations.iter().enumerate() {
            let t = place * Affine::translate(g.lattice.at(n, m));
            let mut path = f.path.clone();
            path.apply_affine(t);
            let clip = f
                .clip
                .map(|c| copy_clip(&g.clips, c, k, t, &mut unit.clips, &mut copied));
            unit.items.push(Item {
                path,
                paint: Paint::Fill(map[f.role], f.rule),
                clip,
            });
        }
    }
    Ok(unit)
}

fn copy_clip(
    clips: &[super::Clip],
    c: usize,
    key: usize,
    t: Affine,
    out: &mut Vec<LocalClip>,
    copied: &mut HashMap<(usize, usize), usize>,
) -> usize {
    if let Some(&i) = copied.get(&(c, key)) {
        return i;
    }
    let parent = clips[c]
        .parent
        .map(|p| copy_clip(clips, p, key, t, out, copied));
    let mut path = clips[c].path.clone();
    path.apply_affine(t);
    out.push(LocalClip { path, parent });
    copied.insert((c, key), out.len() - 1);
    out.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_and_cycles_are_bounded() {
        let stack = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_nesting("kawung", &stack(&["a", "b", "c"]), "x").is_ok());
        let e = check_nesting("kawung", &stack(&["a", "b", "c", "d"]), "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("at most 3 deep") && e.contains("a → b → c → d → kawung"),
            "{e}"
        );
        let e = check_nesting("b", &stack(&["a", "b"]), "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'b' would contain itself (a → b → b)"), "{e}");
    }
}
