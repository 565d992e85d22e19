//! `silsila check`: every problem the issue "Spreadsheet-grade input" asks
//! for, with its exact message, the whole output and the exit code pinned;
//! the spreadsheet dialects that must read as plain CSV; and the JSON form.
//!
//! Each case is a small facts folder written into a scratch directory. The
//! output names that directory; it is shown here as `facts`.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{silsila, Scratch};

/// A sources.csv that the other files' rows can cite.
const SOURCES: &str = "id,publisher\ns1,The New Arab\ns2,North Press\n";

/// Runs `silsila check` (with `extra` arguments) on a folder of `files`,
/// with the folder shown as `facts`.
fn run_check(files: &[(&str, &[u8])], extra: &[&str]) -> (String, i32) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let folder = Scratch::new(&format!("check-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    for (name, contents) in files {
        folder.write(name, contents);
    }
    let mut args = vec!["check", "--facts", folder.path()];
    args.extend(extra);
    let run = silsila(&args);
    assert_eq!(run.stderr, "", "check prints its report to stdout");
    (run.stdout.replace(folder.path(), "facts"), run.code)
}

/// Checks a folder of `files` and compares the whole output and exit code.
#[track_caller]
fn check(files: &[(&str, &str)], code: i32, expected: &str) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    let (stdout, got) = run_check(&files, &[]);
    assert_eq!(stdout, expected);
    assert_eq!(got, code, "exit code of check on {files:?}");
}

#[test]
fn lint_warnings_come_in_file_and_line_order_with_the_loaders() {
    check(
        &[
            ("sources.csv", SOURCES),
            (
                "membership.csv",
                "member,group,source\n\
                 Jasim Ali,Cell,s1\n\
                 Jasim Ali,Cell,s2\n\
                 Jassim Ali,Cell,s1\n\
                 Bob,Cell,s1\n\
                 Bob,Cell,s1\n",
            ),
        ],
        0,
        "warning: facts/membership.csv:4: column \"member\": \"Jassim Ali\" appears once and nearly matches \"Jasim Ali\" (2 uses); if they are the same, add an alias to aliases.csv\n\
         warning: facts/membership.csv:6: this row repeats line 5 exactly\n\
         facts: no errors, 2 warnings\n",
    );
}

#[test]
fn names_as_long_as_a_cell_allows_are_checked_quickly() {
    // Two names one letter apart would be warned of, but names this long
    // (Excel allows 32,767 characters in a cell) are pasted text, not
    // names, and comparing them would cost the square of their length.
    let long = "x".repeat(32_767);
    let membership = format!("member,group,source\n{long},Cell,s1\n{long}y,Cell,s1\n");
    check(
        &[("sources.csv", SOURCES), ("membership.csv", &membership)],
        0,
        "facts: no problems\n",
    );
}

#[test]
fn each_error_is_pinned_and_exits_1() {
    let membership = |row: &str| format!("member,group,start,end,source,confidence\n{row}\n");
    let cases: &[(&str, &str)] = &[
        (
            "Ann,Cell,03/04/2022,,s1,",
            "error: facts/membership.csv:2: column \"start\": \"03/04/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD\n",
        ),
        (
            "Ann,Cell,,2022/11/15,s1,",
            "error: facts/membership.csv:2: column \"end\": \"2022/11/15\" is not a date; write it with dashes: \"2022-11-15\"\n",
        ),
        (
            "Ann,Cell,15 Nov 2022,,s1,",
            "error: facts/membership.csv:2: column \"start\": \"15 Nov 2022\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD\n",
        ),
        (
            "Ann,Cell,2022-02-29,,s1,",
            "error: facts/membership.csv:2: column \"start\": \"2022-02-29\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD\n",
        ),
        (
            "Ann,Cell,2022-03,2021,s1,",
            "error: facts/membership.csv:2: column \"end\": \"2021\" is before the start \"2022-03\"\n",
        ),
        (
            "Ann,Cell,,,s3,",
            "error: facts/membership.csv:2: column \"source\": unknown source \"s3\"\n",
        ),
        (
            "Ann,Cell,,,s1;the-new-arab,",
            "error: facts/membership.csv:2: column \"source\": unknown source \"the-new-arab\"\n",
        ),
        (
            "Ann,Cell,,,s1,likely",
            "error: facts/membership.csv:2: column \"confidence\": \"likely\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5\n",
        ),
        (
            ",Cell,,,s1,",
            "error: facts/membership.csv:2: column \"member\": a value is required\n",
        ),
        (
            "Ann,Cell,,,,",
            "error: facts/membership.csv:2: column \"source\": a value is required\n",
        ),
        (
            "Ann,Cell,2022,s1",
            "error: facts/membership.csv:2: 4 fields where the header has 6\n",
        ),
        (
            "Ann,Cell,,,s1,,,x",
            "error: facts/membership.csv:2: 8 fields where the header has 6\n",
        ),
    ];
    for (row, expected) in cases {
        check(
            &[
                ("sources.csv", SOURCES),
                ("membership.csv", &membership(row)),
            ],
            1,
            &format!("{expected}facts: 1 error, no warnings\n"),
        );
    }
    check(
        &[
            ("sources.csv", "id\ntna-2022-11\n"),
            ("mergers.csv", "from,kind,source\nA,merger,tna-2022-12\n"),
        ],
        1,
        "error: facts/mergers.csv:1: the required column \"into\" is missing\n\
         error: facts/mergers.csv:2: column \"source\": unknown source \"tna-2022-12\"; did you mean \"tna-2022-11\"?\n\
         facts: 2 errors, no warnings\n",
    );
}

#[test]
fn text_that_is_not_utf8_is_an_error_that_says_how_to_save_it() {
    let files: &[(&str, &[u8])] = &[
        ("sources.csv", SOURCES.as_bytes()),
        // "Général" and "Saïd" as Excel saves them in Windows-1252.
        (
            "entities.csv",
            b"name,kind\nG\xe9n\xe9ral,person\nSa\xefd,person\n",
        ),
        ("places.csv", b"\xFF\xFEp\x00l\x00a\x00c\x00e\x00"),
    ];
    let (stdout, code) = run_check(files, &[]);
    assert_eq!(
        stdout,
        "error: facts/entities.csv:2: column \"name\": \"G\u{fffd}n\u{fffd}ral\" is not UTF-8 text, nor is text on 1 later line; save the file as UTF-8 (in Excel: CSV UTF-8)\n\
         error: facts/places.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)\n\
         facts: 2 errors, no warnings\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn each_warning_is_pinned_and_exits_0() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("membership.csv", "member,group,strat,source\nAnn,Cell,2022,s1\n")],
            "warning: facts/membership.csv:1: column \"strat\" is not a column of membership.csv; did you mean \"start\"?\n",
        ),
        (
            &[("membership.csv", "member,group,comment,source\nAnn,Cell,x,s1\n")],
            "warning: facts/membership.csv:1: column \"comment\" is not a column of membership.csv; rename it \"x_comment\" if it is your own\n",
        ),
        (
            // "start" is there already, so "strat" is not taken for it.
            &[(
                "membership.csv",
                "member,group,start,strat,source\nAnn,Cell,2022,2021,s1\n",
            )],
            "warning: facts/membership.csv:1: column \"strat\" is not a column of membership.csv; rename it \"x_strat\" if it is your own\n",
        ),
        (
            &[("memberships.csv", "member,group,source\nAnn,Cell,s1\n")],
            "warning: facts: memberships.csv is not a fact file; did you mean membership.csv?\n",
        ),
        (
            &[("budget.csv", "item,cost\nfuel,100\n")],
            "warning: facts: budget.csv is not a fact file, so it is ignored\n",
        ),
        (
            &[(
                "membership.csv",
                "member,group,source\nJasim,Cell,s1\nJasim,Cell,s2\nJassim,Cell,s1\n",
            )],
            "warning: facts/membership.csv:4: column \"member\": \"Jassim\" appears once and nearly matches \"Jasim\" (2 uses); if they are the same, add an alias to aliases.csv\n",
        ),
        (
            &[("mergers.csv", "from,into,source\nRed Front,Blue Front,s1\nBlue Front,Green Front,s1\nGreen Front,Red Front,s2\n")],
            "warning: facts/mergers.csv:2: mergers form a cycle: Blue Front → Green Front → Red Front → Blue Front (lines 2, 3, 4); check the direction of these rows\n",
        ),
        (
            &[("places.csv", "place,within,kind\nSyria,,country\nDaraa,Syria,\n")],
            "warning: facts/places.csv:3: column \"kind\": place \"Daraa\" has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)\n",
        ),
        (
            &[("places.csv", "place,within,kind\nSyria,,country\nDaraa,,governorate\n")],
            "warning: facts/places.csv:3: column \"within\": place \"Daraa\" is not placed within anything\n",
        ),
        (
            &[("locations.csv", "entity,place,source\nAnn,Nawa,s1\n")],
            "warning: facts/locations.csv:2: column \"place\": place \"Nawa\" is not in places.csv, so nothing is known of its kind or where it lies\n",
        ),
        (
            &[("entities.csv", "name,kind\nAbu Omar,person\nAbu Omar,group\n")],
            "warning: facts/entities.csv:3: column \"kind\": \"Abu Omar\" is a person on line 2 but a group here; give it one kind\n",
        ),
        (
            // Through an alias, and used as a group: one warning, not two.
            &[
                ("aliases.csv", "alias,name\nOmar's men,Abu Omar\n"),
                ("entities.csv", "name,kind\nAbu Omar,person\nOmar's men,group\n"),
                ("membership.csv", "member,group,source\nAnn,Omar's men,s1\n"),
            ],
            "warning: facts/entities.csv:3: column \"kind\": \"Abu Omar\" is a person on line 2 but a group here; give it one kind\n",
        ),
        (
            &[
                ("entities.csv", "name,kind\nAbu Omar,person\n"),
                ("membership.csv", "member,group,source\nAnn,Abu Omar,s1\n"),
            ],
            "warning: facts/membership.csv:2: column \"group\": \"Abu Omar\" is a person in entities.csv but is used here as a group\n",
        ),
        (
            &[("membership.csv", "member,group,source\nAnn,Cell,s1\nBob,Cell,s1\n Ann , Cell ,s1\n")],
            "warning: facts/membership.csv:4: this row repeats line 2 exactly\n",
        ),
        (
            // A word the vocabulary does not know means nothing, and says so
            // once per file and word.
            &[("places.csv", "place,within,kind\nSyria,,country\nDaraa,Syria,provnce\n")],
            "warning: facts/places.csv:3: column \"kind\": \"provnce\" is not in the vocabulary of places.kind, so the rules read nothing into it; did you mean \"province\"? Otherwise add it to vocabulary.csv with its meaning (area, locality or inside)\n",
        ),
        (
            &[("links.csv", "from,to,kind,source\nAnn,Bob,ambushd,s1\nAnn,Cal,ambushd,s1\n")],
            "warning: facts/links.csv:2: column \"kind\": \"ambushd\" is not in the vocabulary of links.kind, so the rules read nothing into it; did you mean \"ambushed\"? Otherwise add it to vocabulary.csv with its meaning (friendly, hostile or neutral)\n",
        ),
        (
            &[("participants.csv", "event,entity,role,source\nRaid,Ann,bystander,s1\n")],
            "warning: facts/participants.csv:2: column \"role\": \"bystander\" is not in the vocabulary of participants.role, so the rules read nothing into it; add it to vocabulary.csv with its meaning (perpetrating, receiving or other)\n",
        ),
        (
            &[("vocabulary.csv", "field,word,meaning\nlinks.kind,ambush,hostil\n")],
            "warning: facts/vocabulary.csv:2: column \"meaning\": \"hostil\" is not a meaning of links.kind, so \"ambush\" means nothing; did you mean \"hostile\"? The meanings of links.kind are friendly, hostile or neutral\n",
        ),
        (
            &[("vocabulary.csv", "field,word,meaning\nlink.kind,ambush,hostile\n")],
            "warning: facts/vocabulary.csv:2: column \"field\": \"link.kind\" is no field the vocabulary governs, so the row means nothing; did you mean \"links.kind\"?\n",
        ),
        (
            &[("vocabulary.csv", "field,word,meaning\nlinks.kind,hugged,friendly\nlinks.kind,hugged,hostile\n")],
            "warning: facts/vocabulary.csv:3: column \"meaning\": \"hugged\" is given the meaning \"hostile\" here and \"friendly\" on line 2; the rules read both (a links.kind word that is also hostile is never a tie)\n",
        ),
    ];
    for (files, expected) in cases {
        let mut files = files.to_vec();
        files.insert(0, ("sources.csv", SOURCES));
        check(
            &files,
            0,
            &format!("{expected}facts: no errors, 1 warning\n"),
        );
    }
}

#[test]
fn the_analysts_own_columns_are_never_warned_about() {
    check(
        &[
            ("sources.csv", "id,Notes,x_checked_by\ns1,,\n"),
            (
                "membership.csv",
                "member,group,source, NOTES ,X_Analyst,x_\nAnn,Cell,s1,seen twice,RB,\n",
            ),
        ],
        0,
        "facts: no problems\n",
    );
}

/// A small folder, as rows of cells: a lineage, a current cell, a member
/// and a co-location, with lists of sources and a title with a comma.
const SHEETS: &[(&str, &[&[&str]])] = &[
    (
        "sources.csv",
        &[
            &["id", "publisher", "title", "date"],
            &["s1", "The New Arab", "Remnants, revisited", "2022-11"],
            &["s2", "North Press", "", "2022-10"],
        ],
    ),
    (
        "mergers.csv",
        &[
            &["from", "into", "kind", "date", "source", "confidence"],
            &[
                "Yarmouk Martyrs Brigade",
                "Khalid ibn al-Walid Army",
                "merger",
                "2016",
                "s1",
                "confirmed",
            ],
            &[
                "Khalid ibn al-Walid Army",
                "Yusuf Nabulsi's cell",
                "remnant",
                "",
                "s1;s2",
                "probable",
            ],
        ],
    ),
    (
        "membership.csv",
        &[
            &["member", "group", "role", "start", "end", "source"],
            &[
                "Yusuf Nabulsi",
                "Yusuf Nabulsi's cell",
                "leader",
                "2022",
                "",
                "s1;s2",
            ],
        ],
    ),
    (
        "places.csv",
        &[
            &["place", "within", "kind"],
            &["Syria", "", "country"],
            &["Daraa Governorate", "Syria", "governorate"],
            &["Jasim", "Daraa Governorate", "town"],
        ],
    ),
    (
        "locations.csv",
        &[
            &["entity", "place", "start", "end", "source"],
            &["Yusuf Nabulsi's cell", "Jasim", "2022", "2022", "s1"],
            &["Abu Omar", "Jasim", "2022-06", "2022-12", "s2"],
        ],
    ),
];

/// How a spreadsheet might write [`SHEETS`].
struct Dialect {
    name: &'static str,
    delimiter: char,
    line_end: &'static str,
    bom: bool,
    /// Quote every cell, not only those that need it.
    quote_all: bool,
    /// What becomes of each header name.
    header: fn(&str) -> String,
    /// What becomes of each data cell.
    cell: fn(&str) -> String,
    /// Empty columns after each row and empty rows after the last.
    trailing: bool,
}

const PLAIN: Dialect = Dialect {
    name: "plain",
    delimiter: ',',
    line_end: "\n",
    bom: false,
    quote_all: false,
    header: str::to_string,
    cell: str::to_string,
    trailing: false,
};

fn write_sheet(rows: &[&[&str]], dialect: &Dialect) -> String {
    let quote = |cell: String| {
        let special = |c: char| c == dialect.delimiter || c == '"' || c == '\n' || c == '\r';
        if dialect.quote_all || cell.contains(special) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell
        }
    };
    let mut out = String::new();
    if dialect.bom {
        out.push('\u{feff}');
    }
    for (i, row) in rows.iter().enumerate() {
        let change = if i == 0 { dialect.header } else { dialect.cell };
        let cells: Vec<String> = row.iter().map(|c| quote(change(c))).collect();
        out.push_str(&cells.join(&dialect.delimiter.to_string()));
        if dialect.trailing {
            out.push_str(&dialect.delimiter.to_string().repeat(2));
        }
        out.push_str(dialect.line_end);
    }
    if dialect.trailing {
        let empty = dialect.delimiter.to_string().repeat(rows[0].len() + 2);
        out.push_str(&format!("{empty}{end}{end} {end}", end = dialect.line_end));
    }
    out
}

/// `silsila infer --format json` on [`SHEETS`] written in `dialect`, after
/// checking that `silsila check` finds nothing wrong with them.
fn infer_dialect(dialect: &Dialect) -> String {
    let files: Vec<(&str, String)> = SHEETS
        .iter()
        .map(|(name, rows)| (*name, write_sheet(rows, dialect)))
        .collect();
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let (stdout, code) = run_check(&bytes, &[]);
    assert_eq!(
        (stdout.as_str(), code),
        ("facts: no problems\n", 0),
        "check of the {} dialect",
        dialect.name
    );
    let folder = Scratch::new(&format!("dialect-{}", dialect.name));
    for (name, text) in &files {
        folder.write(name, text);
    }
    let run = silsila(&["infer", "--facts", folder.path(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}: {}", dialect.name, run.stderr);
    serde_json::to_string_pretty(&crate::support::conclusions_json(&run.stdout)).unwrap()
}

#[test]
fn spreadsheet_dialects_read_as_plain_csv() {
    let plain = infer_dialect(&PLAIN);
    let json: serde_json::Value = serde_json::from_str(&plain).unwrap();
    for relation in [
        "descends_from",
        "current_descendant",
        "lineage_member",
        "co_located",
    ] {
        assert!(
            !json[relation].as_array().unwrap().is_empty(),
            "the plain folder concludes some {relation}"
        );
    }
    let dialects = [
        Dialect {
            name: "bom",
            bom: true,
            ..PLAIN
        },
        Dialect {
            name: "crlf",
            line_end: "\r\n",
            ..PLAIN
        },
        Dialect {
            name: "semicolon",
            delimiter: ';',
            ..PLAIN
        },
        Dialect {
            name: "tab",
            delimiter: '\t',
            ..PLAIN
        },
        Dialect {
            name: "trailing",
            trailing: true,
            ..PLAIN
        },
        Dialect {
            name: "header-case",
            header: |name| format!("  {}  ", name.to_uppercase()),
            ..PLAIN
        },
        Dialect {
            name: "quoted",
            quote_all: true,
            cell: |cell| cell.replace(' ', "\n"),
            ..PLAIN
        },
        Dialect {
            name: "excel-semicolon",
            delimiter: ';',
            line_end: "\r\n",
            bom: true,
            quote_all: true,
            header: |name| format!(" {name} "),
            cell: |cell| cell.replacen(' ', "\r\n", 1),
            trailing: true,
        },
    ];
    for dialect in &dialects {
        assert_eq!(
            infer_dialect(dialect),
            plain,
            "the {} dialect",
            dialect.name
        );
    }
}

#[test]
fn the_shipped_facts_are_clean() {
    // No problem; one note: the rules find two cells possibly one, which
    // the analyst may confirm with an alias (the sources keep them apart).
    let run = silsila(&["check"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str(), run.code),
        (
            "note: facts/locations.csv:19: \"IS cell in Tariq al-Sad\" and \"Yusuf Nabulsi's cell\" are possibly the same (co_located_tied, improbable); if they are, add an alias to aliases.csv; `silsila explain possibly_same \"IS cell in Tariq al-Sad\" \"Yusuf Nabulsi's cell\"` says why\nfacts: no problems, 1 note\n",
            "",
            0
        )
    );
}

#[test]
fn check_notes_names_possibly_of_one_entity() {
    let run = silsila(&["check", "--facts", "tests/cases/possibly_same"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "note: tests/cases/possibly_same/membership.csv:2: \"Lion Brigade\" and \"Lions of the South\" are possibly the same (shared_leader, possible); if they are, add an alias to aliases.csv; `silsila explain possibly_same \"Lion Brigade\" \"Lions of the South\"` says why\ntests/cases/possibly_same: no problems, 1 note\n"
    );
}

#[test]
fn json_lists_every_problem_with_its_place() {
    let files: &[(&str, &[u8])] = &[
        ("sources.csv", SOURCES.as_bytes()),
        (
            "membership.csv",
            b"member,group,strat,source,confidence\nAnn,Cell,2022,s1,likely\n",
        ),
    ];
    let (stdout, code) = run_check(files, &["--format", "json"]);
    assert_eq!(
        stdout,
        r#"{
  "errors": 1,
  "warnings": 1,
  "notes": 0,
  "problems": [
    {
      "severity": "warning",
      "file": "facts/membership.csv",
      "line": 1,
      "cell": null,
      "column": null,
      "message": "column \"strat\" is not a column of membership.csv; did you mean \"start\"?"
    },
    {
      "severity": "error",
      "file": "facts/membership.csv",
      "line": 2,
      "cell": null,
      "column": "confidence",
      "message": "\"likely\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5"
    }
  ]
}
"#
    );
    assert_eq!(code, 1);
}

/// The README lists every word of the shipped vocabulary with its meaning,
/// grouped as `rules/vocabulary.csv` has them: the two cannot drift.
#[test]
fn the_readme_lists_the_shipped_vocabulary() {
    let root = crate::support::root();
    let csv = std::fs::read_to_string(root.join("rules/vocabulary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut groups: Vec<(String, String, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (field, word, meaning) = (&record[0], &record[1], &record[2]);
        match groups
            .iter_mut()
            .find(|(f, m, _)| f == field && m == meaning)
        {
            Some((_, _, words)) => words.push(word.to_string()),
            None => groups.push((field.into(), meaning.into(), vec![word.into()])),
        }
    }
    assert!(groups.len() >= 6, "{groups:?}");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for (field, meaning, words) in groups {
        let row = format!("| `{field}` | `{meaning}` | {} |", words.join(", "));
        assert!(readme.contains(&row), "README.md lacks the row\n{row}");
    }
}
