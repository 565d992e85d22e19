//! Hostile `.ods` workbooks: memory follows the cells present, never the
//! span between the first and the last, however far away a cell is or
//! however many rows reach far to the right; repeat counts and space counts
//! cannot make the reader spell out billions of cells or characters.
//!
//! An `.xls` workbook has no cell-by-cell reader: one whose sheet would be
//! held as a range past the cell limit is refused, naming the sheet and its
//! span, before calamine allocates anything.

use std::io::Write;

use crate::support::{checks_with_only_the_xfd_warning, silsila, Scratch};

/// Writes an `.ods` workbook whose content.xml body (inside
/// `office:spreadsheet`) is `tables`, and returns its path.
fn write_ods(scratch: &Scratch, tables: &str) -> String {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let path = scratch.0.join("book.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    path.to_str().unwrap().to_string()
}

/// A row of one text cell after `skip` empty columns.
fn row(skip: u32, text: &str) -> String {
    let empty = if skip > 0 {
        format!(r#"<table:table-cell table:number-columns-repeated="{skip}"/>"#)
    } else {
        String::new()
    };
    format!(
        r#"<table:table-row>{empty}<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell></table:table-row>"#
    )
}

#[test]
fn a_cell_at_xfd1048576_of_an_ods_sheet_costs_one_cell() {
    let scratch = Scratch::new("ods-far-cell");
    let book = write_ods(
        &scratch,
        &format!(
            r#"<table:table table:name="sources">{}{}<table:table-row table:number-rows-repeated="1048573"><table:table-cell/></table:table-row>{}</table:table>"#,
            row(0, "id"),
            row(0, "s1"),
            row(16_383, "far"),
        ),
    );
    let run = silsila(&["check", "--facts", &book]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!(
                "warning: {book}[sources]!XFD1: column XFD has no name in the header, so its cells are ignored\n\
                 {book}: no errors, 1 warning\n"
            ),
            String::new()
        )
    );
}

#[test]
fn many_rows_reaching_column_xfd_cost_their_cells_only() {
    // Read densely row by row, as calamine reads .ods, these 40,000 rows
    // would be 655 million cells (tens of GB); they are 40,002 cells.
    let scratch = Scratch::new("ods-far-rows");
    let mut rows = row(0, "id") + &row(0, "s1");
    for _ in 0..40_000 {
        rows.push_str(&row(16_383, "x"));
    }
    let book = write_ods(
        &scratch,
        &format!(r#"<table:table table:name="sources">{rows}</table:table>"#),
    );
    checks_with_only_the_xfd_warning(&book);
}

#[test]
fn repeat_counts_past_a_sheets_bounds_are_refused_not_spelt_out() {
    let scratch = Scratch::new("ods-repeats");
    // A non-empty cell repeated four billion times to the right, and a row
    // repeated four billion times down: past the sheet's last column and
    // row, so the sheet is an error; a space count of four billion is cut
    // to what a cell can hold.
    let book = write_ods(
        &scratch,
        &format!(
            r#"<table:table table:name="sources">{}<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="4000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table><table:table table:name="aliases"><table:table-row><table:table-cell office:value-type="string"><text:p>alias</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>name</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/>b</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>c</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="4000000000"><table:table-cell office:value-type="string"><text:p>d</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>e</text:p></table:table-cell></table:table-row></table:table>"#,
            row(0, "id"),
        ),
    );
    let run = silsila(&["check", "--facts", &book]);
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "error: {book}[sources]: cannot read the sheet: a cell is repeated past a spreadsheet's last column (16,384, XFD), from column 1\n\
                 error: {book}[aliases]: cannot read the sheet: a cell lies past a spreadsheet's last row (1,048,576) or column (16,384, XFD): row 1048577, column 1\n\
                 {book}: 2 errors, no warnings\n"
            )
        )
    );
}

/// A BIFF8 record.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_le_bytes().to_vec();
    bytes.extend((data.len() as u16).to_le_bytes());
    bytes.extend(data);
    bytes
}

/// Writes an `.xls` workbook of one sheet named `sources` whose records
/// after its BOF are `sheet`, and returns its path.
fn write_xls(scratch: &Scratch, sheet: &[u8]) -> String {
    let bof = |kind: u16| {
        let mut data = vec![0u8; 16];
        data[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        data[2..4].copy_from_slice(&kind.to_le_bytes());
        record(0x0809, &data)
    };
    let bound_sheet = |position: u32| {
        let mut data = position.to_le_bytes().to_vec();
        data.extend([0, 0, 7, 0]);
        data.extend(b"sources");
        record(0x0085, &data)
    };
    let globals_len = (bof(5).len() + bound_sheet(0).len() + record(0x000A, &[]).len()) as u32;
    let mut stream = bof(5);
    stream.extend(bound_sheet(globals_len));
    stream.extend(record(0x000A, &[]));
    stream.extend(bof(0x10));
    stream.extend(sheet);
    stream.extend(record(0x000A, &[]));
    let path = scratch.0.join("book.xls");
    let mut file = cfb::create(&path).unwrap();
    let mut workbook = file.create_stream("Workbook").unwrap();
    workbook.write_all(&stream).unwrap();
    drop(workbook);
    file.flush().unwrap();
    path.to_str().unwrap().to_string()
}

/// A Number record at (row, column).
fn number(row: u16, column: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(column.to_le_bytes());
    data.extend([0, 0]);
    data.extend(1.0f64.to_le_bytes());
    record(0x0203, &data)
}

#[test]
fn an_xls_sheet_held_whole_past_the_cell_limit_is_refused_not_allocated() {
    let scratch = Scratch::new("xls-dimensions");
    // Dimensions declaring the last row and column: calamine would
    // reserve 2^34 cells for it.
    let mut dimensions = 0u32.to_le_bytes().to_vec();
    dimensions.extend(1_048_576u32.to_le_bytes());
    dimensions.extend(0u16.to_le_bytes());
    dimensions.extend(16_384u16.to_le_bytes());
    dimensions.extend([0, 0]);
    let book = write_xls(&scratch, &record(0x0200, &dimensions));
    let run = silsila(&["check", "--facts", &book]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            1,
            String::new(),
            format!(
                "error: {book}: cannot read the workbook: its sheet \"sources\" spans 1048576 rows by 16384 columns (17179869184 cells), which the .xls reader holds whole; silsila reads at most 10000000 cells from a sheet, so save the workbook as .xlsx, whose sheets are read cell by cell\n"
            )
        )
    );

    // Two cells far apart: a dense range of 2^32 cells.
    let scratch = Scratch::new("xls-far-cells");
    let cells = [number(0, 0), number(65_535, 65_535)].concat();
    let book = write_xls(&scratch, &cells);
    let run = silsila(&["check", "--facts", &book]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("spans 65536 rows by 65536 columns (4294967296 cells)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_small_xls_sheet_is_left_to_calamine() {
    let scratch = Scratch::new("xls-small");
    let book = write_xls(&scratch, &[number(0, 0), number(1, 0)].concat());
    let run = silsila(&["check", "--facts", &book]);
    // Read by calamine: the number 1 is the header, and not a column.
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{}", run.stdout);
    assert_eq!(
        run.stdout,
        format!(
            "error: {book}[sources]!B1: the required column \"id\" is missing\n\
             warning: {book}[sources]!A1: column \"1\" is not a column of the sources sheet; rename it \"x_1\" if it is your own\n\
             {book}: 1 error, 1 warning\n"
        )
    );
}
