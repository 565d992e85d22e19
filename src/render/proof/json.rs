//! Proofs, why-not answers and contrary evidence as JSON. Each shape the
//! README documents is a type here: its fields are the keys, in order.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::why_not::{merged_why_not, premise_text};
use super::{
    condition_text, conditions_cap, disputes, fact_row, inferred, merge_text, Context, Mark,
};
use crate::explain::{Proof, Refusal, RuleRefusal};
use crate::facts::{Facts, Symbol, Value};

/// One node of a proof tree.
#[derive(Debug, Serialize)]
pub struct Node<'a> {
    /// The relation of the node's tuple.
    pub relation: &'a str,
    /// The tuple's values by column name (dates as strings or `null`).
    pub values: Map<String, Json>,
    /// Its confidence, as a word.
    pub confidence: &'static str,
    /// Whether a source disputes it.
    pub contested: bool,
    /// Whether it is on the marked chain of weakest premises.
    pub weakest: bool,
    /// A fact's rows, or a rule's application.
    #[serde(flatten)]
    pub body: Body<'a>,
    /// At the root: the evidence against the conclusion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contrary: Option<ContraryJson<'a>>,
}

/// What a node rests on.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Body<'a> {
    /// A fact: the rows that state it.
    Fact {
        /// For the run's parameters, which no row states: what was given.
        #[serde(skip_serializing_if = "Option::is_none")]
        given: Option<String>,
        /// The fact rows, with their sources.
        rows: Vec<RowJson<'a>>,
    },
    /// A conclusion: the rule (or merge) that derived it from its premises.
    Rule {
        /// The rule.
        #[serde(skip_serializing_if = "Option::is_none")]
        rule: Option<RuleJson<'a>>,
        /// For a merged relation, how it was merged (instead of `rule`).
        #[serde(skip_serializing_if = "Option::is_none")]
        merged: Option<String>,
        /// The conditions the rule checked, in words.
        conditions: Vec<String>,
        /// Whether the conclusion is an inference, a step less sure.
        inferred: bool,
        /// The confidence its dates cap it at, if any.
        at_most: Option<&'static str>,
        /// The premises, in rule order.
        premises: Vec<Node<'a>>,
    },
}

/// A fact row of a proof.
#[derive(Debug, Serialize)]
pub struct RowJson<'a> {
    /// The file (or workbook and sheet).
    pub file: &'a str,
    /// The analyst's notes, whole.
    pub notes: &'a str,
    /// The line (or sheet row).
    pub line: u32,
    /// The sources that state it.
    pub sources: Vec<SourceJson<'a>>,
    /// The sources that dispute it.
    pub disputed_by: Vec<SourceJson<'a>>,
}

/// A source as proofs cite it: its id, and what `sources.csv` says of it
/// when it lists it.
#[derive(Debug, Serialize)]
pub struct SourceJson<'a> {
    /// The source id.
    pub id: &'a str,
    /// What `sources.csv` says, when it lists the id.
    #[serde(flatten)]
    pub listed: Option<ListedSource<'a>>,
}

/// A source's row of `sources.csv`.
#[derive(Debug, Serialize)]
pub struct ListedSource<'a> {
    /// Who made the claim, for a claimant within an article.
    pub claimant: &'a str,
    /// Who published it.
    pub publisher: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its date, `null` when unknown.
    pub date: Option<String>,
    /// Where it is.
    pub url: &'a str,
    /// Its Admiralty reliability letter.
    pub reliability: String,
}

/// A rule as proof and why-not JSON name it.
#[derive(Debug, Serialize)]
pub struct RuleJson<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its rules file.
    pub file: &'a str,
    /// Its line there.
    pub line: u32,
    /// Why an analyst would accept it.
    pub reason: &'a str,
}

/// Why a conclusion does not hold.
#[derive(Debug, Serialize)]
pub struct WhyNotJson<'a> {
    /// The relation asked about.
    pub relation: &'a str,
    /// The values asked for by column (`null` for any).
    pub values: Map<String, Json>,
    /// Always false: a conclusion that holds is explained instead.
    pub holds: bool,
    /// Each rule that could derive it, and what stops it.
    pub rules: Vec<RefusalJson<'a>>,
    /// For a merged relation whose source holds the values: why the merge
    /// left them out, and the pair's printed rows.
    pub merged: Option<MergedWhyNot>,
}

/// Why the merge left out values its source holds.
#[derive(Debug, Serialize)]
pub struct MergedWhyNot {
    /// In a sentence.
    pub because: String,
    /// The printed rows of the same pair.
    pub printed: Vec<Map<String, Json>>,
}

/// One rule's refusal.
#[derive(Debug, Serialize)]
pub struct RefusalJson<'a> {
    /// The rule.
    pub rule: Option<RuleJson<'a>>,
    /// `missing`, `blocked`, `fails` or `derives`.
    pub outcome: &'static str,
    /// What the outcome is about.
    #[serde(flatten)]
    pub detail: RefusalDetail<'a>,
}

/// What a refusal names, by outcome.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum RefusalDetail<'a> {
    /// A premise no tuple matches, and, when derived, why it does not hold.
    Missing {
        /// The premise in words.
        premise: String,
        /// Its own refusals.
        because: Vec<RefusalJson<'a>>,
    },
    /// A negated premise that holds, with its proof.
    Blocked {
        /// The premise in words.
        premise: String,
        /// Why it holds.
        proof: Option<Box<Node<'a>>>,
    },
    /// A test or comparison that fails.
    Fails {
        /// The condition in words.
        condition: String,
    },
    /// Every step holds for some instance.
    Derives {},
}

/// The evidence against a conclusion, at the root of its tree.
#[derive(Debug, Serialize)]
pub struct ContraryJson<'a> {
    /// Ties not drawn because the two sides are opposed.
    pub blocked_ties: Vec<BlockedTie<'a>>,
    /// Rows of the proof that a source disputes.
    pub disputes: Vec<Dispute>,
}

/// A tie not drawn because its two sides are opposed.
#[derive(Debug, Serialize)]
pub struct BlockedTie<'a> {
    /// The tie's reason.
    pub reason: &'a str,
    /// The two entities it would have run through.
    pub via: [&'a str; 2],
    /// The proof that they are opposed.
    pub opposed: Node<'a>,
}

/// A disputed row of a proof.
#[derive(Debug, Serialize)]
pub struct Dispute {
    /// The row, as `file:line`.
    pub row: String,
    /// Who disputes it.
    pub disputed_by: String,
}

fn source_json(facts: &Facts, id: Symbol) -> SourceJson<'_> {
    SourceJson {
        id: facts.names.resolve(id),
        listed: facts.source(id).map(|source| ListedSource {
            claimant: &source.claimant,
            publisher: &source.publisher,
            title: &source.title,
            date: source.date.is_known().then(|| source.date.to_string()),
            url: &source.url,
            reliability: source.reliability.letter().to_string(),
        }),
    }
}

/// The proof as nested JSON objects (documented in the README).
pub fn json<'a>(context: &Context<'a>, proof: &Proof) -> Node<'a> {
    node_json(context, proof, Mark::Root)
}

fn node_json<'a>(context: &Context<'a>, proof: &Proof, mark: Mark) -> Node<'a> {
    let relation = context.rules.relations.get(proof.relation());
    let values = values_json(
        context,
        proof.relation(),
        proof.tuple().values.iter().copied().map(Some),
    );
    let grade = proof.tuple().grade;
    let body = match proof {
        Proof::Fact { rows, .. } => {
            let rows: Vec<RowJson> = rows
                .iter()
                .filter_map(|r| {
                    let row = fact_row(context, *r)?;
                    let sources = |ids: &[Symbol]| {
                        ids.iter()
                            .map(|s| source_json(context.facts, *s))
                            .collect::<Vec<_>>()
                    };
                    Some(RowJson {
                        file: row.origin.file.as_ref(),
                        notes: row.notes.as_ref(),
                        line: row.origin.line,
                        sources: sources(&row.sources),
                        disputed_by: sources(&row.disputed_by),
                    })
                })
                .collect();
            Body::Fact {
                given: rows.is_empty().then(|| context.run.clone()),
                rows,
            }
        }
        Proof::Rule {
            rule,
            premises,
            conditions,
            ..
        } => {
            let weakest = proof.weakest_premise();
            Body::Rule {
                rule: rule
                    .and_then(|rule| context.rules.rules.get(rule))
                    .map(rule_json),
                merged: rule.is_none().then(|| merge_text(context, proof)).flatten(),
                conditions: conditions
                    .iter()
                    .map(|c| condition_text(context, c))
                    .collect(),
                inferred: inferred(context, proof),
                at_most: conditions_cap(proof).map(|c| c.word()),
                premises: premises
                    .iter()
                    .enumerate()
                    .map(|(i, p)| node_json(context, p, mark.of_premise(i, weakest)))
                    .collect(),
            }
        }
    };
    Node {
        relation: relation.map(|r| r.name.as_str()).unwrap_or_default(),
        values,
        confidence: grade.confidence.word(),
        contested: grade.is_contested(),
        weakest: mark == Mark::Weakest,
        body,
        contrary: None,
    }
}

fn rule_json(rule: &crate::dl::program::Rule) -> RuleJson<'_> {
    RuleJson {
        name: &rule.name,
        file: &rule.loc.file,
        line: rule.loc.line,
        reason: &rule.reason,
    }
}

/// Why a conclusion does not hold, as JSON (documented in the README).
pub fn why_not_json<'a>(context: &Context<'a>, why: &crate::conclusion::WhyNot) -> WhyNotJson<'a> {
    let relation = context.rules.relations.get(why.relation);
    WhyNotJson {
        relation: relation.map(|r| r.name.as_str()).unwrap_or_default(),
        values: values_json(context, why.relation, why.values.iter().copied()),
        holds: false,
        rules: refusals_json(context, &why.refusals),
        merged: why.merged.as_ref().map(|printed| MergedWhyNot {
            because: merged_why_not(context, why.relation),
            printed: printed
                .iter()
                .map(|t| values_json(context, why.relation, t.values.iter().copied().map(Some)))
                .collect(),
        }),
    }
}

/// Values by column name (`null` for any), as proof JSON gives them.
fn values_json(
    context: &Context,
    relation: usize,
    values: impl IntoIterator<Item = Option<Value>>,
) -> Map<String, Json> {
    let mut out = Map::new();
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
    out
}

fn refusals_json<'a>(context: &Context<'a>, refusals: &[RuleRefusal]) -> Vec<RefusalJson<'a>> {
    refusals
        .iter()
        .map(|refused| {
            let premise = premise_text(context, &refused.refusal).unwrap_or_default();
            let (outcome, detail) = match &refused.refusal {
                Refusal::Missing { because, .. } => (
                    "missing",
                    RefusalDetail::Missing {
                        premise,
                        because: refusals_json(context, because),
                    },
                ),
                Refusal::Blocked { proof, .. } => (
                    "blocked",
                    RefusalDetail::Blocked {
                        premise,
                        proof: proof.as_ref().map(|p| Box::new(json(context, p))),
                    },
                ),
                Refusal::Fails { condition } => (
                    "fails",
                    RefusalDetail::Fails {
                        condition: condition.clone(),
                    },
                ),
                Refusal::Derives => ("derives", RefusalDetail::Derives {}),
            };
            RefusalJson {
                rule: context.rules.rules.get(refused.rule).map(rule_json),
                outcome,
                detail,
            }
        })
        .collect()
}

/// The contrary evidence, for the `contrary` key of a tree's root.
pub fn contrary_json<'a>(
    context: &Context<'a>,
    proof: &Proof,
    contrary: &[crate::conclusion::Contrary],
) -> ContraryJson<'a> {
    let names = &context.facts.names;
    ContraryJson {
        blocked_ties: contrary
            .iter()
            .map(|item| BlockedTie {
                reason: names.resolve(item.reason),
                via: [names.resolve(item.via.0), names.resolve(item.via.1)],
                opposed: json(context, &item.proof),
            })
            .collect(),
        disputes: disputes(context, proof)
            .into_iter()
            .map(|(row, disputed_by)| Dispute { row, disputed_by })
            .collect(),
    }
}
