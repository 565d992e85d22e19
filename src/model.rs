//! The evaluated model: every relation's tuples with their grades, and the
//! conclusions printed from it.

use crate::dl::check::Checked;
use crate::facts::{Date, Grade, Symbol, Value};

/// One tuple of a relation: its values, in column order, and its grade.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tuple {
    /// The values, one per column.
    pub values: Box<[Value]>,
    /// The grade of this derivation (or fact row).
    pub grade: Grade,
}

/// The result of one evaluation.
#[derive(Clone, Debug)]
pub struct Model {
    /// The `--as-of` date the run used.
    pub as_of: Date,
    /// The first day of the recent window.
    pub recent_since: Date,
    /// The symbol each quoted constant of the rules stands for.
    pub constants: Vec<Symbol>,
    /// Every relation's tuples, indexed like [`Checked::relations`]: inputs
    /// hold the fact rows that entered the run, derived relations every
    /// grade at which each tuple was derived.
    pub relations: Vec<Vec<Tuple>>,
}

impl Model {
    /// The conclusions of a relation as printed: each once, at the
    /// strongest grade of its derivations; where the relation declares a
    /// key, one per key, the strongest and then the latest; sorted by value.
    pub fn conclusions(&self, rules: &Checked, relation: usize) -> Vec<Tuple> {
        let Some(tuples) = self.relations.get(relation) else {
            return Vec::new();
        };
        let key = rules
            .relations
            .get(relation)
            .map(|r| r.key.clone())
            .unwrap_or_default();
        let mut best: Vec<&Tuple> = tuples.iter().collect();
        // Strongest first, so the first of each key is the one kept.
        best.sort_by(|a, b| {
            key_of(a, &key)
                .cmp(key_of(b, &key))
                .then(b.grade.cmp(&a.grade))
                .then(b.values.cmp(&a.values))
        });
        best.dedup_by(|later, kept| key_of(later, &key).eq(key_of(kept, &key)));
        let mut out: Vec<Tuple> = best.into_iter().cloned().collect();
        out.sort_by(|a, b| a.values.cmp(&b.values));
        out
    }
}

fn key_of<'a>(tuple: &'a Tuple, key: &'a [usize]) -> impl Iterator<Item = Value> + 'a {
    key.iter().filter_map(|&i| tuple.values.get(i).copied())
}
