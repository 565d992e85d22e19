//! The rule listing of `silsila rules`: every rule's name, place, reason,
//! the relation it derives and the relations it reads, in file order; then
//! each relation merged after evaluation (`merges … by …`), named after
//! the relation, since no rule derives it.

use serde::Serialize;

use crate::dl::program::Checked;

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

/// One entry of `silsila rules --format json`: a rule, or a relation
/// merged after the rules (`merges` true). The README documents it.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    /// The rule's name (or the merged relation's).
    pub name: &'a str,
    /// The rules file.
    pub file: &'a str,
    /// Its line there.
    pub line: u32,
    /// Why an analyst would accept it.
    pub reason: String,
    /// The rule in one line.
    pub rule: String,
    /// The relation it derives.
    pub derives: &'a str,
    /// The relations it reads.
    pub reads: Vec<&'a str>,
    /// Whether it is a relation merged after the rules.
    pub merges: bool,
}

/// The rules as JSON: an array of [`Entry`].
pub fn json(checked: &Checked) -> Vec<Entry<'_>> {
    let rules = checked.rules.iter().enumerate().map(|(i, rule)| Entry {
        name: &rule.name,
        file: &rule.loc.file,
        line: rule.loc.line,
        reason: rule.reason.clone(),
        rule: rule.text.clone(),
        derives: &checked.relations[rule.head].name,
        reads: reads(checked, i),
        merges: false,
    });
    let merged = merges(checked).into_iter().map(|(i, reads, reason)| {
        let relation = &checked.relations[i];
        let (source, within) = (reads[0], reads[1]);
        Entry {
            name: &relation.name,
            file: &relation.loc.file,
            line: relation.loc.line,
            reason,
            rule: format!("{} merges {source} by {within}", relation.name),
            derives: &relation.name,
            reads: reads.to_vec(),
            merges: true,
        }
    });
    rules.chain(merged).collect()
}
