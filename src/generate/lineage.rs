//! Armed groups and how they descend from one another: a simulation of
//! lineage families over the decade, held in memory (groups are few beside
//! the rows about them), and the rows that are about groups alone:
//! `entities.csv`, `mergers.csv`, groups' `locations.csv` and their aliases.
//!
//! Each family starts with one group and grows by splits, rebrands, mergers
//! and remnants; groups are absorbed into kin or dissolve. Now and then a
//! merger or split takes a group from an earlier family.
//!
//! Invariants, which make a merger cycle impossible and keep dates
//! increasing down every lineage:
//!
//! - a `from → into` row is dated when it happens, and a family's history is
//!   drawn in date order;
//! - a row's `into` is either a new group or a living group that has no
//!   successor yet (`has_offspring` is false), so nothing it leads to can
//!   lead back to it, and everything that leads from it comes later;
//! - a group from an earlier family joins a later family's row only if every
//!   row into it is no later than that row (and, if it ends there, no row at
//!   all touches it later), so its already-drawn history stays in order;
//!   rows between families only ever point from earlier to later families.

use std::io::Write;

use super::dates::{self, FIRST_DAY, LAST_DAY, YEAR};
use super::places::Places;
use super::random::Rng;
use super::sheets::Sheets;
use super::sources::Sources;
use super::words::{self, NameBook, GROUP_STEMS, GROUP_WORDS};
use crate::error::Result;

/// How one group leads to another; the `kind` of a `mergers.csv` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Two or more groups become a new one.
    Merger,
    /// A faction leaves and forms a new group; the old one goes on.
    Split,
    /// The same group under a new name.
    Rebrand,
    /// What is left of a defeated group regroups under a new name.
    Remnant,
    /// A group joins an existing one and ends.
    Absorbed,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Merger => "merger",
            Kind::Split => "split",
            Kind::Rebrand => "rebrand",
            Kind::Remnant => "remnant",
            Kind::Absorbed => "absorbed",
        }
    }
}

/// How a group came to be, for its description.
#[derive(Clone, Copy, Debug)]
pub(super) enum Origin {
    Founded,
    From(Kind, u32),
    Merged(u32, u32),
}

/// One armed group.
#[derive(Debug)]
pub(super) struct Group {
    pub name: String,
    pub family: u32,
    /// The governorate it is based in.
    pub home: u32,
    /// The day it was formed; before the decade for some.
    pub founded: i32,
    /// The day it ended, if it did.
    pub ceased: Option<i32>,
    pub origin: Origin,
    /// The groups its members move on to: those it split into, became, or
    /// was merged or absorbed into.
    pub successors: Vec<u32>,
    /// How many members and how much activity it attracts, relatively.
    pub weight: u32,
    /// The day of the latest row into it.
    last_incoming: i32,
    /// The day of the latest row into or out of it.
    last_row: i32,
    /// Whether some row leads out of it.
    has_offspring: bool,
}

/// One `mergers.csv` row.
#[derive(Debug)]
pub(super) struct Merger {
    pub from: u32,
    pub into: u32,
    pub kind: Kind,
    pub day: i32,
}

/// Every group and every row between them.
#[derive(Debug, Default)]
pub(super) struct Lineage {
    pub groups: Vec<Group>,
    pub mergers: Vec<Merger>,
    /// Running totals of the groups' weights, for drawing by weight.
    cumulative: Vec<u64>,
}

/// What can happen to a family in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Split,
    Rebrand,
    Merger,
    Remnant,
    Absorbed,
    Dissolved,
}

impl Lineage {
    /// Simulates families until there are `target` groups (at least one).
    pub fn simulate(target: u32, governorates: u32, rng: &mut Rng) -> Lineage {
        let mut lineage = Lineage::default();
        let mut names = NameBook::default();
        let target = target.max(1) as usize;
        let mut family = 0;
        while lineage.groups.len() < target {
            lineage.grow_family(family, target, governorates.max(1), &mut names, rng);
            family += 1;
        }
        let mut total = 0;
        lineage.cumulative = lineage
            .groups
            .iter()
            .map(|g| {
                total += u64::from(g.weight);
                total
            })
            .collect();
        lineage
    }

    fn grow_family(
        &mut self,
        family: u32,
        target: usize,
        governorates: u32,
        names: &mut NameBook,
        rng: &mut Rng,
    ) {
        let first = self.groups.len();
        let size = 1 + rng.below(3) + rng.below(4) + rng.below(6);
        let mut stem = *rng.pick(GROUP_STEMS);
        let home = rng.below(governorates.into()) as u32;
        // Families form from 2013 to 2021, most of them early: the earlier of
        // two draws, as when a conflict's armed groups mostly appear in its
        // first years.
        let span = LAST_DAY - 3 * YEAR - (FIRST_DAY - YEAR);
        let mut day = FIRST_DAY - YEAR + rng.between(0, span).min(rng.between(0, span));
        let name = group_name(names, rng, stem);
        self.found(name, family, home, day, Origin::Founded, rng);
        let mut made = 1;
        loop {
            day += rng.between(60, 2 * YEAR);
            if day > LAST_DAY || made >= size || self.groups.len() >= target {
                break;
            }
            let active: Vec<u32> = (first..self.groups.len())
                .filter(|&g| self.groups[g].ceased.is_none())
                .map(|g| g as u32)
                .collect();
            if active.is_empty() {
                break;
            }
            let parent = *rng.pick(&active);
            let step = rng.weighted(&[
                (Step::Split, 30),
                (Step::Rebrand, 18),
                (Step::Merger, 22),
                (Step::Remnant, 10),
                (Step::Absorbed, 14),
                (Step::Dissolved, 6),
            ]);
            let home = if rng.percent(80) {
                self.groups[parent as usize].home
            } else {
                rng.below(governorates.into()) as u32
            };
            match step {
                Step::Split | Step::Rebrand | Step::Remnant => {
                    let kind = match step {
                        Step::Split => Kind::Split,
                        Step::Rebrand => Kind::Rebrand,
                        _ => Kind::Remnant,
                    };
                    if kind != Kind::Remnant && rng.percent(40) {
                        stem = *rng.pick(GROUP_STEMS);
                    }
                    let name = group_name(names, rng, stem);
                    let child =
                        self.found(name, family, home, day, Origin::From(kind, parent), rng);
                    self.link(parent, child, kind, day);
                    if kind != Kind::Split {
                        self.groups[parent as usize].ceased = Some(day);
                    }
                    made += 1;
                }
                Step::Merger => {
                    let Some((partner, partner_kind)) =
                        self.merger_partner(rng, first, parent, &active, day)
                    else {
                        continue;
                    };
                    if rng.percent(60) {
                        stem = *rng.pick(GROUP_STEMS);
                    }
                    let name = group_name(names, rng, stem);
                    let origin = Origin::Merged(parent, partner);
                    let child = self.found(name, family, home, day, origin, rng);
                    self.link(parent, child, Kind::Merger, day);
                    self.link(partner, child, partner_kind, day);
                    self.groups[parent as usize].ceased = Some(day);
                    if partner_kind == Kind::Merger {
                        self.groups[partner as usize].ceased = Some(day);
                    }
                    made += 1;
                }
                Step::Absorbed => {
                    let hosts: Vec<u32> = active
                        .iter()
                        .copied()
                        .filter(|&g| g != parent && !self.groups[g as usize].has_offspring)
                        .collect();
                    if hosts.is_empty() {
                        continue;
                    }
                    let host = *rng.pick(&hosts);
                    self.link(parent, host, Kind::Absorbed, day);
                    self.groups[parent as usize].ceased = Some(day);
                }
                Step::Dissolved => self.groups[parent as usize].ceased = Some(day),
            }
        }
    }

    /// Who merges with `parent` on `day`, and the kind of their row into the
    /// new group: usually a living group of the same family (`merger`); now
    /// and then a group of an earlier family, which ends there (`merger`) if
    /// nothing touches it later, or else lends a faction (`split`).
    fn merger_partner(
        &self,
        rng: &mut Rng,
        first: usize,
        parent: u32,
        active: &[u32],
        day: i32,
    ) -> Option<(u32, Kind)> {
        if first > 0 && rng.percent(25) {
            for _ in 0..8 {
                let other = rng.index(first);
                let group = &self.groups[other];
                if group.founded > day || group.last_incoming > day {
                    continue;
                }
                if group.ceased.is_none() && group.last_row <= day {
                    return Some((other as u32, Kind::Merger));
                }
                if group.ceased.is_none_or(|ceased| ceased > day) {
                    return Some((other as u32, Kind::Split));
                }
            }
        }
        let partners: Vec<u32> = active.iter().copied().filter(|&g| g != parent).collect();
        (!partners.is_empty()).then(|| (*rng.pick(&partners), Kind::Merger))
    }

    fn found(
        &mut self,
        name: String,
        family: u32,
        home: u32,
        day: i32,
        origin: Origin,
        rng: &mut Rng,
    ) -> u32 {
        let weight = match origin {
            Origin::Founded => 4 + rng.below(12),
            _ => 1 + rng.below(10),
        };
        self.groups.push(Group {
            name,
            family,
            home,
            founded: day,
            ceased: None,
            origin,
            successors: Vec::new(),
            weight: weight as u32,
            last_incoming: day,
            last_row: day,
            has_offspring: false,
        });
        (self.groups.len() - 1) as u32
    }

    fn link(&mut self, from: u32, into: u32, kind: Kind, day: i32) {
        self.mergers.push(Merger {
            from,
            into,
            kind,
            day,
        });
        let source = &mut self.groups[from as usize];
        source.successors.push(into);
        source.has_offspring = true;
        source.last_row = source.last_row.max(day);
        let target = &mut self.groups[into as usize];
        target.last_incoming = target.last_incoming.max(day);
        target.last_row = target.last_row.max(day);
    }

    /// The last day of a group: when it ended, or the end of the decade.
    pub fn end(&self, group: u32) -> i32 {
        self.groups[group as usize].ceased.unwrap_or(LAST_DAY)
    }

    /// Whether a group exists on `day`.
    pub fn alive(&self, group: u32, day: i32) -> bool {
        let g = &self.groups[group as usize];
        g.founded <= day && day <= self.end(group)
    }

    /// A group drawn by weight.
    pub fn pick(&self, rng: &mut Rng) -> u32 {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let ticket = rng.below(total);
        self.cumulative.partition_point(|&sum| sum <= ticket) as u32
    }

    /// A group drawn by weight among those that exist on `day`, if a few
    /// tries find one.
    pub fn pick_alive(&self, rng: &mut Rng, day: i32) -> Option<u32> {
        (0..16)
            .map(|_| self.pick(rng))
            .find(|&g| self.alive(g, day))
    }

    /// Writes the rows about groups alone: each group in `entities.csv`,
    /// some of their other names in `aliases.csv`, the rows between them in
    /// `mergers.csv`, and where they were in `locations.csv`.
    pub fn write<W: Write>(
        &self,
        places: &Places,
        sources: &Sources,
        rng: &mut Rng,
        sheets: &mut Sheets<W>,
    ) -> Result<()> {
        for (index, group) in self.groups.iter().enumerate() {
            let description = if rng.percent(5) {
                String::new()
            } else {
                self.describe(index as u32, places)
            };
            sheets.entities.row(&[&group.name, "group", &description])?;
            if rng.percent(30) {
                let translated = words::translate_group(&group.name);
                let respelled = words::respell(rng, &group.name, None);
                let (first, second) = if rng.percent(50) {
                    (translated, respelled)
                } else {
                    (respelled, translated)
                };
                if let Some(alias) = first.as_ref().or(second.as_ref()) {
                    sheets.aliases.row(&[alias, &group.name])?;
                }
                if let (Some(_), Some(alias)) = (&first, &second) {
                    if rng.percent(25) {
                        sheets.aliases.row(&[alias, &group.name])?;
                    }
                }
            }
        }
        for merger in &self.mergers {
            let date = dates::draw(rng, merger.day, dates::EXACT);
            let cite = sources.cite(rng);
            sheets.mergers.row(&[
                &self.groups[merger.from as usize].name,
                &self.groups[merger.into as usize].name,
                merger.kind.word(),
                &date,
                &cite.source,
                cite.confidence,
                &cite.disputed_by,
            ])?;
        }
        for group in 0..self.groups.len() as u32 {
            self.write_locations(group, places, sources, rng, sheets)?;
        }
        Ok(())
    }

    /// A short description: how the group came to be, and when it ended.
    fn describe(&self, group: u32, places: &Places) -> String {
        let g = &self.groups[group as usize];
        let name = |other: u32| &self.groups[other as usize].name;
        let year = dates::year(g.founded);
        let mut text = match g.origin {
            Origin::Founded if g.founded < FIRST_DAY => format!(
                "armed group active before 2014 in {}",
                places.governorate_name(g.home)
            ),
            Origin::Founded => format!(
                "armed group formed in {year} in {}",
                places.governorate_name(g.home)
            ),
            Origin::From(Kind::Split, parent) => {
                format!("splinter of {} formed in {year}", name(parent))
            }
            Origin::From(Kind::Rebrand, parent) => {
                format!("name taken by {} in {year}", name(parent))
            }
            Origin::From(_, parent) => {
                format!("remnant of {} regrouped in {year}", name(parent))
            }
            Origin::Merged(a, b) => {
                format!(
                    "formed in {year} by the merger of {} and {}",
                    name(a),
                    name(b)
                )
            }
        };
        if let Some(ceased) = g.ceased {
            text.push_str("; defunct since ");
            text.push_str(&dates::year(ceased));
        }
        text
    }

    /// Where a group was: a few dozen stays at places mostly in its home
    /// governorate, within its lifetime.
    fn write_locations<W: Write>(
        &self,
        group: u32,
        places: &Places,
        sources: &Sources,
        rng: &mut Rng,
        sheets: &mut Sheets<W>,
    ) -> Result<()> {
        let g = &self.groups[group as usize];
        let first = g.founded.max(FIRST_DAY - YEAR);
        let last = self.end(group);
        let mut written: Vec<(u32, String, String)> = Vec::new();
        // Longer-lived groups are reported in more places: a few stays a
        // year, so that short-lived late groups do not crowd the last years.
        let stays = 2 + (last - first) * rng.between(2, 12) / YEAR;
        for _ in 0..stays {
            let place = places.near(rng, g.home);
            let start_day = rng.between(first, last);
            let end_day = (start_day + rng.between(30, 3 * YEAR)).min(last);
            let start = dates::start(rng, start_day);
            let ongoing = end_day == LAST_DAY && g.ceased.is_none() && rng.percent(60);
            let end = dates::end(rng, end_day, ongoing);
            let row = (place, start, end);
            if written.contains(&row) {
                continue;
            }
            let cite = sources.cite(rng);
            sheets.locations.row(&[
                &g.name,
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
}

/// A new group name with this stem: "Jaish al-Furqan", or the next free
/// number after it.
fn group_name(names: &mut NameBook, rng: &mut Rng, stem: &str) -> String {
    let mut name = String::new();
    for _ in 0..4 {
        name = format!("{} {stem}", rng.pick(GROUP_WORDS).0);
        if names.is_free(&name) {
            break;
        }
    }
    names.claim(name)
}
