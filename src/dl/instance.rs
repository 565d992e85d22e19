//! What evaluation records of each rule it applies: an *instance*, the
//! values of every variable the rule bound and the grade of every premise
//! it matched. From an instance the premises are known exactly, so a proof
//! is read off the records, never searched for.
//!
//! The code generator lays out each rule's instance relation from
//! [`layout()`], and the library reads instances back with the same layout,
//! so the two cannot disagree. (This is the classic "firing relation"
//! rewriting of Datalog provenance: each rule `h :- b1, ..., bn` becomes
//! `fired(vars) :- b1, ..., bn` and `h :- fired(vars)`.)

use super::program::{Checked, Step};
use super::syntax::Term;
use super::types::Type;

/// Where one term of a rule takes its value from in a recorded instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The instance's captured value at this index.
    Capture(usize),
    /// The quoted constant at this index of [`Checked::constants`].
    Constant(usize),
    /// `_` in a negated atom: any value.
    Any,
}

/// How one rule's instances are recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The captured values, in order of binding: each variable once (named
    /// as in the rule), and each `_` of a positive atom (named `_N`), since
    /// it too fixes a value of the premise. Each with its type.
    pub captures: Vec<(String, Type)>,
    /// The head's terms.
    pub head: Vec<Slot>,
    /// For each step of the body, its terms: an atom's terms, a built-in's
    /// arguments, a `let`'s value, a comparison's two sides.
    pub steps: Vec<Vec<Slot>>,
    /// The positive atoms (premises): each step's index among the steps
    /// and the relation it scans; an instance records one grade for each,
    /// in this order.
    pub premises: Vec<(usize, usize)>,
}

/// The layout of the instances of rule `rule` of the checked program.
pub fn layout(checked: &Checked, rule: usize) -> Layout {
    let info = &checked.rules[rule];
    let mut captures: Vec<(String, Type)> = Vec::new();
    // Every variable of a checked rule has a type.
    let var_type = |name: &str| info.types.get(name).copied().unwrap_or(Type::Unknown);
    let mut wildcards = 0;
    let mut capture = |captures: &mut Vec<(String, Type)>,
                       term: &Term,
                       ty: Option<Type>,
                       positive: bool| match term {
        Term::Var(name) => match captures.iter().position(|(n, _)| n == name) {
            Some(i) => Slot::Capture(i),
            None => {
                captures.push((name.clone(), var_type(name)));
                Slot::Capture(captures.len() - 1)
            }
        },
        Term::Wildcard if positive => {
            captures.push((format!("_{wildcards}"), ty.unwrap_or(Type::Unknown)));
            wildcards += 1;
            Slot::Capture(captures.len() - 1)
        }
        Term::Wildcard => Slot::Any,
        Term::Str(text) => checked.constant(text).map_or(Slot::Any, Slot::Constant),
    };
    let mut steps = Vec::new();
    let mut premises = Vec::new();
    for (index, step) in info.steps.iter().enumerate() {
        let slots = match step {
            Step::Scan { relation, terms } | Step::Absent { relation, terms } => {
                let positive = matches!(step, Step::Scan { .. });
                if positive {
                    premises.push((index, *relation));
                }
                let columns = &checked.relations[*relation].columns;
                terms
                    .iter()
                    .zip(columns)
                    .map(|(term, (_, ty))| capture(&mut captures, term, Some(*ty), positive))
                    .collect()
            }
            Step::Test { args, .. } => args
                .iter()
                .map(|t| capture(&mut captures, t, None, false))
                .collect(),
            Step::Bind { var, args, .. } => {
                let mut slots: Vec<Slot> = args
                    .iter()
                    .map(|t| capture(&mut captures, t, None, false))
                    .collect();
                slots.push(capture(&mut captures, &Term::Var(var.clone()), None, false));
                slots
            }
            Step::Let { var, value } => {
                let value = capture(&mut captures, value, None, false);
                let var = capture(&mut captures, &Term::Var(var.clone()), None, false);
                vec![value, var]
            }
            Step::Compare { left, right, .. } => vec![
                capture(&mut captures, left, None, false),
                capture(&mut captures, right, None, false),
            ],
        };
        steps.push(slots);
    }
    let head = info
        .head_terms
        .iter()
        .map(|t| capture(&mut captures, t, None, false))
        .collect();
    Layout {
        captures,
        head,
        steps,
        premises,
    }
}
