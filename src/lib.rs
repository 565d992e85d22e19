//! silsila: a rules engine for analysts who study armed groups from open
//! reporting.
//!
//! The pipeline: [`facts::load`] reads the analyst's CSV files (or the
//! sheets of a workbook), keeping each row's origin and sources; the Datalog rules in `rules/*.dl`, compiled into
//! this crate by `src/build.rs` through crepe, derive conclusions
//! ([`eval::run`]); and the conclusions are rendered sorted, each with the
//! confidence of its weakest premise.

// Tests may unwrap: a panic there is a failed test, not a crash for a user.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod about;
pub mod builtin;
pub mod conclusion;
pub mod diff;
pub mod dl;
pub mod error;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod generate;
pub mod merge;
pub mod model;
pub mod out_dir;
pub mod progress;
pub mod provenance;
pub mod relation;
pub mod render;
pub mod rules;
pub mod schema;
mod suggest;

pub use error::{Error, Problem, Result, Severity};

/// Loads the facts folder or workbook at `path` for the compiled-in rules:
/// [`facts::load`] with the rules' words.
pub fn load(path: &std::path::Path) -> Result<facts::Facts> {
    facts::load(path, &rules::rules()?.constants)
}

/// Every problem in the facts at `path`, and the facts when there is no
/// error: [`facts::check`] with the compiled-in rules' words.
pub fn check(path: &std::path::Path) -> Result<(Option<facts::Facts>, Vec<Problem>)> {
    facts::check(path, &rules::rules()?.constants)
}
