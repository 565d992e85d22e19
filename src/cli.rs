//! The command line: clap types and what each subcommand does.
//!
//! Only `main.rs` decides exit codes; this module returns errors.

mod diff;
mod explain;
mod infer;
mod output;

use std::io::{IsTerminal, Write};

use std::path::{Path, PathBuf};

use diff::diff;
use explain::{about, explain};
use infer::infer;
use infer::{parameters, same_file};
pub use output::say;
use output::{print_json, stdout_error, warn, Terminal};

use clap::{Parser, Subcommand, ValueEnum};

use silsila::dl::syntax::DeclKind;
use silsila::error::Error;
use silsila::facts::{self, Date};
use silsila::progress::Progress;
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
    let loaded = facts::load_with(path, &rules::rules()?.constants, progress)?;
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
    let run = render::proof::run_given(&model, args.run.recent);
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

fn check(args: CheckArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
    let (facts, mut problems) = {
        let progress = args.facts.progress();
        facts::check_with(
            &args.facts.facts,
            &rules::rules()?.constants,
            progress.as_ref(),
        )?
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
    match args.format {
        ProofFormat::Text => {
            let report = render::check::text(&problems, &args.facts.facts.display().to_string());
            write!(stdout, "{}", render::terminal(&report)).map_err(stdout_error)?;
        }
        ProofFormat::Json => print_json(&render::check::json(&problems), stdout)?,
    }
    let (errors, _, _) = render::check::counts(&problems);
    if errors > 0 {
        // The problems are the output; the exit code says they are errors.
        return Err(Failure::Quiet);
    }
    Ok(())
}

/// The output relations named, or all of them, as indices.
fn chosen_relations(checked: &silsila::dl::program::Checked, names: &[String]) -> Vec<usize> {
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
