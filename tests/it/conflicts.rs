//! Rows that contradict each other and would change conclusions silently:
//! one place given two kinds or two parents in places.csv, also through an
//! alias, is a warning naming both rows; a relation named twice on the
//! command line is compared and printed once.

use crate::support::{silsila, Scratch};

#[test]
fn a_place_given_two_kinds_or_two_parents_is_warned_of_with_both_rows() {
    let folder = Scratch::new("conflicting-places");
    folder
        .write("aliases.csv", "alias,name\nNawa town,Nawa\n")
        .write(
            "places.csv",
            "place,within,kind\n\
             Syria,,country\n\
             Daraa,Syria,governorate\n\
             Quneitra,Syria,governorate\n\
             Nawa,Daraa,city\n\
             Nawa town,Quneitra,town\n\
             Nawa,Daraa,\n\
             Jasim,,\n",
        );
    let run = silsila(&["check", "--facts", folder.path()]);
    assert_eq!(
        run.stdout.replace(folder.path(), "facts"),
        "warning: facts/places.csv:6: column \"within\": place \"Nawa\" lies within \"Daraa\" on line 5 but within \"Quneitra\" here; give it one parent\n\
         warning: facts/places.csv:6: column \"kind\": place \"Nawa\" is a city on line 5 but a town here; give it one kind\n\
         warning: facts/places.csv:7: column \"kind\": place \"Nawa\" has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)\n\
         warning: facts/places.csv:8: column \"kind\": place \"Jasim\" has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)\n\
         warning: facts/places.csv:8: column \"within\": place \"Jasim\" is not placed within anything\n\
         facts: no errors, 5 warnings\n"
    );
    assert_eq!(run.code, 0);
}

#[test]
fn a_place_repeated_with_the_same_kind_and_parent_is_no_conflict() {
    let folder = Scratch::new("agreeing-places");
    folder.write(
        "places.csv",
        "place,within,kind\nSyria,,country\nDaraa,Syria,governorate\ndaraa,Syria,Governorate\n",
    );
    let run = silsila(&["check", "--facts", folder.path()]);
    assert_eq!(
        run.stdout.replace(folder.path(), "facts"),
        "facts: no problems\n"
    );
}

#[test]
fn a_relation_named_twice_in_diff_is_compared_once() {
    let twice = silsila(&[
        "diff",
        "--facts",
        "facts",
        "facts",
        "descends_from",
        "descends_from",
    ]);
    assert_eq!(
        (twice.code, twice.stdout.as_str()),
        (0, "descends_from: +0 -0 ~0\n")
    );
}

#[test]
fn a_relation_named_twice_in_infer_is_printed_once() {
    let once = silsila(&["infer", "--format", "csv", "co_located"]);
    let twice = silsila(&["infer", "--format", "csv", "co_located", "co_located"]);
    assert_eq!(once.code, 0, "{}", once.stderr);
    assert_eq!(twice.code, 0, "{}", twice.stderr);
    assert!(once.stdout.lines().count() > 1, "{}", once.stdout);
    assert_eq!(twice.stdout, once.stdout);
}
