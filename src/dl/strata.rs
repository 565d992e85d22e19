//! Stratification: negation must not go through recursion, since crepe
//! evaluates a program stratum by stratum and a negated relation must be
//! complete before it is read.

use std::collections::HashSet;

use super::program::{Declared, Rule, Step};
use super::syntax::RuleError;

/// Negation must not go through recursion: crepe evaluates in strata.
pub(super) fn check_strata(relations: &[Declared], rules: &[Rule], errors: &mut Vec<RuleError>) {
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
    for rule in rules {
        for step in &rule.steps {
            if let Step::Absent { relation, .. } = step {
                if *relation == rule.head || reach[*relation].contains(&rule.head) {
                    errors.push(RuleError {
                        loc: rule.loc.clone(),
                        message: format!(
                            "in rule {:?}: !{} depends on {:?} itself, so it cannot be negated here",
                            rule.name, relations[*relation].name, relations[rule.head].name
                        ),
                    });
                }
            }
        }
    }
}
