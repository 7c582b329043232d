//! Parsing `NAME[:param=value,...]`: one effect's parameters, checked.

use crate::error::UserError;
use crate::motif::palette::{parse_colour, Colour};

/// The `param=value` pairs given to one effect.
#[derive(Debug)]
pub struct ParamList<'a> {
    effect: &'a str,
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> ParamList<'a> {
    /// Splits `a=1,b=2` for `effect`, rejecting names not in `known`.
    pub fn parse(effect: &'a str, text: &'a str, known: &[&str]) -> Result<Self, UserError> {
        let mut pairs = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = item.split_once('=').ok_or_else(|| {
                UserError::invalid(
                    format!("effect {effect}"),
                    format!("'{item}' is not param=value"),
                )
            })?;
            let k = k.trim();
            if !known.contains(&k) {
                return Err(UserError::invalid(
                    format!("effect {effect}"),
                    format!("unknown parameter '{k}' (parameters: {})", known.join(", ")),
                ));
            }
            if pairs.iter().any(|(p, _)| *p == k) {
                return Err(UserError::invalid(
                    format!("effect {effect}"),
                    format!("parameter '{k}' given twice"),
                ));
            }
            pairs.push((k, v.trim()));
        }
        Ok(ParamList { effect, pairs })
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn bad(&self, key: &str, why: String) -> UserError {
        UserError::invalid(format!("effect {} parameter {key}", self.effect), why)
    }

    /// A number in `min ..= max`, or `default`.
    pub fn number(&self, key: &str, default: f64, min: f64, max: f64) -> Result<f64, UserError> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        let n: f64 = v
            .parse()
            .map_err(|_| self.bad(key, format!("'{v}' is not a number")))?;
        if !n.is_finite() || n < min || n > max {
            return Err(self.bad(key, format!("{v} is outside {min}..{max}")));
        }
        Ok(n)
    }

    /// A colour `#RRGGBB`, or `default`.
    pub fn colour(&self, key: &str, default: Colour) -> Result<Colour, UserError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => parse_colour(v)
                .map_err(|_| self.bad(key, format!("'{v}' is not a colour like #1F2A44"))),
        }
    }

    /// An optional colour: absent or `none` gives `None`.
    pub fn opt_colour(&self, key: &str) -> Result<Option<Colour>, UserError> {
        match self.get(key) {
            None | Some("none") => Ok(None),
            Some(_) => self.colour(key, Colour::new(0, 0, 0, 255)).map(Some),
        }
    }

    /// One of `choices`, or the first of them.
    pub fn choice(&self, key: &str, choices: &[&'static str]) -> Result<&'static str, UserError> {
        match self.get(key) {
            None => Ok(choices[0]),
            Some(v) => choices.iter().find(|c| **c == v).copied().ok_or_else(|| {
                self.bad(key, format!("'{v}' is not one of {}", choices.join(", ")))
            }),
        }
    }
}
