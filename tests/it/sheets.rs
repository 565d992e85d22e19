//! Writing workbooks for tests: a facts folder's CSV files as the sheets an
//! analyst would type (dates as date cells, years and Admiralty digits as
//! numbers), saved as `.xlsx` through rust_xlsxwriter or as `.ods` by hand.

use std::io::Write;
use std::path::Path;

use silsila::schema::{self, ColumnKind};

/// One cell as a spreadsheet stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell, shown as `yyyy-mm-dd`.
    Date(u16, u8, u8),
    /// A date cell with a time of day: year, month, day, hour, minute.
    DateTime(u16, u8, u8, u16, u8),
    /// A formula whose cached result is an error, such as `#N/A`.
    Error(&'static str),
}

/// A sheet: its name and its rows from the top, each row's cells from
/// column A.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Text cells, for writing sheets by hand.
pub fn texts(cells: &[&str]) -> Vec<Cell> {
    cells
        .iter()
        .map(|text| match *text {
            "" => Cell::Empty,
            text => Cell::Text(text.to_string()),
        })
        .collect()
}

/// The CSV files of `folder` as sheets named by `sheet_name` (given the
/// file name without `.csv`), each CSV record on the sheet row of its line.
/// A date column's `YYYY-MM-DD` becomes a date cell and its `YYYY` a number,
/// as would a confidence column's digit; `YYYY-MM`, which no cell type
/// holds, stays text, as does everything else.
pub fn from_folder(folder: &Path, sheet_name: impl Fn(&str) -> String) -> Vec<Sheet> {
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            let file = schema::file(stem);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(path)
                .unwrap();
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            let mut kinds: Vec<Option<ColumnKind>> = Vec::new();
            for record in reader.records() {
                let record = record.unwrap();
                let line = record.position().unwrap().line() as usize;
                if kinds.is_empty() {
                    kinds = record
                        .iter()
                        .map(|name| {
                            let name = name.trim().to_lowercase();
                            file.and_then(|f| f.column(&name)).map(|c| c.kind)
                        })
                        .collect();
                    rows.push(texts(&record.iter().collect::<Vec<_>>()));
                    continue;
                }
                rows.resize_with(line - 1, Vec::new);
                let cells = record
                    .iter()
                    .zip(kinds.iter().chain(std::iter::repeat(&None)))
                    .map(|(text, kind)| typed(text, *kind))
                    .collect();
                rows.push(cells);
            }
            Sheet {
                name: sheet_name(stem),
                rows,
            }
        })
        .collect()
}

/// The cell an analyst would type for `text` in a column of `kind`.
fn typed(text: &str, kind: Option<ColumnKind>) -> Cell {
    let trimmed = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (kind, trimmed.split('-').collect::<Vec<_>>().as_slice()) {
        (Some(ColumnKind::Date), [y, m, d])
            if y.len() == 4 && digits(y) && digits(m) && digits(d) =>
        {
            Cell::Date(y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap())
        }
        (Some(ColumnKind::Date), [y]) if y.len() == 4 && digits(y) => {
            Cell::Number(y.parse().unwrap())
        }
        (Some(ColumnKind::Confidence), [digit]) if digits(digit) => {
            Cell::Number(digit.parse().unwrap())
        }
        _ if text.is_empty() => Cell::Empty,
        _ => Cell::Text(text.to_string()),
    }
}

/// Saves `sheets` as an `.xlsx` workbook.
pub fn write_xlsx(sheets: &[Sheet], path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name).unwrap();
        for (row, cells) in (0..).zip(&sheet.rows) {
            for (column, cell) in (0..).zip(cells) {
                match cell {
                    Cell::Empty => continue,
                    Cell::Text(text) => worksheet.write_string(row, column, text),
                    Cell::Number(number) => worksheet.write_number(row, column, *number),
                    Cell::Date(y, m, d) => {
                        let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        worksheet.write_datetime_with_format(row, column, day, &date)
                    }
                    Cell::DateTime(y, m, d, hour, minute) => {
                        let moment = ExcelDateTime::from_ymd(*y, *m, *d)
                            .unwrap()
                            .and_hms(*hour, *minute, 0)
                            .unwrap();
                        worksheet.write_datetime_with_format(row, column, moment, &date_time)
                    }
                    Cell::Error(error) => {
                        let formula = Formula::new("=NA()").set_result(*error);
                        worksheet.write_formula(row, column, formula)
                    }
                }
                .unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

/// Saves `sheets` as an `.ods` workbook: a zip archive of the mimetype, a
/// manifest and `content.xml`, which is all a reader needs.
pub fn write_ods(sheets: &[Sheet], path: &Path) {
    use zip::write::SimpleFileOptions;
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for sheet in sheets {
        content.push_str(&format!(
            r#"<table:table table:name="{}">"#,
            escape(&sheet.name)
        ));
        for cells in &sheet.rows {
            content.push_str("<table:table-row>");
            if cells.is_empty() {
                content.push_str("<table:table-cell/>");
            }
            for cell in cells {
                content.push_str(&match cell {
                    Cell::Empty => "<table:table-cell/>".to_string(),
                    Cell::Text(text) => format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        escape(text)
                    ),
                    Cell::Number(number) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{number}"><text:p>{number}</text:p></table:table-cell>"#
                    ),
                    Cell::Date(y, m, d) => format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}"><text:p>{d}/{m}/{y}</text:p></table:table-cell>"#
                    ),
                    Cell::DateTime(y, m, d, hour, minute) => format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}T{hour:02}:{minute:02}:00"><text:p>{d}/{m}/{y}</text:p></table:table-cell>"#
                    ),
                    Cell::Error(error) => panic!("no .ods error cell for {error}"),
                });
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    // The mimetype comes first and uncompressed, so a reader can tell the
    // format from the file's first bytes.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let files = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ];
    for (name, text) in files {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
