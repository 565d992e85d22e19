//! Properties every explanation must have, checked over every proof of
//! every conclusion of every case folder and of the seed facts; and the
//! choice between two derivations of one conclusion.

use serde_json::Value as Json;

use crate::support::{case_args, case_folders, relative, silsila};

/// Every proof tree of every printed conclusion, with the printed row.
fn proofs(folder: &str, extra: &[String]) -> Vec<(Json, Json)> {
    let mut args = vec!["infer", "--facts", folder, "--format", "json"];
    args.extend(extra.iter().map(String::as_str));
    let infer = silsila(&args);
    assert_eq!(infer.code, 0, "{}", infer.stderr);
    let printed = crate::support::conclusions_json(&infer.stdout);
    let mut out = Vec::new();
    for (relation, rows) in &printed {
        if rows.as_array().unwrap().is_empty() {
            continue;
        }
        let mut args = vec!["explain", "--facts", folder, "--format", "json"];
        args.extend(extra.iter().map(String::as_str));
        args.push(relation);
        let run = silsila(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let trees: Json = serde_json::from_str(&run.stdout).unwrap();
        let trees = trees.as_array().unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(
            trees.len(),
            rows.len(),
            "one proof per printed {relation} row"
        );
        out.extend(rows.iter().cloned().zip(trees.iter().cloned()));
    }
    out
}

const ORDER: [&str; 5] = [
    "improbable",
    "doubtful",
    "possible",
    "probable",
    "confirmed",
];

fn rank(confidence: &Json) -> usize {
    ORDER
        .iter()
        .position(|c| Some(*c) == confidence.as_str())
        .unwrap()
}

fn key(node: &Json) -> String {
    format!("{}{}", node["relation"], node["values"])
}

/// Checks one node and its subtree; returns the confidence of the fact
/// row at the end of the marked weakest chain below it.
fn check_node(node: &Json, path: &mut Vec<String>, on_chain: bool, context: &str) -> Option<usize> {
    let here = key(node);
    assert!(
        !path.contains(&here),
        "{context}: circular proof: {here} inside its own proof"
    );
    let Some(premises) = node.get("premises").and_then(Json::as_array) else {
        let rows = node["rows"].as_array().unwrap();
        if node["relation"] != "run" {
            assert!(!rows.is_empty(), "{context}: fact {here} has no row");
        }
        for row in rows {
            assert!(
                row["file"].as_str().is_some_and(|f| f.ends_with(".csv")),
                "{context}: {row}"
            );
            assert!(
                row["line"].as_u64().is_some_and(|l| l >= 2),
                "{context}: {row}"
            );
        }
        return Some(rank(&node["confidence"]));
    };
    path.push(here.clone());
    // A node is as weak as its weakest premise, at most what its hedged
    // tests leave (`at_most`), and one step weaker when inferred.
    let weakest_premise = premises.iter().map(|p| rank(&p["confidence"])).min();
    let capped = match (weakest_premise, node["at_most"].as_str()) {
        (Some(weakest), Some(cap)) => Some(weakest.min(rank(&Json::from(cap)))),
        (Some(weakest), None) => Some(weakest),
        (None, Some(cap)) => Some(rank(&Json::from(cap))),
        (None, None) => None,
    };
    let expected = match capped {
        Some(rank) if node["inferred"] == true => Some(rank.saturating_sub(1)),
        other => other,
    };
    if let Some(expected) = expected {
        assert_eq!(
            rank(&node["confidence"]),
            expected,
            "{context}: {here} is not as weak as its weakest premise, its caps and its inference"
        );
    }
    let contested = premises.iter().any(|p| p["contested"] == true);
    assert_eq!(
        node["contested"] == true,
        contested,
        "{context}: {here} contested"
    );
    let marked: Vec<&Json> = premises.iter().filter(|p| p["weakest"] == true).collect();
    if on_chain && !premises.is_empty() {
        assert_eq!(
            marked.len(),
            1,
            "{context}: {here} must mark exactly one weakest premise"
        );
        assert_eq!(
            Some(rank(&marked[0]["confidence"])),
            weakest_premise,
            "{context}: marked premise of {here}"
        );
    } else {
        assert!(
            marked.is_empty(),
            "{context}: {here} is off the chain but marks a premise"
        );
    }
    let mut chain_end = None;
    for premise in premises {
        let end = check_node(
            premise,
            path,
            on_chain && premise["weakest"] == true,
            context,
        );
        if premise["weakest"] == true {
            chain_end = end;
        }
    }
    path.pop();
    if premises.is_empty() {
        Some(rank(&node["confidence"]))
    } else {
        chain_end
    }
}

fn check_folder(name: &str, folder: &str, extra: &[String]) {
    for (row, proof) in proofs(folder, extra) {
        let context = format!("{name}: {row}");
        assert_eq!(
            proof["confidence"], row["confidence"],
            "{context}: proof gives the printed confidence"
        );
        let contested = !row["contested"].as_array().unwrap().is_empty();
        assert_eq!(proof["contested"] == true, contested, "{context}");
        // Caps and inferences only weaken, so the row at the end of the
        // marked chain is at least as strong as the conclusion; each node
        // on the way was checked to be exactly as weak as it should be.
        let end = check_node(&proof, &mut Vec::new(), true, &context);
        assert!(
            end.is_some_and(|end| end >= rank(&row["confidence"])),
            "{context}: the marked chain ends at a row {end:?} weaker than the printed confidence"
        );
    }
}

#[test]
fn every_proof_is_acyclic_weakest_linked_and_ends_in_rows() {
    for (name, folder) in case_folders() {
        let relative = relative(&folder);
        check_folder(&name, &relative, &case_args(&folder));
    }
    check_folder("seed", "facts", &[]);
}

fn explain_json(folder: &str, values: &[&str]) -> Json {
    let mut args = vec![
        "explain",
        "--facts",
        folder,
        "--format",
        "json",
        "descends_from",
    ];
    args.extend(values);
    let run = silsila(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let trees: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(trees.as_array().unwrap().len(), 1);
    trees[0].clone()
}

#[test]
fn of_two_derivations_the_stronger_is_shown() {
    let folder = "tests/cases/weakest_link";
    // Short and stronger: the direct possible row, not the doubtful chain.
    let delta = explain_json(folder, &["Delta Cell", "Alpha Brigade"]);
    assert_eq!(delta["confidence"], "possible");
    assert_eq!(delta["rule"]["name"], "lineage-via-merger");
    assert_eq!(delta["premises"][0]["rows"][0]["line"], 5);
    // Long and stronger: the confirmed chain through Echo, not the direct
    // improbable row.
    let foxtrot = explain_json(folder, &["Foxtrot Cell", "Delta Cell"]);
    assert_eq!(foxtrot["confidence"], "confirmed");
    assert_eq!(foxtrot["rule"]["name"], "lineage-chain");
    let text = foxtrot.to_string();
    assert!(
        !text.contains("improbable"),
        "the improbable row is not in the proof: {text}"
    );
}

#[test]
fn an_undisputed_derivation_beats_a_stronger_contested_one() {
    let delta = explain_json("tests/cases/contested", &["Delta Cell", "Charlie Army"]);
    assert_eq!(delta["contested"], false);
    assert_eq!(delta["confidence"], "possible");
    assert!(!delta.to_string().contains("\"disputed_by\":[{"), "{delta}");
}

#[test]
fn a_claim_about_an_organisation_is_no_suspicion_about_its_cells() {
    // North Press reports a belief that Air Force Intelligence is linked to
    // ISIS, the organisation. That says nothing of the IS cell in Jasim: no
    // suspicion is drawn, and --why-not says which premise is missing.
    let infer = silsila(&["infer", "--format", "csv", "suspected_link"]);
    assert_eq!(infer.code, 0, "{}", infer.stderr);
    assert!(
        !infer.stdout.contains("Air Force Intelligence"),
        "{}",
        infer.stdout
    );
    let run = silsila(&[
        "explain",
        "--why-not",
        "--format",
        "json",
        "suspected_link",
        "Air Force Intelligence",
        "IS cell in Jasim",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(why["holds"], false);
    let rules = why["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2, "{why}");
    for rule in rules {
        assert_eq!(rule["outcome"], "missing", "{rule}");
        assert!(
            rule["premise"].as_str().unwrap().starts_with("evidence("),
            "{rule}"
        );
        let ties = &rule["because"][0];
        assert_eq!(ties["rule"]["name"], "evidence-unopposed");
        assert_eq!(ties["outcome"], "missing", "{ties}");
    }
    // A conclusion that holds is refused with a pointer to plain explain.
    let holds = silsila(&[
        "explain",
        "--why-not",
        "descends_from",
        "Yusuf Nabulsi's cell",
        "Khalid ibn al-Walid Army",
    ]);
    assert_eq!(holds.code, 1);
    assert_eq!(
        holds.stderr,
        "error: descends_from(Yusuf Nabulsi's cell, Khalid ibn al-Walid Army) holds; explain it without --why-not\n"
    );
}

#[test]
fn why_not_names_the_opposition_that_blocks_a_suspicion_down_to_rows() {
    // The Eighth Division, a component of the Fifth Corps, supported the
    // Jasim operation that killed members of the IS cell in Jasim: their
    // members' co-location is no evidence of a tie, and why-not says so.
    let run = silsila(&[
        "explain",
        "--why-not",
        "suspected_link",
        "Fifth Corps",
        "Islamic State",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    assert!(
        text.starts_with(
            "suspected_link(a: Fifth Corps, b: Islamic State, reason: any) does not hold\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("blocked: enemies(a: Eighth Division, b: IS cell in Jasim) holds"),
        "{text}"
    );
    assert!(text.contains("row facts/participants.csv:20"), "{text}");
}

/// The proof `explain` shows of a conclusion rests on exactly the rows
/// whose sources `infer` prints for it, and is the same whether built
/// alone or after every other conclusion (sharing the premises it built).
#[test]
fn explain_and_infer_read_one_recorded_derivation() {
    use silsila::dl::syntax::DeclKind;
    use silsila::explain::Explainer;

    for (name, folder, _) in crate::support::fact_folders() {
        let facts = silsila::load(&folder).unwrap();
        let rules = silsila::rules::rules().unwrap();
        let model = silsila::eval::run(&facts, &Default::default()).unwrap();
        let explainer = Explainer::new(&facts, rules, &model);
        let mut shared = explainer.search();
        let mut seen = Default::default();
        let mut checked = 0;
        for (index, relation) in rules.relations.iter().enumerate() {
            if relation.kind == DeclKind::Input {
                continue;
            }
            for position in model.conclusion_positions(rules, index) {
                let tuple = model.relations[index].tuple(position);
                let alone = explainer.search().prove(index, &tuple);
                let Some(proof) = alone.as_ref() else {
                    panic!("{name}: {} has no proof", relation.name);
                };
                assert_eq!(
                    shared.prove(index, &tuple),
                    alone,
                    "{name}: {}",
                    relation.name
                );
                assert_eq!(
                    proof.rows(),
                    model.derivations.rows((index, position), &mut seen),
                    "{name}: {}",
                    relation.name
                );
                assert_eq!(
                    proof.height(),
                    model.derivations.height((index, position)),
                    "{name}: {}",
                    relation.name
                );
                checked += 1;
            }
        }
        assert!(checked > 0, "{name}: no conclusions to prove");
    }
}

#[test]
fn text_explanations_fit_100_columns_quote_their_rows_and_list_sources_once() {
    for relation in [
        "descends_from",
        "current_descendant",
        "co_located",
        "suspected_link",
    ] {
        let run = silsila(&["explain", relation]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        for line in run.stdout.lines() {
            assert!(
                line.chars().count() <= 100,
                "{relation}: a line of {} columns:\n{line}",
                line.chars().count()
            );
        }
        // Every tree ends with its sources, each listed once.
        for tree in run.stdout.split("\n\n") {
            let footer = tree.split("\nsources:\n").nth(1);
            let footer = footer.unwrap_or_else(|| panic!("{relation}: no sources footer:\n{tree}"));
            // One line per source, "  id: …"; wrapped lines are indented more.
            let ids: Vec<&str> = footer
                .lines()
                .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
                .filter_map(|l| l.trim().split(':').next())
                .collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(ids.len(), unique.len(), "{relation}: {footer}");
            assert!(!ids.is_empty(), "{relation}: {footer}");
        }
    }
    let run = silsila(&[
        "explain",
        "current_descendant",
        "Yusuf Nabulsi's cell",
        "Khalid ibn al-Walid Army",
    ]);
    let text = &run.stdout;
    // Conditions in plain words, leaves with the source's own words.
    assert!(
        text.contains("given nothing shows Yusuf Nabulsi's cell was superseded by a successor\n"),
        "{text}"
    );
    assert!(
        text.contains("row facts/mergers.csv:6, source tna-2022-11/askara\n"),
        "{text}"
    );
    assert!(
        text.contains("“TNA, Mohammed Al-Askara (named media activist), direct: 'Most of them"),
        "{text}"
    );
    // A long quote is shortened with an ellipsis; JSON carries it whole.
    assert!(text.contains("…”"), "{text}");
    let json = silsila(&[
        "explain",
        "--format",
        "json",
        "descends_from",
        "Yusuf Nabulsi's cell",
        "Khalid ibn al-Walid Army",
    ]);
    let trees: Json = serde_json::from_str(&json.stdout).unwrap();
    let notes = trees[0]["premises"][0]["rows"][0]["notes"]
        .as_str()
        .unwrap();
    let mergers =
        std::fs::read_to_string(crate::support::root().join("facts/mergers.csv")).unwrap();
    assert!(notes.len() > 200 && mergers.contains(notes), "{notes}");
}

#[test]
fn explanations_name_rows_relative_to_the_working_folder() {
    let facts = crate::support::root().join("facts");
    let run = silsila(&[
        "explain",
        "--facts",
        facts.to_str().unwrap(),
        "descends_from",
        "Yusuf Nabulsi's cell",
        "Khalid ibn al-Walid Army",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("row facts/mergers.csv:6, source tna-2022-11/askara\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_pair_is_found_whichever_column_a_name_is_in() {
    // Printed as (Russia, Syrian rebels): a < b.
    for args in [
        &["suspected_link", "Syrian rebels", "Russia"][..],
        &["suspected_link", "Syrian rebels"][..],
        &["suspected_link", "Russia", "Syrian rebels"][..],
    ] {
        let mut all = vec!["explain"];
        all.extend(args);
        let run = silsila(&all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stdout
                .starts_with("suspected_link(a: Russia, b: Syrian rebels, reason: joint_event)"),
            "{args:?}: {}",
            run.stdout
        );
    }
    let why = silsila(&[
        "explain",
        "--why-not",
        "suspected_link",
        "Islamic State",
        "Fifth Corps",
    ]);
    assert!(
        why.stdout.starts_with(
            "suspected_link(a: Fifth Corps, b: Islamic State, reason: any) does not hold"
        ),
        "{}",
        why.stdout
    );
}

/// A proof as deep as the user's data neither exhausts the stack nor
/// grows with the square of its depth: a 400-row merger chain explains its
/// longest conclusion in a tree that stops indenting after 12 levels and
/// labels the deeper ones, and every row of the chain is cited.
#[test]
fn a_proof_as_deep_as_a_long_merger_chain_is_drawn_in_linear_space() {
    const LENGTH: usize = 400;
    let mut sources = String::from("id,publisher,title,date,url,reliability\n");
    let mut mergers = String::from("from,into,kind,date,source,confidence,disputed_by\n");
    let mut entities = String::from("name,kind\n");
    for i in 0..LENGTH {
        sources.push_str(&format!("s{i},Pub,Report {i},2020-01-01,,B\n"));
        mergers.push_str(&format!("G{i:04},G{:04},split,2019-01-01,s{i},,\n", i + 1));
    }
    for i in 0..=LENGTH {
        entities.push_str(&format!("G{i:04},group\n"));
    }
    let scratch = crate::support::Scratch::new("deep_chain");
    scratch
        .write("sources.csv", sources)
        .write("mergers.csv", mergers)
        .write("entities.csv", entities);
    let last = format!("G{LENGTH:04}");
    let run = crate::support::silsila(&[
        "explain",
        "descends_from",
        &last,
        "G0000",
        "--facts",
        scratch.path(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    assert!(
        text.contains("(level 13) "),
        "{}",
        &text[..2000.min(text.len())]
    );
    assert!(text.contains(&format!("(level {}) ", LENGTH + 1)));
    for i in [1, LENGTH / 2, LENGTH] {
        assert!(text.contains(&format!("mergers.csv:{}", i + 1)), "row {i}");
    }
    // No line is indented past the 12 levels drawn (3 columns each).
    let widest = text
        .lines()
        .map(|l| l.chars().take_while(|c| " │├└─".contains(*c)).count())
        .max()
        .unwrap_or(0);
    assert!(widest <= 12 * 3 + 6, "a line is indented {widest} columns");
}

/// `silsila rules` lists the merged relation, which no rule derives, with
/// what it reads, so that every printed relation can be traced to its
/// definition.
#[test]
fn rules_lists_the_merged_relation_with_what_it_reads() {
    let text = silsila(&["rules"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("\nco_located  rules/30-colocation.dl:18\n  computed after the rules: one row per maximal period of shared")
            && text.stdout.contains("  merges co_located from shared, counts_for\n"),
        "{}",
        text.stdout
    );
    let json = silsila(&["rules", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let merged: Vec<&serde_json::Value> = listed.iter().filter(|r| r["merges"] == true).collect();
    assert_eq!(merged.len(), 1, "{}", json.stdout);
    assert_eq!(merged[0]["derives"], "co_located");
    assert_eq!(
        merged[0]["reads"],
        serde_json::json!(["shared", "counts_for"])
    );
    // Every printed relation is derived by a rule or merged.
    for relation in [
        "co_located",
        "descends_from",
        "current_descendant",
        "suspected_link",
    ] {
        assert!(
            listed.iter().any(|r| r["derives"] == relation),
            "{relation} has no entry"
        );
    }
}
