//! Proof trees as an indented text tree or as nested JSON objects.
//!
//! Each derived node shows the conclusion, the rule's name, place and reason,
//! and the conditions it checked; each leaf shows the fact, its rows
//! (`facts/mergers.csv:7`) and the sources behind them. The chain of
//! premises that sets the conclusion's confidence, from the conclusion down
//! to one fact row, is marked as the weakest.

mod json;
mod why_not;

pub use self::json::{contrary_json, json, why_not_json, Node};
pub use why_not::why_not_text;

use why_not::merge_names;

use crate::dl::program::Checked;
use crate::explain::{Condition, Proof, RowRef};
use crate::facts::{Facts, Grade, Symbol, Value};

/// How a proof leaf of the run's parameters says what was given:
/// `--as-of 2022-11-15, --recent 365 days (active since 2021-11-15)`.
pub fn run_given(model: &crate::model::Model, recent_days: u32) -> String {
    format!(
        "--as-of {}, --recent {recent_days} days (active since {})",
        super::date_or_none(model.as_of),
        super::date_or_none(model.recent_since)
    )
}

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
            let (name, says) =
                crate::dl::builtins::at(*builtin).map_or(("", ""), |b| (b.name, b.hedged_says));
            format!(
                "{}, so this is at most {cap}",
                builtin_text(name, says, &args)
            )
        }
        Condition::Test { builtin, args, .. } => {
            let args: Vec<String> = args.iter().map(|v| value_text(context.facts, *v)).collect();
            let (name, says) =
                crate::dl::builtins::at(*builtin).map_or(("", ""), |b| (b.name, b.says));
            builtin_text(name, says, &args)
        }
    }
}

/// A built-in's condition in words: its `says` with `{0}`, `{1}`, … filled
/// in, or `name(args)` when it says nothing.
fn builtin_text(name: &str, says: &str, args: &[String]) -> String {
    if says.is_empty() {
        return format!("{name}({})", args.join(", "));
    }
    let mut text = says.to_string();
    for (i, arg) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), arg);
    }
    text
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
                    if let Some(rule) = context.rules.rules.get(*rule) {
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

/// The prefixes of a tree branch under `indent`: its own line's, and its
/// children's; the last branch closes the line.
fn branch(indent: &str, last: bool) -> (String, String) {
    if last {
        (format!("{indent}└─ "), format!("{indent}   "))
    } else {
        (format!("{indent}├─ "), format!("{indent}│  "))
    }
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
