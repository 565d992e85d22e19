//! Unit tests of `check`.

use super::*;

const PRELUDE: &str = ".input mergers(from: entity, into: entity, kind: word, date: date)\n\
                       .input run(as_of: date, recent_since: date)\n";

#[track_caller]
fn check(rules: &str, expected: &[&str]) {
    let text = format!("{PRELUDE}{rules}");
    let got: Vec<String> = match compile(&[("rules/t.dl", &text)]) {
        Ok(_) => vec![],
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(got, expected);
}

#[test]
fn accepts_a_well_formed_program() {
    check(
        ".output descends_from(group: entity, ancestor: entity)\n\
         % direct: a merger makes descent\n\
         descends_from(g, a) :- mergers(a, g, _, _), g != a.\n\
         % chain: descent is transitive\n\
         descends_from(g, a) :- mergers(p, g, _, _), descends_from(p, a), g != a.\n",
        &[],
    );
}

#[test]
fn reports_what_crepe_would_choke_on_at_the_users_line() {
    check(
        ".output d(group: entity, ancestor: entity)\n\
         .decl e(group: entity)\n\
         % r1: unbound head variable\n\
         d(g, z) :- mergers(_, g, _, _).\n\
         % r2: unbound negation\n\
         d(g, a) :- mergers(a, g, _, _), !e(x).\n\
         % r3: type clash\n\
         d(g, k) :- mergers(_, g, k, _).\n\
         % r4: wrong arity and unknown relation\n\
         d(g, a) :- mergers(a, g, _), merger(a, g, _, _).\n\
         % r5: negation through recursion\n\
         e(g) :- mergers(g, _, _, _), !d(g, g).\n\
         % r6: date constant and date order\n\
         e(g) :- mergers(g, _, _, d), d = \"2020\".\n\
         % r6: duplicate name\n\
         d(a, a) :- mergers(a, _, _, _), known(a).\n\
         .input membership(member: entity)\n",
        &[
            "rules/t.dl:6: in rule \"r1\": variable \"z\" in the conclusion is not bound by the body",
            "rules/t.dl:8: in rule \"r2\": variable \"x\" in !e must be bound earlier in the body (or use \"_\")",
            "rules/t.dl:10: in rule \"r3\": variable \"k\" is a word but column \"ancestor\" of d is an entity",
            "rules/t.dl:12: in rule \"r4\": relation \"mergers\" has 4 columns but is used with 3",
            "rules/t.dl:16: in rule \"r6\": the other side is a date, which cannot be the constant \"2020\"",
            "rules/t.dl:18: in rule \"r6\": variable \"a\" is an entity but argument 1 of known is a date",
            "rules/t.dl:18: rule name \"r6\" is already used at rules/t.dl:16",
            "rules/t.dl:19: input \"membership\" must be declared as membership(member: entity, group: entity, role: word, start: date, end: date, reported: date), as the fact schema reads it",
        ],
    );
}

#[test]
fn quotes_variables_and_counts_columns() {
    check(
        ".output d(group: entity, ancestor: entity)\n\
         .decl e(group: entity)\n\
         % r1: compares a variable not yet bound\n\
         d(g, a) :- mergers(a, g, _, _), z != a.\n\
         % r2: too many columns\n\
         e(g, g) :- mergers(g, _, _, _).\n\
         % r3: too few\n\
         d(g, g) :- e(g, g).\n",
        &[
            "rules/t.dl:6: in rule \"r1\": variable \"z\" must be bound earlier in the body before \"!=\"",
            "rules/t.dl:8: in rule \"r2\": relation \"e\" has 1 column but the rule gives 2",
            "rules/t.dl:10: in rule \"r3\": relation \"e\" has 1 column but is used with 2",
        ],
    );
}

#[test]
fn a_misspelt_type_is_reported_once_where_it_is_declared() {
    check(
        ".output d(group: entity, ancestor: entiy)\n\
         % r1: uses the column\n\
         d(g, a) :- mergers(a, g, _, _).\n",
        &["rules/t.dl:3: column \"ancestor\" has unknown type \"entiy\"; types are entity, place, event, word, date"],
    );
}

#[test]
fn negation_through_recursion_is_refused() {
    check(
        ".decl e(group: entity)\n\
         .output d(group: entity)\n\
         % r1: base\n\
         e(g) :- mergers(g, _, _, _), !d(g).\n\
         % r2: cycle\n\
         d(g) :- e(g).\n",
        &["rules/t.dl:6: in rule \"r1\": !d depends on \"e\" itself, so it cannot be negated here"],
    );
}

#[test]
fn suggests_the_nearest_relation() {
    check(
        ".output descends_from(group: entity, ancestor: entity)\n\
         % r1: typo\n\
         descends_from(g, a) :- mergerz(a, g, _, _).\n",
        &["rules/t.dl:5: in rule \"r1\": unknown relation \"mergerz\"; did you mean \"mergers\"?"],
    );
}

const MERGING: &str = ".input places(place: place, within: place, kind: word)\n\
                       .decl within(inner: place, outer: place)\n\
                       .decl spans(g: entity, place: place, start: date, end: date)\n\
                       % w: a place lies within its parent\n\
                       within(p, q) :- places(p, q, _).\n\
                       % s: a merger's group at each place on its date\n\
                       spans(g, p, d, d) :- mergers(g, _, _, d), places(p, _, _).\n";

#[test]
fn accepts_a_relation_merged_after_evaluation() {
    check(
        &format!(
            "{MERGING}.output merged(g: entity, place: place, start: date, end: date) merges spans by within\n"
        ),
        &[],
    );
}

#[test]
fn a_merged_relation_is_neither_derived_nor_read_by_rules() {
    check(
        &format!(
            "{MERGING}.output merged(g: entity, place: place, start: date, end: date) merges spans by within\n\
             .output again(g: entity)\n\
             % m: derives what is merged\n\
             merged(g, p, d, d) :- spans(g, p, d, _).\n\
             % a: reads what is merged\n\
             again(g) :- merged(g, _, _, _).\n"
        ),
        &[
            "rules/t.dl:10: \"merged\" is merged after evaluation, so no rule can derive it",
            "rules/t.dl:10: \"merged\" is merged after evaluation, so no rule can read it; read the relation it merges",
        ],
    );
}

#[test]
fn a_merge_needs_matching_columns_and_a_place_hierarchy() {
    check(
        &format!(
            "{MERGING}.output m1(g: entity, start: date, end: date) merges spans by within\n\
             .output m2(g: entity, place: place, start: date, end: date) merges nothing by within\n\
             .output m3(g: entity, place: place, start: date, end: date) merges spans by spans\n\
             .output m4(g: entity, place: place, start: date, end: date) merges spans\n\
             .output m5(g: entity, place: place, start: date, end: date) merges m6 by within\n\
             .output m6(g: entity, place: place, start: date, end: date) merges spans by within\n"
        ),
        &[
            "rules/t.dl:10: \"m1\" merges \"spans\", so it must have its column types (entity, place, date, date), not (entity, date, date)",
            "rules/t.dl:10: \"m1\" merges periods, so its last three columns must be a place, a start and an end (place, date, date)",
            "rules/t.dl:11: \"nothing\" is not a declared relation",
            "rules/t.dl:12: the place hierarchy \"spans\" must have two place columns, not (entity, place, date, date)",
            "rules/t.dl:13: expected \"by\" and the place hierarchy after the merged relation",
            "rules/t.dl:14: \"m6\" is itself merged; merge the relation it merges",
        ],
    );
}
