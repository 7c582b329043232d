//! The built-in library: motifs and palettes embedded from `motifs/` by build.rs.

use std::sync::OnceLock;

use super::palette::{parse_palettes, Palette};
use super::{load::parse_motif, Motif};
use crate::error::UserError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// Motifs and palettes shipped with wastra.
#[derive(Debug)]
pub struct Library {
    /// One per file of `motifs/`, parsed when first asked for: a command
    /// needs one motif, and parsing all of them took 3 ms of every run.
    motifs: Vec<OnceLock<Motif>>,
    palettes: Vec<Palette>,
}

impl Library {
    /// The built-in library. Built-in files are checked in full (geometry
    /// included) by the test suite, so here they are only parsed, each when
    /// first used: a trial resolve of all sixteen motifs and their presets
    /// took 0.35 s of every command. A failure here is a build defect, not a
    /// user error.
    pub fn builtin() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(|| {
            let palettes = parse_palettes(embedded::PALETTES_FILE, "motifs/palettes.toml")
                .unwrap_or_else(|e| panic!("built-in palettes are invalid: {e}"));
            let motifs = embedded::MOTIF_FILES
                .iter()
                .map(|_| OnceLock::new())
                .collect();
            Library { motifs, palettes }
        })
    }

    /// The motif of built-in file `k`, parsed on first use.
    fn parsed(&self, k: usize) -> &Motif {
        self.motifs[k].get_or_init(|| {
            let (file, src) = embedded::MOTIF_FILES[k];
            toml::from_str::<super::format::MotifFile>(src)
                .map_err(|e| e.to_string())
                .and_then(|f| Motif::from_file_unchecked(f).map_err(|e| e.to_string()))
                .and_then(|m| {
                    m.check_palettes(&self.palettes)
                        .map(|()| m)
                        .map_err(|e| e.to_string())
                })
                .unwrap_or_else(|e| panic!("built-in motif motifs/{file} is invalid: {e}"))
        })
    }

    /// Every built-in motif file through the full checks a user's file gets.
    pub fn check_builtin_files() -> Result<(), UserError> {
        let palettes = parse_palettes(embedded::PALETTES_FILE, "motifs/palettes.toml")?;
        for (file, src) in embedded::MOTIF_FILES {
            parse_motif(src, &format!("motifs/{file}"))?.check_palettes(&palettes)?;
        }
        Ok(())
    }

    /// All built-in motifs, sorted by name.
    pub fn motifs(&self) -> impl Iterator<Item = &Motif> {
        (0..self.motifs.len()).map(|k| self.parsed(k))
    }

    /// The motif called `name` (its file is `motifs/NAME.toml`), or an error
    /// suggesting close names.
    pub fn motif(&self, name: &str) -> Result<&Motif, UserError> {
        embedded::MOTIF_FILES
            .iter()
            .position(|(f, _)| f.strip_suffix(".toml") == Some(name))
            .map(|k| self.parsed(k))
            .ok_or_else(|| UserError::UnknownMotif {
                name: name.to_string(),
                suggestions: crate::error::closest(name, builtin_names()),
            })
    }

    /// All palettes.
    pub fn palettes(&self) -> &[Palette] {
        &self.palettes
    }

    /// The palette called `name`, or an error listing the choices.
    pub fn palette(&self, name: &str) -> Result<&Palette, UserError> {
        self.palettes
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                UserError::unknown(
                    "palette",
                    name,
                    self.palettes.iter().map(|p| p.name.as_str()),
                )
            })
    }
}

/// Names of the built-in motifs, from their file names.
pub(crate) fn builtin_names() -> impl Iterator<Item = &'static str> {
    embedded::MOTIF_FILES
        .iter()
        .filter_map(|(f, _)| f.strip_suffix(".toml"))
}

/// The raw text of a built-in motif file, for `wastra info --source`-style uses.
pub fn builtin_source(name: &str) -> Option<&'static str> {
    let file = format!("{name}.toml");
    embedded::MOTIF_FILES
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The library skips the geometry checks at startup; this is where the
    /// built-in files get them.
    #[test]
    fn builtin_files_pass_every_check_a_user_file_gets() {
        Library::check_builtin_files().unwrap();
        assert_eq!(
            Library::builtin().motifs().count(),
            embedded::MOTIF_FILES.len()
        );
    }

    /// A built-in motif is found by its file's name, so the two must agree.
    #[test]
    fn every_builtin_motif_is_named_after_its_file() {
        for ((file, _), m) in embedded::MOTIF_FILES
            .iter()
            .zip(Library::builtin().motifs())
        {
            assert_eq!(Some(m.name()), file.strip_suffix(".toml"), "motifs/{file}");
            assert_eq!(Library::builtin().motif(m.name()).unwrap().name(), m.name());
        }
    }
}
