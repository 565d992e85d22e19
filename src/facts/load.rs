//! Reading a facts folder (placeholder until the loader lands).

use std::path::Path;

use super::Facts;
use crate::error::{Error, Result};

pub(super) fn load(path: &Path) -> Result<Facts> {
    Err(Error::Request(format!(
        "cannot load {} yet",
        path.display()
    )))
}
