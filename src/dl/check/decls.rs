//! Checks the declarations: column types, input relations against the
//! fact files' schema, merges, and that every declared relation is derived
//! and read as its kind promises.

use std::collections::HashSet;

use super::{Declared, Merge, Rule};
use crate::dl::builtins;
use crate::dl::syntax::{DeclKind, Program, RuleError};
use crate::dl::types::Type;
use crate::schema;

pub(super) fn check_decls(program: &Program, errors: &mut Vec<RuleError>) -> Vec<Declared> {
    let mut relations: Vec<Declared> = Vec::new();
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
            if Type::parse(&column.ty).is_none() {
                errors.push(error(format!(
                    "column {:?} has unknown type {:?}; types are {}",
                    column.name,
                    column.ty,
                    type_list(&Type::DECLARED)
                )));
            }
            if !seen.insert(column.name.as_str()) {
                errors.push(error(format!("column {:?} appears twice", column.name)));
            }
        }
        let columns: Vec<(String, Type)> = decl
            .columns
            .iter()
            .map(|c| (c.name.clone(), Type::named(&c.ty)))
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
        relations.push(Declared {
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
fn column_types(relation: &Declared) -> Vec<Type> {
    relation.columns.iter().map(|(_, t)| *t).collect()
}

/// Types as a declaration writes them: `place, date, date`.
fn type_list(types: &[Type]) -> String {
    types
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks `merges SOURCE by WITHIN` on a declaration: the merged relation
/// is derived, has the columns of `SOURCE`, ending in a place and a
/// period (`place`, `date`, `date`), and `WITHIN` is `(place, place)`.
fn check_merge(
    program: &Program,
    decl: &crate::dl::syntax::Decl,
    source: &str,
    within: &str,
    relations: &[Declared],
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
    let types: Vec<Type> = decl.columns.iter().map(|c| Type::named(&c.ty)).collect();
    if types.len() < 3 || types[types.len() - 3..] != [Type::Place, Type::Date, Type::Date] {
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
                    type_list(&theirs),
                    type_list(&types)
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
            if theirs != [Type::Place, Type::Place] {
                errors.push(error(format!(
                    "the place hierarchy {within:?} must have two place columns, not ({})",
                    type_list(&theirs)
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
fn input_mismatch(name: &str, columns: &[(String, Type)]) -> Option<String> {
    // The schema names types as rules write them (it is shared with the
    // build script and so cannot name this crate's `Type`).
    let typed = |name: &str, ty: &str| (name.to_string(), Type::named(ty));
    let expected: Vec<(String, Type)> = if name == schema::PARAMS_RELATION {
        schema::PARAMS_COLUMNS
            .iter()
            .map(|(n, t)| typed(n, t))
            .collect()
    } else {
        match schema::file(name) {
            Some(file) if file.role == schema::FileRole::Relation => file
                .rule_columns()
                .filter_map(|c| Some(typed(c.name, c.kind.rule_type()?)))
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

pub(super) fn check_derived(relations: &[Declared], rules: &[Rule], errors: &mut Vec<RuleError>) {
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
