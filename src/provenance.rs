//! Provenance as evaluation recorded it: for every derived tuple, the rule
//! instance that derived it in a proof of least height, and for every
//! input tuple, the fact rows that state it.
//!
//! crepe records every instance of every rule ([`crate::dl::instance`]);
//! this module only chooses among them. A tuple's height is 0 for an input
//! and otherwise 1 + the tallest premise of its best instance, so a chosen
//! derivation never rests on its own conclusion. Heights are settled level
//! by level, as in Knuth's generalisation of Dijkstra's algorithm: an
//! instance is complete once all its premises are settled, and at each
//! level the first complete instance of each tuple, in program order of
//! rules and sorted order of instances, is the one shown. The work is
//! linear in the number of instances and premises, with no recursion, so
//! no depth of the user's data can exhaust the stack.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::dl::instance::{layout, Layout, Slot};
use crate::dl::program::Checked;
use crate::dl::syntax::DeclKind;
use crate::facts::{Symbol, Value};
use crate::merge::Merged;
use crate::relation::{Instances, Relation};

/// A fact row: the index of its table in [`crate::facts::Facts::tables`] and of the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowRef {
    /// Index into [`crate::facts::Facts::tables`].
    pub table: usize,
    /// Index into that table's rows.
    pub row: usize,
}

/// No derivation: an input tuple, or (never, for a model crepe derived) a
/// tuple with no complete instance.
const NONE: u32 = u32::MAX;

/// The fact rows behind each input tuple.
#[derive(Clone, Debug, Default)]
pub struct InputRows {
    /// Per tuple, where its rows start in `rows`; one more entry at the end.
    offsets: Vec<u32>,
    rows: Vec<RowRef>,
}

impl InputRows {
    /// `rows` as (tuple position, row) pairs, for a relation of `len` tuples.
    pub fn new(len: usize, mut rows: Vec<(u32, RowRef)>) -> InputRows {
        rows.sort_unstable();
        let mut offsets = Vec::with_capacity(len + 1);
        let mut at = 0;
        for tuple in 0..len as u32 {
            offsets.push(at as u32);
            while at < rows.len() && rows[at].0 == tuple {
                at += 1;
            }
        }
        offsets.push(at as u32);
        InputRows {
            offsets,
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        }
    }

    /// The rows stating tuple `i`.
    pub fn of(&self, i: usize) -> &[RowRef] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.rows[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// The shown derivation of every tuple of a model.
#[derive(Clone, Debug, Default)]
pub struct Derivations {
    /// Each rule's instance layout.
    pub layouts: Vec<Layout>,
    /// Each rule's recorded instances.
    pub instances: Vec<Instances>,
    /// Each rule's instances' premises: for instance `j`, the positions of
    /// its premises in their relations, `premises.len()` of the layout each.
    premises: Vec<Vec<u32>>,
    /// Per relation, per tuple: the rule and instance shown, or `NONE`.
    chosen: Vec<Vec<(u32, u32)>>,
    /// Per relation, per tuple: its least height.
    heights: Vec<Vec<u32>>,
    /// Per input relation: the fact rows behind each tuple.
    pub rows: Vec<InputRows>,
    /// Per merged relation ([`crate::merge`]): its source relation and
    /// the source tuples each of its tuples merges.
    merged: Vec<Option<(usize, Merged)>>,
}

/// A tuple of the model: its relation and position.
pub type At = (usize, usize);

impl Derivations {
    /// Chooses, for every derived tuple of `relations`, an instance of
    /// least height among `instances`.
    pub fn new(
        rules: &Checked,
        relations: &[Relation],
        constants: &[Symbol],
        instances: Vec<Instances>,
        rows: Vec<InputRows>,
        merged: Vec<Option<(usize, Merged)>>,
    ) -> Derivations {
        let layouts: Vec<Layout> = (0..rules.rules.len()).map(|k| layout(rules, k)).collect();
        let is_input: Vec<bool> = rules
            .relations
            .iter()
            .map(|r| r.kind == DeclKind::Input)
            .collect();
        // Where each instance's premises and conclusion are: each rule on
        // its own, on every core.
        let (premises, heads): (Vec<Vec<u32>>, Vec<Vec<u32>>) = layouts
            .par_iter()
            .zip(&instances)
            .enumerate()
            .map(|(k, (layout, recorded))| {
                let info = &rules.rules[k];
                let mut at = Vec::with_capacity(recorded.len() * layout.premises.len());
                let mut head = Vec::with_capacity(recorded.len());
                let mut values: Vec<Value> = Vec::new();
                for j in 0..recorded.len() {
                    let captured = recorded.values(j);
                    for (p, &(step, relation)) in layout.premises.iter().enumerate() {
                        fill(&mut values, &layout.steps[step], captured, constants);
                        let found =
                            relations[relation].find(&values, recorded.premise_grades(j)[p]);
                        at.push(found.map_or(NONE, |i| i as u32));
                    }
                    fill(&mut values, &layout.head, captured, constants);
                    let found = relations[info.head].find(&values, recorded.grade(j));
                    head.push(found.map_or(NONE, |i| i as u32));
                }
                (at, head)
            })
            .unzip();
        let mut heights: Vec<Vec<u32>> = relations
            .iter()
            .zip(&is_input)
            .map(|(r, &input)| vec![if input { 0 } else { NONE }; r.len()])
            .collect();
        let mut chosen: Vec<Vec<(u32, u32)>> = relations
            .iter()
            .map(|r| vec![(NONE, NONE); r.len()])
            .collect();
        // Instances by number: rule k's instance j is offset[k] + j.
        let mut offset = Vec::with_capacity(layouts.len() + 1);
        let mut total = 0usize;
        for recorded in &instances {
            offset.push(total);
            total += recorded.len();
        }
        offset.push(total);
        // How many premises of each instance are derived and unsettled,
        // and which instances wait on each derived tuple.
        let mut pending: Vec<u32> = vec![0; total];
        let mut waiting_count: Vec<Vec<u32>> =
            relations.iter().map(|r| vec![0; r.len() + 1]).collect();
        let mut complete: Vec<u32> = Vec::new();
        for (k, layout) in layouts.iter().enumerate() {
            let width = layout.premises.len();
            for j in 0..instances[k].len() {
                let id = offset[k] + j;
                let mut broken = heads[k][j] == NONE;
                for (p, &(_, relation)) in layout.premises.iter().enumerate() {
                    let position = premises[k][j * width + p];
                    if position == NONE {
                        broken = true;
                    } else if !is_input[relation] {
                        pending[id] += 1;
                        waiting_count[relation][position as usize] += 1;
                    }
                }
                if broken {
                    pending[id] = NONE; // never completes
                } else if pending[id] == 0 {
                    complete.push(id as u32);
                }
            }
        }
        // Waiting lists, flat: offsets by prefix sums of the counts.
        let mut waiting_start: Vec<Vec<u32>> = waiting_count
            .iter()
            .map(|counts| {
                let mut sum = 0u32;
                counts
                    .iter()
                    .map(|c| {
                        let start = sum;
                        sum += c;
                        start
                    })
                    .collect()
            })
            .collect();
        let mut waiting: Vec<Vec<u32>> = waiting_count
            .iter()
            .map(|counts| vec![0; counts.iter().map(|&c| c as usize).sum()])
            .collect();
        for (k, layout) in layouts.iter().enumerate() {
            let width = layout.premises.len();
            for j in 0..instances[k].len() {
                let id = offset[k] + j;
                if pending[id] == NONE {
                    continue;
                }
                for (p, &(_, relation)) in layout.premises.iter().enumerate() {
                    if is_input[relation] {
                        continue;
                    }
                    let position = premises[k][j * width + p] as usize;
                    let slot = &mut waiting_start[relation][position];
                    waiting[relation][*slot as usize] = id as u32;
                    *slot += 1;
                }
            }
        }
        // waiting_start[r][i] now ends tuple i's list, which starts where
        // tuple i - 1's ends.
        let rule_of = |id: u32| offset.partition_point(|&o| o <= id as usize) - 1;
        let mut level = 1u32;
        while !complete.is_empty() {
            complete.sort_unstable();
            complete.dedup();
            let mut settled: Vec<At> = Vec::new();
            for &id in &complete {
                let k = rule_of(id);
                let j = id as usize - offset[k];
                let head = (rules.rules[k].head, heads[k][j] as usize);
                if heights[head.0][head.1] == NONE {
                    heights[head.0][head.1] = level;
                    chosen[head.0][head.1] = (k as u32, j as u32);
                    settled.push(head);
                }
            }
            let mut next = Vec::new();
            for (relation, position) in settled {
                let end = waiting_start[relation][position] as usize;
                let start = if position == 0 {
                    0
                } else {
                    waiting_start[relation][position - 1] as usize
                };
                for &id in &waiting[relation][start..end] {
                    let left = &mut pending[id as usize];
                    *left -= 1;
                    if *left == 0 {
                        next.push(id);
                    }
                }
            }
            complete = next;
            level += 1;
        }
        // No rule reads a merged relation, so its tuples are settled last:
        // one above the tallest row they merge.
        for (relation, merge) in merged.iter().enumerate() {
            let Some((source, members)) = merge else {
                continue;
            };
            for position in 0..heights[relation].len() {
                let tallest = members
                    .members(position)
                    .iter()
                    .map(|&m| heights[*source][m as usize])
                    .max();
                heights[relation][position] = match tallest {
                    Some(h) if h != NONE => h + 1,
                    _ => NONE,
                };
            }
        }
        Derivations {
            layouts,
            instances,
            premises,
            chosen,
            heights,
            rows,
            merged,
        }
    }

    /// The rule and instance shown for a derived tuple; `None` for inputs.
    pub fn chosen(&self, (relation, position): At) -> Option<(usize, usize)> {
        match self.chosen.get(relation)?.get(position)? {
            &(k, j) if k != NONE => Some((k as usize, j as usize)),
            _ => None,
        }
    }

    /// A tuple's least height: 0 for an input.
    pub fn height(&self, (relation, position): At) -> u32 {
        self.heights
            .get(relation)
            .and_then(|h| h.get(position))
            .copied()
            .unwrap_or(NONE)
    }

    /// The positions of an instance's premises, in body order.
    pub fn premises(&self, rule: usize, instance: usize) -> &[u32] {
        let width = self.layouts[rule].premises.len();
        &self.premises[rule][instance * width..(instance + 1) * width]
    }

    /// For a tuple of a merged relation, its source relation and the
    /// positions there of the tuples it merges.
    pub fn merged(&self, (relation, position): At) -> Option<(usize, &[u32])> {
        let (source, merged) = self.merged.get(relation)?.as_ref()?;
        Some((*source, merged.members(position)))
    }

    /// The premise tuples of a derived tuple's shown derivation: the
    /// premises of its rule instance, or the tuples a merged tuple merges.
    pub fn premise_tuples(&self, at: At) -> impl Iterator<Item = At> + '_ {
        let rule = self.chosen(at).into_iter().flat_map(move |(k, j)| {
            self.layouts[k]
                .premises
                .iter()
                .zip(self.premises(k, j))
                .map(|(&(_, relation), &position)| (relation, position as usize))
        });
        let merged = self
            .merged(at)
            .into_iter()
            .flat_map(|(source, members)| members.iter().map(move |&m| (source, m as usize)));
        rule.chain(merged)
    }

    /// Every fact row a tuple's shown proof rests on, in proof order
    /// (depth first, premises in body order), without repeats. `seen` is
    /// scratch space, cleared here, that callers reuse.
    pub fn rows(&self, at: At, seen: &mut FxHashSet<At>) -> Vec<RowRef> {
        seen.clear();
        let mut rows = Vec::new();
        let mut stack = vec![at];
        while let Some(at) = stack.pop() {
            if !seen.insert(at) {
                continue;
            }
            if let Some(input) = self.rows.get(at.0) {
                // Each row states one tuple, and each tuple is seen once.
                rows.extend_from_slice(input.of(at.1));
            }
            let before = stack.len();
            stack.extend(self.premise_tuples(at));
            stack[before..].reverse();
        }
        rows
    }
}

/// The values of a step's or head's slots under an instance's captures.
/// `Any` (only in negated atoms) reads as nothing.
fn fill(out: &mut Vec<Value>, slots: &[Slot], captured: &[Value], constants: &[Symbol]) {
    out.clear();
    out.extend(
        slots
            .iter()
            .filter_map(|slot| slot_value(*slot, captured, constants)),
    );
}

/// One slot's value under an instance's captures.
pub fn slot_value(slot: Slot, captured: &[Value], constants: &[Symbol]) -> Option<Value> {
    match slot {
        Slot::Capture(i) => captured.get(i).copied(),
        Slot::Constant(k) => constants.get(k).map(|s| Value::Name(*s)),
        Slot::Any => None,
    }
}
