//! Deriving each unit from the edition seed and its number.
//!
//! A unit's random stream is ChaCha20 (rand_chacha) seeded with
//! `SHA-256("wastra-edition/1\0" ‖ len(seed) as u64 BE ‖ seed ‖ unit as u32 BE ‖ attempt as u32 BE)`.
//! ChaCha's output is specified by the algorithm, not by a library version or a
//! platform (unlike `rand`'s `StdRng`), and every draw below uses only integer
//! operations and correctly rounded float arithmetic, so a unit is the same on
//! every machine. The draws, in order: each varied parameter in the motif's
//! declaration order, then the colourway, then the effect seed. Changing that
//! order changes every edition: it is versioned by [`DERIVATION`].
//!
//! A unit too close to an earlier one (see [`super::distance`]) is drawn again
//! with the next `attempt`; so unit K depends on units 1..K-1, and any process
//! can re-derive it alone without rendering anything.

use std::collections::BTreeMap;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::UserError;
use crate::motif::format::ParamValue;
use crate::motif::params::trim_float;
use crate::motif::{Motif, ParamKind, ParamValues, Value};

/// Version of the derivation rules, recorded in every manifest.
pub const DERIVATION: u32 = 1;

/// Draws tried per unit before the edition is declared too dense.
pub const MAX_ATTEMPTS: u32 = 1000;

/// Default variation: ± this fraction of a parameter's base value.
pub const DEFAULT_SPREAD: f64 = 0.15;

/// How one parameter varies across the edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Vary {
    /// A number drawn uniformly from `min..=max` (lengths in mm).
    Range {
        /// Parameter name.
        param: String,
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// One of `choices`, each equally likely.
    Choices {
        /// Parameter name.
        param: String,
        /// The allowed choices.
        choices: Vec<String>,
    },
}

impl Vary {
    /// The parameter varied.
    pub fn param(&self) -> &str {
        match self {
            Vary::Range { param, .. } | Vary::Choices { param, .. } => param,
        }
    }
}

/// Parses one `--vary` argument: `NAME=MIN..MAX` for a number (lengths take
/// units: `repeat=38mm..4.2cm`), `NAME=a,b,c` for a choice.
pub fn parse_vary(motif: &Motif, s: &str) -> Result<Vary, UserError> {
    let bad = |why: String| UserError::invalid("--vary", format!("'{s}': {why}"));
    let (name, spec) = s
        .split_once('=')
        .ok_or_else(|| bad("expected NAME=MIN..MAX, or NAME=a,b for a choice".into()))?;
    let name = name.trim();
    let p = motif.param(name).ok_or_else(|| {
        UserError::unknown(
            "parameter",
            name,
            motif.params().iter().map(|p| p.name.as_str()),
        )
    })?;
    if p.kind == ParamKind::Choice {
        let mut choices: Vec<String> = Vec::new();
        for c in spec.split(',').map(str::trim) {
            if !p.spec.choices.iter().any(|x| x == c) {
                return Err(bad(format!(
                    "'{c}' is not a choice of '{name}' ({})",
                    p.spec.choices.join(", ")
                )));
            }
            if !choices.iter().any(|x| x == c) {
                choices.push(c.to_string());
            }
        }
        return Ok(Vary::Choices {
            param: name.to_string(),
            choices,
        });
    }
    let (lo, hi) = spec.split_once("..").ok_or_else(|| {
        bad(format!(
            "'{name}' is a number: give a range MIN..MAX within {}..{}",
            trim_float(p.spec.min.unwrap_or(0.0)),
            trim_float(p.spec.max.unwrap_or(0.0))
        ))
    })?;
    let num = |t: &str| -> Result<f64, UserError> {
        match p.check(&ParamValue::Text(t.trim().to_string())) {
            Ok(Value::Number(v)) => Ok(v),
            Ok(Value::Choice { .. }) => unreachable!("numeric parameter"),
            Err(e) => Err(bad(e)),
        }
    };
    let (min, max) = (num(lo)?, num(hi)?);
    if min > max {
        return Err(bad(format!(
            "MIN {} is larger than MAX {}",
            trim_float(min),
            trim_float(max)
        )));
    }
    // An empty range would silently fix the parameter: that is what --set is for.
    if min == max {
        return Err(bad(format!(
            "MIN equals MAX: to fix '{name}' for every unit, use --set {name}={}",
            trim_float(min)
        )));
    }
    Ok(Vary::Range {
        param: name.to_string(),
        min,
        max,
    })
}

/// Parses every `--vary` argument; a parameter named twice is an error
/// rather than the first silently winning.
pub fn parse_varies(motif: &Motif, args: &[String]) -> Result<Vec<Vary>, UserError> {
    let mut out: Vec<Vary> = Vec::new();
    for a in args {
        let v = parse_vary(motif, a)?;
        if out.iter().any(|o| o.param() == v.param()) {
            return Err(UserError::invalid(
                "--vary",
                format!(
                    "'{}' is varied twice; give one --vary per parameter",
                    v.param()
                ),
            ));
        }
        out.push(v);
    }
    Ok(out)
}

/// The variation of an edition: the designer's `explicit` ranges, plus a small
/// range (± [`DEFAULT_SPREAD`] of the base value, or ± 5 % of the declared range
/// when the base is 0, clamped to the declared range) for every other length,
/// ratio and angle not in `fixed`. Counts and choices vary only when asked: one
/// more petal or another ornament changes what the motif is, not how it is drawn.
/// In the motif's declaration order.
pub fn effective_vary(
    motif: &Motif,
    base: &ParamValues,
    explicit: &[Vary],
    fixed: &[String],
) -> Vec<Vary> {
    let mut out = Vec::new();
    for p in motif.params() {
        if let Some(v) = explicit.iter().find(|v| v.param() == p.name) {
            out.push(v.clone());
            continue;
        }
        if fixed.contains(&p.name)
            || !matches!(
                p.kind,
                ParamKind::Length | ParamKind::Ratio | ParamKind::Degrees
            )
        {
            continue;
        }
        let Some(Value::Number(v)) = base.get(&p.name) else {
            continue;
        };
        let (dmin, dmax) = (p.spec.min.unwrap_or(*v), p.spec.max.unwrap_or(*v));
        let half = if *v != 0.0 {
            DEFAULT_SPREAD * v.abs()
        } else {
            0.05 * (dmax - dmin)
        };
        let (min, max) = (
            quantise(p.kind, v - half, dmin, dmax),
            quantise(p.kind, v + half, dmin, dmax),
        );
        if min < max {
            out.push(Vary::Range {
                param: p.name.clone(),
                min,
                max,
            });
        }
    }
    out
}

/// The seed of a unit's random stream.
pub fn unit_seed(seed: &str, unit: u32, attempt: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"wastra-edition/1\0");
    h.update((seed.len() as u64).to_be_bytes());
    h.update(seed.as_bytes());
    h.update(unit.to_be_bytes());
    h.update(attempt.to_be_bytes());
    h.finalize().into()
}

/// What was drawn for one unit, before the uniqueness check.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// A value per entry of the edition's `vary`, in order.
    pub values: Vec<Value>,
    /// Index into the edition's colourways.
    pub palette: usize,
    /// Seed for randomised effects.
    pub effects: u64,
}

/// A uniform number in `[0, 1)` from the top 53 bits: exact, portable.
fn uniform(rng: &mut ChaCha20Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A uniform index below `n` (Lemire's multiply; bias below 2^-50 for small n).
fn index(rng: &mut ChaCha20Rng, n: usize) -> usize {
    ((rng.next_u64() as u128 * n as u128) >> 64) as usize
}

/// Rounds to the precision recorded in the manifest (0.001 mm, 0.0001, 0.01°).
/// `round(v * k) / k` is the double nearest the decimal, so it prints short.
fn quantise(kind: ParamKind, v: f64, min: f64, max: f64) -> f64 {
    let k = match kind {
        ParamKind::Length => 1e3,
        ParamKind::Degrees => 1e2,
        _ => 1e4,
    };
    ((v * k).round() / k).clamp(min, max)
}

/// Draws unit `unit`, attempt `attempt`.
pub fn draw(
    motif: &Motif,
    vary: &[Vary],
    palettes: usize,
    seed: &str,
    unit: u32,
    attempt: u32,
) -> Draw {
    let mut rng = ChaCha20Rng::from_seed(unit_seed(seed, unit, attempt));
    let values = vary
        .iter()
        .map(|v| match v {
            Vary::Range { param, min, max } => {
                let kind = motif.param(param).map_or(ParamKind::Ratio, |p| p.kind);
                if kind == ParamKind::Count {
                    let (lo, hi) = (min.ceil(), max.floor());
                    let n = (hi - lo) as usize + 1;
                    Value::Number(lo + index(&mut rng, n) as f64)
                } else {
                    let u = uniform(&mut rng);
                    Value::Number(quantise(kind, min + u * (max - min), *min, *max))
                }
            }
            Vary::Choices { param, choices } => {
                let name = &choices[index(&mut rng, choices.len())];
                let idx = motif
                    .param(param)
                    .and_then(|p| p.spec.choices.iter().position(|c| c == name))
                    .unwrap_or(0);
                Value::Choice {
                    name: name.clone(),
                    index: idx,
                }
            }
        })
        .collect();
    let palette = index(&mut rng, palettes.max(1));
    let effects = rng.next_u64();
    Draw {
        values,
        palette,
        effects,
    }
}

/// A unit's full parameter assignment: `base` with `draw`'s values over it.
pub fn assignment(
    base: &BTreeMap<String, Value>,
    vary: &[Vary],
    draw: &Draw,
) -> BTreeMap<String, Value> {
    let mut out = base.clone();
    for (v, val) in vary.iter().zip(&draw.values) {
        out.insert(v.param().to_string(), val.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::motif::registry::Library;

    fn kawung() -> &'static Motif {
        Library::builtin().motif("kawung").unwrap()
    }

    #[test]
    fn unit_seed_is_sha256_of_the_documented_bytes() {
        let mut bytes = b"wastra-edition/1\0".to_vec();
        bytes.extend(3u64.to_be_bytes());
        bytes.extend(b"abc");
        bytes.extend(7u32.to_be_bytes());
        bytes.extend(0u32.to_be_bytes());
        let want: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(unit_seed("abc", 7, 0), want);
        assert_ne!(unit_seed("abc", 7, 0), unit_seed("abc", 8, 0));
        assert_ne!(unit_seed("abc", 7, 0), unit_seed("abc", 7, 1));
    }

    #[test]
    fn draws_stay_in_range_and_repeat() {
        let m = kawung();
        let vary = vec![
            parse_vary(m, "petal=0.5..0.7").unwrap(),
            parse_vary(m, "repeat=3cm..50mm").unwrap(),
            parse_vary(m, "mark=seed,dots").unwrap(),
        ];
        for unit in 1..200 {
            let d = draw(m, &vary, 3, "s", unit, 0);
            assert_eq!(d, draw(m, &vary, 3, "s", unit, 0));
            let Value::Number(p) = d.values[0] else {
                panic!()
            };
            assert!((0.5..=0.7).contains(&p), "{p}");
            let Value::Number(r) = d.values[1] else {
                panic!()
            };
            assert!((30.0..=50.0).contains(&r), "{r}");
            assert!(
                matches!(&d.values[2], Value::Choice { name, .. } if name == "seed" || name == "dots")
            );
            assert!(d.palette < 3);
        }
    }

    #[test]
    fn default_vary_is_small_and_clamped() {
        let m = kawung();
        let v = effective_vary(m, &m.defaults(), &[], &["outline".to_string()]);
        let names: Vec<&str> = v.iter().map(Vary::param).collect();
        // choices and --set parameters stay fixed
        assert_eq!(names, ["repeat", "petal"]);
        assert_eq!(
            v[1],
            Vary::Range {
                param: "petal".into(),
                min: 0.51,
                max: 0.69
            }
        );
        let near_max = m
            .values(None, &[("petal".into(), ParamValue::Number(0.88))])
            .unwrap();
        let v = effective_vary(m, &near_max, &[], &[]);
        assert!(matches!(v[1], Vary::Range { max, .. } if max == 0.9));
    }

    #[test]
    fn repeated_vary_is_an_error_not_ignored() {
        let m = kawung();
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let e = parse_varies(
            m,
            &args(&["petal=0.5..0.6", "repeat=3cm..4cm", "petal=0.4..0.7"]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("'petal' is varied twice"), "{e}");
        let v = parse_varies(m, &args(&["petal=0.5..0.6", "mark=seed,dots"])).unwrap();
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn bad_vary_is_explained() {
        let m = kawung();
        for (arg, want) in [
            ("petal", "expected NAME=MIN..MAX"),
            ("petal=0.5", "give a range MIN..MAX within 0.3..0.9"),
            ("petal=0.7..0.5", "MIN 0.7 is larger than MAX 0.5"),
            (
                "petal=0.6..0.6",
                "MIN equals MAX: to fix 'petal' for every unit, use --set petal=0.6",
            ),
            ("petal=0.1..0.5", "outside its range"),
            ("petal=a..0.5", "not a number"),
            ("mark=star", "'star' is not a choice of 'mark'"),
            (
                "petl=0.5..0.6",
                "unknown parameter 'petl' (did you mean petal?)",
            ),
        ] {
            let e = parse_vary(m, arg).unwrap_err().to_string();
            assert!(e.contains(want), "{arg}: {e}");
            assert!(!e.contains('\n'));
        }
    }
}
