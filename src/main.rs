//! The `changes` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match changes::cli::Cli::try_parse_from(&arguments) {
        Ok(cli) => ExitCode::from(changes::run(cli)),
        // Odd bytes in an argument or a variable (a worktree path, CHANGES_MODELS) must not
        // stop the user's commit or push: one warning, and git goes on.
        Err(error) if changes::cli::called_by_git(&arguments) && error.use_stderr() => {
            let reason = error.kind().to_string();
            eprintln!("changes: warning: cannot read the hook's arguments ({reason}); git goes on");
            ExitCode::SUCCESS
        }
        Err(error) => error.exit(),
    }
}
