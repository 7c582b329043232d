//! The uniqueness measure: how far apart two units look, in visible steps.
//!
//! One *visible step* is the smallest difference a trained eye sees when two
//! prints lie side by side:
//! - a length or ratio: [`REL_STEP`] (3 %) of the larger of the two values,
//!   and never less than 0.1 mm for lengths (finer is below print resolution)
//!   or 1 % of the declared range for ratios;
//! - an angle: [`DEG_STEP`] (2°);
//! - a count: 1 (one petal more is plain to see);
//! - a different choice (another ornament): 1;
//! - a colourway: the largest CIEDE2000 ΔE between the two colours of any
//!   colour role, divided by [`DE_STEP`] (ΔE00 2: "perceptible at a glance").
//!
//! The distance is the Euclidean norm of the per-parameter and colour steps.
//! Two units must be at least the edition's minimum (default 1 step) apart,
//! and never identical. Parameter steps use only `+ - * / sqrt` on values the
//! manifest records, so the decision is the same on every machine; ΔE values
//! (which use `powf`, `atan2`) are rounded to 0.01 before use.

use palette::color_difference::Ciede2000;
use palette::{FromColor, Lab, Srgb};

use super::derive::{Draw, Vary};
use crate::motif::palette::Colour;
use crate::motif::{Motif, ParamKind, Value};

/// Relative size of a visible step for lengths and ratios.
pub const REL_STEP: f64 = 0.03;
/// A visible step of an angle, degrees.
pub const DEG_STEP: f64 = 2.0;
/// A visible step of colour, CIEDE2000 ΔE.
pub const DE_STEP: f64 = 2.0;
/// Smallest visible step of a length, mm.
pub const MIN_LENGTH_STEP_MM: f64 = 0.1;

/// CIEDE2000 difference of two sRGB colours, rounded to 0.01.
pub fn delta_e(a: Colour, b: Colour) -> f64 {
    let lab = |c: Colour| Lab::from_color(Srgb::new(c.red, c.green, c.blue).into_format::<f64>());
    let d = lab(a).difference(lab(b));
    (d * 100.0).round() / 100.0
}

/// The largest ΔE00 between corresponding colours of two colourways (each a
/// colour per role, in the same role order).
pub fn colourway_delta_e(a: &[Colour], b: &[Colour]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| delta_e(*x, *y))
        .fold(0.0, f64::max)
}

/// Steps between two values of a parameter of `kind` whose declared range is
/// `range` wide.
pub fn param_steps(kind: ParamKind, range: f64, a: &Value, b: &Value) -> f64 {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let d = (x - y).abs();
            if d == 0.0 {
                return 0.0;
            }
            let rel = REL_STEP * x.abs().max(y.abs());
            let step = match kind {
                ParamKind::Length => rel.max(MIN_LENGTH_STEP_MM),
                ParamKind::Degrees => DEG_STEP,
                ParamKind::Count => 1.0,
                _ => rel.max(0.01 * range),
            };
            d / step
        }
        (a, b) => {
            if a == b {
                0.0
            } else {
                1.0
            }
        }
    }
}

/// The measure for one edition: the kinds and ranges of its varied
/// parameters, and the ΔE00 between each pair of its colourways.
#[derive(Debug, Clone)]
pub struct Measure {
    kinds: Vec<(ParamKind, f64)>,
    palette_de: Vec<Vec<f64>>,
}

impl Measure {
    /// For `vary` over `motif`, with `colourways[i]` the role colours of palette `i`.
    pub fn new(motif: &Motif, vary: &[Vary], colourways: &[Vec<Colour>]) -> Self {
        let kinds = vary
            .iter()
            .map(|v| {
                let p = motif.param(v.param());
                let kind = p.map_or(ParamKind::Ratio, |p| p.kind);
                let range = p
                    .and_then(|p| Some(p.spec.max? - p.spec.min?))
                    .unwrap_or(1.0);
                (kind, range)
            })
            .collect();
        let palette_de = colourways
            .iter()
            .map(|a| colourways.iter().map(|b| colourway_delta_e(a, b)).collect())
            .collect();
        Measure { kinds, palette_de }
    }

    /// Distance between two draws, in visible steps.
    pub fn distance(&self, a: &Draw, b: &Draw) -> f64 {
        let mut sum = 0.0;
        for (((kind, range), x), y) in self.kinds.iter().zip(&a.values).zip(&b.values) {
            let s = param_steps(*kind, *range, x, y);
            sum += s * s;
        }
        let c = self.palette_de[a.palette][b.palette] / DE_STEP;
        (sum + c * c).sqrt()
    }

    /// Whether two draws would look the same (nothing differs at all).
    pub fn identical(&self, a: &Draw, b: &Draw) -> bool {
        a.values == b.values && self.palette_de[a.palette][b.palette] == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::motif::palette::parse_colour;

    #[test]
    fn steps_follow_the_documented_sizes() {
        let n = Value::Number;
        // 3 % of 40 mm is 1.2 mm
        assert!((param_steps(ParamKind::Length, 495.0, &n(40.0), &n(38.8)) - 1.0).abs() < 1e-9);
        // thin outlines: 0.1 mm floor
        assert!((param_steps(ParamKind::Length, 4.0, &n(0.5), &n(0.45)) - 0.5).abs() < 1e-12);
        assert_eq!(
            param_steps(ParamKind::Degrees, 360.0, &n(10.0), &n(14.0)),
            2.0
        );
        assert_eq!(param_steps(ParamKind::Count, 10.0, &n(4.0), &n(6.0)), 2.0);
        let c = |s: &str| Value::Choice {
            name: s.into(),
            index: 0,
        };
        assert_eq!(param_steps(ParamKind::Choice, 0.0, &c("a"), &c("b")), 1.0);
        assert_eq!(param_steps(ParamKind::Choice, 0.0, &c("a"), &c("a")), 0.0);
    }

    #[test]
    fn delta_e_matches_published_pairs() {
        let c = |s| parse_colour(s).unwrap();
        assert_eq!(delta_e(c("#808080"), c("#808080")), 0.0);
        // black vs white is ΔE00 100
        assert_eq!(delta_e(c("#000000"), c("#FFFFFF")), 100.0);
        // one code value of grey is well under a visible step
        assert!(delta_e(c("#808080"), c("#818181")) < 0.5);
        assert!(delta_e(c("#4A2C17"), c("#15181F")) > 10.0);
    }
}
