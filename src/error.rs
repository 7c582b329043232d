//! Errors: what the user got wrong, kept apart from what went wrong inside.
//!
//! A [`UserError`] is something the person running wastra can fix (a bad number,
//! an unknown motif, a typo in a motif file); its `Display` is one line meant for
//! stderr. [`Error::Internal`] is a bug or an environment failure (a write that
//! failed, an encoder that refused). The CLI maps them to exit codes 1 and 2.

use std::path::PathBuf;

/// Any wastra error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the user can fix.
    #[error(transparent)]
    User(#[from] UserError),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing an output failed (a full disk, a closed pipe): the
    /// environment's to fix, not a bug.
    #[error("writing {format}: {source}")]
    Write {
        /// The format being written.
        format: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// A failure that is not the user's: a bug, or an encoder that refused.
    #[error("internal error: {0}")]
    Internal(String),
    /// The run was interrupted (Ctrl-C or a [`Cancel`](crate::export::Cancel)); nothing was written.
    #[error("interrupted; no file was written")]
    Interrupted,
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    /// Writing `format` failed with `source`.
    pub fn write(format: &'static str, source: std::io::Error) -> Self {
        Error::Write { format, source }
    }
    /// Whether the user can fix this (exit code 1) rather than an internal failure (2).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::User(_) => true,
            // Missing files, permissions and full disks are the user's to fix.
            Error::Io { .. } | Error::Write { .. } => true,
            Error::Internal(_) => false,
            Error::Interrupted => true,
        }
    }
}

/// An error the user can fix; `Display` is a single line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UserError {
    /// A value is malformed or out of range.
    #[error("invalid {what}: {why}")]
    Invalid {
        /// What was wrong (an option, a parameter, a field).
        what: String,
        /// Why.
        why: String,
    },
    /// A motif file could not be parsed or checked.
    #[error("{file}: {message}")]
    MotifFile {
        /// The file (or built-in name).
        file: String,
        /// What is wrong, with line and column where known.
        message: String,
    },
    /// No motif of that name.
    #[error("unknown motif '{name}'{}", suggest(.suggestions))]
    UnknownMotif {
        /// The name asked for.
        name: String,
        /// Close names.
        suggestions: Vec<String>,
    },
    /// No item of that kind with that name (palette, parameter, preset, role…).
    #[error("unknown {kind} '{name}'{}", suggest(.suggestions))]
    Unknown {
        /// Kind of thing.
        kind: &'static str,
        /// The name asked for.
        name: String,
        /// Close or valid names.
        suggestions: Vec<String>,
    },
    /// The job is too large to do.
    #[error("{0}")]
    TooLarge(String),
}

impl UserError {
    /// An [`UserError::Invalid`].
    pub fn invalid(what: impl Into<String>, why: impl Into<String>) -> Self {
        UserError::Invalid {
            what: what.into(),
            why: why.into(),
        }
    }
    /// An [`UserError::Unknown`], suggesting the closest of `known`.
    pub fn unknown<'a>(
        kind: &'static str,
        name: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        UserError::Unknown {
            kind,
            name: name.to_string(),
            suggestions: closest(name, known),
        }
    }
}

fn suggest(s: &[String]) -> String {
    match s.len() {
        0 => String::new(),
        _ => format!(" (did you mean {}?)", s.join(", ")),
    }
}

/// Up to three of `known` closest to `name` by edit distance, closest first;
/// all of them if there are few.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let name = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (strsim::levenshtein(&name, &k.to_ascii_lowercase()), k))
        .collect();
    scored.sort();
    let limit = (name.len() / 2).max(2);
    // A name may be known twice (a role and a palette slot both called ground).
    scored.dedup_by(|a, b| a.1 == b.1);
    let near: Vec<String> = scored
        .iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, k)| k.to_string())
        .collect();
    if near.is_empty() && scored.len() <= 6 {
        return scored.iter().map(|(_, k)| k.to_string()).collect();
    }
    near
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let known = ["kawung", "parang", "truntum"];
        assert_eq!(closest("kawng", known), vec!["kawung"]);
        let e = UserError::unknown("motif", "kawng", known);
        assert_eq!(
            e.to_string(),
            "unknown motif 'kawng' (did you mean kawung?)"
        );
    }
}
