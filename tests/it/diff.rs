//! `silsila diff`: each case folder under `tests/diff/` has a `before` and
//! an `after` facts folder and an `expected.txt` with the summary lines the
//! diff must print; the full output is snapshotted. Snapshots written by
//! `infer --out` and `git:REV` baselines must give the same differences,
//! and `--exit-code` must say whether anything changed. Also `about`,
//! `explain` through either of `a` and `b`, and the source options
//! (`--known-by`, `--without-source`, `--min-reliability`) on the seed.

use std::path::Path;
use std::process::Command;

use crate::support::{root, silsila, Scratch};

fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/diff"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "the diff cases are missing: {names:?}");
    names
}

fn diff(after: &str, baseline: &str, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["diff", "--facts", after, baseline];
    args.extend_from_slice(extra);
    silsila(&args)
}

#[test]
fn every_case_prints_its_expected_summary_and_rows() {
    for case in cases() {
        let folder = format!("tests/diff/{case}");
        let expected = std::fs::read_to_string(root().join(&folder).join("expected.txt"))
            .unwrap_or_else(|e| panic!("{folder}/expected.txt: {e}"));
        let (before, after) = (format!("{folder}/before"), format!("{folder}/after"));
        let run = diff(&after, &before, &["--exit-code"]);
        assert_eq!(run.code, 1, "{case}: something changed:\n{}", run.stderr);
        for line in expected.lines().filter(|l| !l.is_empty()) {
            assert!(
                run.stdout.lines().any(|l| l == line),
                "{case}: expected {line:?} in\n{}",
                run.stdout
            );
        }
        let json = diff(&after, &before, &["--format", "json"]);
        assert_eq!(json.code, 0, "{case}: {}", json.stderr);
        let csv = diff(&after, &before, &["--format", "csv", "descends_from"]);
        assert_eq!(csv.code, 0, "{case}: {}", csv.stderr);
        insta::with_settings!({ snapshot_suffix => case.clone(), input_file => root().join(&folder), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("diff_text", run.stdout);
            insta::assert_snapshot!("diff_csv", csv.stdout);
            let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
            insta::assert_json_snapshot!("diff_json", value);
        });
    }
}

#[test]
fn exit_code_is_zero_when_nothing_changed() {
    let before = "tests/diff/added_row/before";
    let run = diff(before, before, &["--exit-code"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("descends_from: +0 -0 ~0"),
        "{}",
        run.stdout
    );
    let seed = diff("facts", "facts", &["--exit-code"]);
    assert_eq!(seed.code, 0, "{}", seed.stderr);
    assert!(!seed.stdout.lines().any(|l| l.starts_with(['+', '-', '~'])));
}

#[test]
fn a_snapshot_baseline_gives_the_same_conclusions_as_its_facts() {
    for case in cases() {
        let folder = format!("tests/diff/{case}");
        let scratch = Scratch::new(&format!("diff-snapshot-{case}"));
        let out = scratch.0.join("snapshot");
        let out = out.to_str().unwrap();
        let written = silsila(&[
            "infer",
            "--facts",
            &format!("{folder}/before"),
            "--out",
            out,
        ]);
        assert_eq!(written.code, 0, "{}", written.stderr);
        let from_facts = diff(&format!("{folder}/after"), &format!("{folder}/before"), &[]);
        let from_snapshot = diff(&format!("{folder}/after"), out, &[]);
        assert_eq!(from_snapshot.code, 0, "{case}: {}", from_snapshot.stderr);
        // A snapshot keeps no facts or proofs, so the rows differ.
        let conclusions = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.starts_with("    "))
                .map(String::from)
                .collect()
        };
        assert_eq!(
            conclusions(&from_snapshot.stdout),
            conclusions(&from_facts.stdout),
            "{case}"
        );
        let nothing = diff(&format!("{folder}/before"), out, &["--exit-code"]);
        assert_eq!(nothing.code, 0, "{case}: {}", nothing.stdout);
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

#[test]
fn a_git_revision_is_compared_without_touching_the_repository() {
    let scratch = Scratch::new("diff-git");
    let repo = &scratch.0;
    let facts = repo.join("facts");
    let copy = |from: &str| {
        std::fs::create_dir_all(&facts).unwrap();
        for entry in std::fs::read_dir(root().join(from)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), facts.join(entry.file_name())).unwrap();
        }
    };
    git(
        repo.parent().unwrap(),
        &["init", "-q", repo.to_str().unwrap()],
    );
    copy("tests/diff/changed_confidence/before");
    git(repo, &["add", "facts"]);
    git(repo, &["commit", "-q", "-m", "before"]);
    copy("tests/diff/changed_confidence/after");
    let status_before = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["status", "--porcelain", "--ignored"])
        .output()
        .unwrap()
        .stdout;

    let facts_arg = facts.to_str().unwrap();
    let run = diff(facts_arg, "git:HEAD", &["--exit-code", "descends_from"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("descends_from: +0 -0 ~6\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("    - row HEAD:facts/mergers.csv:3\n"),
        "the baseline's row is named by revision:\n{}",
        run.stdout
    );
    assert!(!run.stdout.contains("silsila-git-"), "{}", run.stdout);

    let status_after = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["status", "--porcelain", "--ignored"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        status_before, status_after,
        "the repository was left as it was"
    );

    git(repo, &["add", "facts"]);
    git(repo, &["commit", "-q", "-m", "after"]);
    let same = diff(facts_arg, "git:HEAD", &["--exit-code"]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    let back = diff(facts_arg, "git:HEAD~1", &["--exit-code"]);
    assert_eq!(back.code, 1, "{}", back.stderr);

    // The checkout goes into the temporary folder and is removed after.
    let temporary = scratch.0.join("tmp");
    std::fs::create_dir(&temporary).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_silsila"))
        .args(["diff", "--facts", facts_arg, "git:HEAD~1"])
        .env("TMPDIR", &temporary)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("~6"));
    assert_eq!(
        std::fs::read_dir(&temporary).unwrap().count(),
        0,
        "the checkout was removed"
    );

    let bad = diff(facts_arg, "git:no-such-rev", &[]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.starts_with("error: git "), "{}", bad.stderr);
}

#[test]
fn about_gathers_every_conclusion_and_row_that_names_an_entity() {
    // Through an alias (Jassim is Jasim), in either column of co_located.
    let run = silsila(&["about", "Jassim"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Jasim\n"), "{}", run.stdout);
    let json = silsila(&["about", "--format", "json", "Jasim"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let co_located = value["conclusions"]["co_located"].as_array().unwrap();
    assert!(!co_located.is_empty());
    assert!(co_located
        .iter()
        .all(|r| r["place"] == "Jasim" || r["a"] == "Jasim" || r["b"] == "Jasim"));
    // A person: lineage and suspected links whichever column, and the
    // rows that mention it.
    let person = silsila(&["about", "--format", "json", "Yusuf Nabulsi"]);
    let value: serde_json::Value = serde_json::from_str(&person.stdout).unwrap();
    // A name is found whichever column of a pair it is in.
    let name = "Eighth Division";
    let cell = silsila(&["about", "--format", "json", name]);
    let cell: serde_json::Value = serde_json::from_str(&cell.stdout).unwrap();
    let pairs = cell["conclusions"]["co_located"].as_array().unwrap();
    assert!(
        pairs.iter().all(|l| l["a"] == name || l["b"] == name),
        "{pairs:?}"
    );
    assert!(pairs.iter().any(|l| l["a"] == name) && pairs.iter().any(|l| l["b"] == name));
    assert!(!value["conclusions"]["lineage_member"]
        .as_array()
        .unwrap()
        .is_empty());
    let rows: Vec<String> = value["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}:{}", r["file"].as_str().unwrap(), r["line"]))
        .collect();
    assert!(
        rows.contains(&"facts/membership.csv:5".to_string()),
        "{rows:?}"
    );
    let text = silsila(&["about", "Yusuf Nabulsi"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    insta::assert_snapshot!("about_yusuf_nabulsi", text.stdout);

    let unknown = silsila(&["about", "Yusuf Nabulsy"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(
        unknown.stderr,
        "error: \"Yusuf Nabulsy\" is not a name in the facts; did you mean \"Yusuf Nabulsi\"?\n"
    );
}

/// The articles the conclusions cite (a claimant `np-2022-10/x` counts
/// as its article).
fn all_sources(json: &str) -> std::collections::BTreeSet<String> {
    let value = crate::support::conclusions_json(json);
    let mut sources = std::collections::BTreeSet::new();
    for rows in value.values() {
        for row in rows.as_array().unwrap() {
            for s in row["sources"].as_array().unwrap() {
                let id = s.as_str().unwrap();
                sources.insert(id.split('/').next().unwrap_or(id).to_string());
            }
        }
    }
    sources
}

#[test]
fn known_by_keeps_only_what_was_published_by_then() {
    // The seed's two articles are a month apart: before November 2022 only
    // the North Press rows were known.
    let all = silsila(&["infer", "--format", "json"]);
    assert_eq!(
        all_sources(&all.stdout),
        ["np-2022-10", "tna-2022-11"].map(String::from).into()
    );
    let october = silsila(&["infer", "--format", "json", "--known-by", "2022-10-31"]);
    assert_eq!(october.code, 0, "{}", october.stderr);
    assert_eq!(
        all_sources(&october.stdout),
        ["np-2022-10".to_string()].into()
    );
    // The same rows as leaving The New Arab out by name.
    let without = silsila(&[
        "infer",
        "--format",
        "json",
        "--without-source",
        "tna-2022-11",
    ]);
    assert_eq!(
        crate::support::conclusions_json(&without.stdout),
        crate::support::conclusions_json(&october.stdout)
    );
    // By the end of November, everything.
    let november = silsila(&["infer", "--format", "json", "--known-by", "2022-11-30"]);
    assert_eq!(
        crate::support::conclusions_json(&november.stdout),
        crate::support::conclusions_json(&all.stdout)
    );
    // Neither seed source has a reliability letter (F): none is at least B.
    let reliable = silsila(&["infer", "--format", "json", "--min-reliability", "B"]);
    assert_eq!(reliable.code, 0, "{}", reliable.stderr);
    assert!(
        all_sources(&reliable.stdout).is_empty(),
        "{}",
        reliable.stdout
    );

    // explain, about and diff see the same rows.
    let explained = silsila(&[
        "explain",
        "--known-by",
        "2022-10-31",
        "co_located",
        "Eighth Division",
    ]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(
        !explained.stdout.contains("tna-2022-11"),
        "{}",
        explained.stdout
    );
    let about = silsila(&["about", "--known-by", "2022-10-31", "Jasim"]);
    assert!(!about.stdout.contains("tna-2022-11"), "{}", about.stdout);
    let diff = silsila(&["diff", "--known-by", "2022-10-31", "facts", "--exit-code"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stdout.contains("descends_from: +0 -4 ~0"),
        "{}",
        diff.stdout
    );

    let typo = silsila(&["infer", "--without-source", "tna-2022-1"]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "error: --without-source \"tna-2022-1\" is no source in sources.csv; did you mean \"tna-2022-11\"?\n"
    );
}

#[test]
fn a_damaged_snapshot_is_an_error_naming_its_file() {
    let scratch = Scratch::new("diff-bad-snapshot");
    scratch.write("run.json", "{ not json");
    let run = diff("facts", scratch.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.starts_with(&format!(
            "error: {}/run.json: not a run file: ",
            scratch.path()
        )),
        "{}",
        run.stderr
    );
    scratch.write("run.json", r#"{"relations": ["descends_from"]}"#);
    let missing = diff("facts", scratch.path(), &[]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("descends_from.csv"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_snapshot_of_some_relations_is_compared_on_those_only() {
    let scratch = Scratch::new("diff-partial-snapshot");
    let out = scratch.0.join("snap");
    let out = out.to_str().unwrap();
    let written = silsila(&["infer", "--out", out, "descends_from"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let run = diff("facts", out, &["--exit-code"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "descends_from: +0 -0 ~0\n")
    );
    let named = diff("facts", out, &["co_located"]);
    assert_eq!(named.code, 1);
    assert!(
        named
            .stderr
            .contains("has no co_located; it holds descends_from"),
        "{}",
        named.stderr
    );
}
