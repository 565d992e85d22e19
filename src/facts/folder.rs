//! Finding the fact files in a folder and reading them into raw tables.
//!
//! File names are matched without regard to case (`Membership.csv` is the
//! membership file), since spreadsheet users name files on systems where
//! case does not matter. A CSV file that is no fact file is reported, with
//! the fact file it was likely meant to be. Hidden files (such as the
//! `._membership.csv` that macOS leaves on shared drives) and files of other
//! kinds are passed over in silence. Nothing here writes to the folder.

use std::path::Path;

use crate::progress::Progress;
use std::fs;

use rayon::prelude::*;

use super::delimited;
use super::raw::{Found, RawTable};
use crate::error::{Error, Problem, Result};
use crate::schema::FILES;
use crate::suggest::nearest;

/// One fact file as read: its table and the problems found reading it.
pub(crate) struct ReadFile {
    pub table: RawTable,
    pub problems: Vec<Found>,
}

/// What a facts folder holds; a workbook holds the same, a sheet per file.
pub(crate) struct Folder {
    /// For each entry of [`FILES`], in order, the file read, or `None` when
    /// the folder has none.
    pub files: Vec<Option<ReadFile>>,
    /// Problems with the folder's files as a whole, such as a CSV file that
    /// is no fact file.
    pub problems: Vec<Found>,
}

/// Lists the folder at `path` and reads its fact files, several at once
/// when the machine has the cores. The result does not depend on which
/// file is read first.
pub(crate) fn read(path: &Path, progress: &dyn Progress) -> Result<Folder> {
    let name = path.display().to_string();
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut file_names = Vec::new();
    let mut irregular = Vec::new();
    for entry in fs::read_dir(path).map_err(io_error(path))? {
        let entry = entry.map_err(io_error(path))?;
        let Ok(file_name) = entry.file_name().into_string() else {
            continue; // not Unicode, so not a fact file's name either
        };
        if file_name.starts_with('.') || csv_stem(&file_name).is_none() {
            continue;
        }
        // A directory, FIFO or device (or a link to one) named like a CSV
        // file would hang or grow without bound if read: only regular files
        // are read, and anything else is an error naming it.
        match fs::metadata(entry.path()) {
            Ok(metadata) if metadata.is_file() => file_names.push(file_name),
            Ok(metadata) => irregular.push((file_name, not_regular(&metadata))),
            Err(source) => irregular.push((file_name, format!("cannot be read: {source}"))),
        }
    }
    // Directory order is the file system's whim; sort for stable reports.
    file_names.sort();

    let mut problems = Vec::new();
    irregular.sort();
    for (file_name, why) in irregular {
        let file = path.join(&file_name).display().to_string();
        problems.push(Found::whole(Problem::error(&file, None, None, why)));
    }
    let mut chosen: Vec<Vec<String>> = vec![Vec::new(); FILES.len()];
    for file_name in file_names {
        let stem = csv_stem(&file_name).unwrap_or_default().to_lowercase();
        match FILES.iter().position(|f| f.name == stem) {
            Some(index) => chosen[index].push(file_name),
            None => {
                let message = match nearest(&stem, FILES.iter().map(|f| f.name)) {
                    Some(near) => {
                        format!("{file_name} is not a fact file; did you mean {near}.csv?")
                    }
                    None => format!("{file_name} is not a fact file, so it is ignored"),
                };
                problems.push(Found::whole(Problem::warning(&name, None, None, message)));
            }
        }
    }

    let mut jobs = Vec::new();
    for (index, (file, mut names)) in FILES.iter().zip(chosen).enumerate() {
        if names.len() > 1 {
            let (all_but_last, last) = names.split_at(names.len() - 1);
            let message = format!(
                "{} and {} are {} the {} file; keep one",
                all_but_last.join(", "),
                last.join(""),
                if names.len() == 2 { "both" } else { "all" },
                file.name
            );
            problems.push(Found::whole(Problem::error(&name, None, None, message)));
            // Read one all the same, so its own problems are reported too:
            // the one with the schema's spelling if there is one.
            let exact = file.file_name();
            names.sort_by_key(|n| *n != exact);
        }
        if let Some(file_name) = names.into_iter().next() {
            jobs.push((index, path.join(file_name)));
        }
    }
    let total = jobs
        .iter()
        .filter_map(|(_, file_path)| fs::metadata(file_path).ok())
        .map(|m| m.len())
        .sum();
    progress.bytes_total(total);
    // On every core (rayon); an indexed collect keeps the jobs' order.
    let read: Vec<_> = jobs
        .par_iter()
        .map(|(_, file_path)| {
            let bytes = read_regular(file_path)?;
            progress.bytes_read(bytes.len() as u64);
            let (table, problems) = delimited::read(file_path.display().to_string(), &bytes);
            Ok(ReadFile { table, problems })
        })
        .collect();
    let mut files: Vec<Option<ReadFile>> = FILES.iter().map(|_| None).collect();
    for ((index, file_path), read) in jobs.iter().zip(read) {
        match read {
            // A file that cannot be read (permission denied) is one problem
            // among the others, not the end of the report.
            Ok(read) => {
                if let Some(slot) = files.get_mut(*index) {
                    *slot = Some(read);
                }
            }
            Err(why) => {
                let file = file_path.display().to_string();
                problems.push(Found::whole(Problem::error(&file, None, None, why)));
            }
        }
    }
    Ok(Folder { files, problems })
}

/// Reads a file that must be a regular one, checking again once it is
/// open, so that a file swapped for a FIFO or device after listing is
/// refused rather than read without end.
fn read_regular(path: &Path) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |source: std::io::Error| format!("cannot be read: {source}");
    let mut file = fs::File::open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if !metadata.is_file() {
        return Err(not_regular(&metadata));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// Why a file that is not a regular one is not read.
pub(crate) fn not_regular(metadata: &fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    let what = if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "something other than a file"
    };
    format!("this is {what}, not a regular file; silsila reads only regular files")
}

/// The stem of a `.csv` file name (any case), if it is one.
fn csv_stem(file_name: &str) -> Option<&str> {
    let split = file_name.len().checked_sub(4)?;
    let (stem, extension) = (file_name.get(..split)?, file_name.get(split..)?);
    (extension.eq_ignore_ascii_case(".csv") && !stem.is_empty()).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_stems_ignore_the_extension_case() {
        assert_eq!(csv_stem("Membership.CSV"), Some("Membership"));
        assert_eq!(csv_stem("a.csv"), Some("a"));
        assert_eq!(csv_stem(".csv"), None);
        assert_eq!(csv_stem("csv"), None);
        assert_eq!(csv_stem("notes.txt"), None);
        assert_eq!(csv_stem("é.csv"), Some("é"));
    }
}
