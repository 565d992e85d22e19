//! Black-box tests of the `silsila` binary: every case folder under
//! `tests/cases/` and the shipped `facts/` are run and their conclusions and
//! explanations snapshotted; bad input has its exact error text pinned, and
//! every message of `silsila check`; conclusions must not depend on the
//! order of rows or columns; output must be safe to open; workbooks are
//! checked against the CSV files they were made from. `properties` calls
//! the library instead, with inputs nobody wrote by hand, to hold it to
//! never panicking.

// Tests may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod architecture;
mod blocks;
mod cases;
mod check;
mod conclusions_xlsx;
mod conflicts;
mod diff;
mod errors;
mod explain;
mod floor;
mod graph;
mod hostile;
mod hostile_sheets;
mod order;
mod out_dir;
mod output;
mod properties;
mod report;
mod sheets;
mod sources;
mod spellings;
mod stix;
mod support;
mod ui;
mod unreadable;
mod variants;
mod workbook;
