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
    /// Draw the lineage or the links as a graph: DOT, Mermaid, SVG or GraphML.
    Graph(GraphArgs),
    /// Export the facts and conclusions for other platforms: STIX 2.1.
    Export(ExportArgs),
    /// Write one self-contained HTML report to hand on.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    /// The exchange format.
    #[arg(long, value_enum)]
    format: ExportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// A STIX 2.1 bundle (JSON), for OpenCTI and MISP.
    Stix,
}

#[derive(Debug, clap::Args)]
struct GraphArgs {
    #[command(flatten)]
    facts: FactsArgs,
    #[command(flatten)]
    run: RunArgs,
    /// The graph language.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// What to draw.
    #[arg(long, value_enum, default_value_t = GraphWhat::Lineage)]
    what: GraphWhat,
    /// Draw only the entities at most --depth edges from this one.
    #[arg(long, value_name = "NAME")]
    around: Option<String>,
    /// How many edges from --around to go.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "around")]
    depth: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart, for Markdown.
    Mermaid,
    /// SVG, laid out by silsila (no Graphviz needed).
    Svg,
    /// GraphML, for Gephi and yEd.
    Graphml,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GraphWhat {
    /// Groups and the merger rows between them.
    Lineage,
    /// Stated links (friendly, hostile) and suspected links.
    Links,
    /// Both.
    All,
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
    /// How to print the explanation.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,
    /// Explain why a conclusion does NOT hold: what each rule that could
    /// derive it lacks, or which row blocks it.
    #[arg(long)]
    why_not: bool,
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

/// The facts as the run's options restrict them, evaluated, with their
/// warnings printed: what graph and export start from.
fn evaluated(
    facts: &FactsArgs,
    run: &RunArgs,
) -> std::result::Result<(facts::Facts, silsila::model::Model), Failure> {
    let progress = facts.progress();
    let loaded = load_facts(&facts.facts, Some(run), progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&loaded, &run.options())?;
    drop(progress);
    warn(&loaded.warnings)?;
    Ok((loaded, model))
}

/// Loads the facts and keeps only the rows the run's source options
/// admit (see `RunArgs::restrict`).
fn load_facts(
    path: &Path,
    run: Option<&RunArgs>,
    progress: &dyn silsila::progress::Progress,
) -> std::result::Result<facts::Facts, Failure> {
    let loaded = facts::load_with(path, progress)?;
    match run {
        Some(run) => run.restrict(loaded),
        None => Ok(loaded),
    }
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
    /// Only rows whose sources were published by this date: what could an
    /// analyst have concluded then? A source with no date is left out.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    known_by: Option<Date>,
    /// Leave out this source (repeatable): conclusions that rest only on it
    /// drop out.
    #[arg(long = "without-source", value_name = "ID")]
    without_source: Vec<String>,
    /// Only sources at least this reliable (A, the most, to F).
    #[arg(long, value_name = "LETTER", value_parser = parse_reliability)]
    min_reliability: Option<facts::Reliability>,
}

fn parse_reliability(text: &str) -> std::result::Result<facts::Reliability, String> {
    match text.trim() {
        "" => Err("write a letter from A (completely reliable) to F (cannot be judged)".into()),
        letter => facts::Reliability::parse(letter).ok_or_else(|| {
            format!("{letter:?} is not a reliability; write a letter from A (completely reliable) to F (cannot be judged)")
        }),
    }
}

impl RunArgs {
    /// The facts as the run's source filters leave them.
    fn restrict(&self, facts: facts::Facts) -> std::result::Result<facts::Facts, Failure> {
        let filter = facts::SourceFilter {
            known_by: self.known_by,
            without: self.without_source.clone(),
            min_reliability: self.min_reliability,
        };
        facts.restricted(&filter).map_err(|e| match e {
            Error::Request(message) => Failure::Usage(message),
            other => Failure::Run(other),
        })
    }

    fn options(&self) -> eval::Options {
        eval::Options {
            // What could be concluded by --known-by is judged as of then.
            as_of: self.as_of.or(self.known_by),
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
    /// How to print the conclusions.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write one file per relation (CSV, or JSON with --format json) into
    /// this folder instead of printing (with --format xlsx: the workbook to
    /// write).
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
    /// The folder to write the facts into; it must be empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a folder that is not empty, replacing fact files there.
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable, one section per relation.
    Table,
    /// One relation with a header row.
    Csv,
    /// One object keyed by relation name.
    Json,
    /// An Excel workbook, one sheet per relation (needs --out FILE.xlsx).
    Xlsx,
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
        Command::Graph(args) => graph(args, stdout),
        Command::Export(args) => export(args, stdout),
        Command::Report(args) => report(args),
    }
}

fn report(args: ReportArgs) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, Some(&args.run), progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding each conclusion's proof");
    let parameters = parameters(&args.facts.facts, &args.run, &model);
    let run = format!(
        "--as-of {}, --recent {} days (active since {})",
        show(model.as_of),
        args.run.recent,
        show(model.recent_since)
    );
    let html = render::report::html(&facts, checked, &model, &parameters, run)?;
    drop(progress);
    warn(&facts.warnings)?;
    if same_file(&args.out, &args.facts.facts)
        || args.out.starts_with(&args.facts.facts) && args.facts.facts.is_dir()
    {
        return Err(Error::Request(format!(
            "--out {} is in the facts; silsila never writes to its inputs",
            args.out.display()
        ))
        .into());
    }
    silsila::out_dir::write_file(&args.out, html.as_bytes())?;
    Ok(())
}

fn export(args: ExportArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let (facts, model) = evaluated(&args.facts, &args.run)?;
    match args.format {
        ExportFormat::Stix => print_json(&render::stix::bundle(&facts, checked, &model), stdout)?,
    }
    Ok(())
}

fn graph(args: GraphArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    use render::graph;
    let checked = rules::rules()?;
    let (facts, model) = evaluated(&args.facts, &args.run)?;
    let request = graph::Request {
        what: match args.what {
            GraphWhat::Lineage => graph::What::Lineage,
            GraphWhat::Links => graph::What::Links,
            GraphWhat::All => graph::What::All,
        },
        around: args.around.as_deref(),
        depth: args.depth,
    };
    let drawn = graph::build(&facts, checked, &model, &request)?;
    let text = match args.format {
        GraphFormat::Dot => graph::dot(&drawn),
        GraphFormat::Mermaid => graph::mermaid(&drawn),
        GraphFormat::Svg => graph::svg(&drawn),
        GraphFormat::Graphml => graph::graphml(&drawn),
    };
    stdout.write_all(text.as_bytes()).map_err(stdout_error)?;
    Ok(())
}

fn generate(args: GenerateArgs) -> std::result::Result<(), Failure> {
    let options = silsila::generate::Options {
        scale: args.scale,
        seed: args.seed,
    };
    if !(1..=silsila::generate::MAX_SCALE).contains(&args.scale) {
        return Err(Failure::Usage(format!(
            "--scale must be from 1 to {}, not {}",
            silsila::generate::MAX_SCALE,
            args.scale
        )));
    }
    let summary = silsila::generate::generate(&options, &args.out, args.force)?;
    let rows: u64 = summary.files.iter().map(|(_, rows)| rows).sum();
    say(&format!(
        "wrote {rows} rows ({:.1} MB) to {}",
        summary.bytes as f64 / 1e6,
        args.out.display()
    ))?;
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

    /// Ends the phase that ran since the last call; a phase run several
    /// times (concluding and writing relation by relation) adds up.
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        match self.phases.iter_mut().find(|(name, _)| *name == phase) {
            Some((_, total)) => *total += seconds,
            None => self.phases.push((phase, seconds)),
        }
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
    let (facts, mut problems) = {
        let progress = args.facts.progress();
        facts::check_with(&args.facts.facts, progress.as_ref())?
    };
    // Facts without errors are evaluated once more, for the pairs of names
    // the rules find possibly the same: possible aliases to confirm.
    if let Some(facts) = facts {
        let model = eval::run(&facts, &eval::Options::default())?;
        problems.extend(conclusion::possible_aliases(
            &facts,
            rules::rules()?,
            &model,
        ));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let notes = problems
        .iter()
        .filter(|p| p.severity == Severity::Note)
        .count();
    let warnings = problems.len() - errors - notes;
    match args.format {
        ProofFormat::Text => {
            for problem in &problems {
                let label = match problem.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                };
                let line = format!("{label}: {problem}");
                writeln!(stdout, "{}", render::terminal(&line)).map_err(stdout_error)?;
            }
            let line = format!(
                "{}: {}",
                args.facts.facts.display(),
                summary(errors, warnings, notes)
            );
            writeln!(stdout, "{}", render::terminal(&line)).map_err(stdout_error)?;
        }
        ProofFormat::Json => {
            let value = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "notes": notes,
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

fn summary(errors: usize, warnings: usize, notes: usize) -> String {
    let problems = problem_summary(errors, warnings);
    match notes {
        0 => problems,
        1 => format!("{problems}, 1 note"),
        n => format!("{problems}, {n} notes"),
    }
}

fn problem_summary(errors: usize, warnings: usize) -> String {
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
    let facts = args
        .run
        .restrict(facts::load_with(&args.facts.facts, progress.as_ref())?)?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding proofs");
    let context = render::proof::Context {
        facts: &facts,
        rules: checked,
        run: format!(
            "--as-of {}, --recent {} days (active since {})",
            show(model.as_of),
            args.run.recent,
            show(model.recent_since)
        ),
        width: text_width(),
    };
    if args.why_not {
        let why = conclusion::why_not(&facts, checked, &model, &args.relation, &args.values);
        drop(progress);
        warn(&facts.warnings)?;
        let why = why?;
        match args.format {
            ProofFormat::Text => write!(stdout, "{}", render::proof::why_not_text(&context, &why))
                .map_err(stdout_error)?,
            ProofFormat::Json => print_json(&render::proof::why_not_json(&context, &why), stdout)?,
        }
        return Ok(());
    }
    let proofs = conclusion::explain(&facts, checked, &model, &args.relation, &args.values);
    drop(progress);
    warn(&facts.warnings)?;
    let proofs = proofs?;
    let contrary = conclusion::contrary(&facts, checked, &model, &proofs);
    match args.format {
        ProofFormat::Text => {
            let trees: Vec<String> = proofs
                .iter()
                .zip(&contrary)
                .map(|(p, contrary)| render::proof::text(&context, p, contrary))
                .collect();
            write!(stdout, "{}", render::terminal(&trees.join("\n"))).map_err(stdout_error)?;
        }
        ProofFormat::Json => {
            let trees: Vec<serde_json::Value> = proofs
                .iter()
                .zip(&contrary)
                .map(|(p, contrary)| {
                    let mut tree = render::proof::json(&context, p);
                    if let Some(object) = tree.as_object_mut() {
                        object.insert(
                            "contrary".into(),
                            render::proof::contrary_json(&context, p, contrary),
                        );
                    }
                    tree
                })
                .collect();
            print_json(&trees.into(), stdout)?;
        }
    }
    Ok(())
}

fn about(args: AboutArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, Some(&args.run), progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding each conclusion's sources");
    let about = silsila::about::about(&facts, checked, &model, &args.name);
    drop(progress);
    warn(&facts.warnings)?;
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
        // A relation named twice is used once, where first named.
        let mut chosen: Vec<usize> = Vec::new();
        for index in names.iter().filter_map(|n| checked.relation(n)) {
            if !chosen.contains(&index) {
                chosen.push(index);
            }
        }
        chosen
    }
}

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
    let facts = args
        .run
        .restrict(facts::load_with(&args.facts.facts, progress.as_ref())?)?;
    clock.lap("load");
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    clock.lap("evaluate");
    progress.phase("finding each conclusion's sources");
    if let (Some(dir), false) = (&args.out, args.format == Format::Xlsx) {
        // Relation by relation: each is concluded, written and dropped
        // before the next, so the peak is evaluation, not every table's
        // strings at once.
        warn(&facts.warnings)?;
        let every: Vec<&str> = checked
            .relations
            .iter()
            .filter(|r| r.kind == DeclKind::Output)
            .map(|r| r.name.as_str())
            .collect();
        let names: Vec<&str> = relations
            .iter()
            .map(|&i| checked.relations[i].name.as_str())
            .collect();
        let run = out_run_record(&args, &model, &names);
        clock.lap("conclude"); // so that the phases print in this order
        let tables = relations.iter().map(|&index| {
            clock.lap("write"); // the table before
            let table = conclusion::tables(&facts, checked, &model, &[index]).pop();
            clock.lap("conclude");
            table
        });
        write_out(dir, &args.facts.facts, args.format, &every, tables, &run)?;
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
                .write_all(render::terminal(&render::text(tables)).as_bytes())
                .map_err(io)?;
        }
        Format::Json => {
            // The run first, then one key per relation.
            let mut object = serde_json::Map::new();
            object.insert("run".into(), run_record(args, model));
            if let serde_json::Value::Object(relations) = render::json(tables) {
                object.extend(relations);
            }
            print_json(&object.into(), stdout)?
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

/// The columns text explanations may take: the terminal's, when stdout is
/// one, else 100.
fn text_width() -> usize {
    let terminal = std::io::stdout().is_terminal();
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(width), _)) if terminal => usize::from(width).max(40),
        _ => 100,
    }
}

/// What a run was asked for and judged against, so that its output can be
/// read back and compared: `run` in `infer --format json`.
fn run_record(args: &InferArgs, model: &silsila::model::Model) -> serde_json::Value {
    let date = |d: Date| d.is_known().then(|| d.to_string());
    serde_json::json!({
        "as_of": date(model.as_of),
        "recent_days": args.run.recent,
        "recent_since": date(model.recent_since),
        "facts": args.facts.facts.display().to_string(),
        "known_by": args.run.known_by.and_then(date),
        "without_source": args.run.without_source,
        "min_reliability": args.run.min_reliability.map(|r| r.letter().to_string()),
        "silsila": env!("CARGO_PKG_VERSION"),
    })
}

fn show(date: Date) -> String {
    if date.is_known() {
        date.to_string()
    } else {
        "(no dates in the facts)".into()
    }
}

/// Prints warnings about the facts to stderr.
fn warn(warnings: &[silsila::Problem]) -> Result<()> {
    for warning in warnings {
        say(&format!("warning: {warning}"))?;
    }
    Ok(())
}

/// What `run.json` records beside `infer --out`'s files: the run's
/// parameters and the relations written, so a snapshot can be read back
/// (by `diff`) and told from a facts folder.
fn out_run_record(
    args: &InferArgs,
    model: &silsila::model::Model,
    relations: &[&str],
) -> serde_json::Value {
    let known = |d: Date| d.is_known().then(|| d.to_string());
    serde_json::json!({
        "silsila": env!("CARGO_PKG_VERSION"),
        "facts": args.facts.facts.display().to_string(),
        "as_of": known(model.as_of),
        "as_of_given": args.run.as_of.map(|d| d.to_string()),
        "recent_days": args.run.recent,
        "recent_since": known(model.recent_since),
        "known_by": args.run.known_by.map(|d| d.to_string()),
        "without_source": args.run.without_source,
        "min_reliability": args.run.min_reliability.map(|r| format!("{r:?}")),
        "relations": relations,
    })
}

/// The run's parameters, as the first sheet of a workbook shows them.
fn parameters(facts: &Path, run: &RunArgs, model: &silsila::model::Model) -> Vec<(String, String)> {
    vec![
        ("facts".into(), facts.display().to_string()),
        ("as_of".into(), show(model.as_of)),
        ("recent_days".into(), run.recent.to_string()),
        ("recent_since".into(), show(model.recent_since)),
        ("silsila".into(), env!("CARGO_PKG_VERSION").into()),
    ]
}

/// Writes the conclusions as a workbook at `path`, never over the facts.
fn write_workbook(
    path: &Path,
    args: &InferArgs,
    model: &silsila::model::Model,
    tables: &[render::Table],
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

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes one line to stderr; a stderr that cannot be written (full, or
/// closed) is an I/O error like any other, never a panic.
pub fn say(line: &str) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "{}", render::terminal(line))
        .and_then(|()| stderr.flush())
        .map_err(|source| Error::Io {
            path: PathBuf::from("<stderr>"),
            source,
        })
}

/// Writes one file per relation into `dir` (`NAME.json` with `--format
/// json`, `NAME.csv` otherwise), never into the facts folder, and removes
/// the outputs of earlier runs that this one does not replace, so the
/// folder holds one consistent set.
fn write_out(
    dir: &Path,
    facts: &Path,
    format: Format,
    every: &[&str],
    tables: impl Iterator<Item = Option<render::Table>>,
    run: &serde_json::Value,
) -> Result<()> {
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
    for table in tables.flatten() {
        let table = &table;
        let name = format!("{}.{extension}", table.name);
        let (path, file) = folder.create(&name)?;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let mut buffered = std::io::BufWriter::new(file);
        if format == Format::Json {
            let value = render::json(std::slice::from_ref(table));
            let rows = value.get(&table.name).cloned().unwrap_or_default();
            serde_json::to_writer_pretty(&mut buffered, &rows)
                .map_err(|e| io(std::io::Error::other(e)))?;
            buffered.write_all(b"\n").map_err(io)?;
        } else {
            render::write_csv(table, &mut buffered).map_err(io)?;
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
