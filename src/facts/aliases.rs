//! Resolving `aliases.csv`: which canonical name each alias stands for.
//!
//! An alias may name another alias (`ISIL` → `ISIS` → `Islamic State`), so
//! aliases resolve through chains to a name that is no alias. An alias that
//! is given two different names, or a chain that comes back on itself, has
//! no answer; those are reported, and their names are left unresolved. This
//! module works on symbols and row numbers only; the loader words the
//! problems.

use rustc_hash::FxHashMap;

use super::names::Symbol;

/// One row of `aliases.csv`: `alias` is another spelling of `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AliasRow {
    /// The alias, as interned (not resolved).
    pub alias: Symbol,
    /// The name it stands for, as interned (not resolved).
    pub name: Symbol,
}

/// What is wrong with some rows, by their indexes in the slice given to
/// [`resolve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AliasProblem {
    /// Row `row` gives the alias of row `earlier` a different name.
    Conflict {
        /// The later row.
        row: usize,
        /// The row that first gave the alias a name.
        earlier: usize,
    },
    /// These rows form a cycle, in chain order: each row's name is the next
    /// row's alias, and the last row's name is the first row's alias. The
    /// row that comes first in the file is first.
    Cycle(Vec<usize>),
}

/// Maps every alias that resolves to its canonical name, and reports what
/// does not resolve. Rows whose alias is its own name (differing at most in
/// spelling) say nothing and are passed over. The answer follows row order
/// alone, never hash order.
pub(crate) fn resolve(rows: &[AliasRow]) -> (FxHashMap<Symbol, Symbol>, Vec<AliasProblem>) {
    let mut problems = Vec::new();
    // The row that first names each alias.
    let mut first: FxHashMap<Symbol, usize> = FxHashMap::default();
    for (index, row) in rows.iter().enumerate() {
        if row.alias == row.name {
            continue;
        }
        match first.get(&row.alias) {
            None => {
                first.insert(row.alias, index);
            }
            Some(&earlier) => {
                if rows.get(earlier).is_some_and(|e| e.name != row.name) {
                    problems.push(AliasProblem::Conflict {
                        row: index,
                        earlier,
                    });
                }
            }
        }
    }

    // `None` marks an alias whose chain runs into a cycle.
    let mut canonical: FxHashMap<Symbol, Option<Symbol>> = FxHashMap::default();
    let mut path: Vec<(Symbol, usize)> = Vec::new();
    let mut on_path: FxHashMap<Symbol, usize> = FxHashMap::default();
    for (index, row) in rows.iter().enumerate() {
        if first.get(&row.alias) != Some(&index) || canonical.contains_key(&row.alias) {
            continue;
        }
        path.clear();
        on_path.clear();
        let mut at = row.alias;
        let answer = loop {
            if let Some(&known) = canonical.get(&at) {
                break known;
            }
            let Some(&next_row) = first.get(&at) else {
                break Some(at);
            };
            if let Some(&start) = on_path.get(&at) {
                let mut cycle: Vec<usize> = path
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .map(|&(_, r)| r)
                    .collect();
                if let Some(lowest) = (0..cycle.len()).min_by_key(|&i| cycle.get(i).copied()) {
                    cycle.rotate_left(lowest);
                }
                problems.push(AliasProblem::Cycle(cycle));
                break None;
            }
            on_path.insert(at, path.len());
            path.push((at, next_row));
            match rows.get(next_row) {
                Some(next) => at = next.name,
                None => break None,
            }
        };
        for &(alias, _) in &path {
            canonical.insert(alias, answer);
        }
    }
    let resolved = canonical
        .into_iter()
        .filter_map(|(alias, name)| Some((alias, name?)))
        .collect();
    (resolved, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(u32, u32)]) -> Vec<AliasRow> {
        pairs
            .iter()
            .map(|&(alias, name)| AliasRow {
                alias: Symbol(alias),
                name: Symbol(name),
            })
            .collect()
    }

    #[track_caller]
    fn check(pairs: &[(u32, u32)], resolved: &[(u32, u32)], problems: &[AliasProblem]) {
        let (map, got) = resolve(&rows(pairs));
        let mut map: Vec<(u32, u32)> = map.into_iter().map(|(a, n)| (a.0, n.0)).collect();
        map.sort();
        assert_eq!(map, resolved);
        assert_eq!(got, problems);
    }

    #[test]
    fn chains_resolve_to_the_last_name() {
        check(&[(1, 2), (2, 3), (4, 1)], &[(1, 3), (2, 3), (4, 3)], &[]);
        check(&[(4, 1), (1, 2), (2, 3)], &[(1, 3), (2, 3), (4, 3)], &[]);
        check(&[(1, 1), (2, 1), (2, 1)], &[(2, 1)], &[]);
    }

    #[test]
    fn conflicts_and_cycles_are_reported_and_left_unresolved() {
        check(
            &[(1, 2), (1, 3)],
            &[(1, 2)],
            &[AliasProblem::Conflict { row: 1, earlier: 0 }],
        );
        check(
            &[(5, 1), (2, 3), (1, 2), (3, 1)],
            &[],
            &[AliasProblem::Cycle(vec![1, 3, 2])],
        );
        check(&[(1, 2), (2, 1)], &[], &[AliasProblem::Cycle(vec![0, 1])]);
    }
}
