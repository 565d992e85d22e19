//! `infer --format xlsx`: the workbook read back with calamine holds, sheet
//! for sheet, exactly what `infer --out DIR` writes as CSV, all as text.

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::support::{silsila, Scratch};

/// A CSV cell as written, without the `'` that neutralises a formula-like
/// cell (a text cell in a workbook needs none).
fn unneutralised(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

#[test]
fn workbook_matches_the_csv_output_sheet_for_sheet() {
    let dir = Scratch::new("conclusions-xlsx");
    let book = dir.0.join("conclusions.xlsx");
    let csv_dir = dir.0.join("csv");
    let run = silsila(&["infer", "--format", "xlsx", "--out", book.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = silsila(&["infer", "--out", csv_dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    let names = workbook.sheet_names();
    let mut csv_names: Vec<String> = std::fs::read_dir(&csv_dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "csv"))
        })
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    csv_names.sort();
    let mut sheet_names: Vec<String> = names[1..].to_vec();
    sheet_names.sort();
    assert_eq!(names[0], "parameters");
    assert_eq!(sheet_names, csv_names);

    let parameters = workbook.worksheet_range("parameters").unwrap();
    let rows: Vec<Vec<String>> = parameters
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        rows.contains(&vec!["as_of".to_string(), "2022-11-15".to_string()]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec!["recent_days".to_string(), "365".to_string()]),
        "{rows:?}"
    );

    let mut compared = 0;
    for name in &csv_names {
        let range = workbook.worksheet_range(name).unwrap();
        let mut sheet: Vec<Vec<String>> = Vec::new();
        for row in range.rows() {
            let mut cells = Vec::new();
            for cell in row {
                match cell {
                    Data::String(text) => cells.push(text.clone()),
                    // An empty cell reads back as Empty; CSV has "".
                    Data::Empty => cells.push(String::new()),
                    other => panic!("{name}: a cell that is not text: {other:?}"),
                }
            }
            sheet.push(cells);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(csv_dir.join(format!("{name}.csv")))
            .unwrap();
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(unneutralised).collect())
            .collect();
        // calamine's range ends at the last non-empty cell of a row; pad.
        for (row, want) in sheet.iter_mut().zip(&expected) {
            row.resize(want.len(), String::new());
        }
        assert_eq!(sheet, expected, "sheet {name}");
        compared += expected.len();
    }
    assert!(compared > 20, "only {compared} rows compared");

    // What calamine does not read: each sheet's frozen header row,
    // autofilter and column widths, in the sheet XML itself.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    // Created as of the run, not when it ran, so a run writes the same bytes.
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    assert!(
        core.contains(">2022-11-15T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    for k in 1..=names.len() {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{k}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "sheet {k}: {xml}"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {k}: {xml}");
        assert!(xml.contains("customWidth=\"1\""), "sheet {k}: {xml}");
    }
}

#[test]
fn xlsx_needs_an_out_file() {
    let run = silsila(&["infer", "--format", "xlsx"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --format xlsx writes a workbook: name it with --out FILE.xlsx\n"
    );
}
