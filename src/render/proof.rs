//! Proof trees as an indented text tree or as nested JSON objects.
//!
//! Each derived node shows the conclusion, the rule's name, place and reason,
//! and the conditions it checked; each leaf shows the fact, its rows
//! (`facts/mergers.csv:7`) and the sources behind them. The chain of
//! premises that sets the conclusion's confidence, from the conclusion down
//! to one fact row, is marked as the weakest.

use serde_json::{json, Value as Json};

use crate::dl::check::Checked;
use crate::explain::{Condition, Proof, Refusal, RowRef, RuleRefusal};
use crate::facts::{Facts, Grade, Symbol, Value};

/// What rendering needs besides the proof.
pub struct Context<'a> {
    /// The facts, for names, rows and sources.
    pub facts: &'a Facts,
    /// The rules, for names, places and reasons.
    pub rules: &'a Checked,
    /// What the run's parameters were, shown for `run` leaves.
    pub run: String,
    /// How many columns text may take: the terminal's width, or 100.
    pub width: usize,
}

fn value_text(facts: &Facts, value: Value) -> String {
    match value {
        Value::Name(symbol) if symbol.is_empty() => "\"\"".into(),
        Value::Name(symbol) => facts.names.resolve(symbol).to_string(),
        Value::Date(date) if date.is_known() => date.to_string(),
        Value::Date(_) => "unknown".into(),
    }
}

/// `relation(column: value, …)`.
fn atom_text(context: &Context, relation: usize, values: &[Option<Value>]) -> String {
    let Some(declared) = context.rules.relations.get(relation) else {
        return String::new();
    };
    let fields: Vec<String> = declared
        .columns
        .iter()
        .zip(values)
        .map(|((name, _), value)| match value {
            Some(value) => format!("{name}: {}", value_text(context.facts, *value)),
            None => format!("{name}: any"),
        })
        .collect();
    format!("{}({})", declared.name, fields.join(", "))
}

fn tuple_text(context: &Context, proof: &Proof) -> String {
    let values: Vec<Option<Value>> = proof.tuple().values.iter().copied().map(Some).collect();
    atom_text(context, proof.relation(), &values)
}

fn grade_text(grade: Grade) -> String {
    if grade.is_contested() {
        format!("{} (contested)", grade.confidence)
    } else {
        grade.confidence.to_string()
    }
}

fn condition_text(context: &Context, condition: &Condition) -> String {
    match condition {
        Condition::Absent { relation, values } => {
            let declared = context.rules.relations.get(*relation);
            match declared.and_then(|r| r.says.as_deref().map(|says| (r, says))) {
                Some((declared, says)) => {
                    let mut text = says.to_string();
                    for ((name, _), value) in declared.columns.iter().zip(values) {
                        let value = match value {
                            Some(value) => value_text(context.facts, *value),
                            None => "any".to_string(),
                        };
                        text = text.replace(&format!("{{{name}}}"), &value);
                    }
                    if declared.kind == crate::dl::syntax::DeclKind::Input {
                        format!("no row says {text}")
                    } else {
                        format!("nothing shows {text}")
                    }
                }
                None => format!("no {}", atom_text(context, *relation, values)),
            }
        }
        Condition::Test {
            builtin,
            args,
            cap: Some(cap),
        } => {
            let args: Vec<String> = args.iter().map(|v| value_text(context.facts, *v)).collect();
            match args.as_slice() {
                [s1, e1, s2, e2] if *builtin == "overlaps" => format!(
                    "the periods {s1} to {e1} and {s2} to {e2} only possibly overlap \
                     (their dates are partial, open or unknown), so this is at most {cap}"
                ),
                _ => format!("{builtin}({}), so this is at most {cap}", args.join(", ")),
            }
        }
        Condition::Test { builtin, args, .. } => {
            let args: Vec<String> = args.iter().map(|v| value_text(context.facts, *v)).collect();
            let says = crate::dl::builtins::builtin(builtin)
                .map(|(_, b)| b.says)
                .unwrap_or_default();
            if says.is_empty() {
                return format!("{builtin}({})", args.join(", "));
            }
            let mut text = says.to_string();
            for (i, arg) in args.iter().enumerate() {
                text = text.replace(&format!("{{{i}}}"), arg);
            }
            text
        }
    }
}

fn source_text(facts: &Facts, id: Symbol) -> String {
    let name = facts.names.resolve(id);
    match facts.source(id) {
        None => name.to_string(),
        Some(source) => {
            let mut parts = vec![];
            if !source.claimant.is_empty() {
                parts.push(source.claimant.clone());
            }
            for part in [&source.publisher, &source.title] {
                if !part.is_empty() {
                    parts.push(format!("{part:?}"));
                }
            }
            if source.date.is_known() {
                parts.push(source.date.to_string());
            }
            if !source.url.is_empty() {
                parts.push(source.url.clone());
            }
            parts.push(format!("reliability {}", source.reliability.describe()));
            format!("{name}: {}", parts.join(", "))
        }
    }
}

/// Whether the proof's conclusion belongs to an inferred relation.
fn inferred(context: &Context, proof: &Proof) -> bool {
    matches!(proof, Proof::Rule { .. })
        && context
            .rules
            .relations
            .get(proof.relation())
            .is_some_and(|r| r.inferred)
}

/// The lowest cap the node's hedged tests set, if any.
fn conditions_cap(proof: &Proof) -> Option<crate::facts::Confidence> {
    let Proof::Rule { conditions, .. } = proof else {
        return None;
    };
    conditions
        .iter()
        .filter_map(|c| match c {
            Condition::Test { cap, .. } => *cap,
            Condition::Absent { .. } => None,
        })
        .min()
}

/// The proof as an indented tree, then the evidence against it, and the
/// sources all their rows cite listed once at the end; wrapped to the
/// context's width.
pub fn text(context: &Context, proof: &Proof, contrary: &[crate::conclusion::Contrary]) -> String {
    let mut out = String::new();
    write_node(context, proof, "", "", Mark::Root, &mut out);
    out.push_str(&contrary_text(context, proof, contrary));
    let mut rows = proof.rows();
    for item in contrary {
        rows.extend(item.proof.rows());
    }
    out.push_str(&sources_footer(context, &rows));
    wrap(&out, context.width)
}

/// `sources:` and one line per source the rows cite or dispute, in order
/// of first mention: id, publisher, title, date, url and reliability.
fn sources_footer(context: &Context, rows: &[RowRef]) -> String {
    let mut ids: Vec<Symbol> = Vec::new();
    for row in rows {
        let Some(row) = fact_row(context, *row) else {
            continue;
        };
        for id in row.sources.iter().chain(&row.disputed_by) {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
    }
    if ids.is_empty() {
        return String::new();
    }
    let mut out = String::from("sources:\n");
    for id in ids {
        out.push_str(&format!("  {}\n", source_text(context.facts, id)));
    }
    out
}

/// Wraps each line to `width` columns at spaces. A continued line keeps the
/// tree's lines on its left and is indented by two more columns.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let prefix: String = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '│' | '├' | '└' | '─'))
            .collect();
        let continued: String = prefix
            .chars()
            .map(|c| match c {
                '├' | '│' => '│',
                _ => ' ',
            })
            .chain("  ".chars())
            .collect();
        let body = &line[prefix.len()..];
        let mut current = prefix.clone();
        let mut used = prefix.chars().count();
        let mut empty = true;
        for word in body.split(' ') {
            let length = word.chars().count();
            if !empty && used + 1 + length > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = continued.clone();
                used = continued.chars().count();
                empty = true;
            }
            if !empty {
                current.push(' ');
                used += 1;
            }
            current.push_str(word);
            used += length;
            empty = false;
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// A file as explanations name it: relative to the working folder when it
/// lies below it (`facts/mergers.csv`, however `--facts` named it), else
/// as given.
fn relative_path(file: &str) -> String {
    let path = std::path::Path::new(file);
    let here = std::env::current_dir().ok();
    match here
        .as_deref()
        .and_then(|here| path.strip_prefix(here).ok())
    {
        Some(below) if path.is_absolute() && !below.as_os_str().is_empty() => {
            below.display().to_string()
        }
        _ => file.to_string(),
    }
}

/// A quote shortened to about two lines of `width` columns, with `…`.
fn shortened(quote: &str, width: usize) -> String {
    let limit = (2 * width).max(40);
    if quote.chars().count() <= limit {
        return quote.to_string();
    }
    let cut: String = quote.chars().take(limit.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > limit / 2 => cut[..at].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Where a node stands on the path of weakest premises from the root: the
/// chain that sets the conclusion's confidence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// The conclusion itself.
    Root,
    /// A premise on the chain.
    Weakest,
    /// Off the chain.
    Other,
}

impl Mark {
    /// The mark of premise `index` of a node marked `self` whose weakest
    /// premise is `weakest`.
    fn of_premise(self, index: usize, weakest: Option<usize>) -> Mark {
        if self != Mark::Other && weakest == Some(index) {
            Mark::Weakest
        } else {
            Mark::Other
        }
    }
}

/// How many levels a proof tree indents before it stops: deeper premises
/// are drawn at that depth with their level written out, so that a proof
/// thousands of steps deep (a long merger chain) prints in linear space.
const MAX_INDENT: usize = 12;

fn write_node(
    context: &Context,
    proof: &Proof,
    first: &str,
    rest: &str,
    mark: Mark,
    out: &mut String,
) {
    // Depth first with an explicit stack, premises in order: no recursion
    // as deep as the user's data.
    let mut stack: Vec<(&Proof, String, String, Mark, usize)> =
        vec![(proof, first.to_string(), rest.to_string(), mark, 0)];
    while let Some((proof, first, rest, mark, depth)) = stack.pop() {
        write_one(context, proof, &first, &rest, mark, depth, out);
        let Proof::Rule { premises, .. } = proof else {
            continue;
        };
        let weakest = proof.weakest_premise();
        let children = premises.iter().enumerate().rev().map(|(i, premise)| {
            let (first, next) = if depth + 1 >= MAX_INDENT {
                let first = format!("{rest}└─ (level {}) ", depth + 2);
                (first, rest.clone())
            } else {
                branch(&rest, i + 1 == premises.len())
            };
            (
                premise.as_ref(),
                first,
                next,
                mark.of_premise(i, weakest),
                depth + 1,
            )
        });
        stack.extend(children);
    }
}

/// One node of a proof tree, without its premises.
fn write_one(
    context: &Context,
    proof: &Proof,
    first: &str,
    rest: &str,
    mark: Mark,
    depth: usize,
    out: &mut String,
) {
    let label = if mark == Mark::Weakest {
        "  ◀ weakest premise"
    } else {
        ""
    };
    out.push_str(&format!(
        "{first}{}  {}{label}\n",
        tuple_text(context, proof),
        grade_text(proof.tuple().grade)
    ));
    match proof {
        Proof::Fact { rows, .. } => {
            let body = format!("{rest}   ");
            if rows.is_empty() {
                out.push_str(&format!("{body}given by the run: {}\n", context.run));
            }
            for row_ref in rows {
                write_row(context, *row_ref, &body, out);
            }
        }
        Proof::Rule {
            rule,
            premises,
            conditions,
            ..
        } => {
            let body = if premises.is_empty() || depth + 1 >= MAX_INDENT {
                format!("{rest}   ")
            } else {
                format!("{rest}│  ")
            };
            match rule {
                Some(rule) => {
                    if let Some(rule) = context.rules.program.rules.get(*rule) {
                        out.push_str(&format!(
                            "{body}by rule {} ({}): {}\n",
                            rule.name, rule.loc, rule.reason
                        ));
                    }
                }
                None => {
                    if let Some(text) = merge_text(context, proof) {
                        out.push_str(&format!("{body}{text}\n"));
                    }
                }
            }
            for condition in conditions {
                out.push_str(&format!(
                    "{body}given {}\n",
                    condition_text(context, condition)
                ));
            }
            if inferred(context, proof) {
                out.push_str(&format!(
                    "{body}an inference no row states, so one step less confident than its premises\n"
                ));
            }
        }
    }
}

/// How a tuple of a merged relation was computed, in words.
fn merge_text(context: &Context, proof: &Proof) -> Option<String> {
    let Proof::Rule { premises, .. } = proof else {
        return None;
    };
    let (declared, source, within) = merge_names(context, proof.relation())?;
    let count = premises.len();
    let how = if count == 1 {
        format!("from its one {source} period")
    } else {
        format!("by merging {count} {source} periods that overlap or touch")
    };
    Some(format!(
        "{how}; no place {within} puts inside this one holds the same period ({} merges {source} by {within}, {})",
        declared.name, declared.loc
    ))
}

/// The fact row a proof leaf names.
fn fact_row<'a>(context: &Context<'a>, row: RowRef) -> Option<&'a crate::facts::Row> {
    context.facts.tables.get(row.table)?.rows.get(row.row)
}

fn write_row(context: &Context, row_ref: RowRef, body: &str, out: &mut String) {
    let Some(row) = fact_row(context, row_ref) else {
        return;
    };
    let names = |ids: &[Symbol]| -> String {
        let ids: Vec<&str> = ids
            .iter()
            .map(|id| context.facts.names.resolve(*id))
            .collect();
        ids.join(", ")
    };
    let mut line = format!(
        "{body}row {}:{}",
        relative_path(&row.origin.file),
        row.origin.line
    );
    if !row.sources.is_empty() {
        line.push_str(&format!(", source {}", names(&row.sources)));
    }
    if !row.disputed_by.is_empty() {
        line.push_str(&format!(", disputed by {}", names(&row.disputed_by)));
    }
    out.push_str(&line);
    out.push('\n');
    if !row.notes.is_empty() {
        out.push_str(&format!(
            "{body}  “{}”\n",
            shortened(
                &row.notes,
                context.width.saturating_sub(body.chars().count() + 4)
            )
        ));
    }
}

fn source_json(facts: &Facts, id: Symbol) -> Json {
    match facts.source(id) {
        None => json!({ "id": facts.names.resolve(id) }),
        Some(source) => json!({
            "id": facts.names.resolve(id),
            "claimant": source.claimant,
            "publisher": source.publisher,
            "title": source.title,
            "date": source.date.is_known().then(|| source.date.to_string()),
            "url": source.url,
            "reliability": source.reliability.letter().to_string(),
        }),
    }
}

/// The proof as nested JSON objects (documented in the README).
pub fn json(context: &Context, proof: &Proof) -> Json {
    node_json(context, proof, Mark::Root)
}

fn node_json(context: &Context, proof: &Proof, mark: Mark) -> Json {
    let relation = context.rules.relations.get(proof.relation());
    let mut values = serde_json::Map::new();
    if let Some(relation) = relation {
        for ((name, _), value) in relation.columns.iter().zip(proof.tuple().values.iter()) {
            let value = match value {
                Value::Name(symbol) => Json::from(context.facts.names.resolve(*symbol)),
                Value::Date(date) => Json::from(date.is_known().then(|| date.to_string())),
            };
            values.insert(name.clone(), value);
        }
    }
    let grade = proof.tuple().grade;
    let mut node = json!({
        "relation": relation.map(|r| r.name.as_str()).unwrap_or_default(),
        "values": values,
        "confidence": grade.confidence.word(),
        "contested": grade.is_contested(),
        "weakest": mark == Mark::Weakest,
    });
    let Some(object) = node.as_object_mut() else {
        return node;
    };
    match proof {
        Proof::Fact { rows, .. } => {
            let rows: Vec<Json> = rows
                .iter()
                .filter_map(|r| {
                    let row = fact_row(context, *r)?;
                    Some(json!({
                        "file": row.origin.file.as_ref(),
                        "notes": row.notes.as_ref(),
                        "line": row.origin.line,
                        "sources": row.sources.iter().map(|s| source_json(context.facts, *s)).collect::<Vec<_>>(),
                        "disputed_by": row.disputed_by.iter().map(|s| source_json(context.facts, *s)).collect::<Vec<_>>(),
                    }))
                })
                .collect();
            if rows.is_empty() {
                object.insert("given".into(), context.run.clone().into());
            }
            object.insert("rows".into(), rows.into());
        }
        Proof::Rule {
            rule,
            premises,
            conditions,
            ..
        } => {
            match rule {
                Some(rule) => {
                    if let Some(rule) = context.rules.program.rules.get(*rule) {
                        object.insert("rule".into(), rule_json(rule));
                    }
                }
                None => {
                    object.insert("merged".into(), merge_text(context, proof).into());
                }
            }
            let conditions: Vec<Json> = conditions
                .iter()
                .map(|c| condition_text(context, c).into())
                .collect();
            object.insert("conditions".into(), conditions.into());
            object.insert("inferred".into(), inferred(context, proof).into());
            let at_most = conditions_cap(proof).map(|c| c.word());
            object.insert("at_most".into(), at_most.into());
            let weakest = proof.weakest_premise();
            let premises: Vec<Json> = premises
                .iter()
                .enumerate()
                .map(|(i, p)| node_json(context, p, mark.of_premise(i, weakest)))
                .collect();
            object.insert("premises".into(), premises.into());
        }
    }
    node
}

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
fn merge_names<'c>(
    context: &Context<'c>,
    relation: usize,
) -> Option<(&'c crate::dl::check::Relation, &'c str, &'c str)> {
    let declared = context.rules.relations.get(relation)?;
    let merge = declared.merges?;
    let source = &context.rules.relations.get(merge.source)?.name;
    let within = &context.rules.relations.get(merge.within)?.name;
    Some((declared, source, within))
}

/// Why a merged relation leaves out values its source holds, in words.
fn merged_why_not(context: &Context, relation: usize) -> String {
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

/// A rule as proof and why-not JSON name it: `name`, `file`, `line`,
/// `reason`.
fn rule_json(rule: &crate::dl::syntax::Rule) -> Json {
    json!({
        "name": rule.name,
        "file": rule.loc.file,
        "line": rule.loc.line,
        "reason": rule.reason,
    })
}

/// The prefixes of a tree branch under `indent`: its own line's, and its
/// children's; the last branch closes the line.
fn branch(indent: &str, last: bool) -> (String, String) {
    if last {
        (format!("{indent}└─ "), format!("{indent}   "))
    } else {
        (format!("{indent}├─ "), format!("{indent}│  "))
    }
}

fn write_refusals(context: &Context, refusals: &[RuleRefusal], indent: &str, out: &mut String) {
    for (i, refused) in refusals.iter().enumerate() {
        let (first, rest) = branch(indent, i + 1 == refusals.len());
        if let Some(rule) = context.rules.program.rules.get(refused.rule) {
            out.push_str(&format!(
                "{first}by rule {} ({}): {}\n",
                rule.name, rule.loc, rule.reason
            ));
        }
        match &refused.refusal {
            Refusal::Missing {
                relation,
                values,
                because,
            } => {
                out.push_str(&format!(
                    "{rest}missing: no {} holds\n",
                    atom_text(context, *relation, values)
                ));
                write_refusals(context, because, &rest, out);
            }
            Refusal::Blocked {
                relation,
                proof,
                values,
            } => {
                let values: Vec<Option<Value>> = values.iter().copied().map(Some).collect();
                out.push_str(&format!(
                    "{rest}blocked: {} holds\n",
                    atom_text(context, *relation, &values)
                ));
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

/// Why a conclusion does not hold, as JSON (documented in the README).
pub fn why_not_json(context: &Context, why: &crate::conclusion::WhyNot) -> Json {
    let relation = context.rules.relations.get(why.relation);
    let values = values_json(context, why.relation, why.values.iter().copied());
    json!({
        "relation": relation.map(|r| r.name.as_str()).unwrap_or_default(),
        "values": values,
        "holds": false,
        "rules": refusals_json(context, &why.refusals),
        "merged": why.merged.as_ref().map(|printed| json!({
            "because": merged_why_not(context, why.relation),
            "printed": printed
                .iter()
                .map(|t| values_json(context, why.relation, t.values.iter().copied().map(Some)))
                .collect::<Vec<_>>(),
        })),
    })
}

/// Values by column name (`null` for any), as proof JSON gives them.
fn values_json(
    context: &Context,
    relation: usize,
    values: impl IntoIterator<Item = Option<Value>>,
) -> Json {
    let mut out = serde_json::Map::new();
    if let Some(relation) = context.rules.relations.get(relation) {
        for ((name, _), value) in relation.columns.iter().zip(values) {
            let value = match value {
                None => Json::Null,
                Some(Value::Name(symbol)) => Json::from(context.facts.names.resolve(symbol)),
                Some(Value::Date(date)) => Json::from(date.is_known().then(|| date.to_string())),
            };
            out.insert(name.clone(), value);
        }
    }
    out.into()
}

fn refusals_json(context: &Context, refusals: &[RuleRefusal]) -> Json {
    refusals
        .iter()
        .map(|refused| {
            let rule = context.rules.program.rules.get(refused.rule);
            let mut node = json!({ "rule": rule.map(rule_json) });
            if let Some(object) = node.as_object_mut() {
                match &refused.refusal {
                    Refusal::Missing {
                        relation,
                        values,
                        because,
                    } => {
                        object.insert("outcome".into(), "missing".into());
                        object.insert(
                            "premise".into(),
                            atom_text(context, *relation, values).into(),
                        );
                        object.insert("because".into(), refusals_json(context, because));
                    }
                    Refusal::Blocked {
                        relation,
                        proof,
                        values,
                    } => {
                        let values: Vec<Option<Value>> = values.iter().copied().map(Some).collect();
                        object.insert("outcome".into(), "blocked".into());
                        object.insert(
                            "premise".into(),
                            atom_text(context, *relation, &values).into(),
                        );
                        object.insert(
                            "proof".into(),
                            proof
                                .as_ref()
                                .map(|p| json(context, p))
                                .unwrap_or(Json::Null),
                        );
                    }
                    Refusal::Fails { condition } => {
                        object.insert("outcome".into(), "fails".into());
                        object.insert("condition".into(), condition.clone().into());
                    }
                    Refusal::Derives => {
                        object.insert("outcome".into(), "derives".into());
                    }
                }
            }
            node
        })
        .collect::<Vec<_>>()
        .into()
}

/// The evidence against a conclusion, as text after its tree: ties the
/// rules did not count because opponents stand on them (with the proof of
/// the opposition), and the sources that dispute rows of the proof.
fn contrary_text(
    context: &Context,
    proof: &Proof,
    contrary: &[crate::conclusion::Contrary],
) -> String {
    let disputes = disputes(context, proof);
    if contrary.is_empty() && disputes.is_empty() {
        return String::new();
    }
    let mut out = String::from("evidence against it:\n");
    for (row, by) in &disputes {
        out.push_str(&format!("  row {row} is disputed by {by}\n"));
    }
    for item in contrary {
        let names = &context.facts.names;
        out.push_str(&format!(
            "  a {} tie through {} and {} is not counted: they are opponents\n",
            names.resolve(item.reason),
            names.resolve(item.via.0),
            names.resolve(item.via.1)
        ));
        write_node(context, &item.proof, "    ", "    ", Mark::Root, &mut out);
    }
    out
}

/// The contrary evidence as JSON, for the `contrary` key of a tree's root.
pub fn contrary_json(
    context: &Context,
    proof: &Proof,
    contrary: &[crate::conclusion::Contrary],
) -> Json {
    let names = &context.facts.names;
    let blocked: Vec<Json> = contrary
        .iter()
        .map(|item| {
            json!({
                "reason": names.resolve(item.reason),
                "via": [names.resolve(item.via.0), names.resolve(item.via.1)],
                "opposed": json(context, &item.proof),
            })
        })
        .collect();
    let disputed: Vec<Json> = disputes(context, proof)
        .into_iter()
        .map(|(row, by)| json!({ "row": row, "disputed_by": by }))
        .collect();
    json!({ "blocked_ties": blocked, "disputes": disputed })
}

/// Each row of the proof that a source disputes, with who disputes it.
fn disputes(context: &Context, proof: &Proof) -> Vec<(String, String)> {
    proof
        .rows()
        .into_iter()
        .filter_map(|r| fact_row(context, r))
        .filter(|row| !row.disputed_by.is_empty())
        .map(|row| {
            let by: Vec<&str> = row
                .disputed_by
                .iter()
                .map(|id| context.facts.names.resolve(*id))
                .collect();
            (row.origin.to_string(), by.join(", "))
        })
        .collect()
}
