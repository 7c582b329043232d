//! Write-then-rename files.
//!
//! Temporary files are also listed process-wide, so that a signal handler that
//! must exit at once (a second Ctrl-C) can still remove them
//! ([`remove_temp_files`]); normally the cancelled export unwinds and
//! [`AtomicFile`]'s `Drop` removes its own file.
//!
//! The file is synced to disk before the rename, so a crash cannot leave an
//! empty file under the target's name. The data is written back while the
//! export goes on: every [`WRITEBACK_BYTES`] a helper thread syncs what has
//! been written so far, and the final sync has only the tail left. A single
//! sync at the end made every export wait for the whole file's writeback with
//! both cores idle (7–40 ms for an 8192² PNG here, a third of its time).

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Mutex;
use std::thread::JoinHandle;

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
    writer: Option<BufWriter<Writeback>>,
}

/// Bytes written between two background syncs.
pub const WRITEBACK_BYTES: u64 = 4 << 20;

/// A file whose written data a helper thread syncs every [`WRITEBACK_BYTES`].
#[derive(Debug)]
pub struct Writeback {
    file: File,
    unsynced: u64,
    /// Asks the helper for a sync; a request already waiting covers a new one.
    wake: Option<SyncSender<()>>,
    helper: Option<JoinHandle<std::io::Result<()>>>,
}

impl Writeback {
    fn new(file: File) -> Self {
        // Without a second handle (or a thread) the file is synced at the end only.
        let Ok(clone) = file.try_clone() else {
            return Writeback {
                file,
                unsynced: 0,
                wake: None,
                helper: None,
            };
        };
        let (wake, requests) = sync_channel::<()>(1);
        let helper = std::thread::Builder::new()
            .name("wastra-writeback".into())
            .spawn(move || {
                for () in requests {
                    clone.sync_data()?;
                }
                Ok(())
            })
            .ok();
        Writeback {
            file,
            unsynced: 0,
            wake: helper.as_ref().map(|_| wake),
            helper,
        }
    }

    /// Stops the helper (after its sync in progress) and syncs the rest.
    fn finish(mut self) -> std::io::Result<File> {
        self.wake = None;
        if let Some(h) = self.helper.take() {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("writeback thread panicked")))?;
        }
        self.file.sync_all()?;
        Ok(self.file)
    }
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.unsynced += n as u64;
        if self.unsynced >= WRITEBACK_BYTES {
            self.unsynced = 0;
            if let Some(w) = &self.wake {
                match w.try_send(()) {
                    Ok(()) | Err(TrySendError::Full(())) => {}
                    // The helper stopped on an error; `finish` reports it.
                    Err(TrySendError::Disconnected(())) => self.wake = None,
                }
            }
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Seek for Writeback {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.file.seek(pos)
    }
}

impl AtomicFile {
    /// Starts writing `target`. A symbolic link is written through: the file
    /// it names is replaced, and the link stays.
    pub fn create(target: &Path) -> Result<Self, Error> {
        let linked = std::fs::symlink_metadata(target)
            .is_ok_and(|m| m.file_type().is_symlink())
            .then(|| std::fs::canonicalize(target).ok())
            .flatten();
        let target = linked.as_deref().unwrap_or(target);
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
            writer: Some(BufWriter::with_capacity(1 << 20, Writeback::new(f))),
        })
    }

    /// The writer for the contents.
    pub fn writer(&mut self) -> &mut BufWriter<Writeback> {
        self.writer.as_mut().expect("not committed")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let w = self.writer.take().expect("not committed");
        let f = w
            .into_inner()
            .map_err(|e| Error::io(&self.target, e.into_error()))?;
        let f = f.finish().map_err(|e| Error::io(&self.target, e))?;
        drop(f);
        // The new file takes the old one's permissions (a 0600 file stays
        // private), as an editor saving in place would keep them.
        if let Ok(old) = std::fs::metadata(&self.target) {
            let _ = std::fs::set_permissions(&self.temp, old.permissions());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("wastra-atomic-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Overwriting replaced a 0600 file with a 0644 one, and a symbolic
    /// link with a regular file.
    #[cfg(unix)]
    #[test]
    fn overwriting_lost_the_permissions_and_replaced_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let d = temp_dir("perm");
        let real = d.join("real.png");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = d.join("link.png");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.writer().write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_file_written_back_in_the_background_is_whole_after_commit() {
        let d = temp_dir("whole");
        let target = d.join("big.bin");
        let data: Vec<u8> = (0..3 * WRITEBACK_BYTES + 12345)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut f = AtomicFile::create(&target).unwrap();
        for chunk in data.chunks(100_003) {
            f.write_all(chunk).unwrap();
        }
        f.commit().unwrap();
        assert!(std::fs::read(&target).unwrap() == data);
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            1,
            "temporary file left"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_abandoned_file_leaves_the_old_target_and_no_temporary_file() {
        let d = temp_dir("abandoned");
        let target = d.join("old.bin");
        std::fs::write(&target, b"old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(&vec![7u8; 2 * WRITEBACK_BYTES as usize])
            .unwrap();
        drop(f);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            1,
            "temporary file left"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
