//! `silsila infer`: the conclusions printed as a table, CSV or JSON, or
//! written as one file per relation (`--out DIR`) or a workbook.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use silsila::dl::syntax::DeclKind;
use silsila::error::{Error, Result};
use silsila::facts::Date;
use silsila::{conclusion, eval, render, rules};

use super::output::{print_json, say, stdout_error, warn, Clock};
use super::{chosen_relations, load_facts, Failure, Format, InferArgs, RunArgs};

pub(super) fn infer(args: InferArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let relations = chosen_relations(checked, &args.relations);
    if args.format == Format::Csv && args.out.is_none() && relations.len() != 1 {
        return Err(Failure::Usage(
            "--format csv prints one relation: name it, or use --out DIR for all".into(),
        ));
    }
    if args.format == Format::Xlsx && args.out.is_none() {
        return Err(Failure::Usage(
            "--format xlsx writes a workbook: name it with --out FILE.xlsx".into(),
        ));
    }
    let mut clock = Clock::new();
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, Some(&args.run), progress.as_ref())?;
    clock.lap("load");
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    clock.lap("evaluate");
    progress.phase("finding each conclusion's sources");
    if let (Some(dir), false) = (&args.out, args.format == Format::Xlsx) {
        // Relation by relation, and a CSV file a block of rows at a time:
        // each block is concluded, written and dropped before the next, so
        // the peak is evaluation, not a table's strings.
        warn(&facts.warnings)?;
        let every: Vec<&str> = checked
            .relations
            .iter()
            .filter(|r| r.kind == DeclKind::Output)
            .map(|r| r.name.as_str())
            .collect();
        let chosen: Vec<(usize, &str)> = relations
            .iter()
            .map(|&i| (i, checked.relations[i].name.as_str()))
            .collect();
        let names: Vec<&str> = chosen.iter().map(|&(_, name)| name).collect();
        let run = out_run_record(&args, &model, &names);
        clock.lap("conclude"); // so that the phases print in this order
        let mut blocks =
            |index: usize,
             rows: usize,
             each: &mut dyn FnMut(&conclusion::ConclusionTable) -> Result<()>| {
                clock.lap("write"); // what was written before
                conclusion::in_blocks(&facts, checked, &model, index, rows, &mut |block| {
                    clock.lap("conclude");
                    each(block)?;
                    clock.lap("write");
                    Ok(())
                })
            };
        let out = Out {
            dir,
            facts: &args.facts.facts,
            format: args.format,
            every: &every,
        };
        write_out(&out, &chosen, &mut blocks, &run)?;
        drop(progress);
    } else {
        let tables = conclusion::tables(&facts, checked, &model, &relations);
        clock.lap("conclude");
        progress.phase("writing");
        drop(progress);
        warn(&facts.warnings)?;
        if let (Format::Xlsx, Some(path)) = (args.format, &args.out) {
            write_workbook(path, &args, &model, &tables)?;
        } else {
            print_tables(&args, &model, &tables, stdout)?;
        }
    }
    clock.lap("write");
    if args.timings {
        say(&clock.report())?;
    }
    Ok(())
}

fn print_tables(
    args: &InferArgs,
    model: &silsila::model::Model,
    tables: &[conclusion::ConclusionTable],
    stdout: &mut dyn Write,
) -> Result<()> {
    let io = stdout_error;
    match args.format {
        Format::Table => {
            writeln!(
                stdout,
                "{}\n",
                render::as_of_line(model.as_of, model.recent_since)
            )
            .map_err(io)?;
            stdout
                .write_all(render::terminal(&render::text(tables)).as_bytes())
                .map_err(io)?;
        }
        Format::Json => {
            // The run first, then one key per relation.
            #[derive(Serialize)]
            struct Output<'a> {
                run: Run<'a>,
                #[serde(flatten)]
                relations: serde_json::Value,
            }
            let output = Output {
                run: run_record(args, model),
                relations: render::json(tables),
            };
            print_json(&output, stdout)?
        }
        // Refused before the run without --out.
        Format::Xlsx => {}
        Format::Csv => {
            if let Some(table) = tables.first() {
                render::write_csv(table, &mut *stdout).map_err(io)?;
            }
        }
    }
    Ok(())
}

/// What a run was asked for and judged against, so that its output can be
/// read back and compared: `run` in `infer --format json`, as the README
/// documents it.
#[derive(Serialize)]
struct Run<'a> {
    as_of: Option<String>,
    recent_days: u32,
    recent_since: Option<String>,
    facts: String,
    known_by: Option<String>,
    without_source: &'a [String],
    min_reliability: Option<String>,
    silsila: &'static str,
}

fn run_record<'a>(args: &'a InferArgs, model: &silsila::model::Model) -> Run<'a> {
    let date = |d: Date| d.is_known().then(|| d.to_string());
    Run {
        as_of: date(model.as_of),
        recent_days: args.run.recent,
        recent_since: date(model.recent_since),
        facts: args.facts.facts.display().to_string(),
        known_by: args.run.known_by.and_then(date),
        without_source: &args.run.without_source,
        min_reliability: args.run.min_reliability.map(|r| r.letter().to_string()),
        silsila: env!("CARGO_PKG_VERSION"),
    }
}

/// What `run.json` records beside `infer --out`'s files: the run's
/// parameters and the relations written, so a snapshot can be read back
/// (by `diff`) and told from a facts folder.
#[derive(Serialize)]
struct OutRun<'a> {
    silsila: &'static str,
    facts: String,
    as_of: Option<String>,
    as_of_given: Option<String>,
    recent_days: u32,
    recent_since: Option<String>,
    known_by: Option<String>,
    without_source: &'a [String],
    min_reliability: Option<String>,
    relations: &'a [&'a str],
}

fn out_run_record<'a>(
    args: &'a InferArgs,
    model: &silsila::model::Model,
    relations: &'a [&'a str],
) -> OutRun<'a> {
    let known = |d: Date| d.is_known().then(|| d.to_string());
    OutRun {
        silsila: env!("CARGO_PKG_VERSION"),
        facts: args.facts.facts.display().to_string(),
        as_of: known(model.as_of),
        as_of_given: args.run.as_of.map(|d| d.to_string()),
        recent_days: args.run.recent,
        recent_since: known(model.recent_since),
        known_by: args.run.known_by.map(|d| d.to_string()),
        without_source: &args.run.without_source,
        min_reliability: args.run.min_reliability.map(|r| format!("{r:?}")),
        relations,
    }
}

/// The run's parameters, as the first sheet of a workbook shows them.
pub(super) fn parameters(
    facts: &Path,
    run: &RunArgs,
    model: &silsila::model::Model,
) -> Vec<(String, String)> {
    vec![
        ("facts".into(), facts.display().to_string()),
        ("as_of".into(), render::date_or_none(model.as_of)),
        ("recent_days".into(), run.recent.to_string()),
        (
            "recent_since".into(),
            render::date_or_none(model.recent_since),
        ),
        ("silsila".into(), env!("CARGO_PKG_VERSION").into()),
    ]
}

/// Writes the conclusions as a workbook at `path`, never over the facts.
fn write_workbook(
    path: &Path,
    args: &InferArgs,
    model: &silsila::model::Model,
    tables: &[conclusion::ConclusionTable],
) -> Result<()> {
    if same_file(path, &args.facts.facts) {
        return Err(Error::Request(format!(
            "--out {} is the facts workbook; silsila never writes to its inputs",
            path.display()
        )));
    }
    let parameters = parameters(&args.facts.facts, &args.run, model);
    render::write_xlsx_file(&parameters, tables, model.as_of, path)
}

pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Where `infer --out` writes, and what.
struct Out<'a> {
    dir: &'a Path,
    /// The facts folder, never written into.
    facts: &'a Path,
    format: Format,
    /// Every output relation's name, so that files of the ones not
    /// written this time are removed.
    every: &'a [&'a str],
}

/// Hands a relation's conclusions to a writer `rows` at a time
/// ([`conclusion::in_blocks`]).
type Blocks<'a> = dyn FnMut(usize, usize, &mut dyn FnMut(&conclusion::ConclusionTable) -> Result<()>) -> Result<()>
    + 'a;

/// How many rows of a CSV file are concluded before they are written.
const CSV_BLOCK: usize = 16 * 1024;

/// Writes one file per relation of `chosen` into the folder (`NAME.json`
/// with `--format json`, `NAME.csv` otherwise), never into the facts
/// folder, and removes the outputs of earlier runs that this one does not
/// replace, so the folder holds one consistent set. A CSV file is written
/// a block of rows at a time; a JSON file, one array, at once.
fn write_out(
    out: &Out,
    chosen: &[(usize, &str)],
    blocks: &mut Blocks,
    run: &impl Serialize,
) -> Result<()> {
    let Out {
        dir,
        facts,
        format,
        every,
    } = *out;
    let mut folder = silsila::out_dir::OutDir::open(dir, Some(facts), false, false)?;
    // The run's record, in the same set as the conclusions.
    let (path, file) = folder.create(silsila::diff::baseline::RUN_FILE)?;
    let mut buffered = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut buffered, run)
        .map_err(std::io::Error::other)
        .and_then(|()| buffered.write_all(b"\n"))
        .and_then(|()| buffered.into_inner().map_err(|e| e.into_error()))
        .and_then(|file| file.sync_all())
        .map_err(|source| Error::Io { path, source })?;
    let extension = if format == Format::Json {
        "json"
    } else {
        "csv"
    };
    let mut written = Vec::new();
    for &(index, relation) in chosen {
        let name = format!("{relation}.{extension}");
        let (path, file) = folder.create(&name)?;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let mut buffered = std::io::BufWriter::new(file);
        if format == Format::Json {
            blocks(index, usize::MAX, &mut |table| {
                let value = render::json(std::slice::from_ref(table));
                let rows = value.get(&table.name).cloned().unwrap_or_default();
                serde_json::to_writer_pretty(&mut buffered, &rows)
                    .map_err(|e| io(std::io::Error::other(e)))?;
                buffered.write_all(b"\n").map_err(io)
            })?;
        } else {
            let mut csv = render::CsvWriter::new(&mut buffered);
            let mut first = true;
            blocks(index, CSV_BLOCK, &mut |table| {
                if std::mem::take(&mut first) {
                    csv.header(&table.columns).map_err(io)?;
                }
                csv.rows(&table.rows).map_err(io)
            })?;
            csv.finish().map_err(io)?;
        }
        buffered
            .into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        written.push(name);
    }
    let stale: Vec<String> = every
        .iter()
        .flat_map(|name| [format!("{name}.csv"), format!("{name}.json")])
        .filter(|name| !written.contains(name))
        .collect();
    folder.commit(&stale)
}
