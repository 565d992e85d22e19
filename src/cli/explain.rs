//! `silsila explain` (proofs, `--why-not`) and `silsila about` (one
//! entity's picture).

use std::io::Write;

use silsila::{conclusion, eval, render, rules};

use super::output::{print_json, stdout_error, text_width, warn};
use super::{load_facts, AboutArgs, ExplainArgs, Failure, ProofFormat};

pub(super) fn explain(
    args: ExplainArgs,
    stdout: &mut dyn Write,
) -> std::result::Result<(), Failure> {
    let checked = rules::rules()?;
    let progress = args.facts.progress();
    let facts = load_facts(&args.facts.facts, Some(&args.run), progress.as_ref())?;
    progress.phase("evaluating rules");
    let model = eval::run(&facts, &args.run.options())?;
    progress.phase("finding proofs");
    let context = render::proof::Context {
        facts: &facts,
        rules: checked,
        run: render::proof::run_given(&model, args.run.recent),
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
            let trees: Vec<_> = proofs
                .iter()
                .zip(&contrary)
                .map(|(p, contrary)| render::proof::Node {
                    contrary: Some(render::proof::contrary_json(&context, p, contrary)),
                    ..render::proof::json(&context, p)
                })
                .collect();
            print_json(&trees, stdout)?;
        }
    }
    Ok(())
}

pub(super) fn about(args: AboutArgs, stdout: &mut dyn Write) -> std::result::Result<(), Failure> {
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
            let text = render::about::text(&about, model.as_of, model.recent_since);
            write!(stdout, "{}", render::terminal(&text)).map_err(stdout_error)?;
        }
        ProofFormat::Json => print_json(&render::about::json(&about, model.as_of), stdout)?,
    }
    Ok(())
}
