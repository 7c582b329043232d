//! Write-then-rename files.
//!
//! Temporary files are also listed process-wide, so that a signal handler that
//! must exit at once (a second Ctrl-C) can still remove them
//! ([`remove_temp_files`]); normally the cancelled export unwinds and
//! [`AtomicFile`]'s `Drop` removes its own file.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, UserError};

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file an [`AtomicFile`] of this process is writing.
/// For signal handlers about to exit; targets are never touched.
pub fn remove_temp_files() {
    for p in live().drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

fn forget(temp: &Path) {
    live().retain(|p| p != temp);
}

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
        live().push(temp.clone());
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
        let renamed = std::fs::rename(&self.temp, &self.target);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        forget(&self.temp);
        renamed.map_err(|e| Error::io(&self.target, e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
            forget(&self.temp);
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

impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.writer().seek(pos)
    }
}
