//! Relations computed after evaluation rather than derived by rules: a
//! declaration `merges SOURCE by WITHIN` (`co_located` merges `shared` by
//! `counts_for`). Most specific place and maximal period are aggregates, so
//! they are a sort and a pass here instead of self-joins and negations in
//! crepe.
//!
//! The merged relation has the columns of its source, the last three a
//! place, a start and an end. For each key (the columns before the place)
//! and place, the source's periods that overlap or touch, by whole days,
//! are merged into one row from the earliest start to the latest end. Its
//! grade is the weakest of the rows merged: the row claims the whole
//! period, and each part rests on its own row. A row is dropped when the
//! same key has a row of the same period at a place `WITHIN` puts inside
//! this one: the more specific place says more.

use rustc_hash::FxHashMap;

use crate::facts::{Date, Grade, Value};
use crate::relation::{Relation, Tuple};

/// A merged relation and, for each of its tuples, the positions in the
/// source of the rows it merges.
#[derive(Clone, Debug, Default)]
pub struct Merged {
    /// The merged tuples, sorted.
    pub relation: Relation,
    /// Per tuple, where its members start in `members`; one more at the end.
    offsets: Vec<u32>,
    members: Vec<u32>,
}

impl Merged {
    /// The positions in the source of the rows tuple `i` merges, in order
    /// of their periods.
    pub fn members(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.members[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// A period by whole days: first day of its start, last day of its end.
type Span = (i32, i32);

/// One maximal period of one key and place, before most-specific places
/// are chosen.
struct Run {
    /// Position of the first source tuple it merges, whose key and place
    /// it takes.
    first: usize,
    /// The earliest start among its members; of starts on the same first
    /// day, the most precisely written, as for the end.
    start: Date,
    /// The latest end among its members.
    end: Date,
    span: Span,
    grade: Grade,
    members: Vec<u32>,
}

fn date(value: Value) -> Date {
    match value {
        Value::Date(d) => d,
        Value::Name(_) => Date::UNKNOWN,
    }
}

/// Merges `source`'s periods, at the most specific places `within` allows.
pub fn merge(source: &Relation, within: &Relation) -> Merged {
    let arity = source.arity();
    if source.is_empty() || arity < 3 {
        // The checker allows no merge of fewer than three columns.
        return Merged {
            relation: Relation::new(arity, Vec::new()),
            offsets: vec![0],
            members: Vec::new(),
        };
    }
    let (place, start, end) = (arity - 3, arity - 2, arity - 1);
    // Of the variants of one tuple (sorted by grade), the strongest.
    let best: Vec<usize> = (0..source.len())
        .filter(|&i| i + 1 == source.len() || source.values(i + 1) != source.values(i))
        .collect();
    let span_of = |i: usize| {
        let v = source.values(i);
        (date(v[start]).first_day(), date(v[end]).last_day())
    };
    // Maximal periods per key and place: sorted tuples of one key and
    // place are adjacent.
    let mut runs: Vec<Run> = Vec::new();
    let mut group_start = 0;
    while group_start < best.len() {
        let head = &source.values(best[group_start])[..start];
        let mut group_end = group_start + 1;
        while group_end < best.len() && &source.values(best[group_end])[..start] == head {
            group_end += 1;
        }
        let mut group: Vec<usize> = best[group_start..group_end].to_vec();
        group.sort_by_key(|&i| (span_of(i), source.values(i)[start], source.values(i)[end]));
        let first_run = runs.len();
        for &i in &group {
            let span = span_of(i);
            let start_date = date(source.values(i)[start]);
            let end_date = date(source.values(i)[end]);
            let open = runs.len() > first_run;
            match runs.last_mut() {
                Some(run) if open && span.0 <= run.span.1.saturating_add(1) => {
                    if span.0 == run.span.0 && start_date > run.start {
                        run.start = start_date;
                    }
                    if (span.1, end_date) > (run.span.1, run.end) {
                        run.span.1 = span.1;
                        run.end = end_date;
                    }
                    run.grade = run.grade.weakest(source.grade(i));
                    run.members.push(i as u32);
                }
                _ => runs.push(Run {
                    first: i,
                    start: start_date,
                    end: end_date,
                    span,
                    grade: source.grade(i),
                    members: vec![i as u32],
                }),
            }
        }
        group_start = group_end;
    }
    // Most specific places: runs of one key are adjacent; drop a run when
    // a run of the same key and period lies at a place inside its place.
    let mut kept: Vec<bool> = vec![true; runs.len()];
    let mut key_start = 0;
    while key_start < runs.len() {
        let key = &source.values(runs[key_start].first)[..place];
        let mut key_end = key_start + 1;
        while key_end < runs.len() && &source.values(runs[key_end].first)[..place] == key {
            key_end += 1;
        }
        if key_end - key_start > 1 {
            let mut by_span: FxHashMap<Span, Vec<usize>> = FxHashMap::default();
            for (r, run) in runs.iter().enumerate().take(key_end).skip(key_start) {
                by_span.entry(run.span).or_default().push(r);
            }
            for same in by_span.values().filter(|same| same.len() > 1) {
                for &r in same {
                    let at = source.values(runs[r].first)[place];
                    let finer = same.iter().any(|&other| {
                        let inner = source.values(runs[other].first)[place];
                        inner != at && !within.variants(&[inner, at]).is_empty()
                    });
                    if finer {
                        kept[r] = false;
                    }
                }
            }
        }
        key_start = key_end;
    }
    let mut rows: Vec<(Tuple, Vec<u32>)> = runs
        .into_iter()
        .zip(kept)
        .filter(|(_, kept)| *kept)
        .map(|(run, _)| {
            let mut values: Vec<Value> = source.values(run.first).to_vec();
            values[start] = Value::Date(run.start);
            values[end] = Value::Date(run.end);
            (
                Tuple {
                    values: values.into_boxed_slice(),
                    grade: run.grade,
                },
                run.members,
            )
        })
        .collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    let mut members = Vec::new();
    let mut tuples = Vec::with_capacity(rows.len());
    for (tuple, of) in rows {
        offsets.push(members.len() as u32);
        members.extend(of);
        tuples.push(tuple);
    }
    offsets.push(members.len() as u32);
    Merged {
        relation: Relation::new(arity, tuples),
        offsets,
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Confidence, Symbol};

    fn name(n: u32) -> Value {
        Value::Name(Symbol(n))
    }

    fn day(text: &str) -> Value {
        Value::Date(Date::parse(text).expect("a date"))
    }

    fn grade(confidence: Confidence) -> Grade {
        Grade::new(confidence, false)
    }

    /// `shared` rows (a, b, place, start, end, confidence).
    fn shared(rows: &[(u32, u32, u32, &str, &str, Confidence)]) -> Relation {
        Relation::new(
            5,
            rows.iter()
                .map(|&(a, b, q, s, e, c)| Tuple {
                    values: Box::new([name(a), name(b), name(q), day(s), day(e)]),
                    grade: grade(c),
                })
                .collect(),
        )
    }

    fn hierarchy(pairs: &[(u32, u32)]) -> Relation {
        Relation::new(
            2,
            pairs
                .iter()
                .map(|&(r, q)| Tuple {
                    values: Box::new([name(r), name(q)]),
                    grade: Grade::CERTAIN,
                })
                .collect(),
        )
    }

    fn rows(merged: &Merged) -> Vec<String> {
        (0..merged.relation.len())
            .map(|i| {
                let v = merged.relation.values(i);
                let Value::Name(q) = v[2] else { unreachable!() };
                format!(
                    "{} {} {} {:?} members {:?}",
                    q.0,
                    date(v[3]),
                    date(v[4]),
                    merged.relation.grade(i).confidence,
                    merged.members(i)
                )
            })
            .collect()
    }

    #[test]
    fn overlapping_and_touching_periods_merge_at_the_weakest_grade() {
        use Confidence::*;
        let source = shared(&[
            (1, 2, 10, "2015-01", "2015-06", Confirmed),
            (1, 2, 10, "2015-06-15", "2015-12", Probable),
            (1, 2, 10, "2016", "2016", Confirmed),
            (1, 2, 10, "2018", "2018", Confirmed),
        ]);
        let merged = merge(&source, &hierarchy(&[]));
        assert_eq!(
            rows(&merged),
            [
                "10 2015-01 2016 Probable members [0, 1, 2]",
                "10 2018 2018 Confirmed members [3]",
            ]
        );
    }

    #[test]
    fn of_starts_on_one_day_the_most_precise_is_shown_whatever_the_ends() {
        use Confidence::*;
        for (other_end, merged_end) in [("2015-03", "2015-09"), ("2015-11", "2015-11")] {
            let source = shared(&[
                (1, 2, 10, "2015", "2015-09", Confirmed),
                (1, 2, 10, "2015-01-01", other_end, Confirmed),
            ]);
            let merged = merge(&source, &hierarchy(&[]));
            let v = merged.relation.values(0);
            assert_eq!(date(v[3]).to_string(), "2015-01-01", "with {other_end}");
            assert_eq!(date(v[4]).to_string(), merged_end);
        }
    }

    #[test]
    fn the_strongest_variant_of_a_row_is_merged() {
        use Confidence::*;
        let source = shared(&[
            (1, 2, 10, "2015", "2015", Doubtful),
            (1, 2, 10, "2015", "2015", Confirmed),
        ]);
        let merged = merge(&source, &hierarchy(&[]));
        assert_eq!(rows(&merged), ["10 2015 2015 Confirmed members [1]"]);
    }

    #[test]
    fn a_place_is_dropped_for_a_place_inside_it_over_the_same_period() {
        use Confidence::*;
        // 11 lies inside 10; 12 is elsewhere.
        let source = shared(&[
            (1, 2, 10, "2015", "2015", Confirmed),
            (1, 2, 10, "2017", "2017", Confirmed),
            (1, 2, 11, "2015", "2015", Confirmed),
            (1, 2, 12, "2015", "2015", Confirmed),
            (3, 4, 10, "2015", "2015", Confirmed),
        ]);
        let merged = merge(&source, &hierarchy(&[(10, 10), (11, 10), (11, 11)]));
        assert_eq!(
            rows(&merged),
            [
                "10 2017 2017 Confirmed members [1]",
                "11 2015 2015 Confirmed members [2]",
                "12 2015 2015 Confirmed members [3]",
                "10 2015 2015 Confirmed members [4]",
            ]
        );
    }

    #[test]
    fn unknown_dates_merge_with_what_they_may_overlap() {
        use Confidence::*;
        let source = shared(&[
            (1, 2, 10, "", "", Doubtful),
            (1, 2, 10, "2015", "2015", Confirmed),
        ]);
        let merged = merge(&source, &hierarchy(&[]));
        assert_eq!(rows(&merged), ["10   Doubtful members [0, 1]"]);
    }

    #[test]
    fn nothing_merges_to_nothing() {
        let merged = merge(&Relation::default(), &hierarchy(&[]));
        assert!(merged.relation.is_empty());
        assert!(merged.members(0).is_empty());
    }
}
