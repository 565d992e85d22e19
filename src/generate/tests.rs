//! Unit tests of `generate`.

use super::*;
use crate::facts::names::name_key;
use crate::facts::{Confidence, Date, Reliability};
use crate::schema::{self, ColumnKind};
use rustc_hash::{FxHashMap, FxHashSet};
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

    fn rows(&self) -> u64 {
        self.0.values().map(|t| t.rows.len() as u64).sum()
    }
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or(Date::UNKNOWN)
}

/// Everything the loader will insist on, and what the generator
/// promises besides; each problem found, as a line.
fn problems(folder: &Folder) -> Vec<String> {
    let mut problems = Vec::new();
    let mut problem = |file: &str, line: usize, what: String| {
        problems.push(format!("{file}.csv:{}: {what}", line + 2));
    };

    let sources: FxHashSet<&str> = folder.table("sources").column("id").collect();
    let places: FxHashSet<&str> = folder.table("places").column("place").collect();
    let events: FxHashSet<&str> = folder.table("events").column("event").collect();
    let entities = folder.table("entities");
    let mut kinds: FxHashMap<&str, &str> = FxHashMap::default();
    for (name, kind) in entities.column("name").zip(entities.column("kind")) {
        kinds.insert(name, kind);
    }

    // One spelling per name: canonical names are unique across kinds, and
    // an alias is neither a name nor another name's alias.
    let mut keys: FxHashMap<String, &str> = FxHashMap::default();
    let canonical = [
        ("entities", "name"),
        ("places", "place"),
        ("events", "event"),
    ];
    for (file, column) in canonical {
        for (line, name) in folder.table(file).column(column).enumerate() {
            if let Some(other) = keys.insert(name_key(name), name) {
                problem(file, line, format!("{name:?} is also {other:?}"));
            }
        }
    }
    let aliases = folder.table("aliases");
    for (line, (alias, name)) in aliases
        .column("alias")
        .zip(aliases.column("name"))
        .enumerate()
    {
        if let Some(other) = keys.insert(name_key(alias), alias) {
            problem(
                "aliases",
                line,
                format!("alias {alias:?} is also {other:?}"),
            );
        }
        if !kinds.contains_key(name) && !places.contains(name) {
            problem("aliases", line, format!("{name:?} is no entity or place"));
        }
    }

    for file in schema::FILES {
        let table = folder.table(file.name);
        let header: Vec<&str> = file.written_columns().map(|c| c.name).collect();
        if table.header != header {
            problem(file.name, 0, format!("header {:?}", table.header));
            continue;
        }
        let mut seen = FxHashSet::default();
        for (line, row) in table.rows.iter().enumerate() {
            if !seen.insert(row) {
                problem(file.name, line, "a repeated row".into());
            }
            for (column, cell) in file.columns.iter().zip(row) {
                let name = column.name;
                if column.required && cell.is_empty() {
                    problem(file.name, line, format!("{name} is empty"));
                }
                let good = match column.kind {
                    ColumnKind::Entity => kinds.contains_key(cell.as_str()),
                    ColumnKind::Place => cell.is_empty() || places.contains(cell.as_str()),
                    ColumnKind::Event => events.contains(cell.as_str()),
                    ColumnKind::Sources | ColumnKind::DisputedBy => {
                        cell.is_empty() || cell.split(';').all(|id| sources.contains(id))
                    }
                    ColumnKind::Confidence => Confidence::parse(cell).is_some(),
                    ColumnKind::Reliability => Reliability::parse(cell).is_some(),
                    ColumnKind::Date => Date::parse(cell).is_ok(),
                    ColumnKind::Word | ColumnKind::Text => !cell.contains('\n'),
                    ColumnKind::Reported => false, // never written
                };
                if !good {
                    problem(file.name, line, format!("{name} {cell:?}"));
                }
            }
            if let (Some(start), Some(end)) = (file.column("start"), file.column("end")) {
                let (start, end) = (&row[table.at(start.name)], &row[table.at(end.name)]);
                if date(start).first_day() > date(end).last_day() {
                    problem(file.name, line, format!("ends {end:?} before {start:?}"));
                }
            }
            if let (Some(source), Some(disputed)) =
                (file.column("source"), file.column("disputed_by"))
            {
                let sources = &row[table.at(source.name)];
                let disputed = &row[table.at(disputed.name)];
                if !disputed.is_empty() && sources.split(';').any(|s| s == disputed) {
                    problem(file.name, line, format!("{disputed:?} disputes itself"));
                }
            }
        }
    }

    // People are only ever members, entities and the ends of links.
    let group_columns = [
        ("membership", "group"),
        ("mergers", "from"),
        ("mergers", "into"),
    ];
    for (file, column) in group_columns {
        for (line, name) in folder.table(file).column(column).enumerate() {
            if kinds.get(name) != Some(&"group") {
                problem(file, line, format!("{column} {name:?} is not a group"));
            }
        }
    }
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

/// A merger cycle, or a lineage whose dates go backwards, described.
fn lineage_problems(mergers: &Table) -> Vec<String> {
    let rows: Vec<(&str, &str, Date)> = mergers
        .column("from")
        .zip(mergers.column("into"))
        .zip(mergers.column("date"))
        .map(|((from, into), day)| (from, into, date(day)))
        .collect();
    let mut problems = Vec::new();
    let mut out_of: FxHashMap<&str, Vec<(&str, Date)>> = FxHashMap::default();
    let mut incoming: FxHashMap<&str, usize> = FxHashMap::default();
    for &(from, into, day) in &rows {
        out_of.entry(from).or_default().push((into, day));
        *incoming.entry(into).or_default() += 1;
        incoming.entry(from).or_default();
    }
    for &(from, into, day) in &rows {
        for &(next, later) in out_of.get(into).into_iter().flatten() {
            if day.first_day() > later.last_day() {
                problems.push(format!("{from} → {into} ({day}) → {next} ({later})"));
            }
        }
    }
    // Kahn's algorithm: whatever is left unsorted lies on a cycle or
    // downstream of one.
    let mut ready: Vec<&str> = incoming
        .iter()
        .filter(|(_, &n)| n == 0)
        .map(|(&g, _)| g)
        .collect();
    let mut sorted = 0;
    while let Some(group) = ready.pop() {
        sorted += 1;
        for &(next, _) in out_of.get(group).into_iter().flatten() {
            let left = incoming.get_mut(next).expect("counted");
            *left -= 1;
            if *left == 0 {
                ready.push(next);
            }
        }
    }
    if sorted != incoming.len() {
        problems.push(format!("{} groups on a cycle", incoming.len() - sorted));
    }
    problems
}

#[track_caller]
fn assert_consistent(dir: &Path) -> Folder {
    let folder = Folder::read(dir);
    let problems = problems(&folder);
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
    let dir = tempfile::tempdir().expect("a temporary folder");
    generate_sized(100, 5, dir.path(), false).expect("generated");
    let mut folder = Folder::read(dir.path());
    let person = folder.table("membership").rows[0][0].clone();
    let town = folder.table("places").rows[3][0].clone();
    let tables = &mut folder.0;

    let membership = tables.get_mut("membership").expect("membership");
    let repeated = membership.rows[1].clone();
    membership.rows.push(repeated);
    let repeated_line = membership.rows.len() + 1;
    membership.rows[2][1] = person.clone();
    let (start, end) = (membership.at("start"), membership.at("end"));
    membership.rows[3][start] = "2020-05".into();
    membership.rows[3][end] = "2019".into();

    let locations = tables.get_mut("locations").expect("locations");
    locations.rows[0][1] = "Nowhere".into();
    let source = locations.at("source");
    locations.rows[1][source] = "src-99999".into();

    let mergers = tables.get_mut("mergers").expect("mergers");
    let mut back = mergers.rows[0].clone();
    back.swap(0, 1);
    mergers.rows.push(back);

    let aliases = tables.get_mut("aliases").expect("aliases");
    aliases.rows[0][0] = town.to_uppercase();

    let found = problems(&folder).join("\n");
    for expected in [
        &format!("membership.csv:{repeated_line}: a repeated row"),
        &format!("membership.csv:4: group {person:?} is not a group"),
        "membership.csv:5: ends \"2019\" before \"2020-05\"",
        "locations.csv:2: place \"Nowhere\"",
        "locations.csv:3: source \"src-99999\"",
        " groups on a cycle",
        &format!(
            "aliases.csv:2: alias {:?} is also {town:?}",
            town.to_uppercase()
        ),
    ] {
        assert!(found.contains(expected), "{expected:?} not in:\n{found}");
    }
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
