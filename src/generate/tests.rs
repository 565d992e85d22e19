//! Unit tests of `generate`.

use super::*;
use crate::facts::Date;
use crate::schema;
use rustc_hash::FxHashMap;
use std::fs;

/// One generated file read back.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn at(&self, column: &str) -> usize {
        self.header
            .iter()
            .position(|c| c == column)
            .unwrap_or_else(|| panic!("no column {column:?}"))
    }

    /// The cells of one column.
    fn column<'a>(&'a self, column: &str) -> impl Iterator<Item = &'a str> + 'a {
        let at = self.at(column);
        self.rows.iter().map(move |row| row[at].as_str())
    }
}

/// A generated folder read back, file by file.
struct Folder(FxHashMap<&'static str, Table>);

impl Folder {
    fn read(dir: &Path) -> Folder {
        let mut tables = FxHashMap::default();
        for file in schema::FILES {
            let path = dir.join(file.file_name());
            let mut reader =
                csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let header = reader
                .headers()
                .expect("a header")
                .iter()
                .map(str::to_string)
                .collect();
            let rows = reader
                .records()
                .map(|r| r.expect("a row").iter().map(str::to_string).collect())
                .collect();
            tables.insert(file.name, Table { header, rows });
        }
        Folder(tables)
    }

    fn table(&self, name: &str) -> &Table {
        &self.0[name]
    }

    /// Writes every file back into `dir`.
    fn write(&self, dir: &Path) {
        for file in schema::FILES {
            let table = self.table(file.name);
            let mut writer = csv::Writer::from_path(dir.join(file.file_name())).expect("writable");
            writer.write_record(&table.header).expect("written");
            for row in &table.rows {
                writer.write_record(row).expect("written");
            }
            writer.flush().expect("written");
        }
    }

    fn rows(&self) -> u64 {
        self.0.values().map(|t| t.rows.len() as u64).sum()
    }
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or(Date::UNKNOWN)
}

/// What `silsila check` finds in the folder at `dir` (every error and
/// warning, as it prints them, with the folder cut off), then what the
/// generator promises beyond what loading insists on, read from `folder`
/// (the same files, read back), each as a line.
fn problems(dir: &Path, folder: &Folder) -> Vec<String> {
    let words = &crate::rules::rules().expect("the compiled rules").constants;
    let (_, found) = crate::facts::check(dir, words).expect("a readable folder");
    let prefix = format!("{}/", dir.display());
    // The generator leaves the kind or the parent of a rare village
    // unrecorded, as analysts do; loading rightly warns of each.
    let gap = |p: &&crate::Problem| {
        p.severity == crate::Severity::Warning
            && p.file.ends_with("places.csv")
            && (p.message.contains("has no kind")
                || p.message.ends_with("is not placed within anything"))
    };
    let mut problems: Vec<String> = found
        .iter()
        .filter(|p| !gap(p))
        .map(|p| p.to_string().replace(&prefix, ""))
        .collect();
    let mut problem = |file: &str, line: usize, what: String| {
        problems.push(format!("{file}.csv:{}: {what}", line + 2));
    };
    let entities = folder.table("entities");
    let kinds: FxHashMap<&str, &str> = entities
        .column("name")
        .zip(entities.column("kind"))
        .collect();
    // People are only ever members; groups are what members join and what
    // merges. (Loading warns of a person used as a group, not of a group
    // listed as a member.)
    for (line, name) in folder.table("membership").column("member").enumerate() {
        if kinds.get(name) != Some(&"person") {
            problem(
                "membership",
                line,
                format!("member {name:?} is not a person"),
            );
        }
    }
    for (line, kind) in entities.column("kind").enumerate() {
        if kind != "group" && kind != "person" {
            problem("entities", line, format!("kind {kind:?}"));
        }
    }
    for lineage_problem in lineage_problems(folder.table("mergers")) {
        problems.push(format!("mergers.csv: {lineage_problem}"));
    }
    problems
}

/// A lineage whose dates go backwards, described. (A merger cycle is
/// loading's warning.)
fn lineage_problems(mergers: &Table) -> Vec<String> {
    let rows: Vec<(&str, &str, Date)> = mergers
        .column("from")
        .zip(mergers.column("into"))
        .zip(mergers.column("date"))
        .map(|((from, into), day)| (from, into, date(day)))
        .collect();
    let mut out_of: FxHashMap<&str, Vec<(&str, Date)>> = FxHashMap::default();
    for &(from, into, day) in &rows {
        out_of.entry(from).or_default().push((into, day));
    }
    let mut problems = Vec::new();
    for &(from, into, day) in &rows {
        for &(next, later) in out_of.get(into).into_iter().flatten() {
            if day.first_day() > later.last_day() {
                problems.push(format!("{from} → {into} ({day}) → {next} ({later})"));
            }
        }
    }
    problems
}

#[track_caller]
fn assert_consistent(dir: &Path) -> Folder {
    let folder = Folder::read(dir);
    let problems = problems(dir, &folder);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
    folder
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("the folder")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into();
            (name, fs::read(&path).expect("the file"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn scale_one_is_consistent_and_summarised_truly() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = Options { scale: 1, seed: 42 };
    let summary = generate(&options, dir.path(), false).expect("generated");
    let folder = assert_consistent(dir.path());
    let names: Vec<String> = schema::FILES.iter().map(|f| f.file_name()).collect();
    let listed: Vec<String> = summary.files.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(listed, names);
    for (name, rows) in &summary.files {
        let table = folder.table(name.trim_end_matches(".csv"));
        // The shipped vocabulary's rows are loaded with the file's.
        if name == "vocabulary.csv" {
            assert_eq!(*rows, 0, "the generator adds no words");
            continue;
        }
        assert_eq!(table.rows.len() as u64, *rows, "{name}");
        assert!(*rows > 0, "{name} is empty");
    }
    let on_disk: u64 = files(dir.path()).iter().map(|(_, b)| b.len() as u64).sum();
    assert_eq!(summary.bytes, on_disk);
    assert!(
        (40_000..60_000).contains(&folder.rows()),
        "{}",
        folder.rows()
    );
}

#[test]
fn small_folders_are_consistent_for_every_seed() {
    for seed in 0..6 {
        let dir = tempfile::tempdir().expect("a temporary folder");
        generate_sized(100, seed, dir.path(), false).expect("generated");
        assert_consistent(dir.path());
    }
}

#[test]
fn the_same_options_give_the_same_bytes() {
    let dirs: Vec<_> = (0..3)
        .map(|_| tempfile::tempdir().expect("a temporary folder"))
        .collect();
    generate_sized(200, 7, dirs[0].path(), false).expect("generated");
    generate_sized(200, 7, dirs[1].path(), false).expect("generated");
    generate_sized(200, 8, dirs[2].path(), false).expect("generated");
    let first = files(dirs[0].path());
    assert_eq!(first.len(), schema::FILES.len(), "only the fact files");
    assert!(first == files(dirs[1].path()), "same seed, different bytes");
    let other = files(dirs[2].path());
    for ((name, a), (_, b)) in first.iter().zip(&other) {
        if name == "vocabulary.csv" {
            continue; // a header only, whatever the seed
        }
        assert_ne!(a, b, "{name} is the same for another seed");
    }
}

#[test]
fn the_check_finds_broken_facts() {
    // What only warns, so the facts still load and the cross-file checks run.
    let dir = tempfile::tempdir().expect("a temporary folder");
    generate_sized(100, 5, dir.path(), false).expect("generated");
    let mut folder = Folder::read(dir.path());
    let person = folder.table("membership").rows[0][0].clone();
    let town = folder.table("places").rows[3][0].clone();
    assert_ne!(town.to_uppercase(), town);
    let tables = &mut folder.0;
    let membership = tables.get_mut("membership").expect("membership");
    let repeated = membership.rows[1].clone();
    membership.rows.push(repeated);
    let repeated_line = membership.rows.len() + 1;
    membership.rows[2][1] = person.clone();
    let locations = tables.get_mut("locations").expect("locations");
    locations.rows[0][1] = "Nowhere".into();
    let mergers = tables.get_mut("mergers").expect("mergers");
    let mut back = mergers.rows[0].clone();
    back.swap(0, 1);
    mergers.rows.push(back);
    let aliases = tables.get_mut("aliases").expect("aliases");
    aliases.rows[0][0] = town.to_uppercase();
    folder.write(dir.path());
    let found = problems(dir.path(), &folder).join("\n");
    for expected in [
        format!("membership.csv:{repeated_line}: this row repeats line 3 exactly"),
        format!("membership.csv:4: column \"group\": {person:?} is a person in entities.csv but is used here as a group"),
        "locations.csv:2: column \"place\": place \"Nowhere\" is not in places.csv".to_string(),
        "mergers form a cycle".to_string(),
        // An alias that makes a town another place gives that place two
        // parents and two kinds.
        "give it one parent".to_string(),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in:\n{found}");
    }

    // What is an error.
    let dir = tempfile::tempdir().expect("a temporary folder");
    generate_sized(100, 5, dir.path(), false).expect("generated");
    let mut folder = Folder::read(dir.path());
    let tables = &mut folder.0;
    let membership = tables.get_mut("membership").expect("membership");
    let (start, end) = (membership.at("start"), membership.at("end"));
    membership.rows[3][start] = "2020-05".into();
    membership.rows[3][end] = "2019".into();
    let locations = tables.get_mut("locations").expect("locations");
    let source = locations.at("source");
    locations.rows[1][source] = "src-99999".into();
    folder.write(dir.path());
    assert_eq!(
        problems(dir.path(), &folder),
        [
            "membership.csv:5: column \"end\": \"2019\" is before the start \"2020-05\"",
            "locations.csv:3: column \"source\": unknown source \"src-99999\"",
        ]
    );
}

#[test]
fn a_second_run_replaces_the_files_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("facts");
    generate_sized(100, 1, &out, false).expect("generated");
    fs::write(out.join("notes.txt"), "mine").expect("written");
    generate_sized(100, 2, &out, false).expect_err("a folder that is not empty is refused");
    generate_sized(100, 2, &out, true).expect("generated again");
    let mut names: Vec<String> = files(&out).into_iter().map(|(n, _)| n).collect();
    names.retain(|n| n != "notes.txt");
    let mut expected: Vec<String> = schema::FILES.iter().map(|f| f.file_name()).collect();
    expected.sort();
    assert_eq!(names, expected);
    let again = tempfile::tempdir().expect("a temporary folder");
    generate_sized(100, 2, again.path(), false).expect("generated");
    assert!(files(&out)
        .into_iter()
        .filter(|(n, _)| n != "notes.txt")
        .eq(files(again.path())));
}

#[test]
fn rows_grow_linearly_with_the_scale() {
    let one = count_rows(1000, 3).expect("counted");
    let two = count_rows(2000, 3).expect("counted");
    let total = |rows: &[(String, u64)]| rows.iter().map(|(_, n)| n).sum::<u64>();
    let ratio = total(&two) as f64 / total(&one) as f64;
    assert!((1.85..2.15).contains(&ratio), "{ratio}");
    for ((name, a), (_, b)) in one.iter().zip(&two) {
        if name == "vocabulary.csv" {
            continue; // a header only, whatever the scale
        }
        let ratio = *b as f64 / *a as f64;
        assert!((1.5..2.5).contains(&ratio), "{name}: {a} then {b}");
    }
}

#[test]
fn refuses_a_scale_out_of_range() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for scale in [0, MAX_SCALE + 1] {
        let error = generate(&Options { scale, seed: 0 }, dir.path(), false).expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!("the scale must be from 1 to 10000, not {scale}")
        );
    }
    assert_eq!(fs::read_dir(dir.path()).expect("the folder").count(), 0);
}
