//! How much a row, and so a conclusion, can be trusted.
//!
//! A [`Grade`] is a confidence plus whether the row is contested. A conclusion
//! takes the [`Grade::weakest`] of its premises; of several derivations, the
//! greatest grade wins, where any undisputed derivation beats every contested
//! one and, among equals, the stronger confidence wins.

use std::fmt;

/// The credibility of a statement, weakest first.
///
/// Words follow intelligence-analysis usage; the Admiralty credibility digits
/// 1–5 map onto them (1 = confirmed … 5 = improbable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// Admiralty 5.
    Improbable = 1,
    /// Admiralty 4.
    Doubtful = 2,
    /// Admiralty 3.
    Possible = 3,
    /// Admiralty 2; what an empty cell means.
    Probable = 4,
    /// Admiralty 1.
    Confirmed = 5,
}

impl Confidence {
    /// Every confidence, weakest first.
    pub const ALL: [Confidence; 5] = [
        Confidence::Improbable,
        Confidence::Doubtful,
        Confidence::Possible,
        Confidence::Probable,
        Confidence::Confirmed,
    ];

    /// Parses a confidence word (any case) or an Admiralty digit 1–5; the
    /// empty text is `probable`. `None` when the text is neither.
    pub fn parse(text: &str) -> Option<Confidence> {
        let text = text.trim();
        if text.is_empty() {
            return Some(Confidence::Probable);
        }
        Confidence::ALL.into_iter().find(|c| {
            text.eq_ignore_ascii_case(c.word()) || text == c.admiralty_digit().to_string()
        })
    }

    /// The word for this confidence.
    pub fn word(self) -> &'static str {
        match self {
            Confidence::Improbable => "improbable",
            Confidence::Doubtful => "doubtful",
            Confidence::Possible => "possible",
            Confidence::Probable => "probable",
            Confidence::Confirmed => "confirmed",
        }
    }

    /// The Admiralty credibility digit.
    pub fn admiralty_digit(self) -> u8 {
        6 - self as u8
    }

    /// One step weaker; `improbable` stays `improbable`.
    pub fn weaker(self) -> Confidence {
        match self {
            Confidence::Confirmed => Confidence::Probable,
            Confidence::Probable => Confidence::Possible,
            Confidence::Possible => Confidence::Doubtful,
            Confidence::Doubtful | Confidence::Improbable => Confidence::Improbable,
        }
    }

    /// The weakest confidence whose [`Confidence::weaker`] is at least
    /// `self`: what a premise needs for an inferred conclusion to reach
    /// `self`. `confirmed` has none, and stays `confirmed`.
    pub fn before_inference(self) -> Confidence {
        match self {
            Confidence::Improbable => Confidence::Improbable,
            Confidence::Doubtful => Confidence::Possible,
            Confidence::Possible => Confidence::Probable,
            Confidence::Probable | Confidence::Confirmed => Confidence::Confirmed,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A confidence, and whether the statement rests on a contested row.
///
/// The derived order is "strength": undisputed beats contested, then the
/// stronger confidence wins. Combining premises uses [`Grade::weakest`],
/// which is component-wise, not this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grade {
    /// False when some premise is contested by a `disputed_by` source.
    pub undisputed: bool,
    /// The weakest confidence among the premises.
    pub confidence: Confidence,
}

impl Grade {
    /// The grade of a row with this confidence, contested or not.
    pub fn new(confidence: Confidence, contested: bool) -> Grade {
        Grade {
            undisputed: !contested,
            confidence,
        }
    }

    /// The grade of a row that needs no source, such as a place hierarchy.
    pub const CERTAIN: Grade = Grade {
        undisputed: true,
        confidence: Confidence::Confirmed,
    };

    /// The grade of a conclusion drawn from premises of these two grades: the
    /// weaker confidence, and contested if either is.
    pub fn weakest(self, other: Grade) -> Grade {
        Grade {
            undisputed: self.undisputed && other.undisputed,
            confidence: self.confidence.min(other.confidence),
        }
    }

    /// This grade, its confidence at most `cap`: what a hedged test (see
    /// `crate::builtin::overlaps`) leaves of a conclusion.
    pub fn at_most(self, cap: Option<Confidence>) -> Grade {
        Grade {
            undisputed: self.undisputed,
            confidence: match cap {
                Some(cap) => self.confidence.min(cap),
                None => Confidence::Improbable,
            },
        }
    }

    /// The grade of an inference from premises of this grade: one step
    /// weaker, as disputed as they are.
    pub fn inferred(self) -> Grade {
        Grade {
            undisputed: self.undisputed,
            confidence: self.confidence.weaker(),
        }
    }

    /// Whether some premise is contested.
    pub fn is_contested(self) -> bool {
        !self.undisputed
    }
}

/// How reliable a source is, on the Admiralty scale A (completely reliable)
/// to F (cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged; what an empty cell means.
    F,
}

impl Reliability {
    /// Parses a letter A–F (any case); the empty text is F.
    pub fn parse(text: &str) -> Option<Reliability> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A" => Some(Reliability::A),
            "B" => Some(Reliability::B),
            "C" => Some(Reliability::C),
            "D" => Some(Reliability::D),
            "E" => Some(Reliability::E),
            "F" | "" => Some(Reliability::F),
            _ => None,
        }
    }

    /// The letter and its meaning, such as `B (usually reliable)`.
    pub fn describe(self) -> &'static str {
        match self {
            Reliability::A => "A (completely reliable)",
            Reliability::B => "B (usually reliable)",
            Reliability::C => "C (fairly reliable)",
            Reliability::D => "D (not usually reliable)",
            Reliability::E => "E (unreliable)",
            Reliability::F => "F (cannot be judged)",
        }
    }

    /// The letter alone.
    pub fn letter(self) -> char {
        (b'A' + self as u8) as char
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_digits_and_empty() {
        assert_eq!(Confidence::parse(""), Some(Confidence::Probable));
        assert_eq!(
            Confidence::parse(" Confirmed "),
            Some(Confidence::Confirmed)
        );
        assert_eq!(Confidence::parse("1"), Some(Confidence::Confirmed));
        assert_eq!(Confidence::parse("5"), Some(Confidence::Improbable));
        assert_eq!(Confidence::parse("6"), None);
        assert_eq!(Confidence::parse("likely"), None);
    }

    #[test]
    fn weakest_is_component_wise_and_strength_prefers_undisputed() {
        let contested_confirmed = Grade::new(Confidence::Confirmed, true);
        let possible = Grade::new(Confidence::Possible, false);
        assert_eq!(
            contested_confirmed.weakest(possible),
            Grade::new(Confidence::Possible, true)
        );
        assert!(possible > contested_confirmed);
    }

    #[test]
    fn reliability_letters() {
        assert_eq!(Reliability::parse(""), Some(Reliability::F));
        assert_eq!(Reliability::parse("b"), Some(Reliability::B));
        assert_eq!(Reliability::parse("G"), None);
        assert_eq!(Reliability::C.letter(), 'C');
    }
}
