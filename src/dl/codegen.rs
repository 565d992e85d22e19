//! Turns a checked program into one `crepe!` program plus the glue that
//! feeds it facts and reads back every derived relation.
//!
//! Run by the build script (and by a unit test that pins its output for
//! one small program). Every relation gains a last column, its
//! [`Grade`](crate::facts::Grade): a rule's conclusion takes the weakest grade
//! of its positive premises, at most what its hedged tests leave (a possible
//! overlap of dates: `doubtful`), and one step less for a relation declared
//! `inferred`, so no rule can claim more confidence than its premises carry. Quoted constants become a `Constant(k, symbol)` input
//! joined first, because symbols are only known once the facts are loaded.
//! Generated rule order equals parsed rule order.

use std::fmt::Write;

use crate::dl::instance::{self, Layout, Slot};
use crate::dl::program::{Checked, Step};
use crate::dl::syntax::{CmpOp, DeclKind};
use crate::dl::types::Type;

/// The struct name crepe uses for a relation.
pub fn struct_name(relation: &str) -> String {
    let mut name = String::from("Rel");
    for part in relation.split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// The struct name of rule `index`'s instances.
pub fn fired_name(index: usize) -> String {
    format!("Fired{index}")
}

/// The Rust code of one slot of a rule's instance layout.
fn slot_code(slot: Slot, layout: &Layout) -> String {
    match slot {
        Slot::Capture(i) => capture_code(layout, i),
        Slot::Constant(k) => format!("c{k}"),
        Slot::Any => "_".into(),
    }
}

/// The variable holding capture `i`: `v_NAME` for a rule variable, `w_N`
/// for a captured `_`.
fn capture_code(layout: &Layout, i: usize) -> String {
    let name = &layout.captures[i].0;
    match name.strip_prefix('_') {
        Some(n) => format!("w_{n}"),
        None => format!("v_{name}"),
    }
}

/// The constants a rule's slots use, in order of first use.
fn constants_of<'s>(slots: impl Iterator<Item = &'s Slot>) -> Vec<usize> {
    let mut used = Vec::new();
    for slot in slots {
        if let Slot::Constant(k) = slot {
            if !used.contains(k) {
                used.push(*k);
            }
        }
    }
    used
}

/// What a generated program carries besides the rules' own columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carry {
    /// A grade in every tuple and an instance relation per rule: the
    /// program silsila runs.
    Provenance,
    /// Nothing: the rules alone, as the scale benchmark's floor measures
    /// what crepe itself spends on them.
    Nothing,
}

/// Generates one rule. Carrying provenance, it is two crepe rules: the
/// body derives an instance, recording every captured value and each
/// premise's grade, and the head is derived from the instance. Carrying
/// nothing, it is the rule itself. `krate` is the path built-ins are
/// called through.
fn generate_rule(
    checked: &Checked,
    index: usize,
    rule: &crate::dl::program::Rule,
    (carry, krate): (Carry, &str),
    out: &mut String,
) {
    let graded = carry == Carry::Provenance;
    let layout = instance::layout(checked, index);
    let _ = writeln!(out, "        // {} ({})", rule.name, rule.loc);
    let mut clauses: Vec<String> = constants_of(layout.steps.iter().flatten())
        .into_iter()
        .map(|k| format!("Constant({k}u32, c{k})"))
        .collect();
    let mut grades = Vec::new();
    let mut caps: Vec<String> = Vec::new();
    let mut bound: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let code = |slot: Slot| slot_code(slot, &layout);
    for (step, slots) in rule.steps.iter().zip(&layout.steps) {
        match step {
            Step::Scan { relation, .. } => {
                let mut fields = Vec::new();
                let mut equalities = Vec::new();
                let mut here = std::collections::HashSet::new();
                for &slot in slots {
                    match slot {
                        Slot::Capture(i) if !bound.contains(&i) && !here.insert(i) => {
                            // crepe cannot join a variable with itself
                            // inside one atom: bind a copy and test.
                            let copy = format!("{}__{}", code(slot), equalities.len());
                            equalities.push(format!("({} == {copy})", code(slot)));
                            fields.push(copy);
                        }
                        _ => fields.push(code(slot)),
                    }
                }
                bound.extend(here);
                if graded {
                    let grade = format!("grade_{}", grades.len());
                    fields.push(grade.clone());
                    grades.push(grade);
                }
                clauses.push(format!(
                    "{}({})",
                    struct_name(&checked.relations[*relation].name),
                    fields.join(", ")
                ));
                clauses.extend(equalities);
            }
            Step::Absent { relation, .. } => {
                let mut fields: Vec<String> = slots.iter().map(|&s| code(s)).collect();
                if graded {
                    fields.push("_".into());
                }
                clauses.push(format!(
                    "!{}({})",
                    struct_name(&checked.relations[*relation].name),
                    fields.join(", ")
                ));
            }
            Step::Test { builtin, .. } => {
                let args: Vec<String> = slots.iter().map(|&s| code(s)).collect();
                let builtin = &crate::dl::builtins::BUILTINS[*builtin];
                if builtin.is_hedged() {
                    // A hedged test holds when it gives a cap, and the
                    // cap bounds the conclusion's confidence.
                    let cap = format!("cap_{}", caps.len());
                    clauses.push(format!(
                        "let {cap} = {krate}::builtin::{}({})",
                        builtin.name,
                        args.join(", ")
                    ));
                    clauses.push(format!("({cap}.is_some())"));
                    caps.push(cap);
                } else {
                    clauses.push(format!(
                        "({krate}::builtin::{}({}))",
                        builtin.name,
                        args.join(", ")
                    ));
                }
            }
            Step::Bind { builtin, .. } => {
                let (var, args) = slots.split_last().expect("a binding has its variable");
                if let Slot::Capture(i) = var {
                    bound.insert(*i);
                }
                let args: Vec<String> = args.iter().map(|&s| code(s)).collect();
                clauses.push(format!(
                    "let {} = {krate}::builtin::{}({})",
                    code(*var),
                    crate::dl::builtins::BUILTINS[*builtin].name,
                    args.join(", ")
                ));
            }
            Step::Let { .. } => {
                if let Slot::Capture(i) = slots[1] {
                    bound.insert(i);
                }
                clauses.push(format!("let {} = {}", code(slots[1]), code(slots[0])));
            }
            Step::Compare { op, .. } => {
                let op = match op {
                    CmpOp::Eq => "==",
                    CmpOp::Ne => "!=",
                    CmpOp::Lt => "<",
                };
                clauses.push(format!("({} {op} {})", code(slots[0]), code(slots[1])));
            }
        }
    }
    if !graded {
        // The head's constants that the body does not join already.
        let body = constants_of(layout.steps.iter().flatten());
        let mut joined: Vec<String> = constants_of(layout.head.iter())
            .into_iter()
            .filter(|k| !body.contains(k))
            .map(|k| format!("Constant({k}u32, c{k})"))
            .collect();
        joined.append(&mut clauses);
        let head: Vec<String> = layout.head.iter().map(|&s| code(s)).collect();
        let _ = writeln!(
            out,
            "        {}({}) <-\n            {};\n",
            struct_name(&checked.relations[rule.head].name),
            head.join(", "),
            joined.join(",\n            ")
        );
        return;
    }
    let mut grade = match grades.split_first() {
        None => "Grade::CERTAIN".to_string(),
        Some((first, rest)) => rest
            .iter()
            .fold(first.clone(), |acc, g| format!("{acc}.weakest({g})")),
    };
    for cap in &caps {
        grade = format!("{grade}.at_most({cap})");
    }
    if checked.relations[rule.head].inferred {
        grade = format!("{grade}.inferred()");
    }
    clauses.push(format!("let grade = {grade}"));
    let mut fired: Vec<String> = (0..layout.captures.len())
        .map(|i| capture_code(&layout, i))
        .collect();
    fired.extend(grades.iter().cloned());
    fired.push("grade".into());
    let _ = writeln!(
        out,
        "        {}({}) <-\n            {};\n",
        fired_name(index),
        fired.join(", "),
        clauses.join(",\n            ")
    );
    // The head, from the instance: only the captures it names.
    let in_head: std::collections::HashSet<usize> = layout
        .head
        .iter()
        .filter_map(|s| match s {
            Slot::Capture(i) => Some(*i),
            _ => None,
        })
        .collect();
    let mut read: Vec<String> = (0..layout.captures.len())
        .map(|i| {
            if in_head.contains(&i) {
                capture_code(&layout, i)
            } else {
                "_".into()
            }
        })
        .collect();
    read.extend(grades.iter().map(|_| "_".to_string()));
    read.push("grade".into());
    let mut head_clauses: Vec<String> = constants_of(layout.head.iter())
        .into_iter()
        .map(|k| format!("Constant({k}u32, c{k})"))
        .collect();
    head_clauses.push(format!("{}({})", fired_name(index), read.join(", ")));
    let mut head: Vec<String> = layout.head.iter().map(|&s| code(s)).collect();
    head.push("grade".into());
    let _ = writeln!(
        out,
        "        {}({}) <-\n            {};\n",
        struct_name(&checked.relations[rule.head].name),
        head.join(", "),
        head_clauses.join(",\n            ")
    );
}

/// Generates `rules.rs`: the crepe program and its `evaluate` function.
pub fn generate(checked: &Checked) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by src/build.rs from rules/*.dl: edit the rules, not this file.\n"
    );
    out.push_str("mod crepe_program {\n");
    out.push_str("    #![allow(clippy::all, unused_parens, unused_variables, non_snake_case)]\n");
    out.push_str("    use crate::facts::{Date, Grade, Symbol};\n\n");
    relation_structs(checked, Carry::Provenance, &mut out);
    for index in 0..checked.rules.len() {
        let layout = instance::layout(checked, index);
        let mut fields: Vec<String> = layout
            .captures
            .iter()
            .map(|(_, ty)| format!("pub {}", ty.rust()))
            .collect();
        fields.extend(layout.premises.iter().map(|_| "pub Grade".to_string()));
        fields.push("pub Grade".into());
        let _ = writeln!(
            out,
            "        @output\n        pub struct {}({});\n",
            fired_name(index),
            fields.join(", ")
        );
    }
    for (index, rule) in checked.rules.iter().enumerate() {
        generate_rule(checked, index, rule, (Carry::Provenance, "crate"), &mut out);
    }
    out.push_str("    }\n}\n\n");
    generate_evaluate(checked, &mut out);
    out
}

/// The start of a crepe program: the constants and one struct per
/// relation crepe sees.
fn relation_structs(checked: &Checked, carry: Carry, out: &mut String) {
    out.push_str("    crepe::crepe! {\n");
    out.push_str("        @input\n        pub struct Constant(pub u32, pub Symbol);\n\n");
    // A merged relation is computed after evaluation (`crate::merge`), so
    // crepe never sees it.
    for relation in checked.relations.iter().filter(|r| r.merges.is_none()) {
        let attribute = if relation.kind == DeclKind::Input {
            "@input"
        } else {
            // Every derived relation is an output, so that explanations can
            // find the premises of any conclusion.
            "@output"
        };
        let mut fields: Vec<String> = relation
            .columns
            .iter()
            .map(|(_, ty)| format!("pub {}", ty.rust()))
            .collect();
        if carry == Carry::Provenance {
            fields.push("pub Grade".into());
        }
        let _ = writeln!(
            out,
            "        {attribute}\n        pub struct {}({});\n",
            struct_name(&relation.name),
            fields.join(", ")
        );
    }
}

/// The derived relations crepe returns, by index.
fn outputs(checked: &Checked) -> Vec<usize> {
    checked
        .relations
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind != DeclKind::Input && r.merges.is_none())
        .map(|(i, _)| i)
        .collect()
}

/// Feeds the constants and every input relation's tuples to `runtime`,
/// a `module::Crepe`.
fn feed_inputs(checked: &Checked, module: &str, carry: Carry, out: &mut String) {
    let _ = writeln!(out, "    let mut runtime = {module}::Crepe::new();");
    let _ = writeln!(
        out,
        "    runtime.extend(constants.iter().enumerate().map(|(k, &symbol)| {module}::Constant(k as u32, symbol)));",
    );
    for (i, relation) in checked.relations.iter().enumerate() {
        if relation.kind != DeclKind::Input {
            continue;
        }
        let mut fields: Vec<String> = relation
            .columns
            .iter()
            .enumerate()
            .map(|(c, (_, ty))| {
                if *ty == Type::Date {
                    format!("t.date({c})")
                } else {
                    format!("t.symbol({c})")
                }
            })
            .collect();
        if carry == Carry::Provenance {
            fields.push("t.grade".into());
        }
        let _ = writeln!(
            out,
            "    if let Some(rows) = inputs.get({i}) {{\n        runtime.extend(rows.iter().map(|t| {module}::{}({})));\n    }}",
            struct_name(&relation.name),
            fields.join(", ")
        );
    }
}

/// Generates the rules alone, with no grades and no instance relations:
/// the scale benchmark's floor (`tests/bench/floor.rs`), what crepe spends
/// on silsila's rules before any provenance. `krate` names the library
/// (`silsila`, from outside it). Its `evaluate` returns how many tuples
/// each relation crepe derived holds, indexed like the relations (none
/// for inputs and merged relations).
pub fn generate_bare(checked: &Checked, krate: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by src/build.rs from rules/*.dl: edit the rules, not this file.\n"
    );
    out.push_str("mod bare_program {\n");
    out.push_str("    #![allow(clippy::all, unused_parens, unused_variables, non_snake_case)]\n");
    let _ = writeln!(out, "    use {krate}::facts::{{Date, Symbol}};\n");
    relation_structs(checked, Carry::Nothing, &mut out);
    for (index, rule) in checked.rules.iter().enumerate() {
        generate_rule(checked, index, rule, (Carry::Nothing, krate), &mut out);
    }
    out.push_str("    }\n}\n\n");
    out.push_str(
        "/// Runs the rules alone. `inputs` has one entry per relation, in\n\
         /// declaration order (derived ones empty); the result, how many\n\
         /// tuples each derived relation holds.\n",
    );
    let _ = writeln!(
        out,
        "#[allow(clippy::all)]\npub fn evaluate(constants: &[{krate}::facts::Symbol], inputs: &[Vec<{krate}::model::Tuple>]) -> Vec<usize> {{"
    );
    feed_inputs(checked, "bare_program", Carry::Nothing, &mut out);
    let outputs = outputs(checked);
    let names: Vec<String> = outputs.iter().map(|i| format!("out{i}")).collect();
    let _ = writeln!(
        out,
        "    let ({},) = runtime.run_with_hasher::<rustc_hash::FxBuildHasher>();",
        names.join(", ")
    );
    let _ = writeln!(
        out,
        "    let mut sizes = vec![0; {}];",
        checked.relations.len()
    );
    for i in &outputs {
        let _ = writeln!(out, "    sizes[{i}] = out{i}.len();");
    }
    out.push_str("    sizes\n}\n");
    out
}

fn generate_evaluate(checked: &Checked, out: &mut String) {
    out.push_str(
        "/// Runs the compiled rules. `inputs` has one entry per relation, in\n\
         /// declaration order (derived ones empty); the result has every\n\
         /// derived relation at its index (empty for inputs and merged relations), and every rule's recorded\n\
         /// instances at its index.\n",
    );
    out.push_str("#[allow(clippy::all)]\nfn evaluate(constants: &[Symbol], inputs: &[Vec<Tuple>]) -> (Vec<Relation>, Vec<Instances>) {\n");
    feed_inputs(checked, "crepe_program", Carry::Provenance, out);
    let outputs = outputs(checked);
    let mut names: Vec<String> = outputs.iter().map(|i| format!("out{i}")).collect();
    names.extend((0..checked.rules.len()).map(|k| format!("fired{k}")));
    let _ = writeln!(
        out,
        "    let ({},) = runtime.run_with_hasher::<rustc_hash::FxBuildHasher>();",
        names.join(", ")
    );
    // Each relation and each rule's instances are collected (sorted and
    // made flat) as a job of its own, and the jobs run on every core.
    let _ = writeln!(
        out,
        "    let mut jobs: Vec<Collect> = Vec::with_capacity({});",
        outputs.len() + checked.rules.len()
    );
    let value = |name: &str, ty: Type| {
        if ty == Type::Date {
            format!("Value::Date({name})")
        } else {
            format!("Value::Name({name})")
        }
    };
    for i in &outputs {
        let relation = &checked.relations[*i];
        let vars: Vec<String> = (0..relation.columns.len())
            .map(|c| format!("x{c}"))
            .collect();
        let values: Vec<String> = relation
            .columns
            .iter()
            .enumerate()
            .map(|(c, (_, ty))| value(&format!("x{c}"), *ty))
            .collect();
        let _ = writeln!(
            out,
            "    jobs.push(Collect::relation({i}, out{i}.len(), move || Relation::collect(out{i}.into_iter().map(|crepe_program::{}({}, grade)| ([{}], grade)))));",
            struct_name(&relation.name),
            vars.join(", "),
            values.join(", ")
        );
    }
    for k in 0..checked.rules.len() {
        let layout = instance::layout(checked, k);
        let vars: Vec<String> = (0..layout.captures.len())
            .map(|c| format!("x{c}"))
            .collect();
        let grades: Vec<String> = (0..=layout.premises.len())
            .map(|g| format!("g{g}"))
            .collect();
        let values: Vec<String> = layout
            .captures
            .iter()
            .enumerate()
            .map(|(c, (_, ty))| value(&format!("x{c}"), *ty))
            .collect();
        let mut fields = vars.clone();
        fields.extend(grades.iter().cloned());
        let _ = writeln!(
            out,
            "    jobs.push(Collect::instances({k}, fired{k}.len(), move || Instances::collect(fired{k}.into_iter().map(|crepe_program::{}({})| ([{}], [{}])))));",
            fired_name(k),
            fields.join(", "),
            values.join(", "),
            grades.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "    Collect::run(jobs, {}, {})\n}}",
        checked.relations.len(),
        checked.rules.len()
    );
}

#[cfg(test)]
mod tests {
    /// The crepe program generated for one small rule file, pinned, so that
    /// a change to the code generator shows as a reviewable diff; the same
    /// file is compiled and run by `eval`'s tests.
    #[test]
    fn generates_the_small_program_as_pinned() {
        let text = include_str!("../../tests/ui/pass/lineage.dl");
        let checked = crate::dl::check::compile(&[("tests/ui/pass/lineage.dl", text)]).unwrap();
        insta::with_settings!({
            input_file => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/pass/lineage.dl"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!("generated_lineage", super::generate(&checked));
        });
    }
}
