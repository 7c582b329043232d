//! Write-then-rename files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, UserError};

/// A file written beside its target and renamed over it on [`commit`](Self::commit).
/// Dropped without a commit (an error, a panic), the temporary file is removed.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> Result<Self, Error> {
        let name = target.file_name().ok_or_else(|| {
            UserError::invalid(
                "output",
                format!("'{}' is not a file name", target.display()),
            )
        })?;
        if target.is_dir() {
            return Err(UserError::invalid(
                "output",
                format!("'{}' is a directory", target.display()),
            )
            .into());
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(UserError::invalid(
                "output",
                format!("directory '{}' does not exist", dir.display()),
            )
            .into());
        }
        let temp = dir.join(format!(
            ".{}.wastra-{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let f = File::create(&temp).map_err(|e| {
            UserError::invalid(
                "output",
                format!("cannot write '{}': {e}", target.display()),
            )
        })?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            writer: Some(BufWriter::with_capacity(1 << 20, f)),
        })
    }

    /// The writer for the contents.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("not committed")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let w = self.writer.take().expect("not committed");
        let f = w
            .into_inner()
            .map_err(|e| Error::io(&self.target, e.into_error()))?;
        f.sync_all().map_err(|e| Error::io(&self.target, e))?;
        drop(f);
        std::fs::rename(&self.temp, &self.target).map_err(|e| Error::io(&self.target, e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}
