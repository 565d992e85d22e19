//! `silsila export --format stix`: the seed bundle snapshotted, and
//! validated by OASIS's own `stix2-validator` with references enforced.
//! A missing validator fails the test: `.ci/run` installs it.

use std::path::PathBuf;
use std::process::Command;

use crate::support::{root, silsila, Scratch};

/// The validator `.ci/run` installs under target/, or one on the PATH.
fn validator() -> PathBuf {
    let local = root().join("target/stix-venv/bin/stix2_validator");
    if local.exists() {
        return local;
    }
    let on_path = Command::new("stix2_validator").arg("--version").output();
    assert!(
        on_path.is_ok_and(|o| o.status.success()),
        "stix2_validator is not installed: run `bash .ci/run`, or \
         `python3 -m venv target/stix-venv && target/stix-venv/bin/pip install stix2-validator`"
    );
    PathBuf::from("stix2_validator")
}

fn export(args: &[&str]) -> String {
    let run = silsila(&[&["export", "--format", "stix"], args].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn validate(bundle: &str, name: &str) {
    let dir = Scratch::new(name);
    let path = dir.0.join("bundle.json");
    std::fs::write(&path, bundle).unwrap();
    let output = Command::new(validator())
        .arg("--enforce-refs")
        .arg(&path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.contains("STIX JSON: Valid"),
        "the validator refused the bundle:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn seed_bundle_is_valid_stix_and_stable() {
    let bundle = export(&[]);
    validate(&bundle, "stix-seed");
    let value: serde_json::Value = serde_json::from_str(&bundle).unwrap();
    let objects = value["objects"].as_array().unwrap();
    let count = |kind: &str| objects.iter().filter(|o| o["type"] == kind).count();
    for kind in [
        "intrusion-set",
        "threat-actor",
        "location",
        "report",
        "relationship",
        "sighting",
    ] {
        assert!(count(kind) > 0, "no {kind} in the bundle");
    }
    let relationship = |kind: &str| {
        objects
            .iter()
            .filter(|o| o["relationship_type"] == kind)
            .count()
    };
    for kind in ["derived-from", "attributed-to", "related-to"] {
        assert!(relationship(kind) > 0, "no {kind} relationship");
    }
    assert!(
        objects.iter().any(|o| o["labels"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x == "suspected"))),
        "no suspected link"
    );
    insta::with_settings!({
        input_file => root().join("facts/mergers.csv"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("stix_seed", bundle);
    });
    assert_eq!(export(&[]), bundle, "a second export differs");
}

#[test]
fn ids_follow_names_not_rows_and_hostile_text_is_kept_as_data() {
    let dir = Scratch::new("stix-names");
    dir.write("sources.csv", "id,publisher,title,date\ns1,Wire,\"A \"\"title\"\" <x>\",2020-03\n")
        .write(
            "mergers.csv",
            "from,into,kind,date,source,confidence\n\"Old \"\"<Group>\"\" & Co\",New,split,2019,s1,possible\n",
        )
        .write("membership.csv", "member,group,source\nSomeone,New,s1\n");
    let bundle = export(&["--facts", dir.path()]);
    validate(&bundle, "stix-names-valid");
    let value: serde_json::Value = serde_json::from_str(&bundle).unwrap();
    let objects = value["objects"].as_array().unwrap();
    let old = objects
        .iter()
        .find(|o| o["name"] == "Old \"<Group>\" & Co")
        .unwrap();
    assert_eq!(old["type"], "intrusion-set");
    assert_eq!(old["created"], "2019-01-01T00:00:00.000Z");
    assert_eq!(old["modified"], "2020-03-01T00:00:00.000Z");
    let derived = objects
        .iter()
        .find(|o| o["relationship_type"] == "derived-from")
        .unwrap();
    assert_eq!(derived["confidence"], 50);
    assert_eq!(derived["target_ref"], old["id"]);
    // The same names in another folder give the same ids.
    let again = Scratch::new("stix-names-again");
    again.write("sources.csv", "id\ns1\n").write(
        "mergers.csv",
        "from,into,source\n\"Old \"\"<Group>\"\" & Co\",New,s1\n",
    );
    let other: serde_json::Value =
        serde_json::from_str(&export(&["--facts", again.path()])).unwrap();
    assert!(other["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == old["id"]));
}
