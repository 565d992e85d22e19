//! Warnings that need the whole folder rather than one row: names written
//! two ways (see `super::variants`), cycles of mergers, places without a kind or a parent, and
//! entities that are both a person and a group.
//!
//! These never stop inference; they point at likely mistakes. Every pass is
//! linear or near-linear in the rows, so `silsila check` stays fast on
//! large folders.

use std::collections::{HashMap, HashSet};

use super::{file_title, Facts, Origin, Symbol, Value};
use crate::error::Problem;
use crate::schema::{self, ColumnKind};

/// Every cross-file warning about `facts`, sorted by file and line.
pub fn lint(facts: &Facts) -> Vec<Problem> {
    // Every warning is about a row, so when there is one and the facts come
    // from a workbook, some table is a sheet.
    let sheets = facts.tables.iter().any(|t| t.sheet.is_some());
    let title = |name: &str| {
        schema::file(name).map_or_else(|| format!("{name}.csv"), |f| file_title(f, sheets))
    };
    let mut warnings = Vec::new();
    super::variants::lint(facts, &title("aliases"), &mut warnings);
    merger_cycles(facts, &mut warnings);
    places(facts, &title("places"), &mut warnings);
    people_and_groups(facts, &title("entities"), &mut warnings);
    super::vocabulary::lint(facts, &title, &mut warnings);
    for warning in &mut warnings {
        name_cell(facts, warning);
    }
    warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    warnings
}

/// Gives a warning about a row of a workbook sheet its cell reference, as
/// the loader gives its own problems.
fn name_cell(facts: &Facts, problem: &mut Problem) {
    let Some(line) = problem.line else {
        return;
    };
    let sheet = facts
        .tables
        .iter()
        .filter_map(|t| t.sheet.as_ref())
        .find(|s| *s.file == *problem.file);
    if let Some(sheet) = sheet {
        problem.cell = Some(sheet.cell(line, problem.column.as_deref()));
    }
}

fn warning(origin: &Origin, column: Option<&str>, message: String) -> Problem {
    Problem::warning(&origin.file, Some(origin.line), column, message)
}

/// Mergers that lead from a group back to itself.
fn merger_cycles(facts: &Facts, warnings: &mut Vec<Problem>) {
    let Some(table) = facts.table("mergers") else {
        return;
    };
    let mut edges: HashMap<Symbol, Vec<(Symbol, &Origin)>> = HashMap::new();
    for ([from, into], row) in table.names(["from", "into"]) {
        edges.entry(from).or_default().push((into, &row.origin));
    }
    // Iterative depth-first search; a back edge closes a cycle.
    let mut state: HashMap<Symbol, u8> = HashMap::new(); // 1 on the path, 2 done
    let mut starts: Vec<Symbol> = edges.keys().copied().collect();
    starts.sort();
    for start in starts {
        if state.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(Symbol, usize, Option<&Origin>)> = vec![(start, 0, None)];
        state.insert(start, 1);
        while let Some(top) = path.last_mut() {
            let node = top.0;
            let out = edges.get(&node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&(target, origin)) = out.get(top.1) {
                top.1 += 1;
                match state.get(&target) {
                    None => {
                        state.insert(target, 1);
                        path.push((target, 0, Some(origin)));
                    }
                    Some(1) => {
                        let from = path.iter().position(|(n, _, _)| *n == target).unwrap_or(0);
                        let mut names: Vec<&str> = path[from..]
                            .iter()
                            .map(|(n, _, _)| facts.names.resolve(*n))
                            .collect();
                        names.push(facts.names.resolve(target));
                        let mut lines: Vec<u32> = path[from + 1..]
                            .iter()
                            .filter_map(|(_, _, o)| o.map(|o| o.line))
                            .collect();
                        lines.push(origin.line);
                        lines.sort_unstable();
                        let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
                        let word = if table.sheet.is_some() {
                            "rows"
                        } else {
                            "lines"
                        };
                        warnings.push(warning(
                            origin,
                            None,
                            format!(
                                "mergers form a cycle: {} ({word} {}); check the direction of these rows",
                                names.join(" → "),
                                lines.join(", ")
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            } else {
                state.insert(node, 2);
                path.pop();
            }
        }
    }
}

/// Places with no kind, or not placed within anything, and places used but
/// not listed in places.csv.
fn places(facts: &Facts, places: &str, warnings: &mut Vec<Problem>) {
    let mut listed = HashSet::new();
    // The first row giving each place a parent, and a kind: a later row
    // giving another (after aliases, so two spellings of one place count)
    // would silently change where it lies or what it counts as.
    let mut first_within: HashMap<Symbol, (Symbol, u32)> = HashMap::new();
    let mut first_kind: HashMap<Symbol, (Symbol, u32)> = HashMap::new();
    if let Some(table) = facts.table("places") {
        let line_word = if table.sheet.is_some() { "row" } else { "line" };
        for ([place, within, kind], row) in table.names(["place", "within", "kind"]) {
            listed.insert(place);
            let name = facts.names.resolve(place);
            for (column, value, first) in [
                ("within", within, &mut first_within),
                ("kind", kind, &mut first_kind),
            ] {
                if value.is_empty() {
                    continue;
                }
                let (earlier, line) = *first.entry(place).or_insert((value, row.origin.line));
                if earlier != value {
                    let (earlier, value) =
                        (facts.names.resolve(earlier), facts.names.resolve(value));
                    let message = if column == "kind" {
                        format!(
                            "place {name:?} is a {earlier} on {line_word} {line} but a {value} here; give it one kind"
                        )
                    } else {
                        format!(
                            "place {name:?} lies within {earlier:?} on {line_word} {line} but within {value:?} here; give it one parent"
                        )
                    };
                    warnings.push(warning(&row.origin, Some(column), message));
                }
            }
            if kind.is_empty() {
                warnings.push(warning(
                    &row.origin,
                    Some("kind"),
                    format!(
                        "place {name:?} has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)"
                    ),
                ));
            }
            if within.is_empty() && facts.names.resolve(kind) != "country" {
                warnings.push(warning(
                    &row.origin,
                    Some("within"),
                    format!("place {name:?} is not placed within anything"),
                ));
            }
        }
    }
    let mut unlisted: HashMap<Symbol, &Origin> = HashMap::new();
    for table in &facts.tables {
        let columns: Vec<_> = table.file.rule_columns().collect();
        if table.file.name == "places" {
            continue;
        }
        for row in &table.rows {
            for (column, value) in columns.iter().zip(&row.values) {
                if let (ColumnKind::Place, Value::Name(place)) = (column.kind, value) {
                    if !place.is_empty() && !listed.contains(place) {
                        unlisted.entry(*place).or_insert(&row.origin);
                    }
                }
            }
        }
    }
    for (place, origin) in unlisted {
        warnings.push(warning(
            origin,
            Some("place"),
            format!(
                "place {:?} is not in {places}, so nothing is known of its kind or where it lies",
                facts.names.resolve(place)
            ),
        ));
    }
}

/// Entities that entities.csv calls both a person and a group (on two rows,
/// or through an alias), and entities it calls a person but rows use as a
/// group. The rules would take such an entity as both.
fn people_and_groups(facts: &Facts, entities: &str, warnings: &mut Vec<Problem>) {
    let mut people = HashSet::new();
    if let Some(table) = facts.table("entities") {
        // The first line on which each entity is given each of the kinds.
        let mut first: HashMap<(Symbol, &str), u32> = HashMap::new();
        for ([name, kind], row) in table.names(["name", "kind"]) {
            let kind = facts.names.resolve(kind);
            let other = match kind {
                "person" => "group",
                "group" => "person",
                _ => continue,
            };
            if kind == "person" {
                people.insert(name);
            }
            first.entry((name, kind)).or_insert(row.origin.line);
            if let Some(line) = first.get(&(name, other)) {
                warnings.push(warning(
                    &row.origin,
                    Some("kind"),
                    format!(
                        "{:?} is a {other} on line {line} but a {kind} here; give it one kind",
                        facts.names.resolve(name)
                    ),
                ));
            }
        }
        // One called a group too is warned of above, not at every use.
        people.retain(|name| !first.contains_key(&(*name, "group")));
    }
    let mut reported = HashSet::new();
    let as_group: [(&str, &[&str]); 2] =
        [("membership", &["group"]), ("mergers", &["from", "into"])];
    for (relation, columns) in as_group {
        let Some(table) = facts.table(relation) else {
            continue;
        };
        let positions: Vec<(usize, &str)> = columns
            .iter()
            .filter_map(|&column| Some((table.position(column)?, column)))
            .collect();
        debug_assert_eq!(positions.len(), columns.len(), "{relation} {columns:?}");
        for row in &table.rows {
            for &(c, column) in &positions {
                if let Some(Value::Name(name)) = row.values.get(c) {
                    if people.contains(name) && reported.insert(*name) {
                        warnings.push(warning(
                            &row.origin,
                            Some(column),
                            format!(
                                "{:?} is a person in {entities} but is used here as a group",
                                facts.names.resolve(*name)
                            ),
                        ));
                    }
                }
            }
        }
    }
}
