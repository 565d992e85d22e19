//! `silsila diff`: what changed between a baseline (facts, a snapshot or a
//! git revision) and the current facts.

use std::io::Write;
use std::path::{Path, PathBuf};

use silsila::error::Error;
use silsila::{conclusion, eval, render, rules};

use super::output::{print_json, stdout_error, warn};
use super::{chosen_relations, load_facts, DiffArgs, Failure, Format, RunArgs};

/// One side of a diff from facts: loaded, evaluated and proved.
fn side_from_facts(
    path: &Path,
    args: &DiffArgs,
    sources: Option<&RunArgs>,
    relations: &[usize],
    rename: &dyn Fn(&str) -> String,
) -> std::result::Result<silsila::diff::Side, Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(path, sources, progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding each conclusion's sources");
    let (tables, rows) = conclusion::tables_with_rows(&facts, checked, &model, relations);
    drop(progress);
    warn(&facts.warnings)?;
    Ok(silsila::diff::Side::from_facts(
        &facts, tables, &rows, rename,
    ))
}

pub(super) fn diff(args: DiffArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    use silsila::diff::{baseline, Side};
    let checked = rules::rules()?;
    let relations = chosen_relations(checked, &args.relations);
    let names: Vec<&str> = relations
        .iter()
        .map(|&i| checked.relations[i].name.as_str())
        .collect();
    let keep = |mut tables: Vec<conclusion::ConclusionTable>| {
        tables.retain(|t| names.contains(&t.name.as_str()));
        tables
    };
    let same = |name: &str| name.to_string();
    // The source options restrict the current side only, so the baseline
    // shows what the excluded sources contributed.
    let all = None;
    let before = if let Some(rev) = args.baseline.strip_prefix("git:") {
        let checkout = baseline::checkout(&args.facts.facts, rev)?;
        let rename = |name: &str| checkout.rename(name);
        side_from_facts(&checkout.facts.clone(), &args, all, &relations, &rename)?
    } else {
        let path = PathBuf::from(&args.baseline);
        if baseline::is_snapshot(&path) {
            let tables = baseline::read_snapshot(&path)?;
            let held = |name: &str| tables.iter().any(|t| t.name == name);
            if let Some(missing) = args.relations.iter().find(|r| !held(r)) {
                let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
                return Err(Failure::Run(Error::Request(format!(
                    "the snapshot {} has no {missing}; it holds {}",
                    args.baseline,
                    names.join(", ")
                ))));
            }
            Side {
                tables: keep(tables),
                ..Side::default()
            }
        } else {
            side_from_facts(&path, &args, all, &relations, &same)?
        }
    };
    let after = side_from_facts(&args.facts.facts, &args, Some(&args.run), &relations, &same)?;
    let mut diffs = silsila::diff::diff(&before, &after);
    if before.proofs.is_none() {
        // A snapshot holds the relations it was written with: compare only
        // those (a named relation it lacks was refused on reading it).
        let held = |name: &str| before.tables.iter().any(|t| t.name == name);
        diffs.retain(|d| held(&d.relation));
    }
    let changed = diffs.iter().any(|d| !d.entries.is_empty());
    match args.format {
        Format::Table => write!(stdout, "{}", render::diff::text(&diffs)).map_err(stdout_error)?,
        Format::Csv => render::diff::write_csv(&diffs, &mut *stdout).map_err(stdout_error)?,
        Format::Json => print_json(&render::diff::json(&diffs), stdout)?,
        Format::Xlsx => {
            return Err(Failure::Usage(
                "diff prints a table, CSV or JSON; --format xlsx is for infer --out".into(),
            ))
        }
    }
    if args.exit_code && changed {
        return Err(Failure::Quiet);
    }
    Ok(())
}
