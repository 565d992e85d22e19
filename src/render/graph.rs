//! Pictures of the conclusions: the lineage (merger rows between groups)
//! and the links (stated and suspected) as a graph, written as DOT,
//! Mermaid, GraphML or SVG.
//!
//! [`Graph`] is built once from the facts and the evaluated model, sorted,
//! and each format only lays it out. SVG is laid out here, by the
//! `layout-rs` crate, so no Graphviz is needed. Every label passes through
//! [`super::escape`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write;

use crate::dl::program::Checked;
use crate::eval::rows_in_run;
use crate::facts::{Confidence, Date, Facts, Grade, Symbol, Value};
use crate::model::Model;

use super::escape;

/// Which edges a graph draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// Merger rows between groups.
    Lineage,
    /// Stated links rows and suspected links.
    Links,
    /// Both.
    All,
}

/// What kind of tie an edge draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tie {
    /// A merger row: `into` descends from `from`.
    Lineage,
    /// A links row whose kind is not hostile.
    Friendly,
    /// A links row whose kind the rules call hostile.
    Hostile,
    /// A suspected link the rules derive.
    Suspected,
}

impl Tie {
    /// The word GraphML and the legend use.
    pub fn word(self) -> &'static str {
        match self {
            Tie::Lineage => "lineage",
            Tie::Friendly => "friendly",
            Tie::Hostile => "hostile",
            Tie::Suspected => "suspected",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Tie::Lineage => "black",
            Tie::Friendly => "darkgreen",
            Tie::Hostile => "red",
            Tie::Suspected => "blue",
        }
    }
}

/// One node: an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its canonical name.
    pub name: String,
    /// True when it is a current cell of some lineage (`current_descendant`).
    pub current: bool,
}

/// One edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The ancestor, or the link's `from` (`a` of a suspected link).
    pub from: String,
    /// The descendant, or the link's `to`.
    pub to: String,
    /// What kind of tie.
    pub tie: Tie,
    /// The merger or link kind, or the suspicion's reason.
    pub kind: String,
    /// The merger's date, or the link's period; empty when unknown.
    pub date: String,
    /// The strongest grade among the rows or derivations drawn.
    pub grade: Grade,
}

impl Edge {
    /// `kind date`, the edge's label; `suspected: reason` for a
    /// suspected link.
    pub fn label(&self) -> String {
        if self.tie == Tie::Suspected {
            format!("suspected: {}", self.kind)
        } else if self.date.is_empty() {
            self.kind.clone()
        } else {
            format!("{} {}", self.kind, self.date)
        }
    }

    /// Line weight from confidence: confirmed 3, probable 2, weaker 1.
    pub fn weight(&self) -> u8 {
        match self.grade.confidence {
            Confidence::Confirmed => 3,
            Confidence::Probable => 2,
            _ => 1,
        }
    }

    /// Drawn dashed: a lineage or stated edge whose every row is contested.
    pub fn dashed(&self) -> bool {
        self.tie != Tie::Suspected && self.grade.is_contested()
    }
}

/// A graph: nodes and edges, each sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    /// By name.
    pub nodes: Vec<Node>,
    /// By from, to, tie, kind and date.
    pub edges: Vec<Edge>,
}

/// What [`build`] is asked for.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// Which edges.
    pub what: What,
    /// Only the neighbourhood of this entity (a name or alias).
    pub around: Option<&'a str>,
    /// How many edges away from `around` to go.
    pub depth: u32,
}

fn name(facts: &Facts, value: Option<&Value>) -> String {
    match value {
        Some(Value::Name(symbol)) => facts.names.resolve(*symbol).to_string(),
        _ => String::new(),
    }
}

fn date(value: Option<&Value>) -> Option<Date> {
    match value {
        Some(Value::Date(date)) if date.is_known() => Some(*date),
        _ => None,
    }
}

fn period(start: Option<Date>, end: Option<Date>) -> String {
    match (start, end) {
        (None, None) => String::new(),
        (Some(s), Some(e)) if s == e => s.to_string(),
        (s, e) => format!(
            "{}–{}",
            s.map(|d| d.to_string()).unwrap_or_default(),
            e.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// The graph of the facts and model, as asked. An unknown `around` name is
/// an error naming it.
pub fn build(
    facts: &Facts,
    rules: &Checked,
    model: &Model,
    request: &Request,
) -> crate::Result<Graph> {
    // One edge per tie, keeping the strongest grade among its rows.
    let mut edges: BTreeMap<(String, String, Tie, String, String), Grade> = BTreeMap::new();
    let mut add = |from: String, to: String, tie: Tie, kind: String, when: String, grade: Grade| {
        edges
            .entry((from, to, tie, kind, when))
            .and_modify(|g| *g = (*g).max(grade))
            .or_insert(grade);
    };
    let lineage = matches!(request.what, What::Lineage | What::All);
    let links = matches!(request.what, What::Links | What::All);
    if lineage {
        if let Some(table) = facts.table("mergers") {
            for (_, row) in rows_in_run(facts, table, model.as_of) {
                let v = &row.values;
                add(
                    name(facts, v.first()),
                    name(facts, v.get(1)),
                    Tie::Lineage,
                    name(facts, v.get(2)),
                    date(v.get(3)).map(|d| d.to_string()).unwrap_or_default(),
                    row.grade,
                );
            }
        }
    }
    if links {
        let hostile: BTreeSet<Symbol> = tuples(rules, model, "hostile")
            .filter_map(|(values, _)| match values.first() {
                Some(Value::Name(s)) => Some(*s),
                _ => None,
            })
            .collect();
        if let Some(table) = facts.table("links") {
            for (_, row) in rows_in_run(facts, table, model.as_of) {
                let v = &row.values;
                let tie = match v.get(2) {
                    Some(Value::Name(kind)) if hostile.contains(kind) => Tie::Hostile,
                    _ => Tie::Friendly,
                };
                add(
                    name(facts, v.first()),
                    name(facts, v.get(1)),
                    tie,
                    name(facts, v.get(2)),
                    period(date(v.get(3)), date(v.get(4))),
                    row.grade,
                );
            }
        }
        if let Some(index) = rules.relation("suspected_link") {
            for tuple in model.conclusions(rules, index) {
                let v = &tuple.values;
                add(
                    name(facts, v.first()),
                    name(facts, v.get(1)),
                    Tie::Suspected,
                    name(facts, v.get(2)),
                    String::new(),
                    tuple.grade,
                );
            }
        }
    }
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .map(|((from, to, tie, kind, date), grade)| Edge {
            from,
            to,
            tie,
            kind,
            date,
            grade,
        })
        .collect();
    if let Some(around) = request.around {
        let centre = facts
            .names
            .lookup(around)
            .map(|s| facts.names.resolve(s).to_string())
            .ok_or_else(|| {
                crate::Error::Request(format!("--around {around:?}: no entity has this name"))
            })?;
        let near = neighbourhood(&edges, &centre, request.depth);
        edges.retain(|e| near.contains(&e.from) && near.contains(&e.to));
    }
    let current: BTreeSet<String> = tuples(rules, model, "current_descendant")
        .map(|(values, _)| name(facts, values.first()))
        .collect();
    let names: BTreeSet<&String> = edges.iter().flat_map(|e| [&e.from, &e.to]).collect();
    let nodes = names
        .into_iter()
        .map(|n| Node {
            name: n.clone(),
            current: current.contains(n),
        })
        .collect();
    Ok(Graph { nodes, edges })
}

/// The evaluated tuples of a relation, or none when the rules have no such
/// relation.
fn tuples<'m>(
    rules: &Checked,
    model: &'m Model,
    relation: &str,
) -> impl Iterator<Item = (&'m [Value], Grade)> {
    let relation = rules
        .relation(relation)
        .and_then(|index| model.relations.get(index));
    relation
        .into_iter()
        .flat_map(|r| (0..r.len()).map(move |i| (r.values(i), r.grade(i))))
}

/// The names at most `depth` edges from `centre`, either way.
fn neighbourhood(edges: &[Edge], centre: &str, depth: u32) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([centre.to_string()]);
    let mut queue = VecDeque::from([(centre.to_string(), 0)]);
    while let Some((here, distance)) = queue.pop_front() {
        if distance == depth {
            continue;
        }
        for edge in edges {
            let other = if edge.from == here {
                &edge.to
            } else if edge.to == here {
                &edge.from
            } else {
                continue;
            };
            if seen.insert(other.clone()) {
                queue.push_back((other.clone(), distance + 1));
            }
        }
    }
    seen
}

fn index_of(graph: &Graph, name: &str) -> usize {
    graph
        .nodes
        .binary_search_by(|n| n.name.as_str().cmp(name))
        .unwrap_or(0)
}

/// Graphviz DOT, left to right: ancestors left of descendants.
pub fn dot(graph: &Graph) -> String {
    let mut out = String::from(
        "digraph silsila {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n  \
         edge [fontname=\"sans-serif\", fontsize=10];\n",
    );
    for (i, node) in graph.nodes.iter().enumerate() {
        let style = if node.current {
            ", style=\"filled,bold\", fillcolor=\"lightyellow\", xlabel=\"current\""
        } else {
            ""
        };
        let _ = writeln!(out, "  n{i} [label={}{style}];", escape::dot(&node.name));
    }
    for edge in &graph.edges {
        let style = if edge.tie == Tie::Suspected {
            "dotted"
        } else if edge.dashed() {
            "dashed"
        } else {
            "solid"
        };
        let arrow = if edge.tie == Tie::Suspected {
            ", dir=none"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, style={style}, color={}, penwidth={}{arrow}];",
            index_of(graph, &edge.from),
            index_of(graph, &edge.to),
            escape::dot(&edge.label()),
            edge.tie.color(),
            edge.weight()
        );
    }
    out.push_str("}\n");
    out
}

/// A Mermaid flowchart, left to right, to paste into Markdown.
pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in graph.nodes.iter().enumerate() {
        let _ = writeln!(out, "  n{i}[{}]", escape::mermaid(&node.name));
    }
    for (k, edge) in graph.edges.iter().enumerate() {
        let from = index_of(graph, &edge.from);
        let to = index_of(graph, &edge.to);
        let label = escape::mermaid(&edge.label());
        // Mermaid draws thickness and dots by the arrow: `==>` thick,
        // `-.->` dotted (used for dashed too, Mermaid has no dash of its own).
        let arrow = if edge.tie == Tie::Suspected {
            "-.-"
        } else if edge.dashed() {
            "-.->"
        } else if edge.weight() == 3 {
            "==>"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  n{from} {arrow}|{label}| n{to}");
        let _ = writeln!(
            out,
            "  linkStyle {k} stroke:{},stroke-width:{}px",
            edge.tie.color(),
            edge.weight()
        );
    }
    let current: Vec<String> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.current)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !current.is_empty() {
        out.push_str("  classDef current fill:#ffffcc,stroke:#000,stroke-width:3px\n");
        let _ = writeln!(out, "  class {} current", current.join(","));
    }
    out
}

/// GraphML, for Gephi and yEd: node attribute `current`, edge attributes
/// `tie`, `kind`, `date`, `confidence`, `contested` and `weight`.
pub fn graphml(graph: &Graph) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  \
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n  \
         <key id=\"current\" for=\"node\" attr.name=\"current\" attr.type=\"boolean\"/>\n  \
         <key id=\"tie\" for=\"edge\" attr.name=\"tie\" attr.type=\"string\"/>\n  \
         <key id=\"kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n  \
         <key id=\"date\" for=\"edge\" attr.name=\"date\" attr.type=\"string\"/>\n  \
         <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"string\"/>\n  \
         <key id=\"contested\" for=\"edge\" attr.name=\"contested\" attr.type=\"boolean\"/>\n  \
         <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n  \
         <graph id=\"silsila\" edgedefault=\"directed\">\n",
    );
    for (i, node) in graph.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <node id=\"n{i}\"><data key=\"label\">{}</data><data key=\"current\">{}</data></node>",
            escape::xml(&node.name),
            node.current
        );
    }
    for (k, edge) in graph.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{k}\" source=\"n{}\" target=\"n{}\"><data key=\"tie\">{}</data>\
             <data key=\"kind\">{}</data><data key=\"date\">{}</data>\
             <data key=\"confidence\">{}</data><data key=\"contested\">{}</data>\
             <data key=\"weight\">{}</data></edge>",
            index_of(graph, &edge.from),
            index_of(graph, &edge.to),
            edge.tie.word(),
            escape::xml(&edge.kind),
            escape::xml(&edge.date),
            edge.grade.confidence.word(),
            edge.grade.is_contested(),
            edge.weight()
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// SVG, laid out left to right by `layout-rs`.
pub fn svg(graph: &Graph) -> String {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::geometry::Point;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    if graph.nodes.is_empty() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"40\">\
                <text x=\"10\" y=\"25\">nothing to draw</text></svg>\n"
            .to_string();
    }
    // layout-rs's own connectors use 15.
    const FONT: usize = 15;
    let mut visual = VisualGraph::new(Orientation::LeftToRight);
    let handles: Vec<_> = graph
        .nodes
        .iter()
        .map(|node| {
            // layout-rs escapes `&` and `<` itself; it only needs text with
            // no control characters.
            let label = if node.current {
                format!("{} (current)", escape::plain(&node.name, true))
            } else {
                escape::plain(&node.name, true)
            };
            let (line, width, fill) = if node.current {
                ("black", 3, "#ffffcc")
            } else {
                ("black", 1, "white")
            };
            let look = StyleAttr::new(Color::fast(line), width, Some(Color::fast(fill)), 0, FONT);
            let size = Point::new((label.chars().count() as f64 * 8.0 + 20.0).max(60.0), 36.0);
            visual.add_node(Element::create(
                ShapeKind::new_box(&label),
                look,
                Orientation::LeftToRight,
                size,
            ))
        })
        .collect();
    for edge in &graph.edges {
        let style = if edge.tie == Tie::Suspected {
            LineStyleKind::Dotted
        } else if edge.dashed() {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        let end = if edge.tie == Tie::Suspected {
            LineEndKind::None
        } else {
            LineEndKind::Arrow
        };
        let look = StyleAttr::new(
            Color::fast(edge.tie.color()),
            usize::from(edge.weight()),
            None,
            0,
            // One font size only: layout-rs keeps its font classes in a
            // hash map, and two would come out in varying order.
            FONT,
        );
        let arrow = Arrow::new(
            LineEndKind::None,
            end,
            style,
            &escape::plain(&edge.label(), true),
            &look,
            &None,
            &None,
        );
        visual.add_edge(
            arrow,
            handles[index_of(graph, &edge.from)],
            handles[index_of(graph, &edge.to)],
        );
    }
    let mut writer = SVGWriter::new();
    visual.do_it(false, false, false, &mut writer);
    sorted_styles(&writer.finalize())
}

/// The SVG with the lines of its `<style>` element sorted: layout-rs keeps
/// font classes in a hash map, so their order varies from run to run.
fn sorted_styles(svg: &str) -> String {
    let (Some(start), Some(end)) = (svg.find("<style>\n"), svg.find("</style>")) else {
        return svg.to_string();
    };
    let start = start + "<style>\n".len();
    if end < start {
        return svg.to_string();
    }
    let mut lines: Vec<&str> = svg[start..end].lines().collect();
    lines.sort_unstable();
    let mut out = String::with_capacity(svg.len());
    out.push_str(&svg[..start]);
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&svg[end..]);
    out
}
