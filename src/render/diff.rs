//! A diff of conclusions as text, CSV or JSON.

use std::io::Write;

use crate::diff::{Entry, Grade, RelationDiff, Where};

fn conclusion(relation: &str, entry: &Entry) -> String {
    let columns: Vec<String> = entry
        .columns
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    format!("{relation}({})", columns.join(", "))
}

fn grade(grade: &Grade) -> String {
    let mut text = grade.confidence.clone();
    if !grade.contested.is_empty() {
        text.push_str(&format!(", contested by {}", grade.contested.join(";")));
    }
    text.push_str(&format!(" [{}]", grade.sources.join(";")));
    text
}

/// What changed in a conclusion held on both sides:
/// `probable → possible; sources: a → a;b`.
fn changes(before: &Grade, after: &Grade) -> String {
    let mut parts = Vec::new();
    if before.confidence != after.confidence {
        parts.push(format!("{} → {}", before.confidence, after.confidence));
    }
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_string()
        } else {
            items.join(";")
        }
    };
    if before.contested != after.contested {
        parts.push(format!(
            "contested: {} → {}",
            list(&before.contested),
            list(&after.contested)
        ));
    }
    if before.sources != after.sources {
        parts.push(format!(
            "sources: {} → {}",
            list(&before.sources),
            list(&after.sources)
        ));
    }
    parts.join("; ")
}

/// One summary line per relation, then each conclusion that differs with
/// the fact rows that made the difference.
pub fn text(diffs: &[RelationDiff]) -> String {
    let mut out = String::new();
    for diff in diffs {
        out.push_str(&diff.summary());
        out.push('\n');
    }
    for diff in diffs {
        for entry in &diff.entries {
            let what = match (&entry.baseline, &entry.current) {
                (Some(b), Some(c)) => changes(b, c),
                (None, Some(c)) => grade(c),
                (Some(b), None) => grade(b),
                (None, None) => String::new(),
            };
            out.push_str(&format!(
                "{} {}  {what}\n",
                entry.change.mark(),
                conclusion(&diff.relation, entry)
            ));
            for cause in &entry.rows {
                let sign = match cause.side {
                    Where::Baseline => "-",
                    Where::Current => "+",
                };
                out.push_str(&format!(
                    "    {sign} row {}:{}\n",
                    cause.row.file, cause.row.line
                ));
            }
        }
    }
    out
}

/// The columns of `diff --format csv`.
pub const CSV_COLUMNS: [&str; 10] = [
    "relation",
    "change",
    "conclusion",
    "baseline_confidence",
    "confidence",
    "baseline_contested",
    "contested",
    "baseline_sources",
    "sources",
    "rows",
];

/// One CSV row per conclusion that differs; `change` is `appeared`,
/// `disappeared` or `changed`, and `rows` lists the fact rows that made
/// the difference, `baseline FILE:LINE` or `current FILE:LINE`,
/// `;`-separated.
pub fn write_csv(diffs: &[RelationDiff], out: impl Write) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    let field = |grade: &Option<Grade>, pick: fn(&Grade) -> String| {
        grade.as_ref().map(pick).unwrap_or_default()
    };
    for diff in diffs {
        for entry in &diff.entries {
            let rows: Vec<String> = entry
                .rows
                .iter()
                .map(|c| {
                    let side = if c.side == Where::Baseline {
                        "baseline"
                    } else {
                        "current"
                    };
                    format!("{side} {}:{}", c.row.file, c.row.line)
                })
                .collect();
            let record = [
                diff.relation.clone(),
                serde_json::to_value(entry.change)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                conclusion(&diff.relation, entry),
                field(&entry.baseline, |g| g.confidence.clone()),
                field(&entry.current, |g| g.confidence.clone()),
                field(&entry.baseline, |g| g.contested.join(";")),
                field(&entry.current, |g| g.contested.join(";")),
                field(&entry.baseline, |g| g.sources.join(";")),
                field(&entry.current, |g| g.sources.join(";")),
                rows.join(";"),
            ];
            writer.write_record(
                record
                    .iter()
                    .map(|c| super::csv_out::neutralise(c).into_owned()),
            )?;
        }
    }
    writer.flush()
}

/// An array of relations, each with its counts and entries.
pub fn json(diffs: &[RelationDiff]) -> serde_json::Value {
    serde_json::to_value(diffs).unwrap_or(serde_json::Value::Null)
}
