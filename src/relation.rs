//! Stored tuples: a relation sorted and flat ([`Relation`]), and a rule's
//! recorded instances ([`Instances`]). Below both the model and its
//! provenance, which read them.

use crate::facts::{Date, Grade, Symbol, Value};

/// One tuple of a relation: its values, in column order, and its grade.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tuple {
    /// The values, one per column.
    pub values: Box<[Value]>,
    /// The grade of this derivation (or fact row).
    pub grade: Grade,
}

impl Tuple {
    /// The name in `column`; the empty name where there is none.
    pub fn symbol(&self, column: usize) -> Symbol {
        match self.values.get(column) {
            Some(Value::Name(symbol)) => *symbol,
            _ => Symbol::EMPTY,
        }
    }

    /// The date in `column`; the unknown date where there is none.
    pub fn date(&self, column: usize) -> Date {
        match self.values.get(column) {
            Some(Value::Date(date)) => *date,
            _ => Date::UNKNOWN,
        }
    }
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
    /// For a large relation whose first column is a name: where the tuples
    /// whose first value is the name numbered `n` start, for every `n` up
    /// to the largest, and one past the end. A search for a tuple then
    /// starts among one name's tuples, a few cache lines, instead of
    /// probing across the whole relation. Empty otherwise.
    starts: Vec<u32>,
}

impl Relation {
    /// The relation of these tuples, sorted; `arity` is the number of
    /// columns every tuple has.
    pub fn new(arity: usize, mut tuples: Vec<Tuple>) -> Relation {
        tuples.sort_unstable();
        tuples.dedup();
        let mut relation = Relation {
            arity,
            values: Vec::with_capacity(arity * tuples.len()),
            grades: Vec::with_capacity(tuples.len()),
            starts: Vec::new(),
        };
        for tuple in tuples {
            debug_assert_eq!(tuple.values.len(), arity);
            relation.values.extend_from_slice(&tuple.values);
            relation.grades.push(tuple.grade);
        }
        relation.index_first_names();
        relation
    }

    /// Fills [`Relation::starts`] when the relation is large enough for it
    /// to pay and its first column holds names.
    fn index_first_names(&mut self) {
        const LARGE: usize = 4096;
        let first = |i: usize| match self.values.get(i * self.arity) {
            Some(Value::Name(symbol)) => Some(symbol.0 as usize),
            _ => None,
        };
        // Names sort before dates, so when the last tuple's first value is a
        // name, every tuple's is.
        if self.len() < LARGE {
            return;
        }
        let Some(largest) = first(self.len() - 1) else {
            return;
        };
        let mut starts = Vec::with_capacity(largest + 2);
        for i in 0..self.len() {
            let name = first(i).unwrap_or(0);
            while starts.len() <= name {
                starts.push(i as u32);
            }
        }
        starts.push(self.len() as u32);
        self.starts = starts;
    }

    /// The relation of the tuples crepe derived, sorted and flat, without
    /// a heap allocation per tuple.
    pub fn collect<const A: usize>(tuples: impl Iterator<Item = ([Value; A], Grade)>) -> Relation {
        let mut all: Vec<([Value; A], Grade)> = tuples.collect();
        all.sort_unstable();
        all.dedup();
        let mut relation = Relation {
            arity: A,
            values: Vec::with_capacity(A * all.len()),
            grades: Vec::with_capacity(all.len()),
            starts: Vec::new(),
        };
        for (values, grade) in all {
            relation.values.extend_from_slice(&values);
            relation.grades.push(grade);
        }
        relation.index_first_names();
        relation
    }

    /// The number of columns.
    pub fn arity(&self) -> usize {
        self.arity
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

    /// The position of the tuple with these values at this grade.
    pub fn find(&self, values: &[Value], grade: Grade) -> Option<usize> {
        let (mut low, mut high) = if self.starts.is_empty() {
            (0, self.len())
        } else {
            let Some(Value::Name(name)) = values.first() else {
                return None;
            };
            let name = name.0 as usize;
            match (self.starts.get(name), self.starts.get(name + 1)) {
                (Some(&low), Some(&high)) => (low as usize, high as usize),
                _ => return None,
            }
        };
        while low < high {
            let middle = low + (high - low) / 2;
            match self
                .values(middle)
                .cmp(values)
                .then(self.grades[middle].cmp(&grade))
            {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// The positions of the tuples with these values, one per grade.
    pub fn variants(&self, values: &[Value]) -> std::ops::Range<usize> {
        let start = self.partition_point(0..self.len(), |v| v < values);
        let end = self.partition_point(start..self.len(), |v| v == values);
        start..end
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

/// The instances evaluation recorded of one rule
/// ([`crate::dl::instance`]): for each, the captured values and the grades
/// of its premises followed by the grade it gave its conclusion, stored
/// flat and sorted (by values, then strongest premises first), so the
/// record is the same whatever order crepe derived it in.
#[derive(Clone, Debug, Default)]
pub struct Instances {
    width: usize,
    grade_width: usize,
    values: Vec<Value>,
    grades: Vec<Grade>,
}

impl Instances {
    /// The instances crepe returned, sorted.
    pub fn collect<const V: usize, const G: usize>(
        instances: impl Iterator<Item = ([Value; V], [Grade; G])>,
    ) -> Instances {
        let mut all: Vec<([Value; V], [Grade; G])> = instances.collect();
        // Of instances that bind the same values, the one with the
        // strongest premises first: shown when both are equally short.
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut values = Vec::with_capacity(all.len() * V);
        let mut grades = Vec::with_capacity(all.len() * G);
        for (v, g) in all {
            values.extend_from_slice(&v);
            grades.extend_from_slice(&g);
        }
        Instances {
            width: V,
            grade_width: G,
            values,
            grades,
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.grades.len().checked_div(self.grade_width).unwrap_or(0)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The captured values of instance `j`.
    pub fn values(&self, j: usize) -> &[Value] {
        &self.values[j * self.width..(j + 1) * self.width]
    }

    /// The grades of instance `j`'s premises, in body order.
    pub fn premise_grades(&self, j: usize) -> &[Grade] {
        &self.grades[j * self.grade_width..(j + 1) * self.grade_width - 1]
    }

    /// The grade instance `j` gave its conclusion.
    pub fn grade(&self, j: usize) -> Grade {
        self.grades[(j + 1) * self.grade_width - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Date, Symbol};

    /// A relation large enough to be indexed by its first name finds
    /// every tuple it holds, at its grade, and nothing else: not another
    /// grade, not a name past the largest, not a date where names are.
    #[test]
    fn find_by_first_name_finds_exactly_what_a_search_of_all_finds() {
        let tuple = |a: u32, b: u32| Tuple {
            values: Box::new([Value::Name(Symbol(a)), Value::Name(Symbol(b))]),
            grade: Grade::CERTAIN,
        };
        // Names 0, 3, 6, ...: gaps between them, 100 tuples each.
        let tuples: Vec<Tuple> = (0..60)
            .flat_map(|a| (0..100).map(move |b| tuple(a * 3, b)))
            .collect();
        let relation = Relation::new(2, tuples.clone());
        assert!(
            !relation.starts.is_empty(),
            "a relation of 6,000 is indexed"
        );
        for (i, t) in tuples.iter().enumerate() {
            assert_eq!(relation.find(&t.values, t.grade), Some(i));
            let weaker = crate::facts::Grade {
                confidence: crate::facts::Confidence::Doubtful,
                ..t.grade
            };
            assert_eq!(relation.find(&t.values, weaker), None);
        }
        for missing in [tuple(1, 0), tuple(176, 5), tuple(178, 0), tuple(3, 100)] {
            assert_eq!(relation.find(&missing.values, missing.grade), None);
        }
        let date = [Value::Date(Date::UNKNOWN), Value::Name(Symbol(0))];
        assert_eq!(relation.find(&date, Grade::CERTAIN), None);
    }
}
