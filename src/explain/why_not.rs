//! Why a conclusion does not hold: for every rule that could derive it, the
//! step of its body that no instance gets past. The one top-down reading of
//! the rules left, because what was not derived was never recorded.

use std::rc::Rc;

use super::compiled::{bind_terms, unbind, value, Op, Slot};
use super::{Proof, Search};
use crate::builtin::{self, Outcome};
use crate::dl::builtins;
use crate::dl::syntax::CmpOp;
use crate::facts::Value;
use crate::model::Relation;

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
                let outcome = args.as_ref().and_then(|a| builtin::call(*builtin, a));
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
                    let name = builtins::at(*builtin).map_or("", |b| b.name);
                    let condition = format!("{name}({}) does not hold", args.join(", "));
                    Self::fail_at(r, index, Refusal::Fails { condition });
                }
            }
            Op::Bind { var, builtin, args } => {
                let args: Option<Vec<Value>> =
                    args.iter().map(|s| value(*s, &r.bindings)).collect();
                if let Some(Outcome::Value(v)) = args.and_then(|a| builtin::call(*builtin, &a)) {
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
