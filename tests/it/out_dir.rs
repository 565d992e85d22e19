//! `--out` never writes to what the user owns: links planted in the output
//! folder are replaced, not written through; a folder inside the facts
//! folder is refused, through links too; `generate` refuses a folder that is
//! not empty unless `--force`; a folder another run holds is refused; and
//! after any run the folder holds one whole set, of the format asked for.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{root, silsila, Scratch};

/// A copy of the shipped facts folder inside `scratch`.
fn copy_facts(scratch: &Scratch) -> std::path::PathBuf {
    let facts = scratch.0.join("facts");
    std::fs::create_dir(&facts).unwrap();
    for entry in std::fs::read_dir(root().join("facts")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), facts.join(entry.file_name())).unwrap();
    }
    facts
}

/// Every file in `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().into_string().unwrap(),
                std::fs::read(entry.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

fn names(dir: &Path) -> BTreeSet<String> {
    contents(dir).into_iter().map(|(name, _)| name).collect()
}

#[test]
fn links_planted_in_the_output_folder_are_replaced_not_written_through() {
    let scratch = Scratch::new("out-links");
    let facts = copy_facts(&scratch);
    let before = contents(&facts);
    let out = scratch.0.join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(facts.join("sources.csv"), out.join("descends_from.csv")).unwrap();
    std::fs::hard_link(facts.join("mergers.csv"), out.join("co_located.csv")).unwrap();
    let run = silsila(&[
        "infer",
        "--facts",
        facts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(contents(&facts), before, "the facts are as they were");
    let link = std::fs::symlink_metadata(out.join("descends_from.csv")).unwrap();
    assert!(link.file_type().is_file(), "the link is replaced by a file");
    let written = std::fs::read_to_string(out.join("co_located.csv")).unwrap();
    assert!(written.starts_with("a,b,place,"), "{written}");
}

#[test]
fn an_output_folder_inside_the_facts_folder_is_refused_through_links_too() {
    let scratch = Scratch::new("out-inside");
    let facts = copy_facts(&scratch);
    let before = contents(&facts);
    std::os::unix::fs::symlink(&facts, scratch.0.join("link")).unwrap();
    for (out, shown) in [
        (facts.join("sub"), format!("{}/sub", facts.display())),
        (
            scratch.0.join("link/sub"),
            format!("{}/link/sub", scratch.path()),
        ),
        (scratch.0.join("link"), format!("{}/link", scratch.path())),
    ] {
        let run = silsila(&[
            "infer",
            "--facts",
            facts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let what = if shown.ends_with("sub") {
            "is inside the facts folder"
        } else {
            "is the facts folder"
        };
        assert_eq!(
            (run.code, run.stderr),
            (
                1,
                format!("error: --out {shown} {what}; silsila never writes to its inputs\n")
            )
        );
        assert_eq!(contents(&facts), before, "nothing is created in the facts");
    }
}

#[test]
fn generate_refuses_a_folder_that_is_not_empty_unless_forced() {
    let scratch = Scratch::new("generate-force");
    let out = scratch.0.join("facts");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("sources.csv"), "id\nmine\n").unwrap();
    let before = contents(&out);
    let run = silsila(&["generate", "--scale", "1", "--out", out.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: --out {} is not empty; choose an empty folder, or give --force to replace the fact files in it\n",
                out.display()
            )
        )
    );
    assert_eq!(contents(&out), before);
    let scale = silsila(&["generate", "--scale", "0", "--out", out.to_str().unwrap()]);
    assert_eq!(
        (scale.code, scale.stderr.as_str()),
        (2, "error: --scale must be from 1 to 10000, not 0\n")
    );
    assert_eq!(contents(&out), before);
}

#[test]
fn a_folder_another_run_is_writing_is_refused_and_left_as_it_was() {
    let scratch = Scratch::new("out-locked");
    let out = scratch.0.join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("co_located.csv"), "earlier\n").unwrap();
    let before = contents(&out);
    let held = std::fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let run = silsila(&["infer", "--out", out.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: --out {} is being written by another silsila run; try again when it ends\n",
                out.display()
            )
        )
    );
    assert_eq!(contents(&out), before);
    held.unlock().unwrap();
    let run = silsila(&["infer", "--out", out.to_str().unwrap()]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn json_output_writes_one_json_file_per_relation_and_drops_stale_outputs() {
    let scratch = Scratch::new("out-json");
    let out = scratch.0.join("out");
    let out_arg = out.to_str().unwrap();
    let run = silsila(&["infer", "--out", out_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let run = silsila(&["infer", "--format", "json", "--out", out_arg, "co_located"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        names(&out),
        BTreeSet::from([
            "co_located.json".to_string(),
            "notes.txt".to_string(),
            "run.json".to_string()
        ])
    );
    let printed = silsila(&["infer", "--format", "json", "co_located"]);
    let printed: serde_json::Value = serde_json::from_str(&printed.stdout).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("co_located.json")).unwrap())
            .unwrap();
    assert_eq!(file, printed["co_located"]);
    assert!(file.as_array().is_some_and(|rows| !rows.is_empty()));
}

#[test]
fn an_output_that_cannot_be_replaced_leaves_the_earlier_set_whole() {
    let scratch = Scratch::new("out-blocked");
    let out = scratch.0.join("out");
    let run = silsila(&["infer", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_file(out.join("suspected_link.csv")).unwrap();
    std::fs::create_dir(out.join("suspected_link.csv")).unwrap();
    let before = contents(&out);
    let run = silsila(&["infer", "--out", out.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: {}/suspected_link.csv is a folder, so the output of that name cannot replace it; nothing was written\n",
                out.display()
            )
        )
    );
    assert_eq!(contents(&out), before, "no temporary file, nothing renamed");
}

#[test]
fn single_file_outputs_never_write_through_a_planted_link() {
    // A report or workbook is written like a folder's set: a fresh
    // exclusive temporary file, then a rename. Links planted at its path
    // and at the temporary names older versions used are replaced, and
    // what they point at is left as it was.
    let scratch = Scratch::new("single-file-links");
    let victim = scratch.0.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    for (command, file, old_temporary) in [
        ("report", "report.html", "report.html.tmp"),
        ("infer", "conclusions.xlsx", "conclusions.xlsx.tmp"),
    ] {
        let out = scratch.0.join(file);
        std::os::unix::fs::symlink(&victim, scratch.0.join(old_temporary)).unwrap();
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        let out_arg = out.to_str().unwrap();
        let run = match command {
            "report" => silsila(&["report", "--out", out_arg]),
            _ => silsila(&["infer", "--format", "xlsx", "--out", out_arg]),
        };
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "keep me",
            "{command}"
        );
        let meta = std::fs::symlink_metadata(&out).unwrap();
        assert!(meta.is_file() && meta.len() > 1000, "{command}: {meta:?}");
    }
}

#[test]
fn graph_and_export_read_only_the_sources_asked_for() {
    // --known-by 2022-10-31 leaves The New Arab's rows (2022-11) out: no
    // lineage edge of the Khalid ibn al-Walid Army in the graph, and fewer
    // relationships in the STIX bundle.
    let graph = silsila(&["graph", "--format", "dot", "--known-by", "2022-10-31"]);
    assert_eq!(graph.code, 0, "{}", graph.stderr);
    assert!(
        !graph.stdout.contains("Khalid ibn al-Walid Army"),
        "{}",
        graph.stdout
    );
    let all = silsila(&["graph", "--format", "dot"]);
    assert!(all.stdout.contains("Khalid ibn al-Walid Army"));
    let count = |args: &[&str]| {
        let run = silsila(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.matches("\"type\": \"relationship\"").count()
    };
    let october = count(&["export", "--format", "stix", "--known-by", "2022-10-31"]);
    let everything = count(&["export", "--format", "stix"]);
    assert!(
        0 < october && october < everything,
        "{october} of {everything}"
    );
}
