//! The rule language: [`syntax`] parses `rules/*.dl`, [`check`] resolves and
//! checks it into a [`check::Checked`] program that the build script turns
//! into crepe code and that explanations walk at run time.
//!
//! Shared with `src/build.rs` through `#[path]`: nothing here may depend on
//! anything outside `std` and `crate::schema`.

pub mod builtins;
pub mod check;
pub mod instance;
pub mod syntax;
