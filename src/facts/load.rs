//! The schema layer: giving raw tables their meaning. It matches each
//! table's header to its file's columns in [`crate::schema::FILES`], parses
//! every cell by its column's kind, checks source ids against
//! `sources.csv`, resolves names through `aliases.csv`, and assembles
//! [`Facts`].
//!
//! Loading never stops at a problem: every problem in every file is
//! collected, sorted by file (in schema order), line and column, and any
//! error fails the load with all of them. Names are interned in one thread,
//! in schema and file order, so symbols never depend on thread timing; and
//! a name's display spelling is chosen by rank (see [`super::spelling`]),
//! never by which row came first.

mod parse;
mod sources;

use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::aliases::{self, AliasProblem, AliasRow};
use super::date::DateError;
use super::delimited;
use super::folder::{self, Folder, ReadFile};
use super::header::{match_header, Columns};
use super::names::{name_key, spelling_differences, tidy, written_key};
use super::raw::{Addressing, Found, RawRecord, RawTable};
use super::spelling::{rank, Spellings};
use super::workbook;
use super::{
    Confidence, Date, Facts, Grade, Interner, Origin, Reliability, Row, SheetLayout, Source,
    Symbol, Table, Value,
};
use crate::error::{Problem, Result, Severity};
use crate::schema::{self, ColumnKind, FactFile, FileRole, FILES};
use crate::suggest::nearest;
use parse::Reading;

/// Loads a folder or a workbook; `vocabulary` lists words that must have a symbol even
/// if no fact uses them (the rules' constants, which conclusions print).
#[cfg(test)]
pub(super) fn load(path: &Path, vocabulary: &[String]) -> Result<Facts> {
    report(path, vocabulary, &crate::progress::Silent)?.into_result()
}

/// Loads a folder or a workbook and reports every problem, errors and
/// warnings alike.
pub(super) fn report(
    path: &Path,
    vocabulary: &[String],
    progress: &dyn crate::progress::Progress,
) -> Result<Report> {
    let read = if workbook::is_workbook(path) {
        workbook::read(path)?
    } else {
        folder::read(path, progress)?
    };
    progress.phase("parsing rows");
    Ok(assemble(read, vocabulary))
}

/// What loading found: the facts, unless there were errors, and every
/// problem in file and line order.
pub(super) struct Report {
    /// The facts, when no problem is an error.
    pub facts: Option<Facts>,
    /// Every error and warning found, in order.
    pub problems: Vec<Problem>,
    /// The position in that order of each file read, by the name problems
    /// give it; the folder's own problems come first, at 0.
    pub file_ranks: FxHashMap<String, usize>,
}

impl Report {
    /// The facts, or every error.
    #[cfg(test)]
    pub fn into_result(self) -> Result<Facts> {
        match self.facts {
            Some(facts) => Ok(facts),
            None => Err(crate::Error::Facts(
                self.problems
                    .into_iter()
                    .filter(|p| p.severity == Severity::Error)
                    .collect(),
            )),
        }
    }
}

/// The facts in the files of a folder (or the sheets of a workbook), as
/// read.
fn assemble(folder: Folder, vocabulary: &[String]) -> Report {
    let mut loader = Loader {
        sheets: folder
            .files
            .iter()
            .flatten()
            .any(|read| read.table.addressing == Addressing::Cells),
        ..Loader::default()
    };
    for word in vocabulary {
        loader.intern(&word.to_lowercase(), rank::OTHER);
    }
    loader
        .problems
        .extend(folder.problems.into_iter().map(|p| (0, p)));
    let mut files = folder.files;
    // Sources and aliases first, whatever the schema's order: rows cite
    // sources and name aliases.
    for role in [FileRole::Sources, FileRole::Aliases, FileRole::Relation] {
        for (index, file) in FILES.iter().enumerate() {
            if file.role != role {
                continue;
            }
            let read = files.get_mut(index).and_then(Option::take);
            loader.file(index + 1, file, read);
        }
    }
    loader.finish()
}

/// A name cell's text as met before: its symbol, what it resolves to, and
/// the best rank it has been offered at.
struct NameCell {
    symbol: Symbol,
    resolved: Symbol,
    rank: u8,
}

/// A name's first spelling, and whether another has been warned of.
struct Spelled {
    written: Box<str>,
    text: Box<str>,
    place: String,
    warned: bool,
}

/// What is known about `sources.csv` while checking source ids.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SourceList {
    /// There is no `sources.csv`.
    Missing,
    /// It cannot be read for ids (no `id` column, or unreadable text): ids
    /// are not checked, so its one problem is not repeated on every row.
    Unreadable,
    /// Its ids are known.
    Listed,
}

/// The cells of one record, parsed.
struct Parsed {
    /// The columns the rules see, in order.
    values: Vec<Value>,
    confidence: Confidence,
    reliability: Reliability,
    sources: Vec<Symbol>,
    disputed_by: Vec<Symbol>,
}

#[derive(Default)]
struct Loader {
    names: Interner,
    spellings: Spellings,
    /// Name cells by their exact text, so that a name seen before costs one
    /// hash lookup.
    name_cells: FxHashMap<Box<str>, NameCell>,
    /// Each name's first spelling, by symbol (before aliases): its written
    /// key ([`written_key`]), the text and where it is; and whether two
    /// spellings have been warned of.
    spelled: FxHashMap<Symbol, Spelled>,
    /// Word cells (and source ids) by their exact text.
    word_cells: FxHashMap<Box<str>, Symbol>,
    /// Date cells by their exact text.
    date_cells: FxHashMap<Box<str>, Result<Date, DateError>>,
    /// Each alias's canonical name.
    aliases: FxHashMap<Symbol, Symbol>,
    source_list: Option<SourceList>,
    /// Each source id, with the line it is listed on.
    source_lines: FxHashMap<Symbol, u32>,
    /// The source ids by key, as written, in file order: the candidates
    /// for "did you mean".
    source_keys: Vec<(String, String)>,
    /// What to add to "unknown source" for each unknown id key.
    source_hints: FxHashMap<String, String>,
    /// Whether the files are sheets of a workbook, for naming them.
    sheets: bool,
    sources: Vec<Source>,
    tables: Vec<Table>,
    /// Every problem, with the rank of its file: 0 for the folder, then
    /// each file's position in the schema plus one.
    problems: Vec<(usize, Found)>,
    /// The rank of each file read, by its name in problems.
    file_ranks: FxHashMap<String, usize>,
}

/// The vocabulary shipped with silsila, compiled in.
const SHIPPED_VOCABULARY_TEXT: &str = include_str!("../../rules/vocabulary.csv");

impl Loader {
    /// Loads the file at position `rank` in the schema (counting from 1),
    /// as read, or as missing. The vocabulary is the shipped one with the
    /// analyst's rows over it.
    fn file(&mut self, rank: usize, file: &'static FactFile, read: Option<ReadFile>) {
        if file.name != schema::VOCABULARY {
            return self.one_file(rank, file, read);
        }
        let (table, problems) = delimited::read(
            schema::SHIPPED_VOCABULARY.to_string(),
            SHIPPED_VOCABULARY_TEXT.as_bytes(),
        );
        self.one_file(rank, file, Some(ReadFile { table, problems }));
        self.one_file(rank, file, read);
        let (Some(analyst), Some(shipped)) = (self.tables.pop(), self.tables.pop()) else {
            return;
        };
        // The analyst's meaning of a word replaces the shipped one.
        let given: rustc_hash::FxHashSet<&[Value]> =
            analyst.rows.iter().map(|r| &r.values[..2]).collect();
        let mut rows: Vec<Row> = shipped
            .rows
            .into_iter()
            .filter(|r| !given.contains(&r.values[..2]))
            .collect();
        rows.extend(analyst.rows);
        self.tables.push(Table {
            file,
            rows,
            sheet: analyst.sheet,
        });
    }

    fn one_file(&mut self, rank: usize, file: &'static FactFile, read: Option<ReadFile>) {
        let Some(ReadFile { table, problems }) = read else {
            match file.role {
                FileRole::Sources => self.source_list = Some(SourceList::Missing),
                FileRole::Aliases => {}
                FileRole::Relation => self.tables.push(Table {
                    file,
                    rows: Vec::new(),
                    sheet: None,
                }),
            }
            return;
        };
        self.file_ranks.insert(table.file.clone(), rank);
        let unreadable = !problems.is_empty();
        self.problems
            .extend(problems.into_iter().map(|p| (rank, p)));
        let mut found = Vec::new();
        let columns = match_header(file, &table, &mut found);
        warn_repeated_rows(&table, &mut found);
        self.problems.extend(found.into_iter().map(|p| (rank, p)));
        let at = Reading {
            rank,
            file,
            table: &table,
            columns: &columns,
        };
        match file.role {
            FileRole::Sources => {
                let id = file.columns.iter().position(|c| c.name == "id");
                let has_ids = id
                    .and_then(|id| columns.index.get(id).copied().flatten())
                    .is_some();
                self.source_list = Some(if has_ids || (table.is_empty() && !unreadable) {
                    SourceList::Listed
                } else {
                    SourceList::Unreadable
                });
                self.sources_file(&at);
            }
            FileRole::Aliases => self.aliases_file(&at),
            FileRole::Relation => {
                let rows = self.relation_file(&at);
                let sheet = at.sheet();
                self.tables.push(Table { file, rows, sheet });
            }
        }
    }

    fn aliases_file(&mut self, at: &Reading<'_>) {
        let mut rows = Vec::new();
        let mut texts = Vec::new();
        for record in &at.table.records {
            self.parse(at, record);
            let alias = at.columns.named(at.file, record, "alias");
            let name = at.columns.named(at.file, record, "name");
            if alias.is_empty() || name.is_empty() {
                continue;
            }
            rows.push(AliasRow {
                alias: self.intern(alias, rank::OTHER),
                name: self.intern(name, rank::CANONICAL),
            });
            texts.push((record, alias, name));
        }
        let (resolved, problems) = aliases::resolve(&rows);
        self.aliases = resolved;
        for problem in problems {
            match problem {
                AliasProblem::Conflict { row, earlier } => {
                    let (Some(&(record, alias, name)), Some(&(first, _, first_name))) =
                        (texts.get(row), texts.get(earlier))
                    else {
                        continue;
                    };
                    let message = format!(
                        "{alias:?} is an alias of {first_name:?} on {}, so it cannot also be \
                         an alias of {name:?}",
                        at.table.line_name(first.line)
                    );
                    self.push(at.rank, at.error(record, "name", message));
                }
                AliasProblem::Cycle(cycle) => {
                    let members: Vec<_> = cycle.iter().filter_map(|&r| texts.get(r)).collect();
                    let Some(&&(first, first_alias, _)) = members.first() else {
                        continue;
                    };
                    let mut lines: Vec<u32> = members.iter().map(|m| m.0.line).collect();
                    lines.sort_unstable();
                    let chain: Vec<String> = members
                        .iter()
                        .map(|m| format!("{:?}", m.1))
                        .chain([format!("{first_alias:?}")])
                        .collect();
                    let message = format!(
                        "the aliases on {} form a cycle: {}",
                        lines_list(at.table, &lines),
                        chain.join(" → ")
                    );
                    let found = at.table.error(first.line, None, None, message);
                    self.push(at.rank, found);
                }
            }
        }
    }

    fn relation_file(&mut self, at: &Reading<'_>) -> Vec<Row> {
        let origin_file: Arc<str> = at.table.file.as_str().into();
        let graded = at
            .file
            .columns
            .iter()
            .any(|c| c.kind == ColumnKind::Confidence);
        let reported = at
            .file
            .rule_columns()
            .position(|c| c.kind == ColumnKind::Reported);
        let published: FxHashMap<Symbol, Date> = match reported {
            Some(_) => self
                .sources
                .iter()
                .filter(|s| s.date.is_known())
                .map(|s| (s.id, s.date))
                .collect(),
            None => FxHashMap::default(),
        };
        let mut rows = Vec::with_capacity(at.table.records.len());
        for record in &at.table.records {
            let mut parsed = self.parse(at, record);
            if let Some(slot) = reported.and_then(|i| parsed.values.get_mut(i)) {
                // The latest of its sources' dates, the earlier written
                // (less precise) on a tie of last days.
                let latest = parsed
                    .sources
                    .iter()
                    .filter_map(|id| published.get(id))
                    .max_by_key(|d| (d.last_day(), std::cmp::Reverse(**d)));
                *slot = Value::Date(latest.copied().unwrap_or(Date::UNKNOWN));
            }
            let grade = if graded {
                Grade::new(parsed.confidence, !parsed.disputed_by.is_empty())
            } else {
                Grade::CERTAIN
            };
            rows.push(Row {
                values: parsed.values,
                grade,
                sources: parsed.sources,
                disputed_by: parsed.disputed_by,
                notes: at.columns.notes.map_or("", |i| record.get(i)).into(),
                origin: Origin {
                    file: origin_file.clone(),
                    line: record.line,
                },
            });
        }
        rows
    }

    fn push(&mut self, rank: usize, found: Found) {
        self.problems.push((rank, found));
    }

    fn finish(mut self) -> Report {
        self.problems
            .sort_by_key(|(rank, found)| (*rank, found.order()));
        let problems: Vec<Problem> = self
            .problems
            .into_iter()
            .map(|(_, found)| found.problem)
            .collect();
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Report {
                facts: None,
                problems,
                file_ranks: self.file_ranks,
            };
        }
        let warnings = problems;
        self.spellings.apply(&mut self.names);
        self.names.redirect(&self.aliases);
        let remap = self.names.sort();
        let renumber = |symbol: &mut Symbol| *symbol = remap[symbol.0 as usize];
        for source in &mut self.sources {
            renumber(&mut source.id);
            if let Some(parent) = &mut source.part_of {
                renumber(parent);
            }
        }
        for row in self.tables.iter_mut().flat_map(|t| t.rows.iter_mut()) {
            for value in &mut row.values {
                if let Value::Name(symbol) = value {
                    renumber(symbol);
                }
            }
            row.sources.iter_mut().for_each(renumber);
            row.disputed_by.iter_mut().for_each(renumber);
        }
        Report {
            problems: warnings.clone(),
            file_ranks: self.file_ranks,
            facts: Some(Facts::new(self.names, self.sources, self.tables, warnings)),
        }
    }
}

/// Where a problem is, as messages name a place: `facts/a.csv:3` or
/// `book.xlsx[a]!B3`.
fn problem_place(problem: &Problem) -> String {
    match (&problem.cell, problem.line) {
        (Some(cell), _) => format!("{}!{cell}", problem.file),
        (None, Some(line)) => format!("{}:{line}", problem.file),
        (None, None) => problem.file.clone(),
    }
}

/// Warns of each record that repeats an earlier one cell for cell: often a
/// row pasted twice, which would count one report as two.
fn warn_repeated_rows(table: &RawTable, found: &mut Vec<Found>) {
    let mut first: FxHashMap<(&str, &[u32]), u32> = FxHashMap::default();
    first.reserve(table.records.len());
    for record in &table.records {
        match first.entry(record.key()) {
            Entry::Occupied(earlier) => {
                let message = format!(
                    "this row repeats {} exactly",
                    table.line_name(*earlier.get())
                );
                found.push(table.warning(record.line, None, None, message));
            }
            Entry::Vacant(slot) => {
                slot.insert(record.line);
            }
        }
    }
}

/// `line 3`, `lines 3 and 5`, `lines 3, 4 and 5` (rows in a sheet).
fn lines_list(table: &RawTable, lines: &[u32]) -> String {
    match lines {
        [] => String::new(),
        [one] => table.line_name(*one),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(u32::to_string).collect();
            format!("{} {} and {last}", table.line_word(true), init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests;
