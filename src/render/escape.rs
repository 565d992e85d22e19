//! Making user text safe inside the markup and graph languages silsila
//! writes: XML (SVG, GraphML, HTML), DOT and Mermaid.
//!
//! Every name, word and note that reaches one of those outputs passes
//! through exactly one function here, so each language is escaped in one
//! place. Control characters other than tab and newline cannot appear in
//! XML 1.0 at all, and would garble a DOT or Mermaid file, so they become
//! U+FFFD everywhere.

/// Replaces control characters with U+FFFD; newlines and tabs become
/// spaces when `one_line`.
pub fn plain(text: &str, one_line: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' if one_line => ' ',
            '\n' | '\t' => c,
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Text for XML and HTML, in element content or a quoted attribute.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in plain(text, false).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A DOT double-quoted string, quotes included.
pub fn dot(text: &str) -> String {
    let mut out = String::from("\"");
    for c in plain(text, false).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Mermaid quoted label, quotes included: Mermaid has no backslash
/// escapes, only its `#code;` entities.
pub fn mermaid(text: &str) -> String {
    let mut out = String::from("\"");
    for c in plain(text, true).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "a \"b\" <c> & 'd'\n#e|f\\g\u{7}";

    #[test]
    fn xml_escapes_markup_quotes_and_controls() {
        assert_eq!(
            xml(NASTY),
            "a &quot;b&quot; &lt;c&gt; &amp; &#39;d&#39;&#10;#e|f\\g\u{FFFD}"
        );
    }

    #[test]
    fn dot_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(dot(NASTY), "\"a \\\"b\\\" <c> & 'd'\\n#e|f\\\\g\u{FFFD}\"");
    }

    #[test]
    fn mermaid_uses_entities() {
        assert_eq!(
            mermaid(NASTY),
            "\"a #quot;b#quot; #lt;c#gt; #amp; 'd' #35;e#124;f\\g\u{FFFD}\""
        );
    }
}
