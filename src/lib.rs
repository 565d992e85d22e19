//! silsila: a rules engine for analysts who study armed groups from open
//! reporting.
//!
//! The pipeline: [`facts::load`] reads the analyst's CSV files, keeping each
//! row's origin and sources; the Datalog rules in `rules/*.dl`, compiled into
//! this crate by `src/build.rs` through crepe, derive conclusions; and the
//! conclusions are rendered sorted, with the weakest premise's confidence.

pub mod error;
pub mod facts;
pub mod generate;
pub mod schema;

pub use error::{Error, Problem, Result, Severity};
