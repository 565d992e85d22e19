//! Black-box tests of the `silsila` binary: every case folder under
//! `tests/cases/` and the shipped `facts/` are run and their conclusions and
//! explanations snapshotted; bad input has its exact error text pinned.

// Tests may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod cases;
mod check;
mod errors;
mod explain;
mod order;
mod properties;
mod support;
