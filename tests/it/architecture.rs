//! The README's architecture invariants that a reading of the source can
//! check: who may name the generated crepe program, and that the library
//! never prints or exits. Each test lists what it read, so that it cannot
//! pass by reading nothing.

use std::path::{Path, PathBuf};

use super::support::root;

/// Every `.rs` file under `src/`, with its path relative to the root.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("src"), &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root()).unwrap().display().to_string();
            (relative, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    // The modules these tests speak of must be among what was read.
    for needed in [
        "src/eval.rs",
        "src/lib.rs",
        "src/main.rs",
        "src/dl/codegen.rs",
    ] {
        assert!(
            files.iter().any(|(p, _)| p == needed),
            "{needed} was not read"
        );
    }
    files
}

/// The lines of `text` that are code: comments and doc comments left out,
/// so that prose saying "never prints" is not taken for printing.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line))
}

/// Where outside `allowed` a line of code contains one of `needles`.
fn found_outside(allowed: &[&str], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources() {
        if allowed.iter().any(|a| path == *a || path.starts_with(a)) {
            continue;
        }
        for (line, code) in code_lines(&text) {
            for needle in needles {
                if code.contains(needle) {
                    found.push(format!("{path}:{line}: {}", code.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn only_eval_names_the_generated_crepe_program() {
    // The generated program is included from OUT_DIR as `rules.rs`, lives in
    // a module `crepe_program` and is built with `crepe::`; only eval.rs may
    // include or name it, and only the code generator (and the build
    // script that runs it) may write it.
    let allowed = ["src/eval.rs", "src/dl/codegen.rs", "src/build.rs"];
    let found = found_outside(&allowed, &["/rules.rs\"", "crepe_program", "crepe::"]);
    assert_eq!(found, Vec::<String>::new());
    let eval = std::fs::read_to_string(root().join("src/eval.rs")).unwrap();
    assert!(
        eval.contains("\"/rules.rs\""),
        "eval.rs no longer includes the generated program"
    );
}

#[test]
fn the_library_never_prints_or_exits() {
    // Only the binary (main.rs and the command line it calls) prints and
    // chooses exit codes; the build script talks to cargo on stdout.
    let allowed = ["src/main.rs", "src/cli.rs", "src/cli/", "src/build.rs"];
    let needles = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "dbg!(",
        "process::exit",
        "io::stdout()",
        "io::stderr()",
    ];
    assert_eq!(found_outside(&allowed, &needles), Vec::<String>::new());
    // And the needles do find printing where it is allowed.
    let main = std::fs::read_to_string(root().join("src/cli/output.rs")).unwrap();
    assert!(main.contains("io::stderr()"));
}
