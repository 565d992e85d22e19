//! A workbook sheet's cells as read, and the limits on what is read: shared
//! by the readers of each workbook format (`workbook.rs` through calamine,
//! `ods.rs` and `xls.rs`), so that none of them reaches into another.

use calamine::Data;

/// The largest workbook file read, in bytes: a spreadsheet of a million
/// rows of facts is far smaller, and a larger file is more likely a zip
/// bomb or the wrong file than facts.
pub(super) const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

/// The most a zip workbook (`.xlsx`, `.xlsb`, `.ods`) may inflate to, by
/// the sizes its entries declare.
pub(super) const MAX_INFLATED_BYTES: u64 = 1 << 30;

/// The most cells with anything in them read from one sheet.
pub(super) const MAX_CELLS: usize = 10_000_000;
/// A spreadsheet's own last row and column (XFD1048576).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// A sheet's non-empty cells by (row, column) from 0, in row order: memory
/// follows the cells present, never the span between the first and last.
pub(super) type Cells = Vec<((u32, u32), Data)>;

/// Adds one cell, refusing a cell past a spreadsheet's last row or column
/// and a sheet past [`MAX_CELLS`].
pub(super) fn push_cell(
    cells: &mut Cells,
    (row, column): (u32, u32),
    data: Data,
) -> Result<(), String> {
    if data == Data::Empty {
        return Ok(());
    }
    if row >= MAX_ROWS || column >= MAX_COLUMNS {
        return Err(format!(
            "a cell lies past a spreadsheet's last row (1,048,576) or column (16,384, XFD): row {}, column {}",
            u64::from(row) + 1,
            u64::from(column) + 1
        ));
    }
    if cells.len() >= MAX_CELLS {
        return Err(format!(
            "the sheet holds more than {MAX_CELLS} cells, the most silsila reads from one sheet"
        ));
    }
    cells.push(((row, column), data));
    Ok(())
}
