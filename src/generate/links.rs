//! Links between groups (`allied`, `rival`, `supported`, `pledged_to`),
//! each while both groups exist. Links that concern a person are written
//! with the person, in [`super::people`].

use std::io::Write;

use super::dates::{self, FIRST_DAY, LAST_DAY, YEAR};
use super::random::Rng;
use super::sheets::FactWriter;
use super::World;
use crate::error::Result;

/// Draws and writes a few links from every group.
pub(super) fn write<W: Write>(
    world: &World,
    rng: &mut Rng,
    sheet: &mut FactWriter<W>,
) -> Result<()> {
    let lineage = &world.lineage;
    for from in 0..lineage.groups.len() as u32 {
        let group = &lineage.groups[from as usize];
        let mut linked: Vec<u32> = Vec::new();
        let allied = rng.weighted(&[(0, 30), (1, 45), (2, 25)]);
        let rival = rng.weighted(&[(0, 40), (1, 40), (2, 20)]);
        let supported = u32::from(rng.percent(30));
        let pledged = u32::from(rng.percent(15));
        let kinds = [
            ("allied", allied),
            ("rival", rival),
            ("supported", supported),
            ("pledged_to", pledged),
        ];
        for (kind, times) in kinds {
            for _ in 0..times {
                let first = group.founded.max(FIRST_DAY - YEAR);
                let day = rng.between(first, lineage.end(from));
                let Some(to) = lineage.pick_alive(rng, day) else {
                    continue;
                };
                let other = &lineage.groups[to as usize];
                // One link between two groups, and none within a family:
                // kin are not allies or rivals of each other in this data.
                if to == from || other.family == group.family || linked.contains(&to) {
                    continue;
                }
                linked.push(to);
                let last = lineage.end(from).min(lineage.end(to));
                let end_day = (day + rng.between(60, 4 * YEAR)).min(last);
                let start = dates::start(rng, day);
                let both_live_on = group.ceased.is_none() && other.ceased.is_none();
                let ongoing = end_day == LAST_DAY && both_live_on && rng.percent(60);
                let end = dates::end(rng, end_day, ongoing);
                let cite = world.sources.cite(rng);
                sheet.row(&[
                    &group.name,
                    &other.name,
                    kind,
                    &start,
                    &end,
                    &cite.source,
                    cite.confidence,
                    &cite.disputed_by,
                ])?;
            }
        }
    }
    Ok(())
}
