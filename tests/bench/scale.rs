//! The scale benchmark: `cargo bench --bench scale [-- SCALE...]`.
//!
//! For each scale (default 1, 10 and 100) it generates synthetic facts with
//! `silsila generate` (once; reused while the files exist), runs
//! `silsila infer --out` on them, and prints a table of the wall time of
//! each phase and the peak memory, as `infer --timings` reports them, with
//! the size of the input and of the output. It measures; it asserts
//! nothing, so no test ever fails because a machine is slow.

use std::path::{Path, PathBuf};
use std::process::Command;

const SILSILA: &str = env!("CARGO_BIN_EXE_silsila");

fn main() {
    // cargo passes --bench to benchmarks; only numbers are scales.
    let mut scales: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if scales.is_empty() {
        scales = vec![1, 10, 100];
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale");
    println!("| scale | input rows | input MB | output rows | load s | evaluate s | conclude s | write s | total s | peak MiB |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for scale in scales {
        let facts = work.join(format!("facts-{scale}"));
        let out = work.join(format!("out-{scale}"));
        if !facts.join("sources.csv").exists() {
            run(&[
                "generate",
                "--scale",
                &scale.to_string(),
                "--out",
                path(&facts),
            ]);
        }
        let _ = std::fs::remove_dir_all(&out);
        let stderr = run(&[
            "infer",
            "--facts",
            path(&facts),
            "--out",
            path(&out),
            "--timings",
            "--quiet",
        ]);
        let timings = stderr
            .lines()
            .find_map(|l| l.strip_prefix("timings: "))
            .unwrap_or_else(|| panic!("infer printed no timings:\n{stderr}"));
        let (input_rows, input_bytes) = rows_and_bytes(&facts);
        let (output_rows, _) = rows_and_bytes(&out);
        let phase = |name: &str| {
            timings
                .split([',', ';'])
                .map(str::trim)
                .find_map(|part| part.strip_prefix(name))
                .map(|rest| {
                    rest.trim()
                        .trim_end_matches(" s")
                        .trim_end_matches(" MiB")
                        .to_string()
                })
                .unwrap_or_else(|| "?".into())
        };
        println!(
            "| {scale} | {input_rows} | {:.1} | {output_rows} | {} | {} | {} | {} | {} | {} |",
            input_bytes as f64 / 1e6,
            phase("load"),
            phase("evaluate"),
            phase("conclude"),
            phase("write"),
            phase("total"),
            phase("peak memory"),
        );
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("the target directory has a UTF-8 path")
}

/// Runs silsila, failing loudly if it fails; returns its stderr.
fn run(args: &[&str]) -> String {
    let output = Command::new(SILSILA)
        .args(args)
        .output()
        .expect("silsila runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "silsila {args:?} failed:\n{stderr}"
    );
    stderr
}

/// Data rows (headers not counted) and bytes of the CSV files in a folder.
fn rows_and_bytes(dir: &Path) -> (u64, u64) {
    let mut rows = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).expect("the folder exists") {
        let path = entry.expect("a folder entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read(&path).expect("the file reads");
            bytes += text.len() as u64;
            let mut reader = csv::Reader::from_reader(text.as_slice());
            rows += reader.byte_records().count() as u64;
        }
    }
    (rows, bytes)
}
