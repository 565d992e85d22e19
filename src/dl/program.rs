//! The checked program, the rule language's one intermediate form: every
//! declared relation by index, and every rule with its body resolved into
//! [`Step`]s over typed variables. The checker ([`super::check`]) builds
//! it; the code generator, the instance layout, stratification, provenance
//! and the why-not search read it.

use std::collections::BTreeMap;

use super::syntax::{CmpOp, DeclKind, Loc, Term};
use super::types::Type;

/// A declared relation after checking: its columns, key and kind. (The
/// tuples evaluation derives for it are a `relation::Relation`.)
#[derive(Clone, Debug)]
pub struct Declared {
    /// Its name.
    pub name: String,
    /// Input, internal or output.
    pub kind: DeclKind,
    /// Column names and types.
    pub columns: Vec<(String, Type)>,
    /// Indices of the key columns: all of them unless the declaration names
    /// a key.
    pub key: Vec<usize>,
    /// Whether its conclusions are inferences, one step less confident than
    /// their premises (`inferred` in the declaration).
    pub inferred: bool,
    /// How explanations say a tuple of it in words, if the declaration
    /// says (`{column}` placeholders).
    pub says: Option<String>,
    /// For a relation computed after evaluation (`merges … by …`), what it
    /// is computed from; no rule derives or reads it.
    pub merges: Option<Merge>,
    /// Where it is declared.
    pub loc: Loc,
}

/// A relation of periods merged after evaluation (`crate::merge`): one
/// row per key and maximal period of `source`, at the most specific place
/// `within` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    /// The relation whose periods are merged, with the same columns.
    pub source: usize,
    /// The place hierarchy, `(place, place)`: a row `(r, q)` with `r != q`
    /// says `r` lies within `q`.
    pub within: usize,
}

/// One step of a rule body, in the order crepe evaluates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Match rows of a relation; each matched row is a premise.
    Scan {
        /// The relation's index.
        relation: usize,
        /// Its terms: bound variables and constants are joined on, unbound
        /// variables are bound.
        terms: Vec<Term>,
    },
    /// No row of the relation matches (all variables already bound).
    Absent {
        /// The relation's index.
        relation: usize,
        /// Its terms.
        terms: Vec<Term>,
    },
    /// A built-in test must hold.
    Test {
        /// The built-in's index in [`crate::dl::builtins::BUILTINS`].
        builtin: usize,
        /// Its arguments.
        args: Vec<Term>,
    },
    /// Binds a new variable to a built-in function's value.
    Bind {
        /// The variable.
        var: String,
        /// The built-in's index.
        builtin: usize,
        /// Its arguments.
        args: Vec<Term>,
    },
    /// Binds a new variable to the value of a bound variable or a constant.
    Let {
        /// The variable.
        var: String,
        /// The value.
        value: Term,
    },
    /// Compares two bound terms.
    Compare {
        /// Left side.
        left: Term,
        /// The operator.
        op: CmpOp,
        /// Right side.
        right: Term,
    },
}

/// A rule after checking: what it is called and why, where it is, what it
/// derives, and its body resolved into steps over typed variables.
#[derive(Clone, Debug)]
pub struct Rule {
    /// From the comment above it: `% name: reason`.
    pub name: String,
    /// The one-line reason an analyst would accept.
    pub reason: String,
    /// Where it starts.
    pub loc: Loc,
    /// The index of the relation it derives.
    pub head: usize,
    /// The conclusion's terms, as written.
    pub head_terms: Vec<Term>,
    /// The whole rule in one line, as `silsila rules --format json` shows it.
    pub text: String,
    /// The body as steps, in the written order.
    pub steps: Vec<Step>,
    /// The type of every variable.
    pub types: BTreeMap<String, Type>,
    /// The relations it reads, positively or negated, without repeats, in
    /// body order.
    pub reads: Vec<usize>,
}

/// A checked program.
#[derive(Clone, Debug)]
pub struct Checked {
    /// Every declared relation, in declaration order.
    pub relations: Vec<Declared>,
    /// Every rule, in file order (the order generated code keeps).
    pub rules: Vec<Rule>,
    /// Every distinct quoted constant, in order of first use.
    pub constants: Vec<String>,
}

impl Checked {
    /// The index of the relation with this name.
    pub fn relation(&self, name: &str) -> Option<usize> {
        self.relations.iter().position(|r| r.name == name)
    }

    /// The index of a constant.
    pub fn constant(&self, text: &str) -> Option<usize> {
        self.constants.iter().position(|c| c == text)
    }
}
