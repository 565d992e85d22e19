//! Synthetic facts for benchmarks: a deterministic generator that writes a
//! complete facts folder, one CSV per file of [`crate::schema::FILES`], as an
//! analyst might keep it.
//!
//! The facts describe an invented region over 2014–2024: a map of countries,
//! governorates, districts, towns and quarters; families of armed groups
//! that split, rebrand, merge and dissolve; people with one to three
//! memberships; where people and groups were; events and who took part; and
//! links between groups and people. Every row cites sources from
//! `sources.csv`, with a confidence, and a few are disputed.
//!
//! What this module promises:
//!
//! - the same [`Options`] give the same bytes, on every platform: all
//!   randomness comes from a hand-written SplitMix64 (`generate/random.rs`),
//!   and no output depends on hash order, floating point or pointer width;
//! - the facts are consistent the way the loader wants them: every cited
//!   source, place, event and entity exists, every name has one spelling
//!   (other spellings only through `aliases.csv`), no row is repeated, no end
//!   comes before its start, people are never groups, and `mergers.csv` has
//!   no cycle;
//! - rows grow linearly with the scale (about 50,000 rows, 4 MB, per unit)
//!   and are streamed to disk: only the map, the groups and who belongs to
//!   which group are held in memory.
//!
//! It must not read anything, and it writes nothing outside the folder it is
//! given.

mod dates;
mod events;
mod lineage;
mod links;
mod people;
mod places;
mod random;
mod sheets;
mod sources;
mod words;

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::out_dir::OutDir;
use crate::schema::FactFile;
use lineage::Lineage;
use places::Places;
use random::Rng;
use sheets::{Sheets, Written};
use sources::Sources;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// How much: about 50,000 rows per unit, from 1 to [`MAX_SCALE`].
    pub scale: u32,
    /// Which facts: the same seed and scale always give the same bytes.
    pub seed: u64,
}

/// The largest scale [`generate`] accepts: half a billion rows, some 40 GB.
pub const MAX_SCALE: u32 = 10_000;

/// What [`generate`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Each file's name and number of rows (the header not counted), in
    /// schema order.
    pub files: Vec<(String, u64)>,
    /// The size of all the files together.
    pub bytes: u64,
}

/// Writes a synthetic facts folder into `out`, creating it if need be.
///
/// `out` must be empty unless `force` is given; then the files of the same
/// names are replaced and nothing else in it is touched. Each file is
/// written under a fresh temporary name and renamed into place once every
/// file is complete (see [`crate::out_dir`]), so a reader never sees a
/// half-written folder and a failed run leaves the earlier files as they
/// were.
pub fn generate(options: &Options, out: &Path, force: bool) -> Result<Summary> {
    if !(1..=MAX_SCALE).contains(&options.scale) {
        return Err(Error::Request(format!(
            "the scale must be from 1 to {MAX_SCALE}, not {}",
            options.scale
        )));
    }
    generate_sized(u64::from(options.scale) * 1000, options.seed, out, force)
}

/// [`generate`] at a scale given in thousandths, so that tests can write
/// small folders.
fn generate_sized(per_mille: u64, seed: u64, out: &Path, force: bool) -> Result<Summary> {
    let mut folder = OutDir::open(out, None, true, force)?;
    let written = write_files(per_mille, seed, &mut folder)?;
    let mut summary = Summary {
        files: Vec::new(),
        bytes: 0,
    };
    for written in written {
        summary.files.push((written.file.file_name(), written.rows));
        summary.bytes += written.bytes;
    }
    folder.commit(&[])?;
    Ok(summary)
}

/// Writes every file under its temporary name in `folder`.
fn write_files(per_mille: u64, seed: u64, folder: &mut OutDir) -> Result<Vec<Written>> {
    let open = |file: &'static FactFile| {
        let (path, created) = folder.create(&file.file_name())?;
        Ok((path, BufWriter::with_capacity(1 << 16, created)))
    };
    let mut sheets = Sheets::create(open)?;
    write_facts(&Plan::new(per_mille), seed, &mut sheets)?;
    let mut files = Vec::new();
    for (written, writer) in sheets.finish()? {
        let file = writer.into_inner().map_err(|e| Error::Io {
            path: written.path.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(|source| Error::Io {
            path: written.path.clone(),
            source,
        })?;
        files.push(written);
    }
    Ok(files)
}

/// How many of each thing to draw.
#[derive(Clone, Copy, Debug)]
struct Plan {
    sources: u32,
    governorates: u32,
    groups: u32,
    people: u32,
    events: u32,
}

impl Plan {
    /// The plan for a scale given in thousandths. Every count is
    /// proportional to the scale, with a floor so that the smallest folders
    /// still have something of everything.
    fn new(per_mille: u64) -> Plan {
        let count = |per_unit: u64, floor: u64| (per_unit * per_mille / 1000).max(floor) as u32;
        Plan {
            sources: count(400, 10),
            governorates: count(6, 1),
            groups: count(300, 6),
            people: count(3600, 20),
            events: count(2400, 10),
        }
    }
}

/// What is held in memory while rows are written: the map, the groups and
/// the sources to cite.
#[derive(Debug)]
struct World {
    places: Places,
    lineage: Lineage,
    sources: Sources,
    /// How many people there are; a person's name is drawn from their number.
    people: u32,
}

/// Draws the world and writes every row. Each part draws from its own
/// random stream.
fn write_facts<W: Write>(plan: &Plan, seed: u64, sheets: &mut Sheets<W>) -> Result<()> {
    let places = Places::build(plan.governorates, &mut Rng::new(seed, "places"));
    let lineage = Lineage::simulate(
        plan.groups,
        places.governorate_count() as u32,
        &mut Rng::new(seed, "lineage"),
    );
    let world = World {
        places,
        lineage,
        sources: Sources::new(plan.sources),
        people: plan.people,
    };
    let mut rng = Rng::new(seed, "place rows");
    world
        .places
        .write(&mut rng, &mut sheets.places, &mut sheets.aliases)?;
    let mut rng = Rng::new(seed, "group rows");
    world
        .lineage
        .write(&world.places, &world.sources, &mut rng, sheets)?;
    let members = people::write(&world, &mut Rng::new(seed, "people"), sheets)?;
    let mut rng = Rng::new(seed, "events");
    events::write(plan.events, &world, &members, &mut rng, sheets)?;
    links::write(&world, &mut Rng::new(seed, "links"), &mut sheets.links)?;
    let mut rng = Rng::new(seed, "sources");
    let groups: Vec<&str> = world
        .lineage
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    world
        .sources
        .write(&world.places, &groups, &mut rng, &mut sheets.sources)
}

/// Counts rows per file without touching the disk.
#[cfg(test)]
fn count_rows(per_mille: u64, seed: u64) -> Result<Vec<(String, u64)>> {
    let mut sheets =
        Sheets::create(|file| Ok((std::path::PathBuf::from(file.file_name()), std::io::sink())))?;
    write_facts(&Plan::new(per_mille), seed, &mut sheets)?;
    let finished = sheets.finish()?;
    Ok(finished
        .into_iter()
        .map(|(w, _)| (w.file.file_name(), w.rows))
        .collect())
}

#[cfg(test)]
mod tests;
