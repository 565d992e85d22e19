//! Reading a workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) into raw
//! tables: one sheet per fact file.
//!
//! A sheet is the fact file whose name it has without `.csv` (a sheet
//! `membership` is `membership.csv`), matched without regard to case or
//! surrounding spaces. A sheet that is no fact file is reported with the one
//! it was likely meant to be; a missing sheet has no rows, as a missing file
//! has none. On each sheet the first row with anything in it is the header,
//! wherever the table starts.
//!
//! This module owns what is particular to workbooks: which sheet is which
//! file, and turning typed cells into the text a CSV export of the sheet
//! would hold, so that the schema layer parses both alike (a date cell
//! becomes `2022-11-15`, the number `2016.0` becomes `2016`). Every problem
//! names its cell, such as `book.xlsx[membership]!D14`. It never writes to
//! the workbook, and a workbook it cannot read is an error, never a panic.

use std::borrow::Cow;
use std::fs;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use calamine::{
    open_workbook_from_rs, Data, ExcelDateTime, Range, Reader, SheetType, Sheets, Xls, Xlsb, Xlsx,
};

use super::cells::{push_cell, Cells, MAX_INFLATED_BYTES, MAX_WORKBOOK_BYTES};
use super::folder::{Folder, ReadFile};
use super::raw::{Addressing, Found, HeaderCell, RawRecord, RawTable};
use crate::error::{Error, Problem, Result, Severity};
use crate::schema::FILES;
use crate::suggest::nearest;

/// The kinds of workbook, each read by its own calamine reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Office Open XML: `.xlsx` and its macro-enabled twin `.xlsm`.
    Xlsx,
    /// Excel's binary workbook, `.xlsb`.
    Xlsb,
    /// The old binary Excel format, `.xls`.
    Xls,
    /// OpenDocument, `.ods`.
    Ods,
}

impl Kind {
    /// The kind a file's extension (any case) names, if any.
    fn of(path: &Path) -> Option<Kind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "xlsb" => Some(Kind::Xlsb),
            "xls" => Some(Kind::Xls),
            "ods" => Some(Kind::Ods),
            _ => None,
        }
    }

    /// Whether `bytes` begin as a file of this kind must: a zip archive for
    /// all but `.xls`, which is an OLE compound file.
    fn starts(self, bytes: &[u8]) -> bool {
        const ZIP: &[u8] = b"PK\x03\x04";
        const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
        bytes.starts_with(if self == Kind::Xls { OLE } else { ZIP })
    }
}

/// The extensions read as workbooks, for messages.
pub(crate) const EXTENSIONS: &str = ".xlsx, .xlsm, .xlsb, .xls or .ods";

/// Whether `path` names a workbook (by its extension) rather than a facts
/// folder.
pub(crate) fn is_workbook(path: &Path) -> bool {
    Kind::of(path).is_some() && !path.is_dir()
}

/// Reads the workbook at `path` into one table per fact file it has a
/// sheet for. A file that cannot be read as a workbook at all is an error;
/// problems within sheets are collected.
pub(crate) fn read(path: &Path) -> Result<Folder> {
    let cannot = |message: String| Error::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let Some(kind) = Kind::of(path) else {
        return Err(cannot(format!("only {EXTENSIONS} files are workbooks")));
    };
    let bytes = read_limited(path).map_err(cannot)?;
    if bytes.is_empty() {
        return Err(cannot("the file is empty".into()));
    }
    if !kind.starts(&bytes) {
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let message = format!(
            "the file is not in .{} format; open it in a spreadsheet and save it as a workbook",
            extension.unwrap_or_default()
        );
        return Err(cannot(message));
    }
    if kind == Kind::Xls {
        super::xls::within_limits(&bytes).map_err(cannot)?;
    } else {
        inflated_within_limit(&bytes).map_err(cannot)?;
    }
    let name = path.display().to_string();
    // calamine has panicked on damaged files (slices out of range in old
    // .xls records). To the user that is a workbook that cannot be read,
    // so it gets the same error as any other damage rather than a crash;
    // the panic hook may still have printed calamine's message.
    match panic::catch_unwind(AssertUnwindSafe(|| sheets(&name, kind, bytes))) {
        Ok(result) => result.map_err(cannot),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(cannot(format!("the reader failed on it: {what:?}")))
        }
    }
}

/// Reads the workbook file, which must be a regular file (a FIFO or
/// `/dev/zero` would hang or grow without bound) of at most
/// [`MAX_WORKBOOK_BYTES`].
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |source: std::io::Error| format!("cannot read the file: {source}");
    let metadata = fs::metadata(path).map_err(cannot)?;
    if !metadata.is_file() {
        return Err(super::folder::not_regular(&metadata));
    }
    let file = fs::File::open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if !metadata.is_file() {
        return Err(super::folder::not_regular(&metadata));
    }
    let too_large = || {
        format!(
            "the file is larger than {} MiB, the most silsila reads as a workbook",
            MAX_WORKBOOK_BYTES >> 20
        )
    };
    if metadata.len() > MAX_WORKBOOK_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_WORKBOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Refuses a zip workbook whose entries together declare more than
/// [`MAX_INFLATED_BYTES`] (a zip bomb: a few MB that inflate to GBs). An
/// archive the zip reader cannot list is left for calamine to report.
fn inflated_within_limit(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(index) else {
            continue;
        };
        total = total.saturating_add(entry.size());
    }
    if total > MAX_INFLATED_BYTES {
        return Err(format!(
            "it inflates to {} MiB, more than the {} MiB silsila reads from a workbook",
            total >> 20,
            MAX_INFLATED_BYTES >> 20
        ));
    }
    Ok(())
}

/// Opens the workbook named `name` and reads its fact sheets; an error is
/// why it cannot be opened.
fn sheets(name: &str, kind: Kind, bytes: Vec<u8>) -> Result<Folder, String> {
    let bytes = Cursor::new(bytes);
    // An .ods workbook is streamed by this crate's own reader (see
    // `ods`), whose sheets come read; the others are read by calamine.
    let mut read_sheets: Vec<super::ods::ReadSheet> = Vec::new();
    let mut workbook = match kind {
        Kind::Xlsx => open_workbook_from_rs::<Xlsx<_>, _>(bytes)
            .map(|b| Some(Sheets::Xlsx(b)))
            .map_err(|e| e.to_string()),
        Kind::Xlsb => open_workbook_from_rs::<Xlsb<_>, _>(bytes)
            .map(|b| Some(Sheets::Xlsb(b)))
            .map_err(|e| e.to_string()),
        Kind::Xls => open_workbook_from_rs::<Xls<_>, _>(bytes)
            .map(|b| Some(Sheets::Xls(b)))
            .map_err(|e| e.to_string()),
        Kind::Ods => super::ods::sheets(bytes, MAX_INFLATED_BYTES).map(|sheets| {
            read_sheets = sheets;
            None
        }),
    }
    .map_err(|message: String| tidy(&message))?;

    // Chart and macro sheets hold no table, so they are passed over.
    let names: Vec<String> = match &workbook {
        Some(workbook) => workbook
            .sheets_metadata()
            .iter()
            .filter(|sheet| sheet.typ == SheetType::WorkSheet)
            .map(|sheet| sheet.name.clone())
            .collect(),
        None => read_sheets.iter().map(|(name, _)| name.clone()).collect(),
    };
    let mut problems = Vec::new();
    let mut chosen: Vec<Vec<String>> = vec![Vec::new(); FILES.len()];
    for sheet in names {
        let key = sheet.trim().to_lowercase();
        match FILES.iter().position(|f| f.name == key) {
            Some(index) => chosen[index].push(sheet),
            None => {
                let message = match nearest(&key, FILES.iter().map(|f| f.name)) {
                    Some(near) => format!(
                        "the sheet {:?} is not a fact sheet; did you mean {near:?}?",
                        sheet.trim()
                    ),
                    None => format!(
                        "the sheet {:?} is not a fact sheet, so it is ignored",
                        sheet.trim()
                    ),
                };
                problems.push(Found::whole(Problem::warning(name, None, None, message)));
            }
        }
    }

    let mut files: Vec<Option<ReadFile>> = FILES.iter().map(|_| None).collect();
    for ((file, mut sheets), slot) in FILES.iter().zip(chosen).zip(&mut files) {
        if sheets.len() > 1 {
            let quoted: Vec<String> = sheets.iter().map(|s| format!("{:?}", s.trim())).collect();
            let (all_but_last, last) = quoted.split_at(quoted.len() - 1);
            let message = format!(
                "the sheets {} and {} are {} the {} sheet; keep one",
                all_but_last.join(", "),
                last.join(""),
                if quoted.len() == 2 { "both" } else { "all" },
                file.name
            );
            problems.push(Found::whole(Problem::error(name, None, None, message)));
            // Read one all the same, so its own problems are reported too:
            // the one named exactly as the schema names it if there is one.
            sheets.sort_by_key(|s| s.trim() != file.name);
        }
        let Some(sheet) = sheets.into_iter().next() else {
            continue;
        };
        let file = format!("{name}[{}]", sheet.trim());
        let cells = match &mut workbook {
            Some(workbook) => sheet_cells(workbook, &sheet),
            None => read_sheets
                .iter_mut()
                .find(|(name, _)| *name == sheet)
                .map_or_else(
                    || Ok(Cells::new()),
                    |(_, cells)| std::mem::replace(cells, Ok(Cells::new())),
                ),
        };
        *slot = Some(match cells {
            Ok(cells) => {
                let (table, problems) = table_of_cells(file, &cells);
                ReadFile { table, problems }
            }
            Err(message) => {
                let message = format!("cannot read the sheet: {message}");
                let problem = Found::whole(Problem::error(&file, None, None, message));
                ReadFile {
                    table: RawTable::empty(file, Addressing::Cells),
                    problems: vec![problem],
                }
            }
        });
    }
    Ok(Folder { files, problems })
}

/// A message of calamine's in this crate's style: lowercase, no trailing
/// period.
fn tidy(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        // An acronym (`XML`) keeps its case.
        (Some(first), Some(second)) if !second.is_uppercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message.to_string(),
    }
}

/// Reads one sheet's cells. `.xlsx` and `.xlsb` sheets are streamed cell by
/// cell; calamine reads `.xls` sheets only as whole ranges (`.ods` sheets
/// never come here: `ods` streams them).
fn sheet_cells<R: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<R>,
    sheet: &str,
) -> Result<Cells, String> {
    let mut cells = Cells::new();
    let error = |e: &dyn std::fmt::Display| tidy(&e.to_string());
    macro_rules! stream_cells {
        ($book:expr) => {{
            let mut reader = $book.worksheet_cells_reader(sheet).map_err(|e| error(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| error(&e))? {
                push_cell(
                    &mut cells,
                    cell.get_position(),
                    cell.get_value().clone().into(),
                )?;
            }
        }};
    }
    match workbook {
        // calamine's .xlsx and .xlsb cell readers are two types with the
        // same methods and no trait in common.
        Sheets::Xlsx(book) => stream_cells!(book),
        Sheets::Xlsb(book) => stream_cells!(book),
        _ => {
            let range = workbook.worksheet_range(sheet).map_err(|e| error(&e))?;
            cells = cells_of_range(&range)?;
        }
    }
    // Streamed cells come in row order, and within a row by column.
    cells.sort_by_key(|(position, _)| *position);
    Ok(cells)
}

/// The non-empty cells of a range.
fn cells_of_range(range: &Range<Data>) -> Result<Cells, String> {
    let mut cells = Cells::new();
    let (row0, column0) = range.start().unwrap_or_default();
    for (row, column, data) in range.used_cells() {
        push_cell(
            &mut cells,
            (row0 + row as u32, column0 + column as u32),
            data.clone(),
        )?;
    }
    Ok(cells)
}

/// Reads one sheet's cells, reported as `file`, into a table, one row at
/// a time, as wide as the header (or the row's own last cell).
fn table_of_cells(file: String, cells: &Cells) -> (RawTable, Vec<Found>) {
    let first_column = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let rows = cells.chunk_by(|a, b| a.0 .0 == b.0 .0).map(|row| {
        let number = row[0].0 .0;
        let last = row.last().map_or(first_column, |((_, c), _)| *c);
        (number, first_column, last, row)
    });
    table_rows(file, rows)
}

/// Reads one sheet's cells, reported as `file`, into a table.
///
/// The first row with anything in it is the header. A row whose cells in
/// the table's columns are all empty is passed over; a row with an error
/// cell (such as `#N/A`) is reported and left out. Cells right of the
/// header are ignored with a warning, once per column.
#[cfg(test)]
pub(crate) fn table(file: String, range: &Range<Data>) -> (RawTable, Vec<Found>) {
    match cells_of_range(range) {
        Ok(cells) => table_of_cells(file, &cells),
        Err(message) => panic!("{message}"),
    }
}

/// The table of rows given as (row number, first column, last column with
/// a cell, the row's cells by position).
fn table_rows<'c>(
    file: String,
    rows: impl Iterator<Item = (u32, u32, u32, &'c [((u32, u32), Data)])>,
) -> (RawTable, Vec<Found>) {
    let mut table = RawTable::empty(file, Addressing::Cells);
    let mut problems = Vec::new();
    let mut unnamed_reported: Vec<u32> = Vec::new();
    let mut dense: Vec<Data> = Vec::new();
    for (row, first_column, last_column, present) in rows {
        // This row alone, dense from the first column to the header's end
        // (to its own last cell while it may be the header): cells right of
        // the header are only looked at, so a row reaching column XFD
        // costs its cells, not the columns between.
        let width = if table.header_line == 0 {
            (last_column - first_column + 1) as usize
        } else {
            table.header.len()
        };
        dense.clear();
        dense.resize(width, Data::Empty);
        for ((_, column), data) in present {
            if let Some(slot) = dense.get_mut((column - first_column) as usize) {
                *slot = data.clone();
            }
        }
        let cells = dense.as_slice();
        let line = row.saturating_add(1);
        if table.header_line == 0 {
            let mut names = RawRecord::with_capacity(line, cells.len(), 0);
            let mut errors = Vec::new();
            for (column, data) in (first_column..).zip(cells) {
                match text(data) {
                    Ok(text) => names.push(&text),
                    Err(error) => {
                        errors.push((column, error));
                        names.push("");
                    }
                }
            }
            if names.is_blank() && errors.is_empty() {
                continue;
            }
            names.drop_blank_tail(0);
            table.header_line = line;
            table.header = names
                .cells()
                .zip(first_column..)
                .map(|(name, column)| HeaderCell {
                    name: name.to_string(),
                    column,
                })
                .collect();
            for (column, error) in errors {
                let message = error_message(&error);
                problems.push(table.problem_at(Severity::Error, line, column, None, message));
            }
            continue;
        }

        let width = table.header.len();
        let mut record = RawRecord::with_capacity(line, width, 0);
        let mut errors = Vec::new();
        for (index, data) in cells.iter().take(width).enumerate() {
            match text(data) {
                Ok(text) => record.push(&text),
                Err(error) => {
                    errors.push((index, error));
                    record.push("");
                }
            }
        }
        let beyond = present
            .iter()
            .filter(|((_, column), _)| (column - first_column) as usize >= width)
            .map(|((_, column), data)| (*column, data));
        for (column, data) in beyond {
            let empty = matches!(text(data), Ok(text) if text.trim().is_empty());
            if !empty && !unnamed_reported.contains(&column) {
                unnamed_reported.push(column);
                let message = format!(
                    "column {} has no name in the header, so its cells are ignored",
                    table.column_name(column)
                );
                let header_line = table.header_line;
                problems.push(table.problem_at(
                    Severity::Warning,
                    header_line,
                    column,
                    None,
                    message,
                ));
            }
        }
        if !errors.is_empty() {
            for (index, error) in errors {
                let column = table
                    .header
                    .get(index)
                    .map(|h| h.name.as_str())
                    .filter(|name| !name.is_empty());
                problems.push(table.error(line, Some(index), column, error_message(&error)));
            }
            continue;
        }
        // Each row is made at least as wide as the header, so the record
        // has a cell for every header cell.
        if !record.is_blank() {
            table.records.push(record);
        }
    }
    (table, problems)
}

/// What to say of a cell that shows the error `error`, such as `#N/A`.
fn error_message(error: &str) -> String {
    format!("the cell shows the error {error:?}; fix its formula or enter the value itself")
}

/// A cell as the text a CSV export would hold, or the error it shows (such
/// as `#N/A`).
fn text(data: &Data) -> Result<Cow<'_, str>, String> {
    Ok(match data {
        Data::Empty => Cow::Borrowed(""),
        Data::String(text) => Cow::Borrowed(text),
        Data::Int(number) => Cow::Owned(number.to_string()),
        Data::Float(number) => Cow::Owned(number_text(*number)),
        Data::Bool(true) => Cow::Borrowed("true"),
        Data::Bool(false) => Cow::Borrowed("false"),
        Data::DateTime(date) if date.is_datetime() => Cow::Owned(date_text(date)),
        // A duration (`[h]:mm`) is a number of days; no fact is one.
        Data::DateTime(duration) => Cow::Owned(number_text(duration.as_f64())),
        Data::DateTimeIso(text) => Cow::Borrowed(iso_date(text)),
        Data::DurationIso(text) => Cow::Borrowed(text),
        Data::Error(error) => return Err(error.to_string()),
    })
}

/// A number as text: a whole number without a fractional part (`2016`, not
/// `2016.0`), since spreadsheets store every number as a float and years
/// typed as numbers or Admiralty digits must read as a CSV export writes
/// them; any other number as Rust prints it.
fn number_text(number: f64) -> String {
    // Below 2^53 every whole float is an exact integer, and the cast exact.
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        (number as i64).to_string()
    } else {
        number.to_string()
    }
}

/// A date cell as `YYYY-MM-DD`.
///
/// A time of day in the cell is dropped: facts are dated to the day at
/// most, and the day is what the cell shows. A cell with a time but no date
/// (a serial below 1 in the 1900 calendar, which calamine dates 1899-12-31)
/// becomes the time, `HH:MM:SS`, which no date column accepts; a serial
/// outside Excel's calendar (before 1900 or after 9999) stays a number.
fn date_text(date: &ExcelDateTime) -> String {
    let serial = date.as_f64();
    // Checked before converting, which expects a serial in this range.
    if !(0.0..2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    if serial < 1.0 && (year, month, day) == (1899, 12, 31) {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// An ISO 8601 date or date-time cell (as `.ods` files and some `.xlsx`
/// writers store dates) as its date, `YYYY-MM-DD`, dropping the time for
/// the reason [`date_text`] gives; anything else, such as a time alone, as
/// written.
fn iso_date(text: &str) -> &str {
    let bytes = text.as_bytes();
    let dated = bytes.len() >= 10
        && bytes.iter().take(10).enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && bytes.get(10).is_none_or(|b| !b.is_ascii_digit());
    match text.get(..10) {
        Some(date) if dated => date,
        _ => text,
    }
}

#[cfg(test)]
mod tests;
