//! Two spellings of one name that differ in their characters, not only in
//! case or space (composed and decomposed, with and without invisible
//! characters, harakat or tatweel), are matched as one name, and `check`
//! warns once per name, naming both spellings and where each is.

use crate::support::{silsila, Scratch};

#[test]
fn two_spellings_of_one_name_are_warned_of_once_with_where_each_is() {
    let folder = Scratch::new("spellings-met");
    folder
        .write("sources.csv", "id\ns1\n")
        .write(
            "entities.csv",
            // Composed é; Arabic with harakat (Muḥammad with damma and fatha).
            "name,kind\nJos\u{e9},person\n\u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{62f},person\n",
        )
        .write(
            "membership.csv",
            // Decomposed, twice (one warning), a case difference (none),
            // and the Arabic name bare.
            "member,group,source\n\
             Jose\u{301},Cell,s1\n\
             Jose\u{301},Cell,s1\n\
             JOS\u{c9},Cell,s1\n\
             \u{645}\u{62d}\u{645}\u{62f},Cell,s1\n",
        );
    let run = silsila(&["check", "--facts", folder.path()]);
    let dir = folder.path();
    assert_eq!(
        run.stdout,
        format!(
            "warning: {dir}/membership.csv:2: column \"member\": \"Jose\\u{{301}}\" and \"José\" (at {dir}/entities.csv:2) are one name written with different characters (composed and decomposed letters); they are matched as one, so write it one way or leave it\n\
             warning: {dir}/membership.csv:3: this row repeats line 2 exactly\n\
             warning: {dir}/membership.csv:5: column \"member\": \"محمد\" and \"م\\u{{64f}}ح\\u{{64e}}مد\" (at {dir}/entities.csv:3) are one name written with different characters (Arabic harakat or tatweel); they are matched as one, so write it one way or leave it\n\
             {dir}: no errors, 3 warnings\n"
        )
    );
    assert_eq!(run.code, 0);
}
