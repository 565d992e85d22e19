//! CSV output that is safe to open in a spreadsheet: quoted per RFC 4180,
//! and with formula-like cells neutralised as OWASP's CSV-injection
//! guidance advises. Files are written through [`crate::out_dir`].

use std::io::Write;

use crate::conclusion::{Cell, ConclusionTable};

/// Prefixes a cell that a spreadsheet would read as a formula (one that
/// begins with `=`, `+`, `-`, `@`, tab or carriage return) with `'`, so it
/// is shown as text and never run.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes one table as CSV with a header row.
pub fn write_csv(table: &ConclusionTable, out: impl Write) -> std::io::Result<()> {
    let mut writer = CsvWriter::new(out);
    writer.header(&table.columns)?;
    writer.rows(&table.rows)?;
    writer.finish()
}

/// A CSV table written a block of rows at a time: the header row, then
/// each block's rows as they come.
pub struct CsvWriter<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// A table to be written to `out`.
    pub fn new(out: W) -> Self {
        let writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        CsvWriter { writer }
    }

    /// Writes the header row: these column names.
    pub fn header(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.writer
            .write_record(columns.iter().map(|c| neutralise(c).into_owned()))?;
        Ok(())
    }

    /// Writes rows; a cell is copied only to join a list or neutralise it.
    pub fn rows(&mut self, rows: &[Vec<Cell>]) -> std::io::Result<()> {
        for row in rows {
            for cell in row {
                let joined;
                let text = match cell {
                    Cell::Text(text) | Cell::Date(Some(text)) => text.as_str(),
                    Cell::Date(None) => "",
                    Cell::List(items) => {
                        joined = items.join(";");
                        joined.as_str()
                    }
                };
                self.writer.write_field(neutralise(text).as_bytes())?;
            }
            self.writer.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Writes out what is buffered.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_fields_quoted() {
        let table = ConclusionTable {
            name: "t".into(),
            columns: vec!["a".into(), "b".into()],
            rows: vec![vec![
                Cell::Text("=HYPERLINK(\"x\")".into()),
                Cell::List(vec!["s1".into(), "s2, part".into()]),
            ]],
        };
        let mut out = Vec::new();
        write_csv(&table, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"'=HYPERLINK(\"\"x\"\")\",\"s1;s2, part\"\n"
        );
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(neutralise("Jasim"), "Jasim");
    }
}
