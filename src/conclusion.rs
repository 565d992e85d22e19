//! Conclusions as printable tables, and finding the conclusions a user
//! names on the command line.
//!
//! Every printed row carries its confidence, its Admiralty grade, the sources its shown proof
//! rests on, and, when every derivation rests on a contested row, the
//! sources that dispute it.

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::rc::Rc;

use crate::dl::program::Checked;
use crate::dl::syntax::DeclKind;
use crate::dl::types::Type;
use crate::error::{Error, Result};
use crate::explain::{provenance_of_rows, Explainer, Proof, RowRef};
use crate::facts::{Date, Facts, Reliability, Symbol, Value};
use crate::model::{Model, Tuple};
mod table;

pub use table::{Cell, ConclusionTable};

/// The columns every conclusion has after its relation's own.
pub const EXTRA_COLUMNS: [&str; 4] = ["confidence", "grade", "contested", "sources"];

/// The cell for one value.
pub fn cell(facts: &Facts, value: Value) -> Cell {
    match value {
        Value::Name(symbol) => Cell::Text(facts.names.resolve(symbol).to_string()),
        Value::Date(date) => Cell::Date(date.is_known().then(|| date.to_string())),
    }
}

fn ids(facts: &Facts, symbols: &[Symbol]) -> Vec<String> {
    symbols
        .iter()
        .map(|s| facts.names.resolve(*s).to_string())
        .collect()
}

/// The printed conclusions of each relation, in the order given.
///
/// Each row's sources come from the fact rows under its shown derivation,
/// as evaluation recorded it; no proof is searched for. Rows are read on
/// every core, in blocks put back in order.
pub fn tables(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
) -> Vec<ConclusionTable> {
    proved_tables(facts, rules, model, relations, false, &|_| true).0
}

/// [`tables`], keeping only the conclusions `keep` accepts.
pub fn tables_where(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
    keep: &(dyn Fn(&Tuple) -> bool + Sync),
) -> Vec<ConclusionTable> {
    proved_tables(facts, rules, model, relations, false, keep).0
}

/// The fact rows each printed conclusion's shown proof rests on: for each
/// table, for each of its rows.
pub type ProofRows = Vec<Vec<Vec<RowRef>>>;

/// [`tables`], with the fact rows each conclusion's shown proof rests on
/// (the rows its `sources` come from), as `diff` needs them.
pub fn tables_with_rows(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
) -> (Vec<ConclusionTable>, ProofRows) {
    proved_tables(facts, rules, model, relations, true, &|_| true)
}

fn proved_tables(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
    keep_rows: bool,
    keep: &(dyn Fn(&Tuple) -> bool + Sync),
) -> (Vec<ConclusionTable>, ProofRows) {
    relations
        .iter()
        .filter(|&&index| rules.relations.get(index).is_some())
        .map(|&index| {
            let tuples = &model.relations[index];
            let mut chosen = model.conclusion_positions(rules, index);
            chosen.retain(|&i| keep(&tuples.tuple(i)));
            let (rows, refs) = proved_rows(facts, model, index, &chosen, keep_rows);
            let table = empty_table(rules, index);
            (ConclusionTable { rows, ..table }, refs)
        })
        .unzip()
}

/// The printed conclusions of `relation`, as [`tables`] makes them, handed
/// to `each` `rows` at a time in print order, so that a caller writing
/// them out never holds them all. `each` gets at least one block (with no
/// rows, for a relation with no conclusions), and its first error ends it.
pub fn in_blocks(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relation: usize,
    rows: usize,
    each: &mut dyn FnMut(&ConclusionTable) -> Result<()>,
) -> Result<()> {
    let mut table = empty_table(rules, relation);
    let chosen = model.conclusion_positions(rules, relation);
    if chosen.is_empty() {
        return each(&table);
    }
    for block in chosen.chunks(rows.max(1)) {
        table.rows = proved_rows(facts, model, relation, block, false).0;
        each(&table)?;
    }
    Ok(())
}

/// A relation's table with its columns and no rows.
fn empty_table(rules: &Checked, index: usize) -> ConclusionTable {
    let relation = &rules.relations[index];
    let mut columns: Vec<String> = relation.columns.iter().map(|(n, _)| n.clone()).collect();
    columns.extend(EXTRA_COLUMNS.map(String::from));
    ConclusionTable {
        name: relation.name.clone(),
        columns,
        rows: Vec::new(),
    }
}

/// The printed rows of the tuples of relation `index` at positions
/// `chosen`, read on every core in blocks put back in order; with
/// `keep_rows`, also the fact rows each rests on.
fn proved_rows(
    facts: &Facts,
    model: &Model,
    index: usize,
    chosen: &[usize],
    keep_rows: bool,
) -> (Vec<Vec<Cell>>, Vec<Vec<RowRef>>) {
    let tuples = &model.relations[index];
    let (rows, refs): (Vec<Vec<Cell>>, Vec<Vec<RowRef>>) = chosen
        .par_chunks(BLOCK)
        .map_init(FxHashSet::default, |seen, block| {
            block
                .iter()
                .map(|&i| {
                    let rows = model.derivations.rows((index, i), seen);
                    let cells = row(facts, &tuples.tuple(i), &rows);
                    (cells, if keep_rows { rows } else { Vec::new() })
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .unzip();
    (rows, if keep_rows { refs } else { Vec::new() })
}

/// How many rows a thread reads at a time.
const BLOCK: usize = 1024;

fn row(facts: &Facts, tuple: &Tuple, rows: &[RowRef]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = tuple.values.iter().map(|&v| cell(facts, v)).collect();
    cells.push(Cell::Text(tuple.grade.confidence.word().to_string()));
    let provenance = provenance_of_rows(facts, rows, tuple.grade.is_contested());
    cells.push(Cell::Text(admiralty(facts, &provenance.sources, tuple)));
    cells.push(Cell::List(ids(facts, &provenance.disputed_by)));
    cells.push(Cell::List(ids(facts, &provenance.sources)));
    cells
}

/// The Admiralty grade of a conclusion, such as `F3`: the weakest
/// reliability among `sources` (those of its shown proof; F, cannot be
/// judged, when there are none) and the credibility digit of its own
/// confidence. The two stay apart: reliability never changes confidence.
pub fn admiralty(facts: &Facts, sources: &[Symbol], tuple: &Tuple) -> String {
    let reliability = sources
        .iter()
        .filter_map(|&id| facts.source(id))
        .map(|s| s.reliability)
        .max()
        .unwrap_or(Reliability::F);
    format!(
        "{}{}",
        reliability.letter(),
        tuple.grade.confidence.admiralty_digit()
    )
}

/// The printed conclusions of `relation` whose leading columns equal
/// `values` (names matched through aliases, dates as written), each with
/// its proof. An unknown relation, a value that fits no conclusion, or no
/// match at all is an error that says what does hold nearby.
pub fn explain(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relation: &str,
    values: &[String],
) -> Result<Vec<Rc<Proof>>> {
    let (index, wanted) = asked(facts, rules, relation, values)?;
    let Some(wanted) = wanted else {
        return Err(Error::Request(format!(
            "no conclusion {relation}({}) holds: {}",
            values.join(", "),
            unknown_name(facts, values)
        )));
    };
    let conclusions = model.conclusions(rules, index);
    let matches = |t: &&Tuple| t.values.iter().zip(&wanted).all(|(a, b)| a == b);
    // A pair (a, b) is printed with a < b; a name is found in either column.
    let pair = is_pair(rules, index);
    let swapped = |t: &&Tuple| {
        let mut values = t.values.to_vec();
        values.swap(0, 1);
        match wanted.len() {
            1 => values[0] == wanted[0],
            _ => values.iter().zip(&wanted).all(|(a, b)| a == b),
        }
    };
    let matching: Vec<&Tuple> = conclusions
        .iter()
        .filter(|t| matches(t) || (pair && !wanted.is_empty() && swapped(t)))
        .collect();
    if matching.is_empty() {
        return Err(Error::Request(no_match(
            facts,
            relation,
            values,
            &wanted,
            &conclusions,
        )));
    }
    let explainer = Explainer::new(facts, rules, model);
    let mut search = explainer.search();
    matching
        .into_iter()
        .map(|tuple| {
            search.prove(index, tuple).ok_or_else(|| {
                Error::Request(format!("no proof found for a conclusion of {relation}"))
            })
        })
        .collect()
}

/// Whether the relation's first two columns are a pair of entities `a`
/// and `b`, printed with a < b (co_located, possibly_same, suspected_link).
fn is_pair(rules: &Checked, index: usize) -> bool {
    let columns = &rules.relations[index].columns;
    columns.len() >= 2
        && columns[0] == ("a".to_string(), Type::Entity)
        && columns[1] == ("b".to_string(), Type::Entity)
}

/// Why no conclusion of `relation` with these leading values holds: what
/// each rule that could derive it lacks, or what blocks it, with proofs of
/// the blocking tuples. An error when such a conclusion does hold.
pub fn why_not(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relation: &str,
    values: &[String],
) -> Result<WhyNot> {
    let (index, wanted) = asked(facts, rules, relation, values)?;
    // A pair is a < b whichever order it was asked in.
    let wanted = wanted.map(|mut wanted| {
        if is_pair(rules, index) && wanted.len() >= 2 && wanted[1] < wanted[0] {
            wanted.swap(0, 1);
        }
        wanted
    });
    let Some(wanted) = wanted else {
        return Err(Error::Request(format!(
            "{relation}({}) cannot hold: {}",
            values.join(", "),
            unknown_name(facts, values)
        )));
    };
    let holds = model
        .conclusions(rules, index)
        .iter()
        .any(|t| t.values.iter().zip(&wanted).all(|(a, b)| a == b));
    if holds {
        return Err(Error::Request(format!(
            "{relation}({}) holds; explain it without --why-not",
            values.join(", ")
        )));
    }
    let mut values: Vec<Option<Value>> = wanted.into_iter().map(Some).collect();
    values.resize(rules.relations[index].columns.len(), None);
    // A merged relation holds a row wherever its source holds one, over
    // some period: ask the source, dates aside (the source has the merged
    // relation's columns, the last two the period).
    let mut asked_of = index;
    let mut source_values = values.clone();
    if let Some(merge) = rules.relations[index].merges {
        let dated = values.len().saturating_sub(2);
        source_values[dated..].fill(None);
        let agrees = |tuple: &[Value], upto: usize| {
            tuple
                .iter()
                .zip(&values[..upto])
                .all(|(v, wanted)| wanted.is_none_or(|w| w == *v))
        };
        let source = &model.relations[merge.source];
        if (0..source.len()).any(|i| agrees(source.values(i), dated)) {
            // The merge left them out: show what it printed for the key.
            let key = dated.saturating_sub(1);
            let printed = model
                .conclusions(rules, index)
                .into_iter()
                .filter(|t| agrees(&t.values, key))
                .collect();
            return Ok(WhyNot {
                relation: index,
                values,
                refusals: Vec::new(),
                merged: Some(printed),
            });
        }
        asked_of = merge.source;
    }
    let explainer = Explainer::new(facts, rules, model);
    let refusals = explainer.search().why_not(asked_of, &source_values);
    Ok(WhyNot {
        relation: index,
        values,
        refusals,
        merged: None,
    })
}

/// Why a conclusion does not hold, rule by rule.
#[derive(Clone, Debug)]
pub struct WhyNot {
    /// The relation asked about.
    pub relation: usize,
    /// The values asked for, `None` where any value would do.
    pub values: Vec<Option<Value>>,
    /// What stops each rule that could derive it.
    pub refusals: Vec<crate::explain::RuleRefusal>,
    /// For a merged relation whose source holds for the values asked: the
    /// merge left them out, and these are the rows it printed for the
    /// same key (for `co_located`, the pair).
    pub merged: Option<Vec<Tuple>>,
}

/// The relation asked for and the values given, parsed; the values are
/// `None` when a name is not in the facts at all.
fn asked(
    facts: &Facts,
    rules: &Checked,
    relation: &str,
    values: &[String],
) -> Result<(usize, Option<Vec<Value>>)> {
    let outputs: Vec<&str> = rules
        .relations
        .iter()
        .filter(|r| r.kind != DeclKind::Input)
        .map(|r| r.name.as_str())
        .collect();
    let index = rules
        .relation(relation)
        .filter(|&i| rules.relations[i].kind != DeclKind::Input)
        .ok_or_else(|| {
            let hint = crate::suggest::nearest(relation, outputs.iter().copied())
                .map(|n| format!("did you mean {n:?}? "))
                .unwrap_or_default();
            Error::Usage(format!(
                "{relation:?} is not a derived relation; {hint}relations are {}",
                outputs.join(", ")
            ))
        })?;
    let declared = &rules.relations[index];
    if values.len() > declared.columns.len() {
        return Err(Error::Usage(format!(
            "{relation} has {} columns ({}) but {} values were given",
            declared.columns.len(),
            column_list(rules, index),
            values.len()
        )));
    }
    let mut wanted = Vec::new();
    for (text, (column, ty)) in values.iter().zip(&declared.columns) {
        let value = if *ty == Type::Date {
            Date::parse(text)
                .map(Value::Date)
                .map_err(|e| Error::Request(format!("{column}: {text:?} {e}")))?
        } else {
            match facts.names.lookup(text) {
                Some(symbol) => Value::Name(symbol),
                None => return Ok((index, None)),
            }
        };
        wanted.push(value);
    }
    Ok((index, Some(wanted)))
}

/// Which of the values is no name in the facts, in words.
fn unknown_name(facts: &Facts, values: &[String]) -> String {
    values
        .iter()
        .find(|text| facts.names.lookup(text).is_none() && Date::parse(text).is_err())
        .map(|text| format!("{text:?} is not a name in the facts"))
        .unwrap_or_default()
}

fn column_list(rules: &Checked, index: usize) -> String {
    rules.relations[index]
        .columns
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message for a conclusion that does not hold: the nearest that do,
/// those agreeing with the most of the given values.
fn no_match(
    facts: &Facts,
    relation: &str,
    texts: &[String],
    wanted: &[Value],
    conclusions: &[Tuple],
) -> String {
    let score = |t: &Tuple| t.values.iter().zip(wanted).filter(|(a, b)| a == b).count();
    let best = conclusions.iter().map(score).max().unwrap_or(0);
    let mut message = format!("no conclusion {relation}({}) holds", texts.join(", "));
    if best == 0 {
        return message;
    }
    let nearest: Vec<String> = conclusions
        .iter()
        .filter(|t| score(t) == best)
        .take(5)
        .map(|t| {
            let values: Vec<String> = t.values.iter().map(|v| cell(facts, *v).text()).collect();
            format!("  {relation}({})", values.join(", "))
        })
        .collect();
    message.push_str("; nearest that hold:\n");
    message.push_str(&nearest.join("\n"));
    message
}

/// The relation of ties the rules found between two entities, before
/// opposition is taken into account: `tie(a, b, via_a, via_b, reason)`.
const TIES: &str = "tie";

/// The relation of entities opposed at some time: `enemies(a, b)`.
const ENEMIES: &str = "enemies";

/// Evidence against a suspicion between `a` and `b`: a tie between them
/// that the rules did not count because the entities it runs through are
/// opponents, with the proof that they are.
#[derive(Clone, Debug)]
pub struct Contrary {
    /// The tie's reason, such as `members_co_located`.
    pub reason: Symbol,
    /// The entities it runs through.
    pub via: (Symbol, Symbol),
    /// Why they are opponents.
    pub proof: Rc<Proof>,
}

/// The contrary evidence the rules found for each of these conclusions
/// whose first two columns are a pair of entities (`suspected_link`,
/// `possibly_same`): ties between the same two that opposition blocked, in
/// both directions, sorted. Empty for other relations, and when the rules
/// have no ties. One search serves them all.
pub fn contrary(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    proofs: &[Rc<Proof>],
) -> Vec<Vec<Contrary>> {
    let (Some(ties), Some(enemies)) = (rules.relation(TIES), rules.relation(ENEMIES)) else {
        return vec![Vec::new(); proofs.len()];
    };
    let explainer = Explainer::new(facts, rules, model);
    let mut search = explainer.search();
    proofs
        .iter()
        .map(|proof| blocked_ties(rules, model, ties, enemies, &mut search, proof))
        .collect()
}

/// The ties between the pair a proof concludes that opposition blocked.
fn blocked_ties(
    rules: &Checked,
    model: &Model,
    ties: usize,
    enemies: usize,
    search: &mut crate::explain::Search,
    proof: &Proof,
) -> Vec<Contrary> {
    let inferred_pair =
        rules.relations[proof.relation()].inferred && is_pair(rules, proof.relation());
    let (Some(a), Some(b)) = (proof.tuple().values.first(), proof.tuple().values.get(1)) else {
        return Vec::new();
    };
    if !inferred_pair {
        return Vec::new();
    }
    // Ties are sorted by their pair: the run of each order is found by
    // binary search.
    let tuples = &model.relations[ties];
    let mut found: Vec<(Symbol, Symbol, Symbol)> = Vec::new();
    for pair in [[*a, *b], [*b, *a]] {
        let start = tuples.partition_point(0..tuples.len(), |v| v[..2] < pair[..]);
        let end = tuples.partition_point(start..tuples.len(), |v| v[..2] == pair[..]);
        for i in start..end {
            if let [_, _, Value::Name(via_a), Value::Name(via_b), Value::Name(why)] =
                tuples.values(i)[..]
            {
                found.push((why, via_a, via_b));
            }
        }
    }
    found.sort();
    found.dedup();
    found
        .into_iter()
        .filter_map(|(reason, x, y)| {
            let proof = search.strongest_proof(enemies, &[Value::Name(x), Value::Name(y)])?;
            Some(Contrary {
                reason,
                via: (x, y),
                proof,
            })
        })
        .collect()
}

/// The relation of pairs of names the facts suggest are one entity.
const POSSIBLY_SAME: &str = "possibly_same";

/// A note for each pair the rules find possibly the same entity, at the
/// first row of its proof: a possible alias for the analyst to confirm in
/// `aliases.csv` or leave apart.
pub fn possible_aliases(facts: &Facts, rules: &Checked, model: &Model) -> Vec<crate::Problem> {
    let Some(index) = rules.relation(POSSIBLY_SAME) else {
        return Vec::new();
    };
    let explainer = Explainer::new(facts, rules, model);
    let mut search = explainer.search();
    model
        .conclusions(rules, index)
        .iter()
        .filter_map(|tuple| {
            let proof = search.prove(index, tuple)?;
            let [Value::Name(a), Value::Name(b), Value::Name(reason)] = tuple.values[..] else {
                return None;
            };
            let first = proof.rows().into_iter().next()?;
            let row = facts.tables.get(first.table)?.rows.get(first.row)?;
            let names = &facts.names;
            Some(crate::Problem::note(
                &row.origin.file,
                Some(row.origin.line),
                None,
                format!(
                    "{:?} and {:?} are possibly the same ({}, {}); if they are, add an alias \
                     to aliases.csv; `silsila explain possibly_same {:?} {:?}` says why",
                    names.resolve(a),
                    names.resolve(b),
                    names.resolve(reason),
                    tuple.grade.confidence,
                    names.resolve(a),
                    names.resolve(b),
                ),
            ))
        })
        .collect()
}
