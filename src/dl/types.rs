//! The types of the rule language: what a column or a variable holds.

use std::fmt;

/// The type of a column, a variable or a built-in's parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// A person or group.
    Entity,
    /// A place.
    Place,
    /// An event.
    Event,
    /// A word of the vocabulary, or a quoted constant.
    Word,
    /// A date, at the precision it is written in.
    Date,
    /// A misspelt type, already reported where it was declared. It agrees
    /// with every type, so that one mistake is reported once; a program
    /// holding it never passes the check.
    Unknown,
}

impl Type {
    /// The types a declaration may name, in the order messages list them.
    pub const DECLARED: [Type; 5] = [
        Type::Entity,
        Type::Place,
        Type::Event,
        Type::Word,
        Type::Date,
    ];

    /// The type a declaration names, such as `entity`.
    pub fn parse(text: &str) -> Option<Type> {
        Type::DECLARED.into_iter().find(|t| t.name() == text)
    }

    /// The type a declaration names, or [`Type::Unknown`] when it is
    /// misspelt (which the checker reports once, where it is declared).
    pub fn named(text: &str) -> Type {
        Type::parse(text).unwrap_or(Type::Unknown)
    }

    /// How rules write it.
    pub fn name(self) -> &'static str {
        match self {
            Type::Entity => "entity",
            Type::Place => "place",
            Type::Event => "event",
            Type::Word => "word",
            Type::Date => "date",
            Type::Unknown => "unknown",
        }
    }

    /// Whether a value of one may stand where the other is expected.
    pub fn agrees(self, other: Type) -> bool {
        self == other || self == Type::Unknown || other == Type::Unknown
    }

    /// With its article: "an entity", "a date".
    pub fn with_article(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// The Rust type that holds its values in generated code.
    pub fn rust(self) -> &'static str {
        match self {
            Type::Date => "Date",
            _ => "Symbol",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
