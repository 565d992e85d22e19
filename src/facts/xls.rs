//! Sizing up an old binary Excel workbook (`.xls`) before calamine reads it.
//!
//! calamine reads an `.xls` workbook whole when it opens it: for each sheet
//! it reserves room for the span its `Dimensions` record declares and then
//! lays out every cell, and every formula, as a dense range from the first
//! to the last. A few hundred bytes can declare billions of cells, and
//! allocating them aborts the process. There is no cell-by-cell reader for
//! `.xls`, so this module walks the workbook's records as calamine will
//! (the sheets its `BoundSheet8` records point at, each up to its `EOF`),
//! adds up what those three allocations will hold, and refuses a workbook
//! with a sheet past [`super::cells::MAX_CELLS`] with a message naming
//! the sheet and its span. It reads nothing else; calamine does the rest.

use std::io::{Cursor, Read};

use super::cells::MAX_CELLS;

/// Refuses the `.xls` workbook in `bytes` when calamine would hold more
/// than [`MAX_CELLS`] cells for one of its sheets. A workbook this cannot
/// walk (no compound file, no workbook stream, records cut short) is left
/// for calamine to report as it does any damage.
pub(super) fn within_limits(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut stream = Vec::new();
    let opened = ["Workbook", "Book", "WORKBOOK", "BOOK"]
        .iter()
        .find_map(|name| file.open_stream(name).ok());
    let Some(opened) = opened else {
        return Ok(());
    };
    if opened
        .take(super::cells::MAX_WORKBOOK_BYTES)
        .read_to_end(&mut stream)
        .is_err()
    {
        return Ok(());
    }
    for (position, name) in sheets(&stream) {
        let Some(sheet) = stream.get(position..) else {
            continue;
        };
        let span = span(sheet);
        if span.cells() > MAX_CELLS as u64 {
            return Err(format!(
                "its sheet {name:?} spans {} rows by {} columns ({} cells), which the .xls \
                 reader holds whole; silsila reads at most {MAX_CELLS} cells from a sheet, so \
                 save the workbook as .xlsx, whose sheets are read cell by cell",
                span.rows,
                span.columns,
                span.cells()
            ));
        }
    }
    Ok(())
}

/// The records of a stream from its start: (type, data), continuation
/// records left as they are (they hold no cell positions).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let header = rest.get(..4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((kind, data))
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *data.get(at)?,
        *data.get(at + 1)?,
    ])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Where each sheet's records start, with a name for messages, from the
/// `BoundSheet8` records of the workbook's globals (up to their `EOF`).
fn sheets(stream: &[u8]) -> Vec<(usize, String)> {
    let mut sheets = Vec::new();
    for (kind, data) in records(stream) {
        match kind {
            0x0085 => {
                if let Some(position) = u32_at(data, 0) {
                    // The name's bytes after its length and flags; shown
                    // as far as they read as Latin-1, which is enough to
                    // find the sheet.
                    let name: String = data
                        .get(8..)
                        .unwrap_or_default()
                        .iter()
                        .filter(|b| **b != 0)
                        .map(|&b| char::from(b))
                        .collect();
                    sheets.push((position as usize, name));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    sheets
}

/// What calamine would hold for one sheet, in cells: the span reserved
/// for its `Dimensions`, and the dense ranges of its cells and formulas.
#[derive(Default)]
struct Span {
    reserved: u64,
    cells: Bounds,
    formulas: Bounds,
    rows: u64,
    columns: u64,
}

impl Span {
    fn cells(&self) -> u64 {
        self.reserved
            .max(self.cells.area())
            .max(self.formulas.area())
    }
}

/// The smallest rectangle holding some positions.
#[derive(Default)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, column: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, column, column),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(column), c1.max(column)),
        });
    }

    fn area(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
        })
    }
}

/// Walks one sheet's records up to its `EOF`, as calamine does.
fn span(sheet: &[u8]) -> Span {
    let mut span = Span::default();
    for (kind, data) in records(sheet) {
        let position = || Some((u16_at(data, 0)?, u16_at(data, 2)?));
        match kind {
            // Dimensions: calamine reserves (last row - first row + 1) by
            // (last column - first column + 1) cells.
            0x0200 => {
                let read = match data.len() {
                    10 => (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => continue,
                };
                let (Some(r0), Some(r1), Some(c0), Some(c1)) = read else {
                    continue;
                };
                // As calamine reads it, in its 32-bit arithmetic, which
                // wraps when the last row is before the first.
                let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                let (rows, columns) = if r1 >= 1 && c1 >= 1 {
                    (
                        (r1 - 1).wrapping_sub(r0).wrapping_add(1),
                        (c1 - 1).wrapping_sub(c0).wrapping_add(1),
                    )
                } else {
                    (1, 1)
                };
                let (rows, columns) = (u64::from(rows), u64::from(columns));
                if rows.saturating_mul(columns) > span.reserved {
                    span.reserved = rows.saturating_mul(columns);
                    (span.rows, span.columns) = (rows, columns);
                }
            }
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0207 | 0x0006 => {
                if let Some((row, column)) = position() {
                    span.cells.add(row, column);
                    if kind == 0x0006 {
                        span.formulas.add(row, column);
                    }
                }
            }
            // MulRk: a run of cells from its first column to its last.
            0x00BD => {
                if let (Some((row, first)), Some(last)) =
                    (position(), u16_at(data, data.len().saturating_sub(2)))
                {
                    span.cells.add(row, first);
                    span.cells.add(row, last);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    for bounds in [&span.cells, &span.formulas] {
        if let Some((r0, r1, c0, c1)) = bounds.0 {
            if bounds.area() >= span.rows * span.columns {
                span.rows = u64::from(r1 - r0) + 1;
                span.columns = u64::from(c1 - c0) + 1;
            }
        }
    }
    span
}
