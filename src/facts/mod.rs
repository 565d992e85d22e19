//! The analyst's facts: reading them from CSV files or a workbook, resolving
//! names through aliases, and keeping every row's origin and sources.
//!
//! This module owns the input side only. It never draws a conclusion (that is
//! the rules' job) and never changes the files it reads.
//!
//! Loading runs in two layers. The raw layer turns bytes into tables of
//! trimmed text that know their lines (`raw`): `folder` finds the fact files
//! and reads them, several at once, and `delimited` reads CSV in its
//! spreadsheet dialects; `workbook` reads the sheets of a workbook into the
//! same tables, with cell references instead of lines. It knows nothing of
//! the schema. The schema layer (`load`) matches headers to columns
//! (`header`), parses cells, checks source ids, resolves names through
//! `aliases`, and chooses each name's display spelling (`spelling`). It runs
//! in one thread, in schema and file order, so symbols never depend on
//! thread timing.

mod aliases;
mod cells;
pub mod confidence;
pub mod date;
mod delimited;
mod folder;
mod header;
pub mod lint;
mod load;
pub mod names;
mod ods;
mod raw;
mod spelling;
mod variants;
mod vocabulary;
mod workbook;
mod xls;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

pub use confidence::{Confidence, Grade, Reliability};
pub use date::Date;
pub use names::{Interner, Symbol};

use crate::error::{Problem, Result};
use crate::schema::FactFile;

/// Where a row came from: the file as the user named it, and the 1-based
/// line (for a workbook, the sheet row).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// Such as `facts/mergers.csv`.
    pub file: Arc<str>,
    /// The line the row starts on; the header is line 1.
    pub line: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One cell as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// A name or word; [`Symbol::EMPTY`] for an empty cell.
    Name(Symbol),
    /// A date; [`Date::UNKNOWN`] for an empty cell.
    Date(Date),
}

/// A source from `sources.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The id rows cite it by.
    pub id: Symbol,
    /// Who published it.
    pub publisher: String,
    /// Its title.
    pub title: String,
    /// When it was published.
    pub date: Date,
    /// Where to find it.
    pub url: String,
    /// How reliable the source is: for a claimant, the claimant's own
    /// reliability, never inherited from the article quoting it.
    pub reliability: Reliability,
    /// The person or body quoted, empty for a whole article or report.
    pub claimant: String,
    /// The id of the article or report a claimant appears in, whose
    /// publisher, title, date and url it inherits unless given.
    pub part_of: Option<Symbol>,
    /// Where it is listed.
    pub origin: Origin,
}

/// One row of a fact file that the rules read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The cells of the columns the rules see ([`FactFile::rule_columns`]),
    /// in that order, names already resolved to their canonical symbol.
    pub values: Vec<Value>,
    /// The row's confidence, contested when `disputed_by` names a source.
    pub grade: Grade,
    /// The ids of the sources that state the row, in the order given.
    pub sources: Vec<Symbol>,
    /// The ids of the sources that contest it, in the order given.
    pub disputed_by: Vec<Symbol>,
    /// The analyst's `notes` cell: as a rule, the source's own words.
    /// Empty when the file has no `notes` column.
    pub notes: Box<str>,
    /// Where the row is.
    pub origin: Origin,
}

/// The rows of one fact file.
#[derive(Clone, Debug)]
pub struct Table {
    /// Which file, and so which relation.
    pub file: &'static FactFile,
    /// Its rows, in file order.
    pub rows: Vec<Row>,
    /// Where its columns are, when it was read from a workbook sheet.
    pub sheet: Option<SheetLayout>,
}

impl Table {
    /// Where the rule column with this name is in every row's `values`.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.file.rule_columns().position(|c| c.name == column)
    }

    /// Each row with the names in the given rule columns, found by column
    /// name so that a change to the schema cannot silently shift them (an
    /// empty cell is the empty name). A row whose cell there is not a name
    /// is left out. A column the file does not have is a bug, which
    /// `debug_assert!` catches in tests; in a release build no row is given.
    pub fn names<const N: usize>(
        &self,
        columns: [&str; N],
    ) -> impl Iterator<Item = ([Symbol; N], &Row)> + '_ {
        let positions = columns.map(|name| self.position(name));
        debug_assert!(
            positions.iter().all(Option::is_some),
            "{} has no rule column among {columns:?}",
            self.file.name
        );
        self.rows.iter().filter_map(move |row| {
            let mut names = [Symbol::default(); N];
            for (slot, position) in names.iter_mut().zip(positions) {
                match row.values.get(position?) {
                    Some(Value::Name(name)) => *slot = *name,
                    _ => return None,
                }
            }
            Some((names, row))
        })
    }
}

/// Where a workbook sheet's columns are, so that a problem found after
/// loading (a cross-file warning) names a cell as one found while loading
/// does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetLayout {
    /// The name the rows' origins carry, such as `book.xlsx[membership]`.
    pub file: Arc<str>,
    /// The 0-based sheet column of each of the file's columns that the
    /// header has, by column name.
    pub columns: Vec<(&'static str, u32)>,
    /// The sheet column of the table's first column, whose cell names a
    /// whole row.
    pub first_column: u32,
}

impl SheetLayout {
    /// The reference of the cell in row `line` and the column named
    /// `column`, or of the row's first cell, such as `D14`.
    pub fn cell(&self, line: u32, column: Option<&str>) -> String {
        let position = column
            .and_then(|name| self.columns.iter().find(|(n, _)| *n == name))
            .map_or(self.first_column, |(_, position)| *position);
        raw::cell_reference(position, line)
    }
}

/// Everything loaded from a facts folder.
#[derive(Clone, Debug)]
pub struct Facts {
    /// Every name, word and source id, canonical spellings for display.
    pub names: Interner,
    /// The sources, in file order: read them with [`Facts::sources`].
    sources: Vec<Source>,
    /// Where each source id is in `sources`, so that finding a source is
    /// one lookup: conclusions look one up per source of every row.
    source_at: FxHashMap<Symbol, usize>,
    /// One table per file the rules read, in [`crate::schema::FILES`] order;
    /// a missing file gives an empty table.
    pub tables: Vec<Table>,
    /// Suspicious things that did not stop the load.
    pub warnings: Vec<Problem>,
}

impl Facts {
    /// The facts of a load: its names, sources in file order, tables and
    /// warnings. Source ids are unique (the loader reports and skips a
    /// repeated id), so each id has one place in `source_at`.
    pub(crate) fn new(
        names: Interner,
        sources: Vec<Source>,
        tables: Vec<Table>,
        warnings: Vec<Problem>,
    ) -> Facts {
        let source_at = sources.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        Facts {
            names,
            sources,
            source_at,
            tables,
            warnings,
        }
    }

    /// The sources, in file order.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The table of the relation with this name.
    pub fn table(&self, relation: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.file.name == relation)
    }

    /// The source with this id.
    pub fn source(&self, id: Symbol) -> Option<&Source> {
        self.source_at.get(&id).map(|&i| &self.sources[i])
    }

    /// The latest date anywhere in the facts (the one whose period starts
    /// last, the more precise on a tie), or unknown when there is none: the
    /// default `--as-of`. A year such as `2022` is not later than
    /// `2022-11-15`, which the facts name more precisely.
    pub fn latest_date(&self) -> Date {
        let row_dates = self.tables.iter().flat_map(|t| {
            t.rows.iter().flat_map(|r| {
                r.values.iter().filter_map(|v| match v {
                    Value::Date(d) if d.is_known() => Some(*d),
                    _ => None,
                })
            })
        });
        let source_dates = self.sources.iter().map(|s| s.date).filter(|d| d.is_known());
        row_dates
            .chain(source_dates)
            .max_by_key(|d| (d.first_day(), *d))
            .unwrap_or(Date::UNKNOWN)
    }
}

/// How messages name a fact file: `places.csv`, or `the places sheet` when
/// the facts are `sheets` of a workbook.
pub(crate) fn file_title(file: &FactFile, sheets: bool) -> String {
    if sheets {
        format!("the {} sheet", file.name)
    } else {
        file.file_name()
    }
}

/// Loads the facts folder, or the workbook, at `path`: every problem in
/// every file (or sheet) is collected, and any error fails the load with
/// all of them. `words` are words that must have a symbol even where no
/// fact uses them: the rules' constants (such as "shared_member"), which
/// conclusions print, so that every symbol sorts alphabetically.
pub fn load(path: &Path, words: &[String]) -> Result<Facts> {
    load_with(path, words, &crate::progress::Silent)
}

/// [`load`], telling `progress` how far it has got.
pub fn load_with(
    path: &Path,
    words: &[String],
    progress: &dyn crate::progress::Progress,
) -> Result<Facts> {
    let (facts, problems) = check_with(path, words, progress)?;
    // Refused facts carry their warnings too, so they are printed as well.
    facts.ok_or(crate::Error::Facts(problems))
}

/// Loads the facts folder, or the workbook, at `path` and returns every
/// problem found, errors and warnings, in file and line order; the facts
/// too when there is no error. Only a folder or workbook that cannot be
/// read at all is an `Err`. `words` as for [`load`].
pub fn check(path: &Path, words: &[String]) -> Result<(Option<Facts>, Vec<Problem>)> {
    check_with(path, words, &crate::progress::Silent)
}

/// [`check`], telling `progress` how far it has got.
pub fn check_with(
    path: &Path,
    words: &[String],
    progress: &dyn crate::progress::Progress,
) -> Result<(Option<Facts>, Vec<Problem>)> {
    let workbook = workbook::is_workbook(path);
    if !path.exists() {
        let message = if workbook {
            "there is no such workbook; name the facts workbook or folder with --facts PATH"
        } else {
            "there is no such folder; name the facts folder with --facts PATH"
        };
        return Err(crate::Error::Request(format!(
            "{}: {message}",
            path.display()
        )));
    }
    if !workbook && !path.is_dir() {
        return Err(crate::Error::Request(format!(
            "{}: this is neither a folder nor a workbook ({}); name the facts folder or \
             workbook with --facts PATH",
            path.display(),
            workbook::EXTENSIONS
        )));
    }
    let report = load::report(path, words, progress)?;
    let mut problems = report.problems;
    let ranks = report.file_ranks;
    let facts = report.facts.map(|mut facts| {
        progress.phase("looking for likely mistakes");
        let warnings = lint::lint(&facts);
        problems.extend(warnings.iter().cloned());
        facts.warnings.extend(warnings);
        in_file_and_line_order(&mut facts.warnings, &ranks);
        facts
    });
    in_file_and_line_order(&mut problems, &ranks);
    Ok((facts, problems))
}

/// Sorts the loader's problems and the lint's warnings into one list, in
/// the loader's order: the folder's first, then file by file as the loader
/// ranks them, then by line. The sort is stable, so the problems of one
/// line keep their order (by column, the loader's before the lint's).
fn in_file_and_line_order(problems: &mut [Problem], ranks: &FxHashMap<String, usize>) {
    problems.sort_by_key(|p| {
        (
            ranks.get(&p.file).copied().unwrap_or(0),
            p.line.unwrap_or(0),
        )
    });
}

/// Which sources a run may rest on: what an analyst could have known by a
/// date, or how much a finding depends on one outlet or on weak sources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceFilter {
    /// Only sources published by this date (`--known-by`); a source with no
    /// date is not known to have been published by then, so it is left out.
    pub known_by: Option<Date>,
    /// Source ids to leave out (`--without-source`), as typed, with the
    /// claimants that are part of them.
    pub without: Vec<String>,
    /// Only sources at least this reliable (`--min-reliability`).
    pub min_reliability: Option<Reliability>,
}

impl SourceFilter {
    /// Whether the filter leaves every source in.
    pub fn is_empty(&self) -> bool {
        *self == SourceFilter::default()
    }
}

impl Facts {
    /// The facts as far as the filter's sources state them: each row keeps
    /// the sources (and disputing sources) the filter lets in, and a row
    /// that cites sources but keeps none is left out, so a conclusion that
    /// rests only on excluded sources drops out. Rows that cite no source
    /// (entities, places, the vocabulary) stay. An id in `without` that is
    /// no source is an error naming the nearest.
    pub fn restricted(mut self, filter: &SourceFilter) -> crate::Result<Facts> {
        if filter.is_empty() {
            return Ok(self);
        }
        let mut excluded: rustc_hash::FxHashSet<Symbol> = rustc_hash::FxHashSet::default();
        for id in &filter.without {
            match self.names.lookup(id).filter(|s| self.source(*s).is_some()) {
                Some(symbol) => {
                    excluded.insert(symbol);
                }
                None => {
                    let ids = self.sources.iter().map(|s| self.names.resolve(s.id));
                    let hint = crate::suggest::nearest(id, ids)
                        .map(|n| format!("; did you mean {n:?}?"))
                        .unwrap_or_default();
                    return Err(crate::Error::Request(format!(
                        "--without-source {id:?} is no source in sources.csv{hint}"
                    )));
                }
            }
        }
        // Leaving an article out leaves out the claimants quoted in it.
        let within_excluded = |source: &Source| {
            let mut at = Some(source.id);
            for _ in 0..=self.sources.len() {
                let Some(id) = at else { return false };
                if excluded.contains(&id) {
                    return true;
                }
                at = self.source(id).and_then(|s| s.part_of);
            }
            false
        };
        let admitted: rustc_hash::FxHashSet<Symbol> = self
            .sources
            .iter()
            .filter(|s| !within_excluded(s))
            .filter(|s| match filter.known_by {
                // Published by then whatever day of its period it was.
                Some(by) => s.date.is_known() && s.date.last_day() <= by.last_day(),
                None => true,
            })
            .filter(|s| {
                filter
                    .min_reliability
                    .is_none_or(|min| s.reliability <= min)
            })
            .map(|s| s.id)
            .collect();
        for table in &mut self.tables {
            table.rows.retain_mut(|row| {
                if row.sources.is_empty() {
                    return true;
                }
                row.sources.retain(|id| admitted.contains(id));
                row.disputed_by.retain(|id| admitted.contains(id));
                if row.disputed_by.is_empty() {
                    row.grade.undisputed = true;
                }
                !row.sources.is_empty()
            });
        }
        Ok(self)
    }
}
