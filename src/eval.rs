//! Evaluation: feeds the facts to the crepe program compiled from
//! `rules/*.dl` and collects every derived relation.
//!
//! The only module that names crepe-generated types; everything else sees
//! [`Model`] and [`Tuple`].

use crate::error::Result;
use crate::explain::RowRef;
use crate::facts::{Date, Facts, Grade, Row, Symbol, Table, Value};
use crate::merge::{merge, Merged};
use crate::model::{Instances, Model, Relation, Tuple};
use crate::provenance::{Derivations, InputRows};
use crate::rules::rules;
use crate::schema;

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// What a run is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Leave out rows that begin after this date, and judge what is current
    /// against it; `None` means the latest date in the facts.
    pub as_of: Option<Date>,
    /// How many days before as-of an activity may have ended and still make
    /// an entity current.
    pub recent_days: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            recent_days: 365,
        }
    }
}

/// What evaluation is given: the run's dates, the symbol of each of the
/// rules' quoted constants, and every input relation's tuples.
#[derive(Clone, Debug)]
pub struct Given {
    /// The as-of date: `--as-of`, or the latest date in the facts.
    pub as_of: Date,
    /// The first day of the recent window.
    pub recent_since: Date,
    /// The symbol each quoted constant stands for.
    pub constants: Vec<Symbol>,
    /// Per relation of the rules, in declaration order: an input's tuples
    /// (the rows [`rows_in_run`] lets in); nothing for a derived relation.
    pub inputs: Vec<Vec<Tuple>>,
}

/// What evaluation of `rules` over the facts is given.
pub fn given(facts: &Facts, rules: &crate::dl::program::Checked, options: &Options) -> Given {
    let as_of = options.as_of.unwrap_or_else(|| facts.latest_date());
    let recent_since = if as_of.is_known() {
        let days = i32::try_from(options.recent_days).unwrap_or(i32::MAX);
        Date::from_day(as_of.last_day().saturating_sub(days))
    } else {
        Date::UNKNOWN
    };
    // A constant no fact uses gets a symbol no fact has, so it matches
    // nothing.
    let constants: Vec<Symbol> = rules
        .constants
        .iter()
        .enumerate()
        .map(|(k, text)| {
            facts
                .names
                .lookup(text)
                .unwrap_or(Symbol(u32::MAX - k as u32))
        })
        .collect();
    let inputs: Vec<Vec<Tuple>> = rules
        .relations
        .iter()
        .map(|relation| {
            if relation.kind != crate::dl::syntax::DeclKind::Input {
                Vec::new()
            } else if relation.name == schema::PARAMS_RELATION {
                vec![Tuple {
                    values: Box::new([Value::Date(as_of), Value::Date(recent_since)]),
                    grade: Grade::CERTAIN,
                }]
            } else {
                input_tuples(facts, &relation.name, as_of)
            }
        })
        .collect();
    Given {
        as_of,
        recent_since,
        constants,
        inputs,
    }
}

/// Runs the compiled rules over the facts.
pub fn run(facts: &Facts, options: &Options) -> Result<Model> {
    let rules = rules()?;
    let Given {
        as_of,
        recent_since,
        constants,
        inputs,
    } = given(facts, rules, options);
    // crepe returns hash sets; sorted relations make every later step
    // (printing, choosing among equally good proofs) deterministic.
    let (derived, fired) = evaluate(&constants, &inputs);
    let mut relations: Vec<Relation> = derived
        .into_iter()
        .zip(inputs)
        .zip(&rules.relations)
        .map(|((derived, input), declared)| {
            if declared.kind == crate::dl::syntax::DeclKind::Input {
                Relation::new(declared.columns.len(), input)
            } else {
                derived
            }
        })
        .collect();
    // Merged relations read only what evaluation derived.
    let merged: Vec<Option<(usize, Merged)>> = rules
        .relations
        .iter()
        .enumerate()
        .map(|(i, declared)| {
            let how = declared.merges?;
            let mut merged = merge(&relations[how.source], &relations[how.within]);
            relations[i] = std::mem::take(&mut merged.relation);
            Some((how.source, merged))
        })
        .collect();
    let rows = input_rows(facts, rules, &relations, as_of);
    let derivations = Derivations::new(rules, &relations, &constants, fired, rows, merged);
    Ok(Model {
        as_of,
        recent_since,
        constants,
        relations,
        derivations,
    })
}

/// One job of collecting what crepe derived: a relation or a rule's
/// instances, made sorted and flat ([`Relation::collect`],
/// [`Instances::collect`]). The generated `evaluate` makes one per
/// relation and rule.
struct Collect {
    /// How many tuples it holds, so that the largest start first.
    size: usize,
    job: Box<dyn FnOnce() -> Collected + Send>,
}

/// What a [`Collect`] job made, and where it goes.
enum Collected {
    Relation(usize, Relation),
    Instances(usize, Instances),
}

impl Collect {
    /// Collecting relation `index`, of `size` tuples.
    fn relation(
        index: usize,
        size: usize,
        job: impl FnOnce() -> Relation + Send + 'static,
    ) -> Self {
        Collect {
            size,
            job: Box::new(move || Collected::Relation(index, job())),
        }
    }

    /// Collecting rule `index`'s `size` instances.
    fn instances(
        index: usize,
        size: usize,
        job: impl FnOnce() -> Instances + Send + 'static,
    ) -> Self {
        Collect {
            size,
            job: Box::new(move || Collected::Instances(index, job())),
        }
    }

    /// Runs the jobs on every core, largest first (in a FIFO, so a thread
    /// that is done takes the largest left), and puts each relation and
    /// instance set at its index among `relations` and `rules`.
    fn run(
        mut jobs: Vec<Collect>,
        relations: usize,
        rules: usize,
    ) -> (Vec<Relation>, Vec<Instances>) {
        jobs.sort_by_key(|job| std::cmp::Reverse(job.size));
        let done = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
        rayon::scope_fifo(|scope| {
            for Collect { job, .. } in jobs {
                let done = &done;
                scope.spawn_fifo(move |_| {
                    let collected = job();
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(collected);
                });
            }
        });
        let mut derived = vec![Relation::default(); relations];
        let mut fired = vec![Instances::default(); rules];
        for collected in done
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            match collected {
                Collected::Relation(i, relation) => derived[i] = relation,
                Collected::Instances(k, instances) => fired[k] = instances,
            }
        }
        (derived, fired)
    }
}

/// The fact rows behind each input tuple: those [`rows_in_run`] lets in.
fn input_rows(
    facts: &Facts,
    rules: &crate::dl::program::Checked,
    relations: &[Relation],
    as_of: Date,
) -> Vec<InputRows> {
    rules
        .relations
        .iter()
        .zip(relations)
        .map(|(declared, tuples)| {
            if declared.kind != crate::dl::syntax::DeclKind::Input {
                return InputRows::default();
            }
            let Some(table_index) = facts
                .tables
                .iter()
                .position(|t| t.file.name == declared.name)
            else {
                return InputRows::default();
            };
            let rows = rows_in_run(facts, &facts.tables[table_index], as_of)
                .filter_map(|(row_index, row)| {
                    let at = tuples.find(&row.values, row.grade)?;
                    Some((
                        at as u32,
                        RowRef {
                            table: table_index,
                            row: row_index,
                        },
                    ))
                })
                .collect();
            InputRows::new(tuples.len(), rows)
        })
        .collect()
}

/// The rows of a fact file as tuples, without those that begin after
/// `as_of`.
fn input_tuples(facts: &Facts, relation: &str, as_of: Date) -> Vec<Tuple> {
    let Some(table) = facts.table(relation) else {
        return Vec::new();
    };
    rows_in_run(facts, table, as_of)
        .map(|(_, row)| Tuple {
            values: row.values.clone().into_boxed_slice(),
            grade: row.grade,
        })
        .collect()
}

/// The rows of a table that enter a run as of `as_of`, with their indices:
/// all but those that begin after it, and those with no start that are not
/// known to hold by then: a row with no start (and no end by as-of) is not
/// known to hold before the earliest date of its sources, since an article
/// of 2022 tells nothing of 2015. Evaluation feeds exactly these to the
/// rules, and explanations cite only these.
pub fn rows_in_run<'t>(
    facts: &'t Facts,
    table: &'t Table,
    as_of: Date,
) -> impl Iterator<Item = (usize, &'t Row)> + 't {
    let position = |name: &str| table.file.rule_columns().position(|c| c.name == name);
    let begins = table.file.begins.and_then(position);
    let ends = position("end");
    let date_at = |row: &Row, at: Option<usize>| match at.and_then(|i| row.values.get(i)) {
        Some(Value::Date(date)) => *date,
        _ => Date::UNKNOWN,
    };
    let published: rustc_hash::FxHashMap<Symbol, Date> = facts
        .sources()
        .iter()
        .filter(|source| source.date.is_known())
        .map(|source| (source.id, source.date))
        .collect();
    table.rows.iter().enumerate().filter(move |(_, row)| {
        let start = date_at(row, begins);
        if start.is_known() {
            return !begins_after(start, as_of);
        }
        let end = date_at(row, ends);
        if end.is_known() && as_of.is_known() && end.last_day() <= as_of.last_day() {
            return true; // its end places it before as-of
        }
        let reported = row
            .sources
            .iter()
            .filter_map(|id| published.get(id))
            .min_by_key(|date| date.first_day());
        !reported.is_some_and(|reported| begins_after(*reported, as_of))
    })
}

/// Whether a row starting at `start` begins after `as_of`.
fn begins_after(start: Date, as_of: Date) -> bool {
    start.is_known() && as_of.is_known() && start.first_day() > as_of.last_day()
}

/// The programs of `tests/ui/pass/`, which the build script generated and
/// rustc compiled here, each in its own module: a rule file the checker
/// accepts must compile, and run.
#[cfg(test)]
mod ui_pass {
    use super::*;

    include!(concat!(env!("OUT_DIR"), "/ui_pass.rs"));

    fn day(text: &str) -> Value {
        Value::Date(Date::parse(text).unwrap())
    }

    /// The rows of one derived relation, as symbols' numbers.
    fn rows(relation: &Relation) -> Vec<Vec<u32>> {
        (0..relation.len())
            .map(|i| {
                relation
                    .values(i)
                    .iter()
                    .filter_map(|v| match v {
                        Value::Name(s) => Some(s.0),
                        Value::Date(_) => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_lineage_program_compiles_and_derives() {
        let (a, b, c) = (Symbol(1), Symbol(2), Symbol(3));
        let (rebrand, merger) = (Symbol(10), Symbol(11));
        let tuple = |values: Vec<Value>| Tuple {
            values: values.into_boxed_slice(),
            grade: Grade::CERTAIN,
        };
        let mergers = vec![
            tuple(vec![
                Value::Name(a),
                Value::Name(b),
                Value::Name(rebrand),
                day("2020-03"),
            ]),
            tuple(vec![
                Value::Name(b),
                Value::Name(c),
                Value::Name(merger),
                day("2023"),
            ]),
        ];
        let run = vec![tuple(vec![day("2024-01-01"), day("2019-01-01")])];
        let inputs = vec![mergers, run, vec![], vec![], vec![], vec![]];
        let (derived, instances) = lineage::run(&[rebrand], &inputs);
        // Declaration order: mergers, run, descends_from, superseded,
        // last_of_line, renamed_before.
        assert_eq!(rows(&derived[2]), [[2, 1], [3, 1], [3, 2]]);
        assert_eq!(rows(&derived[3]), [[1], [2]]);
        assert_eq!(rows(&derived[4]), [[3]]);
        assert_eq!(rows(&derived[5]), [[2, 1]]);
        // One instance relation per rule, each holding what it fired.
        assert_eq!(instances.len(), 5);
        assert!(instances.iter().all(|fired| !fired.is_empty()));
    }
}
