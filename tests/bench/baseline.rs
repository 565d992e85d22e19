//! The bare crepe baseline the scale benchmark measures silsila against
//! (issue 10): the co-location, lineage and current-descendant core of
//! `rules/` over integer ids, with no names, grades, sources or proofs.
//!
//! It reads a facts folder as `silsila generate` writes it, codes every name
//! as a `u32` and every date as a day number (a start as its first day, an
//! end as its last; an unknown start is the earliest day, an unknown end is
//! ongoing), derives with crepe, and prints the size of each output
//! relation on stdout. It writes no files: the work measured is loading and
//! evaluation, and what silsila spends on top (grades, sources, most
//! specific places and periods, output files) is what the bar is about.
//! `--triples FILE` writes the distinct `co_located` triples by name, for
//! checking the baseline against silsila; the benchmark never passes it.
//!
//! Run by the scale benchmark as a child process: `scale baseline DIR`.
//! The generated facts write every name with one spelling (no aliases are
//! used in rows), so names are coded as written.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use crepe::crepe;
use rustc_hash::{FxBuildHasher, FxHashMap};

/// No place (an empty `within`, or an event with no place).
const NONE: u32 = u32::MAX;
/// An unknown start: the earliest day.
const EARLIEST: u32 = 0;
/// An unknown end: ongoing.
const ONGOING: u32 = u32::MAX;

/// What a place kind means (the shipped vocabulary's `places.kind`).
const LOCALITY: u8 = 0;
const INSIDE: u8 = 1;
const AREA: u8 = 2;
const UNKNOWN_KIND: u8 = 3;

crepe! {
    @input
    struct Location(u32, u32, u32, u32); // entity, place, start, end
    @input
    struct Event(u32, u32, u32, u32); // event, place, start, last day
    @input
    struct Participant(u32, u32); // event, entity
    @input
    struct Place(u32, u32, u8); // place, within, what its kind means
    @input
    struct Membership(u32, u32, u32); // member, group, end
    @input
    struct Merger(u32, u32, bool); // from, into, whether `from` is superseded
    @input
    struct RecentSince(u32); // the first day of the recent window

    struct Listed(u32);
    struct Point(u32);
    struct At(u32, u32, u32, u32); // entity, place counted for, start, end
    struct Current(u32);
    struct Superseded(u32);

    @output
    struct Presence(u32, u32, u32, u32);
    @output
    struct CountsFor(u32, u32);
    @output
    struct CoLocated(u32, u32, u32);
    @output
    struct DescendsFrom(u32, u32);
    @output
    struct CurrentDescendant(u32, u32);

    // (a) presence, from locations and from taking part in events
    Presence(x, p, s, e) <- Location(x, p, s, e);
    Presence(x, p, s, e) <- Participant(ev, x), Event(ev, p, s, e), (p != NONE);

    // (b) where co-location is judged: localities and places inside them
    // (a place with no kind, or not listed, is a locality of its own);
    // an inside place counts for itself and upward to the nearest locality
    Listed(p) <- Place(p, _, _);
    Point(p) <- Place(p, _, k), (k == LOCALITY || k == INSIDE);
    Point(p) <- Presence(_, p, _, _), !Listed(p);
    Point(up) <- Place(_, up, _), (up != NONE), !Listed(up);
    CountsFor(p, p) <- Point(p);
    CountsFor(p, up) <- CountsFor(p, q), Place(q, up, k), (k == INSIDE), Point(up);

    // (c) pairs present, over overlapping periods, where the same place counts
    At(x, q, s, e) <- Presence(x, p, s, e), CountsFor(p, q);
    CoLocated(a, b, q) <- At(a, q, sa, ea), At(b, q, sb, eb), (a < b), (sa <= eb && sb <= ea);

    // (d) lineage
    DescendsFrom(g, a) <- Merger(a, g, _), (g != a);
    DescendsFrom(g, a) <- Merger(p, g, _), DescendsFrom(p, a), (g != a);

    // (e) current cells: active within the recent window, not superseded
    Current(x) <- Location(x, _, _, e), RecentSince(t), (e >= t);
    Current(x) <- Participant(ev, x), Event(ev, _, s, e), RecentSince(t), (s != EARLIEST && e >= t);
    Current(x) <- Membership(x, _, e), RecentSince(t), (e >= t);
    Current(g) <- Membership(_, g, e), RecentSince(t), (e >= t);
    Superseded(g) <- Merger(g, s, superseded), (superseded && g != s);
    CurrentDescendant(c, a) <- DescendsFrom(c, a), Current(c), !Superseded(c);
}

/// `scale baseline DIR [--triples FILE]`.
pub fn main(args: &[String]) -> Result<(), Box<dyn Error>> {
    let (dir, triples) = match args {
        [dir] => (dir, None),
        [dir, flag, file] if flag == "--triples" => (dir, Some(file)),
        _ => return Err("usage: scale baseline DIR [--triples FILE]".into()),
    };
    let started = Instant::now();
    let mut names = Names::default();
    let mut runtime = Crepe::new();
    let recent_since = load(Path::new(dir), &mut names, &mut runtime)?;
    runtime.extend([RecentSince(recent_since)]);
    let loaded = started.elapsed().as_secs_f64();
    let (presence, counts_for, co_located, descends_from, current_descendant) =
        runtime.run_with_hasher::<FxBuildHasher>();
    let evaluated = started.elapsed().as_secs_f64() - loaded;
    println!("presence {}", presence.len());
    println!("counts_for {}", counts_for.len());
    println!("co_located {}", co_located.len());
    println!("descends_from {}", descends_from.len());
    println!("current_descendant {}", current_descendant.len());
    eprintln!("baseline: load {loaded:.2} s, evaluate {evaluated:.2} s");
    if let Some(file) = triples {
        let mut rows: Vec<String> = co_located
            .iter()
            .map(|&CoLocated(a, b, q)| {
                let (a, b) = (names.name(a), names.name(b));
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                format!("{a}\t{b}\t{}\n", names.name(q))
            })
            .collect();
        rows.sort_unstable();
        std::fs::write(file, rows.concat())?;
    }
    Ok(())
}

/// Reads the facts into the runtime; returns the first day of the recent
/// window: 365 days before the last day of the latest date in the data.
fn load(dir: &Path, names: &mut Names, runtime: &mut Crepe) -> Result<u32, Box<dyn Error>> {
    let mut latest = Latest::default();
    let mut locations = Vec::new();
    each(
        dir,
        "locations.csv",
        &["entity", "place", "start", "end"],
        |r| {
            let (s, e) = (latest.start(r[2]), latest.end(r[3]));
            locations.push(Location(names.id(r[0]), names.id(r[1]), s, e));
        },
    )?;
    let mut events = Vec::new();
    each(
        dir,
        "events.csv",
        &["event", "place", "start", "end"],
        |r| {
            let (s, mut e) = (latest.start(r[2]), latest.end(r[3]));
            if r[3].is_empty() && !r[2].is_empty() {
                e = latest.end(r[2]); // an event with no end lasts its start period
            }
            events.push(Event(names.id(r[0]), names.id(r[1]), s, e));
        },
    )?;
    let mut participants = Vec::new();
    each(dir, "participants.csv", &["event", "entity"], |r| {
        participants.push(Participant(names.id(r[0]), names.id(r[1])));
    })?;
    let mut places = Vec::new();
    each(dir, "places.csv", &["place", "within", "kind"], |r| {
        places.push(Place(names.id(r[0]), names.id(r[1]), place_kind(r[2])));
    })?;
    let mut memberships = Vec::new();
    each(
        dir,
        "membership.csv",
        &["member", "group", "start", "end"],
        |r| {
            latest.start(r[2]);
            memberships.push(Membership(names.id(r[0]), names.id(r[1]), latest.end(r[3])));
        },
    )?;
    let mut mergers = Vec::new();
    each(dir, "mergers.csv", &["from", "into", "kind", "date"], |r| {
        latest.start(r[3]);
        mergers.push(Merger(names.id(r[0]), names.id(r[1]), supersedes(r[2])));
    })?;
    // Not derived from, but their dates count towards the latest date.
    each(dir, "links.csv", &["start", "end"], |r| {
        latest.start(r[0]);
        latest.start(r[1]);
    })?;
    each(dir, "sources.csv", &["date"], |r| {
        latest.start(r[0]);
    })?;
    runtime.extend(locations);
    runtime.extend(events);
    runtime.extend(participants);
    runtime.extend(places);
    runtime.extend(memberships);
    runtime.extend(mergers);
    Ok(latest.last.saturating_sub(365))
}

/// Calls `row` with the named columns of each row of a file (empty when a
/// row lacks one); a missing file has no rows.
fn each(
    dir: &Path,
    file: &str,
    columns: &[&str],
    mut row: impl FnMut(&[&str]),
) -> Result<(), Box<dyn Error>> {
    let path = dir.join(file);
    if !path.exists() {
        return Ok(());
    }
    let mut reader = csv::Reader::from_path(&path)?;
    let headers = reader.headers()?.clone();
    let at = columns
        .iter()
        .map(|c| headers.iter().position(|h| h.trim() == *c))
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| format!("{} lacks one of the columns {columns:?}", path.display()))?;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let mut cells = [""; 4];
        for (cell, &i) in cells.iter_mut().zip(&at) {
            *cell = record.get(i).unwrap_or("").trim();
        }
        row(&cells[..at.len()]);
    }
    Ok(())
}

/// Names as integers, in the order they are met; the empty name is `NONE`.
#[derive(Default)]
struct Names {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if name.is_empty() {
            return NONE;
        }
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// Dates as day numbers, keeping the latest date met (by first day, as
/// silsila's default `--as-of` does).
#[derive(Default)]
struct Latest {
    first: u32,
    last: u32,
}

impl Latest {
    /// A start's first day; unknown is the earliest.
    fn start(&mut self, text: &str) -> u32 {
        self.span(text).map_or(EARLIEST, |(first, _)| first)
    }

    /// An end's last day; unknown is ongoing.
    fn end(&mut self, text: &str) -> u32 {
        self.span(text).map_or(ONGOING, |(_, last)| last)
    }

    fn span(&mut self, text: &str) -> Option<(u32, u32)> {
        let (first, last) = span(text)?;
        // Of dates with one first day, silsila takes the most precise.
        if first > self.first || (first == self.first && last < self.last) {
            (self.first, self.last) = (first, last);
        }
        Some((first, last))
    }
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn span(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.split('-').map(str::parse::<u32>);
    let year = parts.next()?.ok().filter(|y| (1..=9999).contains(y))?;
    match (parts.next(), parts.next()) {
        (None, _) => Some((day(year, 1, 1), day(year, 12, 31))),
        (Some(month), None) => {
            let month = month.ok().filter(|m| (1..=12).contains(m))?;
            Some((day(year, month, 1), day(year, month + 1, 1) - 1))
        }
        (Some(month), Some(d)) => {
            let month = month.ok().filter(|m| (1..=12).contains(m))?;
            let d = day(year, month, d.ok().filter(|d| (1..=31).contains(d))?);
            Some((d, d))
        }
    }
}

/// Days since 1 March of year 0 (so never 0 for a real date); month 13 is
/// January of the next year.
fn day(year: u32, month: u32, day: u32) -> u32 {
    let (year, month) = if month > 12 {
        (year + 1, 1)
    } else {
        (year, month)
    };
    let y = if month <= 2 { year - 1 } else { year };
    let m = (month + 9) % 12; // March is 0
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day
}

/// What a place kind means in the shipped vocabulary; no kind is a locality.
fn place_kind(kind: &str) -> u8 {
    match kind {
        "" | "city" | "town" | "village" | "hamlet" | "camp" | "settlement" | "locality" => {
            LOCALITY
        }
        "neighbourhood" | "neighborhood" | "quarter" | "site" | "base" | "building"
        | "checkpoint" | "street" => INSIDE,
        "country" | "governorate" | "province" | "state" | "district" | "subdistrict"
        | "county" | "region" | "area" | "countryside" | "desert" => AREA,
        _ => UNKNOWN_KIND,
    }
}

/// Whether a mergers kind means `from` no longer acts as itself.
fn supersedes(kind: &str) -> bool {
    matches!(
        kind,
        "merger"
            | "merged"
            | "merged_into"
            | "rebrand"
            | "rebranded"
            | "renamed"
            | "renaming"
            | "absorbed"
            | "absorbed_into"
            | "dissolved_into"
            | "folded_into"
            | "became"
    )
}
