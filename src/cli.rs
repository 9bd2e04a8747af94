//! The command tree, parsed by clap. Raw values only: `lib::run` resolves them once.
//! `called_by_git` recognises a hook invocation even when parsing fails, so that odd bytes
//! in an argument or a variable can never stop git.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::HumanDuration;

/// Drafts commit messages and reviews pushes by asking several language models at once.
///
/// `changes` installs git hooks (`prepare-commit-msg`, `pre-push`) that diff what is being
/// committed or pushed, ask every available model concurrently, and merge their answers into
/// the commit message or a review. With no API keys it uses its built-in offline model.
#[derive(Debug, Parser)]
#[command(name = "changes", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Examples:
  changes hook install              install both hooks into this repository
  changes hook run                  draft a message for the staged changes
  changes hook run --rev HEAD       draft a message for the last commit
  changes models                    which models are configured and have keys
  changes config show               the configuration and where each value comes from")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Models to ask, by name, instead of the defaults (comma-separated; `local` is built in).
    #[arg(
        long,
        global = true,
        value_delimiter = ',',
        value_name = "NAMES",
        env = crate::env::CHANGES_MODELS
    )]
    pub models: Vec<String>,
    /// Deadline for this run (for example 10s or 1m), overriding commit.timeout and push.timeout.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Output format of the data on stdout: text, or json where the command supports it;
    /// sarif or rdjson for the push review.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Never colour the output (NO_COLOR works too).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// More detail on stderr (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// What stdout carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
    /// SARIF 2.1.0, for code scanning, CI annotations and editors (the push review only).
    Sarif,
    /// reviewdog's rdjson, for `reviewdog -f=rdjson` (the push review only).
    Rdjson,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    text.parse::<HumanDuration>().map(|duration| duration.0)
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install, remove, inspect or run the git hooks.
    Hook(HookArgs),
    /// Write the "what changed over the last N days" report, one file per model.
    Report(ReportArgs),
    /// List the configured models, their providers and whether their keys are present.
    #[command(after_help = "Examples:
  changes models                    the model table
  changes models --check            send one tiny request to each model")]
    Models(ModelsArgs),
    /// Show the configuration, where its files are, or write a starter file.
    Config(ConfigArgs),
    /// Approve this repository's `.changes.yaml` as it is now, or revoke that approval.
    Trust(TrustArgs),
    /// Replay the last commits and score each model's drafts against what their authors wrote.
    Eval(EvalArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff), generated from these same definitions.
    #[command(hide = true)]
    Manpage,
}

/// `changes hook ...`
#[derive(Debug, Args)]
pub struct HookArgs {
    /// What to do with the hooks.
    #[command(subcommand)]
    pub command: HookCommand,
}

/// Hook names `changes` can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookName {
    /// Drafts the commit message.
    PrepareCommitMsg,
    /// Reviews the commits being pushed.
    PrePush,
}

/// `changes hook install|uninstall|status|run`
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install the hooks into the hooks folder git uses for this repository.
    #[command(after_help = "Examples:
  changes hook install                           both hooks
  changes hook install --hook prepare-commit-msg only the commit-message hook
  changes hook install --force                   replace an old .changes-legacy file")]
    Install {
        /// Only this hook (repeatable; default: both).
        #[arg(long = "hook", value_name = "NAME")]
        hooks: Vec<HookName>,
        /// Replace an existing `.changes-legacy` file.
        #[arg(long)]
        force: bool,
    },
    /// Remove what `install` added and restore any hook it moved aside.
    #[command(after_help = "Examples:
  changes hook uninstall                         both hooks, restoring any hook moved aside
  changes hook uninstall --hook pre-push")]
    Uninstall {
        /// Only this hook (repeatable; default: both).
        #[arg(long = "hook", value_name = "NAME")]
        hooks: Vec<HookName>,
    },
    /// Show which hooks are installed, the binary they call, and the models with keys.
    #[command(after_help = "Examples:
  changes hook status
  changes hook status --format json")]
    Status,
    /// Run a hook's job: what the installed hooks call, or by hand with no HOOK to draft a
    /// message for the staged changes and print it.
    #[command(after_help = "Examples:
  changes hook run                        draft a message for the staged changes
  changes hook run --rev HEAD~2           draft a message for an existing commit
  changes hook run --dry-run              print each request as it would be sent, ask none
  changes hook run --models local         use only the built-in model
  changes hook run pre-push               review what `git push` would send
  changes hook run pre-push --dry-run     print the review's requests as they would be sent
  changes hook run pre-push --range main..feature --format json
  changes hook run pre-push --format sarif > review.sarif")]
    Run(RunArgs),
}

/// `changes hook run [HOOK] [ARGS...]`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The hook git is running (`prepare-commit-msg`, `pre-push`); none: draft for the
    /// staged changes.
    #[arg(value_name = "HOOK")]
    pub hook: Option<String>,
    /// The arguments git passed to the hook (paths may be any bytes).
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub arguments: Vec<std::ffi::OsString>,
    /// Draft for this existing commit instead of the staged changes.
    #[arg(long, value_name = "REV", conflicts_with = "hook")]
    pub rev: Option<String>,
    /// With `pre-push`: review this range (`A..B`) instead of what `git push` would send.
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,
    /// Print each request exactly as it would be sent, after redaction, and ask none; with
    /// `pre-push`, the review's requests, and no report is written (`--format json`: the
    /// request bodies, per model).
    #[arg(long)]
    pub dry_run: bool,
}

/// `changes report ...`
#[derive(Debug, Args)]
#[command(
    after_help = "The period holds the commits reachable from HEAD whose committer date (the date
`git log --since --until` reads: when the commit was made on this branch, after any rebase or
cherry-pick) is at or after --after and before --before. The author date is not used; each
commit is listed with its committer date.

Dates are git-style: 2026-11-01, 2026-11-01T09:00:00+01:00, \"7 days ago\", \"yesterday\",
\"2 weeks ago\", \"last monday\". A date without a time means midnight at its start:
--before 2026-11-15 ends the period when 15 November begins, so the 14th is its last day.
Relative dates count from now, or from CHANGES_NOW when that variable holds a date (so a
report of a past period comes out the same every time). Times are in the local time zone (TZ),
or in CHANGES_NOW's zone when it names one (2026-11-15T12:00:00Z), unless a date names its
own; the report shows its bounds and every commit date in that zone. --before defaults to
tomorrow at this time of day, so nothing committed up to now is left out.

With --only, only files matching a glob are summarized, and only commits that change such a
file are counted and listed.

Examples:
  changes report                               the last 7 days, every available model
  changes report --days 30 --models local      the last 30 days, the built-in model only
  changes report --after \"2 weeks ago\" --only 'src/**'
  changes report --after 2026-11-01 --before 2026-11-15 --out reports/ --gist
  changes report --dry-run --format json       each model's requests, as they would be sent
  CHANGES_NOW=2026-11-15 changes report --days 7   the week before 15 November"
)]
pub struct ReportArgs {
    /// Start of the period, inclusive: commits made at or after DATE (default: 7 days ago).
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub after: Option<String>,
    /// The period is the last N days: the same as --after "N days ago".
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// End of the period, exclusive: commits made before DATE (default: tomorrow).
    #[arg(long, value_name = "DATE")]
    pub before: Option<String>,
    /// Only files matching this glob, and only commits that change one (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub only: Vec<String>,
    /// Folder to write the reports to.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Publish the reports as a secret GitHub gist.
    #[arg(long)]
    pub gist: bool,
    /// Print each request exactly as it would be sent, after redaction, and ask none; write
    /// no report and publish nothing (`--format json`: the request bodies, per model).
    #[arg(long)]
    pub dry_run: bool,
}

/// `changes eval [--last N] [--yes]`
#[derive(Debug, Args)]
#[command(after_help = "Each commit is described from its own parent, with only the history before
it: the profile learns from earlier commits, rule files are read from the parent's tree.
Commits written by bots (dependabot, renovate) are scored apart from people's.

Network models cost money. Before the first request, eval says how many requests and about
how many input tokens each network model will be sent, then goes ahead only with --yes or
when you answer y at a terminal; without a terminal it stops there unless --yes is given.
The report gives the requests and tokens each model's server reported.

Shares (type, scope, style, similarity) and times are over the drafts a model wrote. A draft
that failed (a server error, a refused key, the deadline) is not a miss: it is counted as
failed (`failures` in JSON, with `failure_kinds`, `first_failure` and each draft's `error`),
and the first error is said once. A model whose key is refused or whose model id does not
exist is not asked again; its later drafts count as failed.

Examples:
  changes eval --models local                the built-in model on the last 100 commits
  changes eval --last 200 --models local --format json
  changes eval --last 20 --models local,claude --yes")]
pub struct EvalArgs {
    /// How many of the newest non-merge commits to replay (the first-parent line, with the
    /// commits each merge brought in).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub last: usize,
    /// Go ahead with network models, which costs money, without asking.
    #[arg(long)]
    pub yes: bool,
}

/// `changes models [--check]`
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Send one tiny request to each model and show its latency or why it failed.
    #[arg(long)]
    pub check: bool,
}

/// `changes config [show|path|init]`
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  changes config show                    every value and the file or variable it came from
  changes config show --format json
  changes config path                    where the user and repository files are
  changes config init                    a commented .changes.yaml for this repository
  changes config init --user             the same for your user file")]
pub struct ConfigArgs {
    /// What to show or do (default: show).
    #[command(subcommand)]
    pub command: Option<ConfigCommand>,
}

/// The configuration subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved configuration with the source of every value.
    Show,
    /// Print where the configuration files are and whether each exists.
    Path,
    /// Write a commented starter `.changes.yaml` at the work-tree root.
    Init {
        /// Write the user file instead.
        #[arg(long)]
        user: bool,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// `changes trust [--show] [--revoke]`
#[derive(Debug, Args)]
#[command(
    after_help = "A repository's .changes.yaml arrives with git clone. Until you trust it, it may
only make changes more careful: add exclude globs, lower limits and timeouts, choose the
message style, turn hooks off. Trusting it records its exact content; an edited file is
untrusted again.

Examples:
  changes trust --show              what the file would change, and whether it is trusted
  changes trust                     approve the file as it is now
  changes trust --revoke            take the approval back"
)]
pub struct TrustArgs {
    /// Only show what the file sets that needs trust, and whether it is trusted.
    #[arg(long, conflicts_with = "revoke")]
    pub show: bool,
    /// Forget the approval of this work tree's file.
    #[arg(long)]
    pub revoke: bool,
}

/// `changes completions SHELL`
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  changes completions bash > ~/.local/share/bash-completion/completions/changes
  changes completions zsh > \"${fpath[1]}/_changes\"
  changes completions fish > ~/.config/fish/completions/changes.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: Shell,
}

/// Shells with completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Hook names git runs `changes` for.
const GIT_HOOKS: [&str; 2] = ["prepare-commit-msg", "pre-push"];

/// True when the raw command line is git (or a hook manager) running one of our hooks:
/// `changes hook run prepare-commit-msg …` or `… pre-push …`, with anything before.
pub fn called_by_git(arguments: &[std::ffi::OsString]) -> bool {
    let words: Vec<&str> =
        arguments.iter().skip(1).map(|argument| argument.to_str().unwrap_or("")).collect();
    words
        .windows(3)
        .any(|window| window[0] == "hook" && window[1] == "run" && GIT_HOOKS.contains(&window[2]))
}
