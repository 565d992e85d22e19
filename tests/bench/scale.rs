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
//! or holds more than `SILSILA_BENCH_MEMORY` MiB (default 16384, on Linux,
//! where `/proc` tells) is stopped and reported as not finished, so the
//! table always appears and the machine is never driven out of memory.

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
                "--force",
            ]);
        }
        let _ = std::fs::remove_dir_all(&out);
        let (input_rows, input_bytes) = rows_and_bytes(&facts);
        let limits = Limits::from_env();
        let stderr = match run_limited(
            &[
                "infer",
                "--facts",
                path(&facts),
                "--out",
                path(&out),
                "--timings",
                "--quiet",
            ],
            &limits,
        ) {
            Ended::Finished(stderr) => stderr,
            Ended::Stopped(why) => {
                println!(
                    "| {scale} | {input_rows} | {:.1} | – | {why} | | | | | |",
                    input_bytes as f64 / 1e6
                );
                continue;
            }
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

/// How long and how large a run may grow before it is stopped.
struct Limits {
    seconds: u64,
    mebibytes: u64,
}

impl Limits {
    fn from_env() -> Limits {
        let read = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Limits {
            seconds: read("SILSILA_BENCH_LIMIT", 600),
            mebibytes: read("SILSILA_BENCH_MEMORY", 16_384),
        }
    }
}

/// How a limited run ended.
enum Ended {
    /// It finished; its stderr.
    Finished(String),
    /// It was stopped; why, for the table.
    Stopped(String),
}

/// Runs silsila within `limits`.
fn run_limited(args: &[&str], limits: &Limits) -> Ended {
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
            return Ended::Finished(text);
        }
        let elapsed = started.elapsed().as_secs();
        let resident = resident_mib(child.id()).unwrap_or(0);
        let why = if elapsed >= limits.seconds {
            Some(format!("did not finish in {} s", limits.seconds))
        } else if resident > limits.mebibytes {
            Some(format!(
                "stopped after {elapsed} s holding over {} MiB",
                limits.mebibytes
            ))
        } else {
            None
        };
        if let Some(why) = why {
            let _ = child.kill();
            let _ = child.wait();
            return Ended::Stopped(why);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The resident memory of a process, where `/proc` tells.
fn resident_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
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
