//! Checks a parsed program and resolves it into the
//! [`super::program::Checked`] program the code generator and the
//! explainer both walk: relations by index, each rule's body as a list of
//! steps with every variable typed and bound before use.
//!
//! Every error points at the user's rules file and line. Nothing that passes
//! this check may make crepe or rustc fail on the generated code.

use std::collections::HashMap;

use super::program::{Checked, Declared, Merge, Rule, Step};
use super::syntax::{Loc, Program, RuleError};

mod decls;
mod rule;

use decls::{check_decls, check_derived};
use rule::check_rule;

/// `1 column`, `4 columns`.
pub(super) fn column_count(count: usize) -> String {
    match count {
        1 => "1 column".to_string(),
        n => format!("{n} columns"),
    }
}

/// Parses and checks rules files given as (display path, text) pairs.
pub fn compile(files: &[(&str, &str)]) -> Result<Checked, Vec<RuleError>> {
    let (program, mut errors) = super::parser::parse(files);
    // Rules that did not parse are missing from the program, so what only
    // the whole program can show ("no rule derives d") would be noise.
    let whole = errors.is_empty();
    match check_program(program, whole) {
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
    check_program(program, true)
}

/// Checks a parsed program; whether every relation is derived and read
/// only when it is `whole`.
fn check_program(program: Program, whole: bool) -> Result<Checked, Vec<RuleError>> {
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
        if whole {
            check_derived(&relations, &rules, &mut errors);
        }
        // A cycle through a negation among the rules that parsed is one in
        // the whole program too.
        super::strata::check_strata(&relations, &rules, &mut errors);
    }
    if errors.is_empty() {
        Ok(Checked {
            relations,
            rules,
            constants,
        })
    } else {
        errors.sort();
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
