//! The command line: clap types and what each subcommand does.
//!
//! Only `main.rs` decides exit codes; this module returns errors.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use silsila::dl::syntax::DeclKind;
use silsila::error::{Error, Result};
use silsila::facts::{self, Date};
use silsila::progress::Progress;
use silsila::Severity;
use silsila::{conclusion, eval, render, rules};

/// silsila: derive lineage, co-location and suspected links from an
/// analyst's spreadsheets of facts, with every conclusion traceable to its
/// sources.
#[derive(Debug, Parser)]
#[command(name = "silsila", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Derive conclusions from the facts and print them.
    Infer(InferArgs),
    /// Explain why a conclusion holds, down to fact rows and sources.
    Explain(ExplainArgs),
    /// Everything concluded about one entity, and the fact rows that
    /// mention it.
    About(AboutArgs),
    /// Show which conclusions appeared, disappeared or changed since a
    /// baseline, and the fact rows that made the difference.
    Diff(DiffArgs),
    /// List the rules: name, place, reason, what each derives and reads.
    Rules(RulesArgs),
    /// Check the facts without inferring: every problem in every file.
    Check(CheckArgs),
    /// Write synthetic facts in the full schema, for benchmarks.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    facts: FactsArgs,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    sources: SourceArgs,
    /// How to print the explanation.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,
    /// The relation of the conclusion, such as descends_from.
    #[arg(value_name = "RELATION")]
    relation: String,
    /// The conclusion's leading column values, in order; trailing ones may
    /// be left out to explain every conclusion that matches.
    #[arg(value_name = "VALUE")]
    values: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct AboutArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    sources: SourceArgs,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,
    /// The entity's name (or an alias of it).
    #[arg(value_name = "NAME")]
    name: String,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    sources: SourceArgs,
    /// How to print the differences.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Exit 1 when anything changed, 0 when nothing did.
    #[arg(long)]
    exit_code: bool,
    /// What to compare against: a facts folder or workbook, a folder
    /// written by infer --out, or git:REV (the facts as committed at REV).
    #[arg(value_name = "BASELINE")]
    baseline: String,
    /// The relations to compare (default: all of them).
    #[arg(value_name = "RELATION", value_parser = output_relations())]
    relations: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct RulesArgs {
    /// How to print the rules.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ProofFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

/// Options every command that reads facts shares.
#[derive(Debug, clap::Args)]
struct FactsArgs {
    /// The facts: a folder with one CSV file per relation, or a workbook
    /// (.xlsx, .xlsm, .xlsb, .xls, .ods) with one sheet per relation.
    #[arg(long, value_name = "PATH", default_value = "facts")]
    facts: PathBuf,
    /// Show no progress on stderr (progress shows only on a terminal).
    #[arg(long)]
    quiet: bool,
}

/// Which sources a run may use; see `silsila::facts::filter`.
#[derive(Debug, clap::Args)]
struct SourceArgs {
    /// Use only sources published by this date: what could be concluded
    /// then (YYYY, YYYY-MM or YYYY-MM-DD; undated sources are left out).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    known_by: Option<Date>,
    /// Leave out this source (repeatable): rows that rest only on it drop
    /// out, and so do conclusions that rest only on those.
    #[arg(long, value_name = "ID")]
    without_source: Vec<String>,
    /// Use only sources at least this reliable (A, the most reliable, to F).
    #[arg(long, value_name = "LETTER", value_parser = parse_reliability)]
    min_reliability: Option<silsila::facts::Reliability>,
}

impl SourceArgs {
    fn filter(&self) -> silsila::facts::filter::SourceFilter {
        silsila::facts::filter::SourceFilter {
            known_by: self.known_by,
            without: self.without_source.clone(),
            min_reliability: self.min_reliability,
        }
    }
}

fn parse_reliability(text: &str) -> std::result::Result<silsila::facts::Reliability, String> {
    match silsila::facts::Reliability::parse(text) {
        Some(r) if !text.trim().is_empty() => Ok(r),
        _ => Err(format!("{text:?} is not a reliability letter A to F")),
    }
}

/// Loads the facts and keeps only the rows the source options admit: the
/// one place `--known-by`, `--without-source` and `--min-reliability` act.
fn load_facts(
    path: &Path,
    sources: &SourceArgs,
    progress: &dyn silsila::progress::Progress,
) -> Result<facts::Facts> {
    let loaded = facts::load_with(path, progress)?;
    facts::filter::restrict(loaded, &sources.filter())
}

impl FactsArgs {
    /// The progress display these options ask for.
    fn progress(&self) -> Box<dyn Progress> {
        if self.quiet || !std::io::stderr().is_terminal() {
            Box::new(silsila::progress::Silent)
        } else {
            Box::new(Terminal::new())
        }
    }
}

/// Options every command that evaluates rules shares.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Leave out rows that begin after this date and judge what is current
    /// against it (YYYY, YYYY-MM or YYYY-MM-DD). Default: the latest date in
    /// the facts.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// How many days before --as-of an activity may have ended and still
    /// make a cell current.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    recent: u32,
}

impl RunArgs {
    fn options(&self) -> eval::Options {
        eval::Options {
            as_of: self.as_of,
            recent_days: self.recent,
        }
    }
}

#[derive(Debug, clap::Args)]
struct InferArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    sources: SourceArgs,
    /// How to print the conclusions.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write one CSV file per relation into this folder instead of printing.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the wall time of each phase and the peak memory on stderr.
    #[arg(long)]
    timings: bool,
    /// The relations to print (default: all of them).
    #[arg(value_name = "RELATION", value_parser = output_relations())]
    relations: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// How much to generate: about 50,000 rows (4 MB of CSV) per unit.
    #[arg(long, value_name = "N")]
    scale: u32,
    /// The random seed; the same scale and seed give the same files.
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    seed: u64,
    /// The folder to write the facts into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable, one section per relation.
    Table,
    /// One relation with a header row.
    Csv,
    /// One object keyed by relation name.
    Json,
}

fn parse_date(text: &str) -> std::result::Result<Date, String> {
    match Date::parse(text) {
        Ok(date) if date.is_known() => Ok(date),
        Ok(_) => Err("a date is required".into()),
        Err(error) => Err(format!("{text:?} {error}")),
    }
}

/// The names of the printed relations, for clap to check and suggest.
fn output_relations() -> clap::builder::PossibleValuesParser {
    let names: Vec<&'static str> = rules::rules()
        .map(|checked| {
            checked
                .relations
                .iter()
                .filter(|r| r.kind == DeclKind::Output)
                .map(|r| r.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    clap::builder::PossibleValuesParser::new(names)
}

/// What went wrong, and so which exit code to use.
pub enum Failure {
    /// The command line is wrong: exit 2.
    Usage(String),
    /// The facts, rules or files are: exit 1.
    Run(Error),
    /// Exit 1 with nothing more to say: the output already said why.
    Quiet,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Run(error)
    }
}

/// Runs the parsed command line, writing results to `stdout`.
pub fn run(cli: Cli, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    match cli.command {
        Command::Infer(args) => infer(args, stdout),
        Command::Explain(args) => explain(args, stdout),
        Command::Diff(args) => diff(args, stdout),
        Command::About(args) => about(args, stdout),
        Command::Rules(args) => list_rules(args, stdout),
        Command::Check(args) => check(args, stdout),
        Command::Generate(args) => generate(args),
    }
}

fn generate(args: GenerateArgs) -> std::result::Result<(), Failure> {
    let options = silsila::generate::Options {
        scale: args.scale,
        seed: args.seed,
    };
    let summary = silsila::generate::generate(&options, &args.out)?;
    let rows: u64 = summary.files.iter().map(|(_, rows)| rows).sum();
    eprintln!(
        "wrote {rows} rows ({:.1} MB) to {}",
        summary.bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}

/// Wall time per phase, for `--timings`.
struct Clock {
    started: Instant,
    last: Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Clock {
    fn new() -> Clock {
        let now = Instant::now();
        Clock {
            started: now,
            last: now,
            phases: Vec::new(),
        }
    }

    /// Ends the phase that ran since the last call.
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.phases
            .push((phase, now.duration_since(self.last).as_secs_f64()));
        self.last = now;
    }

    /// `timings: load 0.41 s, … total 1.20 s; peak memory 250 MiB`.
    fn report(&self) -> String {
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(name, seconds)| format!("{name} {seconds:.2} s"))
            .collect();
        let peak = peak_memory_mib()
            .map(|mib| format!("{mib} MiB"))
            .unwrap_or_else(|| "unknown".into());
        format!(
            "timings: {}, total {:.2} s; peak memory {peak}",
            phases.join(", "),
            self.started.elapsed().as_secs_f64()
        )
    }
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Progress on a terminal: a bar while files are read, then a spinner that
/// names the phase.
struct Terminal {
    bar: ProgressBar,
}

impl Terminal {
    fn new() -> Terminal {
        let bar = ProgressBar::new(0);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("reading facts {wide_bar} {bytes}/{total_bytes}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Terminal { bar }
    }
}

impl Progress for Terminal {
    fn bytes_total(&self, bytes: u64) {
        self.bar.set_length(bytes);
    }

    fn bytes_read(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn phase(&self, name: &str) {
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.bar.set_message(name.to_string());
        self.bar
            .enable_steady_tick(std::time::Duration::from_millis(120));
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn check(args: CheckArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let (_, problems) = {
        let progress = args.facts.progress();
        facts::check_with(&args.facts.facts, progress.as_ref())?
    };
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    match args.format {
        ProofFormat::Text => {
            for problem in &problems {
                let label = match problem.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                writeln!(stdout, "{label}: {problem}").map_err(stdout_error)?;
            }
            writeln!(
                stdout,
                "{}: {}",
                args.facts.facts.display(),
                summary(errors, warnings)
            )
            .map_err(stdout_error)?;
        }
        ProofFormat::Json => {
            let value = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "problems": problems,
            });
            print_json(&value, stdout)?;
        }
    }
    if errors > 0 {
        // The problems are the output; the exit code says they are errors.
        return Err(Failure::Quiet);
    }
    Ok(())
}

fn summary(errors: usize, warnings: usize) -> String {
    let count = |n: usize, what: &str| match n {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    if errors + warnings == 0 {
        "no problems".to_string()
    } else {
        format!("{}, {}", count(errors, "error"), count(warnings, "warning"))
    }
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    }
}

fn print_json(value: &serde_json::Value, stdout: &mut dyn Write) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| stdout_error(std::io::Error::other(e)))?;
    writeln!(stdout, "{text}").map_err(stdout_error)
}

fn explain(args: ExplainArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, &args.sources, progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding proofs");
    let proofs = conclusion::explain(&facts, checked, &model, &args.relation, &args.values);
    drop(progress);
    warn(&facts.warnings);
    let proofs = proofs?;
    let context = render::proof::Context {
        facts: &facts,
        rules: checked,
        run: format!(
            "--as-of {}, --recent {} days (active since {})",
            show(model.as_of),
            args.run.recent,
            show(model.recent_since)
        ),
    };
    match args.format {
        ProofFormat::Text => {
            let trees: Vec<String> = proofs
                .iter()
                .map(|p| render::proof::text(&context, p))
                .collect();
            write!(stdout, "{}", trees.join("\n")).map_err(stdout_error)?;
        }
        ProofFormat::Json => {
            let trees: Vec<serde_json::Value> = proofs
                .iter()
                .map(|p| render::proof::json(&context, p))
                .collect();
            print_json(&trees.into(), stdout)?;
        }
    }
    Ok(())
}

fn about(args: AboutArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, &args.sources, progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding each conclusion's sources");
    let about = silsila::about::about(&facts, checked, &model, &args.name);
    drop(progress);
    warn(&facts.warnings);
    let about = about?;
    match args.format {
        ProofFormat::Text => {
            let mut text = format!(
                "{}\nas of {}; current means active since {}\n\n",
                about.name,
                show(model.as_of),
                show(model.recent_since)
            );
            if about.conclusions.is_empty() {
                text.push_str("no conclusions name it\n");
            } else {
                text.push_str(&render::text(&about.conclusions));
            }
            text.push_str(&format!(
                "\nfact rows that mention it ({})\n",
                about.mentions.len()
            ));
            for mention in &about.mentions {
                text.push_str(&format!(
                    "  {}:{}  {}\n",
                    mention.file, mention.line, mention.relation
                ));
            }
            write!(stdout, "{text}").map_err(stdout_error)?;
        }
        ProofFormat::Json => {
            let value = serde_json::json!({
                "name": about.name,
                "as_of": model.as_of.is_known().then(|| model.as_of.to_string()),
                "conclusions": render::json(&about.conclusions),
                "rows": about.mentions,
            });
            print_json(&value, stdout)?;
        }
    }
    Ok(())
}

/// The output relations named, or all of them, as indices.
fn chosen_relations(checked: &silsila::dl::check::Checked, names: &[String]) -> Vec<usize> {
    if names.is_empty() {
        (0..checked.relations.len())
            .filter(|&i| checked.relations[i].kind == DeclKind::Output)
            .collect()
    } else {
        names.iter().filter_map(|n| checked.relation(n)).collect()
    }
}

/// One side of a diff from facts: loaded, evaluated and proved.
fn side_from_facts(
    path: &Path,
    args: &DiffArgs,
    sources: &SourceArgs,
    relations: &[usize],
    rename: &dyn Fn(&str) -> String,
) -> Result<silsila::diff::Side> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(path, sources, progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding each conclusion's sources");
    let (tables, rows) = conclusion::tables_with_rows(&facts, checked, &model, relations);
    drop(progress);
    warn(&facts.warnings);
    Ok(silsila::diff::Side::from_facts(
        &facts, tables, &rows, rename,
    ))
}

fn diff(args: DiffArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    use silsila::diff::{baseline, Side};
    let checked = rules::rules()?;
    let relations = chosen_relations(checked, &args.relations);
    let names: Vec<&str> = relations
        .iter()
        .map(|&i| checked.relations[i].name.as_str())
        .collect();
    let keep = |mut tables: Vec<render::Table>| {
        tables.retain(|t| names.contains(&t.name.as_str()));
        tables
    };
    let same = |name: &str| name.to_string();
    // The source options restrict the current side only, so the baseline
    // shows what the excluded sources contributed.
    let all = SourceArgs {
        known_by: None,
        without_source: Vec::new(),
        min_reliability: None,
    };
    let before = if let Some(rev) = args.baseline.strip_prefix("git:") {
        let checkout = baseline::checkout(&args.facts.facts, rev)?;
        let rename = |name: &str| checkout.rename(name);
        side_from_facts(&checkout.facts.clone(), &args, &all, &relations, &rename)?
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
            side_from_facts(&path, &args, &all, &relations, &same)?
        }
    };
    let after = side_from_facts(&args.facts.facts, &args, &args.sources, &relations, &same)?;
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
    }
    if args.exit_code && changed {
        return Err(Failure::Quiet);
    }
    Ok(())
}

fn list_rules(args: RulesArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    match args.format {
        ProofFormat::Text => {
            write!(stdout, "{}", render::rules::text(checked)).map_err(stdout_error)?
        }
        ProofFormat::Json => print_json(&render::rules::json(checked), stdout)?,
    }
    Ok(())
}

fn infer(args: InferArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    if args.format == Format::Csv && args.out.is_none() && args.relations.len() != 1 {
        return Err(Failure::Usage(
            "--format csv prints one relation: name it, or use --out DIR for all".into(),
        ));
    }
    let checked = rules::rules()?;
    let mut clock = Clock::new();
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, &args.sources, progress.as_ref())?;
    clock.lap("load");
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    clock.lap("evaluate");
    progress.phase("finding each conclusion's sources");
    let relations = chosen_relations(checked, &args.relations);
    let tables = conclusion::tables(&facts, checked, &model, &relations);
    clock.lap("conclude");
    progress.phase("writing");
    drop(progress);
    warn(&facts.warnings);
    if let Some(dir) = &args.out {
        write_out(dir, &args.facts.facts, &tables)?;
        write_run(dir, &args, &model, &tables)?;
    } else {
        print_tables(&args, &model, &tables, stdout)?;
    }
    clock.lap("write");
    if args.timings {
        eprintln!("{}", clock.report());
    }
    Ok(())
}

fn print_tables(
    args: &InferArgs,
    model: &silsila::model::Model,
    tables: &[render::Table],
    stdout: &mut dyn Write,
) -> Result<()> {
    let io = stdout_error;
    match args.format {
        Format::Table => {
            writeln!(
                stdout,
                "as of {}; current means active since {}\n",
                show(model.as_of),
                show(model.recent_since)
            )
            .map_err(io)?;
            stdout
                .write_all(render::text(tables).as_bytes())
                .map_err(io)?;
        }
        Format::Json => print_json(&render::json(tables), stdout)?,
        Format::Csv => {
            if let Some(table) = tables.first() {
                render::write_csv(table, &mut *stdout).map_err(io)?;
            }
        }
    }
    Ok(())
}

fn show(date: Date) -> String {
    if date.is_known() {
        date.to_string()
    } else {
        "(no dates in the facts)".into()
    }
}

/// Prints warnings about the facts to stderr.
fn warn(warnings: &[silsila::Problem]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// Writes `run.json`: the run's parameters and the relations written, so
/// a snapshot can be read back (by `diff`) and told from a facts folder.
fn write_run(
    dir: &Path,
    args: &InferArgs,
    model: &silsila::model::Model,
    tables: &[render::Table],
) -> Result<()> {
    let known = |d: Date| d.is_known().then(|| d.to_string());
    let value = serde_json::json!({
        "silsila": env!("CARGO_PKG_VERSION"),
        "facts": args.facts.facts.display().to_string(),
        "as_of": known(model.as_of),
        "as_of_given": args.run.as_of.map(|d| d.to_string()),
        "recent_days": args.run.recent,
        "recent_since": known(model.recent_since),
        "known_by": args.sources.known_by.map(|d| d.to_string()),
        "without_source": args.sources.without_source,
        "min_reliability": args.sources.min_reliability.map(|r| format!("{r:?}")),
        "relations": tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
    });
    let path = dir.join(silsila::diff::baseline::RUN_FILE);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let text = serde_json::to_string_pretty(&value).map_err(|e| io(std::io::Error::other(e)))?;
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, format!("{text}\n")).map_err(io)?;
    std::fs::rename(&temporary, &path).map_err(io)
}

/// Writes one CSV per relation into `dir`, never into the facts folder.
fn write_out(dir: &Path, facts: &Path, tables: &[render::Table]) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(dir, facts) {
        return Err(Error::Request(format!(
            "--out {} is the facts folder; silsila never writes to its inputs",
            dir.display()
        )));
    }
    for table in tables {
        let path = dir.join(format!("{}.csv", table.name));
        render::write_csv_file(table, &path)?;
    }
    Ok(())
}
