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
    pub relations: Vec<Relation>,
}

/// A relation's tuples, sorted by values and then grade, stored flat: the
/// values of tuple `i` are `values[i * arity..(i + 1) * arity]`. One
/// allocation per relation rather than per tuple, so searching millions of
/// tuples reads adjacent memory instead of chasing a pointer per probe.
#[derive(Clone, Debug, Default)]
pub struct Relation {
    arity: usize,
    values: Vec<Value>,
    grades: Vec<Grade>,
}

impl Relation {
    /// The relation of these tuples, sorted; `arity` is the number of
    /// columns every tuple has.
    pub fn new(arity: usize, mut tuples: Vec<Tuple>) -> Relation {
        tuples.sort_unstable();
        let mut relation = Relation {
            arity,
            values: Vec::with_capacity(arity * tuples.len()),
            grades: Vec::with_capacity(tuples.len()),
        };
        for tuple in tuples {
            debug_assert_eq!(tuple.values.len(), arity);
            relation.values.extend_from_slice(&tuple.values);
            relation.grades.push(tuple.grade);
        }
        relation
    }

    /// How many tuples it has.
    pub fn len(&self) -> usize {
        self.grades.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.grades.is_empty()
    }

    /// The values of tuple `i`.
    pub fn values(&self, i: usize) -> &[Value] {
        &self.values[i * self.arity..(i + 1) * self.arity]
    }

    /// The grade of tuple `i`.
    pub fn grade(&self, i: usize) -> Grade {
        self.grades[i]
    }

    /// Tuple `i`, copied out.
    pub fn tuple(&self, i: usize) -> Tuple {
        Tuple {
            values: self.values(i).into(),
            grade: self.grades[i],
        }
    }

    /// The first tuple for which `before` is false, where it is true of a
    /// leading run and false of the rest (a binary search, as
    /// [`slice::partition_point`]).
    pub fn partition_point(
        &self,
        range: std::ops::Range<usize>,
        before: impl Fn(&[Value]) -> bool,
    ) -> usize {
        let (mut low, mut high) = (range.start, range.end);
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.values(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
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
        best.into_iter().map(|i| tuples.tuple(i)).collect()
    }
}

fn key_of<'a>(values: &'a [Value], key: &'a [usize]) -> impl Iterator<Item = Value> + 'a {
    key.iter().filter_map(|&i| values.get(i).copied())
}
