//! Reading the sheets of an OpenDocument spreadsheet (`.ods`) cell by cell.
//!
//! calamine reads an `.ods` workbook whole when it opens it, and each row
//! densely up to its last cell: a thousand rows with one cell each in
//! column `XFD` cost sixteen million cells, and many more abort the
//! process. This reader streams `content.xml` instead and keeps only the
//! cells with something in them, with their positions, so memory follows
//! the cells present; repeated rows and columns advance the position
//! without being spelt out unless they hold a value. It reads cells as
//! calamine does (the same [`Data`] for each value type), so a sheet reads
//! the same either way.

use std::io::{BufReader, Read, Seek};

use calamine::Data;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::cells::{push_cell, Cells};

/// The most spaces one `text:s` element may stand for: a cell holds at
/// most 32,767 characters in any spreadsheet.
const MOST_SPACES: usize = 32_767;

/// A sheet's columns: a row holding more cells is refused as it is read.
const COLUMNS: u32 = 16_384;

/// The most text one sheet's cells may hold, repeats spelt out: as much
/// as a workbook may inflate to.
const MOST_TEXT: u64 = super::cells::MAX_INFLATED_BYTES;

/// The bytes of text a cell holds.
fn text_bytes(data: &Data) -> u64 {
    match data {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.len() as u64,
        _ => 8,
    }
}

/// A sheet as read: its name and its cells, or why it cannot be read.
pub(super) type ReadSheet = (String, Result<Cells, String>);

/// The sheets of the `.ods` workbook in `archive`, in order. An error is
/// why the workbook cannot be read at all; a sheet past the limits of
/// [`push_cell`] is an error of its own.
pub(super) fn sheets<R: Read + Seek>(
    archive: R,
    most_bytes: u64,
) -> Result<Vec<ReadSheet>, String> {
    let mut zip = zip::ZipArchive::new(archive).map_err(|e| format!("zip error: {e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|_| "the workbook has no content.xml, so it is no OpenDocument spreadsheet")?;
    let mut reader = Reader::from_reader(BufReader::new(content.take(most_bytes)));
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.expand_empty_elements = true;
    let xml = |e: quick_xml::Error| format!("XML error: {e}");
    let mut sheets = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(xml)? {
            Event::Start(e) if e.name() == QName(b"table:table") => {
                let name = attribute(&reader, &e, b"table:name")?.unwrap_or_default();
                let cells = table(&mut reader).map_err(|e| match e {
                    Stop::Xml(e) => Err(xml(e)),
                    Stop::Sheet(message) => Ok(message),
                });
                match cells {
                    Ok(cells) => sheets.push((name, Ok(cells))),
                    Err(Ok(message)) => {
                        sheets.push((name, Err(message)));
                        // The rest of the table is passed over.
                        reader
                            .read_to_end_into(QName(b"table:table"), &mut Vec::new())
                            .map_err(xml)?;
                    }
                    Err(Err(message)) => return Err(message),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Why a table's reading stopped: the XML is damaged (the workbook cannot
/// be read), or the sheet is past a limit (only the sheet is refused).
enum Stop {
    Xml(quick_xml::Error),
    Sheet(String),
}

impl From<quick_xml::Error> for Stop {
    fn from(e: quick_xml::Error) -> Stop {
        Stop::Xml(e)
    }
}

impl From<quick_xml::encoding::EncodingError> for Stop {
    fn from(e: quick_xml::encoding::EncodingError) -> Stop {
        Stop::Xml(e.into())
    }
}

type XmlReader<R> = Reader<BufReader<R>>;

/// The value of attribute `key` of `element`, unescaped.
fn attribute<R: Read>(
    reader: &XmlReader<R>,
    element: &BytesStart,
    key: &[u8],
) -> Result<Option<String>, String> {
    let found = element
        .try_get_attribute(key)
        .map_err(|e| format!("XML error: {e}"))?;
    found
        .map(|a| {
            a.decode_and_unescape_value(reader.decoder())
                .map(|v| v.into_owned())
                .map_err(|e| format!("XML error: {e}"))
        })
        .transpose()
}

/// A repeat count: at least 1, and never more than a sheet has rows, so
/// that positions stay within `u32`.
fn repeats<R: Read>(reader: &XmlReader<R>, element: &BytesStart, key: &[u8]) -> Result<u32, Stop> {
    let text = attribute(reader, element, key).map_err(Stop::Sheet)?;
    match text {
        None => Ok(1),
        Some(text) => text
            .trim()
            .parse::<u64>()
            .map(|n| n.clamp(1, 1 << 21) as u32)
            .map_err(|_| Stop::Sheet(format!("{text:?} is not a repeat count"))),
    }
}

/// Reads the rows of a `table:table` up to its end.
fn table<R: Read>(reader: &mut XmlReader<R>) -> Result<Cells, Stop> {
    let mut cells = Cells::new();
    let mut bytes: u64 = 0;
    let mut row: u32 = 0;
    let mut buf = Vec::new();
    let mut in_row: Vec<(u32, Data)> = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.name() == QName(b"table:table-row") => {
                let times = repeats(reader, &e, b"table:number-rows-repeated")?;
                in_row.clear();
                read_row(reader, &mut in_row)?;
                if in_row.is_empty() {
                    row = row.saturating_add(times);
                    continue;
                }
                let row_bytes: u64 = in_row.iter().map(|(_, data)| text_bytes(data)).sum();
                for _ in 0..times {
                    // Repeats copy the row's text: a few bytes of XML
                    // could otherwise spell out terabytes.
                    bytes = bytes.saturating_add(row_bytes);
                    if bytes > MOST_TEXT {
                        return Err(Stop::Sheet(format!(
                            "its repeated rows spell out more than {} MiB of text, the most silsila reads from a sheet",
                            MOST_TEXT >> 20
                        )));
                    }
                    for (column, data) in &in_row {
                        push_cell(&mut cells, (row, *column), data.clone()).map_err(Stop::Sheet)?;
                    }
                    row = row.saturating_add(1);
                }
            }
            Event::End(e) if e.name() == QName(b"table:table") => return Ok(cells),
            Event::Eof => return Ok(cells),
            _ => {}
        }
    }
}

/// Reads the cells of a row up to its end into `cells`, by column, keeping
/// only those with a value.
fn read_row<R: Read>(reader: &mut XmlReader<R>, cells: &mut Vec<(u32, Data)>) -> Result<(), Stop> {
    let mut column: u32 = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e)
                if e.name() == QName(b"table:table-cell")
                    || e.name() == QName(b"table:covered-table-cell") =>
            {
                let times = repeats(reader, &e, b"table:number-columns-repeated")?;
                let element = e.into_owned();
                let data = cell(reader, &element)?;
                if data != Data::Empty {
                    if u64::from(column) + u64::from(times) > u64::from(COLUMNS) {
                        return Err(Stop::Sheet(format!(
                            "a cell is repeated past a spreadsheet's last column (16,384, XFD), from column {}",
                            u64::from(column) + 1
                        )));
                    }
                    for _ in 0..times {
                        cells.push((column, data.clone()));
                        column += 1;
                    }
                } else {
                    column = column.saturating_add(times);
                }
            }
            Event::End(e) if e.name() == QName(b"table:table-row") => return Ok(()),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The value of one cell, read up to the cell's end, as calamine reads it:
/// `office:value` as a float, `office:date-value` and `office:time-value`
/// as ISO text, `office:boolean-value`, and a string's `office:string-value`
/// or else its paragraphs joined by line breaks.
fn cell<R: Read>(reader: &mut XmlReader<R>, element: &BytesStart) -> Result<Data, Stop> {
    let mut value = Data::Empty;
    let mut is_string = false;
    let mut set = false;
    for a in element.attributes() {
        let a = a.map_err(|e| Stop::Xml(e.into()))?;
        let text = || {
            a.decode_and_unescape_value(reader.decoder())
                .map(|v| v.into_owned())
        };
        match a.key {
            QName(b"office:value") if !set => {
                let text = text()?;
                value = Data::Float(text.trim().parse::<f64>().map_err(|_| {
                    Stop::Sheet(format!("the cell value {text:?} is not a number"))
                })?);
                set = true;
            }
            QName(b"office:string-value") if !set => {
                value = Data::String(text()?);
                set = true;
            }
            QName(b"office:date-value") if !set => {
                value = Data::DateTimeIso(text()?);
                set = true;
            }
            QName(b"office:time-value") if !set => {
                value = Data::DurationIso(text()?);
                set = true;
            }
            QName(b"office:boolean-value") if !set => {
                value = Data::Bool(&*a.value == b"TRUE" || &*a.value == b"true");
                set = true;
            }
            QName(b"office:value-type") if !set => is_string = &*a.value == b"string",
            _ => {}
        }
    }
    let mut text = String::new();
    let mut paragraphs = 0;
    let mut buf = Vec::new();
    let mut depth_in_annotation = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::End(e)
                if e.name() == QName(b"table:table-cell")
                    || e.name() == QName(b"table:covered-table-cell") =>
            {
                break;
            }
            Event::Eof => break,
            Event::Start(e) if e.name() == QName(b"office:annotation") => {
                depth_in_annotation += 1;
            }
            Event::End(e) if e.name() == QName(b"office:annotation") => {
                depth_in_annotation -= 1;
            }
            _ if depth_in_annotation > 0 || set || !is_string => {}
            Event::Start(e) if e.name() == QName(b"text:p") => {
                if paragraphs > 0 {
                    text.push('\n');
                }
                paragraphs += 1;
            }
            Event::Start(e) if e.name() == QName(b"text:s") => {
                let count = match attribute(reader, &e, b"text:c").map_err(Stop::Sheet)? {
                    Some(c) => c.trim().parse::<usize>().unwrap_or(1),
                    None => 1,
                };
                text.extend(std::iter::repeat_n(' ', count.min(MOST_SPACES)));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()?),
            Event::GeneralRef(e) => {
                let name = e.decode()?;
                match quick_xml::escape::resolve_xml_entity(&name) {
                    Some(resolved) => text.push_str(resolved),
                    None => match e.resolve_char_ref()? {
                        Some(c) => text.push(c),
                        None => {
                            return Err(Stop::Sheet(format!("unknown entity &{name};")));
                        }
                    },
                }
            }
            _ => {}
        }
    }
    if !set && is_string {
        value = Data::String(text);
    }
    Ok(value)
}
