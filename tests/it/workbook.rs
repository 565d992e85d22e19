//! Workbooks as facts: a workbook and the CSV files it was made from give
//! the same facts and the same conclusions, and every problem in a workbook
//! names its sheet and cell.

use std::path::Path;

use silsila::conclusion::ConclusionTable;
use silsila::dl::syntax::DeclKind;
use silsila::facts::{self, Date, Facts};
use silsila::{conclusion, eval, rules};

use crate::sheets::{from_folder, texts, write_ods, write_xlsx, Cell, Sheet};
use crate::support::{
    case_args, case_folders, checks_with_only_the_xfd_warning, root, silsila, Scratch,
};

/// The run options a case folder's `args` file asks for.
fn options(folder: &Path) -> eval::Options {
    let mut options = eval::Options {
        as_of: None,
        recent_days: 365,
    };
    let args = case_args(folder);
    for pair in args.windows(2) {
        match pair[0].as_str() {
            "--as-of" => options.as_of = Some(Date::parse(&pair[1]).unwrap()),
            "--recent" => options.recent_days = pair[1].parse().unwrap(),
            _ => {}
        }
    }
    options
}

/// Every printed relation's conclusions, as `silsila infer` computes them.
fn conclusions(facts: &Facts, options: &eval::Options) -> Vec<ConclusionTable> {
    let checked = rules::rules().unwrap();
    let model = eval::run(facts, options).unwrap();
    let printed: Vec<usize> = (0..checked.relations.len())
        .filter(|&i| checked.relations[i].kind == DeclKind::Output)
        .collect();
    conclusion::tables(facts, checked, &model, &printed)
}

/// Asserts that `book` holds the facts of `csv` row for row, on the same
/// lines, with only the files the rows come from told apart.
#[track_caller]
fn assert_same_facts(csv: &Facts, book: &Facts, what: &str) {
    assert_eq!(csv.names.len(), book.names.len(), "{what}: names");
    assert_eq!(csv.sources().len(), book.sources().len(), "{what}: sources");
    for (a, b) in csv.sources().iter().zip(book.sources()) {
        assert_eq!(a.origin.line, b.origin.line, "{what}: source {}", a.origin);
        assert_ne!(a.origin.file, b.origin.file);
        let b = facts::Source {
            origin: a.origin.clone(),
            ..b.clone()
        };
        assert_eq!(*a, b, "{what}: source {}", a.origin);
    }
    assert_eq!(csv.tables.len(), book.tables.len());
    for (a, b) in csv.tables.iter().zip(&book.tables) {
        assert_eq!(a.file.name, b.file.name);
        assert_eq!(
            a.rows.len(),
            b.rows.len(),
            "{what}: rows of {}",
            a.file.name
        );
        assert_eq!(a.sheet, None);
        // A relation with no sheet has no rows, but for the vocabulary
        // shipped with silsila.
        assert!(
            b.sheet.is_some()
                || b.rows
                    .iter()
                    .all(|r| &*r.origin.file == silsila::schema::SHIPPED_VOCABULARY)
        );
        for (a, b) in a.rows.iter().zip(&b.rows) {
            assert_eq!(a.origin.line, b.origin.line, "{what}: row {}", a.origin);
            let shipped = &*a.origin.file == silsila::schema::SHIPPED_VOCABULARY;
            assert_eq!(
                shipped,
                a.origin.file == b.origin.file,
                "{what}: {}",
                a.origin
            );
            let b = facts::Row {
                origin: a.origin.clone(),
                ..b.clone()
            };
            assert_eq!(*a, b, "{what}: row {}", a.origin);
        }
    }
    let places = |facts: &Facts| -> Vec<_> {
        let warnings = facts.warnings.iter();
        warnings.map(|w| (w.line, w.column.clone())).collect()
    };
    assert_eq!(places(csv), places(book), "{what}: warnings");
    assert!(book.warnings.iter().all(|w| w.cell.is_some()));
}

/// `membership` → `Membership`: sheet names match in any case.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn a_workbook_gives_the_facts_and_conclusions_of_its_csv_files() {
    let folders = [("seed".to_string(), root().join("facts"))]
        .into_iter()
        .chain(case_folders());
    for (name, folder) in folders {
        let scratch = Scratch::new(&format!("workbook-same-{name}"));
        let xlsx_sheets = from_folder(&folder, capitalised);
        let cells = || xlsx_sheets.iter().flat_map(|s| &s.rows).flatten();
        if name == "seed" {
            let dates = cells().filter(|c| matches!(c, Cell::Date(..))).count();
            let numbers = cells().filter(|c| matches!(c, Cell::Number(..))).count();
            assert!(dates >= 5, "the seed's dates are date cells: {dates}");
            assert!(numbers >= 5, "the seed's years are numbers: {numbers}");
        }
        let xlsx = scratch.0.join("book.xlsx");
        write_xlsx(&xlsx_sheets, &xlsx);
        let ods = scratch.0.join("book.ods");
        write_ods(&from_folder(&folder, str::to_string), &ods);

        let options = options(&folder);
        let csv = silsila::load(&folder).unwrap();
        let expected = conclusions(&csv, &options);
        assert!(expected.iter().any(|t| !t.rows.is_empty()), "{name}");
        for book in [xlsx, ods] {
            let what = format!("{name} as {}", book.display());
            let loaded = silsila::load(&book).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_same_facts(&csv, &loaded, &what);
            assert_eq!(conclusions(&loaded, &options), expected, "{what}");
        }
    }
}

#[test]
fn infer_and_check_read_a_workbook_as_they_read_its_folder() {
    let scratch = Scratch::new("workbook-cli");
    let book = scratch.0.join("seed.xlsx");
    write_xlsx(&from_folder(&root().join("facts"), capitalised), &book);
    let book = book.to_str().unwrap();
    let from_folder = silsila(&["infer", "--facts", "facts", "--format", "json"]);
    let from_book = silsila(&["infer", "--facts", book, "--format", "json"]);
    assert_eq!(from_folder.code, 0, "{}", from_folder.stderr);
    assert_eq!(from_book.code, 0, "{}", from_book.stderr);
    // The same conclusions; only the run's facts path differs.
    let conclusions = |stdout: &str| {
        let mut json: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(stdout).unwrap();
        let run = json.shift_remove("run").unwrap();
        (json, run["as_of"].clone())
    };
    assert_eq!(
        conclusions(&from_book.stdout),
        conclusions(&from_folder.stdout)
    );
    let table = silsila(&["infer", "--facts", book]);
    assert_eq!(table.stdout, silsila(&["infer"]).stdout);

    let check = silsila(&["check", "--facts", book]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let folder_check = silsila(&["check"]);
    let summary = |stdout: &str| stdout.lines().last().unwrap().to_string();
    let counts = summary(&folder_check.stdout).replacen("facts: ", "", 1);
    assert_eq!(summary(&check.stdout), format!("{book}: {counts}"));
}

#[test]
fn a_bad_date_names_the_workbook_sheet_and_cell() {
    let scratch = Scratch::new("workbook-bad-date");
    let book = scratch.0.join("book.xlsx");
    write_xlsx(
        &[
            Sheet {
                name: "sources".into(),
                rows: vec![texts(&["id"]), texts(&["s1"])],
            },
            Sheet {
                name: "membership".into(),
                rows: vec![
                    texts(&["member", "group", "role", "start", "source"]),
                    vec![
                        Cell::Text("Ann".into()),
                        Cell::Text("Cell".into()),
                        Cell::Empty,
                        Cell::Date(2022, 11, 15),
                        Cell::Text("s1".into()),
                    ],
                    texts(&["Bob", "Cell", "", "15/11/2022", "s1"]),
                ],
            },
        ],
        &book,
    );
    let book = book.to_str().unwrap();
    let run = silsila(&["infer", "--facts", book]);
    assert_eq!(
        run.stderr,
        format!(
            "error: {book}[membership]!D3: column \"start\": \"15/11/2022\" is not a date: with \
             slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or \
             YYYY-MM-DD\n"
        )
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
}

#[test]
fn a_bad_part_of_names_the_sources_sheet_cell() {
    let scratch = Scratch::new("workbook-part-of");
    let book = scratch.0.join("book.xlsx");
    write_xlsx(
        &[Sheet {
            name: "sources".into(),
            rows: vec![
                texts(&["id", "claimant", "part_of"]),
                texts(&["tna-2022-11", "", ""]),
                texts(&["tna/askara", "Al-Askara", "tna-2022-1"]),
                texts(&["a", "", "a"]),
            ],
        }],
        &book,
    );
    let book = book.to_str().unwrap();
    let run = silsila(&["check", "--facts", book]);
    assert_eq!(
        run.stdout,
        format!(
            "error: {book}[sources]!C3: column \"part_of\": unknown source \"tna-2022-1\"; did you \
             mean \"tna-2022-11\"?\n\
             error: {book}[sources]!C4: column \"part_of\": the part_of references on row 4 form \
             a cycle: \"a\" → \"a\"\n\
             {book}: 2 errors, no warnings\n"
        )
    );
    assert_eq!(run.code, 1);
}

#[test]
fn check_names_the_cell_of_every_problem_in_a_workbook() {
    let scratch = Scratch::new("workbook-check");
    let path = scratch.0.join("book.xlsx");
    let text = |t: &str| Cell::Text(t.into());
    write_xlsx(
        &[
            Sheet {
                name: "Notes".into(),
                rows: vec![texts(&["anything"])],
            },
            Sheet {
                name: " Sources ".into(),
                rows: vec![texts(&["id", "date"]), texts(&["s1", "2022-13"])],
            },
            Sheet {
                name: "Memberships".into(),
                rows: vec![texts(&["member"])],
            },
            Sheet {
                name: "membership".into(),
                rows: vec![
                    Vec::new(),
                    texts(&[
                        "",
                        "member",
                        "group",
                        "strat",
                        "start",
                        "source",
                        "confidence",
                    ]),
                    vec![
                        Cell::Empty,
                        text("Ann"),
                        text("Cell"),
                        Cell::Empty,
                        Cell::DateTime(2022, 11, 15, 18, 30),
                        text("s9"),
                        Cell::Number(2.0),
                    ],
                    vec![
                        Cell::Empty,
                        text("Bob"),
                        text("Cell"),
                        Cell::Empty,
                        Cell::Number(2016.0),
                        text("s1"),
                        Cell::Error("#N/A"),
                    ],
                    vec![
                        Cell::Empty,
                        Cell::Empty,
                        text("Cell"),
                        Cell::Empty,
                        Cell::Number(2016.5),
                        text("s1"),
                        Cell::Number(7.0),
                        text("stray"),
                    ],
                ],
            },
            Sheet {
                name: "mergers".into(),
                rows: vec![
                    texts(&["from", "into", "kind"]),
                    texts(&["A", "B", "merger"]),
                ],
            },
        ],
        &path,
    );
    let book = path.to_str().unwrap();
    let run = silsila(&["check", "--facts", book]);
    let expected = [
        "warning: {book}: the sheet \"Notes\" is not a fact sheet, so it is ignored",
        "warning: {book}: the sheet \"Memberships\" is not a fact sheet; did you mean \"membership\"?",
        "error: {book}[Sources]!B2: column \"date\": \"2022-13\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD",
        "warning: {book}[membership]!D2: column \"strat\" is not a column of the membership sheet; rename it \"x_strat\" if it is your own",
        "warning: {book}[membership]!H2: column H has no name in the header, so its cells are ignored",
        "error: {book}[membership]!F3: column \"source\": unknown source \"s9\"",
        "error: {book}[membership]!G4: column \"confidence\": the cell shows the error \"#N/A\"; fix its formula or enter the value itself",
        "error: {book}[membership]!B5: column \"member\": a value is required",
        "error: {book}[membership]!E5: column \"start\": \"2016.5\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
        "error: {book}[membership]!G5: column \"confidence\": \"7\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
        "error: {book}[mergers]!D1: the required column \"source\" is missing",
        "{book}: 7 errors, 4 warnings",
    ]
    .map(|line| line.replace("{book}", book));
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(run.code, 1);
}

#[test]
fn warnings_found_after_loading_name_their_cell_too() {
    let scratch = Scratch::new("workbook-lint");
    let path = scratch.0.join("book.ods");
    write_ods(
        &[
            Sheet {
                name: "sources".into(),
                rows: vec![texts(&["id"]), texts(&["s1"])],
            },
            Sheet {
                name: "places".into(),
                rows: vec![
                    texts(&["place", "within", "kind"]),
                    texts(&["Daraa", "Syria", ""]),
                    texts(&["Syria", "", "governorate"]),
                ],
            },
            Sheet {
                name: "locations".into(),
                rows: vec![
                    texts(&["source", "entity", "place", "start"]),
                    vec![
                        Cell::Text("s1".into()),
                        Cell::Text("Cell".into()),
                        Cell::Text("Jasim".into()),
                        Cell::DateTime(2022, 11, 15, 9, 0),
                    ],
                    vec![
                        Cell::Text("s1".into()),
                        Cell::Text("Cell".into()),
                        Cell::Text("Daraa".into()),
                        Cell::Number(2022.0),
                    ],
                ],
            },
        ],
        &path,
    );
    let book = path.to_str().unwrap();
    let run = silsila(&["check", "--facts", book]);
    let expected = [
        "warning: {book}[places]!C2: column \"kind\": place \"Daraa\" has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)",
        "warning: {book}[places]!B3: column \"within\": place \"Syria\" is not placed within anything",
        "warning: {book}[locations]!C2: column \"place\": place \"Jasim\" is not in the places sheet, so nothing is known of its kind or where it lies",
        "{book}: no errors, 3 warnings",
    ]
    .map(|line| line.replace("{book}", book));
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(run.code, 0);
}

#[test]
fn a_file_that_is_no_workbook_is_an_error_not_a_crash() {
    let scratch = Scratch::new("workbook-corrupt");
    scratch
        .write("text.xlsx", "member,group\n")
        .write("empty.ods", "")
        .write("broken.xlsx", b"PK\x03\x04 and then nothing")
        .write(
            "broken.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and then nothing",
        );
    let p = scratch.path();
    let cases = [
        (
            "text.xlsx",
            "the file is not in .xlsx format; open it in a spreadsheet and save it as a workbook",
        ),
        ("empty.ods", "the file is empty"),
        (
            "broken.xlsx",
            "zip error: invalid Zip archive: Could not find EOCD",
        ),
        (
            "broken.xls",
            "cfb error: I/O error: failed to fill whole buffer",
        ),
    ];
    for (name, why) in cases {
        for command in ["infer", "check"] {
            let path = format!("{p}/{name}");
            let run = silsila(&[command, "--facts", &path]);
            assert_eq!(
                run.stderr,
                format!("error: {path}: cannot read the workbook: {why}\n")
            );
            assert_eq!((run.code, run.stdout.as_str()), (1, ""));
        }
    }
    let run = silsila(&["infer", "--facts", &format!("{p}/none.xlsx")]);
    assert_eq!(
        run.stderr,
        format!(
            "error: {p}/none.xlsx: there is no such workbook; name the facts workbook or folder \
             with --facts PATH\n"
        )
    );
    scratch.write("facts.txt", "");
    let run = silsila(&["infer", "--facts", &format!("{p}/facts.txt")]);
    assert_eq!(
        run.stderr,
        format!(
            "error: {p}/facts.txt: this is neither a folder nor a workbook (.xlsx, .xlsm, .xlsb, \
             .xls or .ods); name the facts folder or workbook with --facts PATH\n"
        )
    );
}

#[test]
fn garbled_workbooks_never_panic() {
    let scratch = Scratch::new("workbook-garbled");
    let good = scratch.0.join("good.xlsx");
    write_xlsx(&from_folder(&root().join("facts"), str::to_string), &good);
    let bytes = std::fs::read(&good).unwrap();
    // A xorshift generator, seeded: the same damage on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    for round in 0..60 {
        let mut damaged = bytes.clone();
        if round % 3 == 0 {
            damaged.truncate(next() % bytes.len());
        } else {
            for _ in 0..1 + next() % 8 {
                let at = next() % damaged.len();
                damaged[at] = next() as u8;
            }
        }
        let path = scratch.0.join(format!("damaged-{round}.xlsx"));
        std::fs::write(&path, &damaged).unwrap();
        // Loading may succeed or fail, but it must return.
        let _ = silsila::check(&path);
    }
}

#[test]
fn a_cell_in_the_last_row_and_column_costs_one_cell_not_a_dense_range() {
    // Read as a range, this sheet would be 2^34 cells: hundreds of GB.
    let scratch = Scratch::new("workbook-far-cell");
    let path = scratch.0.join("book.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("sources").unwrap();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(1, 0, "s1").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    workbook.save(&path).unwrap();
    let book = path.to_str().unwrap();
    checks_with_only_the_xfd_warning(book);
}

#[test]
fn a_workbook_that_inflates_past_the_limit_is_refused() {
    // A zip whose one entry declares 4 GiB inflated, as a bomb would.
    let scratch = Scratch::new("workbook-bomb");
    let path = scratch.0.join("bomb.xlsx");
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file(
            "xl/worksheets/sheet1.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, b"<worksheet/>").unwrap();
        zip.finish().unwrap();
    }
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central directory entry");
    bytes[central + 24..central + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let run = silsila(&["check", "--facts", path.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: {}: cannot read the workbook: it inflates to 4095 MiB, more than the 1024 MiB silsila reads from a workbook\n",
                path.display()
            )
        )
    );
}
