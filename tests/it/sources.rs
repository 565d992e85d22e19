//! Source sensitivity: `--known-by`, `--without-source` and
//! `--min-reliability` leave out what the chosen sources do not state.

use crate::support::{conclusions_json, silsila};

/// Every source id the printed conclusions cite, sorted.
fn cited(args: &[&str]) -> (Vec<String>, serde_json::Map<String, serde_json::Value>) {
    let mut all = vec!["infer", "--format", "json"];
    all.extend(args);
    let run = silsila(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = conclusions_json(&run.stdout);
    let mut ids: Vec<String> = json
        .values()
        .flat_map(|rows| rows.as_array().unwrap().iter())
        .flat_map(|row| row["sources"].as_array().unwrap().iter())
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    (ids, json)
}

#[test]
fn known_by_leaves_out_what_was_published_later() {
    // The North Press article is of 2022-10, The New Arab's of 2022-11.
    let (ids, json) = cited(&["--known-by", "2022-10-31"]);
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| id.starts_with("np-2022-10")), "{ids:?}");
    let links: Vec<(&str, &str)> = json["suspected_link"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["a"].as_str().unwrap(), r["b"].as_str().unwrap()))
        .collect();
    assert_eq!(links, [("Fifth Corps", "Local armed groups of Jasim")]);
    // Judged as of the date asked, not the latest date in the facts.
    let table = silsila(&["infer", "--known-by", "2022-10-31", "descends_from"]);
    assert!(
        table.stdout.starts_with("as of 2022-10-31;"),
        "{}",
        table.stdout
    );
    let (all, _) = cited(&[]);
    assert!(
        all.iter().any(|id| id.starts_with("tna-2022-11")),
        "{all:?}"
    );
}

#[test]
fn without_a_source_the_conclusions_resting_only_on_it_drop_out() {
    // Leaving the article out leaves out the claimants it quotes.
    let (ids, json) = cited(&["--without-source", "np-2022-10"]);
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| id.starts_with("tna-2022-11")),
        "{ids:?}"
    );
    let (_, all) = cited(&[]);
    let count = |json: &serde_json::Map<String, serde_json::Value>| {
        json["suspected_link"].as_array().unwrap().len()
    };
    assert!(count(&json) < count(&all));
    let run = silsila(&["infer", "--without-source", "tna-2022-1"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --without-source \"tna-2022-1\" is no source in sources.csv; did you mean \"tna-2022-11\"?\n"
    );
}

#[test]
fn min_reliability_keeps_only_sources_that_reliable() {
    // No seed source is rated above C (the named experts The New Arab
    // quotes); the articles themselves are F (cannot be judged).
    let (ids, json) = cited(&["--min-reliability", "B"]);
    assert!(ids.is_empty(), "{ids:?}");
    assert!(json["descends_from"].as_array().unwrap().is_empty());
    let (ids, _) = cited(&["--min-reliability", "C"]);
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| id.contains('/')),
        "only claimants: {ids:?}"
    );
    let (ids, _) = cited(&["--min-reliability", "F"]);
    assert_eq!(ids, cited(&[]).0);
    let run = silsila(&["infer", "--min-reliability", "Z"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
