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
    Confidence, Date, Facts, Grade, Interner, Origin, Reliability, Row, Sheet, Source, Symbol,
    Table, Value,
};
use crate::error::{Problem, Result, Severity};
use crate::schema::{self, ColumnKind, FactFile, FileRole, FILES};
use crate::suggest::nearest;

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
        let at = At {
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

    fn sources_file(&mut self, at: &At<'_>) {
        let origin_file: Arc<str> = at.table.file.as_str().into();
        let first = self.sources.len();
        let mut parents: Vec<(&RawRecord, &str)> = Vec::new();
        for record in &at.table.records {
            let parsed = self.parse(at, record);
            let id_text = at.columns.named(at.file, record, "id");
            let id = self.word(id_text);
            if id.is_empty() {
                continue;
            }
            if let Some(&line) = self.source_lines.get(&id) {
                let message = format!(
                    "the id {id_text:?} is already listed on {}",
                    at.table.line_name(line)
                );
                self.push(at.rank, at.error(record, "id", message));
                continue;
            }
            self.source_lines.insert(id, record.line);
            self.source_keys
                .push((name_key(id_text), id_text.to_string()));
            let date = match at.value(&parsed, "date") {
                Some(Value::Date(date)) => date,
                _ => Date::UNKNOWN,
            };
            let text = |name| at.columns.named(at.file, record, name).to_string();
            self.sources.push(Source {
                id,
                publisher: text("publisher"),
                title: text("title"),
                date,
                url: text("url"),
                reliability: parsed.reliability,
                claimant: text("claimant"),
                part_of: None,
                origin: Origin {
                    file: origin_file.clone(),
                    line: record.line,
                },
            });
            parents.push((record, at.columns.named(at.file, record, "part_of")));
        }
        self.part_of(at, first, &parents);
    }

    /// Checks each `part_of` of the sources listed from `first` on (in
    /// `parents`, by record) against the ids listed, reporting unknown ids
    /// and cycles, and lets each claimant inherit the publisher, title,
    /// date and url it does not give from the source it is part of.
    fn part_of(&mut self, at: &At<'_>, first: usize, parents: &[(&RawRecord, &str)]) {
        let index: FxHashMap<Symbol, usize> = self
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        for (offset, &(record, text)) in parents.iter().enumerate() {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let parent = self.word(text);
            if index.contains_key(&parent) {
                self.sources[first + offset].part_of = Some(parent);
            } else {
                let hint = self.source_hint(text);
                let message = format!("unknown source {text:?}{hint}");
                self.push(at.rank, at.error(record, "part_of", message));
            }
        }
        // Follow each chain upward; one that comes back to a source it has
        // passed is a cycle, reported once, on its first line.
        let mut in_cycle = vec![false; self.sources.len()];
        for start in first..self.sources.len() {
            let mut seen = vec![start];
            let mut at_source = start;
            while let Some(next) = self.sources[at_source].part_of.and_then(|p| index.get(&p)) {
                if let Some(position) = seen.iter().position(|&s| s == *next) {
                    let cycle = &seen[position..];
                    if cycle.iter().all(|&s| !in_cycle[s]) {
                        for &s in cycle {
                            in_cycle[s] = true;
                        }
                        let mut lines: Vec<u32> =
                            cycle.iter().map(|&s| self.sources[s].origin.line).collect();
                        lines.sort_unstable();
                        let chain: Vec<String> = cycle
                            .iter()
                            .chain(cycle.first())
                            .map(|&s| format!("{:?}", self.names.resolve(self.sources[s].id)))
                            .collect();
                        let message = format!(
                            "the part_of references on {} form a cycle: {}",
                            lines_list(at.table, &lines),
                            chain.join(" → ")
                        );
                        let line = self.sources[cycle[0]].origin.line;
                        let column = at
                            .file
                            .columns
                            .iter()
                            .position(|c| c.name == "part_of")
                            .and_then(|c| at.columns.index.get(c).copied().flatten());
                        let found = at.table.error(line, column, Some("part_of"), message);
                        self.push(at.rank, found);
                    }
                    break;
                }
                seen.push(*next);
                at_source = *next;
            }
        }
        for (i, cyclic) in in_cycle.iter().enumerate() {
            if *cyclic {
                self.sources[i].part_of = None;
            }
        }
        // Inherit from the nearest ancestor that gives each field; chains
        // are acyclic now, so every walk ends.
        for i in first..self.sources.len() {
            let mut ancestor = self.sources[i].part_of.and_then(|p| index.get(&p).copied());
            while let Some(a) = ancestor {
                let parent = self.sources[a].clone();
                let source = &mut self.sources[i];
                for (mine, theirs) in [
                    (&mut source.publisher, &parent.publisher),
                    (&mut source.title, &parent.title),
                    (&mut source.url, &parent.url),
                ] {
                    if mine.is_empty() {
                        mine.clone_from(theirs);
                    }
                }
                if !source.date.is_known() {
                    source.date = parent.date;
                }
                ancestor = parent.part_of.and_then(|p| index.get(&p).copied());
            }
        }
    }

    fn aliases_file(&mut self, at: &At<'_>) {
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

    fn relation_file(&mut self, at: &At<'_>) -> Vec<Row> {
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

    /// Parses every cell of `record` by its column's kind, reporting what
    /// cannot be parsed.
    fn parse(&mut self, at: &At<'_>, record: &RawRecord) -> Parsed {
        let mut parsed = Parsed {
            values: Vec::with_capacity(at.file.columns.len()),
            confidence: Confidence::Probable,
            reliability: Reliability::F,
            sources: Vec::new(),
            disputed_by: Vec::new(),
        };
        let mut start: Option<(Date, &str)> = None;
        for (index, column) in at.file.columns.iter().enumerate() {
            // A column missing from the header is reported once, there.
            let Some(&Some(cell)) = at.columns.index.get(index) else {
                parsed.values.extend(match column.kind {
                    // Reported is computed from the sources once they are
                    // parsed, in `relation_file`.
                    ColumnKind::Date | ColumnKind::Reported => Some(Value::Date(Date::UNKNOWN)),
                    kind => kind.rule_type().map(|_| Value::Name(Symbol::EMPTY)),
                });
                continue;
            };
            let text = record.get(cell);
            let error = |message: String| {
                at.table
                    .error(record.line, Some(cell), Some(column.name), message)
            };
            if column.required && super::names::is_blank(text) {
                self.push(at.rank, error("a value is required".into()));
            }
            match column.kind {
                ColumnKind::Entity | ColumnKind::Place | ColumnKind::Event => {
                    let rank = match (at.file.name, column.name) {
                        ("entities", "name") => rank::ENTITY,
                        ("places", "place") => rank::PLACE,
                        _ => rank::OTHER,
                    };
                    let (resolved, new) = self.name(text, rank);
                    if let Some(symbol) = new {
                        let found = at.table.warning(
                            record.line,
                            Some(cell),
                            Some(column.name),
                            String::new(),
                        );
                        self.met_spelling(at.rank, symbol, text, found);
                    }
                    parsed.values.push(Value::Name(resolved));
                }
                ColumnKind::Word => parsed.values.push(Value::Name(self.word(text))),
                ColumnKind::Date => {
                    let date = match self.date(text) {
                        Ok(date) => date,
                        Err(why) => {
                            self.push(at.rank, error(format!("{text:?} {why}")));
                            Date::UNKNOWN
                        }
                    };
                    match column.name {
                        "start" => start = Some((date, text)),
                        "end" => {
                            if let Some((start, start_text)) = start {
                                if date.is_known()
                                    && start.is_known()
                                    && date.last_day() < start.first_day()
                                {
                                    let message =
                                        format!("{text:?} is before the start {start_text:?}");
                                    self.push(at.rank, error(message));
                                }
                            }
                        }
                        _ => {}
                    }
                    parsed.values.push(Value::Date(date));
                }
                ColumnKind::Text => {}
                ColumnKind::Sources | ColumnKind::DisputedBy => {
                    let ids = self.source_ids(at.rank, text, &error);
                    if column.required && ids.is_empty() && !text.is_empty() {
                        self.push(at.rank, error("a value is required".into()));
                    }
                    if column.kind == ColumnKind::Sources {
                        parsed.sources = ids;
                    } else {
                        parsed.disputed_by = ids;
                    }
                }
                ColumnKind::Confidence => match Confidence::parse(text) {
                    Some(confidence) => parsed.confidence = confidence,
                    None => {
                        let message = format!(
                            "{text:?} is not a confidence; write confirmed, probable, possible, \
                             doubtful, improbable, or an Admiralty digit 1–5"
                        );
                        self.push(at.rank, error(message));
                    }
                },
                ColumnKind::Reported => {}
                ColumnKind::Reliability => match Reliability::parse(text) {
                    Some(reliability) => parsed.reliability = reliability,
                    None => {
                        let message = format!(
                            "{text:?} is not a reliability; write a letter from A (completely \
                             reliable) to F (cannot be judged)"
                        );
                        self.push(at.rank, error(message));
                    }
                },
            }
        }
        parsed
    }

    /// The source ids in a cell (separated by `;`), each checked against
    /// `sources.csv`.
    fn source_ids(
        &mut self,
        rank: usize,
        text: &str,
        error: &impl Fn(String) -> Found,
    ) -> Vec<Symbol> {
        let mut ids = Vec::new();
        for piece in text.split(';') {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let id = self.word(piece);
            ids.push(id);
            if self.source_list == Some(SourceList::Unreadable)
                || self.source_lines.contains_key(&id)
            {
                continue;
            }
            let hint = self.source_hint(piece);
            self.push(rank, error(format!("unknown source {piece:?}{hint}")));
        }
        ids
    }

    /// What to say after "unknown source" about an unknown id.
    fn source_hint(&mut self, id: &str) -> String {
        let key = name_key(id);
        if let Some(hint) = self.source_hints.get(&key) {
            return hint.clone();
        }
        let (no_list, empty_list) = if self.sheets {
            ("there is no sources sheet", "the sources sheet lists none")
        } else {
            ("there is no sources.csv", "sources.csv lists none")
        };
        let hint = match self.source_list {
            None | Some(SourceList::Missing) => format!("; {no_list}"),
            Some(_) if self.source_keys.is_empty() => format!("; {empty_list}"),
            Some(_) => {
                let near = nearest(&key, self.source_keys.iter().map(|(k, _)| k.as_str()));
                let written = near.and_then(|near| {
                    self.source_keys
                        .iter()
                        .find(|(k, _)| k == near)
                        .map(|(_, w)| w)
                });
                match written {
                    Some(written) => format!("; did you mean {written:?}?"),
                    None => String::new(),
                }
            }
        };
        self.source_hints.insert(key, hint.clone());
        hint
    }

    /// The symbol of a name cell, resolved through the aliases (the empty
    /// symbol for an empty cell), and its symbol before aliases when this
    /// text is met for the first time.
    fn name(&mut self, text: &str, rank: u8) -> (Symbol, Option<Symbol>) {
        if text.is_empty() {
            return (Symbol::EMPTY, None);
        }
        if let Some(cell) = self.name_cells.get_mut(text) {
            if rank < cell.rank {
                cell.rank = rank;
                self.spellings.offer(cell.symbol, rank, &tidy(text));
            }
            return (cell.resolved, None);
        }
        let symbol = self.intern(text, rank);
        let resolved = self.aliases.get(&symbol).copied().unwrap_or(symbol);
        self.name_cells.insert(
            text.into(),
            NameCell {
                symbol,
                resolved,
                rank,
            },
        );
        (resolved, Some(symbol))
    }

    /// Notes that `text`, found where `found` points, spells the name
    /// `symbol`; when another spelling of it differs in more than case,
    /// space or quotes (one composed and one decomposed, one with invisible
    /// characters, harakat or tatweel), warns once for the name, naming
    /// both spellings and where each is. The two are one name already; the
    /// warning says that two keyboards or sources met, which an analyst may
    /// want to tidy.
    fn met_spelling(&mut self, rank: usize, symbol: Symbol, text: &str, mut found: Found) {
        let written = written_key(text);
        let place = problem_place(&found.problem);
        let Some(first) = self.spelled.get_mut(&symbol) else {
            self.spelled.insert(
                symbol,
                Spelled {
                    written: written.into(),
                    text: text.into(),
                    place,
                    warned: false,
                },
            );
            return;
        };
        if first.warned || *first.written == *written {
            return;
        }
        first.warned = true;
        let differences = spelling_differences(&first.text, text).join(", ");
        found.problem.message = format!(
            "{text:?} and {:?} (at {}) are one name written with different characters ({differences}); \
             they are matched as one, so write it one way or leave it",
            &*first.text, first.place
        );
        self.push(rank, found);
    }

    /// The symbol of a word cell, lowercased; the empty symbol for an
    /// empty cell.
    fn word(&mut self, text: &str) -> Symbol {
        if text.is_empty() {
            return Symbol::EMPTY;
        }
        if let Some(&symbol) = self.word_cells.get(text) {
            return symbol;
        }
        let symbol = self.intern(&text.to_lowercase(), rank::OTHER);
        self.word_cells.insert(text.into(), symbol);
        symbol
    }

    /// A date cell parsed. Dates repeat across rows far more than they
    /// differ, so each text is parsed once.
    fn date(&mut self, text: &str) -> Result<Date, DateError> {
        if let Some(parsed) = self.date_cells.get(text) {
            return parsed.clone();
        }
        let parsed = Date::parse(text);
        self.date_cells.insert(text.into(), parsed.clone());
        parsed
    }

    /// Interns `text` without resolving aliases, offering its spelling.
    fn intern(&mut self, text: &str, rank: u8) -> Symbol {
        let spelling = tidy(text);
        let symbol = self.names.intern_key(name_key(text), &spelling);
        self.spellings.offer(symbol, rank, &spelling);
        symbol
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
            facts: Some(Facts {
                names: self.names,
                sources: self.sources,
                tables: self.tables,
                warnings,
            }),
        }
    }
}

/// The file being loaded.
struct At<'t> {
    rank: usize,
    file: &'static FactFile,
    table: &'t RawTable,
    columns: &'t Columns,
}

impl At<'_> {
    /// An error in `record`'s cell of the column named `column`.
    fn error(&self, record: &RawRecord, column: &'static str, message: String) -> Found {
        let index = self
            .file
            .columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|c| self.columns.index.get(c).copied().flatten());
        self.table.error(record.line, index, Some(column), message)
    }

    /// Where the columns are, when the table is a workbook sheet.
    fn sheet(&self) -> Option<Sheet> {
        if self.table.addressing != Addressing::Cells {
            return None;
        }
        let columns = self
            .file
            .columns
            .iter()
            .zip(&self.columns.index)
            .filter_map(|(column, index)| {
                let cell = self.table.header.get((*index)?)?;
                Some((column.name, cell.column))
            })
            .collect();
        Some(Sheet {
            file: self.table.file.as_str().into(),
            columns,
            first_column: self.table.first_column(),
        })
    }

    /// The parsed value of the rule column named `name`.
    fn value(&self, parsed: &Parsed, name: &str) -> Option<Value> {
        let position = self.file.rule_columns().position(|c| c.name == name)?;
        parsed.values.get(position).copied()
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
mod tests {
    use super::*;

    const SOURCES: &str = "\
id,publisher,title,date,url,reliability
tna-2022,The National Archive,Annual report,2022-05,https://example.org/tna,B
bbc-2021,BBC,Profile,2021,,
";

    /// Writes `files` into a folder named `facts` in a fresh temporary
    /// directory and loads it. Problems are displayed with the temporary
    /// directory cut off, so they read `facts/membership.csv:2: …`.
    fn load_files<C: AsRef<[u8]>>(files: &[(&str, C)]) -> (Result<Facts>, String) {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("facts");
        std::fs::create_dir(&folder).unwrap();
        for (name, contents) in files {
            std::fs::write(folder.join(name), contents).unwrap();
        }
        let prefix = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
        (super::load(&folder, &[]), prefix)
    }

    /// The problems of loading `files`: the errors when there are any, else
    /// the warnings.
    fn problems<C: AsRef<[u8]>>(files: &[(&str, C)]) -> Vec<String> {
        let (result, prefix) = load_files(files);
        let problems = match result {
            Ok(facts) => facts.warnings,
            Err(crate::Error::Facts(errors)) => errors,
            Err(other) => panic!("unexpected error: {other}"),
        };
        problems
            .iter()
            .map(|p| p.to_string().replacen(&prefix, "", 1))
            .collect()
    }

    #[track_caller]
    fn check<C: AsRef<[u8]>>(files: &[(&str, C)], expected: &[&str]) {
        assert_eq!(problems(files), expected);
    }

    /// Loads `files`, which must have no errors, and shows the rows of
    /// `relation` as `origin: value|value grade sources / disputed_by`.
    fn rows<C: AsRef<[u8]>>(files: &[(&str, C)], relation: &str) -> Vec<String> {
        let (result, prefix) = load_files(files);
        let facts = match result {
            Ok(facts) => facts,
            Err(err) => panic!("unexpected error: {err}"),
        };
        let show = |symbols: &[Symbol]| {
            let names: Vec<&str> = symbols.iter().map(|&s| facts.names.resolve(s)).collect();
            names.join(";")
        };
        let table = facts.table(relation).unwrap();
        table
            .rows
            .iter()
            .map(|row| {
                let values: Vec<String> = row
                    .values
                    .iter()
                    .map(|v| match v {
                        Value::Name(s) => facts.names.resolve(*s).to_string(),
                        Value::Date(d) => d.to_string(),
                    })
                    .collect();
                let contested = if row.grade.is_contested() {
                    " contested"
                } else {
                    ""
                };
                let disputed = if row.disputed_by.is_empty() {
                    String::new()
                } else {
                    format!(" / {}", show(&row.disputed_by))
                };
                format!(
                    "{}: {} {}{contested} {}{disputed}",
                    row.origin.to_string().replacen(&prefix, "", 1),
                    values.join("|"),
                    row.grade.confidence,
                    show(&row.sources),
                )
            })
            .collect()
    }

    #[test]
    fn loads_a_valid_folder() {
        let (result, prefix) = load_files(&[
            ("sources.csv", SOURCES),
            (
                "membership.csv",
                "member,group,role,start,end,source,confidence,disputed_by\n\
                 Abu Bakr,Islamic State,Commander,2014-06,2019,tna-2022,confirmed,\n\
                 Abu Omar,Islamic State,,,,tna-2022; BBC-2021,2,bbc-2021\n",
            ),
            (
                "entities.csv",
                "name,kind,description\nIslamic State,Group,\n",
            ),
        ]);
        let facts = match result {
            Ok(facts) => facts,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(facts.warnings, []);
        assert_eq!(facts.tables.len(), 9);
        let names: Vec<&str> = facts.tables.iter().map(|t| t.file.name).collect();
        assert_eq!(
            names,
            [
                "entities",
                "membership",
                "mergers",
                "places",
                "locations",
                "events",
                "participants",
                "links",
                "vocabulary"
            ]
        );

        let [tna, bbc] = &facts.sources[..] else {
            panic!("two sources expected: {:?}", facts.sources);
        };
        assert_eq!(facts.names.resolve(tna.id), "tna-2022");
        assert_eq!(tna.publisher, "The National Archive");
        assert_eq!(tna.title, "Annual report");
        assert_eq!(tna.date.to_string(), "2022-05");
        assert_eq!(tna.url, "https://example.org/tna");
        assert_eq!(tna.reliability, Reliability::B);
        assert_eq!(
            tna.origin.to_string().replacen(&prefix, "", 1),
            "facts/sources.csv:2"
        );
        assert_eq!(bbc.reliability, Reliability::F);
        assert_eq!(bbc.date.to_string(), "2021");
        assert_eq!(facts.source(bbc.id), Some(bbc));

        let membership = facts.table("membership").unwrap();
        let first = &membership.rows[0];
        let group = facts.names.lookup("islamic state").unwrap();
        let commander = facts.names.lookup("commander").unwrap();
        assert_eq!(
            first.values,
            [
                Value::Name(facts.names.lookup("Abu Bakr").unwrap()),
                Value::Name(group),
                Value::Name(commander),
                Value::Date(Date::parse("2014-06").unwrap()),
                Value::Date(Date::parse("2019").unwrap()),
                // reported: the date of its one source, tna-2022
                Value::Date(Date::parse("2022-05").unwrap()),
            ]
        );
        assert_eq!(first.grade, Grade::new(Confidence::Confirmed, false));
        assert_eq!(first.sources, [tna.id]);
        assert_eq!(first.disputed_by, []);
        assert_eq!(first.origin.line, 2);
        assert_eq!(&*first.origin.file, format!("{prefix}facts/membership.csv"));
        let second = &membership.rows[1];
        assert_eq!(second.values[2], Value::Name(Symbol::EMPTY));
        assert_eq!(second.values[3], Value::Date(Date::UNKNOWN));
        assert_eq!(second.grade, Grade::new(Confidence::Probable, true));
        assert_eq!(second.sources, [tna.id, bbc.id]);
        assert_eq!(second.disputed_by, [bbc.id]);

        let entities = facts.table("entities").unwrap();
        assert_eq!(
            entities.rows[0].values,
            [
                Value::Name(group),
                Value::Name(facts.names.lookup("group").unwrap())
            ]
        );
        assert_eq!(entities.rows[0].grade, Grade::CERTAIN);
        assert_eq!(facts.names.resolve(commander), "commander");
        assert_eq!(facts.latest_date().to_string(), "2022-05");
    }

    #[test]
    fn reads_spreadsheet_dialects_alike() {
        let expected = [
            "facts/membership.csv:2: A|B||2014||2022-05 probable tna-2022",
            "facts/membership.csv:3: C|B||2015||2022-05 confirmed tna-2022;bbc-2021",
        ];
        let plain = "member,group,start,source,confidence\nA,B,2014,tna-2022,\nC,B,2015,\"tna-2022;bbc-2021\",1\n";
        let variants = [
            plain.to_string(),
            format!("\u{feff}{}", plain.replace('\n', "\r\n")),
            plain.replace(';', "; ").replace(',', ";"),
            plain.replace(',', "\t"),
            plain
                .replace(
                    "member,group,start,source,confidence",
                    " Member ,GROUP,  Start,SOURCE , confidence,,,",
                )
                .replace("2014,tna-2022,", "2014,tna-2022,,,")
                + ",,,,,\n\n\r\n , ,\n",
            plain
                .replace(
                    "member,group,start,source,confidence",
                    "source,start,confidence,group,member",
                )
                .replace("A,B,2014,tna-2022,", "tna-2022,2014,,B,A")
                .replace(
                    "C,B,2015,\"tna-2022;bbc-2021\",1",
                    "\"tna-2022;bbc-2021\",2015,1,B,C",
                ),
        ];
        for (i, membership) in variants.iter().enumerate() {
            assert_eq!(
                rows(
                    &[("sources.csv", SOURCES), ("membership.csv", membership)],
                    "membership"
                ),
                expected,
                "variant {i}: {membership:?}"
            );
        }
    }

    #[test]
    fn lines_stay_right_after_a_quoted_newline() {
        check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,source,start\n\"Abu\nBakr\",\"IS,\r\nISIL\",tna-2022,2014\nC,D,tna-2022,14\n",
                ),
            ],
            &["facts/membership.csv:5: column \"start\": \"14\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"],
        );
    }

    #[test]
    fn reports_missing_columns_and_values() {
        check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,role,source\nA,,tna-2022\n,chief,tna-2022\nB,,\nC,,;\n",
                ),
            ],
            &[
                "facts/membership.csv:1: the required column \"group\" is missing",
                "facts/membership.csv:3: column \"member\": a value is required",
                "facts/membership.csv:4: column \"source\": a value is required",
                "facts/membership.csv:5: column \"source\": a value is required",
            ],
        );
        check(
            &[("aliases.csv", "alias,name\nISIS,\n")],
            &["facts/aliases.csv:2: column \"name\": a value is required"],
        );
    }

    #[test]
    fn reports_bad_dates_and_periods() {
        check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,source,start,end\n\
                     A,B,tna-2022,15/11/2022,\n\
                     A,B,tna-2022,November 2022,2023-02-30\n\
                     A,B,tna-2022,2022-03,2021\n\
                     A,B,tna-2022,2022-03-05,2022-03\n\
                     A,B,tna-2022,2022-03-05,2022-03-04\n",
                ),
            ],
            &[
                "facts/membership.csv:2: column \"start\": \"15/11/2022\" is not a date: with slashes or dots the day and month cannot be told apart; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:3: column \"start\": \"November 2022\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:3: column \"end\": \"2023-02-30\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/membership.csv:4: column \"end\": \"2021\" is before the start \"2022-03\"",
                "facts/membership.csv:6: column \"end\": \"2022-03-04\" is before the start \"2022-03-05\"",
            ],
        );
        check(
            &[("sources.csv", "id,date\ns1,2022-13\n")],
            &["facts/sources.csv:2: column \"date\": \"2022-13\" is no such date; write YYYY, YYYY-MM or YYYY-MM-DD"],
        );
    }

    #[test]
    fn reports_unknown_sources_with_what_would_help() {
        let membership = "member,group,source,disputed_by\nA,B,tna-2023,\nA,B,TNA-2022;bbc-2012; rfe-2020,tna-2022\nA,B,bbc-2021,TNA-2032\n";
        check(
            &[("sources.csv", SOURCES), ("membership.csv", membership)],
            &[
                "facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; did you mean \"tna-2022\"?",
                "facts/membership.csv:3: column \"source\": unknown source \"bbc-2012\"; did you mean \"bbc-2021\"?",
                "facts/membership.csv:3: column \"source\": unknown source \"rfe-2020\"",
                "facts/membership.csv:4: column \"disputed_by\": unknown source \"TNA-2032\"; did you mean \"tna-2022\"?",
            ],
        );
        check(
            &[("membership.csv", "member,group,source\nA,B,tna-2023\n")],
            &["facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; there is no sources.csv"],
        );
        check(
            &[("sources.csv", "id,title\n"), ("membership.csv", "member,group,source\nA,B,tna-2023\n")],
            &["facts/membership.csv:2: column \"source\": unknown source \"tna-2023\"; sources.csv lists none"],
        );
        // A sources.csv without ids is reported once, not on every row.
        check(
            &[
                ("sources.csv", "title\nx\n"),
                ("membership.csv", "member,group,source\nA,B,tna-2023\n"),
            ],
            &["facts/sources.csv:1: the required column \"id\" is missing"],
        );
        check(
            &[("sources.csv", "id\nTNA-2022\nbbc\ntna-2022\n")],
            &["facts/sources.csv:4: column \"id\": the id \"tna-2022\" is already listed on line 2"],
        );
    }

    #[test]
    fn reports_bad_confidence_and_reliability() {
        check(
            &[
                ("sources.csv", "id,reliability\ns1,b\ns2,G\n"),
                ("links.csv", "from,to,source,confidence\nA,B,s1,likely\nA,B,s1,6\nA,B,s1,Doubtful\n"),
            ],
            &[
                "facts/sources.csv:3: column \"reliability\": \"G\" is not a reliability; write a letter from A (completely reliable) to F (cannot be judged)",
                "facts/links.csv:2: column \"confidence\": \"likely\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
                "facts/links.csv:3: column \"confidence\": \"6\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
            ],
        );
    }

    #[test]
    fn claimants_inherit_from_their_article_but_keep_their_own_reliability() {
        let sources = "id,publisher,title,date,url,reliability,claimant,part_of\n\
                       art,The Paper,A story,2022-11,https://x.example,C,,\n\
                       art/expert,,,,,B,An Expert,art\n\
                       art/expert/quoted,Other,,2021,,,A prisoner,art/expert\n";
        let (facts, _) = load_files(&[("sources.csv", sources)]);
        let facts = facts.unwrap();
        let [art, expert, quoted] = &facts.sources[..] else {
            panic!("three sources expected: {:?}", facts.sources);
        };
        assert_eq!(art.part_of, None);
        assert_eq!(expert.part_of, Some(art.id));
        assert_eq!(expert.claimant, "An Expert");
        assert_eq!(expert.publisher, "The Paper");
        assert_eq!(expert.title, "A story");
        assert_eq!(expert.date.to_string(), "2022-11");
        assert_eq!(expert.url, "https://x.example");
        assert_eq!(expert.reliability, Reliability::B);
        // Through two levels, and what a claimant gives is kept.
        assert_eq!(quoted.publisher, "Other");
        assert_eq!(quoted.title, "A story");
        assert_eq!(quoted.date.to_string(), "2021");
        assert_eq!(quoted.reliability, Reliability::F);
    }

    #[test]
    fn reports_unknown_and_cyclic_part_of() {
        check(
            &[(
                "sources.csv",
                "id,claimant,part_of\n\
                 tna-2022-11,,\n\
                 tna/askara,Al-Askara,tna-2022-1\n\
                 a,,b\n\
                 b,,c\n\
                 c,,a\n\
                 d,,d\n",
            )],
            &[
                "facts/sources.csv:3: column \"part_of\": unknown source \"tna-2022-1\"; did you mean \"tna-2022-11\"?",
                "facts/sources.csv:4: column \"part_of\": the part_of references on lines 4, 5 and 6 form a cycle: \"a\" → \"b\" → \"c\" → \"a\"",
                "facts/sources.csv:7: column \"part_of\": the part_of references on line 7 form a cycle: \"d\" → \"d\"",
            ],
        );
    }

    #[test]
    fn reports_unreadable_text() {
        check(
            &[
                ("sources.csv", SOURCES.as_bytes()),
                ("entities.csv", b"name,kind\nG\xe9n\xe9ral,person\nx,y,z\n".as_slice()),
                ("places.csv", b"\xFF\xFEp\x00".as_slice()),
                ("links.csv", b"from,to,source\n\"a,b\n".as_slice()),
            ],
            &[
                "facts/entities.csv:2: column \"name\": \"G\u{fffd}n\u{fffd}ral\" is not UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)",
                "facts/entities.csv:3: 3 fields where the header has 2",
                "facts/places.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)",
                "facts/links.csv:2: a quote (\") opened on this line is never closed",
            ],
        );
    }

    #[test]
    fn warns_of_unknown_columns_and_files() {
        check(
            &[
                ("sources.csv", SOURCES),
                (
                    "membership.csv",
                    "member,group,strat,source,Notes,X_Analyst,comment,,sources\nA,B,2014,tna-2022,,,,x,\n",
                ),
                ("memberships.csv", "member\n"),
                ("budget.csv", ""),
                ("README.txt", "not a table"),
                (".membership.csv", "\u{0}"),
            ],
            &[
                "facts: budget.csv is not a fact file, so it is ignored",
                "facts: memberships.csv is not a fact file; did you mean membership.csv?",
                "facts/membership.csv:1: column \"strat\" is not a column of membership.csv; did you mean \"start\"?",
                "facts/membership.csv:1: column \"comment\" is not a column of membership.csv; rename it \"x_comment\" if it is your own",
                "facts/membership.csv:1: column 8 has no name in the header, so its cells are ignored",
                "facts/membership.csv:1: column \"sources\" is not a column of membership.csv; rename it \"x_sources\" if it is your own",
            ],
        );
        check(
            &[("places.csv", "place,place\nA,B\n")],
            &["facts/places.csv:1: the column \"place\" appears more than once"],
        );
    }

    #[test]
    fn warns_of_repeated_rows_and_keeps_them() {
        let files = [(
            "places.csv",
            "place,within\nMosul,Iraq\n Mosul , Iraq\nMosul,Iraq,\nmosul,iraq\n",
        )];
        check(
            &files,
            &[
                "facts/places.csv:3: this row repeats line 2 exactly",
                "facts/places.csv:4: this row repeats line 2 exactly",
            ],
        );
        assert_eq!(rows(&files, "places").len(), 4);
    }

    #[test]
    fn resolves_aliases_through_chains() {
        let files = [
            ("sources.csv", SOURCES),
            ("aliases.csv", "alias,name\nISIL,ISIS\nISIS,Islamic State\nDaesh,isil\n\u{201C}IS\u{201D},Islamic  State\n"),
            ("entities.csv", "name\nislamic state\nDAESH\n"),
            ("membership.csv", "member,group,source\nAbu Bakr,Daesh,tna-2022\nAbu Omar,\"\"\"IS\"\"\",tna-2022\nAbu Omar,  isis ,tna-2022\n"),
        ];
        assert_eq!(
            rows(&files, "membership"),
            [
                "facts/membership.csv:2: Abu Bakr|Islamic State||||2022-05 probable tna-2022",
                "facts/membership.csv:3: Abu Omar|Islamic State||||2022-05 probable tna-2022",
                "facts/membership.csv:4: Abu Omar|Islamic State||||2022-05 probable tna-2022",
            ]
        );
        assert_eq!(
            rows(&files, "entities"),
            [
                "facts/entities.csv:2: Islamic State| confirmed ",
                "facts/entities.csv:3: Islamic State| confirmed ",
            ]
        );
    }

    #[test]
    fn reports_alias_conflicts_and_cycles() {
        check(
            &[(
                "aliases.csv",
                "alias,name\nISIS,Islamic State\nA,B\nisis,Daesh\nB,C\nC,a\nD,C\nX,x\n",
            )],
            &[
                "facts/aliases.csv:3: the aliases on lines 3, 5 and 6 form a cycle: \"A\" → \"B\" → \"C\" → \"A\"",
                "facts/aliases.csv:4: column \"name\": \"isis\" is an alias of \"Islamic State\" on line 2, so it cannot also be an alias of \"Daesh\"",
            ],
        );
    }

    #[test]
    fn display_spellings_do_not_depend_on_row_order() {
        fn spellings(reversed: bool) -> Vec<String> {
            let order = |lines: &[&str]| {
                let mut lines = lines.to_vec();
                if reversed {
                    lines[1..].reverse();
                }
                lines.join("\n")
            };
            let aliases = order(&["alias,name", "IS,islamic state", "Daesh,Islamic State"]);
            let entities = order(&[
                "name,kind",
                "ISLAMIC STATE,Group",
                "abu  bakr,person",
                "mosul,City",
            ]);
            let places = order(&[
                "place,within,kind",
                "Mosul,,city",
                "MOSUL,,city",
                "Raqqa,,city",
                "Tabqa,RAQQA,town",
            ]);
            let links = order(&[
                "from,to,source",
                "Abu Bakr,IS,s",
                "ABU BAKR,islamic state,S",
                "zarqawi,Zarqawi,s",
            ]);
            let files = [
                ("sources.csv", "id\nS\n".to_string()),
                ("aliases.csv", aliases),
                ("entities.csv", entities),
                ("places.csv", places),
                ("links.csv", links),
            ];
            let (result, _) = load_files(&files);
            let facts = result.unwrap();
            [
                "islamic state",
                "abu bakr",
                "mosul",
                "raqqa",
                "zarqawi",
                "city",
                "s",
            ]
            .iter()
            .map(|name| {
                facts
                    .names
                    .resolve(facts.names.lookup(name).unwrap())
                    .to_string()
            })
            .collect()
        }
        let expected = [
            "Islamic State",
            "abu bakr",
            "mosul",
            "Raqqa",
            "Zarqawi",
            "city",
            "s",
        ];
        assert_eq!(spellings(false), expected);
        assert_eq!(spellings(true), expected);
    }

    #[test]
    fn reports_every_error_in_every_file_in_order() {
        check(
            &[
                ("sources.csv", "id,date\ns1,2022\ns2,22\n"),
                ("Places.csv", "place,within\nA\n"),
                ("places.csv", "place\n"),
                ("membership.csv", "member,group,source,confidence\nA,B,s3,sure\n,B,s1,\n"),
                ("entities.csv", "name,kind,x\nA,b,c,d\n"),
                ("aliases.csv", "alias,name\nA,B\nA,C\n"),
                ("extra.csv", "x\n"),
            ],
            &[
                "facts: Places.csv and places.csv are both the places file; keep one",
                "facts/sources.csv:3: column \"date\": \"22\" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
                "facts/aliases.csv:3: column \"name\": \"A\" is an alias of \"B\" on line 2, so it cannot also be an alias of \"C\"",
                "facts/entities.csv:2: 4 fields where the header has 3",
                "facts/membership.csv:2: column \"source\": unknown source \"s3\"",
                "facts/membership.csv:2: column \"confidence\": \"sure\" is not a confidence; write confirmed, probable, possible, doubtful, improbable, or an Admiralty digit 1–5",
                "facts/membership.csv:3: column \"member\": a value is required",
            ],
        );
    }

    #[test]
    fn an_unreadable_folder_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        match super::load(&missing, &[]) {
            Err(crate::Error::Io { path, .. }) => assert_eq!(path, missing),
            other => panic!("expected an I/O error, got {other:?}"),
        }
        let (result, _) = load_files::<&str>(&[]);
        let facts = result.unwrap();
        // Only the shipped vocabulary has rows.
        assert!(facts
            .tables
            .iter()
            .all(|t| t.rows.is_empty() == (t.file.name != crate::schema::VOCABULARY)));
    }
}
