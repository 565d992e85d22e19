//! `sources.csv`: the sources listed, each claimant's `part_of` resolved
//! to its article (inheriting what it does not give), and the source ids
//! of every other row checked against the list.

// The loader's own imports: these are its methods, kept apart by concept.
use super::*;

impl Loader {
    pub(super) fn sources_file(&mut self, at: &Reading<'_>) {
        let origin_file: Arc<str> = at.table.file.as_str().into();
        let first = self.sources.len();
        let mut parents: Vec<(&RawRecord, &str)> = Vec::new();
        for record in &at.table.records {
            let parsed = self.parse(at, record);
            let id_text = at.columns.named(at.file, record, "id");
            let id = self.word(id_text);
            if id.is_empty() {
                continue;
            }
            if let Some(&line) = self.source_lines.get(&id) {
                let message = format!(
                    "the id {id_text:?} is already listed on {}",
                    at.table.line_name(line)
                );
                self.push(at.rank, at.error(record, "id", message));
                continue;
            }
            self.source_lines.insert(id, record.line);
            self.source_keys
                .push((name_key(id_text), id_text.to_string()));
            let date = match at.value(&parsed, "date") {
                Some(Value::Date(date)) => date,
                _ => Date::UNKNOWN,
            };
            let text = |name| at.columns.named(at.file, record, name).to_string();
            self.sources.push(Source {
                id,
                publisher: text("publisher"),
                title: text("title"),
                date,
                url: text("url"),
                reliability: parsed.reliability,
                claimant: text("claimant"),
                part_of: None,
                origin: Origin {
                    file: origin_file.clone(),
                    line: record.line,
                },
            });
            parents.push((record, at.columns.named(at.file, record, "part_of")));
        }
        self.part_of(at, first, &parents);
    }

    /// Checks each `part_of` of the sources listed from `first` on (in
    /// `parents`, by record) against the ids listed, reporting unknown ids
    /// and cycles, and lets each claimant inherit the publisher, title,
    /// date and url it does not give from the source it is part of.
    pub(super) fn part_of(
        &mut self,
        at: &Reading<'_>,
        first: usize,
        parents: &[(&RawRecord, &str)],
    ) {
        let index: FxHashMap<Symbol, usize> = self
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        for (offset, &(record, text)) in parents.iter().enumerate() {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let parent = self.word(text);
            if index.contains_key(&parent) {
                self.sources[first + offset].part_of = Some(parent);
            } else {
                let hint = self.source_hint(text);
                let message = format!("unknown source {text:?}{hint}");
                self.push(at.rank, at.error(record, "part_of", message));
            }
        }
        // Follow each chain upward; one that comes back to a source it has
        // passed is a cycle, reported once, on its first line.
        let mut in_cycle = vec![false; self.sources.len()];
        for start in first..self.sources.len() {
            let mut seen = vec![start];
            let mut at_source = start;
            while let Some(next) = self.sources[at_source].part_of.and_then(|p| index.get(&p)) {
                if let Some(position) = seen.iter().position(|&s| s == *next) {
                    let cycle = &seen[position..];
                    if cycle.iter().all(|&s| !in_cycle[s]) {
                        for &s in cycle {
                            in_cycle[s] = true;
                        }
                        let mut lines: Vec<u32> =
                            cycle.iter().map(|&s| self.sources[s].origin.line).collect();
                        lines.sort_unstable();
                        let chain: Vec<String> = cycle
                            .iter()
                            .chain(cycle.first())
                            .map(|&s| format!("{:?}", self.names.resolve(self.sources[s].id)))
                            .collect();
                        let message = format!(
                            "the part_of references on {} form a cycle: {}",
                            lines_list(at.table, &lines),
                            chain.join(" → ")
                        );
                        let line = self.sources[cycle[0]].origin.line;
                        let column = at
                            .file
                            .columns
                            .iter()
                            .position(|c| c.name == "part_of")
                            .and_then(|c| at.columns.index.get(c).copied().flatten());
                        let found = at.table.error(line, column, Some("part_of"), message);
                        self.push(at.rank, found);
                    }
                    break;
                }
                seen.push(*next);
                at_source = *next;
            }
        }
        for (i, cyclic) in in_cycle.iter().enumerate() {
            if *cyclic {
                self.sources[i].part_of = None;
            }
        }
        // Inherit from the nearest ancestor that gives each field; chains
        // are acyclic now, so every walk ends.
        for i in first..self.sources.len() {
            let mut ancestor = self.sources[i].part_of.and_then(|p| index.get(&p).copied());
            while let Some(a) = ancestor {
                let parent = self.sources[a].clone();
                let source = &mut self.sources[i];
                for (mine, theirs) in [
                    (&mut source.publisher, &parent.publisher),
                    (&mut source.title, &parent.title),
                    (&mut source.url, &parent.url),
                ] {
                    if mine.is_empty() {
                        mine.clone_from(theirs);
                    }
                }
                if !source.date.is_known() {
                    source.date = parent.date;
                }
                ancestor = parent.part_of.and_then(|p| index.get(&p).copied());
            }
        }
    }

    /// The source ids in a cell (separated by `;`), each checked against
    /// `sources.csv`.
    pub(super) fn source_ids(
        &mut self,
        rank: usize,
        text: &str,
        error: &impl Fn(String) -> Found,
    ) -> Vec<Symbol> {
        let mut ids = Vec::new();
        for piece in text.split(';') {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let id = self.word(piece);
            ids.push(id);
            if self.source_list == Some(SourceList::Unreadable)
                || self.source_lines.contains_key(&id)
            {
                continue;
            }
            let hint = self.source_hint(piece);
            self.push(rank, error(format!("unknown source {piece:?}{hint}")));
        }
        ids
    }

    /// What to say after "unknown source" about an unknown id.
    fn source_hint(&mut self, id: &str) -> String {
        let key = name_key(id);
        if let Some(hint) = self.source_hints.get(&key) {
            return hint.clone();
        }
        let (no_list, empty_list) = if self.sheets {
            ("there is no sources sheet", "the sources sheet lists none")
        } else {
            ("there is no sources.csv", "sources.csv lists none")
        };
        let hint = match self.source_list {
            None | Some(SourceList::Missing) => format!("; {no_list}"),
            Some(_) if self.source_keys.is_empty() => format!("; {empty_list}"),
            Some(_) => {
                let near = nearest(&key, self.source_keys.iter().map(|(k, _)| k.as_str()));
                let written = near.and_then(|near| {
                    self.source_keys
                        .iter()
                        .find(|(k, _)| k == near)
                        .map(|(_, w)| w)
                });
                match written {
                    Some(written) => format!("; did you mean {written:?}?"),
                    None => String::new(),
                }
            }
        };
        self.source_hints.insert(key, hint.clone());
        hint
    }
}
