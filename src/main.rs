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
    match cli::run(cli, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(cli::Failure::Run(silsila::Error::Io { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            // The reader went away (`silsila infer | head`): not an error.
            ExitCode::SUCCESS
        }
        Err(cli::Failure::Quiet) => ExitCode::FAILURE,
        Err(cli::Failure::Run(silsila::Error::Facts(problems))) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            ExitCode::FAILURE
        }
        Err(cli::Failure::Run(error)) => {
            // One error; any further lines (such as suggestions) belong to it.
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
