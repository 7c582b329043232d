//! Parameter values: defaults, presets, and `NAME=VALUE` settings, checked
//! against each parameter's declared unit and range.

use std::collections::BTreeMap;

use super::expr::Scope;
use super::format::{ParamSpec, ParamValue};
use crate::error::UserError;
use crate::geom::Length;

/// What kind of value a parameter holds, from its `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A physical length in millimetres; accepts `4cm`, `1in`.
    Length,
    /// A plain number (`ratio`).
    Ratio,
    /// A whole number (`count`).
    Count,
    /// An angle in degrees.
    Degrees,
    /// One of a list of names.
    Choice,
}

impl ParamKind {
    /// The kind for a declared unit.
    pub fn from_unit(unit: Option<&str>, has_choices: bool) -> Result<Self, String> {
        if has_choices {
            return Ok(ParamKind::Choice);
        }
        Ok(match unit.unwrap_or("ratio") {
            "mm" => ParamKind::Length,
            "ratio" => ParamKind::Ratio,
            "count" => ParamKind::Count,
            "deg" => ParamKind::Degrees,
            "choice" => return Err("a choice parameter needs `choices`".into()),
            other => {
                return Err(format!(
                    "unknown unit '{other}' (use mm, ratio, count, deg or choice)"
                ))
            }
        })
    }
    /// The unit as written in files and shown by `info`.
    pub fn unit(self) -> &'static str {
        match self {
            ParamKind::Length => "mm",
            ParamKind::Ratio => "ratio",
            ParamKind::Count => "count",
            ParamKind::Degrees => "deg",
            ParamKind::Choice => "choice",
        }
    }
}

/// A checked parameter declaration.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Kind, from the unit.
    pub kind: ParamKind,
    /// The declaration as written.
    pub spec: ParamSpec,
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (lengths in mm).
    Number(f64),
    /// A choice; `index` is its position in `choices`.
    Choice {
        /// The name.
        name: String,
        /// Position in the declared choices.
        index: usize,
    },
}

impl Value {
    /// The value as JSON (numbers stay numbers).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Number(v) => serde_json::json!(v),
            Value::Choice { name, .. } => serde_json::json!(name),
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Number(v) => write!(f, "{}", trim_float(*v)),
            Value::Choice { name, .. } => f.write_str(name),
        }
    }
}

/// Formats a number without trailing zeros: 40, 0.55, 12.5.
/// Huge and tiny magnitudes (a hostile file's 1e300) use exponent notation.
pub fn trim_float(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 1e9 || (v != 0.0 && v.abs() < 1e-6) {
        let s = format!("{v:.3e}");
        return match s.split_once('e') {
            Some((m, e)) if m.contains('.') => {
                format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
            }
            _ => s,
        };
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

impl Param {
    /// Checks a declaration.
    pub fn new(name: &str, spec: &ParamSpec) -> Result<Self, String> {
        if !is_identifier(name) {
            return Err(format!(
                "parameter name '{name}' must start with a letter and use only a-z, 0-9 and _"
            ));
        }
        let kind = ParamKind::from_unit(spec.unit.as_deref(), !spec.choices.is_empty())
            .map_err(|e| format!("parameter '{name}': {e}"))?;
        let p = Param {
            name: name.to_string(),
            kind,
            spec: spec.clone(),
        };
        if kind != ParamKind::Choice {
            let (min, max) = (spec.min, spec.max);
            let (Some(min), Some(max)) = (min, max) else {
                return Err(format!("parameter '{name}' needs both min and max"));
            };
            if !(min.is_finite() && max.is_finite() && min <= max) {
                return Err(format!(
                    "parameter '{name}': min {min} and max {max} must be finite with min <= max"
                ));
            }
        }
        p.check(&spec.default)
            .map_err(|e| format!("default of {e}"))?;
        Ok(p)
    }

    /// Checks `v` against this parameter and returns the typed value.
    pub fn check(&self, v: &ParamValue) -> Result<Value, String> {
        let name = &self.name;
        match (self.kind, v) {
            (ParamKind::Choice, ParamValue::Text(s)) => {
                match self.spec.choices.iter().position(|c| c == s) {
                    Some(index) => Ok(Value::Choice {
                        name: s.clone(),
                        index,
                    }),
                    None => Err(format!(
                        "parameter '{name}': '{s}' is not one of {}",
                        self.spec.choices.join(", ")
                    )),
                }
            }
            (ParamKind::Choice, ParamValue::Number(n)) => Err(format!(
                "parameter '{name}' takes one of {}, not the number {n}",
                self.spec.choices.join(", ")
            )),
            (kind, v) => {
                let n = match v {
                    ParamValue::Number(n) => *n,
                    ParamValue::Text(s) if kind == ParamKind::Length => s
                        .parse::<Length>()
                        .map_err(|_| {
                            format!("parameter '{name}': '{s}' is not a length like 40mm or 4cm")
                        })?
                        .mm(),
                    ParamValue::Text(s) => s
                        .trim()
                        .parse::<f64>()
                        .map_err(|_| format!("parameter '{name}': '{s}' is not a number"))?,
                };
                let (min, max) = (
                    self.spec.min.unwrap_or(f64::MIN),
                    self.spec.max.unwrap_or(f64::MAX),
                );
                if !n.is_finite() {
                    return Err(format!(
                        "parameter '{name}' must be a finite number, got {n}"
                    ));
                }
                if n < min || n > max {
                    let u = if kind == ParamKind::Length { " mm" } else { "" };
                    return Err(format!(
                        "parameter '{name}' = {}{u} is outside its range {}..{}{u}",
                        trim_float(n),
                        trim_float(min),
                        trim_float(max)
                    ));
                }
                if kind == ParamKind::Count && n.fract() != 0.0 {
                    return Err(format!(
                        "parameter '{name}' counts things and must be a whole number, got {n}"
                    ));
                }
                Ok(Value::Number(n))
            }
        }
    }
}

/// Whether `s` is a name usable in formulas: a letter, then letters, digits, `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase())
        && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

/// A full assignment of values to a motif's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamValues {
    values: BTreeMap<String, Value>,
}

impl ParamValues {
    /// Defaults of `params`.
    pub(crate) fn defaults(params: &[Param]) -> Self {
        let values = params
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.check(&p.spec.default)
                        .expect("defaults are checked at load"),
                )
            })
            .collect();
        Self { values }
    }
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }
    /// All values by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.values.iter()
    }
    pub(crate) fn insert(&mut self, name: String, v: Value) {
        self.values.insert(name, v);
    }
}

impl Scope for ParamValues {
    fn value(&self, name: &str) -> Option<f64> {
        match self.values.get(name)? {
            Value::Number(v) => Some(*v),
            Value::Choice { index, .. } => Some(*index as f64),
        }
    }
    fn names(&self) -> Vec<String> {
        self.values.keys().cloned().collect()
    }
}

/// Parses `NAME=VALUE` as given to `--set`.
pub fn parse_assignment(s: &str) -> Result<(String, ParamValue), UserError> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| UserError::invalid("--set", format!("'{s}' is not NAME=VALUE")))?;
    let v = v.trim();
    let value = match v.parse::<f64>() {
        Ok(n) => ParamValue::Number(n),
        Err(_) => ParamValue::Text(v.to_string()),
    };
    Ok((k.trim().to_string(), value))
}
