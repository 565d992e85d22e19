//! The rules compiled into this binary, parsed and checked again at run
//! time by the same `src/dl/` code the build script used, so that
//! explanations and `silsila rules` see exactly what crepe evaluates.

use std::sync::OnceLock;

use crate::dl::check::compile;
use crate::dl::program::Checked;
use crate::error::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// The compiled-in rules, checked.
pub fn rules() -> Result<&'static Checked> {
    static RULES: OnceLock<std::result::Result<Checked, String>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            compile(RULE_FILES).map_err(|errors| {
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        })
        .as_ref()
        .map_err(|message| Error::Request(format!("the compiled-in rules do not check: {message}")))
}
