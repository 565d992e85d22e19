//! One record's cells parsed by their columns' kinds: names interned (and
//! their spellings ranked), words, dates, confidence, reliability and
//! sources; and [`Reading`], the file and table a cell is read from.

// The loader's own imports: these are its methods, kept apart by concept.
use super::*;

impl Loader {
    /// Parses every cell of `record` by its column's kind, reporting what
    /// cannot be parsed.
    pub(super) fn parse(&mut self, at: &Reading<'_>, record: &RawRecord) -> Parsed {
        let mut parsed = Parsed {
            values: Vec::with_capacity(at.file.columns.len()),
            confidence: Confidence::Probable,
            reliability: Reliability::F,
            sources: Vec::new(),
            disputed_by: Vec::new(),
        };
        let mut start: Option<(Date, &str)> = None;
        for (index, column) in at.file.columns.iter().enumerate() {
            // A column missing from the header is reported once, there.
            let Some(&Some(cell)) = at.columns.index.get(index) else {
                parsed.values.extend(match column.kind {
                    // Reported is computed from the sources once they are
                    // parsed, in `relation_file`.
                    ColumnKind::Date | ColumnKind::Reported => Some(Value::Date(Date::UNKNOWN)),
                    kind => kind.rule_type().map(|_| Value::Name(Symbol::EMPTY)),
                });
                continue;
            };
            let text = record.get(cell);
            let error = |message: String| {
                at.table
                    .error(record.line, Some(cell), Some(column.name), message)
            };
            if column.required && crate::facts::names::is_blank(text) {
                self.push(at.rank, error("a value is required".into()));
            }
            match column.kind {
                ColumnKind::Entity | ColumnKind::Place | ColumnKind::Event => {
                    let rank = match (at.file.name, column.name) {
                        ("entities", "name") => rank::ENTITY,
                        ("places", "place") => rank::PLACE,
                        _ => rank::OTHER,
                    };
                    let (resolved, new) = self.name(text, rank);
                    if let Some(symbol) = new {
                        let found = at.table.warning(
                            record.line,
                            Some(cell),
                            Some(column.name),
                            String::new(),
                        );
                        self.met_spelling(at.rank, symbol, text, found);
                    }
                    parsed.values.push(Value::Name(resolved));
                }
                ColumnKind::Word => parsed.values.push(Value::Name(self.word(text))),
                ColumnKind::Date => {
                    let date = match self.date(text) {
                        Ok(date) => date,
                        Err(why) => {
                            self.push(at.rank, error(format!("{text:?} {why}")));
                            Date::UNKNOWN
                        }
                    };
                    match column.name {
                        "start" => start = Some((date, text)),
                        "end" => {
                            if let Some((start, start_text)) = start {
                                if date.is_known()
                                    && start.is_known()
                                    && date.last_day() < start.first_day()
                                {
                                    let message =
                                        format!("{text:?} is before the start {start_text:?}");
                                    self.push(at.rank, error(message));
                                }
                            }
                        }
                        _ => {}
                    }
                    parsed.values.push(Value::Date(date));
                }
                ColumnKind::Text => {}
                ColumnKind::Sources | ColumnKind::DisputedBy => {
                    let ids = self.source_ids(at.rank, text, &error);
                    if column.required && ids.is_empty() && !text.is_empty() {
                        self.push(at.rank, error("a value is required".into()));
                    }
                    if column.kind == ColumnKind::Sources {
                        parsed.sources = ids;
                    } else {
                        parsed.disputed_by = ids;
                    }
                }
                ColumnKind::Confidence => match Confidence::parse(text) {
                    Some(confidence) => parsed.confidence = confidence,
                    None => {
                        let message = format!(
                            "{text:?} is not a confidence; write confirmed, probable, possible, \
                             doubtful, improbable, or an Admiralty digit 1–5"
                        );
                        self.push(at.rank, error(message));
                    }
                },
                ColumnKind::Reported => {}
                ColumnKind::Reliability => match Reliability::parse(text) {
                    Some(reliability) => parsed.reliability = reliability,
                    None => {
                        let message = format!(
                            "{text:?} is not a reliability; write a letter from A (completely \
                             reliable) to F (cannot be judged)"
                        );
                        self.push(at.rank, error(message));
                    }
                },
            }
        }
        parsed
    }

    /// The symbol of a name cell, resolved through the aliases (the empty
    /// symbol for an empty cell), and its symbol before aliases when this
    /// text is met for the first time.
    pub(super) fn name(&mut self, text: &str, rank: u8) -> (Symbol, Option<Symbol>) {
        if text.is_empty() {
            return (Symbol::EMPTY, None);
        }
        if let Some(cell) = self.name_cells.get_mut(text) {
            if rank < cell.rank {
                cell.rank = rank;
                self.spellings.offer(cell.symbol, rank, &tidy(text));
            }
            return (cell.resolved, None);
        }
        let symbol = self.intern(text, rank);
        let resolved = self.aliases.get(&symbol).copied().unwrap_or(symbol);
        self.name_cells.insert(
            text.into(),
            NameCell {
                symbol,
                resolved,
                rank,
            },
        );
        (resolved, Some(symbol))
    }

    /// Notes that `text`, found where `found` points, spells the name
    /// `symbol`; when another spelling of it differs in more than case,
    /// space or quotes (one composed and one decomposed, one with invisible
    /// characters, harakat or tatweel), warns once for the name, naming
    /// both spellings and where each is. The two are one name already; the
    /// warning says that two keyboards or sources met, which an analyst may
    /// want to tidy.
    fn met_spelling(&mut self, rank: usize, symbol: Symbol, text: &str, mut found: Found) {
        let written = written_key(text);
        let place = problem_place(&found.problem);
        let Some(first) = self.spelled.get_mut(&symbol) else {
            self.spelled.insert(
                symbol,
                Spelled {
                    written: written.into(),
                    text: text.into(),
                    place,
                    warned: false,
                },
            );
            return;
        };
        if first.warned || *first.written == *written {
            return;
        }
        first.warned = true;
        let differences = spelling_differences(&first.text, text).join(", ");
        found.problem.message = format!(
            "{text:?} and {:?} (at {}) are one name written with different characters ({differences}); \
             they are matched as one, so write it one way or leave it",
            &*first.text, first.place
        );
        self.push(rank, found);
    }

    /// The symbol of a word cell, lowercased; the empty symbol for an
    /// empty cell.
    pub(super) fn word(&mut self, text: &str) -> Symbol {
        if text.is_empty() {
            return Symbol::EMPTY;
        }
        if let Some(&symbol) = self.word_cells.get(text) {
            return symbol;
        }
        let symbol = self.intern(&text.to_lowercase(), rank::OTHER);
        self.word_cells.insert(text.into(), symbol);
        symbol
    }

    /// A date cell parsed. Dates repeat across rows far more than they
    /// differ, so each text is parsed once.
    pub(super) fn date(&mut self, text: &str) -> Result<Date, DateError> {
        if let Some(parsed) = self.date_cells.get(text) {
            return parsed.clone();
        }
        let parsed = Date::parse(text);
        self.date_cells.insert(text.into(), parsed.clone());
        parsed
    }

    /// Interns `text` without resolving aliases, offering its spelling.
    pub(super) fn intern(&mut self, text: &str, rank: u8) -> Symbol {
        let spelling = tidy(text);
        let symbol = self.names.intern_key(name_key(text), &spelling);
        self.spellings.offer(symbol, rank, &spelling);
        symbol
    }
}

/// The file being loaded.
pub(super) struct Reading<'t> {
    pub(super) rank: usize,
    pub(super) file: &'static FactFile,
    pub(super) table: &'t RawTable,
    pub(super) columns: &'t Columns,
}

impl Reading<'_> {
    /// An error in `record`'s cell of the column named `column`.
    pub(super) fn error(&self, record: &RawRecord, column: &'static str, message: String) -> Found {
        let index = self
            .file
            .columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|c| self.columns.index.get(c).copied().flatten());
        self.table.error(record.line, index, Some(column), message)
    }

    /// Where the columns are, when the table is a workbook sheet.
    pub(super) fn sheet(&self) -> Option<SheetLayout> {
        if self.table.addressing != Addressing::Cells {
            return None;
        }
        let columns = self
            .file
            .columns
            .iter()
            .zip(&self.columns.index)
            .filter_map(|(column, index)| {
                let cell = self.table.header.get((*index)?)?;
                Some((column.name, cell.column))
            })
            .collect();
        Some(SheetLayout {
            file: self.table.file.as_str().into(),
            columns,
            first_column: self.table.first_column(),
        })
    }

    /// The parsed value of the rule column named `name`.
    pub(super) fn value(&self, parsed: &Parsed, name: &str) -> Option<Value> {
        let position = self.file.rule_columns().position(|c| c.name == name)?;
        parsed.values.get(position).copied()
    }
}
