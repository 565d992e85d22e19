//! Events and who took part in them, drawn one event at a time and written
//! to `events.csv` and `participants.csv` together, so that no event is held
//! in memory once written.

use std::io::Write;

use rustc_hash::FxHashMap;

use super::dates::{self, Precision, FIRST_DAY, LAST_DAY};
use super::lineage::Lineage;
use super::people::Members;
use super::random::Rng;
use super::sheets::Sheets;
use super::words;
use super::World;
use crate::error::Result;

/// The kinds of event: the word, how an event's name begins, how often it
/// happens, and whether it has a group on the receiving end.
#[derive(Clone, Copy, Debug)]
struct Kind {
    word: &'static str,
    phrase: &'static str,
    weight: u32,
    against_group: bool,
    /// Whether people are killed or hurt, rather than detained.
    casualties: bool,
    /// How long it lasts, in days, at most.
    lasts: i32,
}

const KINDS: &[Kind] = &[
    kind("clash", "Clashes in", 26, true, true, 6),
    kind("attack", "Attack on", 20, true, true, 1),
    kind("bombing", "Bombing in", 12, false, true, 0),
    kind("siege", "Siege of", 5, true, true, 400),
    kind("arrest", "Arrests in", 10, false, false, 2),
    kind("ambush", "Ambush near", 10, true, true, 0),
    kind("raid", "Raid on", 9, true, false, 1),
    kind("kidnapping", "Kidnapping in", 4, false, false, 0),
    kind("assassination", "Assassination in", 4, false, true, 0),
];

const fn kind(
    word: &'static str,
    phrase: &'static str,
    weight: u32,
    against_group: bool,
    casualties: bool,
    lasts: i32,
) -> Kind {
    Kind {
        word,
        phrase,
        weight,
        against_group,
        casualties,
        lasts,
    }
}

/// Someone who took part in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entity {
    Group(u32),
    Person(u32),
}

/// Draws and writes `count` events and their participants.
pub(super) fn write<W: Write>(
    count: u32,
    world: &World,
    members: &Members,
    rng: &mut Rng,
    sheets: &mut Sheets<W>,
) -> Result<()> {
    let World {
        places,
        lineage,
        sources,
        people,
    } = world;
    let people = *people;
    let kinds: Vec<(usize, u32)> = KINDS.iter().map(|k| k.weight).enumerate().collect();
    // How many events already have a kind, place and year, to number the next.
    let mut numbers: FxHashMap<(usize, u32, String), u32> = FxHashMap::default();
    for _ in 0..count {
        let which = rng.weighted(&kinds);
        let kind = KINDS[which];
        let mut day = rng.between(FIRST_DAY, LAST_DAY);
        let perpetrator = match lineage.pick_alive(rng, day) {
            Some(group) => group,
            None => {
                let group = lineage.pick(rng);
                let founded = lineage.groups[group as usize].founded.max(FIRST_DAY);
                day = rng.between(founded, lineage.end(group));
                group
            }
        };
        let home = lineage.groups[perpetrator as usize].home;
        let place = places.near(rng, home);
        let year = dates::year(day);
        let number = numbers
            .entry((which, place, year.clone()))
            .and_modify(|n| *n += 1)
            .or_insert(1);
        let name = match *number {
            1 => format!("{} {} {year}", kind.phrase, places.name(place)),
            n => format!("{} {} {year} ({n})", kind.phrase, places.name(place)),
        };
        let end_day = (day + rng.between(0, kind.lasts)).min(LAST_DAY);

        let mut taking_part: Vec<(Entity, &'static str)> =
            vec![(Entity::Group(perpetrator), "perpetrator")];
        let mut add = |entity: Entity, role: &'static str| {
            if !taking_part.iter().any(|&(e, _)| e == entity) {
                taking_part.push((entity, role));
            }
        };
        if kind.against_group && rng.percent(75) {
            if let Some(target) = lineage.pick_alive(rng, day) {
                add(Entity::Group(target), "target");
            }
        }
        for _ in 0..rng.weighted(&[(0, 70), (1, 22), (2, 8)]) {
            if let Some(ally) = lineage.pick_alive(rng, day) {
                add(Entity::Group(ally), "supporter");
            }
        }
        let own = members.on(perpetrator, day);
        if !own.is_empty() {
            for _ in 0..rng.between(0, 3) {
                add(Entity::Person(*rng.pick(&own)), "perpetrator");
            }
        }
        if people > 0 {
            if rng.percent(12) {
                add(
                    Entity::Person(rng.below(people.into()) as u32),
                    "facilitator",
                );
            }
            let hurt = rng.between(1, 5);
            for _ in 0..hurt {
                let person = Entity::Person(rng.below(people.into()) as u32);
                let role = match (kind.casualties, rng.percent(60)) {
                    (true, true) => "killed",
                    (true, false) => "victim",
                    (false, _) => "target",
                };
                add(person, role);
            }
        }
        let description = if rng.percent(70) {
            describe(&kind, &taking_part, lineage, places.name(place))
        } else {
            String::new()
        };

        // A small share of events are written without their place.
        let place_cell = if rng.percent(2) {
            ""
        } else {
            places.name(place)
        };
        // A report gives an event's start and end alike, to the day or only
        // the month; a few leave the end open.
        let precision = Precision::draw(rng, dates::EXACT);
        let start = dates::write(day, precision);
        let end = if rng.percent(3) {
            String::new()
        } else {
            dates::write(end_day, precision)
        };
        let cite = sources.cite(rng);
        sheets.events.row(&[
            &name,
            kind.word,
            place_cell,
            &start,
            &end,
            &cite.source,
            cite.confidence,
            &description,
            &cite.disputed_by,
        ])?;
        for (entity, role) in taking_part {
            let entity_name = match entity {
                Entity::Group(group) => lineage.groups[group as usize].name.clone(),
                Entity::Person(person) => words::person_name(person),
            };
            let cite = sources.cite(rng);
            sheets.participants.row(&[
                &name,
                &entity_name,
                role,
                &cite.source,
                cite.confidence,
                &cite.disputed_by,
            ])?;
        }
    }
    Ok(())
}

/// A line an analyst might write: who did what to whom, where.
fn describe(kind: &Kind, taking_part: &[(Entity, &str)], lineage: &Lineage, place: &str) -> String {
    let group = |role: &str| {
        taking_part.iter().find_map(|&(entity, r)| match entity {
            Entity::Group(g) if r == role => Some(lineage.groups[g as usize].name.as_str()),
            _ => None,
        })
    };
    let hurt = taking_part
        .iter()
        .filter(|(_, role)| matches!(*role, "killed" | "victim" | "target"))
        .filter(|(entity, _)| matches!(entity, Entity::Person(_)))
        .count();
    let by = group("perpetrator").unwrap_or("unknown gunmen");
    match (group("target"), kind.casualties) {
        (Some(target), _) => format!("{} by {by} against {target} in {place}", kind.word),
        (None, true) => format!(
            "{} by {by} in {place}; {hurt} people killed or hurt",
            kind.word
        ),
        (None, false) => format!("{} by {by} in {place}; {hurt} people detained", kind.word),
    }
}
