//! The facts and conclusions as a STIX 2.1 bundle, for OpenCTI and MISP.
//!
//! Groups become `intrusion-set`s, persons `threat-actor`s, other entities
//! `identity`s, places `location`s, sources `report`s (and
//! `external_references` on everything they support); merger rows become
//! `derived-from` relationships, membership `attributed-to`, stated and
//! suspected links `related-to`, and locations rows `sighting`s.
//!
//! Ids are UUIDv5 of the object's type and canonical name (or its
//! endpoints and kind), so exporting again updates objects rather than
//! duplicating them. Timestamps come from the facts, never the clock:
//! `created` is the earliest date in the facts, `modified` the run's as-of.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};
use uuid::Uuid;

use crate::dl::program::Checked;
use crate::eval::rows_in_run;
use crate::facts::{Confidence, Date, Facts, Grade, Symbol, Value};
use crate::model::Model;

/// The namespace of every silsila STIX id: UUIDv5 of `urn:silsila:stix`
/// in the URL namespace.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:silsila:stix")
}

/// `type--uuid5(type|key)`.
fn id(kind: &str, key: &str) -> String {
    let name = format!("{kind}|{key}");
    format!("{kind}--{}", Uuid::new_v5(&namespace(), name.as_bytes()))
}

/// STIX's confidence (0–100) for our words, after the STIX 2.1
/// specification's Admiralty credibility scale (its appendix on confidence
/// scales): the middle of each band.
pub fn confidence(confidence: Confidence) -> u8 {
    match confidence {
        Confidence::Confirmed => 90,
        Confidence::Probable => 70,
        Confidence::Possible => 50,
        Confidence::Doubtful => 30,
        Confidence::Improbable => 10,
    }
}

/// A STIX timestamp for the first (or last) day of a date's period.
fn timestamp(date: Date, last: bool) -> String {
    let day = if last {
        date.last_day()
    } else {
        date.first_day()
    };
    let end = if last { "23:59:59.999" } else { "00:00:00.000" };
    format!("{}T{end}Z", Date::from_day(day))
}

struct Builder<'a> {
    facts: &'a Facts,
    created: String,
    modified: String,
    objects: BTreeMap<String, Map<String, Json>>,
    /// Per source id: the ids of the objects it supports.
    cited: BTreeMap<Symbol, Vec<String>>,
}

impl Builder<'_> {
    fn name(&self, value: Option<&Value>) -> Option<String> {
        match value {
            Some(Value::Name(s)) if !s.is_empty() => Some(self.facts.names.resolve(*s).to_string()),
            _ => None,
        }
    }

    fn common(&self, kind: &str, object_id: &str) -> Map<String, Json> {
        let mut object = Map::new();
        object.insert("type".into(), kind.into());
        object.insert("spec_version".into(), "2.1".into());
        object.insert("id".into(), object_id.into());
        object.insert("created".into(), self.created.clone().into());
        object.insert("modified".into(), self.modified.clone().into());
        object
    }

    /// Adds or strengthens an object, citing `sources`.
    fn put(
        &mut self,
        object_id: String,
        mut object: Map<String, Json>,
        grade: Option<Grade>,
        sources: &[Symbol],
    ) {
        if let Some(grade) = grade {
            object.insert("confidence".into(), confidence(grade.confidence).into());
            if grade.is_contested() {
                object.insert("labels".into(), json!(["contested"]));
            }
        }
        for source in sources {
            let refs = self.cited.entry(*source).or_default();
            if !refs.contains(&object_id) {
                refs.push(object_id.clone());
            }
        }
        match self.objects.get_mut(&object_id) {
            // A second row for the same tie: keep the stronger confidence,
            // and the union of their references below.
            Some(existing) => {
                let old = existing
                    .get("confidence")
                    .and_then(Json::as_u64)
                    .unwrap_or(0);
                let new = object.get("confidence").and_then(Json::as_u64).unwrap_or(0);
                if new > old {
                    for key in ["confidence", "labels"] {
                        match object.get(key) {
                            Some(value) => existing.insert(key.into(), value.clone()),
                            None => existing.remove(key),
                        };
                    }
                }
            }
            None => {
                self.objects.insert(object_id, object);
            }
        }
    }

    fn entity(&self, name: &str, groups: &[String], persons: &[String]) -> String {
        if groups.binary_search(&name.to_string()).is_ok() {
            id("intrusion-set", name)
        } else if persons.binary_search(&name.to_string()).is_ok() {
            id("threat-actor", name)
        } else {
            id("identity", name)
        }
    }
}

fn names_of(facts: &Facts, rules: &Checked, model: &Model, relation: &str) -> Vec<String> {
    let mut names: Vec<String> = rules
        .relation(relation)
        .and_then(|index| model.relations.get(index))
        .map(|r| {
            (0..r.len())
                .filter_map(|i| match r.values(i).first() {
                    Some(Value::Name(s)) => Some(facts.names.resolve(*s).to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// The bundle for these facts and this run.
pub fn bundle(facts: &Facts, rules: &Checked, model: &Model) -> Json {
    let earliest = facts
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.values.iter()))
        .filter_map(|v| match v {
            Value::Date(d) if d.is_known() => Some(*d),
            _ => None,
        })
        .chain(
            facts
                .sources()
                .iter()
                .map(|s| s.date)
                .filter(|d| d.is_known()),
        )
        .min_by_key(|d| d.first_day());
    let epoch = Date::ymd(1970, 1, 1);
    let as_of = if model.as_of.is_known() {
        model.as_of
    } else {
        epoch
    };
    let earliest = earliest.unwrap_or(epoch);
    let first = if earliest.first_day() <= as_of.first_day() {
        earliest
    } else {
        as_of
    };
    let created = timestamp(first, false);
    let mut b = Builder {
        facts,
        created,
        modified: timestamp(as_of, false),
        objects: BTreeMap::new(),
        cited: BTreeMap::new(),
    };
    let groups = names_of(facts, rules, model, "group");
    let persons = names_of(facts, rules, model, "person");
    // Every entity a row in the run names, by the columns of entity type.
    let mut entities: Vec<String> = Vec::new();
    for (relation, columns) in [
        ("entities", &[0usize][..]),
        ("membership", &[0, 1]),
        ("mergers", &[0, 1]),
        ("locations", &[0]),
        ("participants", &[1]),
        ("links", &[0, 1]),
    ] {
        if let Some(table) = facts.table(relation) {
            for (_, row) in rows_in_run(facts, table, model.as_of) {
                entities.extend(columns.iter().filter_map(|&c| b.name(row.values.get(c))));
            }
        }
    }
    entities.sort();
    entities.dedup();
    for name in &entities {
        let object_id = b.entity(name, &groups, &persons);
        let kind = object_id
            .split("--")
            .next()
            .unwrap_or("identity")
            .to_string();
        let mut object = b.common(&kind, &object_id);
        object.insert("name".into(), name.clone().into());
        match kind.as_str() {
            "threat-actor" => {
                object.insert("threat_actor_types".into(), json!(["unknown"]));
                object.insert("resource_level".into(), "individual".into());
            }
            "identity" => {
                object.insert("identity_class".into(), "organization".into());
            }
            _ => {}
        }
        b.put(object_id, object, None, &[]);
    }
    if let Some(table) = facts.table("places") {
        for (_, row) in rows_in_run(facts, table, model.as_of) {
            let Some(place) = b.name(row.values.first()) else {
                continue;
            };
            let object_id = id("location", &place);
            let mut object = b.common("location", &object_id);
            object.insert("name".into(), place.clone().into());
            let within = b.name(row.values.get(1));
            let kind = b.name(row.values.get(2));
            let mut description = kind.clone().unwrap_or_else(|| "place".into());
            if let Some(within) = &within {
                description.push_str(&format!(" within {within}"));
            }
            object.insert("description".into(), description.into());
            // STIX requires a region, country or coordinates; the facts
            // hold names only, so the region is the outermost place,
            // written as STIX writes vocabulary values.
            object.insert("region".into(), slug(&outermost(facts, &place)).into());
            b.put(object_id, object, None, &[]);
        }
    }
    let relate = |b: &mut Builder,
                  kind: &str,
                  from: &str,
                  to: &str,
                  what: &str,
                  description: String,
                  grade: Grade,
                  sources: &[Symbol]| {
        let source_ref = b.entity(from, &groups, &persons);
        let target_ref = b.entity(to, &groups, &persons);
        let object_id = id("relationship", &format!("{kind}|{from}|{to}|{what}"));
        let mut object = b.common("relationship", &object_id);
        object.insert("relationship_type".into(), kind.into());
        object.insert("source_ref".into(), source_ref.into());
        object.insert("target_ref".into(), target_ref.into());
        object.insert("description".into(), description.into());
        b.put(object_id, object, Some(grade), sources);
    };
    for (relation, kind) in [
        ("mergers", "derived-from"),
        ("membership", "attributed-to"),
        ("links", "related-to"),
    ] {
        let Some(table) = facts.table(relation) else {
            continue;
        };
        for (_, row) in rows_in_run(facts, table, model.as_of) {
            let v = &row.values;
            let (Some(a), Some(c)) = (b.name(v.first()), b.name(v.get(1))) else {
                continue;
            };
            let word = b.name(v.get(2)).unwrap_or_default();
            let dates: Vec<String> = v[3.min(v.len())..]
                .iter()
                .filter_map(|d| match d {
                    Value::Date(d) if d.is_known() => Some(d.to_string()),
                    _ => None,
                })
                .collect();
            let when = dates.join("–");
            match relation {
                // `into` was derived from `from`.
                "mergers" => relate(
                    &mut b,
                    kind,
                    &c,
                    &a,
                    &format!("{word}|{when}"),
                    format!("{a} → {c}: {word} {when}").trim().to_string(),
                    row.grade,
                    &row.sources,
                ),
                "membership" => relate(
                    &mut b,
                    kind,
                    &a,
                    &c,
                    &format!("{word}|{when}"),
                    format!("{a} member of {c} {word} {when}")
                        .trim()
                        .to_string(),
                    row.grade,
                    &row.sources,
                ),
                _ => relate(
                    &mut b,
                    kind,
                    &a,
                    &c,
                    &format!("{word}|{when}"),
                    format!("{a} {word} {c} {when}").trim().to_string(),
                    row.grade,
                    &row.sources,
                ),
            }
        }
    }
    if let Some(index) = rules.relation("suspected_link") {
        for tuple in model.conclusions(rules, index) {
            let v = &tuple.values;
            let (Some(a), Some(c)) = (b.name(v.first()), b.name(v.get(1))) else {
                continue;
            };
            let reason = b.name(v.get(2)).unwrap_or_default();
            let object_id = id(
                "relationship",
                &format!("related-to|{a}|{c}|suspected|{reason}"),
            );
            relate(&mut b, "related-to", &a, &c, &format!("suspected|{reason}"),
                format!("suspected link ({reason}), derived by silsila's rules; see silsila explain suspected_link"), tuple.grade, &[]);
            if let Some(object) = b.objects.get_mut(&object_id) {
                let mut labels = vec![
                    Json::from("suspected"),
                    Json::from(format!("reason:{reason}")),
                ];
                if tuple.grade.is_contested() {
                    labels.push("contested".into());
                }
                object.insert("labels".into(), labels.into());
            }
        }
    }
    if let Some(table) = facts.table("locations") {
        for (_, row) in rows_in_run(facts, table, model.as_of) {
            let v = &row.values;
            let (Some(who), Some(place)) = (b.name(v.first()), b.name(v.get(1))) else {
                continue;
            };
            let location = id("location", &place);
            if !b.objects.contains_key(&location) {
                let mut object = b.common("location", &location);
                object.insert("name".into(), place.clone().into());
                object.insert("region".into(), slug(&place).into());
                b.put(location.clone(), object, None, &[]);
            }
            let start = match v.get(2) {
                Some(Value::Date(d)) if d.is_known() => Some(*d),
                _ => None,
            };
            let end = match v.get(3) {
                Some(Value::Date(d)) if d.is_known() => Some(*d),
                _ => None,
            };
            let key = format!(
                "{who}|{place}|{}|{}",
                start.map(|d| d.to_string()).unwrap_or_default(),
                end.map(|d| d.to_string()).unwrap_or_default()
            );
            let object_id = id("sighting", &key);
            let mut object = b.common("sighting", &object_id);
            object.insert(
                "sighting_of_ref".into(),
                b.entity(&who, &groups, &persons).into(),
            );
            object.insert("where_sighted_refs".into(), json!([location]));
            if let Some(start) = start {
                object.insert("first_seen".into(), timestamp(start, false).into());
            }
            if let Some(end) = end {
                object.insert("last_seen".into(), timestamp(end, true).into());
            }
            b.put(object_id, object, Some(row.grade), &row.sources);
        }
    }
    // Sources: each as an external reference on the objects it supports,
    // and as a report of them.
    let references: BTreeMap<Symbol, Json> = facts
        .sources()
        .iter()
        .map(|s| {
            let mut reference = Map::new();
            let publisher = if s.publisher.is_empty() {
                "silsila source".to_string()
            } else {
                s.publisher.clone()
            };
            reference.insert("source_name".into(), publisher.into());
            reference.insert("external_id".into(), facts.names.resolve(s.id).into());
            if !s.title.is_empty() {
                reference.insert("description".into(), s.title.clone().into());
            }
            if !s.url.is_empty() {
                reference.insert("url".into(), s.url.clone().into());
            }
            (s.id, Json::Object(reference))
        })
        .collect();
    for (source, refs) in &b.cited.clone() {
        let Some(reference) = references.get(source) else {
            continue;
        };
        for object_id in refs {
            if let Some(object) = b.objects.get_mut(object_id) {
                let list = object
                    .entry("external_references")
                    .or_insert_with(|| json!([]));
                if let Some(list) = list.as_array_mut() {
                    list.push(reference.clone());
                }
            }
        }
    }
    for s in facts.sources() {
        let Some(refs) = b.cited.get(&s.id) else {
            continue;
        };
        let key = facts.names.resolve(s.id).to_string();
        let object_id = id("report", &key);
        let mut object = b.common("report", &object_id);
        let title = if s.title.is_empty() {
            key.clone()
        } else {
            s.title.clone()
        };
        object.insert("name".into(), title.into());
        let published = if s.date.is_known() {
            timestamp(s.date, false)
        } else {
            b.created.clone()
        };
        object.insert("published".into(), published.into());
        object.insert("report_types".into(), json!(["threat-report"]));
        object.insert(
            "description".into(),
            format!(
                "reliability {} ({})",
                s.reliability.letter(),
                s.reliability.describe()
            )
            .into(),
        );
        let mut refs = refs.clone();
        refs.sort();
        object.insert("object_refs".into(), refs.into());
        if let Some(reference) = references.get(&s.id) {
            object.insert("external_references".into(), json!([reference]));
        }
        b.objects.insert(object_id, object);
    }
    let objects: Vec<Json> = b.objects.into_values().map(Json::Object).collect();
    json!({
        "type": "bundle",
        "id": id("bundle", &format!("silsila|{}", timestamp(as_of, false))),
        "objects": objects,
    })
}

/// Lowercase, words joined by hyphens: `Daraa Governorate` → `daraa-governorate`.
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The outermost place `place` lies within, through `places.csv`.
fn outermost(facts: &Facts, place: &str) -> String {
    let Some(table) = facts.table("places") else {
        return place.to_string();
    };
    let mut here = place.to_string();
    for _ in 0..table.rows.len() {
        let parent =
            table
                .rows
                .iter()
                .find_map(|row| match (row.values.first(), row.values.get(1)) {
                    (Some(Value::Name(p)), Some(Value::Name(w)))
                        if !w.is_empty() && facts.names.resolve(*p) == here =>
                    {
                        Some(facts.names.resolve(*w).to_string())
                    }
                    _ => None,
                });
        match parent {
            Some(parent) => here = parent,
            None => break,
        }
    }
    here
}
