//! Warnings about the controlled vocabulary: rows of `vocabulary.csv` that
//! mean nothing, and words of kind and role columns that the vocabulary
//! does not know.
//!
//! The rules read meanings only (see `rules/vocabulary.csv`), so an
//! unknown word never changes a conclusion: it is no evidence of a tie or
//! of hostility, and no locality. These warnings say so, so that an
//! analyst who wrote `provnce` or `ambushed` learns what the rules made of
//! it.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Facts, Origin, Symbol, Table, Value};
use crate::error::Problem;
use crate::schema::{self, VOCABULARY_FIELDS};
use crate::suggest::nearest;

/// Every vocabulary warning about `facts`.
pub fn lint(facts: &Facts, title: &dyn Fn(&str) -> String, out: &mut Vec<Problem>) {
    let Some(vocabulary) = facts.table(schema::VOCABULARY) else {
        return;
    };
    let text = |symbol: Symbol| facts.names.resolve(symbol).to_string();
    // The known words of each field, in vocabulary order (so that "did you
    // mean" follows the file, never a hash order).
    let mut known: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut meanings: FxHashMap<(String, String), (String, &Origin)> = FxHashMap::default();
    for ([field, word, meaning], row) in vocabulary.names(["field", "word", "meaning"]) {
        let (field, word, meaning) = (text(field), text(word), text(meaning));
        let Some((_, allowed)) = VOCABULARY_FIELDS.iter().find(|(f, _)| *f == field) else {
            let fields = VOCABULARY_FIELDS.iter().map(|(f, _)| *f);
            let hint = nearest(&field, fields)
                .map(|f| format!("; did you mean {f:?}?"))
                .unwrap_or_else(|| format!("; fields are {}", field_list()));
            out.push(warning(
                &row.origin,
                "field",
                format!(
                    "{field:?} is no field the vocabulary governs, so the row means nothing{hint}"
                ),
            ));
            continue;
        };
        if !allowed.contains(&meaning.as_str()) {
            let hint = match nearest(&meaning, allowed.iter().copied()) {
                Some(m) => format!("did you mean {m:?}? The meanings of {field} are"),
                None => format!("the meanings of {field} are"),
            };
            out.push(warning(
                &row.origin,
                "meaning",
                format!(
                    "{meaning:?} is not a meaning of {field}, so {word:?} means nothing; {hint} {}",
                    or_list(allowed)
                ),
            ));
            continue;
        }
        match meanings.get(&(field.clone(), word.clone())) {
            Some((other, first)) if *other != meaning => out.push(warning(
                &row.origin,
                "meaning",
                format!(
                    "{word:?} is given the meaning {meaning:?} here and {other:?} on line {}; \
                     the rules read both (a links.kind word that is also hostile is never a tie)",
                    first.line
                ),
            )),
            _ => {
                meanings.insert((field.clone(), word.clone()), (meaning, &row.origin));
            }
        }
        known.entry(field).or_default().push(word);
    }
    for table in &facts.tables {
        unknown_words(facts, table, &known, title, out);
    }
}

/// Warns of each word of a governed column that its field does not know,
/// once per file and word.
fn unknown_words(
    facts: &Facts,
    table: &Table,
    known: &FxHashMap<String, Vec<String>>,
    title: &dyn Fn(&str) -> String,
    out: &mut Vec<Problem>,
) {
    let columns: Vec<_> = table.file.rule_columns().collect();
    for (index, column) in columns.iter().enumerate() {
        let field = format!("{}.{}", table.file.name, column.name);
        let Some((_, allowed)) = VOCABULARY_FIELDS.iter().find(|(f, _)| *f == field) else {
            continue;
        };
        let words = known.get(&field).map(Vec::as_slice).unwrap_or_default();
        let set: FxHashSet<&str> = words.iter().map(String::as_str).collect();
        let mut warned: FxHashSet<Symbol> = FxHashSet::default();
        for row in &table.rows {
            let Some(Value::Name(symbol)) = row.values.get(index) else {
                continue;
            };
            let word = facts.names.resolve(*symbol);
            if symbol.is_empty() || set.contains(word) || !warned.insert(*symbol) {
                continue;
            }
            let hint = match nearest(word, words.iter().map(String::as_str)) {
                Some(near) => format!("did you mean {near:?}? Otherwise add"),
                None => "add".to_string(),
            };
            out.push(warning(
                &row.origin,
                column.name,
                format!(
                    "{word:?} is not in the vocabulary of {field}, so the rules read nothing into it; \
                     {hint} it to {} with its meaning ({})",
                    title(schema::VOCABULARY),
                    or_list(allowed)
                ),
            ));
        }
    }
}

fn warning(origin: &Origin, column: &str, message: String) -> Problem {
    Problem::warning(&origin.file, Some(origin.line), Some(column), message)
}

/// `a, b or c`.
fn or_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [only] => (*only).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn field_list() -> String {
    let fields: Vec<&str> = VOCABULARY_FIELDS.iter().map(|(f, _)| *f).collect();
    fields.join(", ")
}
