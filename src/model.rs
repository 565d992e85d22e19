//! The evaluated model: every relation's tuples with their grades, and the
//! conclusions printed from it.

use crate::dl::program::Checked;
use crate::facts::{Date, Symbol, Value};
pub use crate::relation::{Instances, Relation, Tuple};

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
    pub relations: Vec<Relation>,
    /// How evaluation derived each tuple (`crate::provenance`).
    pub derivations: crate::provenance::Derivations,
}

impl Model {
    /// The conclusions of a relation as printed: each once, at the
    /// strongest grade of its derivations; where the relation declares a
    /// key, one per key, the strongest and then the latest; sorted by value.
    pub fn conclusions(&self, rules: &Checked, relation: usize) -> Vec<Tuple> {
        let Some(tuples) = self.relations.get(relation) else {
            return Vec::new();
        };
        self.conclusion_positions(rules, relation)
            .into_iter()
            .map(|i| tuples.tuple(i))
            .collect()
    }

    /// The positions in their relation of [`Model::conclusions`].
    pub fn conclusion_positions(&self, rules: &Checked, relation: usize) -> Vec<usize> {
        let Some(tuples) = self.relations.get(relation) else {
            return Vec::new();
        };
        let key = rules
            .relations
            .get(relation)
            .map(|r| r.key.clone())
            .unwrap_or_default();
        let mut best: Vec<usize> = (0..tuples.len()).collect();
        // Strongest first, so the first of each key is the one kept.
        best.sort_by(|&a, &b| {
            key_of(tuples.values(a), &key)
                .cmp(key_of(tuples.values(b), &key))
                .then(tuples.grade(b).cmp(&tuples.grade(a)))
                .then(tuples.values(b).cmp(tuples.values(a)))
        });
        best.dedup_by(|later, kept| {
            key_of(tuples.values(*later), &key).eq(key_of(tuples.values(*kept), &key))
        });
        best.sort_by(|&a, &b| tuples.values(a).cmp(tuples.values(b)));
        best
    }
}

fn key_of<'a>(values: &'a [Value], key: &'a [usize]) -> impl Iterator<Item = Value> + 'a {
    key.iter().filter_map(|&i| values.get(i).copied())
}
