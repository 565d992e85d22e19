//! Conclusions as printable tables: the model's printed tuples, names
//! resolved to canonical spellings, each with its confidence.

use crate::dl::check::Checked;
use crate::facts::{Facts, Value};
use crate::model::{Model, Tuple};
use crate::render::{Cell, Table};

/// The cell for one value.
pub fn cell(facts: &Facts, value: Value) -> Cell {
    match value {
        Value::Name(symbol) => Cell::Text(facts.names.resolve(symbol).to_string()),
        Value::Date(date) => Cell::Date(date.is_known().then(|| date.to_string())),
    }
}

/// The printed conclusions of each relation, in the order given.
pub fn tables(facts: &Facts, rules: &Checked, model: &Model, relations: &[usize]) -> Vec<Table> {
    relations
        .iter()
        .filter_map(|&index| {
            let relation = rules.relations.get(index)?;
            let mut columns: Vec<String> =
                relation.columns.iter().map(|(n, _)| n.clone()).collect();
            columns.push("confidence".into());
            let rows = model
                .conclusions(rules, index)
                .iter()
                .map(|tuple| row(facts, tuple))
                .collect();
            Some(Table {
                name: relation.name.clone(),
                columns,
                rows,
            })
        })
        .collect()
}

fn row(facts: &Facts, tuple: &Tuple) -> Vec<Cell> {
    let mut cells: Vec<Cell> = tuple.values.iter().map(|&v| cell(facts, v)).collect();
    cells.push(Cell::Text(tuple.grade.confidence.word().to_string()));
    cells
}
