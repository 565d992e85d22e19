//! The rule listing of `silsila rules`: every rule's name, place, reason,
//! the relation it derives and the relations it reads, in file order.

use serde_json::{json, Value as Json};

use crate::dl::check::Checked;

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
    for (i, (rule, info)) in checked.program.rules.iter().zip(&checked.rules).enumerate() {
        let reads = reads(checked, i);
        out.push_str(&format!(
            "{}  {}\n  {}\n  derives {} from {}\n\n",
            rule.name,
            rule.loc,
            rule.reason,
            checked.relations[info.head].name,
            if reads.is_empty() {
                "nothing (a fact of the rules)".to_string()
            } else {
                reads.join(", ")
            }
        ));
    }
    out.pop();
    out
}

/// The rules as a JSON array.
pub fn json(checked: &Checked) -> Json {
    checked
        .program
        .rules
        .iter()
        .zip(&checked.rules)
        .enumerate()
        .map(|(i, (rule, info))| {
            json!({
                "name": rule.name,
                "file": rule.loc.file,
                "line": rule.loc.line,
                "reason": rule.reason,
                "rule": rule.to_string(),
                "derives": checked.relations[info.head].name,
                "reads": reads(checked, i),
            })
        })
        .collect::<Vec<_>>()
        .into()
}
