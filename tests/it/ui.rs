//! The rule language's own tests, crepe-style: every rule file in
//! `tests/ui/fail/` is refused with the messages pinned in the `.stderr`
//! beside it (as the build script would print them after `error:`), and
//! every file in `tests/ui/pass/` is accepted. That an accepted file also
//! compiles and runs is tested by the library itself: the build script
//! generates each pass file's crepe program, rustc compiles it into the
//! unit tests, and `eval`'s tests run it.
//!
//! Set `UI_UPDATE=1` to write the `.stderr` files afresh, then review the
//! diff.

use std::path::{Path, PathBuf};

use silsila::dl::check::compile;

use super::support::root;

/// The `.dl` files of a `tests/ui` folder, sorted; never none.
fn rule_files(folder: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/ui").join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "dl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no .dl file", dir.display());
    files
}

/// The checker's messages for one file, one per line, or `None` when it
/// accepts the file.
fn messages(path: &Path) -> Option<String> {
    let display = path.strip_prefix(root()).unwrap().display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    match compile(&[(&display, &text)]) {
        Ok(_) => None,
        Err(errors) => Some(errors.iter().map(|e| format!("{e}\n")).collect::<String>()),
    }
}

#[test]
fn every_refused_rule_file_gives_its_pinned_messages() {
    let update = std::env::var_os("UI_UPDATE").is_some();
    let mut failures = Vec::new();
    for path in rule_files("fail") {
        let got = messages(&path)
            .unwrap_or_else(|| panic!("{} was accepted; it belongs in pass/", path.display()));
        let pinned = path.with_extension("stderr");
        if update {
            std::fs::write(&pinned, &got).unwrap();
            continue;
        }
        // A missing .stderr is a failure, never a pass.
        match std::fs::read_to_string(&pinned) {
            Ok(expected) if expected == got => {}
            Ok(expected) => failures.push(format!(
                "{}:\n--- pinned\n{expected}--- got\n{got}",
                path.display()
            )),
            Err(e) => failures.push(format!("{}: {e}", pinned.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_accepted_rule_file_checks() {
    for path in rule_files("pass") {
        if let Some(errors) = messages(&path) {
            panic!("{} was refused:\n{errors}", path.display());
        }
    }
}
