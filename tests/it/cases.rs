//! Data-driven tests: each case folder under `tests/cases/` (and the seed
//! facts in `facts/`) is a facts folder. Its conclusions and explanations
//! are snapshotted, and its hand-checked `expected.txt` is asserted.

use std::path::Path;

use crate::support::{case_args, case_folders, relative, root, silsila};

fn infer(folder: &str, extra: &[String], format: &str) -> String {
    let mut args = vec!["infer", "--facts", folder, "--format", format];
    args.extend(extra.iter().map(String::as_str));
    let run = silsila(&args);
    assert_eq!(run.code, 0, "infer on {folder} failed:\n{}", run.stderr);
    run.stdout
}

/// A handful of chosen explanations: for each printed relation with
/// conclusions, those of its first and its last conclusion (by their two
/// leading columns, so a few more where those match several). Every other
/// proof is checked by `explain::every_proof_is_acyclic_weakest_linked_and_ends_in_rows`,
/// so the snapshots stay small enough to review.
fn explain_chosen(folder: &str, extra: &[String], format: &str) -> String {
    let printed = crate::support::conclusions_json(&infer(folder, extra, "json"));
    let mut out = String::new();
    for (relation, rows) in &printed {
        let rows = rows.as_array().unwrap();
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            continue;
        };
        let mut chosen = vec![first];
        if last != first {
            chosen.push(last);
        }
        for row in chosen {
            let leading: Vec<&str> = row
                .as_object()
                .unwrap()
                .values()
                .take(2)
                .map(|v| v.as_str().unwrap_or(""))
                .collect();
            let mut args = vec!["explain", "--facts", folder, "--format", format];
            args.extend(extra.iter().map(String::as_str));
            args.push(relation);
            args.extend(&leading);
            let run = silsila(&args);
            assert_eq!(
                run.code, 0,
                "explain {relation} {leading:?} on {folder}:\n{}",
                run.stderr
            );
            out.push_str(&format!(
                "==> {relation} {}\n{}\n",
                leading.join(", "),
                run.stdout
            ));
        }
    }
    out
}

/// The one case whose explanations are pinned in JSON as well.
const JSON_CASE: &str = "weakest_link";

/// `explain --why-not` for each line of the case's `why-not` file
/// (`relation,value,...`), when it has one; each must run and say why.
fn why_not_all(folder: &str, extra: &[String]) -> Option<String> {
    let queries = std::fs::read_to_string(Path::new(folder).join("why-not")).ok()?;
    let mut out = String::new();
    for query in queries.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = query.split(',').map(str::trim).collect();
        let mut args = vec!["explain", "--why-not", "--facts", folder];
        args.extend(extra.iter().map(String::as_str));
        args.extend(&words);
        let run = silsila(&args);
        assert_eq!(run.code, 0, "why-not {query} on {folder}:\n{}", run.stderr);
        assert!(run.stdout.contains(" does not hold\n"), "{}", run.stdout);
        out.push_str(&format!("==> {query}\n{}\n", run.stdout));
    }
    Some(out)
}

fn snapshot_folder(name: &str, folder: &Path) {
    let relative = relative(folder);
    let extra = case_args(folder);
    insta::with_settings!({
        snapshot_suffix => name,
        input_file => folder.join("expected.txt"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("infer", infer(&relative, &extra, "table"));
        insta::assert_snapshot!("infer_json", infer(&relative, &extra, "json"));
        insta::assert_snapshot!("explain", explain_chosen(&relative, &extra, "text"));
        if name == JSON_CASE {
            insta::assert_snapshot!("explain_json", explain_chosen(&relative, &extra, "json"));
        }
        if let Some(why_not) = why_not_all(&relative, &extra) {
            insta::assert_snapshot!("why_not", why_not);
        }
    });
}

/// Checks `expected.txt`: `relation(values): confidence` must be printed;
/// `! relation(values)` must not be. Every case folder has one: a case
/// without hand-checked expectations would pass whatever it printed.
fn check_expectations(name: &str, folder: &Path) {
    let expected = std::fs::read_to_string(folder.join("expected.txt"))
        .unwrap_or_else(|e| panic!("case {name}: cannot read its expected.txt: {e}"));
    let relative = relative(folder);
    let json: serde_json::Value =
        serde_json::from_str(&infer(&relative, &case_args(folder), "json")).unwrap();
    let printed: Vec<String> = json
        .as_object()
        .unwrap()
        .iter()
        .filter(|(relation, _)| *relation != "run")
        .flat_map(|(relation, rows)| {
            rows.as_array().unwrap().iter().map(move |row| {
                let fields = row.as_object().unwrap();
                let values: Vec<String> = fields
                    .iter()
                    .filter(|(k, _)| {
                        !["confidence", "grade", "contested", "sources"].contains(&k.as_str())
                    })
                    .map(|(_, v)| v.as_str().unwrap_or("").to_string())
                    .collect();
                format!(
                    "{relation}({}): {}",
                    values.join(", "),
                    fields["confidence"].as_str().unwrap()
                )
            })
        })
        .collect();
    let mut failures = Vec::new();
    // `# complete: relation, …` says every printed row of those relations
    // is listed: an unexpected conclusion fails the case too.
    let complete: Vec<String> = expected
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# complete:"))
        .flat_map(|names| names.split(',').map(|n| n.trim().to_string()))
        .collect();
    let listed: Vec<&str> = expected.lines().map(str::trim).collect();
    for row in &printed {
        let relation = row.split('(').next().unwrap_or_default();
        if complete.iter().any(|c| c == relation) && !listed.contains(&row.as_str()) {
            failures.push(format!("not listed, though {relation} is complete: {row}"));
        }
    }
    for line in expected.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(absent) = line.strip_prefix('!') {
            let prefix = absent.trim().trim_end_matches(')');
            let matches = |p: &&String| {
                p.strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with(')') || rest.starts_with(", "))
            };
            if let Some(found) = printed.iter().find(matches) {
                failures.push(format!("must not hold: {line}\n    but printed: {found}"));
            }
        } else if !printed.iter().any(|p| p == line) {
            failures.push(format!("must hold: {line}"));
        }
    }
    assert!(
        failures.is_empty(),
        "case {name}: {}\nprinted:\n  {}",
        failures.join("\n"),
        printed.join("\n  ")
    );
}

#[test]
fn every_case_folder_meets_its_hand_checked_expectations() {
    for (name, folder) in case_folders() {
        check_expectations(&name, &folder);
    }
}

#[test]
fn every_case_folder_matches_its_snapshots() {
    for (name, folder) in case_folders() {
        snapshot_folder(&name, &folder);
    }
}

#[test]
fn seed_facts_match_their_snapshots() {
    snapshot_folder("seed", &root().join("facts"));
}
