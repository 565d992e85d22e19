//! `silsila check`: every problem the issue "Spreadsheet-grade input" asks
//! for, with its exact message, the whole output and the exit code pinned;
//! the spreadsheet dialects that must read as plain CSV; and the JSON form.
//!
//! Each case is a small facts folder written into a scratch directory. The
//! output names that directory; it is shown here as `facts`.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{silsila, Scratch};

/// A sources.csv that the other files' rows can cite.
const SOURCES: &str = "id,publisher\ns1,The New Arab\ns2,North Press\n";

/// Runs `silsila check` (with `extra` arguments) on a folder of `files`,
/// with the folder shown as `facts`.
fn run_check(files: &[(&str, &[u8])], extra: &[&str]) -> (String, i32) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let folder = Scratch::new(&format!("check-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    for (name, contents) in files {
        folder.write(name, contents);
    }
    let mut args = vec!["check", "--facts", folder.path()];
    args.extend(extra);
    let run = silsila(&args);
    assert_eq!(run.stderr, "", "check prints its report to stdout");
    (run.stdout.replace(folder.path(), "facts"), run.code)
}

/// Checks a folder of `files` and compares the whole output and exit code.
#[track_caller]
fn check(files: &[(&str, &str)], code: i32, expected: &str) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    let (stdout, got) = run_check(&files, &[]);
    assert_eq!(stdout, expected);
    assert_eq!(got, code, "exit code of check on {files:?}");
}

#[test]
fn lint_warnings_come_in_file_and_line_order_with_the_loaders() {
    check(
        &[
            ("sources.csv", SOURCES),
            (
                "membership.csv",
                "member,group,source\n\
                 Jasim Ali,Cell,s1\n\
                 Jasim Ali,Cell,s2\n\
                 Jassim Ali,Cell,s1\n\
                 Bob,Cell,s1\n\
                 Bob,Cell,s1\n",
            ),
        ],
        0,
        "warning: facts/membership.csv:4: column \"member\": \"Jassim Ali\" appears once and nearly matches \"Jasim Ali\" (2 uses); if they are the same, add an alias to aliases.csv\n\
         warning: facts/membership.csv:6: this row repeats line 5 exactly\n\
         facts: no errors, 2 warnings\n",
    );
}

#[test]
fn names_as_long_as_a_cell_allows_are_checked_quickly() {
    // Two names one letter apart would be warned of, but names this long
    // (Excel allows 32,767 characters in a cell) are pasted text, not
    // names, and comparing them would cost the square of their length.
    let long = "x".repeat(32_767);
    let membership = format!("member,group,source\n{long},Cell,s1\n{long}y,Cell,s1\n");
    check(
        &[("sources.csv", SOURCES), ("membership.csv", &membership)],
        0,
        "facts: no problems\n",
    );
}
