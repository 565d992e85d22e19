//! Running the built binary and making throwaway fact folders.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary printed and how it ended.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `silsila` with these arguments from the repository root.
pub fn silsila(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_silsila"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under the target directory, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new empty folder named after the test.
    pub fn new(name: &str) -> Scratch {
        let dir = root()
            .join("target")
            .join("test-scratch")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes a file in the folder.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.0.join(name), content).unwrap();
        self
    }

    /// The folder's path as a string.
    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The case folders under `tests/cases/`, sorted.
pub fn case_folders() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/cases"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    cases.sort();
    cases
}

/// The extra arguments a case folder asks for in its `args` file.
pub fn case_args(folder: &Path) -> Vec<String> {
    std::fs::read_to_string(folder.join("args"))
        .map(|text| text.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Every facts folder the tests know: the seed `facts/` (named `seed`)
/// and each case folder, with the extra `infer` arguments it asks for.
pub fn fact_folders() -> Vec<(String, PathBuf, Vec<String>)> {
    let mut folders = vec![("seed".to_string(), root().join("facts"), Vec::new())];
    for (name, folder) in case_folders() {
        let args = case_args(&folder);
        folders.push((name, folder, args));
    }
    folders
}

/// The CSV files of a folder as (file name, contents), sorted by name.
pub fn csv_files(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A proptest configuration for the normal suite: `cases` cases from a
/// fixed seed, so every run tests the same inputs, and no regression files
/// written into the source tree. `PROPTEST_CASES` and `PROPTEST_RNG_SEED`
/// still override both, for a longer hunt: `PROPTEST_CASES=20000 cargo
/// test properties`.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let defaults = Config::default();
    let set = |name: &str| std::env::var_os(name).is_some();
    Config {
        cases: if set("PROPTEST_CASES") {
            defaults.cases
        } else {
            cases
        },
        rng_seed: if set("PROPTEST_RNG_SEED") {
            defaults.rng_seed
        } else {
            RngSeed::Fixed(0x5115_11A0)
        },
        failure_persistence: None,
        // Shrinking a failure is worth a minute, never an endless run.
        max_shrink_time: 60_000,
        ..defaults
    }
}

/// A folder's path relative to the repository root, as the binary (run
/// from the root) is given it.
pub fn relative(folder: &Path) -> String {
    folder
        .strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// The conclusions of `infer --format json`, without the `run` record
/// (whose facts path differs between two folders of the same facts).
pub fn conclusions_json(stdout: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(stdout).unwrap();
    json.shift_remove("run");
    json
}

/// Checks a workbook whose `sources` sheet has a cell in column XFD, the
/// last, under no header: `check` passes with exactly the one warning
/// that the column has no name, whatever the workbook's format.
#[track_caller]
pub fn checks_with_only_the_xfd_warning(book: &str) {
    let run = silsila(&["check", "--facts", book]);
    assert_eq!(
        (run.code, run.stdout),
        (
            0,
            format!(
                "warning: {book}[sources]!XFD1: column XFD has no name in the header, so its cells are ignored\n\
                 {book}: no errors, 1 warning\n"
            )
        )
    );
}
