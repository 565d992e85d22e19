//! Everything concluded about one entity: each printed conclusion that
//! names it in any column (so lineage both ways, co-location and suspected
//! links whichever column it is in), with confidence and sources, and the
//! fact rows that mention it.
//!
//! Names are matched through aliases; a name that matches nothing is an
//! error that suggests the nearest known name.

use serde::Serialize;

use crate::conclusion;
use crate::conclusion::ConclusionTable;
use crate::dl::program::Checked;
use crate::dl::syntax::DeclKind;
use crate::error::{Error, Result};
use crate::facts::{Facts, Value};
use crate::model::Model;

/// A fact row that mentions the entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mention {
    /// The fact file's relation, such as `locations`.
    pub relation: String,
    /// The file as loaded (or workbook and sheet).
    pub file: String,
    /// The row's line (or sheet row).
    pub line: u32,
}

/// One entity's picture.
#[derive(Clone, Debug)]
pub struct About {
    /// The canonical name.
    pub name: String,
    /// Each output relation's conclusions that name it, in rule order;
    /// relations with none are left out.
    pub conclusions: Vec<ConclusionTable>,
    /// The fact rows that mention it, by relation, file and line.
    pub mentions: Vec<Mention>,
}

/// Everything concluded about `name` in `model`.
pub fn about(facts: &Facts, rules: &Checked, model: &Model, name: &str) -> Result<About> {
    let Some(symbol) = facts.names.lookup(name) else {
        let hint = facts
            .names
            .nearest(name)
            .map(|s| format!("; did you mean {:?}?", facts.names.resolve(s)))
            .unwrap_or_default();
        return Err(Error::Request(format!(
            "{name:?} is not a name in the facts{hint}"
        )));
    };
    let relations: Vec<usize> = (0..rules.relations.len())
        .filter(|&i| rules.relations[i].kind == DeclKind::Output)
        .collect();
    let wanted = Value::Name(symbol);
    let mut conclusions = conclusion::tables_where(facts, rules, model, &relations, &|t| {
        t.values.contains(&wanted)
    });
    conclusions.retain(|t| !t.rows.is_empty());
    let mut mentions = Vec::new();
    for table in &facts.tables {
        for row in &table.rows {
            if row.values.contains(&wanted) {
                mentions.push(Mention {
                    relation: table.file.name.to_string(),
                    file: row.origin.file.to_string(),
                    line: row.origin.line,
                });
            }
        }
    }
    mentions.sort();
    Ok(About {
        name: facts.names.resolve(symbol).to_string(),
        conclusions,
        mentions,
    })
}
