//! `silsila about`'s picture of one entity, as text or JSON: the
//! conclusions that name it and the fact rows that mention it.

use serde_json::{json, Value as Json};

use super::as_of_line;
use crate::about::About;
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

/// `{"name", "as_of", "conclusions", "rows"}`.
pub fn json(about: &About, as_of: Date) -> Json {
    json!({
        "name": about.name,
        "as_of": as_of.is_known().then(|| as_of.to_string()),
        "conclusions": super::json(&about.conclusions),
        "rows": about.mentions,
    })
}
