//! Proof trees: why a conclusion holds, down to spreadsheet rows and the
//! sources behind them.
//!
//! A proof is found over the evaluated [`Model`], never by evaluating the
//! rules again: for a conclusion at its printed grade, the explainer matches
//! each rule that derives it against the model's tuples, keeping only
//! premises at least as strong as that grade, and recurses. It returns a
//! proof of least height, so a proof never contains its own conclusion (a
//! circular proof would contain a shorter one), and among proofs of least
//! height the first the search meets: rules in program order, each body
//! joined where the most columns are bound and then the fewest tuples
//! match, candidates in sorted order. So the
//! choice is deterministic for a given model (whichever thread searches),
//! though new facts can change it. Rendering a proof is `render::proof`'s
//! job.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::builtin::{self, Outcome};
use crate::dl::check::{Checked, Step};
use crate::dl::syntax::{CmpOp, DeclKind, Term};
use crate::eval::rows_in_run;
use crate::facts::{Confidence, Facts, Grade, Symbol, Value};
use crate::model::{Model, Relation, Tuple};

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
        /// For a hedged test that held only in part (dates that possibly
        /// but not certainly overlap), the most confidence it leaves.
        cap: Option<Confidence>,
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
        // The premises' own weakest grade: the conclusion's, unless a
        // hedged test capped it or the relation is inferred.
        let grade = premises
            .iter()
            .map(|p| p.tuple().grade)
            .reduce(Grade::weakest)
            .unwrap_or(tuple.grade);
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

/// [`Explainer::least_height`] by relation and [`Compiled::height`]
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

/// An instance that works: its premises' proofs and its conditions.
type Found = (Vec<Rc<Proof>>, Vec<Condition>);

/// A tuple of the model as the search names it: its relation and the index
/// of its first grade variant (relations are sorted, so a tuple's variants
/// are adjacent). Cheaper to hash and store than the values.
type At = (usize, usize);

/// A rule's term with its variable numbered and its constant resolved, so
/// that the search compares numbers, not names.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Var(usize),
    Value(Value),
    Any,
}

/// A rule body step over numbered variables: a [`Step`], compiled.
#[derive(Debug)]
enum Op {
    Scan {
        relation: usize,
        terms: Box<[Slot]>,
    },
    Absent {
        relation: usize,
        terms: Box<[Slot]>,
    },
    Test {
        builtin: &'static str,
        args: Box<[Slot]>,
    },
    Bind {
        var: usize,
        builtin: &'static str,
        args: Box<[Slot]>,
    },
    Let {
        var: usize,
        value: Slot,
    },
    Compare {
        left: Slot,
        op: CmpOp,
        right: Slot,
    },
}

/// One rule, ready for the search.
#[derive(Debug)]
struct Compiled {
    /// The head's terms.
    head: Box<[Slot]>,
    /// Whether the head relation is inferred: one step below its premises.
    inferred: bool,
    /// The body, in written order.
    ops: Box<[Op]>,
    /// How many variables the rule has.
    vars: usize,
    /// False when a quoted constant has no symbol, so nothing can match, or
    /// when the rule has more variables than the search tracks.
    usable: bool,
    /// The least height of a proof by this rule: 1 + the least height of
    /// its tallest premise. The rule is not tried below it.
    height: u32,
}

/// The most variables a rule may have: a step records the variables it
/// bound in one 64-bit mask.
const MAX_VARS: usize = 64;

/// Numbers a rule's variables in order of first appearance and resolves its
/// constants.
struct Numbering<'r> {
    model: &'r Model,
    rules: &'r Checked,
    names: Vec<&'r str>,
    usable: bool,
}

impl<'r> Numbering<'r> {
    fn var(&mut self, name: &'r str) -> usize {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                self.names.push(name);
                self.names.len() - 1
            }
        }
    }

    fn slot(&mut self, term: &'r Term) -> Slot {
        match term {
            Term::Var(name) => Slot::Var(self.var(name)),
            Term::Str(text) => {
                let symbol = self
                    .rules
                    .constant(text)
                    .and_then(|i| self.model.constants.get(i));
                match symbol {
                    Some(symbol) => Slot::Value(Value::Name(*symbol)),
                    None => {
                        self.usable = false;
                        Slot::Any
                    }
                }
            }
            Term::Wildcard => Slot::Any,
        }
    }

    fn slots(&mut self, terms: &'r [Term]) -> Box<[Slot]> {
        terms.iter().map(|t| self.slot(t)).collect()
    }
}

fn compile(rules: &Checked, model: &Model, rule_height: &[u32]) -> Vec<Compiled> {
    let name = |builtin: usize| crate::dl::builtins::BUILTINS[builtin].name;
    rules
        .program
        .rules
        .iter()
        .zip(&rules.rules)
        .enumerate()
        .map(|(index, (rule, info))| {
            let mut n = Numbering {
                model,
                rules,
                names: Vec::new(),
                usable: true,
            };
            let head = n.slots(&rule.head.terms);
            let ops = info
                .steps
                .iter()
                .map(|step| match step {
                    Step::Scan { relation, terms } => Op::Scan {
                        relation: *relation,
                        terms: n.slots(terms),
                    },
                    Step::Absent { relation, terms } => Op::Absent {
                        relation: *relation,
                        terms: n.slots(terms),
                    },
                    Step::Test { builtin, args } => Op::Test {
                        builtin: name(*builtin),
                        args: n.slots(args),
                    },
                    Step::Bind { var, builtin, args } => {
                        let args = n.slots(args);
                        Op::Bind {
                            var: n.var(var),
                            builtin: name(*builtin),
                            args,
                        }
                    }
                    Step::Let { var, value } => {
                        let value = n.slot(value);
                        Op::Let {
                            var: n.var(var),
                            value,
                        }
                    }
                    Step::Compare { left, op, right } => Op::Compare {
                        left: n.slot(left),
                        op: *op,
                        right: n.slot(right),
                    },
                })
                .collect();
            let vars = n.names.len();
            Compiled {
                head,
                inferred: rules.relations[info.head].inferred,
                ops,
                vars,
                usable: n.usable && vars <= MAX_VARS,
                height: rule_height.get(index).copied().unwrap_or(u32::MAX),
            }
        })
        .collect()
}

/// The index of the first tuple with these values, if the relation has one.
fn first_index(relation: &Relation, values: &[Value]) -> Option<usize> {
    let first = relation.partition_point(0..relation.len(), |v| v < values);
    (first < relation.len() && relation.values(first) == values).then_some(first)
}

/// The index of the first grade variant of the tuple at `index`.
fn first_variant(relation: &Relation, mut index: usize) -> usize {
    while index > 0 && relation.values(index - 1) == relation.values(index) {
        index -= 1;
    }
    index
}

/// What proofs are found from: the rules compiled for the search, and the
/// fact rows behind each input tuple. It does not change once built, so
/// several threads can search over one; each [`Search`] remembers its own
/// proofs.
pub struct Explainer<'a> {
    facts: &'a Facts,
    model: &'a Model,
    inputs: Vec<bool>,
    rules: Vec<Compiled>,
    /// The rules deriving each relation, in program order.
    by_head: Vec<Vec<usize>>,
    /// Fact rows by input tuple, for proof leaves.
    rows: HashMap<At, Vec<RowRef>>,
    /// The least height any proof of each relation's tuples can have: 0 for
    /// inputs, else the least over its rules of [`Compiled::height`].
    /// Searching from there skips heights at which no proof can exist.
    least_height: Vec<u32>,
}

impl<'a> Explainer<'a> {
    /// An explainer for the conclusions of `model`.
    pub fn new(facts: &'a Facts, rules: &'a Checked, model: &'a Model) -> Self {
        let inputs: Vec<bool> = rules
            .relations
            .iter()
            .map(|r| r.kind == DeclKind::Input)
            .collect();
        let mut rows: HashMap<At, Vec<RowRef>> = HashMap::default();
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
            let tuples = &model.relations[relation];
            for (row_index, row) in rows_in_run(facts, &facts.tables[table_index], model.as_of) {
                if let Some(first) = first_index(tuples, &row.values) {
                    rows.entry((relation, first)).or_default().push(RowRef {
                        table: table_index,
                        row: row_index,
                    });
                }
            }
        }
        let (least_height, rule_height) = least_heights(rules);
        let mut by_head = vec![Vec::new(); rules.relations.len()];
        for (index, info) in rules.rules.iter().enumerate() {
            if let Some(list) = by_head.get_mut(info.head) {
                list.push(index);
            }
        }
        Explainer {
            facts,
            model,
            inputs,
            rules: compile(rules, model, &rule_height),
            by_head,
            rows,
            least_height,
        }
    }

    /// A search over this explainer's model. Reuse one search for many
    /// conclusions: it remembers what it has proved.
    pub fn search(&self) -> Search<'_, 'a> {
        Search {
            x: self,
            indexes: HashMap::default(),
            proved: HashMap::default(),
            failed: HashMap::default(),
        }
    }
}

/// Bound values → the positions of the tuples that have them.
type Index = HashMap<Box<[Value]>, Rc<[u32]>>;

/// Candidate tuples for one atom: a run of the sorted relation when the
/// bound columns lead, else the positions an index lists.
enum Candidates {
    Run(usize, usize),
    Listed(Rc<[u32]>),
}

impl Candidates {
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn len(&self) -> usize {
        match self {
            Candidates::Run(start, end) => end.saturating_sub(*start),
            Candidates::Listed(list) => list.len(),
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            Candidates::Run(start, end) => (start + i < *end).then_some(start + i),
            Candidates::Listed(list) => list.get(i).map(|&p| p as usize),
        }
    }
}

/// The state of one search for a rule's first working instance.
struct Walk<'r> {
    ops: &'r [Op],
    /// What each premise, and each hedged test, must reach for the
    /// conclusion to reach its threshold.
    threshold: Grade,
    /// Premises must have proofs lower than this.
    height: u32,
    /// Each variable's value, once bound.
    bindings: Vec<Option<Value>>,
    /// Premises found so far, with the index of their step.
    premises: Vec<(usize, At)>,
    found: Option<Found>,
}

/// Proof search over an [`Explainer`], remembering every proof it found
/// and every height at which it found none.
pub struct Search<'x, 'a> {
    x: &'x Explainer<'a>,
    /// (relation, bound-column mask) → bound values → tuple positions, for
    /// bound columns that do not lead.
    indexes: HashMap<(usize, u64), Index>,
    /// Least-height proofs found, by threshold grade and tuple.
    proved: HashMap<(Grade, At), Rc<Proof>>,
    /// The greatest height known to have no proof, by threshold and tuple.
    failed: HashMap<(Grade, At), u32>,
}

impl Search<'_, '_> {
    /// Forgets the proofs and failures it remembers once they number more
    /// than `limit`, so that proving millions of rows keeps a bounded
    /// memory. Only speed depends on what is remembered: proofs found
    /// again are the same.
    pub fn forget_beyond(&mut self, limit: usize) {
        if self.proved.len() + self.failed.len() > limit {
            self.proved = HashMap::default();
            self.failed = HashMap::default();
        }
    }

    /// A least-height proof of `tuple` in `relation` at its grade, or `None`
    /// if the model does not hold it at that grade.
    pub fn prove(&mut self, relation: usize, tuple: &Tuple) -> Option<Rc<Proof>> {
        let model = self.x.model;
        let first = first_index(model.relations.get(relation)?, &tuple.values)?;
        let limit = u32::try_from(model.relations.iter().map(Relation::len).sum::<usize>())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.bounded((relation, first), tuple.grade, limit)
    }

    /// A least-height proof of the tuple `at` with every leaf at least as
    /// strong as `threshold`, if one of height at most `depth` exists.
    fn bounded(&mut self, at: At, threshold: Grade, depth: u32) -> Option<Rc<Proof>> {
        if *self.x.inputs.get(at.0)? {
            return self.fact(at, threshold);
        }
        if let Some(proof) = self.proved.get(&(threshold, at)) {
            return (proof.height() <= depth).then(|| Rc::clone(proof));
        }
        let known_failure = self.failed.get(&(threshold, at)).copied().unwrap_or(0);
        if known_failure >= depth {
            return None;
        }
        let least = self.x.least_height.get(at.0).copied().unwrap_or(1);
        for height in (known_failure + 1).max(least)..=depth {
            if let Some(proof) = self.of_height(at, threshold, height) {
                let proof = Rc::new(proof);
                self.proved.insert((threshold, at), Rc::clone(&proof));
                return Some(proof);
            }
            self.failed.insert((threshold, at), height);
            // Nothing derives it at this threshold at all: stop early.
            if !self.holds(at, threshold) {
                return None;
            }
        }
        None
    }

    /// The grades at which the model holds the tuple.
    fn variants(&self, (relation, first): At) -> impl Iterator<Item = Grade> + '_ {
        let tuples = &self.x.model.relations[relation];
        let values = tuples.values(first);
        (first..tuples.len())
            .take_while(move |&i| tuples.values(i) == values)
            .map(|i| tuples.grade(i))
    }

    /// Whether the model holds the tuple at a grade at least `threshold`.
    fn holds(&self, at: At, threshold: Grade) -> bool {
        self.variants(at).any(|g| dominates(g, threshold))
    }

    fn fact(&self, at: At, threshold: Grade) -> Option<Rc<Proof>> {
        // The strongest grade at which the input holds it.
        let grade = self
            .variants(at)
            .filter(|g| dominates(*g, threshold))
            .max()?;
        let facts = self.x.facts;
        let rows = self
            .x
            .rows
            .get(&at)
            .map(|rows| {
                rows.iter()
                    .copied()
                    .filter(|r| facts.tables[r.table].rows[r.row].grade == grade)
                    .collect()
            })
            .unwrap_or_default();
        Some(Rc::new(Proof::Fact {
            relation: at.0,
            tuple: Tuple {
                values: self.x.model.relations[at.0].values(at.1).into(),
                grade,
            },
            rows,
        }))
    }

    /// A proof of exactly this height whose premises are least-height
    /// proofs, trying rules in program order.
    fn of_height(&mut self, at: At, threshold: Grade, height: u32) -> Option<Proof> {
        let x = self.x;
        let values = x.model.relations[at.0].values(at.1);
        for &rule_index in x.by_head.get(at.0)? {
            let rule = &x.rules[rule_index];
            if !rule.usable || rule.height > height {
                continue;
            }
            let mut bindings: Vec<Option<Value>> = vec![None; rule.vars];
            let head_matches =
                rule.head
                    .iter()
                    .zip(values.iter())
                    .all(|(slot, value)| match *slot {
                        Slot::Var(i) => *bindings[i].get_or_insert(*value) == *value,
                        Slot::Value(constant) => constant == *value,
                        Slot::Any => true,
                    });
            if !head_matches {
                continue;
            }
            // An inferred conclusion is one step weaker than its premises, so
            // they must be one step stronger than it.
            let premise_threshold = if rule.inferred {
                Grade {
                    confidence: threshold.confidence.before_inference(),
                    ..threshold
                }
            } else {
                threshold
            };
            let mut walk = Walk {
                ops: &rule.ops,
                threshold: premise_threshold,
                height,
                bindings,
                premises: Vec::new(),
                found: None,
            };
            let remaining = (0..rule.ops.len()).fold(0u64, |m, i| m | (1 << i));
            self.walk(&mut walk, remaining);
            if let Some((proofs, conditions)) = walk.found {
                let grade = conclusion_grade(
                    proofs.iter().map(|p| p.tuple().grade),
                    &conditions,
                    rule.inferred,
                );
                let tallest = proofs.iter().map(|p| p.height()).max().unwrap_or(0);
                return Some(Proof::Rule {
                    rule: rule_index,
                    relation: at.0,
                    tuple: Tuple {
                        values: values.into(),
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
    /// `w.height`; if so, the instance is the answer, with the absences and
    /// tests it checked, in body order.
    fn try_instance(&mut self, w: &mut Walk) {
        let mut premises = w.premises.clone();
        premises.sort_by_key(|(i, _)| *i);
        let mut proofs = Vec::with_capacity(premises.len());
        for (_, at) in premises {
            match self.bounded(at, w.threshold, w.height - 1) {
                Some(proof) => proofs.push(proof),
                None => return,
            }
        }
        let bindings = &w.bindings;
        let conditions = w
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Absent { relation, terms } => Some(Condition::Absent {
                    relation: *relation,
                    values: terms.iter().map(|s| value(*s, bindings)).collect(),
                }),
                Op::Test { builtin, args } => {
                    let args: Vec<Value> =
                        args.iter().filter_map(|s| value(*s, bindings)).collect();
                    let cap = match builtin::call(builtin, &args) {
                        Some(Outcome::Hedged(Some(cap))) if cap < Confidence::Confirmed => {
                            Some(cap)
                        }
                        _ => None,
                    };
                    Some(Condition::Test { builtin, args, cap })
                }
                _ => None,
            })
            .collect();
        w.found = Some((proofs, conditions));
    }

    /// Tries the remaining steps, in the order that uses the bindings best,
    /// stopping at the first instance that works.
    ///
    /// The rules are written for bottom-up joins, left to right; here the
    /// conclusion's values are already bound, so steps run in the order
    /// that uses them best: any test, absence or binding as soon as its
    /// variables are bound, otherwise the atom with the most bound columns
    /// and, among those, the fewest matches.
    /// That keeps a search from scanning a whole relation for an atom the
    /// rule author put first.
    fn walk(&mut self, w: &mut Walk, remaining: u64) {
        if w.found.is_some() {
            return;
        }
        if remaining == 0 {
            self.try_instance(w);
            return;
        }
        let Some((index, scanned)) = self.next_step(w, remaining) else {
            return;
        };
        let rest = remaining & !(1 << index);
        let ops = w.ops;
        match &ops[index] {
            Op::Scan { relation, terms } => {
                let candidates = match scanned {
                    Some(candidates) => candidates,
                    None => self.lookup(*relation, terms, &w.bindings),
                };
                let tuples: &Relation = &self.x.model.relations[*relation];
                // Relations are sorted, so a tuple's grade variants come
                // together: try its values once.
                let mut last: Option<usize> = None;
                let mut i = 0;
                while let Some(candidate) = candidates.get(i) {
                    i += 1;
                    if !dominates(tuples.grade(candidate), w.threshold) {
                        continue;
                    }
                    let first = first_variant(tuples, candidate);
                    if last == Some(first) {
                        continue;
                    }
                    last = Some(first);
                    let (bound_here, consistent) =
                        bind_terms(terms, tuples.values(candidate), &mut w.bindings);
                    if consistent {
                        w.premises.push((index, (*relation, first)));
                        self.walk(w, rest);
                        w.premises.pop();
                    }
                    unbind(&mut w.bindings, bound_here);
                    if w.found.is_some() {
                        break;
                    }
                }
            }
            Op::Absent { relation, terms } => {
                if self.lookup(*relation, terms, &w.bindings).is_empty() {
                    self.walk(w, rest);
                }
            }
            Op::Test { builtin, args } => {
                let args: Option<Vec<Value>> =
                    args.iter().map(|s| value(*s, &w.bindings)).collect();
                let holds = match args.and_then(|a| builtin::call(builtin, &a)) {
                    Some(Outcome::Holds(holds)) => holds,
                    // A hedge that leaves less than the threshold cannot
                    // give the conclusion its grade.
                    Some(Outcome::Hedged(cap)) => cap >= Some(w.threshold.confidence),
                    _ => false,
                };
                if holds {
                    self.walk(w, rest);
                }
            }
            Op::Bind { var, builtin, args } => {
                let args: Option<Vec<Value>> =
                    args.iter().map(|s| value(*s, &w.bindings)).collect();
                if let Some(Outcome::Value(v)) = args.and_then(|a| builtin::call(builtin, &a)) {
                    self.bind_then(w, *var, v, rest);
                }
            }
            Op::Let { var, value: slot } => {
                if let Some(v) = value(*slot, &w.bindings) {
                    self.bind_then(w, *var, v, rest);
                }
            }
            Op::Compare { left, op, right } => {
                let (Some(l), Some(r)) = (value(*left, &w.bindings), value(*right, &w.bindings))
                else {
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

    /// Binds `var` to `value` and goes on. A variable the conclusion (or
    /// an earlier step) already bound must equal the value the rule
    /// computes: the conclusion is only explained by instances that
    /// produce it.
    fn bind_then(&mut self, w: &mut Walk, var: usize, value: Value, rest: u64) {
        match w.bindings[var] {
            Some(bound) if bound != value => {}
            Some(_) => self.walk(w, rest),
            None => {
                w.bindings[var] = Some(value);
                self.walk(w, rest);
                w.bindings[var] = None;
            }
        }
    }

    /// The relation's tuples that match the bound terms. When the bound
    /// columns are the leading ones, the sorted relation answers by binary
    /// search; otherwise an index is built on first use.
    fn lookup(
        &mut self,
        relation: usize,
        terms: &[Slot],
        bindings: &[Option<Value>],
    ) -> Candidates {
        let mut mask = 0u64;
        let mut key: Vec<Value> = Vec::with_capacity(terms.len());
        for (column, slot) in terms.iter().enumerate() {
            if let Some(v) = value(*slot, bindings) {
                mask |= 1 << column;
                key.push(v);
            }
        }
        let tuples = &self.x.model.relations[relation];
        if mask & mask.wrapping_add(1) == 0 {
            // Columns 0..k are bound: the matches are one run.
            let k = key.len();
            let start = tuples.partition_point(0..tuples.len(), |v| v[..k] < key[..]);
            let end = tuples.partition_point(start..tuples.len(), |v| v[..k] == key[..]);
            return Candidates::Run(start, end);
        }
        let index = self.indexes.entry((relation, mask)).or_insert_with(|| {
            let mut index: HashMap<Box<[Value]>, Vec<u32>> = HashMap::default();
            for i in 0..tuples.len() {
                let key: Box<[Value]> = tuples
                    .values(i)
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| mask & (1 << c) != 0)
                    .map(|(_, v)| *v)
                    .collect();
                index.entry(key).or_default().push(i as u32);
            }
            index.into_iter().map(|(k, v)| (k, Rc::from(v))).collect()
        });
        match index.get(&key[..]) {
            Some(list) => Candidates::Listed(Rc::clone(list)),
            None => Candidates::Run(0, 0),
        }
    }

    /// The step to take next: the first test, absence, comparison or binding
    /// whose inputs are bound; else, of the atoms with the most bound
    /// columns, the one with the fewest matching tuples (the first on a
    /// tie), with those tuples when they were counted.
    fn next_step(&mut self, w: &Walk, remaining: u64) -> Option<(usize, Option<Candidates>)> {
        let bound = |slot: &Slot| match slot {
            Slot::Var(var) => w.bindings[*var].is_some(),
            Slot::Value(_) => true,
            Slot::Any => false,
        };
        let mut scans = 0u64;
        for (index, op) in w.ops.iter().enumerate() {
            if remaining & (1 << index) == 0 {
                continue;
            }
            let ready = match op {
                Op::Scan { .. } => {
                    scans |= 1 << index;
                    false
                }
                Op::Absent { terms, .. } => {
                    terms.iter().all(|t| matches!(t, Slot::Any) || bound(t))
                }
                Op::Test { args, .. } | Op::Bind { args, .. } => args.iter().all(bound),
                Op::Let { value, .. } => bound(value),
                Op::Compare { left, right, .. } => bound(left) && bound(right),
            };
            if ready {
                return Some((index, None));
            }
        }
        // Among the atoms with the most bound columns, the one with the
        // fewest matches; counted only when several tie.
        let bound_columns = |index: usize| match &w.ops[index] {
            Op::Scan { terms, .. } => terms.iter().filter(|t| bound(t)).count(),
            _ => 0,
        };
        // Scans, as a mask, with the most bound columns.
        let mut most = 0;
        let mut tied = 0u64;
        for index in (0..w.ops.len()).filter(|i| scans & (1 << i) != 0) {
            let count = bound_columns(index);
            if count > most || tied == 0 {
                (most, tied) = (count, 1 << index);
            } else if count == most {
                tied |= 1 << index;
            }
        }
        if tied.count_ones() == 1 {
            return Some((tied.trailing_zeros() as usize, None));
        }
        let mut best: Option<(usize, Candidates)> = None;
        while tied != 0 {
            let index = tied.trailing_zeros() as usize;
            tied &= tied - 1;
            let Op::Scan { relation, terms } = &w.ops[index] else {
                continue;
            };
            let candidates = self.lookup(*relation, terms, &w.bindings);
            if best
                .as_ref()
                .is_none_or(|(_, b)| candidates.len() < b.len())
            {
                best = Some((index, candidates));
            }
        }
        best.map(|(index, candidates)| (index, Some(candidates)))
    }
}

/// The grade a rule gives its conclusion: the weakest of its premises, at
/// most what its hedged tests leave, and one step less when the relation is
/// inferred. The same arithmetic as the generated code's (`dl::codegen`).
pub fn conclusion_grade(
    premises: impl Iterator<Item = Grade>,
    conditions: &[Condition],
    inferred: bool,
) -> Grade {
    let mut grade = premises.reduce(Grade::weakest).unwrap_or(Grade::CERTAIN);
    for condition in conditions {
        if let Condition::Test { cap: Some(cap), .. } = condition {
            grade = grade.at_most(Some(*cap));
        }
    }
    if inferred {
        grade = grade.inferred();
    }
    grade
}

/// A slot's value under the bindings; `None` for `_` and unbound variables.
fn value(slot: Slot, bindings: &[Option<Value>]) -> Option<Value> {
    match slot {
        Slot::Var(var) => bindings[var],
        Slot::Value(v) => Some(v),
        Slot::Any => None,
    }
}

/// Binds an atom's unbound variables to a tuple's values: the mask of the
/// variables bound here (for [`unbind`]), and whether the tuple agrees
/// with the variables bound before.
fn bind_terms(terms: &[Slot], values: &[Value], bindings: &mut [Option<Value>]) -> (u64, bool) {
    let mut bound_here = 0u64;
    let mut consistent = true;
    for (slot, value) in terms.iter().zip(values) {
        if let Slot::Var(var) = *slot {
            match bindings[var] {
                Some(bound) => consistent &= bound == *value,
                None => {
                    bindings[var] = Some(*value);
                    bound_here |= 1 << var;
                }
            }
        }
    }
    (bound_here, consistent)
}

fn unbind(bindings: &mut [Option<Value>], mut mask: u64) {
    while mask != 0 {
        let var = mask.trailing_zeros() as usize;
        bindings[var] = None;
        mask &= mask - 1;
    }
}

/// Why one rule does not derive a conclusion: the first step of its body,
/// in written order, that no instance gets past (the deepest any instance
/// reaches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A premise no tuple matches.
    Missing {
        /// The premise's relation.
        relation: usize,
        /// Its values as bound (`None` for any).
        values: Vec<Option<Value>>,
        /// For a derived premise, why it does not hold in turn (down to
        /// [`WHY_NOT_DEPTH`] levels).
        because: Vec<RuleRefusal>,
    },
    /// A negated premise that holds, with its proof.
    Blocked {
        /// The blocking tuple's relation.
        relation: usize,
        /// Why it holds (`None` when no proof could be found).
        proof: Option<Rc<Proof>>,
        /// Its values.
        values: Vec<Value>,
    },
    /// A test or comparison that fails for every instance.
    Fails {
        /// The step, in words.
        condition: String,
    },
    /// Every step holds for some instance: the rule derives a conclusion
    /// of this form, so it is left out only by the relation's key (a
    /// stronger one is printed) or by the values asked for.
    Derives,
}

/// One rule's refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRefusal {
    /// The rule's index in the program.
    pub rule: usize,
    /// Why it does not derive the conclusion.
    pub refusal: Refusal,
}

/// How many candidate tuples a why-not search tries per rule before it
/// reports the deepest failure it found.
const WHY_NOT_BUDGET: usize = 100_000;

/// How many levels of missing derived premises a why-not follows.
pub const WHY_NOT_DEPTH: usize = 4;

struct Refuse<'r> {
    ops: &'r [Op],
    bindings: Vec<Option<Value>>,
    deepest: Option<(usize, Refusal)>,
    budget: usize,
    derives: bool,
}

impl Search<'_, '_> {
    /// Why no conclusion of `relation` with these leading values holds:
    /// for every rule that could derive one, the step that stops it.
    /// Blocking tuples come with their proofs, down to rows.
    pub fn why_not(&mut self, relation: usize, wanted: &[Option<Value>]) -> Vec<RuleRefusal> {
        self.why_not_within(relation, wanted, WHY_NOT_DEPTH)
    }

    fn why_not_within(
        &mut self,
        relation: usize,
        wanted: &[Option<Value>],
        depth: usize,
    ) -> Vec<RuleRefusal> {
        let x = self.x;
        let mut refusals = Vec::new();
        for &rule_index in x.by_head.get(relation).into_iter().flatten() {
            let rule = &x.rules[rule_index];
            let mut bindings: Vec<Option<Value>> = vec![None; rule.vars];
            let head_matches =
                rule.head
                    .iter()
                    .zip(wanted)
                    .all(|(slot, wanted)| match (*slot, wanted) {
                        (_, None) => true,
                        (Slot::Var(i), Some(v)) => *bindings[i].get_or_insert(*v) == *v,
                        (Slot::Value(c), Some(v)) => c == *v,
                        (Slot::Any, Some(_)) => true,
                    });
            if !head_matches {
                continue; // the rule derives other values altogether
            }
            let mut refuse = Refuse {
                ops: &rule.ops,
                bindings,
                deepest: None,
                budget: WHY_NOT_BUDGET,
                derives: false,
            };
            self.refuse(&mut refuse, 0);
            let refusal = if refuse.derives {
                Refusal::Derives
            } else {
                match refuse.deepest {
                    Some((
                        _,
                        Refusal::Blocked {
                            relation, values, ..
                        },
                    )) => {
                        let proof = self.strongest_proof(relation, &values);
                        Refusal::Blocked {
                            relation,
                            proof,
                            values,
                        }
                    }
                    Some((
                        _,
                        Refusal::Missing {
                            relation, values, ..
                        },
                    )) => {
                        let because = if depth > 1 && !x.inputs[relation] {
                            self.why_not_within(relation, &values, depth - 1)
                        } else {
                            Vec::new()
                        };
                        Refusal::Missing {
                            relation,
                            values,
                            because,
                        }
                    }
                    Some((_, refusal)) => refusal,
                    None => Refusal::Fails {
                        condition: "the search gave up before reaching a step".into(),
                    },
                }
            };
            refusals.push(RuleRefusal {
                rule: rule_index,
                refusal,
            });
        }
        refusals
    }

    /// The proof of a tuple at its strongest grade, if the relation holds it.
    pub fn strongest_proof(&mut self, relation: usize, values: &[Value]) -> Option<Rc<Proof>> {
        let tuples = self.x.model.relations.get(relation)?;
        let first = first_index(tuples, values)?;
        let grade = self.variants((relation, first)).max()?;
        self.prove(
            relation,
            &Tuple {
                values: values.into(),
                grade,
            },
        )
    }

    /// Notes a failure at step `index`, keeping the deepest.
    fn fail_at(r: &mut Refuse, index: usize, refusal: Refusal) {
        if r.deepest.as_ref().is_none_or(|(at, _)| index > *at) {
            r.deepest = Some((index, refusal));
        }
    }

    /// Steps through the body in written order, every instance, until one
    /// gets through or the budget is spent.
    fn refuse(&mut self, r: &mut Refuse, index: usize) {
        if r.derives || r.budget == 0 {
            return;
        }
        let Some(op) = r.ops.get(index) else {
            r.derives = true;
            return;
        };
        match op {
            Op::Scan { relation, terms } => {
                let candidates = self.lookup(*relation, terms, &r.bindings);
                if candidates.is_empty() {
                    let values = terms.iter().map(|s| value(*s, &r.bindings)).collect();
                    let relation = *relation;
                    Self::fail_at(
                        r,
                        index,
                        Refusal::Missing {
                            relation,
                            values,
                            because: Vec::new(),
                        },
                    );
                    return;
                }
                let tuples: &Relation = &self.x.model.relations[*relation];
                let mut i = 0;
                while let Some(candidate) = candidates.get(i) {
                    i += 1;
                    r.budget = r.budget.saturating_sub(1);
                    if r.budget == 0 || r.derives {
                        return;
                    }
                    let (bound_here, consistent) =
                        bind_terms(terms, tuples.values(candidate), &mut r.bindings);
                    if consistent {
                        self.refuse(r, index + 1);
                    }
                    unbind(&mut r.bindings, bound_here);
                }
            }
            Op::Absent { relation, terms } => {
                let candidates = self.lookup(*relation, terms, &r.bindings);
                match candidates.get(0) {
                    None => self.refuse(r, index + 1),
                    Some(found) => {
                        let values = self.x.model.relations[*relation].values(found).to_vec();
                        let relation = *relation;
                        Self::fail_at(
                            r,
                            index,
                            Refusal::Blocked {
                                relation,
                                proof: None,
                                values,
                            },
                        );
                    }
                }
            }
            Op::Test { builtin, args } => {
                let args: Option<Vec<Value>> =
                    args.iter().map(|s| value(*s, &r.bindings)).collect();
                let outcome = args.as_ref().and_then(|a| builtin::call(builtin, a));
                if matches!(
                    outcome,
                    Some(Outcome::Holds(true)) | Some(Outcome::Hedged(Some(_)))
                ) {
                    self.refuse(r, index + 1);
                } else {
                    let args: Vec<String> = args
                        .unwrap_or_default()
                        .iter()
                        .map(|v| self.show(*v))
                        .collect();
                    let condition = format!("{builtin}({}) does not hold", args.join(", "));
                    Self::fail_at(r, index, Refusal::Fails { condition });
                }
            }
            Op::Bind { var, builtin, args } => {
                let args: Option<Vec<Value>> =
                    args.iter().map(|s| value(*s, &r.bindings)).collect();
                if let Some(Outcome::Value(v)) = args.and_then(|a| builtin::call(builtin, &a)) {
                    self.refuse_bound(r, index, *var, v);
                }
            }
            Op::Let { var, value: slot } => {
                if let Some(v) = value(*slot, &r.bindings) {
                    self.refuse_bound(r, index, *var, v);
                }
            }
            Op::Compare { left, op, right } => {
                let (Some(l), Some(rv)) = (value(*left, &r.bindings), value(*right, &r.bindings))
                else {
                    return;
                };
                let holds = match op {
                    CmpOp::Eq => l == rv,
                    CmpOp::Ne => l != rv,
                    CmpOp::Lt => l < rv,
                };
                if holds {
                    self.refuse(r, index + 1);
                } else {
                    let op = match op {
                        CmpOp::Eq => "=",
                        CmpOp::Ne => "!=",
                        CmpOp::Lt => "<",
                    };
                    let condition =
                        format!("{} {op} {} does not hold", self.show(l), self.show(rv));
                    Self::fail_at(r, index, Refusal::Fails { condition });
                }
            }
        }
    }

    /// Binds a computed value and goes on; a value the conclusion fixed
    /// must be the one computed.
    fn refuse_bound(&mut self, r: &mut Refuse, index: usize, var: usize, value: Value) {
        match r.bindings[var] {
            Some(bound) if bound != value => {
                let condition = format!(
                    "the rule computes {}, not {}",
                    self.show(value),
                    self.show(bound)
                );
                Self::fail_at(r, index, Refusal::Fails { condition });
            }
            Some(_) => self.refuse(r, index + 1),
            None => {
                r.bindings[var] = Some(value);
                self.refuse(r, index + 1);
                r.bindings[var] = None;
            }
        }
    }

    fn show(&self, value: Value) -> String {
        match value {
            Value::Name(symbol) => self.x.facts.names.resolve(symbol).to_string(),
            Value::Date(date) if date.is_known() => date.to_string(),
            Value::Date(_) => "unknown".into(),
        }
    }
}
