//! Unit tests of `load`.

use super::*;

const SOURCES: &str = "\
id,publisher,title,date,url,reliability
tna-2022,The National Archive,Annual report,2022-05,https://example.org/tna,B
bbc-2021,BBC,Profile,2021,,
";

/// Writes `files` into a folder named `facts` in a fresh temporary
/// directory and loads it. Problems are displayed with the temporary
/// directory cut off, so they read `facts/membership.csv:2: …`.
fn load_files<C: AsRef<[u8]>>(files: &[(&str, C)]) -> (Result<Facts>, String) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("facts");
    std::fs::create_dir(&folder).unwrap();
    for (name, contents) in files {
        std::fs::write(folder.join(name), contents).unwrap();
    }
    let prefix = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
    (super::load(&folder, &[]), prefix)
}

/// The problems of loading `files`: the errors when there are any, else
/// the warnings.
fn problems<C: AsRef<[u8]>>(files: &[(&str, C)]) -> Vec<String> {
    let (result, prefix) = load_files(files);
    let problems = match result {
        Ok(facts) => facts.warnings,
        Err(crate::Error::Facts(errors)) => errors,
        Err(other) => panic!("unexpected error: {other}"),
    };
    problems
        .iter()
        .map(|p| p.to_string().replacen(&prefix, "", 1))
        .collect()
}

#[track_caller]
fn check<C: AsRef<[u8]>>(files: &[(&str, C)], expected: &[&str]) {
    assert_eq!(problems(files), expected);
}

/// Loads `files`, which must have no errors, and shows the rows of
/// `relation` as `origin: value|value grade sources / disputed_by`.
fn rows<C: AsRef<[u8]>>(files: &[(&str, C)], relation: &str) -> Vec<String> {
    let (result, prefix) = load_files(files);
    let facts = match result {
        Ok(facts) => facts,
        Err(err) => panic!("unexpected error: {err}"),
    };
    let show = |symbols: &[Symbol]| {
        let names: Vec<&str> = symbols.iter().map(|&s| facts.names.resolve(s)).collect();
        names.join(";")
    };
    let table = facts.table(relation).unwrap();
    table
        .rows
        .iter()
        .map(|row| {
            let values: Vec<String> = row
                .values
                .iter()
                .map(|v| match v {
                    Value::Name(s) => facts.names.resolve(*s).to_string(),
                    Value::Date(d) => d.to_string(),
                })
                .collect();
            let contested = if row.grade.is_contested() {
                " contested"
            } else {
                ""
            };
            let disputed = if row.disputed_by.is_empty() {
                String::new()
            } else {
                format!(" / {}", show(&row.disputed_by))
            };
            format!(
                "{}: {} {}{contested} {}{disputed}",
                row.origin.to_string().replacen(&prefix, "", 1),
                values.join("|"),
                row.grade.confidence,
                show(&row.sources),
            )
        })
        .collect()
}

#[test]
fn loads_a_valid_folder() {
    let (result, prefix) = load_files(&[
        ("sources.csv", SOURCES),
        (
            "membership.csv",
            "member,group,role,start,end,source,confidence,disputed_by\n\
                 Abu Bakr,Islamic State,Commander,2014-06,2019,tna-2022,confirmed,\n\
                 Abu Omar,Islamic State,,,,tna-2022; BBC-2021,2,bbc-2021\n",
        ),
        (
            "entities.csv",
            "name,kind,description\nIslamic State,Group,\n",
        ),
    ]);
    let facts = match result {
        Ok(facts) => facts,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(facts.warnings, []);
    assert_eq!(facts.tables.len(), 9);
    let names: Vec<&str> = facts.tables.iter().map(|t| t.file.name).collect();
    assert_eq!(
        names,
        [
            "entities",
            "membership",
            "mergers",
            "places",
            "locations",
            "events",
            "participants",
            "links",
            "vocabulary"
        ]
    );

    let [tna, bbc] = facts.sources() else {
        panic!("two sources expected: {:?}", facts.sources());
    };
    assert_eq!(facts.names.resolve(tna.id), "tna-2022");
    assert_eq!(tna.publisher, "The National Archive");
    assert_eq!(tna.title, "Annual report");
    assert_eq!(tna.date.to_string(), "2022-05");
    assert_eq!(tna.url, "https://example.org/tna");
    assert_eq!(tna.reliability, Reliability::B);
    assert_eq!(
        tna.origin.to_string().replacen(&prefix, "", 1),
        "facts/sources.csv:2"
    );
    assert_eq!(bbc.reliability, Reliability::F);
    assert_eq!(bbc.date.to_string(), "2021");
    assert_eq!(facts.source(bbc.id), Some(bbc));

    let membership = facts.table("membership").unwrap();
    let first = &membership.rows[0];
    let group = facts.names.lookup("islamic state").unwrap();
    let commander = facts.names.lookup("commander").unwrap();
    assert_eq!(
        first.values,
        [
            Value::Name(facts.names.lookup("Abu Bakr").unwrap()),
            Value::Name(group),
            Value::Name(commander),
            Value::Date(Date::parse("2014-06").unwrap()),
            Value::Date(Date::parse("2019").unwrap()),
            // reported: the date of its one source, tna-2022
            Value::Date(Date::parse("2022-05").unwrap()),
        ]
    );
    assert_eq!(first.grade, Grade::new(Confidence::Confirmed, false));
    assert_eq!(first.sources, [tna.id]);
    assert_eq!(first.disputed_by, []);
    assert_eq!(first.origin.line, 2);
    assert_eq!(&*first.origin.file, format!("{prefix}facts/membership.csv"));
    let second = &membership.rows[1];
    assert_eq!(second.values[2], Value::Name(Symbol::EMPTY));
    assert_eq!(second.values[3], Value::Date(Date::UNKNOWN));
    assert_eq!(second.grade, Grade::new(Confidence::Probable, true));
    assert_eq!(second.sources, [tna.id, bbc.id]);
    assert_eq!(second.disputed_by, [bbc.id]);

    let entities = facts.table("entities").unwrap();
    assert_eq!(
        entities.rows[0].values,
        [
            Value::Name(group),
            Value::Name(facts.names.lookup("group").unwrap())
        ]
    );
    assert_eq!(entities.rows[0].grade, Grade::CERTAIN);
    assert_eq!(facts.names.resolve(commander), "commander");
    assert_eq!(facts.latest_date().to_string(), "2022-05");
}

#[test]
fn reads_spreadsheet_dialects_alike() {
    let expected = [
        "facts/membership.csv:2: A|B||2014||2022-05 probable tna-2022",
        "facts/membership.csv:3: C|B||2015||2022-05 confirmed tna-2022;bbc-2021",
    ];
    let plain = "member,group,start,source,confidence\nA,B,2014,tna-2022,\nC,B,2015,\"tna-2022;bbc-2021\",1\n";
    let variants = [
        plain.to_string(),
        format!("\u{feff}{}", plain.replace('\n', "\r\n")),
        plain.replace(';', "; ").replace(',', ";"),
        plain.replace(',', "\t"),
        plain
            .replace(
                "member,group,start,source,confidence",
                " Member ,GROUP,  Start,SOURCE , confidence,,,",
            )
            .replace("2014,tna-2022,", "2014,tna-2022,,,")
            + ",,,,,\n\n\r\n , ,\n",
        plain
            .replace(
                "member,group,start,source,confidence",
                "source,start,confidence,group,member",
            )
            .replace("A,B,2014,tna-2022,", "tna-2022,2014,,B,A")
            .replace(
                "C,B,2015,\"tna-2022;bbc-2021\",1",
                "\"tna-2022;bbc-2021\",2015,1,B,C",
            ),
    ];
    for (i, membership) in variants.iter().enumerate() {
        assert_eq!(
            rows(
                &[("sources.csv", SOURCES), ("membership.csv", membership)],
                "membership"
            ),
            expected,
            "variant {i}: {membership:?}"
        );
    }
}

#[test]
fn lines_stay_right_after_a_quoted_newline() {
    check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,source,start\n\"Abu\nBakr\",\"IS,\r\nISIL\",tna-2022,2014\nC,D,tna-2022,14\n",
                ),
            ],
            &["facts/membership.csv:5: column \"start\": \"14\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"],
        );
}

#[test]
fn reports_missing_columns_and_values() {
    check(
        &[
            ("sources.csv", SOURCES),
            (
                "membership.csv",
                "member,role,source\nA,,tna-2022\n,chief,tna-2022\nB,,\nC,,;\n",
            ),
        ],
        &[
            "facts/membership.csv:1: the required column \"group\" is missing",
            "facts/membership.csv:3: column \"member\": a value is required",
            "facts/membership.csv:4: column \"source\": a value is required",
            "facts/membership.csv:5: column \"source\": a value is required",
        ],
    );
    check(
        &[("aliases.csv", "alias,name\nISIS,\n")],
        &["facts/aliases.csv:2: column \"name\": a value is required"],
    );
}

#[test]
fn reports_bad_dates_and_periods() {
    check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,source,start,end\n\
                     A,B,tna-2022,15/11/2022,\n\
                     A,B,tna-2022,November 2022,2023-02-30\n\
                     A,B,tna-2022,2022-03,2021\n\
                     A,B,tna-2022,2022-03-05,2022-03\n\
                     A,B,tna-2022,2022-03-05,2022-03-04\n",
                ),
            ],
            &[
                "facts/membership.csv:2: column \"start\": \"15/11/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:3: column \"start\": \"November 2022\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:3: column \"end\": \"2023-02-30\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:4: column \"end\": \"2021\" is before the start \"2022-03\"",
                "facts/membership.csv:6: column \"end\": \"2022-03-04\" is before the start \"2022-03-05\"",
            ],
        );
    check(
            &[("sources.csv", "id,date\ns1,2022-13\n")],
            &["facts/sources.csv:2: column \"date\": \"2022-13\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD"],
        );
}

#[test]
fn reports_unknown_sources_with_what_would_help() {
    let membership = "member,group,source,disputed_by\nA,B,tna-2023,\nA,B,TNA-2022;bbc-2012; rfe-2020,tna-2022\nA,B,bbc-2021,TNA-2032\n";
    check(
            &[("sources.csv", SOURCES), ("membership.csv", membership)],
            &[
                "facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; did you mean \"tna-2022\"?",
                "facts/membership.csv:3: column \"source\": unknown source \"bbc-2012\"; did you mean \"bbc-2021\"?",
                "facts/membership.csv:3: column \"source\": unknown source \"rfe-2020\"",
                "facts/membership.csv:4: column \"disputed_by\": unknown source \"TNA-2032\"; did you mean \"tna-2022\"?",
            ],
        );
    check(
            &[("membership.csv", "member,group,source\nA,B,tna-2023\n")],
            &["facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; there is no sources.csv"],
        );
    check(
            &[("sources.csv", "id,title\n"), ("membership.csv", "member,group,source\nA,B,tna-2023\n")],
            &["facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; sources.csv lists none"],
        );
    // A sources.csv without ids is reported once, not on every row.
    check(
        &[
            ("sources.csv", "title\nx\n"),
            ("membership.csv", "member,group,source\nA,B,tna-2023\n"),
        ],
        &["facts/sources.csv:1: the required column \"id\" is missing"],
    );
    check(
        &[("sources.csv", "id\nTNA-2022\nbbc\ntna-2022\n")],
        &["facts/sources.csv:4: column \"id\": the id \"tna-2022\" is already listed on line 2"],
    );
}

#[test]
fn reports_bad_confidence_and_reliability() {
    check(
            &[
                ("sources.csv", "id,reliability\ns1,b\ns2,G\n"),
                ("links.csv", "from,to,source,confidence\nA,B,s1,likely\nA,B,s1,6\nA,B,s1,Doubtful\n"),
            ],
            &[
                "facts/sources.csv:3: column \"reliability\": \"G\" is not a reliability; write a letter from A (completely reliable) to F (cannot be judged)",
                "facts/links.csv:2: column \"confidence\": \"likely\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
                "facts/links.csv:3: column \"confidence\": \"6\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
            ],
        );
}

#[test]
fn claimants_inherit_from_their_article_but_keep_their_own_reliability() {
    let sources = "id,publisher,title,date,url,reliability,claimant,part_of\n\
                       art,The Paper,A story,2022-11,https://x.example,C,,\n\
                       art/expert,,,,,B,An Expert,art\n\
                       art/expert/quoted,Other,,2021,,,A prisoner,art/expert\n";
    let (facts, _) = load_files(&[("sources.csv", sources)]);
    let facts = facts.unwrap();
    let [art, expert, quoted] = facts.sources() else {
        panic!("three sources expected: {:?}", facts.sources());
    };
    assert_eq!(art.part_of, None);
    assert_eq!(expert.part_of, Some(art.id));
    assert_eq!(expert.claimant, "An Expert");
    assert_eq!(expert.publisher, "The Paper");
    assert_eq!(expert.title, "A story");
    assert_eq!(expert.date.to_string(), "2022-11");
    assert_eq!(expert.url, "https://x.example");
    assert_eq!(expert.reliability, Reliability::B);
    // Through two levels, and what a claimant gives is kept.
    assert_eq!(quoted.publisher, "Other");
    assert_eq!(quoted.title, "A story");
    assert_eq!(quoted.date.to_string(), "2021");
    assert_eq!(quoted.reliability, Reliability::F);
}

#[test]
fn reports_unknown_and_cyclic_part_of() {
    check(
            &[(
                "sources.csv",
                "id,claimant,part_of\n\
                 tna-2022-11,,\n\
                 tna/askara,Al-Askara,tna-2022-1\n\
                 a,,b\n\
                 b,,c\n\
                 c,,a\n\
                 d,,d\n",
            )],
            &[
                "facts/sources.csv:3: column \"part_of\": unknown source \"tna-2022-1\"; did you mean \"tna-2022-11\"?",
                "facts/sources.csv:4: column \"part_of\": the part_of references on lines 4, 5 and 6 form a cycle: \"a\" → \"b\" → \"c\" → \"a\"",
                "facts/sources.csv:7: column \"part_of\": the part_of references on line 7 form a cycle: \"d\" → \"d\"",
            ],
        );
}

#[test]
fn reports_unreadable_text() {
    check(
            &[
                ("sources.csv", SOURCES.as_bytes()),
                ("entities.csv", b"name,kind\nG\xe9n\xe9ral,person\nx,y,z\n".as_slice()),
                ("places.csv", b"\xFF\xFEp\x00".as_slice()),
                ("links.csv", b"from,to,source\n\"a,b\n".as_slice()),
            ],
            &[
                "facts/entities.csv:2: column \"name\": \"G\u{fffd}n\u{fffd}ral\" is not UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)",
                "facts/entities.csv:3: 3 fields where the header has 2",
                "facts/places.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)",
                "facts/links.csv:2: a quote (\") opened on this line is never closed",
            ],
        );
}

#[test]
fn warns_of_unknown_columns_and_files() {
    check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,strat,source,Notes,X_Analyst,comment,,sources\nA,B,2014,tna-2022,,,,x,\n",
                ),
                ("memberships.csv", "member\n"),
                ("budget.csv", ""),
                ("README.txt", "not a table"),
                (".membership.csv", "\u{0}"),
            ],
            &[
                "facts: budget.csv is not a fact file, so it is ignored",
                "facts: memberships.csv is not a fact file; did you mean membership.csv?",
                "facts/membership.csv:1: column \"strat\" is not a column of membership.csv; did you mean \"start\"?",
                "facts/membership.csv:1: column \"comment\" is not a column of membership.csv; rename it \"x_comment\" if it is your own",
                "facts/membership.csv:1: column 8 has no name in the header, so its cells are ignored",
                "facts/membership.csv:1: column \"sources\" is not a column of membership.csv; rename it \"x_sources\" if it is your own",
            ],
        );
    check(
        &[("places.csv", "place,place\nA,B\n")],
        &["facts/places.csv:1: the column \"place\" appears more than once"],
    );
}

#[test]
fn warns_of_repeated_rows_and_keeps_them() {
    let files = [(
        "places.csv",
        "place,within\nMosul,Iraq\n Mosul , Iraq\nMosul,Iraq,\nmosul,iraq\n",
    )];
    check(
        &files,
        &[
            "facts/places.csv:3: this row repeats line 2 exactly",
            "facts/places.csv:4: this row repeats line 2 exactly",
        ],
    );
    assert_eq!(rows(&files, "places").len(), 4);
}

#[test]
fn resolves_aliases_through_chains() {
    let files = [
            ("sources.csv", SOURCES),
            ("aliases.csv", "alias,name\nISIL,ISIS\nISIS,Islamic State\nDaesh,isil\n\u{201C}IS\u{201D},Islamic  State\n"),
            ("entities.csv", "name\nislamic state\nDAESH\n"),
            ("membership.csv", "member,group,source\nAbu Bakr,Daesh,tna-2022\nAbu Omar,\"\"\"IS\"\"\",tna-2022\nAbu Omar,  isis ,tna-2022\n"),
        ];
    assert_eq!(
        rows(&files, "membership"),
        [
            "facts/membership.csv:2: Abu Bakr|Islamic State||||2022-05 probable tna-2022",
            "facts/membership.csv:3: Abu Omar|Islamic State||||2022-05 probable tna-2022",
            "facts/membership.csv:4: Abu Omar|Islamic State||||2022-05 probable tna-2022",
        ]
    );
    assert_eq!(
        rows(&files, "entities"),
        [
            "facts/entities.csv:2: Islamic State| confirmed ",
            "facts/entities.csv:3: Islamic State| confirmed ",
        ]
    );
}

#[test]
fn reports_alias_conflicts_and_cycles() {
    check(
            &[(
                "aliases.csv",
                "alias,name\nISIS,Islamic State\nA,B\nisis,Daesh\nB,C\nC,a\nD,C\nX,x\n",
            )],
            &[
                "facts/aliases.csv:3: the aliases on lines 3, 5 and 6 form a cycle: \"A\" → \"B\" → \"C\" → \"A\"",
                "facts/aliases.csv:4: column \"name\": \"isis\" is an alias of \"Islamic State\" on line 2, so it cannot also be an alias of \"Daesh\"",
            ],
        );
}

#[test]
fn display_spellings_do_not_depend_on_row_order() {
    fn spellings(reversed: bool) -> Vec<String> {
        let order = |lines: &[&str]| {
            let mut lines = lines.to_vec();
            if reversed {
                lines[1..].reverse();
            }
            lines.join("\n")
        };
        let aliases = order(&["alias,name", "IS,islamic state", "Daesh,Islamic State"]);
        let entities = order(&[
            "name,kind",
            "ISLAMIC STATE,Group",
            "abu  bakr,person",
            "mosul,City",
        ]);
        let places = order(&[
            "place,within,kind",
            "Mosul,,city",
            "MOSUL,,city",
            "Raqqa,,city",
            "Tabqa,RAQQA,town",
        ]);
        let links = order(&[
            "from,to,source",
            "Abu Bakr,IS,s",
            "ABU BAKR,islamic state,S",
            "zarqawi,Zarqawi,s",
        ]);
        let files = [
            ("sources.csv", "id\nS\n".to_string()),
            ("aliases.csv", aliases),
            ("entities.csv", entities),
            ("places.csv", places),
            ("links.csv", links),
        ];
        let (result, _) = load_files(&files);
        let facts = result.unwrap();
        [
            "islamic state",
            "abu bakr",
            "mosul",
            "raqqa",
            "zarqawi",
            "city",
            "s",
        ]
        .iter()
        .map(|name| {
            facts
                .names
                .resolve(facts.names.lookup(name).unwrap())
                .to_string()
        })
        .collect()
    }
    let expected = [
        "Islamic State",
        "abu bakr",
        "mosul",
        "Raqqa",
        "Zarqawi",
        "city",
        "s",
    ];
    assert_eq!(spellings(false), expected);
    assert_eq!(spellings(true), expected);
}

#[test]
fn reports_every_error_in_every_file_in_order() {
    check(
            &[
                ("sources.csv", "id,date\ns1,2022\ns2,22\n"),
                ("Places.csv", "place,within\nA\n"),
                ("places.csv", "place\n"),
                ("membership.csv", "member,group,source,confidence\nA,B,s3,sure\n,B,s1,\n"),
                ("entities.csv", "name,kind,x\nA,b,c,d\n"),
                ("aliases.csv", "alias,name\nA,B\nA,C\n"),
                ("extra.csv", "x\n"),
            ],
            &[
                "facts: Places.csv and places.csv are both the places file; keep one",
                "facts/sources.csv:3: column \"date\": \"22\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/aliases.csv:3: column \"name\": \"A\" is an alias of \"B\" on line 2, so it cannot also be an alias of \"C\"",
                "facts/entities.csv:2: 4 fields where the header has 3",
                "facts/membership.csv:2: column \"source\": unknown source \"s3\"",
                "facts/membership.csv:2: column \"confidence\": \"sure\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
                "facts/membership.csv:3: column \"member\": a value is required",
            ],
        );
}

#[test]
fn an_unreadable_folder_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    match super::load(&missing, &[]) {
        Err(crate::Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    let (result, _) = load_files::<&str>(&[]);
    let facts = result.unwrap();
    // Only the shipped vocabulary has rows.
    assert!(facts
        .tables
        .iter()
        .all(|t| t.rows.is_empty() == (t.file.name != crate::schema::VOCABULARY)));
}
