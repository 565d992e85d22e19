//! The library's one error type, and [`Problem`]: one thing wrong (or
//! suspicious) in the analyst's input, with where it is.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing wrong, but worth a look: a conclusion the analyst may want
    /// to act on, such as two names possibly of one entity.
    Note,
    /// Suspicious but usable: inference goes on.
    Warning,
    /// The facts cannot be used until it is fixed.
    Error,
}

/// One problem in the input: where it is, and what is wrong.
///
/// Displayed as `facts/membership.csv:14: column "start": "15/11/2022" is
/// not a date; write YYYY, YYYY-MM or YYYY-MM-DD`: lowercase, no trailing
/// period, values quoted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file as the user named it, such as `facts/membership.csv`, or a
    /// workbook sheet, such as `book.xlsx[membership]`.
    pub file: String,
    /// The 1-based line (or sheet row), if the problem is in one row.
    pub line: Option<u32>,
    /// The cell reference in a workbook, such as `D14`, when there is one.
    pub cell: Option<String>,
    /// The column's header name, if the problem is in one column.
    pub column: Option<String>,
    /// What is wrong, naming the value and what was expected.
    pub message: String,
}

impl Problem {
    /// An error at a line and column.
    pub fn error(file: &str, line: Option<u32>, column: Option<&str>, message: String) -> Self {
        Problem {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            cell: None,
            column: column.map(str::to_string),
            message,
        }
    }

    /// A warning at a line and column.
    pub fn warning(file: &str, line: Option<u32>, column: Option<&str>, message: String) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, line, column, message)
        }
    }

    /// A note at this place.
    pub fn note(file: &str, line: Option<u32>, column: Option<&str>, message: String) -> Self {
        Problem {
            severity: Severity::Note,
            ..Problem::error(file, line, column, message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        match (&self.cell, self.line) {
            (Some(cell), _) => write!(f, "!{cell}")?,
            (None, Some(line)) => write!(f, ":{line}")?,
            (None, None) => {}
        }
        f.write_str(": ")?;
        if let Some(column) = &self.column {
            write!(f, "column {column:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The facts have one or more errors; every one found is listed, with
    /// the warnings found beside them.
    #[error("{}", list(.0))]
    Facts(Vec<Problem>),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A workbook that cannot be read at all: not a workbook, or damaged.
    #[error("{}: cannot read the workbook: {message}", path.display())]
    Workbook {
        /// The workbook as the user named it.
        path: PathBuf,
        /// Why it cannot be read.
        message: String,
    },
    /// A request that makes no sense for these facts or rules, such as an
    /// unknown relation; the message says what would.
    #[error("{0}")]
    Request(String),
    /// A command line that asks for what cannot be: an unknown relation, or
    /// more values than it has columns (exit code 2, like any bad command
    /// line).
    #[error("{0}")]
    Usage(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_line_column_and_message() {
        let problem = Problem::error(
            "facts/membership.csv",
            Some(14),
            Some("start"),
            "\"15/11/2022\" is not a date".into(),
        );
        assert_eq!(
            problem.to_string(),
            "facts/membership.csv:14: column \"start\": \"15/11/2022\" is not a date"
        );
        let cell = Problem {
            cell: Some("D14".into()),
            file: "book.xlsx[membership]".into(),
            ..problem
        };
        assert_eq!(
            cell.to_string(),
            "book.xlsx[membership]!D14: column \"start\": \"15/11/2022\" is not a date"
        );
    }
}
