//! The fact schema: which CSV files silsila reads, their columns, and which of
//! those columns the rules see.
//!
//! This module is the contract between the analyst's spreadsheets and the
//! rules. It is shared by the fact loader and by the build script (through
//! `#[path]`), which checks every `.input` declaration in `rules/*.dl` against
//! it, so it must not depend on anything outside `std`.

/// What a column holds, which decides how its cells are parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// A name of a person, group or other actor, resolved through aliases.
    Entity,
    /// A name of a place, resolved through aliases.
    Place,
    /// A name of an event, resolved through aliases.
    Event,
    /// A vocabulary word such as a kind or a role: trimmed and lowercased.
    Word,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty means unknown.
    Date,
    /// Free text kept for people to read; the rules never see it.
    Text,
    /// One or more ids from `sources.csv`, separated by `;`.
    Sources,
    /// Ids from `sources.csv` that contest the row, separated by `;`.
    DisputedBy,
    /// A confidence word or an Admiralty credibility digit; empty is `probable`.
    Confidence,
    /// A source reliability letter A–F; empty is F.
    Reliability,
    /// Not a column of the file: the latest date of the row's sources,
    /// computed when it is loaded, so that the rules can tell how long an
    /// ongoing row is attested. Unknown when no source has a date.
    Reported,
}

impl ColumnKind {
    /// The type name the rules use for a column of this kind, if the rules
    /// see it at all.
    pub fn rule_type(self) -> Option<&'static str> {
        match self {
            ColumnKind::Entity => Some("entity"),
            ColumnKind::Place => Some("place"),
            ColumnKind::Event => Some("event"),
            ColumnKind::Word => Some("word"),
            ColumnKind::Date | ColumnKind::Reported => Some("date"),
            ColumnKind::Text
            | ColumnKind::Sources
            | ColumnKind::DisputedBy
            | ColumnKind::Confidence
            | ColumnKind::Reliability => None,
        }
    }

    /// Whether cells of this kind are names resolved through `aliases.csv`.
    pub fn is_name(self) -> bool {
        matches!(
            self,
            ColumnKind::Entity | ColumnKind::Place | ColumnKind::Event
        )
    }
}

/// One column of a fact file.
#[derive(Debug)]
pub struct Column {
    /// The header name, in lowercase.
    pub name: &'static str,
    /// What the column holds.
    pub kind: ColumnKind,
    /// Whether every row must have a value in this column.
    pub required: bool,
}

/// What a file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// Rows the rules read as an input relation of the same name.
    Relation,
    /// `sources.csv`: the sources that rows cite.
    Sources,
    /// `aliases.csv`: other spellings of canonical names.
    Aliases,
}

/// One fact file and its columns.
#[derive(Debug)]
pub struct FactFile {
    /// The relation name, which is also the file stem (`membership` for
    /// `membership.csv`) and the workbook sheet name.
    pub name: &'static str,
    /// What the file is for.
    pub role: FileRole,
    /// The columns, in the order the rules see them.
    pub columns: &'static [Column],
    /// The column that says when a row begins, if any: rows that begin after
    /// `--as-of` are left out of inference.
    pub begins: Option<&'static str>,
}

impl FactFile {
    /// The CSV file name, such as `membership.csv`.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The columns the rules see, in order.
    pub fn rule_columns(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|c| c.kind.rule_type().is_some())
    }

    /// The column with this (lowercase) name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns a file or sheet may have: all but the computed ones.
    pub fn written_columns(&self) -> impl Iterator<Item = &'static Column> {
        self.columns
            .iter()
            .filter(|c| c.kind != ColumnKind::Reported)
    }
}

const fn col(name: &'static str, kind: ColumnKind, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

use ColumnKind::*;

/// Every file silsila reads, in load order.
pub const FILES: &[FactFile] = &[
    FactFile {
        name: "sources",
        role: FileRole::Sources,
        columns: &[
            col("id", Word, true),
            col("publisher", Text, false),
            col("title", Text, false),
            col("date", Date, false),
            col("url", Text, false),
            col("reliability", Reliability, false),
            col("claimant", Text, false),
            col("part_of", Text, false),
        ],
        begins: None,
    },
    FactFile {
        name: "aliases",
        role: FileRole::Aliases,
        columns: &[col("alias", Text, true), col("name", Text, true)],
        begins: None,
    },
    FactFile {
        name: "entities",
        role: FileRole::Relation,
        columns: &[
            col("name", Entity, true),
            col("kind", Word, false),
            col("description", Text, false),
        ],
        begins: None,
    },
    FactFile {
        name: "membership",
        role: FileRole::Relation,
        columns: &[
            col("member", Entity, true),
            col("group", Entity, true),
            col("role", Word, false),
            col("start", Date, false),
            col("end", Date, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("disputed_by", DisputedBy, false),
            col("reported", Reported, false),
        ],
        begins: Some("start"),
    },
    FactFile {
        name: "mergers",
        role: FileRole::Relation,
        columns: &[
            col("from", Entity, true),
            col("into", Entity, true),
            col("kind", Word, false),
            col("date", Date, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("disputed_by", DisputedBy, false),
        ],
        begins: Some("date"),
    },
    FactFile {
        name: "places",
        role: FileRole::Relation,
        columns: &[
            col("place", Place, true),
            col("within", Place, false),
            col("kind", Word, false),
        ],
        begins: None,
    },
    FactFile {
        name: "locations",
        role: FileRole::Relation,
        columns: &[
            col("entity", Entity, true),
            col("place", Place, true),
            col("start", Date, false),
            col("end", Date, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("disputed_by", DisputedBy, false),
            col("reported", Reported, false),
        ],
        begins: Some("start"),
    },
    FactFile {
        name: "events",
        role: FileRole::Relation,
        columns: &[
            col("event", Event, true),
            col("kind", Word, false),
            col("place", Place, false),
            col("start", Date, false),
            col("end", Date, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("description", Text, false),
            col("disputed_by", DisputedBy, false),
        ],
        begins: Some("start"),
    },
    FactFile {
        name: "participants",
        role: FileRole::Relation,
        columns: &[
            col("event", Event, true),
            col("entity", Entity, true),
            col("role", Word, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("disputed_by", DisputedBy, false),
        ],
        begins: None,
    },
    FactFile {
        name: "links",
        role: FileRole::Relation,
        columns: &[
            col("from", Entity, true),
            col("to", Entity, true),
            col("kind", Word, false),
            col("start", Date, false),
            col("end", Date, false),
            col("source", Sources, true),
            col("confidence", Confidence, false),
            col("disputed_by", DisputedBy, false),
        ],
        begins: Some("start"),
    },
    FactFile {
        name: VOCABULARY,
        role: FileRole::Relation,
        columns: &[
            col("field", Word, true),
            col("word", Word, true),
            col("meaning", Word, true),
        ],
        begins: None,
    },
];

/// The relation of the controlled vocabulary: what the words of kind and
/// role columns mean to the rules. silsila ships one
/// ([`SHIPPED_VOCABULARY`]); the analyst's `vocabulary.csv` adds to it and
/// overrides it word by word.
pub const VOCABULARY: &str = "vocabulary";

/// Where the shipped vocabulary's rows are said to come from.
pub const SHIPPED_VOCABULARY: &str = "rules/vocabulary.csv";

/// The columns the vocabulary governs, as `file.column`, each with the
/// meanings a word of it may have. A word outside the vocabulary means
/// nothing to the rules.
pub const VOCABULARY_FIELDS: &[(&str, &[&str])] = &[
    ("entities.kind", &["group", "person", "other"]),
    ("links.kind", &["friendly", "hostile", "neutral"]),
    ("mergers.kind", &["supersedes", "continues"]),
    ("places.kind", &["area", "locality", "inside"]),
    ("participants.role", &["perpetrating", "receiving", "other"]),
    ("membership.role", &["leader", "member"]),
];

/// The fact file with this relation name.
pub fn file(name: &str) -> Option<&'static FactFile> {
    FILES.iter().find(|f| f.name == name)
}

/// The relation the engine itself provides to the rules: the run's
/// parameters, one row. `as_of` is the `--as-of` date; `recent_since` is the
/// first day of the `--recent` window before it.
pub const PARAMS_RELATION: &str = "run";

/// The columns of [`PARAMS_RELATION`], with their rule types.
pub const PARAMS_COLUMNS: &[(&str, &str)] = &[("as_of", "date"), ("recent_since", "date")];
