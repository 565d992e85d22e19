//! Output that is safe to hand on: `--out DIR` writes one whole CSV per
//! relation and leaves nothing half-written behind, and CSV cells that a
//! spreadsheet would run as formulas are neutralised.

use std::collections::BTreeSet;

use crate::support::{fact_folders, silsila, Scratch};

/// The printed relations, in the order `infer` prints them.
fn output_relations() -> Vec<String> {
    let run = silsila(&["infer", "--format", "json"]);
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&run.stdout).unwrap();
    json.keys().filter(|k| *k != "run").cloned().collect()
}

#[test]
fn out_writes_one_csv_per_relation_and_nothing_else() {
    let relations = output_relations();
    assert_eq!(relations.len(), 6, "{relations:?}");
    for (name, folder, extra) in fact_folders() {
        let facts = folder.to_str().unwrap();
        let scratch = Scratch::new(&format!("out-{name}"));
        // A folder that already holds a stale conclusion, to be replaced.
        let out = scratch.0.join("conclusions");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("descends_from.csv"), "stale\n").unwrap();
        let out = out.to_str().unwrap();

        let mut args = vec!["infer", "--facts", facts, "--out", out];
        args.extend(extra.iter().map(String::as_str));
        let run = silsila(&args);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, ""),
            "{name}: {}",
            run.stderr
        );

        let written: BTreeSet<String> = std::fs::read_dir(out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        let mut expected: BTreeSet<String> = relations.iter().map(|r| format!("{r}.csv")).collect();
        expected.insert("run.json".into());
        assert_eq!(written, expected, "{name}: no temporary or other files");
        let run_file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{out}/run.json")).unwrap())
                .unwrap();
        assert_eq!(run_file["silsila"], env!("CARGO_PKG_VERSION"), "{name}");
        assert_eq!(run_file["facts"], facts, "{name}");
        assert_eq!(
            run_file["relations"],
            serde_json::json!(relations),
            "{name}"
        );
        assert!(run_file["recent_days"].is_u64(), "{name}: {run_file}");
        assert!(
            run_file["as_of"].is_string() || run_file["as_of"].is_null(),
            "{name}: {run_file}"
        );

        for relation in &relations {
            let mut args = vec!["infer", "--facts", facts, "--format", "csv", relation];
            args.extend(extra.iter().map(String::as_str));
            let printed = silsila(&args);
            assert_eq!(printed.code, 0, "{name}: {}", printed.stderr);
            let file = std::fs::read_to_string(format!("{out}/{relation}.csv")).unwrap();
            assert_eq!(file, printed.stdout, "{name}: {relation}.csv");
            assert!(
                file.starts_with(&format!("{},", expected_first_column(relation))),
                "{name}: {relation}.csv has a header row:\n{file}"
            );
        }
    }
}

/// The first column of each printed relation, as its header names it.
fn expected_first_column(relation: &str) -> &'static str {
    match relation {
        "descends_from" => "group",
        "current_descendant" => "cell",
        "lineage_member" => "person",
        "co_located" | "possibly_same" | "suspected_link" => "a",
        other => panic!("a new relation, {other}: name its first column here"),
    }
}

#[test]
fn formula_like_names_are_neutralised_and_quoted() {
    let facts = Scratch::new("injection");
    facts.write("sources.csv", "id\ns1\n").write(
        "mergers.csv",
        "from,into,source\n\
         =HYPERLINK(\"http://x\"),+SUM(1),s1\n\
         @x,-x,s1\n\
         \"Southern Front, Daraa\",Eighth Division,s1\n",
    );
    let run = silsila(&[
        "infer",
        "--facts",
        facts.path(),
        "--format",
        "csv",
        "descends_from",
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // RFC 4180: a field with a quote or a comma is quoted, quotes doubled.
    assert_eq!(
        run.stdout,
        "group,ancestor,confidence,grade,contested,sources\n\
         '+SUM(1),\"'=HYPERLINK(\"\"http://x\"\")\",probable,F2,,s1\n\
         '-x,'@x,probable,F2,,s1\n\
         Eighth Division,\"Southern Front, Daraa\",probable,F2,,s1\n"
    );
    // And a CSV reader gets the names back, each behind its one quote.
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let cells: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().take(2).map(str::to_string).collect())
        .collect();
    assert_eq!(
        cells,
        [
            ["'+SUM(1)", "'=HYPERLINK(\"http://x\")"],
            ["'-x", "'@x"],
            ["Eighth Division", "Southern Front, Daraa"],
        ]
    );
}

#[test]
fn grade_joins_the_weakest_claimant_letter_to_the_confidence_digit() {
    let facts = Scratch::new("grade");
    facts
        .write(
            "sources.csv",
            "id,publisher,reliability,claimant,part_of\n\
             art,The Paper,A,,\n\
             art/expert,,B,An Expert,art\n\
             art/anonymous,,D,A faction leader,art\n",
        )
        .write(
            "mergers.csv",
            "from,into,source,confidence\n\
             A,B,art/expert,possible\n\
             B,C,art/anonymous,confirmed\n",
        );
    let run = silsila(&[
        "infer",
        "--facts",
        facts.path(),
        "--format",
        "csv",
        "descends_from",
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // C from A rests on both claimants: the anonymous one's D, and the
    // possible row's 3; the article's own A plays no part.
    assert_eq!(
        run.stdout,
        "group,ancestor,confidence,grade,contested,sources\n\
         B,A,possible,B3,,art/expert\n\
         C,A,possible,D3,,art/anonymous;art/expert\n\
         C,B,confirmed,D1,,art/anonymous\n"
    );
}
