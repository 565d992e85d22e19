//! Proof trees: why a conclusion holds, down to spreadsheet rows and the
//! sources behind them.
//!
//! A proof is read off what evaluation recorded ([`crate::provenance`]):
//! each derived tuple's rule instance of least height, whose premises are
//! known exactly, down to the fact rows. So a proof never contains its own
//! conclusion, its printed confidence is the one evaluation computed, and
//! the rule language has one meaning, the code generator's. Among
//! derivations of least height the one shown is the first by rule order
//! and then by sorted instance, so the choice is deterministic for a given
//! model, though new facts can change it.
//!
//! `--why-not` asks of what was not derived, which nothing recorded: that
//! search alone walks the rules' steps over the model. Rendering a proof is
//! `render::proof`'s job.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::builtin::{self, Outcome};
use crate::dl::check::{Checked, Step};
use crate::dl::syntax::{CmpOp, DeclKind, Term};
use crate::facts::{Confidence, Facts, Grade, Symbol, Value};
use crate::model::{Model, Relation, Tuple};
use crate::provenance::{slot_value, At};

pub use crate::provenance::RowRef;

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
        /// The rule's index in the program; `None` for a tuple of a merged
        /// relation (`merges … by …`), whose premises are the tuples it
        /// merges.
        rule: Option<usize>,
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
    provenance_of_rows(facts, &proof.rows(), proof.tuple().grade.is_contested())
}

/// The sources and disputes of these fact rows; disputes only when the
/// conclusion resting on them is `contested`.
pub fn provenance_of_rows(facts: &Facts, rows: &[RowRef], contested: bool) -> Provenance {
    let mut sources = Vec::new();
    let mut disputed_by = Vec::new();
    for RowRef { table, row } in rows {
        if let Some(row) = facts.tables.get(*table).and_then(|t| t.rows.get(*row)) {
            sources.extend(row.sources.iter().copied());
            if contested {
                disputed_by.extend(row.disputed_by.iter().copied());
            }
        }
    }
    let by_name = |a: &Symbol, b: &Symbol| facts.names.resolve(*a).cmp(facts.names.resolve(*b));
    sources.sort_by(by_name);
    sources.dedup();
    disputed_by.sort_by(by_name);
    disputed_by.dedup();
    Provenance {
        sources,
        disputed_by,
    }
}

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
    /// The body, in written order.
    ops: Box<[Op]>,
    /// How many variables the rule has.
    vars: usize,
    /// False when a quoted constant has no symbol, so nothing can match, or
    /// when the rule has more variables than the search tracks.
    usable: bool,
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

fn compile(rules: &Checked, model: &Model) -> Vec<Compiled> {
    let name = |builtin: usize| crate::dl::builtins::BUILTINS[builtin].name;
    rules
        .program
        .rules
        .iter()
        .zip(&rules.rules)
        .map(|(rule, info)| {
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
                ops,
                vars,
                usable: n.usable && vars <= MAX_VARS,
            }
        })
        .collect()
}

/// What proofs are read from, and what why-not searches: the model with
/// its recorded derivations, and the rules compiled for the why-not
/// search. It does not change once built, so several threads can read one;
/// each [`Search`] remembers its own proofs.
pub struct Explainer<'a> {
    facts: &'a Facts,
    rules: &'a Checked,
    model: &'a Model,
    inputs: Vec<bool>,
    compiled: Vec<Compiled>,
    /// The rules deriving each relation, in program order.
    by_head: Vec<Vec<usize>>,
}

impl<'a> Explainer<'a> {
    /// An explainer for the conclusions of `model`.
    pub fn new(facts: &'a Facts, rules: &'a Checked, model: &'a Model) -> Self {
        let inputs: Vec<bool> = rules
            .relations
            .iter()
            .map(|r| r.kind == DeclKind::Input)
            .collect();
        let mut by_head = vec![Vec::new(); rules.relations.len()];
        for (index, info) in rules.rules.iter().enumerate() {
            if let Some(list) = by_head.get_mut(info.head) {
                list.push(index);
            }
        }
        Explainer {
            facts,
            rules,
            model,
            inputs,
            compiled: compile(rules, model),
            by_head,
        }
    }

    /// A reader of this explainer's proofs. Reuse one for many
    /// conclusions: it remembers the proofs it has built.
    pub fn search(&self) -> Search<'_, 'a> {
        Search {
            x: self,
            indexes: HashMap::default(),
            proved: HashMap::default(),
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

/// Proofs read off the recorded derivations, remembering those built; and
/// the why-not search, which alone reads the rules top-down, because what
/// was not derived was never recorded.
pub struct Search<'x, 'a> {
    x: &'x Explainer<'a>,
    /// (relation, bound-column mask) → bound values → tuple positions, for
    /// bound columns that do not lead.
    indexes: HashMap<(usize, u64), Index>,
    /// Proofs built, by tuple.
    proved: HashMap<At, Rc<Proof>>,
}

impl Search<'_, '_> {
    /// The proof of `tuple` in `relation` at its grade, as evaluation
    /// derived it, or `None` if the model does not hold it at that grade.
    pub fn prove(&mut self, relation: usize, tuple: &Tuple) -> Option<Rc<Proof>> {
        let position = self
            .x
            .model
            .relations
            .get(relation)?
            .find(&tuple.values, tuple.grade)?;
        Some(self.proof_at((relation, position)))
    }

    /// The proof of the tuple at `at`, built bottom-up from the recorded
    /// derivations without recursion, so that a proof as deep as the
    /// user's data cannot exhaust the stack.
    fn proof_at(&mut self, at: At) -> Rc<Proof> {
        let x = self.x;
        let derivations = &x.model.derivations;
        let mut stack = vec![(at, false)];
        while let Some((next, expanded)) = stack.pop() {
            if self.proved.contains_key(&next) {
                continue;
            }
            let premises: Vec<At> = derivations.premise_tuples(next).collect();
            if !expanded && !premises.is_empty() {
                stack.push((next, true));
                stack.extend(
                    premises
                        .iter()
                        .rev()
                        .filter(|p| !self.proved.contains_key(p))
                        .map(|p| (*p, false)),
                );
                continue;
            }
            let proof = self.node(next, &premises);
            self.proved.insert(next, Rc::new(proof));
        }
        Rc::clone(&self.proved[&at])
    }

    /// One node of a proof whose premises are already built.
    fn node(&self, at: At, premises: &[At]) -> Proof {
        let x = self.x;
        let model = x.model;
        let tuple = model.relations[at.0].tuple(at.1);
        let (rule, conditions) = if model.derivations.merged(at).is_some() {
            (None, Vec::new())
        } else {
            let Some((rule, instance)) = model.derivations.chosen(at) else {
                let rows = model
                    .derivations
                    .rows
                    .get(at.0)
                    .map(|rows| rows.of(at.1).to_vec())
                    .unwrap_or_default();
                return Proof::Fact {
                    relation: at.0,
                    tuple,
                    rows,
                };
            };
            let layout = &model.derivations.layouts[rule];
            let captured = model.derivations.instances[rule].values(instance);
            let values = |slots: &[crate::dl::instance::Slot]| -> Vec<Option<Value>> {
                slots
                    .iter()
                    .map(|s| slot_value(*s, captured, &model.constants))
                    .collect()
            };
            let conditions = x.rules.rules[rule]
                .steps
                .iter()
                .zip(&layout.steps)
                .filter_map(|(step, slots)| match step {
                    Step::Absent { relation, .. } => Some(Condition::Absent {
                        relation: *relation,
                        values: values(slots),
                    }),
                    Step::Test { builtin, .. } => {
                        let name = crate::dl::builtins::BUILTINS[*builtin].name;
                        let args: Vec<Value> = values(slots).into_iter().flatten().collect();
                        let cap = match builtin::call(name, &args) {
                            Some(Outcome::Hedged(Some(cap))) if cap < Confidence::Confirmed => {
                                Some(cap)
                            }
                            _ => None,
                        };
                        Some(Condition::Test {
                            builtin: name,
                            args,
                            cap,
                        })
                    }
                    _ => None,
                })
                .collect();
            (Some(rule), conditions)
        };
        Proof::Rule {
            rule,
            relation: at.0,
            tuple,
            premises: premises
                .iter()
                .map(|p| Rc::clone(&self.proved[p]))
                .collect(),
            conditions,
            height: model.derivations.height(at),
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
            let rule = &x.compiled[rule_index];
            if !rule.usable {
                continue; // it derives nothing, or more than a why-not tracks
            }
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
        let variants = self.x.model.relations.get(relation)?.variants(values);
        // Sorted by values and then grade: the last is the strongest.
        let strongest = variants
            .end
            .checked_sub(1)
            .filter(|&i| i >= variants.start)?;
        Some(self.proof_at((relation, strongest)))
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
