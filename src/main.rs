//! The `silsila` command line: parses arguments, calls the library, prints
//! `error: …` lines and sets the exit code.
//!
//! Exit codes: 0 success; 1 bad facts or rules, or an I/O error; 2 a bad
//! command line.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let (code, lines) = match cli::run(cli, &mut stdout) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(cli::Failure::Usage(message)) => (2, vec![message]),
        Err(cli::Failure::Run(silsila::Error::Io { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            // The reader went away (`silsila infer | head`): not an error.
            return ExitCode::SUCCESS;
        }
        Err(cli::Failure::Run(silsila::Error::Io { path, .. }))
            if path.as_os_str() == "<stderr>" =>
        {
            // Nowhere left to say why.
            return ExitCode::FAILURE;
        }
        Err(cli::Failure::Quiet) => return ExitCode::FAILURE,
        Err(cli::Failure::Run(silsila::Error::Facts(problems))) => {
            // Errors and the warnings beside them, each with its label.
            let lines = problems.iter().map(|p| match p.severity {
                silsila::Severity::Error => format!("error: {p}"),
                silsila::Severity::Warning => format!("warning: {p}"),
                silsila::Severity::Note => format!("note: {p}"),
            });
            for line in lines {
                if cli::say(&line).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            return ExitCode::FAILURE;
        }
        Err(cli::Failure::Run(silsila::Error::Usage(message))) => (2, vec![message]),
        // One error; any further lines (such as suggestions) belong to it.
        Err(cli::Failure::Run(error)) => (1, vec![error.to_string()]),
    };
    for line in lines {
        if cli::say(&format!("error: {line}")).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::from(code)
}
