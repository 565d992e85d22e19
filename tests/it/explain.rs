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
    let printed: Json = serde_json::from_str(&infer.stdout).unwrap();
    let mut out = Vec::new();
    for (relation, rows) in printed.as_object().unwrap() {
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
    let weakest_premise = premises.iter().map(|p| rank(&p["confidence"])).min();
    if let Some(weakest) = weakest_premise {
        assert_eq!(
            rank(&node["confidence"]),
            weakest,
            "{context}: {here} is not as weak as its weakest premise"
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
            rank(&marked[0]["confidence"]),
            rank(&node["confidence"]),
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
        let end = check_node(&proof, &mut Vec::new(), true, &context);
        assert_eq!(
            end,
            Some(rank(&row["confidence"])),
            "{context}: the marked chain ends at a row of the printed confidence"
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
fn the_contested_intelligence_claim_shows_who_asserts_and_who_disputes() {
    // North Press reports a belief that Air Force Intelligence is linked to
    // ISIS; The New Arab reports Tamimi dismissing any link between Syrian
    // intelligence and the IS cells.
    let run = silsila(&[
        "explain",
        "--format",
        "json",
        "suspected_link",
        "Air Force Intelligence",
        "IS cell in Jasim",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let proof: Json = serde_json::from_str(&run.stdout).unwrap();
    let proof = &proof[0];
    assert_eq!(proof["contested"], true);
    assert_eq!(proof["values"]["reason"], "organisation_tie");
    let link = &proof["premises"][0]["premises"][0];
    assert_eq!(link["relation"], "links");
    assert_eq!(link["weakest"], true);
    // The claimant who believes it, and the one who dismisses it, not
    // the whole articles.
    assert_eq!(
        link["rows"][0]["sources"][0]["id"],
        "np-2022-10/committee-member"
    );
    assert_eq!(
        link["rows"][0]["disputed_by"][0]["id"],
        "tna-2022-11/tamimi"
    );
    let infer = silsila(&["infer", "--format", "csv", "suspected_link"]);
    assert!(
        infer.stdout.contains(
            "Air Force Intelligence,IS cell in Jasim,organisation_tie,possible,F3,tna-2022-11/tamimi,np-2022-10;np-2022-10/committee-member;tna-2022-11/tamimi\n"
        ),
        "{}",
        infer.stdout
    );
}

/// The proof of a conclusion is the same however the search got to it:
/// alone, after every other conclusion in order or in reverse, or with its
/// memory wiped after each. `infer` relies on this when it proves rows on
/// several threads, each remembering different proofs, and forgets what it
/// remembers as it goes.
#[test]
fn a_proof_does_not_depend_on_what_the_search_remembers() {
    use silsila::dl::syntax::DeclKind;
    use silsila::explain::Explainer;

    for (name, folder, _) in crate::support::fact_folders() {
        let facts = silsila::facts::load(&folder).unwrap();
        let rules = silsila::rules::rules().unwrap();
        let model = silsila::eval::run(&facts, &Default::default()).unwrap();
        let explainer = Explainer::new(&facts, rules, &model);
        let mut in_order = explainer.search();
        let mut reversed = explainer.search();
        let mut forgetful = explainer.search();
        let mut checked = 0;
        for (index, relation) in rules.relations.iter().enumerate() {
            if relation.kind == DeclKind::Input {
                continue;
            }
            let conclusions = model.conclusions(rules, index);
            let backwards: Vec<_> = conclusions
                .iter()
                .rev()
                .map(|t| reversed.prove(index, t))
                .collect();
            for (tuple, from_reversed) in conclusions.iter().zip(backwards.into_iter().rev()) {
                let alone = explainer.search().prove(index, tuple);
                assert!(alone.is_some(), "{name}: {} has no proof", relation.name);
                assert_eq!(
                    in_order.prove(index, tuple),
                    alone,
                    "{name}: {}",
                    relation.name
                );
                assert_eq!(from_reversed, alone, "{name}: {}", relation.name);
                forgetful.forget_beyond(0);
                assert_eq!(
                    forgetful.prove(index, tuple),
                    alone,
                    "{name}: {}",
                    relation.name
                );
                checked += 1;
            }
        }
        assert!(checked > 0, "{name}: no conclusions to prove");
    }
}
