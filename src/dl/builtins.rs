//! The built-in functions rules may call, with their types.
//!
//! This table is what the checker and the code generator know of them; the
//! implementations, shared by compiled rules and by explanations, live in
//! `src/builtin.rs`. A test there checks that every entry here has one.

use super::types::Type;

/// What a built-in gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// A test, used as a condition.
    Test,
    /// A test that, holding, may also cap the conclusion's confidence.
    Hedge,
    /// A value of this type, bound with `variable = name(…)`.
    Value(Type),
}

/// A built-in function or test.
#[derive(Debug)]
pub struct Builtin {
    /// The name rules call it by; also its function name in `src/builtin.rs`.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [Type],
    /// What it gives.
    pub returns: Returns,
    /// What it means, for `silsila rules` and the README.
    pub doc: &'static str,
    /// How explanations say that it held, with `{0}`, `{1}`, … for its
    /// arguments.
    pub says: &'static str,
    /// For a hedged test, how explanations say that it held only in part
    /// (before ", so this is at most doubtful"); else empty.
    pub hedged_says: &'static str,
}

/// Every built-in, by name.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "overlaps",
        params: &[Type::Date, Type::Date, Type::Date, Type::Date],
        returns: Returns::Hedge,
        says: "the periods {0} to {1} and {2} to {3} overlap",
        hedged_says: "the periods {0} to {1} and {2} to {3} only possibly overlap (their dates are partial, open or unknown)",
        doc: "the period start1–end1 may overlap start2–end2 (a partial date stands for any day of its period, unknown starts and ends are open); when only some reading of the dates makes them meet, the conclusion is at most doubtful",
    },
    Builtin {
        name: "covers",
        params: &[Type::Date, Type::Date, Type::Date, Type::Date],
        returns: Returns::Test,
        says: "the period {0} to {1} contains {2} to {3} and is longer",
        hedged_says: "",
        doc: "covers(start1, end1, start2, end2): the period start1–end1 contains start2–end2 and is longer",
    },
    Builtin {
        name: "later_start",
        says: "",
        params: &[Type::Date, Type::Date],
        returns: Returns::Value(Type::Date),
        hedged_says: "",
        doc: "the later of two starts (an unknown start is the earliest)",
    },
    Builtin {
        name: "earlier_end",
        says: "",
        params: &[Type::Date, Type::Date],
        returns: Returns::Value(Type::Date),
        hedged_says: "",
        doc: "the earlier of two ends (an unknown end, ongoing, is the latest)",
    },
    Builtin {
        name: "ends_since",
        params: &[Type::Date, Type::Date],
        returns: Returns::Test,
        says: "it ends {0}, not before {1}",
        hedged_says: "",
        doc: "the end is ongoing, or its last day is on or after the first day of the second date",
    },
    Builtin {
        name: "end_or_start",
        says: "",
        params: &[Type::Date, Type::Date],
        returns: Returns::Value(Type::Date),
        hedged_says: "",
        doc: "end_or_start(start, end): the end, or the start when there is no end (an event with no end lasts its start period)",
    },
    Builtin {
        name: "last_seen",
        says: "",
        params: &[Type::Date, Type::Date, Type::Date, Type::Date],
        returns: Returns::Value(Type::Date),
        hedged_says: "",
        doc: "last_seen(start, end, reported, as_of): the latest date the row attests up to as_of, at the precision it is written in: its end or, when ongoing, the date of its latest source (its start when no source has a date); as_of when that can only lie after it",
    },
    Builtin {
        name: "known",
        params: &[Type::Date],
        returns: Returns::Test,
        says: "the date {0} is known",
        hedged_says: "",
        doc: "the date is given",
    },
];

impl Builtin {
    /// Whether it is used as a condition (a test or a hedged test).
    pub fn is_test(&self) -> bool {
        matches!(self.returns, Returns::Test | Returns::Hedge)
    }

    /// Whether, holding, it can still cap the conclusion's confidence.
    pub fn is_hedged(&self) -> bool {
        self.returns == Returns::Hedge
    }
}

/// The built-in at this index of [`BUILTINS`], as the checker resolved it.
pub fn at(index: usize) -> Option<&'static Builtin> {
    BUILTINS.get(index)
}

/// The built-in with this name.
pub fn builtin(name: &str) -> Option<(usize, &'static Builtin)> {
    BUILTINS.iter().enumerate().find(|(_, b)| b.name == name)
}
