//! Checks one rule: every atom against its relation's declaration, every
//! variable typed and bound before use, and the body resolved into the
//! [`Step`]s that code generation walks.

use std::collections::{BTreeMap, HashMap};

use super::{column_count, Declared, Step};
use crate::dl::builtins::{self, Builtin, Returns};
use crate::dl::syntax::{Atom, CmpOp, DeclKind, Literal, Loc, Rule, RuleError, Term};
use crate::dl::types::Type;
use crate::suggest::nearest;

/// Tracks variables while walking a rule body.
struct Scope<'a> {
    types: BTreeMap<String, Type>,
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
    /// A misspelt type ([`Type::Unknown`]) was reported at its declaration
    /// and agrees with everything, so it is not reported again here as
    /// nonsense ("column x of d is an entiy").
    fn unify(&mut self, term: &Term, ty: Type, loc: &Loc, place: &str) -> Result<(), RuleError> {
        match term {
            Term::Var(name) => match self.types.get(name) {
                Some(known) if !known.agrees(ty) => Err(self.error(
                    loc,
                    format!(
                        "variable {name:?} is {} but {place} is {}",
                        known.with_article(),
                        ty.with_article()
                    ),
                )),
                Some(_) => Ok(()),
                None => {
                    self.types.insert(name.clone(), ty);
                    Ok(())
                }
            },
            Term::Str(text) if ty == Type::Date => Err(self.error(
                loc,
                format!("{place} is a date, which cannot be the constant {text:?}"),
            )),
            Term::Str(_) | Term::Wildcard => Ok(()),
        }
    }

    fn type_of(&self, term: &Term) -> Option<Type> {
        match term {
            Term::Var(name) => self.types.get(name).copied(),
            _ => None,
        }
    }
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

pub(super) fn check_rule(
    rule: &Rule,
    relations: &[Declared],
    index: &HashMap<&str, usize>,
    constants: &mut Vec<String>,
) -> Result<super::Rule, RuleError> {
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
                    if let Returns::Value(returned) = builtin.returns {
                        return Err(scope.error(
                            &atom.loc,
                            format!(
                                "built-in {:?} gives {}; bind it with \"variable = {}(…)\"",
                                atom.name,
                                returned.with_article(),
                                atom.name
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
                    scope.unify(term, *ty, &atom.loc, &place)?;
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
                let Returns::Value(returned) = builtin.returns else {
                    return Err(scope.error(
                        &call.loc,
                        format!("built-in {:?} is a test; use it as a condition", call.name),
                    ));
                };
                scope.types.insert(var.clone(), returned);
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
                        let ty = lt.or(rt).unwrap_or(Type::Word);
                        scope.unify(left, ty, loc, "the other side")?;
                        scope.unify(right, ty, loc, "the other side")?;
                        if *op == CmpOp::Lt && ty == Type::Date {
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
                        let ty = scope.type_of(value).unwrap_or(Type::Word);
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
                scope.unify(term, *ty, &rule.head.loc, &place)?;
            }
        }
    }
    note_constants(&rule.head.terms, constants);
    Ok(super::Rule {
        name: rule.name.clone(),
        reason: rule.reason.clone(),
        loc: rule.loc.clone(),
        head,
        head_terms: rule.head.terms.clone(),
        text: rule.to_string(),
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
        scope.unify(term, *ty, &call.loc, &place)?;
    }
    Ok(())
}
