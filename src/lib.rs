//! silsila: a rules engine for analysts who study armed groups from open
//! reporting.
//!
//! The pipeline, and the calls a program (the `silsila` binary, or a test)
//! makes along it:
//!
//! 1. [`load`] (or [`check`], which also returns every problem) reads the
//!    analyst's CSV files or the sheets of a workbook into [`facts::Facts`],
//!    keeping each row's origin, sources and grade.
//! 2. [`eval::run`] evaluates the Datalog rules of `rules/*.dl`, compiled
//!    into this crate by `src/build.rs` through crepe, into a
//!    [`model::Model`]: every derived relation, sorted, with the derivation
//!    evaluation recorded for each tuple.
//! 3. [`conclusion::tables`] turns the printed relations into
//!    [`conclusion::ConclusionTable`]s, each row with its sources and the
//!    grade of its weakest premise; [`explain::Explainer`] reads a
//!    conclusion's proof down to fact rows; [`conclusion::why_not`] says why
//!    one does not hold.
//! 4. [`render`] lays them out: text, CSV, JSON, workbooks, proof trees,
//!    graphs, STIX and the HTML report.
//!
//! [`rules::rules`] is the compiled-in program, checked ([`dl`] is the rule
//! language). Besides: [`diff`] compares two runs, [`about`] gathers one
//! entity's picture, [`generate`] writes synthetic facts, [`out_dir`]
//! writes an output folder safely. The library never prints or exits.

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
pub(crate) mod merge;
pub mod model;
pub mod out_dir;
pub mod progress;
pub(crate) mod provenance;
pub(crate) mod relation;
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
