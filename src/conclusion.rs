//! Conclusions as printable tables, and finding the conclusions a user
//! names on the command line.
//!
//! Every printed row carries its confidence, the sources its shown proof
//! rests on, and, when every derivation rests on a contested row, the
//! sources that dispute it.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::dl::check::Checked;
use crate::dl::syntax::DeclKind;
use crate::error::{Error, Result};
use crate::explain::{provenance, Explainer, Proof, RowRef};
use crate::facts::{Date, Facts, Symbol, Value};
use crate::model::{Model, Tuple};
use crate::render::{Cell, Table};

/// The columns every conclusion has after its relation's own.
pub const EXTRA_COLUMNS: [&str; 3] = ["confidence", "contested", "sources"];

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
/// Proving every row for its sources is most of the work, so rows are
/// proved in blocks on every core: each thread takes the next block and
/// keeps its own memory of proofs, and the blocks are put back in order.
/// A row's proof does not depend on which thread found it, since each is
/// the first least-height proof in a fixed search order.
pub fn tables(facts: &Facts, rules: &Checked, model: &Model, relations: &[usize]) -> Vec<Table> {
    proved_tables(facts, rules, model, relations, false, &|_| true).0
}

/// [`tables`], keeping only the conclusions `keep` accepts.
pub fn tables_where(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
    keep: &(dyn Fn(&Tuple) -> bool + Sync),
) -> Vec<Table> {
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
) -> (Vec<Table>, ProofRows) {
    proved_tables(facts, rules, model, relations, true, &|_| true)
}

fn proved_tables(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    relations: &[usize],
    keep_rows: bool,
    keep: &(dyn Fn(&Tuple) -> bool + Sync),
) -> (Vec<Table>, ProofRows) {
    let explainer = Explainer::new(facts, rules, model);
    let chosen: Vec<(usize, Vec<Tuple>)> = relations
        .iter()
        .filter(|&&index| rules.relations.get(index).is_some())
        .map(|&index| {
            let mut tuples = model.conclusions(rules, index);
            tuples.retain(|t| keep(t));
            (index, tuples)
        })
        .collect();
    let blocks: Vec<(usize, &[Tuple])> = chosen
        .iter()
        .flat_map(|(index, tuples)| tuples.chunks(BLOCK).map(move |block| (*index, block)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(blocks.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let prove_blocks = || {
        let mut search = explainer.search();
        let mut done: Vec<(usize, Block)> = Vec::new();
        loop {
            let taken = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(index, block)) = blocks.get(taken) else {
                return done;
            };
            let rows = block
                .iter()
                .map(|tuple| {
                    let proof = search.prove(index, tuple);
                    let refs = match (&proof, keep_rows) {
                        (Some(p), true) => p.rows(),
                        _ => Vec::new(),
                    };
                    (row(facts, tuple, proof.as_deref()), refs)
                })
                .collect();
            done.push((taken, rows));
            search.forget_beyond(MEMORY);
        }
    };
    let mut proved: Vec<Block> = vec![Vec::new(); blocks.len()];
    let finished: Vec<Vec<(usize, Block)>> = if threads == 1 {
        vec![prove_blocks()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(prove_blocks)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    for (taken, rows) in finished.into_iter().flatten() {
        proved[taken] = rows;
    }
    let mut proved = proved.into_iter();
    chosen
        .iter()
        .map(|(index, tuples)| {
            let relation = &rules.relations[*index];
            let mut columns: Vec<String> =
                relation.columns.iter().map(|(n, _)| n.clone()).collect();
            columns.extend(EXTRA_COLUMNS.map(String::from));
            let (rows, refs): (Vec<Vec<Cell>>, Vec<Vec<RowRef>>) = proved
                .by_ref()
                .take(tuples.len().div_ceil(BLOCK))
                .flatten()
                .unzip();
            let table = Table {
                name: relation.name.clone(),
                columns,
                rows,
            };
            (table, if keep_rows { refs } else { Vec::new() })
        })
        .unzip()
}

/// A block of proved rows: each row's cells and its proof's fact rows.
type Block = Vec<(Vec<Cell>, Vec<RowRef>)>;

/// How many rows a thread proves at a time.
const BLOCK: usize = 256;

/// How many proofs and failures a thread remembers before it starts
/// afresh: enough to reuse the proofs of shared premises, few enough that
/// a million rows do not keep a million proofs alive.
const MEMORY: usize = 1 << 16;

fn row(facts: &Facts, tuple: &Tuple, proof: Option<&Proof>) -> Vec<Cell> {
    let mut cells: Vec<Cell> = tuple.values.iter().map(|&v| cell(facts, v)).collect();
    cells.push(Cell::Text(tuple.grade.confidence.word().to_string()));
    let provenance = proof.map(|p| provenance(facts, p)).unwrap_or_default();
    cells.push(Cell::List(ids(facts, &provenance.disputed_by)));
    cells.push(Cell::List(ids(facts, &provenance.sources)));
    cells
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
            let hint = crate::dl::check::nearest(relation, outputs.iter().copied())
                .map(|n| format!("did you mean {n:?}? "))
                .unwrap_or_default();
            Error::Request(format!(
                "{relation:?} is not a derived relation; {hint}relations are {}",
                outputs.join(", ")
            ))
        })?;
    let declared = &rules.relations[index];
    if values.len() > declared.columns.len() {
        return Err(Error::Request(format!(
            "{relation} has {} columns ({}) but {} values were given",
            declared.columns.len(),
            column_list(rules, index),
            values.len()
        )));
    }
    let mut wanted = Vec::new();
    for (text, (column, ty)) in values.iter().zip(&declared.columns) {
        let value = if ty == "date" {
            Date::parse(text)
                .map(Value::Date)
                .map_err(|e| Error::Request(format!("{column}: {text:?} {e}")))?
        } else {
            match facts.names.lookup(text) {
                Some(symbol) => Value::Name(symbol),
                None => {
                    return Err(Error::Request(format!(
                        "no conclusion {relation}({}) holds: {text:?} is not a name in the facts",
                        values.join(", ")
                    )))
                }
            }
        };
        wanted.push(value);
    }
    let conclusions = model.conclusions(rules, index);
    let mut matching: Vec<&Tuple> = conclusions
        .iter()
        .filter(|t| t.values.iter().zip(&wanted).all(|(a, b)| a == b))
        .collect();
    // A relation whose first columns are `a` and `b` (kept in name order,
    // a < b) is symmetric: the name may be in either.
    let symmetric =
        declared.columns.len() >= 2 && declared.columns[0].0 == "a" && declared.columns[1].0 == "b";
    if symmetric && wanted.len() == 1 {
        matching = conclusions
            .iter()
            .filter(|t| t.values[..2].contains(&wanted[0]))
            .collect();
    } else if matching.is_empty() && symmetric && wanted.len() >= 2 {
        let mut swapped = wanted.clone();
        swapped.swap(0, 1);
        matching = conclusions
            .iter()
            .filter(|t| t.values.iter().zip(&swapped).all(|(a, b)| a == b))
            .collect();
    }
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
