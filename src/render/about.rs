//! `silsila about`'s picture of one entity, as text or JSON: the
//! conclusions that name it and the fact rows that mention it.

use serde::Serialize;
use serde_json::Value as Json;

use super::as_of_line;
use crate::about::{About, Mention};
use crate::facts::Date;

/// The name, the as-of line, the conclusions as tables and the rows that
/// mention it. Not yet made safe for a terminal.
pub fn text(about: &About, as_of: Date, recent_since: Date) -> String {
    let mut text = format!("{}\n{}\n\n", about.name, as_of_line(as_of, recent_since));
    if about.conclusions.is_empty() {
        text.push_str("no conclusions name it\n");
    } else {
        text.push_str(&super::text(&about.conclusions));
    }
    text.push_str(&format!(
        "\nfact rows that mention it ({})\n",
        about.mentions.len()
    ));
    for mention in &about.mentions {
        text.push_str(&format!(
            "  {}:{}  {}\n",
            mention.file, mention.line, mention.relation
        ));
    }
    text
}

/// `silsila about --format json`, as the README documents it.
#[derive(Debug, Serialize)]
pub struct AboutJson<'a> {
    /// The canonical name.
    pub name: &'a str,
    /// The run's date, `null` when the facts hold none.
    pub as_of: Option<String>,
    /// The conclusions that name it, keyed by relation as in `infer`.
    pub conclusions: Json,
    /// The fact rows that mention it.
    pub rows: &'a [Mention],
}

/// The picture as JSON.
pub fn json(about: &About, as_of: Date) -> AboutJson<'_> {
    AboutJson {
        name: &about.name,
        as_of: as_of.is_known().then(|| as_of.to_string()),
        conclusions: super::json(&about.conclusions),
        rows: &about.mentions,
    }
}
