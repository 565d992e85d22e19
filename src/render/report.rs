//! The report: one self-contained HTML file to hand on. The run's
//! parameters, the lineage picture (inline SVG), each output relation as a
//! table that sorts and filters, each conclusion expandable into its proof
//! with sources and the notes of the rows it rests on, the sources list and the facts' warnings. Its style and
//! script are embedded, so it opens without a network, and it prints.
//!
//! A fragment such as `#filter=descends_from:Yusuf&open=descends_from:0`
//! opens the report filtered and with a conclusion expanded, so a colleague
//! can be sent straight to one conclusion.

use std::fmt::Write;

use crate::dl::program::Checked;
use crate::dl::syntax::DeclKind;
use crate::explain::{Explainer, Proof};
use crate::facts::Facts;
use crate::model::Model;

use super::escape::xml;
use super::{graph, proof};
use crate::conclusion::ConclusionTable;

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; cursor: pointer; user-select: none; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
tr:nth-child(even) td { background: #fafafa; }
.params td:first-child { font-weight: 600; width: 12rem; }
.params { width: auto; }
.filter { margin: 0.3rem 0 0.5rem; padding: 0.3rem; width: 20rem; max-width: 100%; }
details summary { cursor: pointer; color: #0645ad; }
details pre { white-space: pre-wrap; font-size: 0.78rem; background: #f7f7f7; padding: 0.5rem; margin: 0.3rem 0; }
.picture { overflow-x: auto; border: 1px solid #ddd; padding: 0.5rem; }
.picture svg { max-width: 100%; height: auto; }
.legend { font-size: 0.8rem; color: #555; }
.count { color: #666; font-weight: normal; font-size: 0.9rem; }
.notes { font-size: 0.8rem; margin: 0.2rem 0; padding-left: 1.2rem; }
.notes .origin { font-family: ui-monospace, monospace; color: #555; }
.warnings li { font-family: ui-monospace, monospace; font-size: 0.8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filter, details summary { display: none; }
  th { position: static; }
  tr { break-inside: avoid; }
  .picture { overflow: visible; border: none; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  function rows(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }
  function applyFilter(input) {
    var table = document.getElementById(input.dataset.table);
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows(table).forEach(function (row) {
      var text = row.dataset.text;
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) shown++;
    });
    document.getElementById(input.dataset.table + "-shown").textContent = shown;
  }
  function sortBy(th) {
    var table = th.closest("table");
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var sorted = rows(table).sort(function (a, b) {
      var x = a.cells[column].dataset.key, y = b.cells[column].dataset.key;
      var c = x < y ? -1 : x > y ? 1 : Number(a.dataset.index) - Number(b.dataset.index);
      return ascending ? c : -c;
    });
    sorted.forEach(function (row) { table.tBodies[0].appendChild(row); });
  }
  document.querySelectorAll("input.filter").forEach(function (input) {
    input.addEventListener("input", function () { applyFilter(input); });
  });
  document.querySelectorAll("table.conclusions th[data-sortable]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.dataset.wasOpen = d.open; d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = d.dataset.wasOpen === "true"; });
  });
  // #filter=RELATION:TEXT&open=RELATION:ROW&sort=RELATION:COLUMN
  decodeURIComponent(location.hash.slice(1)).split("&").forEach(function (part) {
    var eq = part.indexOf("="), colon = part.indexOf(":", eq);
    if (eq < 0 || colon < 0) return;
    var what = part.slice(0, eq), relation = part.slice(eq + 1, colon), arg = part.slice(colon + 1);
    var id = "t-" + relation;
    if (what === "filter") {
      var input = document.querySelector('input.filter[data-table="' + id + '"]');
      if (input) { input.value = arg; applyFilter(input); }
    } else if (what === "open") {
      var details = document.getElementById(id + "-why-" + arg);
      if (details) details.open = true;
    } else if (what === "sort") {
      var table = document.getElementById(id);
      var th = table && table.tHead.rows[0].cells[Number(arg)];
      if (th) sortBy(th);
    }
  });
  document.body.dataset.ready = "yes";
})();
"#;

/// The report for these facts and this run. `parameters` are shown as
/// given; `run` is how explanations name the run's parameters.
pub fn html(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    parameters: &[(String, String)],
    run: String,
) -> crate::Result<String> {
    let outputs: Vec<usize> = (0..rules.relations.len())
        .filter(|&i| rules.relations[i].kind == DeclKind::Output)
        .collect();
    let tables = crate::conclusion::tables(facts, rules, model, &outputs);
    let request = graph::Request {
        what: graph::What::Lineage,
        around: None,
        depth: 0,
    };
    let picture = graph::svg(&graph::build(facts, rules, model, &request)?);
    // An inline SVG needs no XML declaration.
    let picture = match picture.find("<svg") {
        Some(start) => &picture[start..],
        None => picture.as_str(),
    };
    let explainer = Explainer::new(facts, rules, model);
    let mut search = explainer.search();
    let context = proof::Context {
        facts,
        rules,
        run,
        width: 100,
    };

    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>silsila report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>silsila report</h1>\n");
    out.push_str("<section id=\"parameters\">\n<h2>Run</h2>\n<table class=\"params\">\n");
    for (name, value) in parameters {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            xml(name),
            xml(value)
        );
    }
    out.push_str("</table>\n</section>\n");

    out.push_str("<section id=\"lineage\">\n<h2>Lineage</h2>\n");
    out.push_str(
        "<p class=\"legend\">Ancestors left of descendants; edges labelled with the merger \
         kind and date, thicker for stronger confidence, dashed when every row is contested; \
         current cells bold on yellow.</p>\n<div class=\"picture\">\n",
    );
    out.push_str(picture);
    out.push_str("</div>\n</section>\n");

    for (table, &index) in tables.iter().zip(&outputs) {
        let tuples = model.conclusions(rules, index);
        write_table(&mut out, table, |row| {
            let proved = tuples.get(row).and_then(|t| search.prove(index, t))?;
            Some((proof::text(&context, &proved, &[]), notes(facts, &proved)))
        });
    }

    out.push_str("<section id=\"sources\">\n<h2>Sources</h2>\n<table>\n<thead><tr>");
    for column in ["id", "publisher", "title", "date", "url", "reliability"] {
        let _ = write!(out, "<th>{column}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for source in facts.sources() {
        let url = if source.url.is_empty() {
            String::new()
        } else {
            format!("<a href=\"{0}\">{0}</a>", xml(&source.url))
        };
        let _ = writeln!(
            out,
            "<tr id=\"source-{id}\"><td>{id}</td><td>{}</td><td>{}</td><td>{}</td><td>{url}</td><td>{} ({})</td></tr>",
            xml(&source.publisher),
            xml(&source.title),
            source.date,
            source.reliability.letter(),
            source.reliability.describe(),
            id = xml(facts.names.resolve(source.id)),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");

    out.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
    if facts.warnings.is_empty() {
        out.push_str("<p>silsila check found no problems.</p>\n");
    } else {
        out.push_str("<ul class=\"warnings\">\n");
        for warning in &facts.warnings {
            let _ = writeln!(out, "<li>warning: {}</li>", xml(&warning.to_string()));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    Ok(out)
}

/// The rows a proof rests on that have notes, as (row, notes), in proof
/// order and each once.
fn notes(facts: &Facts, proof: &Proof) -> Vec<(String, String)> {
    fn walk(facts: &Facts, proof: &Proof, out: &mut Vec<(String, String)>) {
        match proof {
            Proof::Fact { rows, .. } => {
                for r in rows {
                    let Some(row) = facts.tables.get(r.table).and_then(|t| t.rows.get(r.row))
                    else {
                        continue;
                    };
                    let entry = (row.origin.to_string(), row.notes.to_string());
                    if !row.notes.is_empty() && !out.contains(&entry) {
                        out.push(entry);
                    }
                }
            }
            Proof::Rule { premises, .. } => {
                for premise in premises {
                    walk(facts, premise, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(facts, proof, &mut out);
    out
}

type Explanation = (String, Vec<(String, String)>);

fn write_table(
    out: &mut String,
    table: &ConclusionTable,
    mut explain: impl FnMut(usize) -> Option<Explanation>,
) {
    let id = format!("t-{}", table.name);
    let _ = writeln!(
        out,
        "<section id=\"{id}-section\">\n<h2>{} <span class=\"count\">(<span id=\"{id}-shown\">{count}</span> of {count} rows)</span></h2>",
        xml(&table.name),
        count = table.rows.len()
    );
    let _ = writeln!(
        out,
        "<input class=\"filter\" type=\"search\" placeholder=\"filter {}\" data-table=\"{id}\" aria-label=\"filter {}\">",
        xml(&table.name),
        xml(&table.name)
    );
    let _ = write!(
        out,
        "<table class=\"conclusions\" id=\"{id}\">\n<thead><tr>"
    );
    for column in &table.columns {
        let _ = write!(out, "<th data-sortable>{}</th>", xml(column));
    }
    out.push_str("<th>explanation</th></tr></thead>\n<tbody>\n");
    for (r, row) in table.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(super::Cell::text).collect();
        let search_text = texts.join(" ").to_lowercase();
        let _ = write!(
            out,
            "<tr data-index=\"{r}\" data-text=\"{}\">",
            xml(&search_text)
        );
        for text in &texts {
            let _ = write!(out, "<td data-key=\"{0}\">{0}</td>", xml(text));
        }
        match explain(r) {
            Some((tree, notes)) => {
                let _ = write!(
                    out,
                    "<td><details id=\"{id}-why-{r}\"><summary>why</summary><pre>{}</pre>",
                    xml(&tree)
                );
                if !notes.is_empty() {
                    out.push_str("<ul class=\"notes\">");
                    for (origin, note) in notes {
                        let _ = write!(
                            out,
                            "<li><span class=\"origin\">{}</span> <q>{}</q></li>",
                            xml(&origin),
                            xml(&note)
                        );
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</details></td>");
            }
            None => out.push_str("<td></td>"),
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
