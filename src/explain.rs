//! Proof trees: why a conclusion holds, down to spreadsheet rows and the
//! sources behind them.
//!
//! A proof is found over the evaluated [`Model`], never by evaluating the
//! rules again: for a conclusion at its printed grade, the explainer matches
//! each rule that derives it against the model's tuples, keeping only
//! premises at least as strong as that grade, and recurses. It returns a
//! proof of least height, so a proof never contains its own conclusion (a
//! circular proof would contain a shorter one), and among proofs of least
//! height the first in rule order and sorted tuple order, so the choice is
//! deterministic. Rendering a proof is `render::proof`'s job.

use std::collections::HashMap;
use std::rc::Rc;

use crate::builtin::{self, Outcome};
use crate::dl::check::{Checked, Step};
use crate::dl::syntax::{CmpOp, DeclKind, Term};
use crate::eval::begins_after;
use crate::facts::{Facts, Grade, Symbol, Value};
use crate::model::{Model, Tuple};

/// A fact row: the index of its table in [`Facts::tables`] and of the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowRef {
    /// Index into [`Facts::tables`].
    pub table: usize,
    /// Index into that table's rows.
    pub row: usize,
}

/// A condition a rule checked that is not a premise: an absence or a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// No tuple of the relation has these values.
    Absent {
        /// The relation's index.
        relation: usize,
        /// The values looked for (`None` for `_`).
        values: Vec<Option<Value>>,
    },
    /// A built-in test held for these arguments.
    Test {
        /// The built-in's name.
        builtin: &'static str,
        /// Its arguments.
        args: Vec<Value>,
    },
}

/// Why a tuple holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proof {
    /// An input tuple: the fact rows that state it (none for the run's
    /// parameters, which come from the command line).
    Fact {
        /// The relation's index.
        relation: usize,
        /// The tuple, at the grade of the rows shown.
        tuple: Tuple,
        /// The rows stating it at that grade.
        rows: Vec<RowRef>,
    },
    /// A rule applied to proved premises.
    Rule {
        /// The rule's index in the program.
        rule: usize,
        /// The relation's index.
        relation: usize,
        /// The conclusion, at the weakest grade of the premises.
        tuple: Tuple,
        /// The premises, in body order.
        premises: Vec<Rc<Proof>>,
        /// Absences and tests the rule checked, in body order.
        conditions: Vec<Condition>,
        /// 1 + the tallest premise's height (a fact has height 0).
        height: u32,
    },
}

impl Proof {
    /// The proved tuple.
    pub fn tuple(&self) -> &Tuple {
        match self {
            Proof::Fact { tuple, .. } | Proof::Rule { tuple, .. } => tuple,
        }
    }

    /// The proved relation's index.
    pub fn relation(&self) -> usize {
        match self {
            Proof::Fact { relation, .. } | Proof::Rule { relation, .. } => *relation,
        }
    }

    /// The height: 0 for a fact.
    pub fn height(&self) -> u32 {
        match self {
            Proof::Fact { .. } => 0,
            Proof::Rule { height, .. } => *height,
        }
    }

    /// Every fact row the proof rests on, in proof order, without repeats.
    pub fn rows(&self) -> Vec<RowRef> {
        let mut rows = Vec::new();
        self.collect_rows(&mut rows);
        rows
    }

    fn collect_rows(&self, out: &mut Vec<RowRef>) {
        match self {
            Proof::Fact { rows, .. } => {
                for row in rows {
                    if !out.contains(row) {
                        out.push(*row);
                    }
                }
            }
            Proof::Rule { premises, .. } => premises.iter().for_each(|p| p.collect_rows(out)),
        }
    }

    /// The premise that sets this node's grade: the first whose confidence
    /// is the node's and, when the node is contested, that is contested.
    pub fn weakest_premise(&self) -> Option<usize> {
        let Proof::Rule {
            premises, tuple, ..
        } = self
        else {
            return None;
        };
        let grade = tuple.grade;
        premises
            .iter()
            .position(|p| {
                let g = p.tuple().grade;
                g.confidence == grade.confidence && g.undisputed == grade.undisputed
            })
            .or_else(|| {
                premises
                    .iter()
                    .position(|p| p.tuple().grade.confidence == grade.confidence)
            })
    }
}

/// What an explanation says of a conclusion's provenance: the sources its
/// shown proof rests on, and who disputes its contested premises.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// Source ids the proof's rows cite, sorted, without repeats.
    pub sources: Vec<Symbol>,
    /// Source ids that dispute a row of the proof, sorted; empty when the
    /// conclusion is not contested.
    pub disputed_by: Vec<Symbol>,
}

/// The sources and disputes behind a proof.
pub fn provenance(facts: &Facts, proof: &Proof) -> Provenance {
    let mut sources = Vec::new();
    let mut disputed_by = Vec::new();
    for RowRef { table, row } in proof.rows() {
        if let Some(row) = facts.tables.get(table).and_then(|t| t.rows.get(row)) {
            sources.extend(row.sources.iter().copied());
            disputed_by.extend(row.disputed_by.iter().copied());
        }
    }
    let by_name = |a: &Symbol, b: &Symbol| facts.names.resolve(*a).cmp(facts.names.resolve(*b));
    sources.sort_by(by_name);
    sources.dedup();
    disputed_by.sort_by(by_name);
    disputed_by.dedup();
    if !proof.tuple().grade.is_contested() {
        disputed_by.clear();
    }
    Provenance {
        sources,
        disputed_by,
    }
}

type Key = (usize, Box<[Value]>);

/// Finds proofs over one model. Reuse one explainer for many conclusions:
/// it remembers what it has proved.
pub struct Explainer<'a> {
    facts: &'a Facts,
    rules: &'a Checked,
    model: &'a Model,
    /// (relation, bound-column mask) → bound values → tuple indices.
    indexes: HashMap<(usize, u64), HashMap<Vec<Value>, Vec<usize>>>,
    /// Per threshold grade: least-height proofs found.
    proved: HashMap<Grade, HashMap<Key, Rc<Proof>>>,
    /// Per threshold grade: the greatest height known to have no proof.
    failed: HashMap<Grade, HashMap<Key, u32>>,
    /// Fact rows by relation name and values, for proof leaves.
    rows: HashMap<(usize, Box<[Value]>), Vec<RowRef>>,
}

fn dominates(grade: Grade, threshold: Grade) -> bool {
    grade.undisputed >= threshold.undisputed && grade.confidence >= threshold.confidence
}

impl<'a> Explainer<'a> {
    /// An explainer for the conclusions of `model`.
    pub fn new(facts: &'a Facts, rules: &'a Checked, model: &'a Model) -> Self {
        let mut rows: HashMap<(usize, Box<[Value]>), Vec<RowRef>> = HashMap::new();
        for (relation, declared) in rules.relations.iter().enumerate() {
            if declared.kind != DeclKind::Input {
                continue;
            }
            let Some(table_index) = facts
                .tables
                .iter()
                .position(|t| t.file.name == declared.name)
            else {
                continue;
            };
            let table = &facts.tables[table_index];
            let begins = table
                .file
                .begins
                .and_then(|name| table.file.rule_columns().position(|c| c.name == name));
            for (row_index, row) in table.rows.iter().enumerate() {
                if let Some(Value::Date(start)) = begins.and_then(|i| row.values.get(i)) {
                    if begins_after(*start, model.as_of) {
                        continue;
                    }
                }
                rows.entry((relation, row.values.clone().into_boxed_slice()))
                    .or_default()
                    .push(RowRef {
                        table: table_index,
                        row: row_index,
                    });
            }
        }
        Explainer {
            facts,
            rules,
            model,
            indexes: HashMap::new(),
            proved: HashMap::new(),
            failed: HashMap::new(),
            rows,
        }
    }

    /// A least-height proof of `tuple` in `relation` at its grade, or `None`
    /// if the model does not hold it at that grade.
    pub fn prove(&mut self, relation: usize, tuple: &Tuple) -> Option<Rc<Proof>> {
        let key: Key = (relation, tuple.values.clone());
        let limit = u32::try_from(self.model.relations.iter().map(Vec::len).sum::<usize>())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.bounded(&key, tuple.grade, limit)
    }

    /// A least-height proof of `key` with every leaf at least as strong as
    /// `threshold`, if one of height at most `depth` exists.
    fn bounded(&mut self, key: &Key, threshold: Grade, depth: u32) -> Option<Rc<Proof>> {
        let relation = self.rules.relations.get(key.0)?;
        if relation.kind == DeclKind::Input {
            return self.fact(key, threshold);
        }
        if let Some(proof) = self.proved.get(&threshold).and_then(|m| m.get(key)) {
            return (proof.height() <= depth).then(|| Rc::clone(proof));
        }
        let known_failure = self
            .failed
            .get(&threshold)
            .and_then(|m| m.get(key))
            .copied()
            .unwrap_or(0);
        if known_failure >= depth {
            return None;
        }
        for height in known_failure + 1..=depth {
            if let Some(proof) = self.of_height(key, threshold, height) {
                let proof = Rc::new(proof);
                self.proved
                    .entry(threshold)
                    .or_default()
                    .insert(key.clone(), Rc::clone(&proof));
                return Some(proof);
            }
            self.failed
                .entry(threshold)
                .or_default()
                .insert(key.clone(), height);
            // Nothing derives it at this threshold at all: stop early.
            if !self.holds(key, threshold) {
                return None;
            }
        }
        None
    }

    /// The model's tuples of `key`'s relation with `key`'s values, at every
    /// grade: a binary search, since relations are sorted by value.
    fn variants(&self, key: &Key) -> &'a [Tuple] {
        let Some(tuples) = self.model.relations.get(key.0) else {
            return &[];
        };
        let start = tuples.partition_point(|t| t.values < key.1);
        let end = start + tuples[start..].partition_point(|t| t.values == key.1);
        &tuples[start..end]
    }

    /// Whether the model holds the tuple at a grade at least `threshold`.
    fn holds(&self, key: &Key, threshold: Grade) -> bool {
        self.variants(key)
            .iter()
            .any(|t| dominates(t.grade, threshold))
    }

    fn fact(&self, key: &Key, threshold: Grade) -> Option<Rc<Proof>> {
        // The strongest grade at which the input holds it.
        let grade = self
            .variants(key)
            .iter()
            .map(|t| t.grade)
            .filter(|g| dominates(*g, threshold))
            .max()?;
        let rows = self
            .rows
            .get(key)
            .map(|rows| {
                rows.iter()
                    .copied()
                    .filter(|r| self.facts.tables[r.table].rows[r.row].grade == grade)
                    .collect()
            })
            .unwrap_or_default();
        Some(Rc::new(Proof::Fact {
            relation: key.0,
            tuple: Tuple {
                values: key.1.clone(),
                grade,
            },
            rows,
        }))
    }

    /// A proof of exactly this height whose premises are least-height
    /// proofs, trying rules in program order.
    fn of_height(&mut self, key: &Key, threshold: Grade, height: u32) -> Option<Proof> {
        let rules = self.rules;
        for (rule_index, (rule, info)) in rules.program.rules.iter().zip(&rules.rules).enumerate() {
            if info.head != key.0 {
                continue;
            }
            let mut bindings: Vec<(&str, Value)> = Vec::new();
            let head_matches = rule
                .head
                .terms
                .iter()
                .zip(key.1.iter())
                .all(|(term, value)| match term {
                    Term::Var(name) => match bindings.iter().find(|(n, _)| n == name) {
                        Some((_, bound)) => bound == value,
                        None => {
                            bindings.push((name.as_str(), *value));
                            true
                        }
                    },
                    Term::Str(text) => self.constant(text) == Some(*value),
                    Term::Wildcard => true,
                });
            if !head_matches {
                continue;
            }
            let mut instances = Vec::new();
            self.instances(
                &info.steps,
                0,
                &mut bindings,
                &mut Vec::new(),
                &mut Vec::new(),
                threshold,
                &mut instances,
            );
            let mut seen = std::collections::HashSet::new();
            for (premises, conditions) in instances {
                if !seen.insert(premises.clone()) {
                    continue;
                }
                let mut proofs = Vec::new();
                for premise in &premises {
                    match self.bounded(premise, threshold, height - 1) {
                        Some(proof) => proofs.push(proof),
                        None => break,
                    }
                }
                if proofs.len() != premises.len() {
                    continue;
                }
                let grade = proofs
                    .iter()
                    .map(|p| p.tuple().grade)
                    .reduce(Grade::weakest)
                    .unwrap_or(Grade::CERTAIN);
                let tallest = proofs.iter().map(|p| p.height()).max().unwrap_or(0);
                return Some(Proof::Rule {
                    rule: rule_index,
                    relation: key.0,
                    tuple: Tuple {
                        values: key.1.clone(),
                        grade,
                    },
                    premises: proofs,
                    conditions,
                    height: tallest + 1,
                });
            }
        }
        None
    }

    fn constant(&self, text: &str) -> Option<Value> {
        let index = self.rules.constant(text)?;
        self.model.constants.get(index).map(|s| Value::Name(*s))
    }

    fn value(&self, term: &Term, bindings: &[(&str, Value)]) -> Option<Value> {
        match term {
            Term::Var(name) => bindings
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v),
            Term::Str(text) => self.constant(text),
            Term::Wildcard => None,
        }
    }

    /// Every way the body steps from `step` on hold under `bindings`, as the
    /// premise tuples and the conditions checked.
    #[allow(clippy::too_many_arguments)]
    fn instances<'r>(
        &mut self,
        steps: &'r [Step],
        step: usize,
        bindings: &mut Vec<(&'r str, Value)>,
        premises: &mut Vec<Key>,
        conditions: &mut Vec<Condition>,
        threshold: Grade,
        out: &mut Vec<(Vec<Key>, Vec<Condition>)>,
    ) {
        let Some(current) = steps.get(step) else {
            out.push((premises.clone(), conditions.clone()));
            return;
        };
        match current {
            Step::Scan { relation, terms } => {
                let bound: Vec<Option<Value>> =
                    terms.iter().map(|t| self.value(t, bindings)).collect();
                let candidates = self.lookup(*relation, &bound);
                let mut tried = std::collections::HashSet::new();
                for index in candidates {
                    let tuple = &self.model.relations[*relation][index];
                    if !dominates(tuple.grade, threshold) || !tried.insert(tuple.values.clone()) {
                        continue;
                    }
                    let values = tuple.values.clone();
                    let mark = bindings.len();
                    let mut consistent = true;
                    for (term, value) in terms.iter().zip(values.iter()) {
                        if let Term::Var(name) = term {
                            match bindings.iter().rev().find(|(n, _)| n == name) {
                                Some((_, bound)) if bound != value => consistent = false,
                                Some(_) => {}
                                None => bindings.push((name.as_str(), *value)),
                            }
                        }
                    }
                    if consistent {
                        premises.push((*relation, values));
                        self.instances(
                            steps,
                            step + 1,
                            bindings,
                            premises,
                            conditions,
                            threshold,
                            out,
                        );
                        premises.pop();
                    }
                    bindings.truncate(mark);
                }
            }
            Step::Absent { relation, terms } => {
                let bound: Vec<Option<Value>> =
                    terms.iter().map(|t| self.value(t, bindings)).collect();
                if self.lookup(*relation, &bound).is_empty() {
                    conditions.push(Condition::Absent {
                        relation: *relation,
                        values: bound,
                    });
                    self.instances(
                        steps,
                        step + 1,
                        bindings,
                        premises,
                        conditions,
                        threshold,
                        out,
                    );
                    conditions.pop();
                }
            }
            Step::Test { builtin, args } => {
                let name = crate::dl::builtins::BUILTINS[*builtin].name;
                let args: Option<Vec<Value>> =
                    args.iter().map(|t| self.value(t, bindings)).collect();
                let Some(args) = args else { return };
                if builtin::call(name, &args) == Some(Outcome::Holds(true)) {
                    conditions.push(Condition::Test {
                        builtin: name,
                        args,
                    });
                    self.instances(
                        steps,
                        step + 1,
                        bindings,
                        premises,
                        conditions,
                        threshold,
                        out,
                    );
                    conditions.pop();
                }
            }
            Step::Bind { var, builtin, args } => {
                let name = crate::dl::builtins::BUILTINS[*builtin].name;
                let args: Option<Vec<Value>> =
                    args.iter().map(|t| self.value(t, bindings)).collect();
                if let Some(Outcome::Value(value)) = args.and_then(|a| builtin::call(name, &a)) {
                    self.bind_then(
                        steps, step, var, value, bindings, premises, conditions, threshold, out,
                    );
                }
            }
            Step::Let { var, value } => {
                if let Some(value) = self.value(value, bindings) {
                    self.bind_then(
                        steps, step, var, value, bindings, premises, conditions, threshold, out,
                    );
                }
            }
            Step::Compare { left, op, right } => {
                let (Some(l), Some(r)) = (self.value(left, bindings), self.value(right, bindings))
                else {
                    return;
                };
                let holds = match op {
                    CmpOp::Eq => l == r,
                    CmpOp::Ne => l != r,
                    CmpOp::Lt => l < r,
                };
                if holds {
                    self.instances(
                        steps,
                        step + 1,
                        bindings,
                        premises,
                        conditions,
                        threshold,
                        out,
                    );
                }
            }
        }
    }

    /// Binds `var` to `value` and goes on with the next step. A variable the
    /// conclusion already bound must equal the value the rule computes: the
    /// conclusion is only explained by instances that produce it.
    #[allow(clippy::too_many_arguments)]
    fn bind_then<'r>(
        &mut self,
        steps: &'r [Step],
        step: usize,
        var: &'r str,
        value: Value,
        bindings: &mut Vec<(&'r str, Value)>,
        premises: &mut Vec<Key>,
        conditions: &mut Vec<Condition>,
        threshold: Grade,
        out: &mut Vec<(Vec<Key>, Vec<Condition>)>,
    ) {
        match bindings.iter().rev().find(|(n, _)| *n == var) {
            Some((_, bound)) if *bound != value => {}
            Some(_) => self.instances(
                steps,
                step + 1,
                bindings,
                premises,
                conditions,
                threshold,
                out,
            ),
            None => {
                bindings.push((var, value));
                self.instances(
                    steps,
                    step + 1,
                    bindings,
                    premises,
                    conditions,
                    threshold,
                    out,
                );
                bindings.pop();
            }
        }
    }

    /// Indices of the relation's tuples that match the bound values.
    fn lookup(&mut self, relation: usize, bound: &[Option<Value>]) -> Vec<usize> {
        let mask = bound
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .fold(0u64, |m, (i, _)| m | (1 << i));
        let tuples = &self.model.relations[relation];
        let index = self.indexes.entry((relation, mask)).or_insert_with(|| {
            let mut index: HashMap<Vec<Value>, Vec<usize>> = HashMap::new();
            for (i, tuple) in tuples.iter().enumerate() {
                let key: Vec<Value> = tuple
                    .values
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| mask & (1 << c) != 0)
                    .map(|(_, v)| *v)
                    .collect();
                index.entry(key).or_default().push(i);
            }
            index
        });
        let key: Vec<Value> = bound.iter().flatten().copied().collect();
        index.get(&key).cloned().unwrap_or_default()
    }
}
