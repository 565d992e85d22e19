//! A fact file that cannot be read is one problem among the others: `check`
//! reports it and goes on to every other file, never stopping at the first.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use crate::support::{silsila, Scratch};

/// A folder with a bad row in mergers.csv beside `membership.csv`, which
/// `make_unreadable` turns into a file that cannot be read.
fn check_with_unreadable(name: &str, make_unreadable: impl Fn(&Scratch)) -> (i32, String) {
    let folder = Scratch::new(name);
    folder
        .write("sources.csv", "id\ns1\n")
        .write("mergers.csv", "from,into,source\nRed Front,Blue Front,s9\n");
    make_unreadable(&folder);
    let run = silsila(&["check", "--facts", folder.path()]);
    (run.code, run.stdout.replace(folder.path(), "facts"))
}

#[test]
fn a_file_that_fails_to_read_is_reported_with_every_other_problem() {
    // Reading /proc/self/mem from its start fails (nothing is mapped at
    // address 0) even for root, whom no permission stops.
    let (code, stdout) = check_with_unreadable("unreadable-io", |folder| {
        std::os::unix::fs::symlink("/proc/self/mem", folder.0.join("membership.csv")).unwrap();
    });
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "error: facts/membership.csv: cannot be read: Input/output error (os error 5)\n\
             error: facts/mergers.csv:2: column \"source\": unknown source \"s9\"\n\
             facts: 2 errors, no warnings\n"
        )
    );
}

#[test]
fn a_file_without_read_permission_is_reported_with_every_other_problem() {
    let probe = Scratch::new("unreadable-probe");
    if std::fs::metadata(&probe.0).unwrap().uid() == 0 {
        // Root reads every file whatever its permissions, so the denial
        // cannot be staged; the test above covers the same path for root.
        // Written past the test harness's capture, so the skip is seen.
        std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED a_file_without_read_permission_is_reported_with_every_other_problem: \
              running as root, which no file permission stops\n",
        )
        .unwrap();
        return;
    }
    let (code, stdout) = check_with_unreadable("unreadable-permission", |folder| {
        folder.write("membership.csv", "member,group,source\nAnn,Cell,s1\n");
        let path = folder.0.join("membership.csv");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    });
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "error: facts/membership.csv: cannot be read: Permission denied (os error 13)\n\
             error: facts/mergers.csv:2: column \"source\": unknown source \"s9\"\n\
             facts: 2 errors, no warnings\n"
        )
    );
}
