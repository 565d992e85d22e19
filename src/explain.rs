//! Proof trees: why a conclusion holds, down to spreadsheet rows and the
//! sources behind them.
//!
//! A proof is read off what evaluation recorded (`crate::provenance`):
//! each derived tuple's rule instance of least height, whose premises are
//! known exactly, down to the fact rows. So a proof never contains its own
//! conclusion, its printed confidence is the one evaluation computed, and
//! the rule language has one meaning, the code generator's. Among
//! derivations of least height the one shown is the first by rule order
//! and then by sorted instance, so the choice is deterministic for a given
//! model, though new facts can change it.
//!
//! `--why-not` asks of what was not derived, which nothing recorded: that
//! search alone (`why_not`, over the rules of `compiled`) walks the
//! rules' steps over the model. Rendering a proof is
//! `render::proof`'s job.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::builtin::{self, Outcome};
use crate::dl::program::{Checked, Step};
use crate::dl::syntax::DeclKind;
use crate::facts::{Confidence, Facts, Grade, Symbol, Value};
use crate::model::{Model, Tuple};
use crate::provenance::{slot_value, At};

pub use crate::provenance::RowRef;
pub use why_not::{Refusal, RuleRefusal, WHY_NOT_DEPTH};

mod compiled;
mod why_not;

use compiled::{compile, Compiled, Index};

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
        /// The built-in's index in [`crate::dl::builtins::BUILTINS`].
        builtin: usize,
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

    /// Every fact row the proof rests on, in proof order (depth first,
    /// premises in rule order), without repeats. An explicit stack, so that
    /// a proof as deep as the user's data cannot exhaust the call stack.
    pub fn rows(&self) -> Vec<RowRef> {
        let mut rows = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack: Vec<&Proof> = vec![self];
        while let Some(proof) = stack.pop() {
            match proof {
                Proof::Fact { rows: own, .. } => {
                    rows.extend(own.iter().filter(|row| seen.insert(**row)));
                }
                Proof::Rule { premises, .. } => {
                    stack.extend(premises.iter().rev().map(|p| p.as_ref()));
                }
            }
        }
        rows
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
                        let args: Vec<Value> = values(slots).into_iter().flatten().collect();
                        let cap = match builtin::call(*builtin, &args) {
                            Some(Outcome::Hedged(Some(cap))) if cap < Confidence::Confirmed => {
                                Some(cap)
                            }
                            _ => None,
                        };
                        Some(Condition::Test {
                            builtin: *builtin,
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
}
