//! Tables as read, before the schema gives them meaning: a header and
//! records of trimmed text, each knowing where it is in its file.
//!
//! Every reader (delimited text in [`super::delimited`], workbook sheets in
//! [`super::workbook`]) produces a [`RawTable`], and everything after it
//! (matching columns, parsing cells) works the same whatever the file was.
//! This layer knows nothing of the schema: it never decides whether a
//! column or a value is right, only whether the text could be read.
//!
//! It does own how a problem points into a table, so that every layer names
//! places alike: a line in a text file, a cell in a sheet.

use crate::error::{Problem, Severity};

/// How problems in a table point at a place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Addressing {
    /// By line, as in a text file: `facts/membership.csv:14`.
    Lines,
    /// By cell reference, as in a workbook sheet: `book.xlsx[membership]!D14`.
    /// A table's lines are then the sheet's row numbers, and a problem with
    /// a whole row names the row's cell in the table's first column.
    Cells,
}

/// One named cell of the header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderCell {
    /// The name as written, trimmed; empty for a column without a name.
    pub name: String,
    /// The 0-based position of the column in the file or sheet.
    pub column: u32,
}

/// One record: its line and its cells, trimmed.
///
/// The cells live in one string with their end offsets, rather than one
/// `String` each, because a facts folder can hold millions of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawRecord {
    /// The line (or sheet row) the record starts on.
    pub line: u32,
    text: String,
    ends: Vec<u32>,
}

impl RawRecord {
    /// An empty record on `line`, with room for `cells` cells of `bytes`
    /// bytes of text in all.
    pub fn with_capacity(line: u32, cells: usize, bytes: usize) -> RawRecord {
        RawRecord {
            line,
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(cells),
        }
    }

    /// Appends a cell, trimmed.
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell.trim());
        // A record longer than 4 GiB cannot come from a file we could read
        // whole; saturating keeps this total anyway.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The cell at `index`, or the empty text past the last one.
    pub fn get(&self, index: usize) -> &str {
        let Some(&end) = self.ends.get(index) else {
            return "";
        };
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// The cells in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|index| self.get(index))
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// Removes empty cells from the end, keeping at least `keep` cells.
    pub fn drop_blank_tail(&mut self, keep: usize) {
        while self.ends.len() > keep && self.get(self.ends.len() - 1).is_empty() {
            self.ends.pop();
        }
    }

    /// The cells as one comparable, hashable value: two records have equal
    /// keys exactly when their cells are equal.
    pub fn key(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }
}

/// A file or sheet as read.
///
/// Invariants kept by every reader: header names and cells are trimmed; the
/// header has no empty names at its end; every record has exactly one cell
/// per header cell and at least one that is not empty; records are in file
/// order. Records that break them are reported and left out.
#[derive(Clone, Debug)]
pub(crate) struct RawTable {
    /// The name problems are reported under, such as `facts/membership.csv`
    /// or `book.xlsx[membership]`.
    pub file: String,
    /// Whether problems point at lines or at cells.
    pub addressing: Addressing,
    /// The line of the header; 0 when the file has no header at all.
    pub header_line: u32,
    /// The header's cells, in file order.
    pub header: Vec<HeaderCell>,
    /// The records after the header, in file order.
    pub records: Vec<RawRecord>,
}

impl RawTable {
    /// A table with no header and no records.
    pub fn empty(file: String, addressing: Addressing) -> RawTable {
        RawTable {
            file,
            addressing,
            header_line: 0,
            header: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Whether the file held nothing at all, not even a header.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty() && self.records.is_empty()
    }

    /// A problem at `line`, in the cell of header position `index` when
    /// given, reported under the column name `column`.
    pub fn problem(
        &self,
        severity: Severity,
        line: u32,
        index: Option<usize>,
        column: Option<&str>,
        message: String,
    ) -> Found {
        let position = index.and_then(|i| self.header.get(i)).map(|h| h.column);
        let cell = position.unwrap_or_else(|| self.first_column());
        self.found(severity, line, cell, column, message, position)
    }

    /// A problem in the cell of 0-based sheet column `column` on `line`,
    /// whether or not the header names that column.
    pub fn problem_at(
        &self,
        severity: Severity,
        line: u32,
        column: u32,
        name: Option<&str>,
        message: String,
    ) -> Found {
        self.found(severity, line, column, name, message, Some(column))
    }

    /// An error about a column the header lacks, such as a required one:
    /// in a sheet it names the header cell just after the last one, where
    /// the column would go.
    pub fn missing_column_error(&self, message: String) -> Found {
        let after = self
            .header
            .last()
            .map_or(self.first_column(), |h| h.column.saturating_add(1));
        let line = self.header_line;
        self.found(Severity::Error, line, after, None, message, None)
    }

    /// The problem, with its cell in column `cell` when the table is
    /// addressed by cells; it sorts by `position` among the line's problems.
    fn found(
        &self,
        severity: Severity,
        line: u32,
        cell: u32,
        column: Option<&str>,
        message: String,
        position: Option<u32>,
    ) -> Found {
        let mut problem = Problem::error(&self.file, Some(line), column, message);
        problem.severity = severity;
        if self.addressing == Addressing::Cells {
            problem.cell = Some(cell_reference(cell, line));
        }
        Found {
            problem,
            column: position.map_or(0, |p| p.saturating_add(1)),
        }
    }

    /// The sheet column of the table's first column (0 for text files).
    pub fn first_column(&self) -> u32 {
        self.header.first().map_or(0, |h| h.column)
    }

    /// How messages name the line or row `line` of this table: `line 3`
    /// in a text file, `row 3` in a sheet.
    pub fn line_name(&self, line: u32) -> String {
        format!("{} {line}", self.line_word(false))
    }

    /// `line` or `row`, or their plurals.
    pub fn line_word(&self, plural: bool) -> &'static str {
        match (self.addressing, plural) {
            (Addressing::Lines, false) => "line",
            (Addressing::Lines, true) => "lines",
            (Addressing::Cells, false) => "row",
            (Addressing::Cells, true) => "rows",
        }
    }

    /// How messages name the column at 0-based position `column`: its
    /// number in a text file, its letters in a sheet.
    pub fn column_name(&self, column: u32) -> String {
        match self.addressing {
            Addressing::Lines => column.saturating_add(1).to_string(),
            Addressing::Cells => column_letters(column),
        }
    }

    /// An error; see [`RawTable::problem`].
    pub fn error(
        &self,
        line: u32,
        index: Option<usize>,
        column: Option<&str>,
        message: String,
    ) -> Found {
        self.problem(Severity::Error, line, index, column, message)
    }

    /// A warning; see [`RawTable::problem`].
    pub fn warning(
        &self,
        line: u32,
        index: Option<usize>,
        column: Option<&str>,
        message: String,
    ) -> Found {
        self.problem(Severity::Warning, line, index, column, message)
    }
}

/// A problem, with what orders it among the problems of one line: 0 for the
/// whole line, else the 1-based position of its column in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// The problem itself.
    pub problem: Problem,
    /// Its column's position plus one, or 0.
    pub column: u32,
}

impl Found {
    /// A problem about the whole file (or folder), which sorts first.
    pub fn whole(problem: Problem) -> Found {
        Found { problem, column: 0 }
    }

    /// The order of problems within one file: by line, then column.
    pub fn order(&self) -> (u32, u32) {
        (self.problem.line.unwrap_or(0), self.column)
    }
}

/// The reference of the cell in 0-based column `column` and 1-based row
/// `line`, such as `D14`.
pub(crate) fn cell_reference(column: u32, line: u32) -> String {
    format!("{}{line}", column_letters(column))
}

/// The spreadsheet letters of a 0-based column: A, …, Z, AA, AB, ….
pub(crate) fn column_letters(index: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(index) + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_trimmed_cells_in_one_string() {
        let mut record = RawRecord::with_capacity(3, 3, 16);
        record.push(" a ");
        record.push("");
        record.push("bc");
        assert_eq!(record.cells().collect::<Vec<_>>(), ["a", "", "bc"]);
        assert_eq!(record.get(7), "");
        record.push(" ");
        record.push("");
        record.drop_blank_tail(2);
        assert_eq!(record.cells().collect::<Vec<_>>(), ["a", "", "bc"]);
        let mut blank = RawRecord::with_capacity(4, 2, 0);
        blank.push(" ");
        blank.push("");
        assert!(blank.is_blank());
        blank.drop_blank_tail(0);
        assert_eq!(blank.len(), 0);
    }

    #[test]
    fn cell_references_use_spreadsheet_letters() {
        let names: Vec<String> = [0, 3, 25, 26, 27, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "D", "Z", "AA", "AB", "ZZ", "AAA"]);

        let mut table = RawTable::empty("book.xlsx[membership]".into(), Addressing::Cells);
        table.header.push(HeaderCell {
            name: "start".into(),
            column: 3,
        });
        let found = table.error(14, Some(0), Some("start"), "bad".into());
        assert_eq!(
            found.problem.to_string(),
            "book.xlsx[membership]!D14: column \"start\": bad"
        );
        assert_eq!(found.order(), (14, 4));
    }

    #[test]
    fn whole_rows_and_missing_columns_name_a_cell_in_a_sheet() {
        let mut table = RawTable::empty("book.xlsx[places]".into(), Addressing::Cells);
        table.header_line = 2;
        for (name, column) in [("place", 1), ("within", 2)] {
            let name = name.into();
            table.header.push(HeaderCell { name, column });
        }
        let shown = |found: Found| (found.problem.to_string(), found.order());
        assert_eq!(
            shown(table.warning(5, None, None, "repeats".into())),
            ("book.xlsx[places]!B5: repeats".into(), (5, 0))
        );
        assert_eq!(
            shown(table.missing_column_error("no kind".into())),
            ("book.xlsx[places]!D2: no kind".into(), (2, 0))
        );
        assert_eq!(
            (table.line_name(5), table.column_name(7)),
            ("row 5".into(), "H".into())
        );

        table.addressing = Addressing::Lines;
        table.file = "facts/places.csv".into();
        assert_eq!(
            shown(table.missing_column_error("no kind".into())),
            ("facts/places.csv:2: no kind".into(), (2, 0))
        );
        assert_eq!(
            (table.line_name(5), table.column_name(7)),
            ("line 5".into(), "8".into())
        );
    }
}
