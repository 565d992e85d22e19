//! Why a conclusion does not hold, as an indented text tree: for every rule
//! that could derive it, the step that stops it, with the proofs of what
//! blocks it.

use super::{atom_text, branch, grade_text, sources_footer, wrap, write_node, Context, Mark};
use crate::explain::{Refusal, RowRef, RuleRefusal};
use crate::facts::Value;

/// Why a conclusion does not hold, as text: each rule that could derive it
/// and what stops it, with the proof of what blocks it.
pub fn why_not_text(context: &Context, why: &crate::conclusion::WhyNot) -> String {
    let mut out = format!(
        "{} does not hold\n",
        atom_text(context, why.relation, &why.values)
    );
    if let Some(printed) = &why.merged {
        out.push_str(&format!("   {}\n", merged_why_not(context, why.relation)));
        if printed.is_empty() {
            out.push_str(&format!(
                "   it prints none with the same {}\n",
                key_columns(context, why.relation)
            ));
        } else {
            out.push_str(&format!(
                "   what it prints with the same {}:\n",
                key_columns(context, why.relation)
            ));
        }
        for tuple in printed {
            out.push_str(&format!(
                "   - {}  {}\n",
                atom_text(
                    context,
                    why.relation,
                    &tuple.values.iter().copied().map(Some).collect::<Vec<_>>()
                ),
                grade_text(tuple.grade)
            ));
        }
    } else if why.refusals.is_empty() {
        out.push_str("   no rule derives conclusions of this form\n");
    }
    write_refusals(context, &why.refusals, "", &mut out);
    let mut rows = Vec::new();
    blocked_rows(&why.refusals, &mut rows);
    out.push_str(&sources_footer(context, &rows));
    wrap(&out, context.width)
}

/// The columns before a merged relation's place and period: `a, b`.
fn key_columns(context: &Context, relation: usize) -> String {
    let columns = context
        .rules
        .relations
        .get(relation)
        .map(|r| &r.columns[..r.columns.len().saturating_sub(3)])
        .unwrap_or_default();
    columns
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A merged relation's declaration and the names of its source and place
/// hierarchy; `None` for a relation that is not merged.
pub(super) fn merge_names<'c>(
    context: &Context<'c>,
    relation: usize,
) -> Option<(&'c crate::dl::program::Declared, &'c str, &'c str)> {
    let declared = context.rules.relations.get(relation)?;
    let merge = declared.merges?;
    let source = &context.rules.relations.get(merge.source)?.name;
    let within = &context.rules.relations.get(merge.within)?.name;
    Some((declared, source, within))
}

/// Why a merged relation leaves out values its source holds, in words.
pub(super) fn merged_why_not(context: &Context, relation: usize) -> String {
    let Some((declared, source, within)) = merge_names(context, relation) else {
        return String::new();
    };
    format!(
        "{source} holds for these values, but {} merges {source} by {within} ({}): periods that overlap or touch are one row, from the earliest start to the latest end, and a place is left out when a place {within} puts inside it holds the same period",
        declared.name, declared.loc
    )
}

/// The rows of the proofs of every blocking tuple, for the footer.
fn blocked_rows(refusals: &[RuleRefusal], rows: &mut Vec<RowRef>) {
    for refused in refusals {
        match &refused.refusal {
            Refusal::Blocked {
                proof: Some(proof), ..
            } => rows.extend(proof.rows()),
            Refusal::Missing { because, .. } => blocked_rows(because, rows),
            _ => {}
        }
    }
}

/// The premise a refusal names, in words: the missing one, or the negated
/// one that holds; text and JSON alike.
pub(super) fn premise_text(context: &Context, refusal: &Refusal) -> Option<String> {
    match refusal {
        Refusal::Missing {
            relation, values, ..
        } => Some(atom_text(context, *relation, values)),
        Refusal::Blocked {
            relation, values, ..
        } => {
            let values: Vec<Option<Value>> = values.iter().copied().map(Some).collect();
            Some(atom_text(context, *relation, &values))
        }
        Refusal::Fails { .. } | Refusal::Derives => None,
    }
}

fn write_refusals(context: &Context, refusals: &[RuleRefusal], indent: &str, out: &mut String) {
    for (i, refused) in refusals.iter().enumerate() {
        let (first, rest) = branch(indent, i + 1 == refusals.len());
        if let Some(rule) = context.rules.rules.get(refused.rule) {
            out.push_str(&format!(
                "{first}by rule {} ({}): {}\n",
                rule.name, rule.loc, rule.reason
            ));
        }
        let premise = premise_text(context, &refused.refusal).unwrap_or_default();
        match &refused.refusal {
            Refusal::Missing { because, .. } => {
                out.push_str(&format!("{rest}missing: no {premise} holds\n"));
                write_refusals(context, because, &rest, out);
            }
            Refusal::Blocked { proof, .. } => {
                out.push_str(&format!("{rest}blocked: {premise} holds\n"));
                if let Some(proof) = proof {
                    let indent = format!("{rest}   ");
                    write_node(context, proof, &indent, &indent, Mark::Root, out);
                }
            }
            Refusal::Fails { condition } => out.push_str(&format!("{rest}fails: {condition}\n")),
            Refusal::Derives => out.push_str(&format!(
                "{rest}derives it for some values, but not for those asked, or a stronger conclusion with the same key is printed\n"
            )),
        }
    }
}
