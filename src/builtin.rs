//! The built-in functions rules call (declared in `src/dl/builtins.rs`),
//! shared by the compiled rules and by explanations, which re-check a
//! rule's conditions when they rebuild a proof.

use crate::dl::builtins::BUILTINS;
use crate::facts::{Confidence, Date, Value};

/// What a hedged test found: `None` when it fails, otherwise the most
/// confidence it leaves a conclusion (`confirmed` when the dates settle
/// it, less when they only allow it).
pub type Hedge = Option<Confidence>;

/// Whether the period `s1`–`e1` overlaps `s2`–`e2`, and how surely.
///
/// They *possibly* overlap when some reading of their dates makes them
/// meet: a partial date stands for any day of its period, an unknown start
/// for any day up to the end, an unknown end (ongoing) for any day from the
/// start on. They *certainly* overlap when every reading does: the latest
/// each can start is no later than the earliest the other can end. A
/// conclusion resting on a possible overlap only is at most `doubtful`.
pub fn overlaps(s1: Date, e1: Date, s2: Date, e2: Date) -> Hedge {
    if !(s1.first_day() <= e2.last_day() && s2.first_day() <= e1.last_day()) {
        return None;
    }
    let certain = latest_start(s1, e1) <= earliest_end(s2, e2)
        && latest_start(s2, e2) <= earliest_end(s1, e1);
    Some(if certain {
        Confidence::Confirmed
    } else {
        Confidence::Doubtful
    })
}

/// The last day a period can have begun on: its start's last day, and
/// never after its end; unknown start and end leave it open.
fn latest_start(start: Date, end: Date) -> i32 {
    match (start.is_known(), end.is_known()) {
        (true, true) => start.last_day().min(end.last_day()),
        (true, false) => start.last_day(),
        (false, true) => end.last_day(),
        (false, false) => i32::MAX,
    }
}

/// The first day a period can have ended on: its end's first day, and
/// never before its start. An ongoing period has not ended; an unknown
/// start and end say nothing.
fn earliest_end(start: Date, end: Date) -> i32 {
    match (start.is_known(), end.is_known()) {
        (_, true) => end.first_day().max(start.first_day()),
        (true, false) => i32::MAX,
        (false, false) => i32::MIN,
    }
}

/// Whether the period `s1`–`e1` contains `s2`–`e2` and is longer, by
/// whole days: so two writings of one period never cover each other.
pub fn covers(s1: Date, e1: Date, s2: Date, e2: Date) -> bool {
    let (outer, inner) = (
        (s1.first_day(), e1.last_day()),
        (s2.first_day(), e2.last_day()),
    );
    outer.0 <= inner.0 && inner.1 <= outer.1 && outer != inner
}

/// The later of two starts; an unknown start is the earliest.
pub fn later_start(a: Date, b: Date) -> Date {
    if (b.first_day(), b) > (a.first_day(), a) {
        b
    } else {
        a
    }
}

/// The earlier of two ends; an unknown end (ongoing) is the latest.
pub fn earlier_end(a: Date, b: Date) -> Date {
    if (b.last_day(), b) < (a.last_day(), a) {
        b
    } else {
        a
    }
}

/// Whether an end is ongoing, or its last day is on or after the first day
/// of `since`.
pub fn ends_since(end: Date, since: Date) -> bool {
    end.last_day() >= since.first_day()
}

/// The end, or the start when there is no end: an event with no end lasts
/// its start period.
pub fn end_or_start(start: Date, end: Date) -> Date {
    if end.is_known() {
        end
    } else {
        start
    }
}

/// The latest date a row attests, up to `as_of`, at the precision it is
/// written in: its end (`2022`, not a day inside it); when it is ongoing,
/// the date of its latest source (`reported`), or its start when no source
/// has a date; and `as_of` when that date can only lie after it.
pub fn last_seen(start: Date, end: Date, reported: Date, as_of: Date) -> Date {
    let attested = if end.is_known() {
        end
    } else if reported.is_known() {
        later_start(start, reported)
    } else {
        start
    };
    if attested.is_known() && as_of.is_known() && attested.first_day() > as_of.last_day() {
        as_of
    } else {
        attested
    }
}

/// Whether a date is given.
pub fn known(date: Date) -> bool {
    date.is_known()
}

/// What a built-in gives: a truth value for a test, else a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A test's result.
    Holds(bool),
    /// A hedged test's result.
    Hedged(Hedge),
    /// A function's value.
    Value(Value),
}

/// One built-in's implementation over argument values, which the checker
/// has typed to its parameters; `None` only where they do not fit.
type Call = fn(&[Value]) -> Option<Outcome>;

/// The arguments as `N` dates, when they are.
fn dates<const N: usize>(args: &[Value]) -> Option<[Date; N]> {
    let mut out = [Date::UNKNOWN; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        match arg {
            Value::Date(date) => *slot = *date,
            Value::Name(_) => return None,
        }
    }
    (args.len() == N).then_some(out)
}

/// A date a function gives, as its outcome.
fn gives(date: Date) -> Option<Outcome> {
    Some(Outcome::Value(Value::Date(date)))
}

/// Every built-in's implementation, in the order of [`BUILTINS`] and
/// looked up by the same index. The array is as long as that table, so a
/// built-in declared without an implementation does not compile; a test
/// checks that each entry is the one its name says.
const CALLS: [(&str, Call); BUILTINS.len()] = [
    ("overlaps", |a| {
        let [s1, e1, s2, e2] = dates(a)?;
        Some(Outcome::Hedged(overlaps(s1, e1, s2, e2)))
    }),
    ("covers", |a| {
        let [s1, e1, s2, e2] = dates(a)?;
        Some(Outcome::Holds(covers(s1, e1, s2, e2)))
    }),
    ("later_start", |a| {
        let [x, y] = dates(a)?;
        gives(later_start(x, y))
    }),
    ("earlier_end", |a| {
        let [x, y] = dates(a)?;
        gives(earlier_end(x, y))
    }),
    ("ends_since", |a| {
        let [end, since] = dates(a)?;
        Some(Outcome::Holds(ends_since(end, since)))
    }),
    ("end_or_start", |a| {
        let [start, end] = dates(a)?;
        gives(end_or_start(start, end))
    }),
    ("last_seen", |a| {
        let [start, end, reported, as_of] = dates(a)?;
        gives(last_seen(start, end, reported, as_of))
    }),
    ("known", |a| {
        let [date] = dates(a)?;
        Some(Outcome::Holds(known(date)))
    }),
];

/// Calls the built-in at `index` of [`BUILTINS`], for explanations. `None`
/// when there is none or the arguments do not fit it (which the checker
/// rules out).
pub fn call(index: usize, args: &[Value]) -> Option<Outcome> {
    CALLS.get(index).and_then(|(_, call)| call(args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dl::builtins::Returns;
    use crate::dl::types::Type;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn every_declared_builtin_is_implemented_at_its_index() {
        for (index, builtin) in BUILTINS.iter().enumerate() {
            assert_eq!(CALLS[index].0, builtin.name, "implementation {index}");
            let args: Vec<Value> = builtin
                .params
                .iter()
                .map(|_| Value::Date(d("2020")))
                .collect();
            match (call(index, &args), builtin.returns) {
                (Some(Outcome::Holds(_)), Returns::Test)
                | (Some(Outcome::Hedged(_)), Returns::Hedge)
                | (Some(Outcome::Value(Value::Date(_))), Returns::Value(Type::Date)) => {}
                (outcome, returns) => {
                    panic!("{}: declared {returns:?}, gave {outcome:?}", builtin.name)
                }
            }
        }
        assert_eq!(call(BUILTINS.len(), &[]), None);
    }

    #[test]
    fn partial_dates_overlap_over_their_whole_period() {
        assert!(overlaps(d("2022-11"), d("2022-11"), d("2022-11-15"), d("")).is_some());
        assert!(overlaps(d("2021"), d("2021"), d("2022-01-01"), d("")).is_none());
        assert!(overlaps(d(""), d(""), d("1990"), d("1990")).is_some());
        assert!(covers(
            d("2022-10"),
            d("2022-10"),
            d("2022-10-21"),
            d("2022-10")
        ));
        assert!(!covers(
            d("2022-10"),
            d("2022-10"),
            d("2022-10-01"),
            d("2022-10-31")
        ));
        assert!(covers(
            d(""),
            d("2022-11-15"),
            d("2022-11"),
            d("2022-11-15")
        ));
        assert_eq!(later_start(d("2022"), d("2022-03")).to_string(), "2022-03");
        assert_eq!(later_start(d(""), d("2022")).to_string(), "2022");
        assert_eq!(earlier_end(d(""), d("2022-03")).to_string(), "2022-03");
        assert_eq!(
            earlier_end(d("2022-11-15"), d("2022-11")).to_string(),
            "2022-11-15"
        );
    }

    #[test]
    fn dates_overlap_certainly_only_when_every_reading_of_them_does() {
        let sure = Some(Confidence::Confirmed);
        let maybe = Some(Confidence::Doubtful);
        // A year is a span of uncertainty, not presence throughout it.
        assert_eq!(
            overlaps(d("2022"), d("2022"), d("2022-10-21"), d("2022-11-15")),
            maybe
        );
        assert_eq!(overlaps(d("2022"), d("2022"), d("2022"), d("2022")), maybe);
        // Undated rows do not overlap everything for sure.
        assert_eq!(overlaps(d(""), d(""), d("2016"), d("2018")), maybe);
        assert_eq!(
            overlaps(d("2016"), d("2020"), d("2018-01-01"), d("2018-02-01")),
            sure
        );
        // Ongoing since 2016 surely covers a dated day in 2018.
        assert_eq!(
            overlaps(d("2016"), d(""), d("2018-03-01"), d("2018-03-01")),
            sure
        );
        // Up to a day, with no start: holds on that day at least.
        assert_eq!(
            overlaps(d(""), d("2018-03-01"), d("2018-03-01"), d("2018-03-01")),
            sure
        );
        assert_eq!(
            overlaps(d("2022-10-21"), d("2022-10-21"), d("2022-10"), d("2022-11")),
            maybe
        );
        assert_eq!(overlaps(d("2015"), d("2015"), d("2016"), d("")), None);
    }

    #[test]
    fn last_seen_caps_at_as_of_and_falls_back_to_the_start() {
        assert_eq!(
            last_seen(d("2016"), d("2024"), d(""), d("2022-11")).to_string(),
            "2022-11"
        );
        assert_eq!(
            last_seen(d("2016"), d(""), d(""), d("2022-11")).to_string(),
            "2016"
        );
        // An ongoing row is attested up to its latest source, capped at as-of.
        assert_eq!(
            last_seen(d("2016"), d(""), d("2022-10"), d("2022-11-15")).to_string(),
            "2022-10"
        );
        assert_eq!(
            last_seen(d("2016"), d(""), d("2023"), d("2022-11-15")).to_string(),
            "2022-11-15"
        );
        // The precision of the attesting date is kept.
        assert_eq!(
            last_seen(d("2022"), d("2022"), d(""), d("2022-11-15")).to_string(),
            "2022"
        );
        assert_eq!(
            last_seen(d("2022"), d("2022-11-20"), d(""), d("2022-11-15")).to_string(),
            "2022-11-15"
        );
        assert!(ends_since(d(""), d("2022")));
        assert!(ends_since(d("2022"), d("2022-06-01")));
        assert!(!ends_since(d("2021-12"), d("2022-01-01")));
    }
}
