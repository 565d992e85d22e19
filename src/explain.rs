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

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::builtin::{self, Outcome};
use crate::dl::check::{Checked, Step};
use crate::dl::syntax::{CmpOp, DeclKind, Term};
use crate::eval::rows_in_run;
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

/// An instance that works: its premises' proofs and its conditions.
type Found = (Vec<Rc<Proof>>, Vec<Condition>);

/// The state of one search for a rule's first working instance.
struct Walk<'r> {
    steps: &'r [Step],
    threshold: Grade,
    /// Premises must have proofs lower than this.
    height: u32,
    bindings: Vec<(&'r str, Value)>,
    /// Premises found so far, with the index of their step.
    premises: Vec<(usize, Key)>,
    /// Conditions checked so far, with the index of their step.
    conditions: Vec<(usize, Condition)>,
    /// Premise lists already tried.
    seen: rustc_hash::FxHashSet<Vec<Key>>,
    found: Option<Found>,
}

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
    /// The least height any proof of each relation's tuples can have: 0 for
    /// inputs, else the least over its rules of [`Explainer::rule_height`].
    /// Searching from there skips heights at which no proof can exist.
    least_height: Vec<u32>,
    /// The least height of a proof by each rule: 1 + the least height of
    /// its tallest premise. A rule is not tried below it.
    rule_height: Vec<u32>,
}

/// [`Explainer::least_height`] by relation and [`Explainer::rule_height`]
/// by rule.
fn least_heights(rules: &Checked) -> (Vec<u32>, Vec<u32>) {
    let mut heights: Vec<u32> = rules
        .relations
        .iter()
        .map(|r| {
            if r.kind == DeclKind::Input {
                0
            } else {
                u32::MAX
            }
        })
        .collect();
    loop {
        let mut changed = false;
        for info in &rules.rules {
            let tallest = info
                .steps
                .iter()
                .filter_map(|step| match step {
                    Step::Scan { relation, .. } => heights.get(*relation).copied(),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            let height = tallest.saturating_add(1);
            if height < heights[info.head] {
                heights[info.head] = height;
                changed = true;
            }
        }
        if !changed {
            let by_rule = rules
                .rules
                .iter()
                .map(|info| {
                    info.steps
                        .iter()
                        .filter_map(|step| match step {
                            Step::Scan { relation, .. } => heights.get(*relation).copied(),
                            _ => None,
                        })
                        .max()
                        .unwrap_or(0)
                        .saturating_add(1)
                })
                .collect();
            return (heights, by_rule);
        }
    }
}

fn dominates(grade: Grade, threshold: Grade) -> bool {
    grade.undisputed >= threshold.undisputed && grade.confidence >= threshold.confidence
}

impl<'a> Explainer<'a> {
    /// An explainer for the conclusions of `model`.
    pub fn new(facts: &'a Facts, rules: &'a Checked, model: &'a Model) -> Self {
        let mut rows: HashMap<(usize, Box<[Value]>), Vec<RowRef>> = HashMap::default();
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
            for (row_index, row) in rows_in_run(&facts.tables[table_index], model.as_of) {
                rows.entry((relation, row.values.clone().into_boxed_slice()))
                    .or_default()
                    .push(RowRef {
                        table: table_index,
                        row: row_index,
                    });
            }
        }
        let (least_height, rule_height) = least_heights(rules);
        Explainer {
            facts,
            rules,
            model,
            indexes: HashMap::default(),
            proved: HashMap::default(),
            failed: HashMap::default(),
            rows,
            least_height,
            rule_height,
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
        let least = self.least_height.get(key.0).copied().unwrap_or(1);
        for height in (known_failure + 1).max(least)..=depth {
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
            if info.head != key.0 || self.rule_height.get(rule_index).is_none_or(|&h| h > height) {
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
            if let Some((proofs, conditions)) =
                self.first_instance(&info.steps, bindings, threshold, height)
            {
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

    /// Whether the premises of one instance all have proofs below
    /// `w.height`; if so, the instance is the answer.
    fn try_instance(&mut self, w: &mut Walk) {
        let mut premises = w.premises.clone();
        premises.sort_by_key(|(i, _)| *i);
        let premises: Vec<Key> = premises.into_iter().map(|(_, k)| k).collect();
        if !w.seen.insert(premises.clone()) {
            return;
        }
        let mut proofs = Vec::with_capacity(premises.len());
        for premise in &premises {
            match self.bounded(premise, w.threshold, w.height - 1) {
                Some(proof) => proofs.push(proof),
                None => return,
            }
        }
        let mut conditions = w.conditions.clone();
        conditions.sort_by_key(|(i, _)| *i);
        w.found = Some((proofs, conditions.into_iter().map(|(_, c)| c).collect()));
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

    /// The first way the rule body holds under the head's bindings whose
    /// premises have proofs below `height`: the premises' proofs and the
    /// conditions checked, each in body order. Instances are tried as they
    /// are found, so a search stops at the first that works.
    ///
    /// The rules are written for bottom-up joins, left to right; here the
    /// conclusion's values are already bound, so steps run in the order
    /// that uses them best: any test, absence or binding as soon as its
    /// variables are bound, otherwise the atom with the most bound columns.
    /// That keeps a search from scanning a whole relation for an atom the
    /// rule author put first.
    fn first_instance<'r>(
        &mut self,
        steps: &'r [Step],
        bindings: Vec<(&'r str, Value)>,
        threshold: Grade,
        height: u32,
    ) -> Option<Found> {
        let mut walk = Walk {
            steps,
            threshold,
            height,
            bindings,
            premises: Vec::new(),
            conditions: Vec::new(),
            seen: Default::default(),
            found: None,
        };
        let remaining = (0..steps.len()).fold(0u64, |m, i| m | (1 << i));
        self.walk(&mut walk, remaining);
        walk.found
    }

    fn walk<'r>(&mut self, w: &mut Walk<'r>, remaining: u64) {
        if w.found.is_some() {
            return;
        }
        if remaining == 0 {
            self.try_instance(w);
            return;
        }
        let Some(index) = self.next_step(w, remaining) else {
            return;
        };
        let rest = remaining & !(1 << index);
        match &w.steps[index] {
            Step::Scan { relation, terms } => {
                let bound: Vec<Option<Value>> =
                    terms.iter().map(|t| self.value(t, &w.bindings)).collect();
                let candidates = self.lookup(*relation, &bound);
                let tuples: &'a [Tuple] = &self.model.relations[*relation];
                // Relations are sorted, so a tuple's grade variants come
                // together: try its values once.
                let mut last: Option<&[Value]> = None;
                for candidate in candidates {
                    let tuple = &tuples[candidate];
                    if !dominates(tuple.grade, w.threshold) || last == Some(&tuple.values[..]) {
                        continue;
                    }
                    last = Some(&tuple.values[..]);
                    let values = tuple.values.clone();
                    let mark = w.bindings.len();
                    let mut consistent = true;
                    for (term, value) in terms.iter().zip(values.iter()) {
                        if let Term::Var(name) = term {
                            match w.bindings.iter().rev().find(|(n, _)| n == name) {
                                Some((_, bound)) if bound != value => consistent = false,
                                Some(_) => {}
                                None => w.bindings.push((name.as_str(), *value)),
                            }
                        }
                    }
                    if consistent {
                        w.premises.push((index, (*relation, values)));
                        self.walk(w, rest);
                        w.premises.pop();
                    }
                    w.bindings.truncate(mark);
                    if w.found.is_some() {
                        break;
                    }
                }
            }
            Step::Absent { relation, terms } => {
                let bound: Vec<Option<Value>> =
                    terms.iter().map(|t| self.value(t, &w.bindings)).collect();
                if self.lookup(*relation, &bound).is_empty() {
                    let condition = Condition::Absent {
                        relation: *relation,
                        values: bound,
                    };
                    w.conditions.push((index, condition));
                    self.walk(w, rest);
                    w.conditions.pop();
                }
            }
            Step::Test { builtin, args } => {
                let name = crate::dl::builtins::BUILTINS[*builtin].name;
                let args: Option<Vec<Value>> =
                    args.iter().map(|t| self.value(t, &w.bindings)).collect();
                let Some(args) = args else { return };
                if builtin::call(name, &args) == Some(Outcome::Holds(true)) {
                    w.conditions.push((
                        index,
                        Condition::Test {
                            builtin: name,
                            args,
                        },
                    ));
                    self.walk(w, rest);
                    w.conditions.pop();
                }
            }
            Step::Bind { var, builtin, args } => {
                let name = crate::dl::builtins::BUILTINS[*builtin].name;
                let args: Option<Vec<Value>> =
                    args.iter().map(|t| self.value(t, &w.bindings)).collect();
                if let Some(Outcome::Value(value)) = args.and_then(|a| builtin::call(name, &a)) {
                    self.bind_then(w, var, value, rest);
                }
            }
            Step::Let { var, value } => {
                if let Some(value) = self.value(value, &w.bindings) {
                    self.bind_then(w, var, value, rest);
                }
            }
            Step::Compare { left, op, right } => {
                let (Some(l), Some(r)) = (
                    self.value(left, &w.bindings),
                    self.value(right, &w.bindings),
                ) else {
                    return;
                };
                let holds = match op {
                    CmpOp::Eq => l == r,
                    CmpOp::Ne => l != r,
                    CmpOp::Lt => l < r,
                };
                if holds {
                    self.walk(w, rest);
                }
            }
        }
    }

    /// The step to take next: the first test, absence, comparison or
    /// binding whose inputs are bound; else the atom with the most bound
    /// columns (the first on a tie).
    fn next_step(&self, w: &Walk, remaining: u64) -> Option<usize> {
        let bound = |term: &Term| match term {
            Term::Var(name) => w.bindings.iter().any(|(n, _)| n == name),
            Term::Str(_) => true,
            Term::Wildcard => false,
        };
        let mut best: Option<(usize, usize)> = None;
        for (index, step) in w.steps.iter().enumerate() {
            if remaining & (1 << index) == 0 {
                continue;
            }
            let ready = match step {
                Step::Scan { terms, .. } => {
                    let count = terms.iter().filter(|t| bound(t)).count();
                    if best.is_none_or(|(_, most)| count > most) {
                        best = Some((index, count));
                    }
                    false
                }
                Step::Absent { terms, .. } => terms
                    .iter()
                    .all(|t| matches!(t, Term::Wildcard) || bound(t)),
                Step::Test { args, .. } | Step::Bind { args, .. } => args.iter().all(bound),
                Step::Let { value, .. } => bound(value),
                Step::Compare { left, right, .. } => bound(left) && bound(right),
            };
            if ready {
                return Some(index);
            }
        }
        best.map(|(index, _)| index)
    }

    /// Binds `var` to `value` and goes on. A variable the conclusion (or
    /// an earlier step) already bound must equal the value the rule
    /// computes: the conclusion is only explained by instances that
    /// produce it.
    fn bind_then<'r>(&mut self, w: &mut Walk<'r>, var: &'r str, value: Value, rest: u64) {
        match w.bindings.iter().rev().find(|(n, _)| *n == var) {
            Some((_, bound)) if *bound != value => {}
            Some(_) => self.walk(w, rest),
            None => {
                w.bindings.push((var, value));
                self.walk(w, rest);
                w.bindings.pop();
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
            let mut index: HashMap<Vec<Value>, Vec<usize>> = HashMap::default();
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
