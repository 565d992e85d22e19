//! The rule language: `lexer` and [`parser`] read `rules/*.dl` into the
//! tree of [`syntax`], [`check`] resolves and checks it into a
//! [`program::Checked`] program that the build script turns
//! into crepe code and that explanations walk at run time.
//!
//! Shared with `src/build.rs` through `#[path]`: nothing here may depend on
//! anything outside `std`, `crate::schema` and `crate::suggest`.

pub mod builtins;
pub mod check;
pub mod codegen;
pub mod instance;
mod lexer;
pub mod parser;
pub mod program;
mod strata;
pub mod syntax;
pub mod types;
