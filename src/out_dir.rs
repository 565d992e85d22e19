//! Writing a set of files into an output folder the user named, without
//! ever writing through what is already there.
//!
//! What this module promises:
//!
//! - every file is first written under a fresh name that no one could have
//!   planted beforehand (created exclusively, `O_CREAT | O_EXCL`, which never
//!   follows or truncates an existing path, a link included), then renamed
//!   over its final name, which replaces the directory entry and never
//!   writes into a file an old entry or a link points to;
//! - nothing is renamed until every file of the set is complete, and a
//!   failure removes the temporary files, so the folder holds the whole new
//!   set or the earlier one untouched;
//! - one run at a time: the folder itself is locked (an advisory `flock`),
//!   and a second run fails at once with a clear message rather than
//!   splicing its files with the first's;
//! - a folder inside the facts folder (by canonical path, so through links
//!   too) is refused.
//!
//! It must not print, and it removes nothing but its own temporary files
//! and the stale outputs [`OutDir::commit`] is told to remove.

use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output folder, locked for this run, with the temporary files written
/// into it so far. Dropping it without [`OutDir::commit`] removes them.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    /// The open folder, holding the lock while this value lives.
    _lock: File,
    /// Each temporary file and the name it is to take.
    pending: Vec<(PathBuf, PathBuf)>,
}

impl OutDir {
    /// Creates `dir` if need be, refuses it when it lies inside `inputs`
    /// (the facts folder, or a workbook's path) or, unless `force`, when
    /// `must_be_empty` and it holds anything, and locks it.
    pub fn open(
        dir: &Path,
        inputs: Option<&Path>,
        must_be_empty: bool,
        force: bool,
    ) -> Result<OutDir> {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        if let Some(inputs) = inputs {
            refuse_inside(dir, inputs)?;
        }
        fs::create_dir_all(dir).map_err(io)?;
        // Canonical again now that it exists: a link made in between is seen.
        if let Some(inputs) = inputs {
            refuse_inside(dir, inputs)?;
        }
        let lock = File::open(dir).map_err(io)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Request(format!(
                    "--out {} is being written by another silsila run; try again when it ends",
                    dir.display()
                )))
            }
            Err(fs::TryLockError::Error(source)) => return Err(io(source)),
        }
        if must_be_empty && !force {
            let mut entries = fs::read_dir(dir).map_err(io)?;
            if entries.next().is_some() {
                return Err(Error::Request(format!(
                    "--out {} is not empty; choose an empty folder, or give --force to replace the fact files in it",
                    dir.display()
                )));
            }
        }
        Ok(OutDir {
            dir: dir.to_path_buf(),
            _lock: lock,
            pending: Vec::new(),
        })
    }

    /// Creates a fresh temporary file in the folder that is to become
    /// `name` on [`OutDir::commit`], and returns it with its path.
    pub fn create(&mut self, name: &str) -> Result<(PathBuf, File)> {
        let state = std::collections::hash_map::RandomState::new();
        for attempt in 0u32.. {
            let mut hasher = state.build_hasher();
            hasher.write_u32(std::process::id());
            hasher.write_u32(attempt);
            let path = self
                .dir
                .join(format!(".{name}.{:016x}.tmp", hasher.finish()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    self.pending.push((path.clone(), self.dir.join(name)));
                    return Ok((path, file));
                }
                Err(source) if source.kind() == ErrorKind::AlreadyExists && attempt < 100 => {}
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        unreachable!("the loop returns by its hundredth attempt")
    }

    /// Renames every temporary file over its final name, then removes
    /// those of `stale` (names of earlier outputs that this set does not
    /// replace), so the folder holds one consistent set.
    pub fn commit(mut self, stale: &[String]) -> Result<()> {
        // What would make a rename fail (a folder under an output's name) is
        // found before any file is renamed, so the earlier set stays whole.
        for (_, path) in &self.pending {
            if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
                return Err(Error::Request(format!(
                    "{} is a folder, so the output of that name cannot replace it; nothing was written",
                    path.display()
                )));
            }
        }
        while !self.pending.is_empty() {
            let (temporary, path) = self.pending.remove(0);
            if let Err(source) = fs::rename(&temporary, &path) {
                let _ = fs::remove_file(&temporary);
                // The rest are removed when `self` is dropped.
                return Err(Error::Io { path, source });
            }
        }
        for name in stale {
            let path = self.dir.join(name);
            // Only a file (or a link) of that name is an earlier output.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                continue;
            }
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(source) if source.kind() == ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        Ok(())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        for (temporary, _) in &self.pending {
            // Best effort: the error being reported matters more.
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Refuses `dir` when it is `inputs` or lies inside it, comparing canonical
/// paths; a `dir` that does not exist yet is judged by its nearest existing
/// ancestor.
fn refuse_inside(dir: &Path, inputs: &Path) -> Result<()> {
    let Ok(inputs) = inputs.canonicalize() else {
        return Ok(());
    };
    let mut existing = dir.to_path_buf();
    let mut rest = Vec::new();
    let canonical = loop {
        match existing.canonicalize() {
            Ok(canonical) => break Some(canonical),
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = if parent.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        parent.to_path_buf()
                    };
                }
                _ => break None,
            },
        }
    };
    let Some(mut canonical) = canonical else {
        return Ok(());
    };
    for name in rest.into_iter().rev() {
        canonical.push(name);
    }
    if canonical.starts_with(&inputs) {
        let what = if canonical == inputs {
            "is the facts folder"
        } else {
            "is inside the facts folder"
        };
        return Err(Error::Request(format!(
            "--out {} {what}; silsila never writes to its inputs",
            dir.display()
        )));
    }
    Ok(())
}

/// Writes one file at `path` the way an output folder writes its set: a
/// fresh exclusive temporary file beside it, under the folder's lock, then
/// a rename, so a link planted at `path` or at a temporary name is never
/// written through. For single-file outputs (a report, a workbook).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Request(format!("{} names no file to write", path.display())))?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut folder = OutDir::open(dir, None, false, false)?;
    let (temporary, mut file) = folder.create(name)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| Error::Io {
            path: temporary,
            source,
        })?;
    folder.commit(&[])
}
