//! Comparing the conclusions of two runs: which appeared, disappeared or
//! changed confidence, contested or sources, and the fact rows that made
//! the difference.
//!
//! A side is a set of printed tables, and, when it comes from facts rather
//! than a snapshot written by `infer --out`, the fact rows behind each
//! conclusion's shown proof. This module compares values only; loading a
//! baseline (a snapshot, a facts folder, a git revision) is in
//! [`baseline`], and laying the result out is the command line's.

pub mod baseline;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::conclusion::EXTRA_COLUMNS;
use crate::conclusion::{Cell, ConclusionTable};
use crate::explain::RowRef;
use crate::facts::Facts;

/// One fact row, as `diff` names and compares it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FactRow {
    /// The file (or workbook and sheet) as the side names it.
    pub file: String,
    /// The row's line (or sheet row).
    pub line: u32,
    /// What the row says: its relation, values, confidence, sources and
    /// disputes. Two rows are the same fact when this is equal, wherever
    /// they are.
    #[serde(skip)]
    pub content: String,
}

/// One side of a comparison.
#[derive(Clone, Debug, Default)]
pub struct Side {
    /// The printed conclusions, one table per relation.
    pub tables: Vec<ConclusionTable>,
    /// For each table and row, the fact rows its shown proof rests on;
    /// `None` for a snapshot, which keeps no proofs.
    pub proofs: Option<Vec<Vec<Vec<FactRow>>>>,
    /// What every fact row of the side says; empty for a snapshot.
    pub facts: BTreeSet<String>,
}

impl Side {
    /// A side from loaded facts and the tables proved from them with
    /// [`crate::conclusion::tables_with_rows`]; `rename` turns a file name
    /// as loaded into the name to show (for a git revision, read from a
    /// temporary folder).
    pub fn from_facts(
        facts: &Facts,
        tables: Vec<ConclusionTable>,
        rows: &[Vec<Vec<RowRef>>],
        rename: &dyn Fn(&str) -> String,
    ) -> Side {
        let fact_row = |r: &RowRef| {
            let table = &facts.tables[r.table];
            let row = &table.rows[r.row];
            FactRow {
                file: rename(&row.origin.file),
                line: row.origin.line,
                content: content(facts, r),
            }
        };
        let proofs = rows
            .iter()
            .map(|table| {
                table
                    .iter()
                    .map(|refs| {
                        let mut rows: Vec<FactRow> = refs.iter().map(fact_row).collect();
                        rows.sort();
                        rows
                    })
                    .collect()
            })
            .collect();
        let mut all = BTreeSet::new();
        for (t, table) in facts.tables.iter().enumerate() {
            for r in 0..table.rows.len() {
                all.insert(content(facts, &RowRef { table: t, row: r }));
            }
        }
        Side {
            tables,
            proofs: Some(proofs),
            facts: all,
        }
    }
}

/// What a fact row says, as text: equal for the same statement in any
/// file of the same relation, at any line.
fn content(facts: &Facts, r: &RowRef) -> String {
    let table = &facts.tables[r.table];
    let row = &table.rows[r.row];
    let names = |symbols: &[crate::facts::Symbol]| {
        symbols
            .iter()
            .map(|s| facts.names.resolve(*s))
            .collect::<Vec<_>>()
            .join(";")
    };
    let values: Vec<String> = row
        .values
        .iter()
        .map(|v| crate::conclusion::cell(facts, *v).text())
        .collect();
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        table.file.name,
        values.join("\u{1e}"),
        row.grade.confidence.word(),
        names(&row.sources),
        names(&row.disputed_by)
    )
}

/// How a conclusion changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Holds now, not in the baseline: `+`.
    Appeared,
    /// Held in the baseline, not now: `-`.
    Disappeared,
    /// Holds on both sides with another confidence, contested or sources:
    /// `~`.
    Changed,
}

impl Change {
    /// `+`, `-` or `~`.
    pub fn mark(self) -> &'static str {
        match self {
            Change::Appeared => "+",
            Change::Disappeared => "-",
            Change::Changed => "~",
        }
    }
}

/// Which side a fact row is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Where {
    /// Only in the baseline: removed or changed since (`-`).
    Baseline,
    /// Only now: added or changed since (`+`).
    Current,
}

/// A fact row that made a difference, and on which side it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cause {
    /// The side that has the row (the other does not).
    pub side: Where,
    /// The row.
    #[serde(flatten)]
    pub row: FactRow,
}

/// A conclusion's confidence, contested and sources on one side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// The confidence word.
    pub confidence: String,
    /// The sources disputing it, when contested.
    pub contested: Vec<String>,
    /// The sources its shown proof rests on.
    pub sources: Vec<String>,
}

/// One conclusion that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// How it changed.
    pub change: Change,
    /// The relation's own columns and their values (in JSON, an object).
    #[serde(serialize_with = "as_object")]
    pub columns: Vec<(String, String)>,
    /// Its grade in the baseline, if it held there.
    pub baseline: Option<Grade>,
    /// Its grade now, if it holds.
    pub current: Option<Grade>,
    /// The fact rows that made the difference, sorted: rows of either
    /// side's proof that the other side's facts do not have.
    pub rows: Vec<Cause>,
}

/// The differences in one relation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationDiff {
    /// The relation name.
    pub relation: String,
    /// How many appeared.
    pub appeared: usize,
    /// How many disappeared.
    pub disappeared: usize,
    /// How many changed.
    pub changed: usize,
    /// Every conclusion that differs, sorted by its columns.
    pub entries: Vec<Entry>,
}

impl RelationDiff {
    /// `co_located: +3 -1 ~2`.
    pub fn summary(&self) -> String {
        format!(
            "{}: +{} -{} ~{}",
            self.relation, self.appeared, self.disappeared, self.changed
        )
    }
}

/// One printed conclusion of a side: its key columns, its grade and its
/// proof's rows.
struct Held<'a> {
    grade: Grade,
    rows: Option<&'a [FactRow]>,
}

fn held<'a>(
    side: &'a Side,
    table: usize,
) -> (Vec<String>, BTreeMap<Vec<String>, Held<'a>>, Vec<String>) {
    let t = &side.tables[table];
    let own = t.columns.len().saturating_sub(EXTRA_COLUMNS.len());
    let list = |cell: Option<&Cell>| match cell {
        Some(Cell::List(items)) => items.clone(),
        Some(other) => other
            .text()
            .split(';')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => Vec::new(),
    };
    let mut map = BTreeMap::new();
    for (r, row) in t.rows.iter().enumerate() {
        let key: Vec<String> = row[..own.min(row.len())].iter().map(Cell::text).collect();
        // The extra columns by name, wherever they stand.
        let column = |name: &str| {
            t.columns
                .iter()
                .position(|c| c == name)
                .and_then(|i| row.get(i))
        };
        let grade = Grade {
            confidence: column("confidence").map(Cell::text).unwrap_or_default(),
            contested: list(column("contested")),
            sources: list(column("sources")),
        };
        let rows = side
            .proofs
            .as_ref()
            .and_then(|p| p.get(table))
            .and_then(|p| p.get(r))
            .map(Vec::as_slice);
        map.insert(key, Held { grade, rows });
    }
    (t.columns[..own].to_vec(), map, t.columns.clone())
}

/// The differences between `baseline` and `current`, one entry per
/// relation of `current` (in its order) that the baseline also has, or
/// that either has when `relations` names it.
pub fn diff(baseline: &Side, current: &Side) -> Vec<RelationDiff> {
    let mut out = Vec::new();
    for (ct, table) in current.tables.iter().enumerate() {
        let bt = baseline.tables.iter().position(|t| t.name == table.name);
        let (columns, now, _) = held(current, ct);
        let before = match bt {
            Some(bt) => held(baseline, bt).1,
            None => BTreeMap::new(),
        };
        let keys: BTreeSet<&Vec<String>> = now.keys().chain(before.keys()).collect();
        let mut entries = Vec::new();
        for key in keys {
            let (b, c) = (before.get(key), now.get(key));
            let change = match (b, c) {
                (None, Some(_)) => Change::Appeared,
                (Some(_), None) => Change::Disappeared,
                (Some(b), Some(c)) if b.grade != c.grade => Change::Changed,
                _ => continue,
            };
            let mut rows = Vec::new();
            if let Some(c) = c.and_then(|c| c.rows) {
                rows.extend(
                    c.iter()
                        .filter(|r| !baseline.facts.contains(&r.content))
                        .map(|r| Cause {
                            side: Where::Current,
                            row: r.clone(),
                        }),
                );
            }
            if let Some(b) = b.and_then(|b| b.rows) {
                rows.extend(
                    b.iter()
                        .filter(|r| !current.facts.contains(&r.content))
                        .map(|r| Cause {
                            side: Where::Baseline,
                            row: r.clone(),
                        }),
                );
            }
            rows.sort();
            rows.dedup();
            entries.push(Entry {
                change,
                columns: columns.iter().cloned().zip(key.iter().cloned()).collect(),
                baseline: b.map(|b| b.grade.clone()),
                current: c.map(|c| c.grade.clone()),
                rows,
            });
        }
        let count = |change| entries.iter().filter(|e| e.change == change).count();
        out.push(RelationDiff {
            relation: table.name.clone(),
            appeared: count(Change::Appeared),
            disappeared: count(Change::Disappeared),
            changed: count(Change::Changed),
            entries,
        });
    }
    out
}

fn as_object<S: serde::Serializer>(
    columns: &[(String, String)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(columns.len()))?;
    for (name, value) in columns {
        map.serialize_entry(name, value)?;
    }
    map.end()
}
