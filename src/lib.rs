//! `changes`: drafts commit messages and reviews pushes by asking several language models at
//! once. The binary only parses arguments and calls [`run`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod env;
pub mod error;
pub mod files;
pub mod git;
pub mod llm;
pub mod report;
pub mod summarize;
pub mod ui;

use cli::{Cli, Command};
use commands::Context;
use config::FlagOverrides;
use env::Environment;
use error::{Error, Kind};
use ui::Printer;

/// Runs one command line and returns the process exit code. Errors are printed here, once.
pub fn run(cli: Cli) -> u8 {
    let environment = Environment::capture();
    let printer = Printer::new(cli.no_color, &environment, cli.verbose);
    let context = Context {
        environment,
        printer,
        models: cli
            .models
            .iter()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect(),
        flags: FlagOverrides {
            timeout: cli.timeout,
        },
    };
    let result = match &cli.command {
        Command::Hook(args) => commands::hook::cmd_hook(&context, args),
        Command::Models(args) => commands::models::cmd_models(&context, args),
        Command::Config(args) => commands::config::cmd_config(&context, args),
        Command::Report(_) => Err(Error::unavailable("`changes report`")),
        Command::Completions(_) => Err(Error::unavailable("`changes completions`")),
    };
    match result {
        Ok(()) => 0,
        Err(error) if error.kind == Kind::BrokenPipe => 0,
        Err(error) => {
            context.printer.error(&error);
            error.exit_code()
        }
    }
}
