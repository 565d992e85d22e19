//! Output: conclusions as sorted tables, then as text, CSV or JSON; graphs
//! of the lineage and links (`graph`).
//!
//! Rendering is separate from deriving: [`ConclusionTable`] is plain strings, built
//! once from the model, and each format only lays it out.

pub mod about;
pub mod check;
mod csv_out;
pub mod diff;
pub mod escape;
pub mod graph;
pub mod proof;
pub mod report;
pub mod rules;
pub mod stix;
mod xlsx;

use std::fmt::Write;

use crate::conclusion::{Cell, ConclusionTable};
use crate::facts::Date;

pub use csv_out::{write_csv, CsvWriter};
pub use xlsx::write_xlsx_file;

/// Text for a terminal: every control character but the line feed (ESC,
/// BEL, NUL, CR, tab, DEL, the C1 controls such as the OSC introducer) and
/// every bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069)
/// and mark (U+200E, U+200F, U+061C) is shown as a visible `\u{..}` escape,
/// so the user's bytes can neither drive the terminal nor reorder what it
/// shows. This is the one place that makes text safe for a terminal; CSV
/// and JSON keep exact values and never pass through it.
pub fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// `as of 2024-05-01; current means active since 2023-11-03`: the header
/// of every text output that depends on the run's date.
pub fn as_of_line(as_of: Date, recent_since: Date) -> String {
    format!(
        "as of {}; current means active since {}",
        date_or_none(as_of),
        date_or_none(recent_since)
    )
}

/// A run's date, or what stands for it when the facts hold no dates.
pub fn date_or_none(date: Date) -> String {
    if date.is_known() {
        date.to_string()
    } else {
        "(no dates in the facts)".into()
    }
}

/// A cell as JSON: text, a date or `null`, or an array.
fn cell_json(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Text(text) => text.clone().into(),
        Cell::Date(date) => date.clone().into(),
        Cell::List(items) => items.clone().into(),
    }
}

/// Readable text: one section per relation, columns aligned.
pub fn text(tables: &[ConclusionTable]) -> String {
    let mut out = String::new();
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let count = table.rows.len();
        let _ = writeln!(
            out,
            "{} ({count} {})",
            table.name,
            if count == 1 { "row" } else { "rows" }
        );
        if table.rows.is_empty() {
            out.push_str("  (none)\n");
            continue;
        }
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(Cell::text).collect())
            .collect();
        let mut widths: Vec<usize> = table.columns.iter().map(|c| c.chars().count()).collect();
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        write_aligned(&mut out, &table.columns, &widths);
        for row in &cells {
            write_aligned(&mut out, row, &widths);
        }
    }
    out
}

fn write_aligned(out: &mut String, cells: &[String], widths: &[usize]) {
    let mut line = String::from(" ");
    for (cell, width) in cells.iter().zip(widths) {
        line.push(' ');
        line.push_str(cell);
        line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 1));
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// JSON: one object keyed by relation name, each an array of objects keyed
/// by column name.
pub fn json(tables: &[ConclusionTable]) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for table in tables {
        let rows: Vec<serde_json::Value> = table
            .rows
            .iter()
            .map(|row| {
                let fields: serde_json::Map<String, serde_json::Value> = table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(column, cell)| (column.clone(), cell_json(cell)))
                    .collect();
                serde_json::Value::Object(fields)
            })
            .collect();
        object.insert(table.name.clone(), rows.into());
    }
    serde_json::Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ConclusionTable {
        ConclusionTable {
            name: "descends_from".into(),
            columns: vec!["group".into(), "ancestor".into(), "confidence".into()],
            rows: vec![vec![
                Cell::Text("Cell".into()),
                Cell::Text("Khalid ibn al-Walid Army".into()),
                Cell::Text("probable".into()),
            ]],
        }
    }

    #[test]
    fn text_aligns_columns_and_counts_rows() {
        let empty = ConclusionTable {
            rows: vec![],
            ..sample()
        };
        assert_eq!(
            text(&[sample(), empty]),
            "descends_from (1 row)\n  group  ancestor                  confidence\n  Cell   Khalid ibn al-Walid Army  probable\n\ndescends_from (0 rows)\n  (none)\n"
        );
    }

    #[test]
    fn json_keys_relations_then_columns_in_order() {
        let value = json(&[sample()]);
        assert_eq!(
            value.to_string(),
            r#"{"descends_from":[{"group":"Cell","ancestor":"Khalid ibn al-Walid Army","confidence":"probable"}]}"#
        );
    }
}
