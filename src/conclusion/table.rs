//! The conclusions of one relation as the outputs print them: sorted rows
//! of cells, built once from the model. Each output format (`render`), and
//! `diff`, reads this one shape.

/// One cell of output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A name, word, confidence or date (empty when unknown).
    Text(String),
    /// A date; `None` when unknown (JSON `null`, empty elsewhere).
    Date(Option<String>),
    /// Several values, such as source ids: `;`-separated in text and CSV,
    /// an array in JSON.
    List(Vec<String>),
}

impl Cell {
    /// The cell as one line of text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Date(date) => date.clone().unwrap_or_default(),
            Cell::List(items) => items.join(";"),
        }
    }
}

/// A relation's conclusions, ready to print: sorted, one row each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConclusionTable {
    /// The relation name.
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, in print order.
    pub rows: Vec<Vec<Cell>>,
}
