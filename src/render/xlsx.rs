//! Conclusions as an Excel workbook: a `parameters` sheet first, then one
//! sheet per relation, every cell text (so `2022-11` stays a partial date
//! and no name is taken for a number or formula), the header row frozen,
//! an autofilter over each table and columns sized to their contents.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::conclusion::{Cell, ConclusionTable};
use crate::error::{Error, Result};
use crate::facts::Date;

/// The widest a column gets, in characters; longer cells wrap off screen.
const MAX_WIDTH: usize = 80;

/// Writes `parameters` (name, value pairs) and `tables` to `path`,
/// atomically: to a temporary file beside it, then renamed over it. The
/// workbook's creation time is `as_of` (its first day), never the clock, so
/// the same run writes the same bytes.
pub fn write_xlsx_file(
    parameters: &[(String, String)],
    tables: &[ConclusionTable],
    as_of: Date,
    path: &Path,
) -> Result<()> {
    let fail = |error: XlsxError| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(error),
    };
    let mut workbook = Workbook::new();
    let created = created(as_of).map_err(fail)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let text = Format::new().set_num_format("@");
    let header = Format::new().set_num_format("@").set_bold();
    let sheet = workbook.add_worksheet();
    let rows: Vec<Vec<String>> = parameters
        .iter()
        .map(|(name, value)| vec![name.clone(), value.clone()])
        .collect();
    fill(
        sheet,
        "parameters",
        &["parameter".into(), "value".into()],
        &rows,
        &text,
        &header,
    )
    .map_err(fail)?;
    for table in tables {
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(Cell::text).collect())
            .collect();
        let sheet = workbook.add_worksheet();
        fill(sheet, &table.name, &table.columns, &rows, &text, &header).map_err(fail)?;
    }
    let bytes = workbook.save_to_buffer().map_err(fail)?;
    crate::out_dir::write_file(path, &bytes)
}

/// Excel's dates start in 1900; an earlier or unknown as-of gives 1900-01-01.
fn created(as_of: Date) -> std::result::Result<ExcelDateTime, XlsxError> {
    let first = Date::from_day(as_of.first_day().max(Date::ymd(1900, 1, 1).first_day()));
    let text = first.to_string();
    let mut parts = text.split('-').map(|p| p.parse::<u16>().unwrap_or(1));
    let year = parts.next().unwrap_or(1900);
    let month = parts.next().unwrap_or(1) as u8;
    let day = parts.next().unwrap_or(1) as u8;
    ExcelDateTime::from_ymd(year, month, day)
}

fn fill(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[String],
    rows: &[Vec<String>],
    text: &Format,
    header: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(name)?;
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for (col, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, column, header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, col as u16, cell, text)?;
            if let Some(width) = widths.get_mut(col) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width).min(MAX_WIDTH) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !columns.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)?;
    }
    Ok(())
}
