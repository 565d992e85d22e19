//! Files and settings an adversary would try: FIFOs, folders and devices
//! where files belong, a full stderr, dates at the ends of the calendar.
//! Each is an error naming its path (or a clamped date), never a hang, a
//! panic or a silent skip.

use std::process::{Command, Stdio};

use crate::support::{root, silsila, Scratch};

fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn fact_files_that_are_not_regular_files_are_errors_naming_them() {
    let scratch = Scratch::new("irregular");
    scratch.write("sources.csv", "id\ns1\n");
    mkfifo(&scratch.0.join("links.csv"));
    std::os::unix::fs::symlink("/dev/zero", scratch.0.join("participants.csv")).unwrap();
    std::fs::create_dir(scratch.0.join("events.csv")).unwrap();
    let run = silsila(&["check", "--facts", scratch.path()]);
    let dir = scratch.path();
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "error: {dir}/events.csv: this is a folder, not a regular file; silsila reads only regular files\n\
                 error: {dir}/links.csv: this is a FIFO, not a regular file; silsila reads only regular files\n\
                 error: {dir}/participants.csv: this is a device, not a regular file; silsila reads only regular files\n\
                 {dir}: 3 errors, no warnings\n"
            )
        )
    );
}

#[test]
fn a_workbook_that_is_a_fifo_or_a_device_is_refused_not_read() {
    let scratch = Scratch::new("irregular-book");
    let fifo = scratch.0.join("book.xlsx");
    mkfifo(&fifo);
    let zero = scratch.0.join("zero.ods");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for (path, what) in [(&fifo, "a FIFO"), (&zero, "a device")] {
        let run = silsila(&["infer", "--facts", path.to_str().unwrap()]);
        assert_eq!(
            (run.code, run.stderr),
            (
                1,
                format!(
                    "error: {}: cannot read the workbook: this is {what}, not a regular file; silsila reads only regular files\n",
                    path.display()
                )
            )
        );
    }
}

#[test]
fn the_recent_window_is_clamped_at_the_first_day() {
    for args in [
        &["infer", "--as-of", "0001-03-01", "--recent", "60"][..],
        &["infer", "--recent", "4294967295"][..],
    ] {
        let run = silsila(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let first = run.stdout.lines().next().unwrap_or_default().to_string();
        assert!(
            first.ends_with("; current means active since 0001-01-01"),
            "{args:?}: {first}"
        );
    }
}

#[test]
fn a_full_stderr_is_an_error_not_a_panic() {
    // A folder with a warning (a CSV file that is no relation) and one with
    // an error, so that both kinds of line meet the full stderr.
    let scratch = Scratch::new("full-stderr");
    for entry in std::fs::read_dir(root().join("facts")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), scratch.0.join(entry.file_name())).unwrap();
    }
    scratch.write("memberships.csv", "x\n");
    for args in [
        vec!["infer", "--facts", scratch.path()],
        vec!["infer", "--facts", "no-such-folder"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_silsila"))
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn names_reach_a_terminal_escaped_and_csv_and_json_exact() {
    let scratch = Scratch::new("terminal");
    for entry in std::fs::read_dir(root().join("facts")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), scratch.0.join(entry.file_name())).unwrap();
    }
    let evil = "Evil\u{1b}]0;pwned\u{7}\u{202e} cell";
    let mut locations = std::fs::read_to_string(scratch.0.join("locations.csv")).unwrap();
    locations.push_str(&format!(
        "{evil},Daraa al-Balad,2022-11-15,,tna-2022-11,confirmed,,\n"
    ));
    scratch.write("locations.csv", locations);
    // And a bad date with the same bytes, so an error line carries them.
    let facts = scratch.path();
    let shown = "Evil\\u{1b}]0;pwned\\u{7}\\u{202e} cell";
    let table = silsila(&["infer", "--facts", facts, "co_located"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains(shown), "{}", table.stdout);
    let explain = silsila(&[
        "explain",
        "--facts",
        facts,
        "co_located",
        "Abu Abdo al-Musallama",
        evil,
    ]);
    let csv = silsila(&["infer", "--facts", facts, "--format", "csv", "co_located"]);
    assert!(csv.stdout.contains(evil), "{}", csv.stdout);
    let json = silsila(&["infer", "--facts", facts, "--format", "json", "co_located"]);
    assert!(
        json.stdout
            .contains("Evil\\u001b]0;pwned\\u0007\u{202e} cell"),
        "{}",
        json.stdout
    );
    let mut bad = std::fs::read_to_string(scratch.0.join("locations.csv")).unwrap();
    bad.push_str(&format!("{evil},Yarmouk Basin,{evil},,tna-2022-11,,,\n"));
    scratch.write("locations.csv", bad);
    let check = silsila(&["check", "--facts", facts]);
    let infer = silsila(&["infer", "--facts", facts]);
    for (what, text) in [
        ("table", &table.stdout),
        ("table warnings", &table.stderr),
        ("explain", &explain.stdout),
        ("check", &check.stdout),
        ("infer errors", &infer.stderr),
    ] {
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{what}: {text}"
        );
    }
    assert!(explain.stdout.contains(shown), "{}", explain.stdout);
    assert!(check.stdout.contains(shown), "{}", check.stdout);
    assert!(infer.stderr.contains(shown), "{}", infer.stderr);
}

#[test]
fn a_name_of_invisible_characters_is_an_empty_value_and_spellings_meet() {
    let scratch = Scratch::new("invisible-name");
    scratch.write("sources.csv", "id\ns1\n");
    scratch.write(
        "membership.csv",
        "member,group,source\n\u{200b}\u{feff},Cell,s1\nJose\u{301},Cell,s1\nJos\u{e9}\u{200d},Cell\u{640},s1\n",
    );
    let run = silsila(&["check", "--facts", scratch.path()]);
    let dir = scratch.path();
    assert_eq!(
        (run.code, run.stdout),
        (
            1,
            format!(
                "error: {dir}/membership.csv:2: column \"member\": a value is required\n\
                 warning: {dir}/membership.csv:4: column \"member\": \"José\\u{{200d}}\" and \"Jose\\u{{301}}\" (at {dir}/membership.csv:3) are one name written with different characters (composed and decomposed letters, invisible characters (zero-width or directional)); they are matched as one, so write it one way or leave it\n\
                 warning: {dir}/membership.csv:4: column \"group\": \"Cell\u{640}\" and \"Cell\" (at {dir}/membership.csv:2) are one name written with different characters (Arabic harakat or tatweel); they are matched as one, so write it one way or leave it\n\
                 {dir}: 1 error, 2 warnings\n"
            )
        )
    );
    scratch.write(
        "membership.csv",
        "member,group,source\nJose\u{301},Cell,s1\nJos\u{e9}\u{200d},Cell\u{640},s1\n",
    );
    scratch.write("mergers.csv", "from,into,source\nCell,Cell Two,s1\n");
    let run = silsila(&[
        "infer",
        "--facts",
        scratch.path(),
        "--format",
        "csv",
        "lineage_member",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().count(),
        2,
        "one person, one group:\n{}",
        run.stdout
    );
}
