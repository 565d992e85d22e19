//! The rule listing of `silsila rules`: every rule's name, place, reason,
//! the relation it derives and the relations it reads, in file order; then
//! each relation merged after evaluation (`merges … by …`), named after
//! the relation, since no rule derives it.

use serde_json::{json, Value as Json};

use crate::dl::check::Checked;

/// Each merged relation: its index, what it reads, and what it does, in words.
fn merges(checked: &Checked) -> Vec<(usize, [&str; 2], String)> {
    checked
        .relations
        .iter()
        .enumerate()
        .filter_map(|(i, relation)| {
            let merge = relation.merges?;
            let source = checked.relations[merge.source].name.as_str();
            let within = checked.relations[merge.within].name.as_str();
            let reason = format!(
                "computed after the rules: one row per maximal period of {source} that overlap or touch, at the most specific place {within} allows"
            );
            Some((i, [source, within], reason))
        })
        .collect()
}

fn reads(checked: &Checked, rule: usize) -> Vec<&str> {
    checked.rules[rule]
        .reads
        .iter()
        .map(|&r| checked.relations[r].name.as_str())
        .collect()
}

/// The rules as readable text.
pub fn text(checked: &Checked) -> String {
    let mut out = String::new();
    for (i, rule) in checked.rules.iter().enumerate() {
        let reads = reads(checked, i);
        out.push_str(&format!(
            "{}  {}\n  {}\n  derives {} from {}\n\n",
            rule.name,
            rule.loc,
            rule.reason,
            checked.relations[rule.head].name,
            if reads.is_empty() {
                "nothing (a fact of the rules)".to_string()
            } else {
                reads.join(", ")
            }
        ));
    }
    for (i, reads, reason) in merges(checked) {
        let relation = &checked.relations[i];
        out.push_str(&format!(
            "{}  {}\n  {reason}\n  merges {} from {}\n\n",
            relation.name,
            relation.loc,
            relation.name,
            reads.join(", ")
        ));
    }
    out.pop();
    out
}

/// The rules as a JSON array.
pub fn json(checked: &Checked) -> Json {
    checked
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            json!({
                "name": rule.name,
                "file": rule.loc.file,
                "line": rule.loc.line,
                "reason": rule.reason,
                "rule": rule.text,
                "derives": checked.relations[rule.head].name,
                "reads": reads(checked, i),
                "merges": false,
            })
        })
        .chain(merges(checked).into_iter().map(|(i, reads, reason)| {
            let relation = &checked.relations[i];
            let (source, within) = (reads[0], reads[1]);
            json!({
                "name": relation.name,
                "file": relation.loc.file,
                "line": relation.loc.line,
                "reason": reason,
                "rule": format!("{} merges {source} by {within}", relation.name),
                "derives": relation.name,
                "reads": reads,
                "merges": true,
            })
        }))
        .collect::<Vec<_>>()
        .into()
}
