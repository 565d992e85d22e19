//! People: each one's career in one to three groups, drawn and written one
//! person at a time so that nothing about people is held in memory but who
//! belongs to which group when. Writes their `entities.csv`, `membership.csv`
//! and `locations.csv` rows, some aliases, and the links that concern one
//! person (pledges of allegiance, groups that harboured them).
//!
//! A person is only ever a `member`, an `entity` or a link's end, never a
//! `group` and never in `mergers.csv`.

use std::io::Write;

use super::dates::{self, FIRST_DAY, LAST_DAY, YEAR};
use super::lineage::Lineage;
use super::random::Rng;
use super::sheets::Sheets;
use super::words;
use super::World;
use crate::error::Result;

/// The roles a member may hold; an empty cell now and then.
const ROLES: &[(&str, u32)] = &[
    ("member", 36),
    ("fighter", 25),
    ("commander", 8),
    ("deputy", 4),
    ("emir", 3),
    ("spokesman", 2),
    ("financier", 3),
    ("recruiter", 4),
    ("founder", 1),
    ("", 10),
];

/// One spell in one group.
#[derive(Debug)]
struct Stint {
    group: u32,
    role: &'static str,
    start: i32,
    end: i32,
    /// Still a member at the end of the decade.
    ongoing: bool,
}

/// Who belonged to each group, and when.
#[derive(Debug)]
pub(super) struct Members(Vec<Vec<Member>>);

/// A person's spell in one group.
#[derive(Clone, Copy, Debug)]
struct Member {
    person: u32,
    start: i32,
    end: i32,
}

impl Members {
    /// The people who belonged to `group` on `day`.
    pub fn on(&self, group: u32, day: i32) -> Vec<u32> {
        self.0[group as usize]
            .iter()
            .filter(|m| m.start <= day && day <= m.end)
            .map(|m| m.person)
            .collect()
    }
}

/// Draws and writes the world's people.
pub(super) fn write<W: Write>(
    world: &World,
    rng: &mut Rng,
    sheets: &mut Sheets<W>,
) -> Result<Members> {
    let lineage = &world.lineage;
    let mut members = Members(vec![Vec::new(); lineage.groups.len()]);
    for person in 0..world.people {
        let name = words::person_name(person);
        let career = career(lineage, rng);
        for stint in &career {
            members.0[stint.group as usize].push(Member {
                person,
                start: stint.start,
                end: stint.end,
            });
        }
        let description = match career.iter().find(|s| !s.role.is_empty()) {
            Some(stint) if rng.percent(90) => {
                let of = if matches!(stint.role, "member" | "founder") {
                    "of"
                } else {
                    "in"
                };
                let group = &lineage.groups[stint.group as usize].name;
                format!("{} {of} {group}", stint.role)
            }
            _ => String::new(),
        };
        sheets.entities.row(&[&name, "person", &description])?;
        if rng.percent(10) {
            if let Some(alias) = words::respell(rng, &name, None) {
                sheets.aliases.row(&[&alias, &name])?;
            }
        }
        write_memberships(&name, &career, world, rng, sheets)?;
        write_locations(&name, &career, world, rng, sheets)?;
        write_links(&name, &career, world, rng, sheets)?;
    }
    Ok(members)
}

/// One to three stints, one after another, each within its group's
/// lifetime; members of a group that ends often follow it to its successor.
fn career(lineage: &Lineage, rng: &mut Rng) -> Vec<Stint> {
    let stints = rng.weighted(&[(1, 55), (2, 30), (3, 15)]);
    let mut group = lineage.pick(rng);
    let first = lineage.groups[group as usize]
        .founded
        .max(FIRST_DAY - 2 * YEAR);
    let last = lineage.end(group);
    let mut start = rng.between(first, (last - 30).max(first));
    let mut career: Vec<Stint> = Vec::with_capacity(stints);
    loop {
        let would_end = start + rng.between(90, 5 * YEAR);
        let ongoing = would_end > LAST_DAY && lineage.groups[group as usize].ceased.is_none();
        let end = would_end.min(lineage.end(group));
        let role = if career.is_empty() || rng.percent(60) {
            rng.weighted(ROLES)
        } else {
            career[career.len() - 1].role
        };
        career.push(Stint {
            group,
            role,
            start,
            end,
            ongoing,
        });
        let next_day = end + rng.between(0, 200);
        if ongoing || career.len() == stints || next_day > LAST_DAY - 30 {
            break;
        }
        let successors = &lineage.groups[group as usize].successors;
        let heir = successors
            .iter()
            .copied()
            .filter(|&g| lineage.alive(g, next_day))
            .nth(rng.index(successors.len()));
        let next = match heir {
            Some(heir) if rng.percent(70) => Some(heir),
            _ => lineage.pick_alive(rng, next_day),
        };
        match next {
            Some(next) if next != group => {
                group = next;
                start = next_day;
            }
            _ => break,
        }
    }
    career
}

fn write_memberships<W: Write>(
    name: &str,
    career: &[Stint],
    world: &World,
    rng: &mut Rng,
    sheets: &mut Sheets<W>,
) -> Result<()> {
    let (lineage, sources) = (&world.lineage, &world.sources);
    for stint in career {
        let start = dates::start(rng, stint.start);
        let end = dates::end(rng, stint.end, stint.ongoing);
        let cite = sources.cite(rng);
        sheets.membership.row(&[
            name,
            &lineage.groups[stint.group as usize].name,
            stint.role,
            &start,
            &end,
            &cite.source,
            cite.confidence,
            &cite.disputed_by,
        ])?;
    }
    Ok(())
}

/// Where a person was: their career cut into two to six stays, one after
/// another, each mostly near the group they were in at the time.
fn write_locations<W: Write>(
    name: &str,
    career: &[Stint],
    world: &World,
    rng: &mut Rng,
    sheets: &mut Sheets<W>,
) -> Result<()> {
    let World {
        places,
        lineage,
        sources,
        ..
    } = world;
    let (Some(first), Some(last)) = (career.first(), career.last()) else {
        return Ok(());
    };
    let (from, to) = (first.start, if last.ongoing { LAST_DAY } else { last.end });
    // About one stay per year or so of career, up to seven.
    let stays = ((to - from) / rng.between(90, 300) + 1).min(7);
    let mut written: Vec<(u32, String, String)> = Vec::new();
    let mut previous = None;
    for stay in 0..stays {
        let start_day = from + (to - from) * stay / stays;
        let end_day = from + (to - from) * (stay + 1) / stays;
        let middle = start_day + (end_day - start_day) / 2;
        let stint = career
            .iter()
            .find(|s| s.start <= middle && middle <= s.end)
            .unwrap_or(first);
        let home = lineage.groups[stint.group as usize].home;
        let mut place = places.near(rng, home);
        if Some(place) == previous {
            place = places.near(rng, home);
        }
        previous = Some(place);
        let start = dates::start(rng, start_day);
        let end = dates::end(rng, end_day, stay == stays - 1 && last.ongoing);
        let row = (place, start, end);
        if written.contains(&row) {
            continue;
        }
        let cite = sources.cite(rng);
        sheets.locations.row(&[
            name,
            places.name(place),
            &row.1,
            &row.2,
            &cite.source,
            cite.confidence,
            &cite.disputed_by,
        ])?;
        written.push(row);
    }
    Ok(())
}

/// Now and then a person pledges allegiance to another group, or a group
/// harbours a person who is not its member, while both exist.
fn write_links<W: Write>(
    name: &str,
    career: &[Stint],
    world: &World,
    rng: &mut Rng,
    sheets: &mut Sheets<W>,
) -> Result<()> {
    let (lineage, sources) = (&world.lineage, &world.sources);
    for (kind, percent) in [("pledged_to", 8), ("harboured", 5)] {
        if !rng.percent(percent) {
            continue;
        }
        let stint = rng.pick(career);
        let day = rng.between(stint.start, stint.end);
        let Some(group) = lineage.pick_alive(rng, day) else {
            continue;
        };
        if career.iter().any(|s| s.group == group) {
            continue;
        }
        let end_day = (day + rng.between(30, 2 * YEAR)).min(stint.end.min(lineage.end(group)));
        let start = dates::start(rng, day);
        let end = dates::end(rng, end_day, stint.ongoing && end_day == LAST_DAY);
        let group = &lineage.groups[group as usize].name;
        let (from, to) = if kind == "pledged_to" {
            (name, group.as_str())
        } else {
            (group.as_str(), name)
        };
        let cite = sources.cite(rng);
        sheets.links.row(&[
            from,
            to,
            kind,
            &start,
            &end,
            &cite.source,
            cite.confidence,
            &cite.disputed_by,
        ])?;
    }
    Ok(())
}
