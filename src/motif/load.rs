//! Reading motif files: TOML syntax errors with line and column, then checks.

use super::format::MotifFile;
use super::Motif;
use crate::error::UserError;

/// `line L, column C: message` for a TOML error, from its span in `source`.
pub fn describe_toml_error(e: &toml::de::Error, source: &str) -> String {
    let msg = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let (line, col) = line_col(source, span.start);
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Largest motif file accepted, in bytes: a motif is a page of data, and a
/// bound here keeps a mistaken `wastra render huge.bin` from parsing forever.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Parses and checks a motif from TOML text; `file` names it in errors.
pub fn parse_motif(source: &str, file: &str) -> Result<Motif, UserError> {
    let err = |message: String| UserError::MotifFile {
        file: file.to_string(),
        message,
    };
    if source.len() > MAX_FILE_BYTES {
        return Err(err(format!(
            "file is larger than {} KiB, the limit for a motif file",
            MAX_FILE_BYTES / 1024
        )));
    }
    let raw: MotifFile =
        toml::from_str(source).map_err(|e| err(describe_toml_error(&e, source)))?;
    Motif::from_file(raw).map_err(|e| match e {
        UserError::MotifFile { message, .. } => err(message),
        other => err(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_give_line_and_column() {
        let e = parse_motif("[motif]\nname = \"x\"\nfamily = \n", "bad.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.toml: line 3, column"), "{e}");
    }

    #[test]
    fn unknown_keys_are_named() {
        let src =
            include_str!("../../motifs/kawung.toml").replace("[lattice]", "[lattice]\nsymetry = 1");
        let e = parse_motif(&src, "k.toml").unwrap_err().to_string();
        assert!(e.contains("symetry"), "{e}");
        assert!(e.contains("line "), "{e}");
    }
}
