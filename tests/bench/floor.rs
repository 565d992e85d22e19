//! The scale benchmark's floor: silsila's own rules, as `src/build.rs`
//! generates them from `rules/*.dl`, without the grade every tuple carries
//! or the instance relations that record provenance, run by crepe over the
//! facts silsila loads. It derives what `infer` derives (all but the
//! merged `co_located`, which is computed after evaluation) and prints the
//! size of each relation crepe returned; it concludes and writes nothing.
//!
//! Where the baseline of `baseline.rs` measures a smaller program (the
//! co-location, lineage and current-descendant core), the floor measures
//! what crepe spends on the whole of `rules/`: what silsila spends beyond
//! it is the cost of grades, provenance, conclusions and output.
//!
//! Run by the scale benchmark as a child process: `scale floor DIR`.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

mod bare {
    include!(concat!(env!("OUT_DIR"), "/rules_bare.rs"));
}

/// Loads the facts at `args[0]`, evaluates the rules alone and prints
/// each derived relation's size, then the phase times on stderr.
pub fn main(args: &[String]) -> Result<(), Box<dyn Error>> {
    let dir = args.first().ok_or("usage: scale floor DIR")?;
    let started = Instant::now();
    let facts = silsila::load(Path::new(dir))?;
    let rules = silsila::rules::rules()?;
    let given = silsila::eval::given(&facts, rules, &silsila::eval::Options::default());
    let loaded = started.elapsed();
    let sizes = bare::evaluate(&given.constants, &given.inputs);
    let evaluated = started.elapsed() - loaded;
    for (relation, size) in rules.relations.iter().zip(sizes) {
        if relation.kind != silsila::dl::syntax::DeclKind::Input && relation.merges.is_none() {
            println!("{} {size}", relation.name);
        }
    }
    eprintln!(
        "floor: load {:.2} s, evaluate {:.2} s",
        loaded.as_secs_f64(),
        evaluated.as_secs_f64()
    );
    Ok(())
}
