//! Which sources a run may use: `--known-by`, `--without-source` and
//! `--min-reliability`. The one place these are applied: the loaded facts
//! are restricted before evaluation, so rules, explanations, `sources`
//! columns, `diff` and `about` all see the same rows.
//!
//! A row rests on any of its sources. It stays if at least one of them is
//! admitted, citing only those; a row every source of which is excluded
//! leaves the run. Rows that cite no sources (entities, places) always
//! stay. Disputes are sources too: a row disputed only by sources left out
//! is not contested in the run.

use super::suggestion::nearest;
use super::{Date, Facts, Reliability, Source, Symbol};
use crate::error::{Error, Result};

/// The sources a run admits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceFilter {
    /// Only sources published by this date (a source's whole date period
    /// must end by the end of this date's period); undated sources are left
    /// out.
    pub known_by: Option<Date>,
    /// Source ids to leave out, as given.
    pub without: Vec<String>,
    /// Only sources at least this reliable (A is the most reliable).
    pub min_reliability: Option<Reliability>,
}

impl SourceFilter {
    /// Whether this admits every source.
    pub fn is_empty(&self) -> bool {
        self == &SourceFilter::default()
    }

    fn admits(&self, source: &Source, without: &[Symbol]) -> bool {
        if without.contains(&source.id) {
            return false;
        }
        if self
            .min_reliability
            .is_some_and(|min| source.reliability > min)
        {
            return false;
        }
        match self.known_by {
            Some(by) => source.date.is_known() && source.date.last_day() <= by.last_day(),
            None => true,
        }
    }
}

/// The facts with only the rows `filter` admits. An id in `without` that
/// is no source is an error naming the nearest id.
pub fn restrict(mut facts: Facts, filter: &SourceFilter) -> Result<Facts> {
    if filter.is_empty() {
        return Ok(facts);
    }
    let mut without = Vec::new();
    for id in &filter.without {
        match facts
            .names
            .lookup(id)
            .filter(|s| facts.source(*s).is_some())
        {
            Some(symbol) => without.push(symbol),
            None => {
                let ids: Vec<&str> = facts
                    .sources
                    .iter()
                    .map(|s| facts.names.resolve(s.id))
                    .collect();
                let hint = nearest(id, ids.iter().copied())
                    .map(|n| format!("; did you mean {n:?}?"))
                    .unwrap_or_default();
                return Err(Error::Request(format!(
                    "--without-source {id:?} is not a source id in sources.csv{hint}"
                )));
            }
        }
    }
    let admitted: Vec<Symbol> = facts
        .sources
        .iter()
        .filter(|s| filter.admits(s, &without))
        .map(|s| s.id)
        .collect();
    for table in &mut facts.tables {
        table.rows.retain_mut(|row| {
            if row.sources.is_empty() {
                return true;
            }
            row.sources.retain(|s| admitted.contains(s));
            // A dispute from a source left out is not known to the run.
            row.disputed_by.retain(|s| admitted.contains(s));
            row.grade.undisputed = row.disputed_by.is_empty();
            !row.sources.is_empty()
        });
    }
    Ok(facts)
}
