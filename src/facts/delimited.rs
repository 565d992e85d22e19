//! Reading delimited text, as spreadsheets export it, into a [`RawTable`].
//!
//! Spreadsheets write CSV in many dialects: with or without a byte-order
//! mark, with `\r\n` or `\n`, separated by `,` (or by `;` where the comma is
//! the decimal mark, or by tabs), with stray empty rows and columns at the
//! end. All of those are read alike. What cannot be read (text that is not
//! UTF-8, a quote never closed, a record of the wrong width) is reported
//! with its line, and reading goes on so that every such problem is found.

use super::raw::{Addressing, Found, HeaderCell, RawRecord, RawTable};
use crate::error::Problem;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads `bytes`, the contents of the file reported as `file`.
pub(crate) fn read(file: String, bytes: &[u8]) -> (RawTable, Vec<Found>) {
    let mut table = RawTable::empty(file, Addressing::Lines);
    let mut problems = Vec::new();
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        problems.push(Found::whole(Problem::error(
            &table.file,
            None,
            None,
            "the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)".into(),
        )));
        return (table, problems);
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut bad_text = BadText::default();
    // The last record read, held back until the next one shows that it did
    // not run into the end of the file through a quote never closed.
    let mut last: Option<Last> = None;
    let mut lines = LineCounter::default();
    loop {
        let line_before = last.as_ref().map_or(0, |l| l.line);
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                // With flexible widths and byte records, reading a slice
                // cannot fail; should it ever, say so rather than stop
                // silently.
                let line = err
                    .position()
                    .map_or(line_before.saturating_add(1), |p| to_line(p.line()));
                problems.push(table.error(
                    line,
                    None,
                    None,
                    format!("cannot read this line: {err}"),
                ));
                break;
            }
        }
        if let Some(done) = last.take() {
            problems.extend(done.problem);
        }
        let start = record.position().map_or(bytes.len(), |p| {
            usize::try_from(p.byte()).unwrap_or(bytes.len())
        });
        let (line, start) = lines.record_start(bytes, start);
        let mut raw = RawRecord::with_capacity(line, record.len(), record.as_slice().len());
        for (index, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(text) => raw.push(text),
                Err(_) => {
                    let text = String::from_utf8_lossy(field);
                    bad_text.note(line, index, &text);
                    raw.push(&text);
                }
            }
        }
        let mut this = Last {
            line,
            start,
            kept: false,
            problem: None,
        };
        if table.header_line == 0 {
            if !raw.is_blank() {
                raw.drop_blank_tail(0);
                table.header_line = line;
                table.header = raw
                    .cells()
                    .zip(0..)
                    .map(|(name, column)| HeaderCell {
                        name: name.to_string(),
                        column,
                    })
                    .collect();
            }
        } else if !raw.is_blank() {
            let width = table.header.len();
            raw.drop_blank_tail(width);
            if raw.len() == width {
                table.records.push(raw);
                this.kept = true;
            } else {
                let message = format!("{} where the header has {width}", fields(raw.len()));
                this.problem = Some(table.error(line, None, None, message));
            }
        }
        last = Some(this);
    }
    if let Some(mut done) = last {
        if ends_in_open_quote(bytes.get(done.start..).unwrap_or_default(), delimiter) {
            if done.kept {
                table.records.pop();
            }
            let message = "a quote (\") opened on this line is never closed".to_string();
            done.problem = Some(table.error(done.line, None, None, message));
        }
        problems.extend(done.problem);
    }
    problems.extend(bad_text.problem(&table));
    (table, problems)
}

/// The record read last, and its problem if it has one.
struct Last {
    line: u32,
    /// Its first byte.
    start: usize,
    /// Whether it went into the table.
    kept: bool,
    problem: Option<Found>,
}

/// The first cell that is not UTF-8, and how many more lines have one.
///
/// A file that is not UTF-8 (most often an Excel "CSV" saved in a Windows
/// code page) has such text on many lines, and the fix is one for the whole
/// file, so it is reported once, where it is first seen.
#[derive(Default)]
struct BadText {
    first: Option<(u32, usize, String)>,
    last_line: u32,
    more_lines: u32,
}

impl BadText {
    fn note(&mut self, line: u32, index: usize, text: &str) {
        if self.first.is_none() {
            self.first = Some((line, index, text.to_string()));
        } else if line != self.last_line {
            self.more_lines += 1;
        }
        self.last_line = line;
    }

    fn problem(self, table: &RawTable) -> Option<Found> {
        let (line, index, text) = self.first?;
        let more = match self.more_lines {
            0 => String::new(),
            1 => ", nor is text on 1 later line".to_string(),
            n => format!(", nor is text on {n} later lines"),
        };
        let message = format!(
            "{text:?} is not UTF-8 text{more}; save the file as UTF-8 (in Excel: CSV UTF-8)"
        );
        let in_header = line == table.header_line;
        let column = table
            .header
            .get(index)
            .filter(|_| !in_header)
            .map(|h| h.name.as_str());
        Some(table.error(line, Some(index), column, message))
    }
}

/// The delimiter of the first line that has any text: whichever of `,`, `;`
/// and tab occurs most often outside quotes, the comma when none does.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut has_text = false;
    for &byte in bytes {
        match byte {
            b'"' => {
                quoted = !quoted;
                has_text = true;
            }
            _ if quoted => {}
            b'\n' | b'\r' if has_text => break,
            b'\n' | b'\r' => counts = [0; 3],
            b' ' => {}
            _ => match DELIMITERS.iter().position(|&d| d == byte) {
                Some(i) => counts[i] += 1,
                None => has_text = true,
            },
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// Whether the last record, `rest` being the file from its first byte,
/// ends inside a quoted cell, having swallowed the rest of the file: csv
/// reads a quote that is never closed to the end without complaint. This
/// follows csv's reading of quotes: a quote opens a quoted cell only at the
/// cell's start, `""` inside one is a quote, and any other quote closes it;
/// elsewhere a quote is literal (`5'11"`).
fn ends_in_open_quote(rest: &[u8], delimiter: u8) -> bool {
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut bytes = rest.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if quoted {
            if byte == b'"' {
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
        } else if byte == b'"' && at_cell_start {
            quoted = true;
            at_cell_start = false;
        } else if byte == b'\n' || byte == b'\r' {
            // The record ends on this line, so it is whole.
            return false;
        } else {
            at_cell_start = byte == delimiter;
        }
    }
    quoted
}

/// Counts lines up to each record's first byte.
///
/// csv's own `Position::line` is off by one after a `\r\n` ending (the
/// record ends at the `\r`, and the `\n` is counted only while reading the
/// next record), so lines are counted here, in one pass over the file.
#[derive(Default)]
struct LineCounter {
    /// Bytes before this offset are counted.
    offset: usize,
    /// Line breaks before `offset`.
    breaks: usize,
}

impl LineCounter {
    /// The line and first byte of a record that csv says starts at `byte`:
    /// line ends left over from earlier records and empty lines, which csv
    /// skips, are not part of it.
    fn record_start(&mut self, bytes: &[u8], byte: usize) -> (u32, usize) {
        let rest = bytes.get(byte..).unwrap_or_default();
        let skipped = rest
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let start = byte + skipped;
        if let Some(between) = bytes.get(self.offset..start) {
            self.breaks += between.iter().filter(|&&b| b == b'\n').count();
            self.offset = start;
        }
        (u32::try_from(self.breaks + 1).unwrap_or(u32::MAX), start)
    }
}

fn to_line(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// `1 field`, `3 fields`.
fn fields(count: usize) -> String {
    match count {
        1 => "1 field".to_string(),
        n => format!("{n} fields"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` and shows the table as `line: cell|cell` rows after the
    /// header row, then the problems.
    #[track_caller]
    fn check(bytes: &[u8], expected: &[&str]) {
        let (table, problems) = read("facts/x.csv".into(), bytes);
        let mut got = Vec::new();
        if table.header_line != 0 {
            let names: Vec<_> = table.header.iter().map(|h| h.name.as_str()).collect();
            got.push(format!("{}: {}", table.header_line, names.join("|")));
        }
        for record in &table.records {
            let cells: Vec<_> = record.cells().collect();
            got.push(format!("{}: {}", record.line, cells.join("|")));
        }
        got.extend(problems.iter().map(|p| p.problem.to_string()));
        assert_eq!(got, expected);
    }

    #[test]
    fn reads_spreadsheet_dialects_alike() {
        let expected = ["1: a|b c", "2: 1|2", "3: x|y"];
        check(b"a,b c\n1,2\nx,y\n", &expected);
        check(b"\xEF\xBB\xBFa,b c\r\n1,2\r\nx,y\r\n", &expected);
        check(b"a;b c\n1;2\nx;y", &expected);
        check(b"a\tb c\n1\t2\nx\ty", &expected);
        check(
            b" A , b c ,,\n 1 ,2,,\n\nx,y,,\n,,,\n , ,\n",
            &["1: A|b c", "2: 1|2", "4: x|y"],
        );
    }

    #[test]
    fn sniffs_the_delimiter_outside_quotes_on_the_first_line_with_text() {
        assert_eq!(sniff_delimiter(b"\"a,b\";c\n1,2,3,4"), b';');
        assert_eq!(sniff_delimiter(b",,\n\na\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b"name\nx;y"), b',');
        assert_eq!(sniff_delimiter(b""), b',');
    }

    #[test]
    fn lines_stay_right_after_a_quoted_newline() {
        check(
            b"a,b\n\"x\r\ny\",\"1,2\"\nz,3\n",
            &["1: a|b", "2: x\r\ny|1,2", "4: z|3"],
        );
    }

    #[test]
    fn reports_wrong_widths_and_goes_on() {
        check(
            b"a,b,c\n1,2\n1,2,3,4,,\n1,2,3\n7\n",
            &[
                "1: a|b|c",
                "4: 1|2|3",
                "facts/x.csv:2: 2 fields where the header has 3",
                "facts/x.csv:3: 4 fields where the header has 3",
                "facts/x.csv:5: 1 field where the header has 3",
            ],
        );
    }

    #[test]
    fn reports_text_that_is_not_utf8_once_per_file() {
        check(
            b"a,b\nG\xe9n\xe9ral,1\nx,y\nz,\xe9\xe9\n\xff,\xff\n",
            &[
                "1: a|b",
                "2: G\u{fffd}n\u{fffd}ral|1",
                "3: x|y",
                "4: z|\u{fffd}\u{fffd}",
                "5: \u{fffd}|\u{fffd}",
                "facts/x.csv:2: column \"a\": \"G\u{fffd}n\u{fffd}ral\" is not UTF-8 text, nor is \
                 text on 2 later lines; save the file as UTF-8 (in Excel: CSV UTF-8)",
            ],
        );
        check(
            b"a,\xe9\n",
            &[
                "1: a|\u{fffd}",
                "facts/x.csv:1: \"\u{fffd}\" is not UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)",
            ],
        );
        check(
            b"\xFF\xFEa\x00,\x00",
            &["facts/x.csv: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)"],
        );
    }

    #[test]
    fn reports_a_quote_never_closed() {
        check(
            b"a,b\n1,2\n\"x,y\n3,4\n5,6\n",
            &[
                "1: a|b",
                "2: 1|2",
                "facts/x.csv:3: a quote (\") opened on this line is never closed",
            ],
        );
        check(b"a,b\n5'11\",2\n", &["1: a|b", "2: 5'11\"|2"]);
        check(
            b"a,b\n1,\"x\"\"\n",
            &[
                "1: a|b",
                "facts/x.csv:2: a quote (\") opened on this line is never closed",
            ],
        );
        check(b"a,b\n\"x\"\"y\",\"\"\n", &["1: a|b", "2: x\"y|"]);
    }

    #[test]
    fn an_empty_file_has_no_header() {
        check(b"", &[]);
        check(b"\xEF\xBB\xBF\r\n\r\n", &[]);
        check(b"\n\na,b\n", &["3: a|b"]);
    }
}
