//! Checks a parsed program and resolves it into the form the code generator
//! and the explainer both walk: relations by index, each rule's body as a
//! list of [`Step`]s with every variable typed and bound before use.
//!
//! Every error points at the user's rules file and line. Nothing that passes
//! this check may make crepe or rustc fail on the generated code.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::builtins::{self, Builtin};
use super::syntax::{Atom, CmpOp, DeclKind, Literal, Loc, Program, Rule, RuleError, Term};
use crate::schema;

/// The types a column or variable can have.
pub const TYPES: &[&str] = &["entity", "place", "event", "word", "date"];

/// A relation after checking.
#[derive(Clone, Debug)]
pub struct Relation {
    /// Its name.
    pub name: String,
    /// Input, internal or output.
    pub kind: DeclKind,
    /// Column names and types.
    pub columns: Vec<(String, String)>,
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

/// A relation of periods merged after evaluation ([`crate::merge`]): one
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
        /// The built-in's index in [`builtins::BUILTINS`].
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

/// A rule after checking.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    /// The index of the relation it derives.
    pub head: usize,
    /// The body as steps, in the written order.
    pub steps: Vec<Step>,
    /// The type of every variable.
    pub types: BTreeMap<String, String>,
    /// The relations it reads, positively or negated, without repeats, in
    /// body order.
    pub reads: Vec<usize>,
}

/// A checked program.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The parsed program, rules in file order.
    pub program: Program,
    /// Every declared relation, in declaration order.
    pub relations: Vec<Relation>,
    /// One entry per rule, parallel to `program.rules`.
    pub rules: Vec<RuleInfo>,
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

/// `1 column`, `4 columns`.
fn column_count(count: usize) -> String {
    match count {
        1 => "1 column".to_string(),
        n => format!("{n} columns"),
    }
}

/// Parses and checks rules files given as (display path, text) pairs.
pub fn compile(files: &[(&str, &str)]) -> Result<Checked, Vec<RuleError>> {
    let (program, mut errors) = super::parser::parse(files);
    match check(program) {
        Ok(checked) if errors.is_empty() => Ok(checked),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            errors.sort();
            errors.dedup();
            Err(errors)
        }
    }
}

/// Checks a parsed program.
pub fn check(program: Program) -> Result<Checked, Vec<RuleError>> {
    let mut errors = Vec::new();
    let relations = check_decls(&program, &mut errors);
    let index: HashMap<&str, usize> = relations
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut constants = Vec::new();
    let mut rules = Vec::new();
    let mut names: HashMap<&str, &Loc> = HashMap::new();
    for rule in &program.rules {
        if let Some(first) = names.insert(&rule.name, &rule.loc) {
            errors.push(RuleError {
                loc: rule.loc.clone(),
                message: format!("rule name {:?} is already used at {first}", rule.name),
            });
        }
        match check_rule(rule, &relations, &index, &mut constants) {
            Ok(info) => rules.push(info),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        check_derived(&relations, &rules, &mut errors);
        check_strata(&program, &relations, &rules, &mut errors);
    }
    if errors.is_empty() {
        Ok(Checked {
            program,
            relations,
            rules,
            constants,
        })
    } else {
        errors.sort();
        Err(errors)
    }
}

fn check_decls(program: &Program, errors: &mut Vec<RuleError>) -> Vec<Relation> {
    let mut relations: Vec<Relation> = Vec::new();
    for decl in &program.decls {
        let error = |message: String| RuleError {
            loc: decl.loc.clone(),
            message,
        };
        if let Some(first) = relations.iter().find(|r| r.name == decl.name) {
            errors.push(error(format!(
                "relation {:?} is already declared at {}",
                decl.name, first.loc
            )));
            continue;
        }
        if builtins::builtin(&decl.name).is_some() {
            errors.push(error(format!(
                "{:?} is a built-in function and cannot name a relation",
                decl.name
            )));
        }
        let mut seen = HashSet::new();
        for column in &decl.columns {
            if !TYPES.contains(&column.ty.as_str()) {
                errors.push(error(format!(
                    "column {:?} has unknown type {:?}; types are {}",
                    column.name,
                    column.ty,
                    TYPES.join(", ")
                )));
            }
            if !seen.insert(column.name.as_str()) {
                errors.push(error(format!("column {:?} appears twice", column.name)));
            }
        }
        let columns: Vec<(String, String)> = decl
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.ty.clone()))
            .collect();
        if decl.kind == DeclKind::Input {
            if let Some(message) = input_mismatch(&decl.name, &columns) {
                errors.push(error(message));
            }
        }
        let key = match &decl.key {
            None => (0..columns.len()).collect(),
            Some(names) => {
                if decl.kind != DeclKind::Output {
                    errors.push(error("only an .output relation can have a key".into()));
                }
                names
                    .iter()
                    .filter_map(|name| {
                        let position = columns.iter().position(|(c, _)| c == name);
                        if position.is_none() {
                            errors.push(error(format!(
                                "key column {name:?} is not a column of {:?}",
                                decl.name
                            )));
                        }
                        position
                    })
                    .collect()
            }
        };
        if let Some(says) = &decl.says {
            let mut rest = says.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else {
                    errors.push(error(format!("{says:?} has a \"{{\" without its \"}}\"")));
                    break;
                };
                let name = &rest[open + 1..open + close];
                if !decl.columns.iter().any(|c| c.name == name) {
                    errors.push(error(format!(
                        "{{{name}}} in {says:?} is not a column of {:?}",
                        decl.name
                    )));
                }
                rest = &rest[open + close + 1..];
            }
        }
        if decl.inferred && decl.kind == DeclKind::Input {
            errors.push(error(
                "an .input relation holds facts, so it cannot be inferred".into(),
            ));
        }
        relations.push(Relation {
            name: decl.name.clone(),
            kind: decl.kind,
            columns,
            key,
            inferred: decl.inferred,
            says: decl.says.clone(),
            merges: None,
            loc: decl.loc.clone(),
        });
    }
    for decl in &program.decls {
        if let Some((source, within)) = &decl.merges {
            let merges = check_merge(program, decl, source, within, &relations, errors);
            if let Some(relation) = relations.iter_mut().find(|r| r.name == decl.name) {
                relation.merges = merges;
            }
        }
    }
    relations
}

/// A relation's column types, in order.
fn column_types(relation: &Relation) -> Vec<&str> {
    relation.columns.iter().map(|(_, t)| t.as_str()).collect()
}

/// Checks `merges SOURCE by WITHIN` on a declaration: the merged relation
/// is derived, has the columns of `SOURCE`, ending in a place and a
/// period (`place`, `date`, `date`), and `WITHIN` is `(place, place)`.
fn check_merge(
    program: &Program,
    decl: &super::syntax::Decl,
    source: &str,
    within: &str,
    relations: &[Relation],
    errors: &mut Vec<RuleError>,
) -> Option<Merge> {
    let error = |message: String| RuleError {
        loc: decl.loc.clone(),
        message,
    };
    let mut ok = true;
    if decl.kind == DeclKind::Input {
        errors.push(error(
            "an .input relation holds facts, so it cannot merge another".into(),
        ));
        ok = false;
    }
    let types: Vec<&str> = decl.columns.iter().map(|c| c.ty.as_str()).collect();
    if types.len() < 3 || types[types.len() - 3..] != ["place", "date", "date"] {
        errors.push(error(format!(
            "{:?} merges periods, so its last three columns must be a place, a start and an end (place, date, date)",
            decl.name
        )));
        ok = false;
    }
    let source_at = relations.iter().position(|r| r.name == source);
    match source_at {
        None => {
            errors.push(error(format!("{source:?} is not a declared relation")));
            ok = false;
        }
        Some(at) => {
            let theirs = column_types(&relations[at]);
            if theirs != types {
                errors.push(error(format!(
                    "{:?} merges {source:?}, so it must have its column types ({}), not ({})",
                    decl.name,
                    theirs.join(", "),
                    types.join(", ")
                )));
                ok = false;
            }
            let source_merges = program
                .decls
                .iter()
                .any(|d| d.name == source && d.merges.is_some());
            if source_merges || source == decl.name {
                errors.push(error(format!(
                    "{source:?} is itself merged; merge the relation it merges"
                )));
                ok = false;
            }
        }
    }
    let within_at = relations.iter().position(|r| r.name == within);
    match within_at {
        None => {
            errors.push(error(format!("{within:?} is not a declared relation")));
            ok = false;
        }
        Some(at) => {
            let theirs = column_types(&relations[at]);
            if theirs != ["place", "place"] {
                errors.push(error(format!(
                    "the place hierarchy {within:?} must have two place columns, not ({})",
                    theirs.join(", ")
                )));
                ok = false;
            }
        }
    }
    match (ok, source_at, within_at) {
        (true, Some(source), Some(within)) => Some(Merge { source, within }),
        _ => None,
    }
}

/// Why an input declaration does not match the fact schema, if it does not.
fn input_mismatch(name: &str, columns: &[(String, String)]) -> Option<String> {
    let expected: Vec<(String, String)> = if name == schema::PARAMS_RELATION {
        schema::PARAMS_COLUMNS
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    } else {
        match schema::file(name) {
            Some(file) if file.role == schema::FileRole::Relation => file
                .rule_columns()
                .filter_map(|c| Some((c.name.to_string(), c.kind.rule_type()?.to_string())))
                .collect(),
            _ => {
                let known: Vec<&str> = schema::FILES
                    .iter()
                    .filter(|f| f.role == schema::FileRole::Relation)
                    .map(|f| f.name)
                    .chain([schema::PARAMS_RELATION])
                    .collect();
                return Some(format!(
                    "no fact file provides input {name:?}; inputs are {}",
                    known.join(", ")
                ));
            }
        }
    };
    if columns == expected.as_slice() {
        return None;
    }
    let spelled: Vec<String> = expected.iter().map(|(n, t)| format!("{n}: {t}")).collect();
    Some(format!(
        "input {name:?} must be declared as {name}({}), as the fact schema reads it",
        spelled.join(", ")
    ))
}

/// Tracks variables while walking a rule body.
struct Scope<'a> {
    types: BTreeMap<String, String>,
    rule: &'a Rule,
}

impl Scope<'_> {
    fn error(&self, loc: &Loc, message: String) -> RuleError {
        RuleError {
            loc: loc.clone(),
            message: format!("in rule {:?}: {message}", self.rule.name),
        }
    }

    fn is_bound(&self, term: &Term) -> bool {
        match term {
            Term::Var(name) => self.types.contains_key(name),
            Term::Str(_) => true,
            Term::Wildcard => false,
        }
    }

    /// Binds or checks the type of a term used where `ty` is expected.
    fn unify(&mut self, term: &Term, ty: &str, loc: &Loc, place: &str) -> Result<(), RuleError> {
        if !TYPES.contains(&ty) {
            // Reported at the declaration; comparing with it here would
            // only repeat that as nonsense ("column x of d is an entiy").
            return Ok(());
        }
        match term {
            Term::Var(name) => match self.types.get(name) {
                Some(known) if known != ty => Err(self.error(
                    loc,
                    format!(
                        "variable {name:?} is {} but {place} is {}",
                        a_type(known),
                        a_type(ty)
                    ),
                )),
                Some(_) => Ok(()),
                None => {
                    self.types.insert(name.clone(), ty.to_string());
                    Ok(())
                }
            },
            Term::Str(text) if ty == "date" => Err(self.error(
                loc,
                format!("{place} is a date, which cannot be the constant {text:?}"),
            )),
            Term::Str(_) | Term::Wildcard => Ok(()),
        }
    }

    fn type_of(&self, term: &Term) -> Option<&str> {
        match term {
            Term::Var(name) => self.types.get(name).map(String::as_str),
            _ => None,
        }
    }
}

/// A type with its article: "an entity", "a date".
fn a_type(ty: &str) -> String {
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {ty}")
}

fn note_constants(terms: &[Term], constants: &mut Vec<String>) {
    for term in terms {
        if let Term::Str(text) = term {
            if !constants.contains(text) {
                constants.push(text.clone());
            }
        }
    }
}

fn check_rule(
    rule: &Rule,
    relations: &[Relation],
    index: &HashMap<&str, usize>,
    constants: &mut Vec<String>,
) -> Result<RuleInfo, RuleError> {
    let mut scope = Scope {
        types: BTreeMap::new(),
        rule,
    };
    let mut steps = Vec::new();
    let mut reads = Vec::new();
    let relation_of = |atom: &Atom, scope: &Scope| -> Result<usize, RuleError> {
        index.get(atom.name.as_str()).copied().ok_or_else(|| {
            let hint = nearest(&atom.name, relations.iter().map(|r| r.name.as_str()))
                .map(|n| format!("; did you mean {n:?}?"))
                .unwrap_or_default();
            scope.error(&atom.loc, format!("unknown relation {:?}{hint}", atom.name))
        })
    };
    for literal in &rule.body {
        match literal {
            Literal::Atom { negated, atom } => {
                if let Some((position, builtin)) = builtins::builtin(&atom.name) {
                    if *negated {
                        return Err(scope.error(
                            &atom.loc,
                            format!("built-in {:?} cannot be negated", atom.name),
                        ));
                    }
                    if !builtin.is_test() {
                        return Err(scope.error(
                            &atom.loc,
                            format!(
                                "built-in {:?} gives a {}; bind it with \"variable = {}(…)\"",
                                atom.name, builtin.returns, atom.name
                            ),
                        ));
                    }
                    check_call(&mut scope, atom, builtin)?;
                    note_constants(&atom.terms, constants);
                    steps.push(Step::Test {
                        builtin: position,
                        args: atom.terms.clone(),
                    });
                    continue;
                }
                let relation = relation_of(atom, &scope)?;
                let columns = &relations[relation].columns;
                if atom.terms.len() != columns.len() {
                    return Err(scope.error(
                        &atom.loc,
                        format!(
                            "relation {:?} has {} but is used with {}",
                            atom.name,
                            column_count(columns.len()),
                            atom.terms.len()
                        ),
                    ));
                }
                if *negated {
                    for term in &atom.terms {
                        if let Term::Var(name) = term {
                            if !scope.is_bound(term) {
                                return Err(scope.error(
                                    &atom.loc,
                                    format!(
                                        "variable {name:?} in !{} must be bound earlier in the body (or use \"_\")",
                                        atom.name
                                    ),
                                ));
                            }
                        }
                    }
                }
                // A variable repeated within one atom is fine here; the code
                // generator turns the repeat into an equality test.
                for (term, (column, ty)) in atom.terms.iter().zip(columns) {
                    let place = format!("column {column:?} of {}", atom.name);
                    scope.unify(term, ty, &atom.loc, &place)?;
                }
                note_constants(&atom.terms, constants);
                if !reads.contains(&relation) {
                    reads.push(relation);
                }
                steps.push(if *negated {
                    Step::Absent {
                        relation,
                        terms: atom.terms.clone(),
                    }
                } else {
                    Step::Scan {
                        relation,
                        terms: atom.terms.clone(),
                    }
                });
            }
            Literal::Assign { var, call } => {
                let Some((position, builtin)) = builtins::builtin(&call.name) else {
                    return Err(scope.error(
                        &call.loc,
                        format!("{:?} is not a built-in function", call.name),
                    ));
                };
                if builtin.is_test() {
                    return Err(scope.error(
                        &call.loc,
                        format!("built-in {:?} is a test; use it as a condition", call.name),
                    ));
                }
                if scope.types.contains_key(var) {
                    return Err(scope.error(
                        &call.loc,
                        format!("variable {var:?} is already bound; \"=\" with a call binds a new variable"),
                    ));
                }
                check_call(&mut scope, call, builtin)?;
                note_constants(&call.terms, constants);
                scope.types.insert(var.clone(), builtin.returns.to_string());
                steps.push(Step::Bind {
                    var: var.clone(),
                    builtin: position,
                    args: call.terms.clone(),
                });
            }
            Literal::Compare {
                left,
                op,
                right,
                loc,
            } => {
                if matches!(left, Term::Wildcard) || matches!(right, Term::Wildcard) {
                    return Err(scope.error(loc, "\"_\" cannot be compared".into()));
                }
                note_constants(&[left.clone(), right.clone()], constants);
                let (left_bound, right_bound) = (scope.is_bound(left), scope.is_bound(right));
                match (left_bound, right_bound, op) {
                    (true, true, _) => {
                        let (lt, rt) = (scope.type_of(left), scope.type_of(right));
                        let ty = lt.or(rt).unwrap_or("word").to_string();
                        scope.unify(left, &ty, loc, "the other side")?;
                        scope.unify(right, &ty, loc, "the other side")?;
                        if *op == CmpOp::Lt && ty == "date" {
                            return Err(scope.error(
                                loc,
                                "\"<\" compares names; compare dates with a built-in such as overlaps".into(),
                            ));
                        }
                        steps.push(Step::Compare {
                            left: left.clone(),
                            op: *op,
                            right: right.clone(),
                        });
                    }
                    (false, true, CmpOp::Eq) | (true, false, CmpOp::Eq) => {
                        let (var, value) = if left_bound {
                            (right, left)
                        } else {
                            (left, right)
                        };
                        let Term::Var(name) = var else {
                            return Err(scope.error(loc, "cannot bind a constant".into()));
                        };
                        let ty = scope.type_of(value).unwrap_or("word").to_string();
                        scope.types.insert(name.clone(), ty);
                        steps.push(Step::Let {
                            var: name.clone(),
                            value: value.clone(),
                        });
                    }
                    _ => {
                        let unbound = if left_bound { right } else { left };
                        return Err(scope.error(
                            loc,
                            format!(
                                "variable {} must be bound earlier in the body before \"{op}\"",
                                unbound.quoted()
                            ),
                        ));
                    }
                }
            }
        }
    }
    let head = relation_of(&rule.head, &scope)?;
    let relation = &relations[head];
    if relation.kind == DeclKind::Input {
        return Err(scope.error(
            &rule.head.loc,
            format!(
                "{:?} is an input (its rows come from the facts); rules cannot derive it",
                relation.name
            ),
        ));
    }
    if rule.head.terms.len() != relation.columns.len() {
        return Err(scope.error(
            &rule.head.loc,
            format!(
                "relation {:?} has {} but the rule gives {}",
                relation.name,
                column_count(relation.columns.len()),
                rule.head.terms.len()
            ),
        ));
    }
    for (term, (column, ty)) in rule.head.terms.iter().zip(&relation.columns) {
        match term {
            Term::Wildcard => {
                return Err(scope.error(
                    &rule.head.loc,
                    format!("column {column:?} of the conclusion cannot be \"_\""),
                ))
            }
            Term::Var(name) if !scope.types.contains_key(name) => {
                return Err(scope.error(
                    &rule.head.loc,
                    format!("variable {name:?} in the conclusion is not bound by the body"),
                ))
            }
            _ => {
                let place = format!("column {column:?} of {}", relation.name);
                scope.unify(term, ty, &rule.head.loc, &place)?;
            }
        }
    }
    note_constants(&rule.head.terms, constants);
    Ok(RuleInfo {
        head,
        steps,
        types: scope.types,
        reads,
    })
}

fn check_call(scope: &mut Scope, call: &Atom, builtin: &Builtin) -> Result<(), RuleError> {
    if call.terms.len() != builtin.params.len() {
        return Err(scope.error(
            &call.loc,
            format!(
                "built-in {:?} takes {} arguments but is given {}",
                call.name,
                builtin.params.len(),
                call.terms.len()
            ),
        ));
    }
    for (i, (term, ty)) in call.terms.iter().zip(builtin.params).enumerate() {
        if !scope.is_bound(term) {
            return Err(scope.error(
                &call.loc,
                format!(
                    "argument {} of {} must be bound earlier in the body",
                    i + 1,
                    call.name
                ),
            ));
        }
        let place = format!("argument {} of {}", i + 1, call.name);
        scope.unify(term, ty, &call.loc, &place)?;
    }
    Ok(())
}

fn check_derived(relations: &[Relation], rules: &[RuleInfo], errors: &mut Vec<RuleError>) {
    let derived: HashSet<usize> = rules.iter().map(|r| r.head).collect();
    // A merge reads its source and place hierarchy as a rule would.
    let used: HashSet<usize> = rules
        .iter()
        .flat_map(|r| r.reads.iter().copied())
        .chain(
            relations
                .iter()
                .filter_map(|r| r.merges)
                .flat_map(|m| [m.source, m.within]),
        )
        .collect();
    for (i, relation) in relations.iter().enumerate() {
        if relation.merges.is_some() {
            for rule in rules {
                if rule.head == i {
                    errors.push(RuleError {
                        loc: relation.loc.clone(),
                        message: format!(
                            "{:?} is merged after evaluation, so no rule can derive it",
                            relation.name
                        ),
                    });
                }
            }
            if used.contains(&i) {
                errors.push(RuleError {
                    loc: relation.loc.clone(),
                    message: format!(
                        "{:?} is merged after evaluation, so no rule can read it; read the relation it merges",
                        relation.name
                    ),
                });
            }
            if relation.kind == DeclKind::Internal {
                errors.push(RuleError {
                    loc: relation.loc.clone(),
                    message: format!(
                        "no rule can read {:?}, since it is merged after evaluation; declare it .output",
                        relation.name
                    ),
                });
            }
            continue;
        }
        if relation.kind != DeclKind::Input && !derived.contains(&i) {
            errors.push(RuleError {
                loc: relation.loc.clone(),
                message: format!("no rule derives {:?}", relation.name),
            });
        }
        if relation.kind == DeclKind::Internal && !used.contains(&i) {
            errors.push(RuleError {
                loc: relation.loc.clone(),
                message: format!(
                    "no rule reads {:?}; declare it .output to print it",
                    relation.name
                ),
            });
        }
    }
}

/// Negation must not go through recursion: crepe evaluates in strata.
fn check_strata(
    program: &Program,
    relations: &[Relation],
    rules: &[RuleInfo],
    errors: &mut Vec<RuleError>,
) {
    // reach[a] = relations that a depends on, transitively.
    let n = relations.len();
    let mut depends: Vec<HashSet<usize>> = vec![HashSet::new(); n];
    for rule in rules {
        depends[rule.head].extend(rule.reads.iter().copied());
    }
    let mut reach = depends.clone();
    loop {
        let mut changed = false;
        for a in 0..n {
            let through: Vec<usize> = reach[a]
                .iter()
                .flat_map(|&b| reach[b].iter().copied())
                .collect();
            for c in through {
                changed |= reach[a].insert(c);
            }
        }
        if !changed {
            break;
        }
    }
    for (rule, info) in program.rules.iter().zip(rules) {
        for step in &info.steps {
            if let Step::Absent { relation, .. } = step {
                if *relation == info.head || reach[*relation].contains(&info.head) {
                    errors.push(RuleError {
                        loc: rule.loc.clone(),
                        message: format!(
                            "in rule {:?}: !{} depends on {:?} itself, so it cannot be negated here",
                            rule.name, relations[*relation].name, relations[info.head].name
                        ),
                    });
                }
            }
        }
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be
/// a likely typo.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRELUDE: &str = ".input mergers(from: entity, into: entity, kind: word, date: date)\n\
                           .input run(as_of: date, recent_since: date)\n";

    #[track_caller]
    fn check(rules: &str, expected: &[&str]) {
        let text = format!("{PRELUDE}{rules}");
        let got: Vec<String> = match compile(&[("rules/t.dl", &text)]) {
            Ok(_) => vec![],
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn accepts_a_well_formed_program() {
        check(
            ".output descends_from(group: entity, ancestor: entity)\n\
             % direct: a merger makes descent\n\
             descends_from(g, a) :- mergers(a, g, _, _), g != a.\n\
             % chain: descent is transitive\n\
             descends_from(g, a) :- mergers(p, g, _, _), descends_from(p, a), g != a.\n",
            &[],
        );
    }

    #[test]
    fn reports_what_crepe_would_choke_on_at_the_users_line() {
        check(
            ".output d(group: entity, ancestor: entity)\n\
             .decl e(group: entity)\n\
             % r1: unbound head variable\n\
             d(g, z) :- mergers(_, g, _, _).\n\
             % r2: unbound negation\n\
             d(g, a) :- mergers(a, g, _, _), !e(x).\n\
             % r3: type clash\n\
             d(g, k) :- mergers(_, g, k, _).\n\
             % r4: wrong arity and unknown relation\n\
             d(g, a) :- mergers(a, g, _), merger(a, g, _, _).\n\
             % r5: negation through recursion\n\
             e(g) :- mergers(g, _, _, _), !d(g, g).\n\
             % r6: date constant and date order\n\
             e(g) :- mergers(g, _, _, d), d = \"2020\".\n\
             % r6: duplicate name\n\
             d(a, a) :- mergers(a, _, _, _), known(a).\n\
             .input membership(member: entity)\n",
            &[
                "rules/t.dl:6: in rule \"r1\": variable \"z\" in the conclusion is not bound by the body",
                "rules/t.dl:8: in rule \"r2\": variable \"x\" in !e must be bound earlier in the body (or use \"_\")",
                "rules/t.dl:10: in rule \"r3\": variable \"k\" is a word but column \"ancestor\" of d is an entity",
                "rules/t.dl:12: in rule \"r4\": relation \"mergers\" has 4 columns but is used with 3",
                "rules/t.dl:16: in rule \"r6\": the other side is a date, which cannot be the constant \"2020\"",
                "rules/t.dl:18: in rule \"r6\": variable \"a\" is an entity but argument 1 of known is a date",
                "rules/t.dl:18: rule name \"r6\" is already used at rules/t.dl:16",
                "rules/t.dl:19: input \"membership\" must be declared as membership(member: entity, group: entity, role: word, start: date, end: date, reported: date), as the fact schema reads it",
            ],
        );
    }

    #[test]
    fn quotes_variables_and_counts_columns() {
        check(
            ".output d(group: entity, ancestor: entity)\n\
             .decl e(group: entity)\n\
             % r1: compares a variable not yet bound\n\
             d(g, a) :- mergers(a, g, _, _), z != a.\n\
             % r2: too many columns\n\
             e(g, g) :- mergers(g, _, _, _).\n\
             % r3: too few\n\
             d(g, g) :- e(g, g).\n",
            &[
                "rules/t.dl:6: in rule \"r1\": variable \"z\" must be bound earlier in the body before \"!=\"",
                "rules/t.dl:8: in rule \"r2\": relation \"e\" has 1 column but the rule gives 2",
                "rules/t.dl:10: in rule \"r3\": relation \"e\" has 1 column but is used with 2",
            ],
        );
    }

    #[test]
    fn a_misspelt_type_is_reported_once_where_it_is_declared() {
        check(
            ".output d(group: entity, ancestor: entiy)\n\
             % r1: uses the column\n\
             d(g, a) :- mergers(a, g, _, _).\n",
            &["rules/t.dl:3: column \"ancestor\" has unknown type \"entiy\"; types are entity, place, event, word, date"],
        );
    }

    #[test]
    fn negation_through_recursion_is_refused() {
        check(
            ".decl e(group: entity)\n\
             .output d(group: entity)\n\
             % r1: base\n\
             e(g) :- mergers(g, _, _, _), !d(g).\n\
             % r2: cycle\n\
             d(g) :- e(g).\n",
            &["rules/t.dl:6: in rule \"r1\": !d depends on \"e\" itself, so it cannot be negated here"],
        );
    }

    #[test]
    fn suggests_the_nearest_relation() {
        check(
            ".output descends_from(group: entity, ancestor: entity)\n\
             % r1: typo\n\
             descends_from(g, a) :- mergerz(a, g, _, _).\n",
            &["rules/t.dl:5: in rule \"r1\": unknown relation \"mergerz\"; did you mean \"mergers\"?"],
        );
    }

    const MERGING: &str = ".input places(place: place, within: place, kind: word)\n\
                           .decl within(inner: place, outer: place)\n\
                           .decl spans(g: entity, place: place, start: date, end: date)\n\
                           % w: a place lies within its parent\n\
                           within(p, q) :- places(p, q, _).\n\
                           % s: a merger's group at each place on its date\n\
                           spans(g, p, d, d) :- mergers(g, _, _, d), places(p, _, _).\n";

    #[test]
    fn accepts_a_relation_merged_after_evaluation() {
        check(
            &format!(
                "{MERGING}.output merged(g: entity, place: place, start: date, end: date) merges spans by within\n"
            ),
            &[],
        );
    }

    #[test]
    fn a_merged_relation_is_neither_derived_nor_read_by_rules() {
        check(
            &format!(
                "{MERGING}.output merged(g: entity, place: place, start: date, end: date) merges spans by within\n\
                 .output again(g: entity)\n\
                 % m: derives what is merged\n\
                 merged(g, p, d, d) :- spans(g, p, d, _).\n\
                 % a: reads what is merged\n\
                 again(g) :- merged(g, _, _, _).\n"
            ),
            &[
                "rules/t.dl:10: \"merged\" is merged after evaluation, so no rule can derive it",
                "rules/t.dl:10: \"merged\" is merged after evaluation, so no rule can read it; read the relation it merges",
            ],
        );
    }

    #[test]
    fn a_merge_needs_matching_columns_and_a_place_hierarchy() {
        check(
            &format!(
                "{MERGING}.output m1(g: entity, start: date, end: date) merges spans by within\n\
                 .output m2(g: entity, place: place, start: date, end: date) merges nothing by within\n\
                 .output m3(g: entity, place: place, start: date, end: date) merges spans by spans\n\
                 .output m4(g: entity, place: place, start: date, end: date) merges spans\n\
                 .output m5(g: entity, place: place, start: date, end: date) merges m6 by within\n\
                 .output m6(g: entity, place: place, start: date, end: date) merges spans by within\n"
            ),
            &[
                "rules/t.dl:10: \"m1\" merges \"spans\", so it must have its column types (entity, place, date, date), not (entity, date, date)",
                "rules/t.dl:10: \"m1\" merges periods, so its last three columns must be a place, a start and an end (place, date, date)",
                "rules/t.dl:11: \"nothing\" is not a declared relation",
                "rules/t.dl:12: the place hierarchy \"spans\" must have two place columns, not (entity, place, date, date)",
                "rules/t.dl:13: expected \"by\" and the place hierarchy after the merged relation",
                "rules/t.dl:14: \"m6\" is itself merged; merge the relation it merges",
            ],
        );
    }
}
