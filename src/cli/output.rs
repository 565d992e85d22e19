//! What the command line writes beside its results: progress on a
//! terminal, warnings and timings on stderr, JSON on stdout, and the width
//! text may take.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use silsila::error::{Error, Result};
use silsila::progress::Progress;
use silsila::render;

/// Wall time per phase, for `--timings`.
pub(super) struct Clock {
    started: Instant,
    last: Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Clock {
    pub(super) fn new() -> Clock {
        let now = Instant::now();
        Clock {
            started: now,
            last: now,
            phases: Vec::new(),
        }
    }

    /// Ends the phase that ran since the last call; a phase run several
    /// times (concluding and writing relation by relation) adds up.
    pub(super) fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        match self.phases.iter_mut().find(|(name, _)| *name == phase) {
            Some((_, total)) => *total += seconds,
            None => self.phases.push((phase, seconds)),
        }
        self.last = now;
    }

    /// `timings: load 0.41 s, … total 1.20 s; peak memory 250 MiB`.
    pub(super) fn report(&self) -> String {
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
pub(super) fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Progress on a terminal: a bar while files are read, then a spinner that
/// names the phase.
pub(super) struct Terminal {
    bar: ProgressBar,
}

impl Terminal {
    pub(super) fn new() -> Terminal {
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

pub(super) fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    }
}

pub(super) fn print_json(value: &impl serde::Serialize, stdout: &mut dyn Write) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| stdout_error(std::io::Error::other(e)))?;
    writeln!(stdout, "{text}").map_err(stdout_error)
}

/// The columns text explanations may take: the terminal's, when stdout is
/// one, else 100.
pub(super) fn text_width() -> usize {
    let terminal = std::io::stdout().is_terminal();
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(width), _)) if terminal => usize::from(width).max(40),
        _ => 100,
    }
}

/// Prints warnings about the facts to stderr.
pub(super) fn warn(warnings: &[silsila::Problem]) -> Result<()> {
    for warning in warnings {
        say(&format!("warning: {warning}"))?;
    }
    Ok(())
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
