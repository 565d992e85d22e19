//! Proofs, why-not answers and contrary evidence as JSON, in the shapes
//! the README fixes.

use serde_json::{json, Value as Json};

use super::why_not::merged_why_not;
use super::{
    atom_text, condition_text, conditions_cap, disputes, fact_row, inferred, merge_text, Context,
    Mark,
};
use crate::explain::{Proof, Refusal, RuleRefusal};
use crate::facts::{Facts, Symbol, Value};

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
                    if let Some(rule) = context.rules.rules.get(*rule) {
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

/// A rule as proof and why-not JSON name it: `name`, `file`, `line`,
/// `reason`.
fn rule_json(rule: &crate::dl::check::Rule) -> Json {
    json!({
        "name": rule.name,
        "file": rule.loc.file,
        "line": rule.loc.line,
        "reason": rule.reason,
    })
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
            let rule = context.rules.rules.get(refused.rule);
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
