//! Conclusions do not depend on the order of rows or columns: the seed
//! facts and every case folder, with the data rows and the columns of every
//! CSV file shuffled (the header stays first), give byte for byte the same
//! `silsila infer --format json` as the files as written.
//!
//! The shuffles come from proptest with a fixed seed, so every run tries
//! the same ones, and a failure shrinks towards the fewest rows moved.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

use crate::support::{csv_files, fact_folders, proptest_config, silsila, Scratch};

/// Shuffles per folder; each is one run of the binary.
const SHUFFLES: u32 = 12;

/// One CSV file, parsed: its header and its data records.
struct Sheet {
    name: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn sheets(folder: &Path) -> Vec<Sheet> {
    csv_files(folder)
        .into_iter()
        .map(|(name, bytes)| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            let mut records = reader.records().map(|r| {
                let record = r.unwrap();
                record.iter().map(str::to_string).collect::<Vec<_>>()
            });
            let header = records.next().unwrap_or_default();
            let rows: Vec<Vec<String>> = records.collect();
            assert!(
                rows.iter().all(|row| row.len() == header.len()),
                "{name} in {} has rows as wide as its header",
                folder.display()
            );
            Sheet { name, header, rows }
        })
        .collect()
}

/// A new order for each sheet: of its data rows, and of its columns.
type Shuffle = Vec<(Vec<usize>, Vec<usize>)>;

fn shuffles(sheets: &[Sheet]) -> impl Strategy<Value = Shuffle> {
    sheets
        .iter()
        .map(|sheet| {
            let rows: Vec<usize> = (0..sheet.rows.len()).collect();
            let columns: Vec<usize> = (0..sheet.header.len()).collect();
            (Just(rows).prop_shuffle(), Just(columns).prop_shuffle())
        })
        .collect::<Vec<_>>()
}

/// Writes `sheets` into `dir` in the order `shuffle` gives.
fn write(dir: &Scratch, sheets: &[Sheet], shuffle: &Shuffle) {
    for (sheet, (rows, columns)) in sheets.iter().zip(shuffle) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let pick = |cells: &[String]| -> Vec<String> {
            columns.iter().map(|&c| cells[c].clone()).collect()
        };
        writer.write_record(pick(&sheet.header)).unwrap();
        for &row in rows {
            writer.write_record(pick(&sheet.rows[row])).unwrap();
        }
        dir.write(&sheet.name, writer.into_inner().unwrap());
    }
}

/// The JSON conclusions of a folder, or why there are none.
fn infer(folder: &str, extra: &[String]) -> Result<String, String> {
    let mut args = vec!["infer", "--facts", folder, "--format", "json"];
    args.extend(extra.iter().map(String::as_str));
    let run = silsila(&args);
    // Byte for byte, but for the run's facts path, which names the folder.
    let facts_path = format!("    \"facts\": {:?},", folder);
    match run.code {
        0 => Ok(run
            .stdout
            .lines()
            .filter(|line| *line != facts_path)
            .map(|line| format!("{line}\n"))
            .collect()),
        code => Err(format!("infer exits {code}:\n{}", run.stderr)),
    }
}

/// The conclusions printed in one output and not the other, by relation.
fn differences(expected: &str, got: &str) -> String {
    let parse = |text: &str| crate::support::conclusions_json(text);
    let (expected, got) = (parse(expected), parse(got));
    let mut out = String::new();
    for (relation, rows) in &expected {
        let rows = rows.as_array().unwrap();
        let other = got[relation].as_array().unwrap();
        for row in rows.iter().filter(|r| !other.contains(r)) {
            out.push_str(&format!("  {relation}: only as written: {row}\n"));
        }
        for row in other.iter().filter(|r| !rows.contains(r)) {
            out.push_str(&format!("  {relation}: only shuffled:   {row}\n"));
        }
        if out.is_empty() && rows != other {
            out.push_str(&format!("  {relation}: the same rows in another order\n"));
        }
    }
    out
}

/// What a shuffle moved, for a failure report.
fn moved(sheets: &[Sheet], shuffle: &Shuffle) -> String {
    let mut out = String::new();
    for (sheet, (rows, columns)) in sheets.iter().zip(shuffle) {
        if rows.windows(2).any(|w| w[0] > w[1]) {
            let lines: Vec<String> = rows.iter().map(|r| (r + 2).to_string()).collect();
            out.push_str(&format!(
                "  {}: lines in order {}\n",
                sheet.name,
                lines.join(", ")
            ));
        }
        if columns.windows(2).any(|w| w[0] > w[1]) {
            let names: Vec<&str> = columns.iter().map(|&c| sheet.header[c].as_str()).collect();
            out.push_str(&format!("  {}: columns {}\n", sheet.name, names.join(", ")));
        }
    }
    out
}

#[test]
fn conclusions_do_not_depend_on_the_order_of_rows_or_columns() {
    for (name, folder, extra) in fact_folders() {
        let expected = infer(folder.to_str().unwrap(), &extra).unwrap();
        let sheets = sheets(&folder);
        let scratch = Scratch::new(&format!("order-{name}"));
        let mut runner = TestRunner::new(proptest_config(SHUFFLES));
        let result = runner.run(&shuffles(&sheets), |shuffle| {
            write(&scratch, &sheets, &shuffle);
            match infer(scratch.path(), &extra) {
                Ok(got) if got == expected => Ok(()),
                Ok(got) => Err(TestCaseError::fail(differences(&expected, &got))),
                Err(why) => Err(TestCaseError::fail(why)),
            }
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, shuffle)) => panic!(
                "{name}: shuffling changes the conclusions\n{why}after moving\n{}",
                moved(&sheets, &shuffle)
            ),
            Err(TestError::Abort(why)) => panic!("{name}: {why}"),
        }
    }
}
