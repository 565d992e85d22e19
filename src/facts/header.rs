//! Matching a table's header to its file's columns.
//!
//! Columns are found by name, in any order and any case; a missing required
//! column or a repeated one is an error. A column the schema does not know
//! is a warning (its cells are ignored, and may be a misspelt column whose
//! data would be lost), except for the analyst's own columns: `notes` and
//! any whose name starts with `x_`.

use super::file_title;
use super::raw::{Addressing, Found, RawRecord, RawTable};
use crate::schema::FactFile;
use crate::suggest::nearest;

/// Where each of a file's columns is among a table's cells.
pub(crate) struct Columns {
    /// For each column of the file, in schema order, the index of its cell
    /// in the records, or `None` when the header lacks it.
    pub index: Vec<Option<usize>>,
    /// The index of the analyst's `notes` cell, when the header has one.
    pub notes: Option<usize>,
}

impl Columns {
    /// The cell of the file's column `column` in `record`; empty when the
    /// header lacks the column.
    pub fn text<'r>(&self, record: &'r RawRecord, column: usize) -> &'r str {
        match self.index.get(column) {
            Some(&Some(index)) => record.get(index),
            _ => "",
        }
    }

    /// The cell of the column named `name`.
    pub fn named<'r>(&self, file: &FactFile, record: &'r RawRecord, name: &str) -> &'r str {
        match file.columns.iter().position(|c| c.name == name) {
            Some(column) => self.text(record, column),
            None => "",
        }
    }
}

/// Matches the header of `table` to the columns of `file`, reporting
/// missing, repeated and unknown columns.
pub(crate) fn match_header(file: &FactFile, table: &RawTable, found: &mut Vec<Found>) -> Columns {
    let mut index: Vec<Option<usize>> = vec![None; file.columns.len()];
    if table.header_line == 0 {
        return Columns { index, notes: None };
    }
    let line = table.header_line;
    let mut unknown = Vec::new();
    let mut notes = None;
    for (position, cell) in table.header.iter().enumerate() {
        let name = cell.name.to_lowercase();
        if name.is_empty() {
            if table.records.iter().any(|r| !r.get(position).is_empty()) {
                let message = format!(
                    "column {} has no name in the header, so its cells are ignored",
                    table.column_name(cell.column)
                );
                found.push(table.warning(line, Some(position), None, message));
            }
            continue;
        }
        let written = |c: &&crate::schema::Column| c.kind != crate::schema::ColumnKind::Reported;
        match file
            .columns
            .iter()
            .position(|c| c.name == name && written(&c))
        {
            Some(column) => match index.get_mut(column) {
                Some(slot @ None) => *slot = Some(position),
                _ => {
                    let message = format!("the column {name:?} appears more than once");
                    found.push(table.error(line, Some(position), None, message));
                }
            },
            None if name == "notes" => {
                notes = notes.or(Some(position));
            }
            None if name.starts_with("x_") => {}
            None => unknown.push((position, cell.name.as_str(), name)),
        }
    }
    let title = file_title(file, table.addressing == Addressing::Cells);
    for (position, written, name) in unknown {
        let unmatched = file
            .columns
            .iter()
            .zip(&index)
            .filter(|(c, i)| i.is_none() && c.kind != crate::schema::ColumnKind::Reported)
            .map(|(c, _)| c.name);
        let message = match nearest(&name, unmatched) {
            Some(near) => {
                format!("column {written:?} is not a column of {title}; did you mean {near:?}?")
            }
            None => format!(
                "column {written:?} is not a column of {title}; rename it \"x_{name}\" if it is \
                 your own"
            ),
        };
        found.push(table.warning(line, Some(position), None, message));
    }
    for (column, slot) in file.columns.iter().zip(&index) {
        if column.required && slot.is_none() {
            let message = format!("the required column {:?} is missing", column.name);
            found.push(table.missing_column_error(message));
        }
    }
    Columns { index, notes }
}
