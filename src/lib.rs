//! `changes`: drafts commit messages and reviews pushes by asking several language models at
//! once. The binary only parses arguments and calls [`run`].

// Data flows one way: `git` collects a change, `privacy` decides what of it may be sent,
// `engine` plans and asks the models (`llm` over the network, `offline` on the machine),
// `report` renders what they answered, and `commands` ties each command to that flow.

/// What models produce: commit messages, reviews, period summaries, typed failures and skips.
mod answer;
/// Deterministic checks of a push, run before any model.
mod checks;
/// The command tree, parsed by clap.
pub mod cli;
/// One module per command.
mod commands;
/// Layered YAML configuration resolved once into `Settings`.
pub mod config;
/// The repository's language: its history profile and declared rules, and drafts checked
/// against them.
mod conventions;
/// From a change to every model's answer: plan, run, merge.
pub mod engine;
/// Every environment variable read, and the snapshot taken at start-up.
mod env;
/// The error type that reaches `main`, with its exit code and hints.
mod error;
/// File writes that never leave a partial file.
mod files;
/// Publishing reports as a GitHub gist.
mod gist;
/// Everything read from git.
pub mod git;
/// Network models: provider adapters, the HTTP client, retries.
mod llm;
/// The built-in offline engine (`local`).
mod offline;
/// What may leave the machine: path rules, redaction, their vocabulary.
mod privacy;
/// Subprocesses, each with a time limit.
mod process;
/// Renderers and structured outputs.
mod report;
/// Keys that never show themselves.
mod secret;
/// Shared text formats: sizes, durations, commit ids.
mod text;
/// The printer and the live display.
mod ui;

use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};

use cli::{Cli, Command, HookArgs, HookCommand, RunArgs};
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
        flags: FlagOverrides { timeout: cli.timeout },
        format: cli.format,
    };
    let called_by_git = matches!(
        &cli.command,
        Command::Hook(HookArgs { command: HookCommand::Run(RunArgs { hook: Some(_), .. }) })
    );
    if called_by_git {
        // A bug of ours must not stop the user's commit or push: one line, then exit 0.
        panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let location = info.location().map(|at| format!(" at {at}")).unwrap_or_default();
            let _ = writeln!(
                std::io::stderr(),
                "changes: warning: internal error{location}: {message}; nothing was written, git goes on"
            );
        }));
    }
    let dispatched = panic::catch_unwind(AssertUnwindSafe(|| dispatch(&context, &cli.command)));
    let result = match dispatched {
        Ok(result) => result,
        Err(_) if called_by_git => return 0,
        Err(payload) => panic::resume_unwind(payload),
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

fn dispatch(context: &Context, command: &Command) -> Result<(), Error> {
    let reviews_a_push = matches!(
        command,
        Command::Hook(HookArgs { command: HookCommand::Run(RunArgs { hook: Some(hook), .. }) })
            if hook == "pre-push"
    );
    let review_only = matches!(context.format, cli::Format::Sarif | cli::Format::Rdjson);
    let dry_run = matches!(
        command,
        Command::Hook(HookArgs { command: HookCommand::Run(RunArgs { dry_run: true, .. }) })
            | Command::Report(cli::ReportArgs { dry_run: true, .. })
    );
    if review_only && dry_run {
        // A program reading findings must not be handed requests it would misread.
        return Err(Error::new(
            Kind::Usage,
            "--dry-run prints requests as text or JSON (`--format json`); nothing was sent",
        ));
    }
    if review_only && !reviews_a_push {
        return Err(Error::new(
            Kind::Usage,
            "--format sarif and --format rdjson are only for the push review",
        )
        .with_hint("changes hook run pre-push --format sarif"));
    }
    match command {
        Command::Hook(args) => commands::hook::cmd_hook(context, args),
        Command::Models(args) => commands::models::cmd_models(context, args),
        Command::Config(args) => commands::config::cmd_config(context, args),
        Command::Report(args) => commands::report::cmd_report(context, args),
        Command::Trust(args) => commands::trust::cmd_trust(context, args),
        Command::Eval(args) => commands::eval::cmd_eval(context, args),
        Command::Manpage => {
            use clap::CommandFactory;
            let mut output = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut output)?;
            context.printer.data(&String::from_utf8_lossy(&output))?;
            Ok(())
        }
        Command::Completions(args) => {
            use clap::CommandFactory;
            let shell = match args.shell {
                cli::Shell::Bash => clap_complete::Shell::Bash,
                cli::Shell::Zsh => clap_complete::Shell::Zsh,
                cli::Shell::Fish => clap_complete::Shell::Fish,
                cli::Shell::Powershell => clap_complete::Shell::PowerShell,
            };
            let mut output = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "changes", &mut output);
            context.printer.data(&String::from_utf8_lossy(&output))?;
            Ok(())
        }
    }
}
