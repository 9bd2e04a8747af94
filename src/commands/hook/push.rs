//! `changes hook run pre-push REMOTE URL`: what git runs before a push, with the refs on
//! stdin; and `changes hook run pre-push [--range A..B]` by hand. Works out exactly which
//! commits are outgoing, has every model review them under `push.timeout`, prints a short
//! verdict, writes the full report, and applies the user's `push.block` policy — the only
//! thing that may stop a push.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Instant;

use super::collect_options;
use crate::cli::{Format, RunArgs};
use crate::commands::Context;
use crate::config::{BlockPolicy, Settings};
use crate::env;
use crate::error::{Error, Kind};
use crate::files::write_atomically;
use crate::git::push::{self, Outgoing, RefUpdate};
use crate::git::Repository;
use crate::report::push::{self as render, PushReport, ReviewedRange};
use crate::report::utc_timestamp;
use crate::summarize::cache::Cache;
use crate::summarize::review::{Review, Severity};
use crate::summarize::{self, DraftOptions, Drafts};

/// Git never writes more than a line per ref; more than this is not git talking.
const MAX_INPUT_BYTES: u64 = 1 << 20;

/// Where the refs to review come from.
enum Source<'a> {
    /// git's pre-push arguments and stdin.
    Git { remote: &'a str, url: &'a str },
    /// By hand: what `git push` would send for the current branch.
    Upstream,
    /// By hand: `--range A..B`.
    Range(&'a str),
}

/// Called by git. `Ok` means the push goes on; an `Error` of kind `Blocked` stops it (the
/// caller turns every other error into a warning).
pub fn run_for_git(context: &Context, arguments: &[String]) -> Result<(), Error> {
    if context.environment.flag(env::CHANGES_SKIP) {
        return Ok(());
    }
    let remote = arguments.first().map_or("origin", String::as_str);
    let url = arguments.get(1).map_or(remote, String::as_str);
    let mut input = String::new();
    // git always pipes the refs; a terminal on stdin means someone typed the command, and
    // waiting for them to type refs would be a prompt.
    if !std::io::stdin().is_terminal() {
        std::io::stdin().take(MAX_INPUT_BYTES).read_to_string(&mut input).map_err(|error| {
            Error::new(Kind::Io, format!("cannot read the refs git sent: {error}"))
        })?;
    }
    if input.trim().is_empty() {
        return Ok(());
    }
    let updates = push::parse_push_input(&input)
        .map_err(|error| Error::new(Kind::Usage, error.to_string()))?;
    review(context, Source::Git { remote, url }, updates, None)
}

/// Called by the pre-commit framework, which passes the refs in variables instead of stdin.
/// Same rules as from git: only the user's policy may stop the push.
pub fn run_for_pre_commit(context: &Context) -> Result<(), Error> {
    let environment = &context.environment;
    let (Some(from), Some(to)) =
        (environment.get(env::PRE_COMMIT_FROM_REF), environment.get(env::PRE_COMMIT_TO_REF))
    else {
        return Ok(());
    };
    let remote = environment.get(env::PRE_COMMIT_REMOTE_NAME).unwrap_or("origin");
    let url = environment.get(env::PRE_COMMIT_REMOTE_URL).unwrap_or(remote);
    let branch = |name: Option<&str>| {
        let name = name.unwrap_or("HEAD");
        if name.starts_with("refs/") {
            name.to_string()
        } else {
            format!("refs/heads/{name}")
        }
    };
    let update = RefUpdate {
        local_ref: branch(environment.get(env::PRE_COMMIT_LOCAL_BRANCH)),
        local_oid: to.to_string(),
        remote_ref: branch(environment.get(env::PRE_COMMIT_REMOTE_BRANCH)),
        remote_oid: from.to_string(),
    };
    review(context, Source::Git { remote, url }, vec![update], None)
}

/// By hand: the upstream of the current branch, or `--range A..B`; errors are real errors.
pub fn run_by_hand(context: &Context, args: &RunArgs) -> Result<(), Error> {
    let source = match &args.range {
        Some(range) => Source::Range(range),
        None => Source::Upstream,
    };
    review(context, source, Vec::new(), Some(args))
}

fn review(
    context: &Context,
    source: Source<'_>,
    updates: Vec<RefUpdate>,
    by_hand: Option<&RunArgs>,
) -> Result<(), Error> {
    let started = Instant::now();
    let repository = Repository::discover()?;
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    if settings.skip && by_hand.is_none() {
        return Ok(());
    }
    let (remote, url, updates) = match source {
        Source::Git { remote, url } => (remote.to_string(), url.to_string(), updates),
        Source::Upstream => {
            let (remote, update) = repository.upstream_update()?;
            (remote.clone(), remote, vec![update])
        }
        Source::Range(range) => {
            let (from, to) = range.split_once("..").ok_or_else(|| {
                Error::new(Kind::Usage, format!("`{range}` is not a range"))
                    .with_hint("write it as A..B")
            })?;
            let to = if to.is_empty() { "HEAD" } else { to };
            let update = RefUpdate {
                local_ref: to.to_string(),
                local_oid: repository.commit_id(to)?,
                remote_ref: from.to_string(),
                remote_oid: repository.commit_id(from)?,
            };
            ("(range)".to_string(), range.to_string(), vec![update])
        }
    };

    let mut outgoing: Vec<Outgoing> = Vec::new();
    for update in &updates {
        if let Some(found) = repository.outgoing(update, &remote, settings.push.max_commits)? {
            // A tag and a branch pushed together often carry the same commits: review once.
            if !outgoing.iter().any(|known| known.base == found.base && known.tip == found.tip) {
                outgoing.push(found);
            }
        }
    }
    if outgoing.is_empty() {
        if by_hand.is_some() {
            context.printer.info("changes: nothing to review: no commit would be sent");
        }
        return Ok(());
    }

    let options = collect_options(&repository, settings)?;
    let mut reviewed: Vec<(Outgoing, crate::git::ChangeSet, Drafts<Review>)> = Vec::new();
    for range in outgoing {
        let changes = repository.range(range.base.as_deref(), &range.tip, &options)?;
        let commits: String = range
            .commits
            .iter()
            .map(|commit| {
                format!("- {} {}\n", &commit.id[..commit.id.len().min(12)], commit.summary)
            })
            .collect();
        // One deadline for the whole hook: git keeps the remote's connection open meanwhile.
        let remaining = settings.push.timeout.saturating_sub(started.elapsed());
        let drafts = summarize::review_push(
            &changes,
            commits,
            draft_options(context, &repository, settings, remaining),
        )?;
        reviewed.push((range, changes, drafts));
    }

    let (compact, readable) = utc_timestamp(std::time::SystemTime::now());
    let report = PushReport {
        remote: &remote,
        url: render::strip_credentials(&url),
        generated: &readable,
        ranges: reviewed
            .iter()
            .map(|(outgoing, changes, drafts)| ReviewedRange {
                outgoing,
                changes,
                answers: &drafts.answers,
                skipped: drafts
                    .selection
                    .skipped
                    .iter()
                    .map(|(name, reason)| (name.to_string(), reason.clone()))
                    .collect(),
            })
            .collect(),
    };
    let tip = reviewed.first().map(|(outgoing, _, _)| outgoing.tip.clone()).unwrap_or_default();
    let folder = report_folder(&repository, settings);
    let path = folder.join(format!("push-{compact}-{}.md", &tip[..tip.len().min(12)]));
    let written = match write_atomically(&path, render::render_markdown(&report).as_bytes()) {
        Ok(()) => Some(path.display().to_string()),
        Err(error) => {
            context
                .printer
                .warn(&format!("cannot write the report to {}: {error}", path.display()));
            None
        }
    };
    for (_, _, drafts) in &reviewed {
        if let Some(warning) = &drafts.cache_warning {
            context.printer.warn(warning);
        }
    }
    if by_hand.is_some() && context.format == Format::Json {
        context.printer.data(&render::render_json(&report, written.as_deref()))?;
    } else {
        context.printer.info(render::render_terminal(&report, written.as_deref()).trim_end());
    }

    let blocking = reviewed.iter().flat_map(|(_, _, drafts)| &drafts.answers).find_map(|answer| {
        let review = answer.outcome.as_ref().ok()?;
        let risk = review.risks.iter().find(|risk| risk.severity == Severity::High)?;
        Some(format!("{} found a high-severity risk: {}", answer.model, risk.text))
    });
    if let (Some(finding), BlockPolicy::OnFindings, None) = (blocking, settings.push.block, by_hand)
    {
        let report = written.unwrap_or_else(|| "the report could not be written".to_string());
        return Err(Error::new(
            Kind::Blocked,
            format!("push stopped by push.block: on-findings: {finding}"),
        )
        .with_hint(format!("read the review in {report}"))
        .with_hint("to push anyway: git push --no-verify"));
    }
    Ok(())
}

fn draft_options<'a>(
    context: &'a Context,
    repository: &Repository,
    settings: &'a Settings,
    timeout: std::time::Duration,
) -> DraftOptions<'a> {
    DraftOptions {
        settings,
        environment: &context.environment,
        requested: &context.models,
        cache: Some(Cache::in_git_dir(&repository.common_dir())),
        timeout,
        live: true,
    }
}

/// `push.report_dir` (relative to the work-tree root), else `<git dir>/changes/reports`.
fn report_folder(repository: &Repository, settings: &Settings) -> PathBuf {
    match &settings.push.report_dir {
        Some(folder) => {
            let folder = PathBuf::from(folder);
            match repository.work_tree() {
                Some(root) if folder.is_relative() => root.join(folder),
                _ => folder,
            }
        }
        None => repository.common_dir().join("changes").join("reports"),
    }
}
