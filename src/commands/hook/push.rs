//! `changes hook run pre-push REMOTE URL`: what git runs before a push, with the refs on
//! stdin; and `changes hook run pre-push [--range A..B]` by hand. Works out exactly which
//! commits are outgoing, has every model review them under `push.timeout`, prints a short
//! verdict, writes the full report, and applies the user's `push.block` policy — the only
//! thing that may stop a push.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Instant;

use super::collect_options;
use crate::answer::{Finding, Review};
use crate::checks::{self, GitSides};
use crate::cli::{Format, RunArgs};
use crate::commands::{
    about_replaced_secret, engine_options, intent_commits, learn_conventions, print_dry_run,
    warn_about_run, Base, Context,
};
use crate::config::Settings;
use crate::engine::{self, findings, Run};
use crate::env;
use crate::error::{Error, Kind};
use crate::files::write_atomically;
use crate::git::push::{self, Outgoing, RefUpdate};
use crate::git::{ChangeSet, CollectOptions, Repository};
use crate::report::output::{
    to_json, ManualRange, PushCommit, PushFile, PushModel, PushOutput, PushRange, PushRemote,
    ReviewSource,
};
use crate::report::push as render;
use crate::report::sarif::{render_rdjson, render_sarif};
use crate::report::utc_timestamp;
use crate::text::short_id;

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
pub(crate) fn run_for_git(
    context: &Context,
    arguments: &[std::ffi::OsString],
) -> Result<(), Error> {
    if context.environment.flag(env::CHANGES_SKIP) {
        return Ok(());
    }
    // A remote's name or path may be any bytes: shown lossily, never a reason to stop.
    let lossy = |argument: &std::ffi::OsString| argument.to_string_lossy().into_owned();
    let remote = arguments.first().map_or_else(|| "origin".to_string(), lossy);
    let url = arguments.get(1).map_or_else(|| remote.clone(), lossy);
    let (remote, url) = (remote.as_str(), url.as_str());
    let updates = refs_from_stdin()?;
    if updates.is_empty() {
        return Ok(());
    }
    review(context, Source::Git { remote, url }, updates, None)
}

/// The ref updates git writes on stdin, one line each; none when stdin is empty or a
/// terminal.
fn refs_from_stdin() -> Result<Vec<RefUpdate>, Error> {
    let mut input = String::new();
    // git always pipes the refs; a terminal on stdin means someone typed the command, and
    // waiting for them to type refs would be a prompt.
    if !std::io::stdin().is_terminal() {
        std::io::stdin().take(MAX_INPUT_BYTES).read_to_string(&mut input).map_err(|error| {
            Error::new(Kind::Io, format!("cannot read the refs git sent: {error}"))
        })?;
    }
    if input.trim().is_empty() {
        return Ok(Vec::new());
    }
    push::parse_push_input(&input).map_err(|error| Error::new(Kind::Usage, error.to_string()))
}

/// Called by the pre-commit framework, which passes the refs in variables instead of stdin.
/// Same rules as from git: only the user's policy may stop the push.
pub(crate) fn run_for_pre_commit(context: &Context) -> Result<(), Error> {
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
pub(crate) fn run_by_hand(context: &Context, args: &RunArgs) -> Result<(), Error> {
    let source = match &args.range {
        Some(range) => Source::Range(range),
        None => Source::Upstream,
    };
    review(context, source, Vec::new(), Some(args))
}

/// `--dry-run`: prints the requests each model would be sent to review what `git push` would
/// send (or `--range A..B`, or, given git's arguments, the refs on stdin), built by the same
/// functions as the review itself; asks no model and writes nothing.
pub(crate) fn dry_run(context: &Context, args: &RunArgs) -> Result<(), Error> {
    let started = Instant::now();
    let lossy = |argument: &std::ffi::OsString| argument.to_string_lossy().into_owned();
    let remote = args.arguments.first().map(lossy);
    let url = args.arguments.get(1).map(lossy).or_else(|| remote.clone());
    let (source, updates) = match (&args.range, &remote, &url) {
        (Some(range), _, _) => (Source::Range(range), Vec::new()),
        (None, Some(remote), Some(url)) => (Source::Git { remote, url }, refs_from_stdin()?),
        _ => (Source::Upstream, Vec::new()),
    };
    let repository = Repository::discover()?;
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    let pushed = pushed(&repository, settings, source, updates, true)?;
    if pushed.outgoing.is_empty() {
        context.printer.info("changes: nothing to review: no commit would be sent");
        if context.format == Format::Json {
            // A program reading the dry run still gets a document: one with no request.
            let empty = crate::report::dry_run::DryRunOutput { dry_run: true, models: &[] };
            context.printer.data(&to_json(&empty))?;
        }
        return Ok(());
    }
    let options = collect_options(&repository, settings)?;
    let conventions =
        learn_conventions(context, &repository, settings, &options, &Base::Staged, false);
    let mut preview: Option<engine::Preview> = None;
    for range in &pushed.outgoing {
        let changes = repository.range(range.base.as_deref(), &range.tip, &options)?;
        let commits = commits_of(context, &repository, range, &options, false);
        // Planned for the time a review would have left at this point, as the review plans.
        let remaining = settings.push.timeout.saturating_sub(started.elapsed());
        let planned = engine::preview_review(
            &changes,
            commits,
            engine::Options {
                conventions: conventions.clone(),
                progress: None,
                ..engine_options(context, &repository, settings, remaining)
            },
        )?;
        match &mut preview {
            Some(earlier) => earlier.append(planned),
            None => preview = Some(planned),
        }
    }
    match preview {
        Some(preview) => print_dry_run(context, &preview, about_replaced_secret),
        None => Ok(()),
    }
}

/// What a review is about: where its refs came from and the ranges they push.
struct Pushed {
    /// What started the review.
    source: ReviewSource,
    /// The remote pushed to, when known.
    remote: Option<PushRemote>,
    /// The range given by hand, if any.
    range: Option<ManualRange>,
    /// The outgoing ranges, each reviewed once.
    outgoing: Vec<Outgoing>,
}

/// The ranges `source` and `updates` push (`by_hand`: run by a person, not by git).
fn pushed(
    repository: &Repository,
    settings: &Settings,
    source: Source<'_>,
    updates: Vec<RefUpdate>,
    by_hand: bool,
) -> Result<Pushed, Error> {
    let (remote, range, updates) = match source {
        Source::Git { remote, url } => (
            Some(PushRemote {
                name: remote.to_string(),
                url: crate::text::without_credentials(url),
            }),
            None,
            updates,
        ),
        Source::Upstream => {
            let (remote, update) = repository.upstream_update()?;
            let url = repository.remote_url(&remote).unwrap_or_else(|| remote.clone());
            let url = crate::text::without_credentials(&url);
            (Some(PushRemote { name: remote, url }), None, vec![update])
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
            let manual = ManualRange {
                from: from.to_string(),
                to: to.to_string(),
                from_id: update.remote_oid.clone(),
                to_id: update.local_oid.clone(),
            };
            (None, Some(manual), vec![update])
        }
    };
    let source = match (&range, by_hand) {
        (Some(_), _) => ReviewSource::Range,
        (None, true) => ReviewSource::Upstream,
        (None, false) => ReviewSource::Push,
    };
    let mut outgoing: Vec<Outgoing> = Vec::new();
    let remote_name = remote.as_ref().map(|remote| remote.name.as_str());
    for update in &updates {
        if let Some(found) = repository.outgoing(update, remote_name, settings.push.max_commits)? {
            // A tag and a branch pushed together often carry the same commits: review once.
            if !outgoing.iter().any(|known| known.base == found.base && known.tip == found.tip) {
                outgoing.push(found);
            }
        }
    }
    Ok(Pushed { source, remote, range, outgoing })
}

/// The commits of `range` as a review sends them, and as the built-in engine groups them
/// (kept in the history index when `write`).
fn commits_of(
    context: &Context,
    repository: &Repository,
    range: &Outgoing,
    options: &CollectOptions,
    write: bool,
) -> engine::Commits {
    let lines: String = range
        .commits
        .iter()
        .map(|commit| format!("- {} {}\n", short_id(&commit.id), commit.summary))
        .collect();
    let ids: Vec<&str> = range.commits.iter().map(|commit| commit.id.as_str()).collect();
    let intents = intent_commits(context, repository, &ids, options, write);
    engine::Commits { lines, intents }
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
    let Pushed { source, remote, range, outgoing } =
        pushed(&repository, settings, source, updates, by_hand.is_some())?;
    if outgoing.is_empty() {
        if by_hand.is_some() {
            context.printer.info("changes: nothing to review: no commit would be sent");
            // A program reading the review still gets a document: one with no range.
            let (_, readable) = utc_timestamp(std::time::SystemTime::now());
            let empty = PushOutput {
                source,
                remote,
                range,
                generated: readable,
                report: None,
                ranges: vec![],
            };
            print_data(context, &empty)?;
        }
        return Ok(());
    }

    let options = collect_options(&repository, settings)?;
    let conventions =
        learn_conventions(context, &repository, settings, &options, &Base::Staged, true);
    let mut reviewed: Vec<(Outgoing, ChangeSet, Run<Review>, Vec<Finding>)> = Vec::new();
    for range in outgoing {
        let changes = repository.range(range.base.as_deref(), &range.tip, &options)?;
        let commits = commits_of(context, &repository, &range, &options, true);
        // One deadline for the whole hook: git keeps the remote's connection open meanwhile.
        let remaining = settings.push.timeout.saturating_sub(started.elapsed());
        // The deterministic checks first: what they find needs no model and no deadline.
        let found =
            checks::run(&changes, &GitSides::new(&repository, range.base.as_deref(), &range.tip));
        let run = engine::review_push(
            &changes,
            commits,
            engine::Options {
                conventions: conventions.clone(),
                ..engine_options(context, &repository, settings, remaining)
            },
        )?;
        reviewed.push((range, changes, run, found));
    }

    let (compact, readable) = utc_timestamp(std::time::SystemTime::now());
    let by_range = source == ReviewSource::Range;
    let mut report = PushOutput {
        source,
        remote,
        range,
        generated: readable,
        report: None,
        ranges: reviewed
            .iter()
            .map(|(outgoing, changes, run, found)| {
                push_range(outgoing, changes, run, found, by_range)
            })
            .collect(),
    };
    let tip = reviewed.first().map(|(outgoing, _, _, _)| outgoing.tip.clone()).unwrap_or_default();
    let folder = report_folder(&repository, settings);
    let path = unique_report(&folder, &format!("push-{compact}-{}", short_id(&tip)));
    for (_, _, run, _) in &reviewed {
        warn_about_run(context, run, None);
    }
    match write_atomically(&path, render::render_markdown(&report).as_bytes()) {
        Ok(()) => report.report = Some(path.display().to_string()),
        Err(error) => {
            context
                .printer
                .warn(&format!("cannot write the report to {}: {error}", path.display()));
        }
    }
    if by_hand.is_none() || !print_data(context, &report)? {
        context.printer.info(render::render_terminal(&report).trim_end());
    }

    let Some(threshold) = settings.push.block.threshold() else { return Ok(()) };
    if by_hand.is_some() {
        return Ok(());
    }
    // The merged findings: the same one from several models is one, naming them all.
    let blocking: Vec<&Finding> = report
        .ranges
        .iter()
        .flat_map(|range| &range.findings)
        .filter(|finding| !finding.outside_diff && finding.priority <= threshold)
        .collect();
    if blocking.is_empty() {
        return Ok(());
    }
    for finding in blocking.iter().take(BLOCKING_SHOWN) {
        context.printer.info(&format!(
            "changes: blocking: {} — {}",
            finding.one_line(),
            finding.raised_by.join(", ")
        ));
    }
    if blocking.len() > BLOCKING_SHOWN {
        context.printer.info(&format!(
            "changes: blocking: …and {} more in the report",
            blocking.len() - BLOCKING_SHOWN
        ));
    }
    let policy = settings.push.block.as_str();
    let path = report.report.unwrap_or_else(|| "the report could not be written".to_string());
    let first = blocking[0].one_line();
    Err(Error::new(
        Kind::Blocked,
        format!(
            "push stopped by push.block: {policy}: {} at {threshold} or worse, first {first}",
            crate::text::count(blocking.len(), "finding")
        ),
    )
    .with_hint(format!("read the review in {path}"))
    .with_hint("to push anyway: git push --no-verify"))
}

/// Blocking findings named on the terminal when a push is stopped; the rest are in the report.
const BLOCKING_SHOWN: usize = 5;

/// Prints the review for programs when `--format` asks for JSON, SARIF or rdjson; `false`
/// for text.
fn print_data(context: &Context, report: &PushOutput<'_>) -> Result<bool, Error> {
    let data = match context.format {
        Format::Json => to_json(report),
        Format::Sarif => render_sarif(report),
        Format::Rdjson => render_rdjson(report),
        _ => return Ok(false),
    };
    context.printer.data(&data)?;
    Ok(true)
}

/// One reviewed range as the outputs show it; a range given by hand names no refs.
fn push_range<'a>(
    outgoing: &Outgoing,
    changes: &'a ChangeSet,
    run: &'a Run<Review>,
    checks: &[Finding],
    by_range: bool,
) -> PushRange<'a> {
    // The checks' findings come first, and stay even when no model answered.
    let reviews =
        run.answers.iter().filter_map(|answer| answer.output()).map(|review| &review.findings[..]);
    let merged = findings::merge(std::iter::once(checks).chain(reviews));
    let listed = |commits: &[push::PushedCommit]| -> Vec<PushCommit> {
        commits
            .iter()
            .map(|commit| PushCommit {
                id: commit.id.clone(),
                summary: commit.summary.clone(),
                author: commit.author.clone(),
            })
            .collect()
    };
    let named = |name: &str| (!by_range).then(|| name.to_string());
    PushRange {
        local_ref: named(&outgoing.update.local_ref),
        remote_ref: named(&outgoing.update.remote_ref),
        kind: outgoing.kind.to_string(),
        base: outgoing.base.clone(),
        base_ref: outgoing.base_ref.clone(),
        tip: outgoing.tip.clone(),
        commits: listed(&outgoing.commits),
        commits_left_out: outgoing.left_out,
        commits_lost: listed(&outgoing.lost),
        commits_lost_left_out: outgoing.lost_left_out,
        commits_already_on_remote: outgoing.already_on_remote,
        files: changes.files.iter().map(PushFile::of).collect(),
        files_not_sent: changes
            .files
            .iter()
            .filter(|file| file.patch.is_none())
            .map(|file| file.path.clone())
            .collect(),
        verdict: findings::overall(
            &merged,
            run.answers.iter().filter_map(|answer| answer.output()),
        ),
        findings: merged,
        models: run.answers.iter().map(PushModel::of).collect(),
        changes,
        skipped: &run.selection.skipped,
    }
}

/// A report path of its own: `stem.md`, else `stem-2.md`, `stem-3.md`… The name is taken with
/// an exclusive create, so two pushes in the same second (a `git push` and a review by hand,
/// two worktrees) never write over each other's report.
fn unique_report(folder: &std::path::Path, stem: &str) -> PathBuf {
    let _ = std::fs::create_dir_all(folder);
    for attempt in 1..1000 {
        let name = if attempt == 1 { format!("{stem}.md") } else { format!("{stem}-{attempt}.md") };
        let path = folder.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => return path,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // Not writable at all: the write that follows says so.
            Err(_) => return path,
        }
    }
    folder.join(format!("{stem}-{}.md", std::process::id()))
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
