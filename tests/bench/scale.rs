//! The scale benchmark: `cargo bench --bench scale [-- SCALE... | chain]`.
//!
//! For each scale (default 1, 10 and 100) it generates synthetic facts with
//! `silsila generate` (once; reused while the files exist), then runs on
//! them, each as a child process, `silsila infer --out`, the floor of
//! `floor.rs` (silsila's rules alone, with no grades or provenance) and the
//! bare crepe baseline of `baseline.rs` (both this benchmark's own
//! executable, run as `scale floor DIR` and `scale baseline DIR`). It
//! prints a table of the wall time and peak memory of all three, silsila's
//! ratios to the other two, and silsila's phases as `infer --timings`
//! reports them, then the size of each relation the baseline derives.
//!
//! `chain` (run by default after the scales, or alone with `-- chain`)
//! writes two merger chains, `G0000 -> G0001 -> ... -> G0300` and one of
//! 5,000 rows, and times `silsila infer --out` on the first and
//! `silsila explain descends_from G5000 G0000`, the longest conclusion, on
//! the second, reporting whether each finished, failed or crashed.
//!
//! It measures; it asserts nothing, so no test ever fails because a machine
//! is slow. A run that takes longer than `SILSILA_BENCH_LIMIT` seconds
//! (default 600) or holds more than `SILSILA_BENCH_MEMORY` MiB (default
//! 16384, on Linux, where `/proc` tells) is stopped and reported as not
//! finished, so the tables always appear and the machine is never driven
//! out of memory.
//!
//! Peak memory is the kernel's own high-water mark of the child: where
//! `/usr/bin/time` (GNU time) exists, each child runs under it and its
//! `%M`, the `ru_maxrss` that `wait4` returns, is reported. That covers
//! the child's whole life, up to the instant it exits, which polling cannot
//! (the baseline's smallest runs last a fraction of a second), and needs no
//! `unsafe` or `libc`. Without it, `VmHWM` in `/proc/PID/status`, polled
//! every 20 ms, is reported, which may miss growth in a run's last moments.
//! Wall time is measured here, from spawning the child until it is reaped.

mod baseline;
mod floor;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SILSILA: &str = env!("CARGO_BIN_EXE_silsila");
/// GNU time, to learn each child's peak memory from `wait4`.
const TIME: &str = "/usr/bin/time";
/// The phases of `infer --timings` shown in the table.
const PHASES: [&str; 4] = ["load", "evaluate", "conclude", "write"];
/// The relations the baseline derives, in the order it prints them.
const BASELINE_RELATIONS: [&str; 5] = [
    "presence",
    "counts_for",
    "co_located",
    "descends_from",
    "current_descendant",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let child = match args.first().map(String::as_str) {
        Some("baseline") => Some(baseline::main(&args[1..])),
        Some("floor") => Some(floor::main(&args[1..])),
        _ => None,
    };
    if let Some(ended) = child {
        if let Err(e) = ended {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    // cargo passes --bench to benchmarks; numbers are scales, `chain` the
    // chain benchmark, and neither means everything.
    let mut scales: Vec<u32> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let mut chain = args.iter().any(|a| a == "chain");
    if scales.is_empty() && !chain {
        scales = vec![1, 10, 100];
        chain = true;
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale");
    std::fs::create_dir_all(&work).expect("the work folder can be made");
    let limits = Limits::from_env();
    println!(
        "Peak memory: {}; limits: {} s, {} MiB.\n",
        if Path::new(TIME).exists() {
            "ru_maxrss of each child, from /usr/bin/time"
        } else {
            "VmHWM of each child, polled every 20 ms"
        },
        limits.seconds,
        limits.mebibytes
    );
    if !scales.is_empty() {
        scale_table(&work, &scales, &limits);
    }
    if chain {
        chain_table(&work, &limits);
    }
}

/// Silsila and the baseline on generated facts at each scale.
fn scale_table(work: &Path, scales: &[u32], limits: &Limits) {
    let baseline_exe = std::env::current_exe().expect("the benchmark knows its executable");
    println!("| scale | input rows | output rows | silsila s | floor s | baseline s | time × floor | time × baseline | silsila MiB | floor MiB | baseline MiB | memory × floor | memory × baseline | load s | evaluate s | conclude s | write s |");
    println!(
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let mut derived = Vec::new();
    for &scale in scales {
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
        let (input_rows, _) = rows_and_bytes(&facts);
        let silsila = infer_out(&facts, &out, limits);
        let floor = measure(&baseline_exe, &["floor", path(&facts)], limits, false);
        let base = measure(&baseline_exe, &["baseline", path(&facts)], limits, true);
        let output_rows = if silsila.finished() {
            rows_and_bytes(&out).0.to_string()
        } else {
            "–".into()
        };
        let timings = silsila.timings();
        let phases: Vec<String> = PHASES
            .iter()
            .map(|name| phase(timings, name).unwrap_or_else(|| "–".into()))
            .collect();
        println!(
            "| {scale} | {input_rows} | {output_rows} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            silsila.seconds_cell(),
            floor.seconds_cell(),
            base.seconds_cell(),
            ratio(&silsila, &floor, |m| Some(m.seconds)),
            ratio(&silsila, &base, |m| Some(m.seconds)),
            silsila.mib_cell(),
            floor.mib_cell(),
            base.mib_cell(),
            ratio(&silsila, &floor, |m| m.peak_mib),
            ratio(&silsila, &base, |m| m.peak_mib),
            phases.join(" | "),
        );
        derived.push((scale, base));
    }
    println!("\nWhat the baseline derived (tuples):\n");
    println!("| scale | {} |", BASELINE_RELATIONS.join(" | "));
    println!("|---:|{}", "---:|".repeat(BASELINE_RELATIONS.len()));
    for (scale, base) in derived {
        let counts: Vec<String> = BASELINE_RELATIONS
            .iter()
            .map(|name| {
                base.stdout
                    .lines()
                    .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
                    .unwrap_or("–")
                    .to_string()
            })
            .collect();
        println!("| {scale} | {} |", counts.join(" | "));
    }
    println!();
}

/// `infer` on a 300-row merger chain and `explain` of the longest
/// conclusion of a 5,000-row one.
fn chain_table(work: &Path, limits: &Limits) {
    let short = work.join("chain-300");
    let long = work.join("chain-5000");
    let out = work.join("chain-300-out");
    write_chain(&short, 300);
    write_chain(&long, 5000);
    let _ = std::fs::remove_dir_all(&out);
    println!("| chain | command | ended | s | peak MiB | descends_from rows | silsila timings |");
    println!("|---|---|---|---:|---:|---:|---|");
    let infer = infer_out(&short, &out, limits);
    let descends = if infer.finished() {
        rows_and_bytes_of(&out.join("descends_from.csv"))
            .0
            .to_string()
    } else {
        "–".into()
    };
    println!(
        "| 300 rows | `infer --out` | {} | {:.2} | {} | {descends} | {} |",
        infer.ended_cell(),
        infer.seconds,
        infer.mib_cell(),
        infer.timings().unwrap_or("–"),
    );
    let explain = measure(
        Path::new(SILSILA),
        &[
            "explain",
            "--facts",
            path(&long),
            "--quiet",
            "descends_from",
            "G5000",
            "G0000",
        ],
        limits,
        false,
    );
    println!(
        "| 5,000 rows | `explain descends_from G5000 G0000` | {} | {:.2} | {} | – | printed {} bytes |",
        explain.ended_cell(),
        explain.seconds,
        explain.mib_cell(),
        explain.stdout_bytes,
    );
    println!();
}

/// Writes a facts folder holding a chain of `length` mergers (kind `split`)
/// from `G0000` to `G{length}`, one dated row and one source each, and the
/// groups in `entities.csv` (so that `silsila check` finds no problems: a
/// name used once would be flagged as nearly matching its neighbour).
fn write_chain(dir: &Path, length: u32) {
    std::fs::create_dir_all(dir).expect("the chain folder can be made");
    let date = |i: u32| {
        format!(
            "{}-{:02}-{:02}",
            1990 + i / 336,
            1 + (i / 28) % 12,
            1 + i % 28
        )
    };
    let mut entities = String::from("name,kind\n");
    let mut mergers = String::from("from,into,kind,date,source\n");
    let mut sources = String::from("id,publisher,title,date,url,reliability\n");
    for i in 0..=length {
        entities.push_str(&format!("G{i:04},group\n"));
    }
    for i in 0..length {
        let (from, into, day) = (i, i + 1, date(i));
        mergers.push_str(&format!(
            "G{from:04},G{into:04},split,{day},src-{into:04}\n"
        ));
        sources.push_str(&format!(
            "src-{into:04},Chain Monitor,G{into:04} splits from G{from:04},{day},https://example.org/chain/{into:04},B\n"
        ));
    }
    for (file, text) in [
        ("entities.csv", entities),
        ("mergers.csv", mergers),
        ("sources.csv", sources),
    ] {
        std::fs::write(dir.join(file), text).expect("the chain files can be written");
    }
}

/// `silsila infer --out` from `facts` into `out`, measured.
fn infer_out(facts: &Path, out: &Path, limits: &Limits) -> Measured {
    measure(
        Path::new(SILSILA),
        &[
            "infer",
            "--facts",
            path(facts),
            "--out",
            path(out),
            "--timings",
            "--quiet",
        ],
        limits,
        false,
    )
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

/// How a measured run ended.
enum Ended {
    /// It exited with success.
    Finished,
    /// It exited with a failure or was killed by a signal it did not get
    /// from us; how, for the table.
    Failed(String),
    /// We stopped it at a limit; why, for the table.
    Stopped(String),
}

/// One measured run of a child process.
struct Measured {
    ended: Ended,
    /// From spawning to reaping.
    seconds: f64,
    /// Peak resident memory, where the system tells it.
    peak_mib: Option<f64>,
    /// Its stdout, when kept, and how many bytes it printed.
    stdout: String,
    stdout_bytes: u64,
    stderr: String,
}

impl Measured {
    fn finished(&self) -> bool {
        matches!(self.ended, Ended::Finished)
    }

    /// What follows `timings: ` on stderr, when it finished.
    fn timings(&self) -> Option<&str> {
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix("timings: "))
            .filter(|_| self.finished())
    }

    fn ended_cell(&self) -> &str {
        match &self.ended {
            Ended::Finished => "finished",
            Ended::Failed(how) | Ended::Stopped(how) => how,
        }
    }

    fn seconds_cell(&self) -> String {
        match &self.ended {
            Ended::Finished => format!("{:.2}", self.seconds),
            Ended::Failed(how) => format!("{how} after {:.2} s", self.seconds),
            Ended::Stopped(why) => why.clone(),
        }
    }

    fn mib_cell(&self) -> String {
        match (self.peak_mib, self.finished()) {
            (Some(mib), true) => format!("{mib:.0}"),
            (Some(mib), false) => format!("{mib:.0} when it ended"),
            (None, _) => "?".into(),
        }
    }
}

/// `a / b` of a measure, when both runs finished.
fn ratio(a: &Measured, b: &Measured, measure: impl Fn(&Measured) -> Option<f64>) -> String {
    match (measure(a), measure(b)) {
        (Some(x), Some(y)) if a.finished() && b.finished() && y > 0.0 => {
            format!("{:.1}×", x / y)
        }
        _ => "–".into(),
    }
}

/// The value of one phase in a `--timings` line such as `load 0.41 s, …,
/// total 1.20 s; peak memory 250 MiB`, without its unit.
fn phase(timings: Option<&str>, name: &str) -> Option<String> {
    timings?
        .split([',', ';'])
        .map(str::trim)
        .find_map(|part| part.strip_prefix(name)?.strip_prefix(' '))
        .map(|rest| {
            rest.trim()
                .trim_end_matches(" s")
                .trim_end_matches(" MiB")
                .to_string()
        })
}

/// Runs `program` within `limits`, under GNU time where it exists; keeps
/// its stdout only when asked (an explanation can be large).
fn measure(program: &Path, args: &[&str], limits: &Limits, keep_stdout: bool) -> Measured {
    let wrapped = Path::new(TIME).exists();
    let report = tempfile::NamedTempFile::new().expect("a temporary file can be made");
    let mut command = if wrapped {
        let mut time = Command::new(TIME);
        time.arg("-o")
            .arg(report.path())
            .args(["-f", "maxrss %M", "--"]);
        time.arg(program);
        time
    } else {
        Command::new(program)
    };
    let started = Instant::now();
    let mut child = command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{} runs: {e}", program.display()));
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let stdout = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut bytes = 0;
        let mut buffer = vec![0; 1 << 16];
        while let Ok(n @ 1..) = std::io::Read::read(&mut stdout, &mut buffer) {
            bytes += n as u64;
            if keep_stdout {
                kept.extend_from_slice(&buffer[..n]);
            }
        }
        (String::from_utf8_lossy(&kept).into_owned(), bytes)
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    // A thread reaps the child so that the time it ended is exact; this
    // one watches the limits meanwhile.
    let wrapper = child.id();
    let (done, ended) = mpsc::channel();
    std::thread::spawn(move || {
        let status = child.wait();
        let _ = done.send((status, Instant::now()));
    });
    let mut measured = (!wrapped).then_some(wrapper);
    let mut polled_kib = 0;
    let mut stopped = None;
    let (status, at) = loop {
        match ended.recv_timeout(Duration::from_millis(20)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the child is reaped"),
        }
        if measured.is_none() {
            measured = child_of(wrapper);
        }
        let (resident, peak) = measured.and_then(memory_kib).unwrap_or((0, 0));
        polled_kib = polled_kib.max(peak);
        if stopped.is_some() {
            continue;
        }
        let elapsed = started.elapsed().as_secs();
        if elapsed >= limits.seconds {
            stopped = Some(format!("did not finish in {} s", limits.seconds));
        } else if resident / 1024 > limits.mebibytes {
            stopped = Some(format!(
                "stopped after {elapsed} s holding over {} MiB",
                limits.mebibytes
            ));
        }
        if stopped.is_some() {
            // Killing the measured process lets GNU time report on it.
            kill(measured.unwrap_or(wrapper));
        }
    };
    let seconds = at.duration_since(started).as_secs_f64();
    let status = status.expect("the child can be waited for");
    let (stdout, stdout_bytes) = stdout.join().expect("stdout is read");
    let stderr = stderr.join().expect("stderr is read");
    let report = std::fs::read_to_string(report.path()).unwrap_or_default();
    let peak_kib = if wrapped {
        report
            .lines()
            .find_map(|l| l.strip_prefix("maxrss ")?.trim().parse::<u64>().ok())
    } else {
        (polled_kib > 0).then_some(polled_kib)
    };
    let ended = match stopped {
        Some(why) => Ended::Stopped(why),
        None => match failure(wrapped, status, &report) {
            None => Ended::Finished,
            Some(mut how) => {
                if stderr.contains("has overflowed its stack") {
                    how.push_str(", stack overflow");
                }
                let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
                eprintln!(
                    "{} {args:?} {how}; its stderr ends:\n{}",
                    program.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
                Ended::Failed(how)
            }
        },
    };
    Measured {
        ended,
        seconds,
        peak_mib: peak_kib.map(|kib| kib as f64 / 1024.0),
        stdout,
        stdout_bytes,
        stderr,
    }
}

/// How a run failed, if it did: from GNU time's report when wrapped (its
/// own exit status mirrors the child's), else from the exit status.
fn failure(wrapped: bool, status: ExitStatus, report: &str) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if wrapped {
        for line in report.lines() {
            if let Some(signal) = line.strip_prefix("Command terminated by signal ") {
                let signal = signal.trim().parse().unwrap_or(0);
                return Some(format!("crashed: signal {signal}{}", signal_name(signal)));
            }
            if let Some(code) = line.strip_prefix("Command exited with non-zero status ") {
                return Some(format!("failed: exit status {}", code.trim()));
            }
        }
    }
    if status.success() {
        None
    } else if let Some(signal) = status.signal() {
        Some(format!("crashed: signal {signal}{}", signal_name(signal)))
    } else {
        Some(format!(
            "failed: exit status {}",
            status.code().unwrap_or(-1)
        ))
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        _ => "",
    }
}

/// The first child of a process (the program GNU time runs).
fn child_of(pid: u32) -> Option<u32> {
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

/// The resident and peak resident memory of a process, in KiB, where
/// `/proc` tells.
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Sends SIGKILL to a process (std can only kill a child it holds, and the
/// measured process is GNU time's child).
fn kill(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
}

/// Data rows (headers not counted) and bytes of the CSV files in a folder.
fn rows_and_bytes(dir: &Path) -> (u64, u64) {
    let mut rows = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).expect("the folder exists") {
        let path = entry.expect("a folder entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            let (r, b) = rows_and_bytes_of(&path);
            rows += r;
            bytes += b;
        }
    }
    (rows, bytes)
}

/// Data rows and bytes of one CSV file.
fn rows_and_bytes_of(path: &Path) -> (u64, u64) {
    let text = std::fs::read(path).expect("the file reads");
    let mut reader = csv::Reader::from_reader(text.as_slice());
    (reader.byte_records().count() as u64, text.len() as u64)
}
