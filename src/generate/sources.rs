//! The sources facts cite: their ids, how a row cites them (with a
//! confidence and, now and then, a source that disputes it), and
//! `sources.csv` itself.

use std::io::Write;

use super::dates::{self, FIRST_DAY, LAST_DAY};
use super::places::Places;
use super::random::Rng;
use super::sheets::FactWriter;
use crate::error::Result;

/// Who publishes, with the reliability analysts usually give them.
const PUBLISHERS: &[(&str, char)] = &[
    ("Panel of Experts", 'A'),
    ("Levant Conflict Monitor", 'B'),
    ("Crisis Desk Weekly", 'B'),
    ("Provincial Security Bulletin", 'B'),
    ("Documentation Centre for Human Rights", 'B'),
    ("Euphrates Observer", 'C'),
    ("Field Reports Collective", 'C'),
    ("Border Watch", 'C'),
    ("Regional News Agency", 'C'),
    ("Independent Researcher", 'C'),
    ("Al-Mirsad Network", 'D'),
    ("Local Coordination Committee", 'D'),
    ("Northern Front Media Office", 'E'),
    ("Unverified Telegram Channel", 'F'),
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The confidence words a row may carry, an empty cell included.
const CONFIDENCES: &[(&str, u32)] = &[
    ("confirmed", 14),
    ("probable", 30),
    ("possible", 20),
    ("doubtful", 8),
    ("improbable", 3),
    ("", 25),
];

/// The pool of sources, `src-00001` onwards.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sources {
    count: u32,
}

/// How one row is sourced: the cells of its `source`, `confidence` and
/// `disputed_by` columns.
#[derive(Debug)]
pub(super) struct Citation {
    pub source: String,
    pub confidence: &'static str,
    pub disputed_by: String,
}

impl Sources {
    /// A pool of `count` sources; at least two, so that a row can be disputed
    /// by a source other than its own.
    pub fn new(count: u32) -> Sources {
        Sources {
            count: count.max(2),
        }
    }

    /// The id of the source numbered `index` (from 0).
    pub fn id(index: u32) -> String {
        format!("src-{:05}", index + 1)
    }

    /// A citation: one source, sometimes two; a confidence, sometimes none;
    /// and now and then a third source that disputes the row.
    pub fn cite(&self, rng: &mut Rng) -> Citation {
        let first = rng.below(self.count.into()) as u32;
        let mut source = Sources::id(first);
        let mut second = None;
        if rng.percent(10) {
            let other = self.other_than(rng, first, None);
            source.push(';');
            source.push_str(&Sources::id(other));
            second = Some(other);
        }
        let disputed_by = if rng.percent(3) && self.count > 2 {
            Sources::id(self.other_than(rng, first, second))
        } else {
            String::new()
        };
        Citation {
            source,
            confidence: rng.weighted(CONFIDENCES),
            disputed_by,
        }
    }

    /// A source other than `first` and `second`; there must be one.
    fn other_than(&self, rng: &mut Rng, first: u32, second: Option<u32>) -> u32 {
        loop {
            let other = rng.below(self.count.into()) as u32;
            if other != first && Some(other) != second {
                return other;
            }
        }
    }

    /// Writes `sources.csv`: a publisher, a title about a place or one of
    /// the `groups` (their names) of the facts, a publication date, usually a URL, and usually a
    /// reliability letter.
    pub fn write<W: Write>(
        &self,
        places: &Places,
        groups: &[&str],
        rng: &mut Rng,
        sheet: &mut FactWriter<W>,
    ) -> Result<()> {
        for index in 0..self.count {
            let id = Sources::id(index);
            let &(publisher, letter) = rng.pick(PUBLISHERS);
            let day = rng.between(FIRST_DAY, LAST_DAY);
            let title = title(rng, places, groups, day);
            let date = dates::draw(rng, day, dates::EXACT);
            let url = if rng.percent(85) {
                format!("https://example.org/{}/{}", slug(publisher), &id[4..])
            } else {
                String::new()
            };
            let reliability = match rng.below(100) {
                0..=69 => letter.to_string(),
                70..=79 => shift(letter, -1).to_string(),
                80..=89 => shift(letter, 1).to_string(),
                _ => String::new(),
            };
            // Generated sources are whole reports: no claimant, part of none.
            sheet.row(&[&id, publisher, &title, &date, &url, &reliability, "", ""])?;
        }
        Ok(())
    }
}

/// A headline about something in the facts.
fn title(rng: &mut Rng, places: &Places, groups: &[&str], day: i32) -> String {
    let town = places.name(places.anywhere(rng));
    let group = groups[rng.index(groups.len())];
    let (year, month) = dates::year_month(day);
    let month = MONTHS[usize::from(month - 1)];
    match rng.below(8) {
        0 => format!("Clashes reported near {town}"),
        1 => format!("Profile: {group}"),
        2 => format!("Security update for {town}, {month} {year}"),
        3 => format!("Who controls {town}?"),
        4 => format!("Defector describes life inside {group}"),
        5 => format!("Monthly conflict summary, {month} {year}"),
        6 => format!("Arrest campaign in {town}"),
        _ => format!("The many names of {group}"),
    }
}

/// A publisher's name as a URL path segment.
fn slug(publisher: &str) -> String {
    publisher
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The reliability letter `by` steps from `letter`, kept within A–F.
fn shift(letter: char, by: i8) -> char {
    let at = (letter as u8 - b'A') as i8 + by;
    (b'A' + at.clamp(0, 5) as u8) as char
}
