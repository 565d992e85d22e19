//! Warnings that need the whole folder rather than one row: near-duplicate
//! names, cycles of mergers, places without a kind or a parent, and
//! entities that are both a person and a group.
//!
//! These never stop inference; they point at likely mistakes. Every pass is
//! linear or near-linear in the rows, so `silsila check` stays fast on
//! large folders.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use super::names::name_key;
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
    near_duplicate_names(facts, &title("aliases"), &mut warnings);
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

/// How often each name is used, and where first.
struct Uses<'f> {
    count: u32,
    first: &'f Origin,
    column: &'static str,
}

/// Each name's uses in name columns.
fn name_uses(facts: &Facts) -> FxHashMap<Symbol, Uses<'_>> {
    let mut uses: FxHashMap<Symbol, Uses> = FxHashMap::default();
    for table in &facts.tables {
        let columns: Vec<_> = table.file.rule_columns().collect();
        for row in &table.rows {
            for (column, value) in columns.iter().zip(&row.values) {
                if let (true, Value::Name(symbol)) = (column.kind.is_name(), value) {
                    if !symbol.is_empty() {
                        uses.entry(*symbol)
                            .and_modify(|u| u.count += 1)
                            .or_insert(Uses {
                                count: 1,
                                first: &row.origin,
                                column: column.name,
                            });
                    }
                }
            }
        }
    }
    uses
}

/// Whether a name's key is compared with others for near duplicates. Short
/// names (IS, HTS) differ by one letter legitimately. A name's index
/// entries cost the square of its length, so a cell holding a pasted
/// paragraph (a spreadsheet allows 32,767 characters) would cost a
/// billion; no name is that long.
fn compared(key: &[char]) -> bool {
    (4..=LONGEST_COMPARED).contains(&key.len())
}

/// The longest name compared for near duplicates, in characters.
const LONGEST_COMPARED: usize = 100;

/// The hash of `chars` without the one at `skip` (none when out of range).
fn variant_hash(chars: &[char], skip: usize) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for (i, c) in chars.iter().enumerate() {
        if i != skip {
            c.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The hashes of a key and of each key with one character deleted.
fn variant_hashes(chars: &[char]) -> Vec<u64> {
    let mut hashes: Vec<u64> = (0..=chars.len())
        .map(|skip| variant_hash(chars, skip))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Whether two keys are one edit apart: one insertion, deletion,
/// substitution or transposition. The hashed index only suggests
/// candidates (it also pairs keys two edits apart, such as "cell east" and
/// "cell west", which are different names).
fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
    strsim::damerau_levenshtein(&a, &b) == 1
}

/// A name used once whose spelling is one edit away from another name is
/// likely a misspelling that wants an alias. Candidates come from an index
/// of the hashes of single-character deletions, which pairs every two keys
/// within one insertion, deletion, substitution or transposition; each is
/// then confirmed on the text. Hashes rather than strings keep the index
/// small and the pass linear on large folders.
fn near_duplicate_names(facts: &Facts, aliases: &str, warnings: &mut Vec<Problem>) {
    let uses = name_uses(facts);
    let mut symbols: Vec<Symbol> = uses.keys().copied().collect();
    symbols.sort();
    let keys: FxHashMap<Symbol, Vec<char>> = symbols
        .iter()
        .map(|s| {
            (
                *s,
                name_key(facts.names.resolve(*s))
                    .chars()
                    .collect::<Vec<char>>(),
            )
        })
        .filter(|(_, chars)| compared(chars))
        .collect();
    let mut by_deletion: FxHashMap<u64, Vec<Symbol>> = FxHashMap::default();
    for symbol in &symbols {
        if let Some(chars) = keys.get(symbol) {
            for hash in variant_hashes(chars) {
                by_deletion.entry(hash).or_default().push(*symbol);
            }
        }
    }
    let count = |s: &Symbol| uses.get(s).map_or(0, |u| u.count);
    let mut reported = HashSet::new();
    for symbol in &symbols {
        let (Some(once), Some(chars)) =
            (uses.get(symbol).filter(|u| u.count == 1), keys.get(symbol))
        else {
            continue;
        };
        let mut candidates: Vec<Symbol> = variant_hashes(chars)
            .iter()
            .filter_map(|hash| by_deletion.get(hash))
            .flatten()
            .copied()
            .filter(|other| other != symbol)
            .filter(|other| keys.get(other).is_some_and(|o| one_edit_apart(chars, o)))
            .collect();
        candidates.sort_by_key(|other| (std::cmp::Reverse(count(other)), *other));
        let Some(other) = candidates.first() else {
            continue;
        };
        if !reported.insert((*symbol.min(other), *symbol.max(other))) {
            continue;
        }
        let uses_of_other = count(other);
        warnings.push(warning(
            once.first,
            Some(once.column),
            format!(
                "{:?} appears once and nearly matches {:?} ({uses_of_other} {}); if they are the same, add an alias to {aliases}",
                facts.names.resolve(*symbol),
                facts.names.resolve(*other),
                if uses_of_other == 1 { "use" } else { "uses" }
            ),
        ));
    }
}

/// Mergers that lead from a group back to itself.
fn merger_cycles(facts: &Facts, warnings: &mut Vec<Problem>) {
    let Some(table) = facts.table("mergers") else {
        return;
    };
    let mut edges: HashMap<Symbol, Vec<(Symbol, &Origin)>> = HashMap::new();
    for row in &table.rows {
        if let (Some(Value::Name(from)), Some(Value::Name(into))) =
            (row.values.first(), row.values.get(1))
        {
            edges.entry(*from).or_default().push((*into, &row.origin));
        }
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
    if let Some(table) = facts.table("places") {
        for row in &table.rows {
            let (Some(Value::Name(place)), Some(Value::Name(within)), Some(Value::Name(kind))) =
                (row.values.first(), row.values.get(1), row.values.get(2))
            else {
                continue;
            };
            listed.insert(*place);
            let name = facts.names.resolve(*place);
            if kind.is_empty() {
                warnings.push(warning(
                    &row.origin,
                    Some("kind"),
                    format!(
                        "place {name:?} has no kind, so it counts as a locality; give it one (country, governorate, district, subdistrict, region, city, town, village, camp, neighbourhood, site)"
                    ),
                ));
            }
            if within.is_empty() && facts.names.resolve(*kind) != "country" {
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
        for row in &table.rows {
            let (Some(Value::Name(name)), Some(Value::Name(kind))) =
                (row.values.first(), row.values.get(1))
            else {
                continue;
            };
            let kind = facts.names.resolve(*kind);
            let other = match kind {
                "person" => "group",
                "group" => "person",
                _ => continue,
            };
            if kind == "person" {
                people.insert(*name);
            }
            first.entry((*name, kind)).or_insert(row.origin.line);
            if let Some(line) = first.get(&(*name, other)) {
                warnings.push(warning(
                    &row.origin,
                    Some("kind"),
                    format!(
                        "{:?} is a {other} on line {line} but a {kind} here; give it one kind",
                        facts.names.resolve(*name)
                    ),
                ));
            }
        }
        // One called a group too is warned of above, not at every use.
        people.retain(|name| !first.contains_key(&(*name, "group")));
    }
    let mut reported = HashSet::new();
    let as_group: [(&str, &[usize]); 2] = [("membership", &[1]), ("mergers", &[0, 1])];
    for (relation, columns) in as_group {
        let Some(table) = facts.table(relation) else {
            continue;
        };
        let names: Vec<&str> = table.file.rule_columns().map(|c| c.name).collect();
        for row in &table.rows {
            for &c in columns {
                if let Some(Value::Name(name)) = row.values.get(c) {
                    if people.contains(name) && reported.insert(*name) {
                        warnings.push(warning(
                            &row.origin,
                            names.get(c).copied(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(a: &str, b: &str, expected: bool) {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        assert_eq!(one_edit_apart(&a, &b), expected, "{a:?} ~ {b:?}");
    }

    #[test]
    fn near_duplicates_are_one_edit_apart() {
        check("jassim", "jasim", true); // deletion
        check("jasim", "jasem", true); // substitution
        check("jasmi", "jasim", true); // transposition
        check("cell east", "cell west", false); // two edits: different names
        check("jasim", "jasim", false); // the same name is no near duplicate
    }
}
