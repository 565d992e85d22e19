//! Bad input and bad command lines: the exact message and exit code.

use crate::support::{silsila, Scratch};

#[track_caller]
fn check(args: &[&str], code: i32, stderr: &str) {
    let run = silsila(args);
    assert_eq!(run.stderr, stderr, "stderr of silsila {args:?}");
    assert_eq!(run.code, code, "exit code of silsila {args:?}");
    if code != 0 {
        assert_eq!(run.stdout, "", "nothing is printed on failure");
    }
}

#[test]
fn every_problem_in_every_file_is_reported_with_file_line_and_column() {
    let facts = Scratch::new("bad-facts");
    facts
        .write("sources.csv", "id,publisher\ns1,X\ns1,Y\n")
        .write(
            "membership.csv",
            "member,group,start,end,source,confidence\n\
             Ann,Cell,15/11/2022,,s1,likely\n\
             Bob,,2022-03,2021,s9,\n",
        )
        .write("mergers.csv", "from,into,kind\nA,B,merger\n");
    let p = facts.path();
    check(
        &["infer", "--facts", p],
        1,
        &format!(
            "error: {p}/sources.csv:3: column \"id\": the id \"s1\" is already listed on line 2\n\
             error: {p}/membership.csv:2: column \"start\": \"15/11/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD\n\
             error: {p}/membership.csv:2: column \"confidence\": \"likely\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5\n\
             error: {p}/membership.csv:3: column \"group\": a value is required\n\
             error: {p}/membership.csv:3: column \"end\": \"2021\" is before the start \"2022-03\"\n\
             error: {p}/membership.csv:3: column \"source\": unknown source \"s9\"\n\
             error: {p}/mergers.csv:1: the required column \"source\" is missing\n"
        ),
    );
}

#[test]
fn explain_refuses_the_same_bad_facts() {
    let facts = Scratch::new("bad-explain");
    facts
        .write("sources.csv", "id\ns1\n")
        .write("mergers.csv", "from,into,date,source\nA,B,2016-13,s1\n");
    let p = facts.path();
    check(
        &["explain", "--facts", p, "descends_from"],
        1,
        &format!("error: {p}/mergers.csv:2: column \"date\": \"2016-13\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD\n"),
    );
}

#[test]
fn a_missing_facts_folder_is_named() {
    check(
        &["infer", "--facts", "no/such/folder"],
        1,
        "error: no/such/folder: there is no such folder; name the facts folder with --facts PATH\n",
    );
}

#[test]
fn a_bad_command_line_exits_2() {
    let as_of = silsila(&["infer", "--as-of", "15/11/2022"]);
    assert_eq!(as_of.code, 2);
    assert!(as_of.stderr.starts_with(
        "error: invalid value '15/11/2022' for '--as-of <DATE>': \"15/11/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD\n"
    ), "{}", as_of.stderr);
    let relation = silsila(&["infer", "descend_from"]);
    assert_eq!(relation.code, 2);
    assert!(relation.stderr.starts_with("error: invalid value 'descend_from' for '[RELATION]...'\n  [possible values: descends_from, current_descendant, lineage_member, co_located, possibly_same, suspected_link]"), "{}", relation.stderr);
    check(
        &["infer", "--format", "csv"],
        2,
        "error: --format csv prints one relation: name it, or use --out DIR for all\n",
    );
}

#[test]
fn silsila_never_writes_into_the_facts_folder() {
    check(
        &["infer", "--out", "facts"],
        1,
        "error: --out facts is the facts folder; silsila never writes to its inputs\n",
    );
}

#[test]
fn explain_says_what_holds_nearby() {
    check(
        &["explain", "descends_from", "Yusuf Nabulsi's cell", "ISIS"],
        1,
        "error: no conclusion descends_from(Yusuf Nabulsi's cell, ISIS) holds; nearest that hold:\n  \
         descends_from(Yusuf Nabulsi's cell, Harakat al-Muthanna al-Islamiya)\n  \
         descends_from(Yusuf Nabulsi's cell, Jaish al-Jihad)\n  \
         descends_from(Yusuf Nabulsi's cell, Khalid ibn al-Walid Army)\n  \
         descends_from(Yusuf Nabulsi's cell, Yarmouk Martyrs Brigade)\n",
    );
    check(
        &["explain", "descends_from", "Hayat Tahrir al-Sham"],
        1,
        "error: no conclusion descends_from(Hayat Tahrir al-Sham) holds: \"Hayat Tahrir al-Sham\" is not a name in the facts\n",
    );
    let run = silsila(&["explain", "descend_from"]);
    assert_eq!(run.code, 2, "an unknown relation is a bad command line");
    assert!(
        run.stderr.starts_with(
            "error: \"descend_from\" is not a derived relation; did you mean \"descends_from\"?"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_resolves_aliases() {
    // "Khalid ibn al-Walid" is an alias; the conclusion prints the canonical name.
    let run = silsila(&[
        "explain",
        "descends_from",
        "Yusuf Nabulsi's cell",
        "Khalid ibn al-Walid",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(
        "descends_from(group: Yusuf Nabulsi's cell, ancestor: Khalid ibn al-Walid Army)  probable\n"
    ), "{}", run.stdout);
}

#[test]
fn every_bad_command_line_exits_with_2() {
    check(
        &["explain", "descends_from", "a", "b", "c"],
        2,
        "error: descends_from has 2 columns (group, ancestor) but 3 values were given\n",
    );
}

#[test]
fn refused_facts_print_their_warnings_too() {
    let scratch = crate::support::Scratch::new("refused-warnings");
    scratch.write("sources.csv", "id,strat\ns1,\n");
    scratch.write(
        "membership.csv",
        "member,group,start,source\nAnn,Cell,15/11/2022,s1\n",
    );
    let run = silsila(&["infer", "--facts", scratch.path()]);
    let dir = scratch.path();
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            1,
            "",
            format!(
                "warning: {dir}/sources.csv:1: column \"strat\" is not a column of sources.csv; rename it \"x_strat\" if it is your own\n\
                 error: {dir}/membership.csv:2: column \"start\": \"15/11/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD\n"
            )
        )
    );
}

#[test]
fn a_relation_named_twice_is_printed_once() {
    let twice = silsila(&["infer", "--format", "json", "co_located", "co_located"]);
    let once = silsila(&["infer", "--format", "json", "co_located"]);
    assert_eq!((twice.code, &twice.stdout), (0, &once.stdout));
    let table = silsila(&["infer", "descends_from", "descends_from"]);
    assert_eq!(
        table.stdout.matches("descends_from (").count(),
        1,
        "{}",
        table.stdout
    );
}
