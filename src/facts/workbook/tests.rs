//! Unit tests of `workbook`.

use calamine::{CellErrorType, ExcelDateTimeType};

use super::*;

fn serial(value: f64) -> Data {
    Data::DateTime(ExcelDateTime::new(
        value,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

#[test]
fn cells_read_as_a_csv_export_writes_them() {
    let cases = [
        (Data::Empty, ""),
        (Data::String(" Abu Bakr ".into()), " Abu Bakr "),
        (Data::Int(2016), "2016"),
        (Data::Float(2016.0), "2016"),
        (Data::Float(-0.0), "0"),
        (Data::Float(3.0), "3"),
        (Data::Float(2.5), "2.5"),
        (Data::Float(0.1 + 0.2), "0.30000000000000004"),
        (Data::Float(1e20), "100000000000000000000"),
        (Data::Float(2.5e-7), "0.00000025"),
        (Data::Float(f64::NAN), "NaN"),
        (Data::Bool(true), "true"),
        (Data::Bool(false), "false"),
        (serial(44880.0), "2022-11-15"),
        (serial(44880.75), "2022-11-15"),
        (serial(44_880.999_999_9), "2022-11-15"),
        (serial(1.0), "1900-01-01"),
        (serial(60.0), "1900-02-29"),
        (serial(61.0), "1900-03-01"),
        (serial(2_958_465.0), "9999-12-31"),
        (serial(0.5), "12:00:00"),
        (serial(0.0), "00:00:00"),
        (serial(-1.0), "-1"),
        (serial(3e6), "3000000"),
        (serial(f64::INFINITY), "inf"),
        (
            Data::DateTime(ExcelDateTime::new(0.0, ExcelDateTimeType::DateTime, true)),
            "1904-01-01",
        ),
        (
            Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false)),
            "1.5",
        ),
        (Data::DateTimeIso("2022-11-15".into()), "2022-11-15"),
        (
            Data::DateTimeIso("2022-11-15T08:30:00".into()),
            "2022-11-15",
        ),
        (Data::DateTimeIso("2022-11-15Z".into()), "2022-11-15"),
        (Data::DateTimeIso("20221-11-15".into()), "20221-11-15"),
        (Data::DateTimeIso("08:30:00".into()), "08:30:00"),
        (Data::DateTimeIso("2022-1é".into()), "2022-1é"),
        (Data::DurationIso("PT8H30M".into()), "PT8H30M"),
    ];
    for (data, expected) in cases {
        assert_eq!(text(&data).as_deref(), Ok(expected), "{data:?}");
    }
    assert_eq!(
        text(&Data::Error(CellErrorType::NA)),
        Err("#N/A".to_string())
    );
}

/// Reads a sheet given as rows of cells starting at `start` and shows
/// the table as `line: cell|cell` rows, then the problems.
#[track_caller]
fn check(start: (u32, u32), rows: Vec<Vec<Data>>, expected: &[&str]) {
    let height = rows.len() as u32;
    let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let mut range = Range::new(start, (start.0 + height - 1, start.1 + width - 1));
    for (r, row) in (start.0..).zip(rows) {
        for (c, data) in (start.1..).zip(row) {
            range.set_value((r, c), data);
        }
    }
    let (table, problems) = table("book.xlsx[x]".into(), &range);
    let mut got = Vec::new();
    if table.header_line != 0 {
        let names: Vec<_> = table
            .header
            .iter()
            .map(|h| format!("{}={}", super::super::raw::column_letters(h.column), h.name))
            .collect();
        got.push(format!("{}: {}", table.header_line, names.join("|")));
    }
    for record in &table.records {
        let cells: Vec<_> = record.cells().collect();
        got.push(format!("{}: {}", record.line, cells.join("|")));
    }
    got.extend(problems.iter().map(|p| p.problem.to_string()));
    assert_eq!(got, expected);
}

fn s(text: &str) -> Data {
    Data::String(text.into())
}

#[test]
fn the_header_is_the_first_row_with_anything_in_it() {
    check(
        (1, 1),
        vec![
            vec![Data::Empty, Data::Empty, Data::Empty],
            vec![s("member"), s(" Start "), Data::Empty],
            vec![s("Abu Bakr"), serial(44880.0), Data::Empty],
            vec![Data::Empty, s("  "), Data::Empty],
            vec![s("x"), Data::Float(2016.0), Data::Empty],
        ],
        &["3: B=member|C=Start", "4: Abu Bakr|2022-11-15", "6: x|2016"],
    );
}

#[test]
fn error_cells_are_reported_and_their_rows_left_out() {
    check(
        (0, 0),
        vec![
            vec![s("member"), Data::Error(CellErrorType::Ref), s("start")],
            vec![s("A"), s("x"), Data::Error(CellErrorType::NA)],
            vec![s("B"), s("y"), s("2016")],
        ],
        &[
            "1: A=member|B=|C=start",
            "3: B|y|2016",
            "book.xlsx[x]!B1: the cell shows the error \"#REF!\"; fix its formula or enter the value itself",
            "book.xlsx[x]!C2: column \"start\": the cell shows the error \"#N/A\"; fix its formula or enter the value itself",
        ],
    );
}

#[test]
fn cells_right_of_the_header_are_ignored_with_one_warning_per_column() {
    check(
        (0, 0),
        vec![
            vec![s("place"), Data::Empty, Data::Empty, Data::Empty],
            vec![s("Mosul"), Data::Empty, s("note"), Data::Empty],
            vec![
                s("Raqqa"),
                Data::Empty,
                s("more"),
                Data::Error(CellErrorType::NA),
            ],
            vec![Data::Empty, s("only here"), Data::Empty, Data::Empty],
        ],
        &[
            "1: A=place",
            "2: Mosul",
            "3: Raqqa",
            "book.xlsx[x]!C1: column C has no name in the header, so its cells are ignored",
            "book.xlsx[x]!D1: column D has no name in the header, so its cells are ignored",
            "book.xlsx[x]!B1: column B has no name in the header, so its cells are ignored",
        ],
    );
}

#[test]
fn an_empty_sheet_has_no_header() {
    check((0, 0), vec![vec![Data::Empty]], &[]);
    let (table, problems) = table("book.xlsx[x]".into(), &Range::empty());
    assert!(table.is_empty() && problems.is_empty());
}

#[test]
fn calamine_messages_are_tidied() {
    assert_eq!(
        tidy("Zip error: invalid Zip archive."),
        "zip error: invalid Zip archive"
    );
    assert_eq!(tidy("XML error"), "XML error");
    assert_eq!(tidy(""), "");
}

#[test]
fn workbooks_are_known_by_their_extension_in_any_case() {
    let kinds: Vec<_> = ["a.xlsx", "b.XLSM", "c.xlsb", "d.Xls", "e.ods", "f.csv", "g"]
        .into_iter()
        .map(|name| Kind::of(Path::new(name)))
        .collect();
    assert_eq!(
        kinds,
        [
            Some(Kind::Xlsx),
            Some(Kind::Xlsx),
            Some(Kind::Xlsb),
            Some(Kind::Xls),
            Some(Kind::Ods),
            None,
            None
        ]
    );
}
