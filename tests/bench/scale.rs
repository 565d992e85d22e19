//! The scale benchmark: `cargo bench --bench scale [-- SCALE...]`.
//!
//! For each scale (default 1, 10 and 100) it generates synthetic facts with
//! `silsila generate` (once; reused while the files exist), runs
//! `silsila infer --out` on them, and prints a table of the wall time of
//! each phase and the peak memory, as `infer --timings` reports them, with
//! the size of the input and of the output. It measures; it asserts
//! nothing, so no test ever fails because a machine is slow.
//!
//! A run that takes longer than `SILSILA_BENCH_LIMIT` seconds (default 600)
//! is stopped and reported as not finished, so the table always appears.

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
        let (input_rows, input_bytes) = rows_and_bytes(&facts);
        let limit = limit();
        let Some(stderr) = run_limited(
            &[
                "infer",
                "--facts",
                path(&facts),
                "--out",
                path(&out),
                "--timings",
                "--quiet",
            ],
            limit,
        ) else {
            println!(
                "| {scale} | {input_rows} | {:.1} | – | did not finish in {limit} s | | | | | |",
                input_bytes as f64 / 1e6
            );
            continue;
        };
        let timings = stderr
            .lines()
            .find_map(|l| l.strip_prefix("timings: "))
            .unwrap_or_else(|| panic!("infer printed no timings:\n{stderr}"));
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

/// The time limit per run, in seconds.
fn limit() -> u64 {
    std::env::var("SILSILA_BENCH_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600)
}

/// Runs silsila for at most `limit` seconds; its stderr, or `None` if it
/// had to be stopped.
fn run_limited(args: &[&str], limit: u64) -> Option<String> {
    let mut child = Command::new(SILSILA)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("silsila runs");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("silsila can be waited for") {
            let text = reader.join().expect("stderr is read");
            assert!(status.success(), "silsila {args:?} failed:\n{text}");
            return Some(text);
        }
        if started.elapsed().as_secs() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
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
