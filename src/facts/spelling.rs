//! Choosing the one spelling each name is displayed with.
//!
//! The same name is written many ways across rows and files (`Islamic
//! State`, `ISLAMIC STATE`), and which is met first depends on row order.
//! The display spelling must not: it is chosen by where a spelling was
//! written ([`rank`]), then by spelling, so that reordering rows or files
//! never changes a report.

use super::names::{Interner, Symbol};

/// Symbol ranks for a name's display spelling: the lowest rank wins, and of
/// one rank the smallest spelling.
pub(crate) mod rank {
    /// The `name` column of `aliases.csv`.
    pub const CANONICAL: u8 = 0;
    /// The `name` column of `entities.csv`.
    pub const ENTITY: u8 = 1;
    /// The `place` column of `places.csv`.
    pub const PLACE: u8 = 2;
    /// Anywhere else.
    pub const OTHER: u8 = 3;
}

/// The spelling each symbol is displayed with, chosen by rank so that it
/// does not depend on the order of rows or files: the canonical `name` in
/// `aliases.csv` wins; else the spelling in `entities.csv`; else the one in
/// `places.csv`; else the smallest spelling seen.
#[derive(Default)]
pub(crate) struct Spellings {
    best: Vec<Option<(u8, Box<str>)>>,
}

impl Spellings {
    /// Offers a tidy spelling of `symbol` at `rank`.
    pub(crate) fn offer(&mut self, symbol: Symbol, rank: u8, spelling: &str) {
        if symbol.is_empty() {
            return;
        }
        let index = symbol.0 as usize;
        if self.best.len() <= index {
            self.best.resize(index + 1, None);
        }
        if let Some(slot) = self.best.get_mut(index) {
            let better = match slot {
                None => true,
                Some((r, s)) => (rank, spelling) < (*r, &**s),
            };
            if better {
                *slot = Some((rank, spelling.into()));
            }
        }
    }

    /// Gives every symbol offered its best spelling.
    pub(crate) fn apply(self, names: &mut Interner) {
        for (index, best) in self.best.into_iter().enumerate() {
            if let (Some((_, spelling)), Ok(index)) = (best, u32::try_from(index)) {
                names.set_display(Symbol(index), &spelling);
            }
        }
    }
}
