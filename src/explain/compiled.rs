//! The rules compiled for the why-not search: each rule's terms numbered
//! and its constants resolved, so that the search compares numbers, not
//! names, and the candidate tuples of one atom under the bindings so far.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use super::Search;
use crate::dl::instance;
use crate::dl::program::{Checked, Step};
use crate::dl::syntax::CmpOp;
use crate::facts::Value;
use crate::model::Model;

/// A rule's term with its variable numbered and its constant resolved, so
/// that the search compares numbers, not names.
#[derive(Clone, Copy, Debug)]
pub(super) enum Slot {
    Var(usize),
    Value(Value),
    Any,
}

/// A rule body step over numbered variables: a [`Step`], compiled.
#[derive(Debug)]
pub(super) enum Op {
    Scan {
        relation: usize,
        terms: Box<[Slot]>,
    },
    Absent {
        relation: usize,
        terms: Box<[Slot]>,
    },
    Test {
        /// The built-in's index in `dl::builtins::BUILTINS`.
        builtin: usize,
        args: Box<[Slot]>,
    },
    Bind {
        var: usize,
        builtin: usize,
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
pub(super) struct Compiled {
    /// The head's terms.
    pub(super) head: Box<[Slot]>,
    /// The body, in written order.
    pub(super) ops: Box<[Op]>,
    /// How many variables the rule has.
    pub(super) vars: usize,
    /// False when a quoted constant has no symbol, so nothing can match, or
    /// when the rule has more variables than the search tracks.
    pub(super) usable: bool,
}

/// The most variables a rule may have: a step records the variables it
/// bound in one 64-bit mask.
const MAX_VARS: usize = 64;

/// Compiles every rule for the why-not search over the same numbering of
/// its variables as the code generator's instances ([`instance::layout`]):
/// a variable (or a positive `_`) is the index of its capture, and a quoted
/// constant the model's symbol for it. So the search and evaluation read a
/// rule's steps alike.
pub(super) fn compile(rules: &Checked, model: &Model) -> Vec<Compiled> {
    (0..rules.rules.len())
        .map(|index| {
            let rule = &rules.rules[index];
            let layout = instance::layout(rules, index);
            let mut usable = true;
            let mut slot = |s: &instance::Slot| match *s {
                instance::Slot::Capture(i) => Slot::Var(i),
                instance::Slot::Constant(k) => match model.constants.get(k) {
                    Some(symbol) => Slot::Value(Value::Name(*symbol)),
                    None => {
                        usable = false;
                        Slot::Any
                    }
                },
                instance::Slot::Any => Slot::Any,
            };
            let head: Box<[Slot]> = layout.head.iter().map(&mut slot).collect();
            let ops: Box<[Op]> = rule
                .steps
                .iter()
                .zip(&layout.steps)
                .map(|(step, slots)| {
                    let mut slots: Vec<Slot> = slots.iter().map(&mut slot).collect();
                    match step {
                        Step::Scan { relation, .. } => Op::Scan {
                            relation: *relation,
                            terms: slots.into(),
                        },
                        Step::Absent { relation, .. } => Op::Absent {
                            relation: *relation,
                            terms: slots.into(),
                        },
                        Step::Test { builtin, .. } => Op::Test {
                            builtin: *builtin,
                            args: slots.into(),
                        },
                        // The layout puts the bound variable after the
                        // arguments, and after a `let`'s value.
                        Step::Bind { builtin, .. } => {
                            let var = slots.pop();
                            Op::Bind {
                                var: var_of(var),
                                builtin: *builtin,
                                args: slots.into(),
                            }
                        }
                        Step::Let { .. } => {
                            let var = slots.pop();
                            Op::Let {
                                var: var_of(var),
                                value: slots.pop().unwrap_or(Slot::Any),
                            }
                        }
                        Step::Compare { op, .. } => {
                            let right = slots.pop().unwrap_or(Slot::Any);
                            Op::Compare {
                                left: slots.pop().unwrap_or(Slot::Any),
                                op: *op,
                                right,
                            }
                        }
                    }
                })
                .collect();
            let vars = layout.captures.len();
            let bound_in_range = ops.iter().all(|op: &Op| match op {
                Op::Bind { var, .. } | Op::Let { var, .. } => *var < vars,
                _ => true,
            });
            Compiled {
                head,
                ops,
                vars,
                usable: usable && bound_in_range && vars <= MAX_VARS,
            }
        })
        .collect()
}

/// The variable a `let` or a built-in binds: always a capture in a checked
/// rule's layout.
fn var_of(slot: Option<Slot>) -> usize {
    match slot {
        Some(Slot::Var(var)) => var,
        // Not reached for a checked rule; an out-of-range variable marks the
        // rule unusable (see `compile`) rather than index past the bindings.
        _ => usize::MAX,
    }
}

/// Bound values → the positions of the tuples that have them.
pub(super) type Index = HashMap<Box<[Value]>, Rc<[u32]>>;

/// Candidate tuples for one atom: a run of the sorted relation when the
/// bound columns lead, else the positions an index lists.
pub(super) enum Candidates {
    Run(usize, usize),
    Listed(Rc<[u32]>),
}

impl Candidates {
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Candidates::Run(start, end) => end.saturating_sub(*start),
            Candidates::Listed(list) => list.len(),
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<usize> {
        match self {
            Candidates::Run(start, end) => (start + i < *end).then_some(start + i),
            Candidates::Listed(list) => list.get(i).map(|&p| p as usize),
        }
    }
}

/// A slot's value under the bindings; `None` for `_` and unbound variables.
pub(super) fn value(slot: Slot, bindings: &[Option<Value>]) -> Option<Value> {
    match slot {
        Slot::Var(var) => bindings[var],
        Slot::Value(v) => Some(v),
        Slot::Any => None,
    }
}

/// Binds an atom's unbound variables to a tuple's values: the mask of the
/// variables bound here (for [`unbind`]), and whether the tuple agrees
/// with the variables bound before.
pub(super) fn bind_terms(
    terms: &[Slot],
    values: &[Value],
    bindings: &mut [Option<Value>],
) -> (u64, bool) {
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

pub(super) fn unbind(bindings: &mut [Option<Value>], mut mask: u64) {
    while mask != 0 {
        let var = mask.trailing_zeros() as usize;
        bindings[var] = None;
        mask &= mask - 1;
    }
}

impl Search<'_, '_> {
    /// The relation's tuples that match the bound terms. When the bound
    /// columns are the leading ones, the sorted relation answers by binary
    /// search; otherwise an index is built on first use.
    pub(super) fn lookup(
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
