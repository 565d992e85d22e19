//! `silsila check`'s report: every problem with its place, then one line
//! that counts them; or the same as one JSON object.

use serde::Serialize;

use crate::{Problem, Severity};

/// How many problems of each severity: errors, warnings, notes.
pub fn counts(problems: &[Problem]) -> (usize, usize, usize) {
    let count = |severity| problems.iter().filter(|p| p.severity == severity).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    )
}

/// One line per problem (`error: …`, `warning: …`, `note: …`), then
/// `FACTS: 1 error, 2 warnings`. Not yet made safe for a terminal.
pub fn text(problems: &[Problem], facts: &str) -> String {
    let mut out = String::new();
    for problem in problems {
        let label = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        out.push_str(&format!("{label}: {problem}\n"));
    }
    let (errors, warnings, notes) = counts(problems);
    out.push_str(&format!("{facts}: {}\n", summary(errors, warnings, notes)));
    out
}

/// `silsila check --format json`, as the README documents it.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
    /// How many notes.
    pub notes: usize,
    /// Every problem, in file and line order.
    pub problems: &'a [Problem],
}

/// The report as JSON.
pub fn json(problems: &[Problem]) -> Report<'_> {
    let (errors, warnings, notes) = counts(problems);
    Report {
        errors,
        warnings,
        notes,
        problems,
    }
}

/// `1 error, 2 warnings, 1 note`, or `no problems`.
fn summary(errors: usize, warnings: usize, notes: usize) -> String {
    let count = |n: usize, what: &str| match n {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    let problems = if errors + warnings == 0 {
        "no problems".to_string()
    } else {
        format!("{}, {}", count(errors, "error"), count(warnings, "warning"))
    };
    match notes {
        0 => problems,
        1 => format!("{problems}, 1 note"),
        n => format!("{problems}, {n} notes"),
    }
}
