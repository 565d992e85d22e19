//! What `diff` compares against: a snapshot written by `infer --out`
//! (known by its `run.json`), facts (a folder or workbook), or the facts
//! as committed at a git revision.
//!
//! A git revision is read with `git ls-tree` and `git show` into a
//! temporary folder, removed when the [`Checkout`] is dropped; nothing is
//! ever written into the user's repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::conclusion::{Cell, ConclusionTable};
use crate::error::{Error, Result};

/// The file a snapshot folder is known by.
pub const RUN_FILE: &str = "run.json";

/// Whether `path` is a folder written by `infer --out`.
pub fn is_snapshot(path: &Path) -> bool {
    path.join(RUN_FILE).is_file()
}

/// Reads the conclusion tables of a snapshot folder: the relations its
/// `run.json` lists, each from its CSV file.
pub fn read_snapshot(dir: &Path) -> Result<Vec<ConclusionTable>> {
    let run_path = dir.join(RUN_FILE);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let text = std::fs::read_to_string(&run_path).map_err(io(&run_path))?;
    let run: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::Request(format!("{}: not a run file: {e}", run_path.display())))?;
    let relations: Vec<String> = run["relations"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect()
        })
        .ok_or_else(|| {
            Error::Request(format!(
                "{}: \"relations\" is missing or not a list of names",
                run_path.display()
            ))
        })?;
    let mut tables = Vec::new();
    for name in relations {
        let path = dir.join(format!("{name}.csv"));
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let bad = |e: csv::Error| Error::Request(format!("{}: {e}", path.display()));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let columns: Vec<String> = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(|c| unneutralise(c).to_string())
            .collect();
        let lists = ["contested", "sources"];
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(bad)?;
            let row = record
                .iter()
                .zip(&columns)
                .map(|(text, column)| {
                    let text = unneutralise(text);
                    if lists.contains(&column.as_str()) {
                        Cell::List(
                            text.split(';')
                                .filter(|s| !s.is_empty())
                                .map(String::from)
                                .collect(),
                        )
                    } else {
                        Cell::Text(text.to_string())
                    }
                })
                .collect();
            rows.push(row);
        }
        tables.push(ConclusionTable {
            name,
            columns,
            rows,
        });
    }
    Ok(tables)
}

/// Undoes the `'` that CSV output puts before a formula-like cell.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The facts as committed at a revision, in a temporary folder that is
/// removed when this is dropped.
#[derive(Debug)]
pub struct Checkout {
    dir: PathBuf,
    /// The facts folder or workbook inside the temporary folder.
    pub facts: PathBuf,
    /// What to call the temporary folder in output: `REV:path/in/repo`.
    pub label: String,
}

impl Checkout {
    /// Writes the file name of a row read from the checkout as
    /// `REV:path/in/repo/file.csv`.
    pub fn rename(&self, file: &str) -> String {
        let prefix = self.facts.to_string_lossy();
        match file.strip_prefix(prefix.as_ref()) {
            Some(rest) => format!("{}{rest}", self.label),
            None => file.to_string(),
        }
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Request(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Request(format!(
            "git {} failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    Ok(output.stdout)
}

/// Copies the facts at `facts` as committed at `rev`, in the repository
/// that holds them, into a temporary folder.
pub fn checkout(facts: &Path, rev: &str) -> Result<Checkout> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Error::Request(format!(
            "git:{rev}: a revision is required, such as git:HEAD or git:HEAD~1"
        )));
    }
    let absolute = facts.canonicalize().map_err(|source| Error::Io {
        path: facts.to_path_buf(),
        source,
    })?;
    let is_file = absolute.is_file();
    let home = if is_file {
        absolute.parent().unwrap_or(&absolute).to_path_buf()
    } else {
        absolute.clone()
    };
    let top = git(&home, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let top = top.canonicalize().unwrap_or(top);
    let inside = absolute
        .strip_prefix(&top)
        .map_err(|_| {
            Error::Request(format!(
                "{} is not inside the git repository {}",
                facts.display(),
                top.display()
            ))
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let spec = if inside.is_empty() {
        ".".to_string()
    } else {
        inside.clone()
    };
    let listed = git(
        &top,
        &["ls-tree", "-r", "-z", "--name-only", rev, "--", &spec],
    )?;
    let files: Vec<String> = listed
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    if files.is_empty() {
        return Err(Error::Request(format!(
            "git:{rev}: the revision has no {} (nothing under it is committed there)",
            if inside.is_empty() { "." } else { &inside }
        )));
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("silsila-git-{}-{stamp}", std::process::id()));
    let name = absolute
        .file_name()
        .map_or_else(|| "facts".into(), |n| n.to_string_lossy().into_owned());
    let checkout = Checkout {
        facts: dir.join(&name),
        dir,
        label: format!("{rev}:{}", if inside.is_empty() { "." } else { &inside }),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    for file in files {
        let relative = if is_file {
            String::new()
        } else {
            file.strip_prefix(&inside)
                .unwrap_or(&file)
                .trim_start_matches('/')
                .to_string()
        };
        let target = if relative.is_empty() {
            checkout.facts.clone()
        } else {
            checkout.facts.join(&relative)
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let bytes = git(&top, &["show", &format!("{rev}:{file}")])?;
        std::fs::write(&target, bytes).map_err(io(&target))?;
    }
    Ok(checkout)
}
