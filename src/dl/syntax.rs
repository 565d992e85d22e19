//! The rule language's syntax tree: what [`super::parser`] produces from
//! `rules/*.dl`, with every node's place in its file.
//!
//! ```text
//! % A comment runs from % to the end of the line.
//! .input mergers(from: entity, into: entity, kind: word, date: date)
//! .decl  superseded(group: entity)
//! .output descends_from(group: entity, ancestor: entity)
//! .output current_descendant(cell: entity, ancestor: entity, last_seen: date) key(cell, ancestor)
//!
//! % lineage-via-merger: a group formed by a merger descends from each group that merged into it
//! descends_from(group, ancestor) :- mergers(ancestor, group, _, _), group != ancestor.
//! ```
//!
//! A rule is named by the comment on the line directly above it, of the
//! form `% name: reason`. This module is shared with the build script, so it
//! depends on nothing but `std`.

use std::fmt;

/// A place in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file as the user sees it, such as `rules/lineage.dl`.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A mistake in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleError {
    /// Where it is.
    pub loc: Loc,
    /// What is wrong: lowercase, no trailing period, names quoted.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)
    }
}

/// Whether a relation is read from fact files, derived and kept internal, or
/// derived and printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    /// `.input`: rows come from the facts (or from the run's parameters).
    Input,
    /// `.decl`: derived, used by other rules.
    Internal,
    /// `.output`: derived and printed by `silsila infer`.
    Output,
}

/// A column of a relation: its name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDecl {
    /// The column name.
    pub name: String,
    /// The type name: `entity`, `place`, `event`, `word` or `date`.
    pub ty: String,
}

/// A relation declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    /// Input, internal or output.
    pub kind: DeclKind,
    /// The relation name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<ColumnDecl>,
    /// For an output: the columns that identify one conclusion, when fewer
    /// than all; of the rows that share a key, only the strongest (then
    /// latest) is printed.
    pub key: Option<Vec<String>>,
    /// Whether each of its conclusions is an inference beyond what the
    /// facts state (`inferred`): one step less confident than its premises.
    pub inferred: bool,
    /// For a relation computed after evaluation rather than derived by
    /// rules (`merges shared by counts_for`): the relation whose periods
    /// it merges and the place hierarchy that says which place is the
    /// more specific.
    pub merges: Option<(String, String)>,
    /// How explanations say a tuple of it in words, with `{column}`
    /// placeholders: `"{group} was superseded"`.
    pub says: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// A term: an argument of an atom.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A variable, such as `group`.
    Var(String),
    /// `_`: any value.
    Wildcard,
    /// A quoted constant, such as `"merger"`.
    Str(String),
}

impl Term {
    /// The term as an error message quotes it: `"group"`, `"_"`,
    /// `"merger"`.
    pub fn quoted(&self) -> String {
        match self {
            Term::Var(name) => format!("{name:?}"),
            Term::Wildcard => "\"_\"".to_string(),
            Term::Str(text) => format!("{text:?}"),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Var(name) => f.write_str(name),
            Term::Wildcard => f.write_str("_"),
            Term::Str(text) => write!(f, "{text:?}"),
        }
    }
}

/// `name(term, …)`: a relation atom, or a call of a built-in function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atom {
    /// The relation or built-in name.
    pub name: String,
    /// The arguments.
    pub terms: Vec<Term>,
    /// Where it is.
    pub loc: Loc,
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{term}")?;
        }
        f.write_str(")")
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`: equal, or binds an unbound variable on the left.
    Eq,
    /// `!=`.
    Ne,
    /// `<`, on names: alphabetical order.
    Lt,
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
        })
    }
}

/// One condition in a rule's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// `rel(…)` or `builtin(…)`, or `!rel(…)` when negated.
    Atom {
        /// Whether it is `!rel(…)`: no such row exists.
        negated: bool,
        /// The atom.
        atom: Atom,
    },
    /// `left op right`.
    Compare {
        /// Left side.
        left: Term,
        /// The operator.
        op: CmpOp,
        /// Right side.
        right: Term,
        /// Where it is.
        loc: Loc,
    },
    /// `var = function(…)`: binds a variable to a built-in function's value.
    Assign {
        /// The variable bound.
        var: String,
        /// The call.
        call: Atom,
    },
}

impl Literal {
    /// Where the literal is.
    pub fn loc(&self) -> &Loc {
        match self {
            Literal::Atom { atom, .. } | Literal::Assign { call: atom, .. } => &atom.loc,
            Literal::Compare { loc, .. } => loc,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Atom { negated, atom } => {
                write!(f, "{}{atom}", if *negated { "!" } else { "" })
            }
            Literal::Compare {
                left, op, right, ..
            } => write!(f, "{left} {op} {right}"),
            Literal::Assign { var, call } => write!(f, "{var} = {call}"),
        }
    }
}

/// A named rule: `head :- body.`, or a fact `head.` with no body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// From the comment above: `% name: reason`.
    pub name: String,
    /// The one-line reason an analyst would accept.
    pub reason: String,
    /// The conclusion.
    pub head: Atom,
    /// The conditions, in order; crepe joins them left to right.
    pub body: Vec<Literal>,
    /// Where the rule starts.
    pub loc: Loc,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.head)?;
        for (i, literal) in self.body.iter().enumerate() {
            f.write_str(if i == 0 { " :- " } else { ", " })?;
            write!(f, "{literal}")?;
        }
        f.write_str(".")
    }
}

/// Everything in a set of rules files, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// Relation declarations.
    pub decls: Vec<Decl>,
    /// Rules, in the order written.
    pub rules: Vec<Rule>,
}
