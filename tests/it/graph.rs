//! `silsila graph`: every format snapshotted for the seed facts and the
//! `contested` case, the neighbourhood option, and names that would break
//! each language unless escaped.

use crate::support::{root, silsila, Scratch};

fn graph(args: &[&str]) -> String {
    let run = silsila(&[&["graph"], args].concat());
    assert_eq!(run.code, 0, "silsila graph {args:?}: {}", run.stderr);
    run.stdout
}

#[test]
fn seed_graphs_in_every_format() {
    insta::with_settings!({
        input_file => root().join("facts/mergers.csv"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("graph_seed_lineage_dot", graph(&[]));
        insta::assert_snapshot!("graph_seed_all_dot", graph(&["--what", "all"]));
        insta::assert_snapshot!(
            "graph_seed_links_mermaid",
            graph(&["--what", "links", "--format", "mermaid"])
        );
        insta::assert_snapshot!("graph_seed_lineage_graphml", graph(&["--format", "graphml"]));
        insta::assert_snapshot!("graph_seed_lineage_svg", graph(&["--format", "svg"]));
    });
}

#[test]
fn contested_case_draws_contested_mergers_dashed() {
    let dot = graph(&["--facts", "tests/cases/contested"]);
    insta::with_settings!({
        input_file => root().join("tests/cases/contested/mergers.csv"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("graph_contested_dot", dot);
    });
    // Alpha → Bravo has only a contested row; Charlie → Delta has an
    // undisputed one too, so it is solid.
    let line = |from: &str| {
        dot.lines()
            .find(|l| l.contains("->") && l.starts_with(&format!("  n{from} ")))
            .unwrap()
            .to_string()
    };
    let index = |name: &str| {
        dot.lines()
            .find(|l| l.contains(&format!("label=\"{name}\"")))
            .unwrap()
            .trim()
            .split(' ')
            .next()
            .unwrap()
            .trim_start_matches('n')
            .to_string()
    };
    assert!(line(&index("Alpha Brigade")).contains("style=dashed"));
    assert!(line(&index("Charlie Army")).contains("style=solid"));
}

#[test]
fn around_keeps_only_the_neighbourhood() {
    let near = graph(&["--around", "Yusuf Nabulsi's cell", "--depth", "1"]);
    assert!(near.contains("\"Khalid ibn al-Walid Army\""), "{near}");
    assert!(!near.contains("Yarmouk Martyrs Brigade"), "{near}");
    let wider = graph(&["--around", "Yusuf Nabulsi's cell", "--depth", "2"]);
    assert!(wider.contains("Yarmouk Martyrs Brigade"), "{wider}");
    let run = silsila(&["graph", "--around", "Nobody at all"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: --around \"Nobody at all\": no entity has this name\n"
    );
}

#[test]
fn names_that_break_markup_are_escaped_in_every_format() {
    let dir = Scratch::new("graph-escape");
    dir.write("sources.csv", "id\ns1\n").write(
        "mergers.csv",
        "from,into,kind,date,source\n\"A \"\"quoted\"\" <b>&c\",\"D|#e`\\\",merger,2016,s1\n",
    );
    let dot = graph(&["--facts", dir.path()]);
    assert!(dot.contains(r#"label="A \"quoted\" <b>&c""#), "{dot}");
    assert!(dot.contains(r#"label="D|#e`\\""#), "{dot}");
    let mermaid = graph(&["--facts", dir.path(), "--format", "mermaid"]);
    assert!(
        mermaid.contains("[\"A #quot;quoted#quot; #lt;b#gt;#amp;c\"]"),
        "{mermaid}"
    );
    assert!(mermaid.contains("[\"D#124;#35;e#96;\\\"]"), "{mermaid}");
    for format in ["graphml", "svg"] {
        let xml = graph(&["--facts", dir.path(), "--format", format]);
        assert!(!xml.contains("<b>"), "{format}: {xml}");
        assert!(xml.contains("&lt;b"), "{format}: {xml}");
        assert!(!xml.contains("&c"), "{format}: {xml}");
    }
}
