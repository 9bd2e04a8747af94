//! The `changes` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = changes::cli::Cli::parse();
    ExitCode::from(changes::run(cli))
}
