//! Numeric expressions in motif files: a number, or a formula over parameters.
//!
//! Formulas are parsed and evaluated by the maintained `exmex` crate (f64 only,
//! so `2/3` is never integer division, a trap of int/float expression crates).
//! Besides the motif's parameters, the names `pi`, `tau` and `sqrt2` are defined.

use serde::{Deserialize, Serialize};

use exmex::prelude::*;

/// A number or a formula, as written in a motif file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    untagged,
    expecting = "wrong type: expected a number or a formula in quotes"
)]
pub enum Expr {
    /// A literal.
    Number(f64),
    /// A formula such as `"sqrt(2)/4 * petal"`.
    Formula(String),
}

impl From<f64> for Expr {
    fn from(v: f64) -> Self {
        Expr::Number(v)
    }
}

/// Values of the names a formula may use.
pub trait Scope {
    /// The value of `name`, if defined.
    fn value(&self, name: &str) -> Option<f64>;
    /// All names, for suggestions in errors.
    fn names(&self) -> Vec<String>;
}

/// Why a formula failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprError {
    /// Not a formula exmex can parse.
    Syntax(String),
    /// A name that is neither a parameter nor a constant.
    UnknownName(String, Vec<String>),
    /// The result is NaN or infinite.
    NotFinite(String),
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExprError::Syntax(s) => write!(f, "cannot parse formula: {s}"),
            ExprError::UnknownName(n, known) => {
                write!(f, "unknown parameter '{n}' in formula")?;
                let near = crate::error::closest(n, known.iter().map(String::as_str));
                if !near.is_empty() {
                    write!(f, " (did you mean {}?)", near.join(", "))?;
                }
                Ok(())
            }
            ExprError::NotFinite(s) => write!(f, "formula '{s}' does not give a finite number"),
        }
    }
}

fn constant(name: &str) -> Option<f64> {
    match name {
        "pi" => Some(std::f64::consts::PI),
        "tau" => Some(std::f64::consts::TAU),
        "sqrt2" => Some(std::f64::consts::SQRT_2),
        _ => None,
    }
}

/// Longest formula accepted; a motif needs a line, not a program.
const MAX_FORMULA_LEN: usize = 400;

impl Expr {
    /// Evaluates the expression with names from `scope`.
    pub fn eval(&self, scope: &dyn Scope) -> Result<f64, ExprError> {
        let v = match self {
            Expr::Number(v) => *v,
            // exmex reads no exponents ("1e3"), so a quoted plain number is read here.
            Expr::Formula(s) if s.trim().parse::<f64>().is_ok() => {
                s.trim().parse::<f64>().unwrap_or(f64::NAN)
            }
            Expr::Formula(s) => {
                if s.len() > MAX_FORMULA_LEN {
                    return Err(ExprError::Syntax(format!(
                        "formula longer than {MAX_FORMULA_LEN} characters"
                    )));
                }
                let flat = exmex::parse::<f64>(s).map_err(|e| ExprError::Syntax(e.to_string()))?;
                let mut vals = Vec::with_capacity(flat.var_names().len());
                for name in flat.var_names() {
                    let v = constant(name)
                        .or_else(|| scope.value(name))
                        .ok_or_else(|| ExprError::UnknownName(name.clone(), scope.names()))?;
                    vals.push(v);
                }
                flat.eval(&vals)
                    .map_err(|e| ExprError::Syntax(e.to_string()))?
            }
        };
        if v.is_finite() {
            Ok(v)
        } else {
            Err(ExprError::NotFinite(match self {
                Expr::Number(v) => v.to_string(),
                Expr::Formula(s) => s.clone(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S;
    impl Scope for S {
        fn value(&self, n: &str) -> Option<f64> {
            (n == "petal").then_some(0.5)
        }
        fn names(&self) -> Vec<String> {
            vec!["petal".into()]
        }
    }

    #[test]
    fn formulas_use_params_and_constants() {
        let e = Expr::Formula("sqrt(2)/4 * petal + 2/4".into());
        assert!((e.eval(&S).unwrap() - (2f64.sqrt() / 8.0 + 0.5)).abs() < 1e-12);
        assert!(
            (Expr::Formula("tau/2".into()).eval(&S).unwrap() - std::f64::consts::PI).abs() < 1e-12
        );
    }

    #[test]
    fn unknown_names_are_named_with_suggestion() {
        let err = Expr::Formula("petl * 2".into()).eval(&S).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown parameter 'petl' in formula (did you mean petal?)"
        );
    }

    #[test]
    fn non_finite_results_are_rejected() {
        assert!(matches!(
            Expr::Formula("1/0".into()).eval(&S),
            Err(ExprError::NotFinite(_))
        ));
        assert!(matches!(
            Expr::Number(f64::NAN).eval(&S),
            Err(ExprError::NotFinite(_))
        ));
    }
}
