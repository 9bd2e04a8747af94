//! `changes report`: what changed on the current branch over a period, summarized by every
//! model concurrently (each file, then an overview), one markdown file per model plus an
//! overview, optionally published as one secret GitHub gist.

use globset::{Glob, GlobSet, GlobSetBuilder};
use jiff::Zoned;

use crate::cli::ReportArgs;
use crate::commands::{
    about_replaced_secret, engine_options, intent_commits, learn_conventions, print_dry_run,
    warn_about_run, Base, Context,
};
use crate::engine;
use crate::env;
use crate::error::{Error, Kind};
use crate::files::write_atomically;
use crate::git::{CollectOptions, Repository};
use crate::privacy::Filter;
use crate::report::output::{to_json, ReportModel, ReportOutput, Written};
use crate::report::range::{self, Period, WebRepository};
use crate::report::utc_timestamp;
use crate::text::short_id;

/// Default start of the period.
const DEFAULT_AFTER: &str = "7 days ago";
/// Default end of the period.
const DEFAULT_BEFORE: &str = "tomorrow";

/// Runs `changes report`.
pub(crate) fn cmd_report(context: &Context, args: &ReportArgs) -> Result<(), Error> {
    let repository = Repository::discover()?;
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;

    let now = now(&context.environment)?;
    let days = args.days.map(|days| format!("{days} days ago"));
    let after_text = args.after.as_deref().or(days.as_deref()).unwrap_or(DEFAULT_AFTER);
    let before_text = args.before.as_deref().unwrap_or(DEFAULT_BEFORE);
    let after = parse_date(&now, after_text, "--after")?;
    let before = parse_date(&now, before_text, "--before")?;
    if after.timestamp() >= before.timestamp() {
        return Err(Error::new(
            Kind::Usage,
            format!("--after ({after_text}) is not before --before ({before_text})"),
        ));
    }
    let branch = repository.branch_name().unwrap_or_else(|| "HEAD".to_string());
    let readable = |date: &Zoned| date.strftime("%Y-%m-%d %H:%M %Z").to_string();
    let Some(mut window) =
        repository.window(after.timestamp().as_second(), before.timestamp().as_second())?
    else {
        context.printer.info(&format!(
            "changes: no commits on {branch} between {} and {}: nothing to report",
            readable(&after),
            readable(&before)
        ));
        return Ok(());
    };

    if window.cut_by_shallow {
        context.printer.warn(
            "this clone is shallow and its history ends inside the period: the report starts at \
             the oldest commit it has (`git fetch --unshallow` for the whole period)",
        );
    }
    let options = CollectOptions {
        filter: Filter::new(repository.work_tree(), &settings.exclude)?,
        limits: settings.limits,
    };
    let only = only_globs(&args.only)?;
    let mut changes = repository.range(window.base.as_deref(), &window.tip, &options)?;
    if let Some(only) = &only {
        changes.files.retain(|file| {
            only.is_match(&file.path)
                || file.old_path.as_deref().is_some_and(|old| only.is_match(old))
        });
        // A commit counts when it touches a matching file.
        let mut kept = Vec::with_capacity(window.commits.len());
        for commit in std::mem::take(&mut window.commits) {
            if repository.touched_paths(&commit.id)?.iter().any(|path| only.is_match(path)) {
                kept.push(commit);
            }
        }
        window.commits = kept;
    }
    if changes.is_empty() || window.commits.is_empty() {
        let what = if only.is_some() { "a file matching --only" } else { "any file" };
        context
            .printer
            .info(&format!("changes: no commit of the period changed {what}: nothing to report"));
        return Ok(());
    }

    let zone = now.time_zone().clone();
    let lines: String = window
        .commits
        .iter()
        .map(|commit| {
            let date = commit_date(commit.time, &zone);
            format!("- {} {date} {}\n", short_id(&commit.id), commit.summary)
        })
        .collect();
    let ids: Vec<&str> = window.commits.iter().map(|commit| commit.id.as_str()).collect();
    // A dry run writes nothing, not even the caches of what was learned.
    let write = !args.dry_run;
    let intents = intent_commits(context, &repository, &ids, &options, write);
    let conventions =
        learn_conventions(context, &repository, settings, &options, &Base::Staged, write);
    let commits = engine::Commits { lines, intents };
    let options = engine::Options {
        conventions,
        ..engine_options(context, &repository, settings, settings.report.timeout)
    };
    if args.dry_run {
        let preview = engine::preview_range(
            &changes,
            commits,
            engine::Options { progress: None, ..options },
        )?;
        return print_dry_run(context, &preview, about_replaced_secret);
    }
    let drafts = engine::summarize_range(&changes, commits, options)?;
    warn_about_run(context, &drafts, Some(about_replaced_secret));

    let repository_name = repository
        .work_tree()
        .and_then(|root| root.file_name())
        .map_or_else(|| "repository".to_string(), |name| name.to_string_lossy().into_owned());
    let (_, generated) = utc_timestamp(std::time::SystemTime::now());
    let (after_label, before_label) = (readable(&after), readable(&before));
    let period = Period {
        repository: &repository_name,
        branch: &branch,
        after: (after_text, &after_label),
        before: (before_text, &before_label),
        commits: &window.commits,
        base: window.base.as_deref(),
        tip: &window.tip,
        changes: &changes,
        web: repository.origin_url().and_then(|url| WebRepository::from_remote(&url)),
        generated: &generated,
        dates: window.commits.iter().map(|commit| commit_date(commit.time, &zone)).collect(),
    };

    let folder = match &args.out {
        Some(folder) => folder.clone(),
        None => repository.common_dir().join("changes").join("reports").join(format!(
            "range-{}-{}",
            after.strftime("%Y-%m-%d"),
            before.strftime("%Y-%m-%d")
        )),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut rows = Vec::new();
    for (answer, model) in drafts.answers.iter().zip(&drafts.selection.models) {
        let written = answer.output().map(|summary| {
            let description = format!("{}, {}", model.provider, model.model);
            let text = range::render_model(
                &period,
                answer.model.as_str(),
                &description,
                answer.duration,
                summary,
            );
            let name = format!("{}.md", answer.model);
            let written = Written {
                path: folder.join(&name).display().to_string(),
                bytes: text.len() as u64,
                name: name.clone(),
            };
            files.push((name, text));
            written
        });
        rows.push(ReportModel::of(answer, written));
    }
    let overview = range::render_overview(&period, &rows);
    files.insert(0, ("overview.md".to_string(), overview.clone()));
    for (name, text) in &files {
        let path = folder.join(name);
        write_atomically(&path, text.as_bytes()).map_err(|error| {
            Error::new(Kind::Io, format!("cannot write {}: {error}", path.display()))
        })?;
    }
    let json = context.format == crate::cli::Format::Json;
    if !json {
        context.printer.data(&overview)?;
    }
    context.printer.info(&format!("changes: reports written to {}", folder.display()));
    if !rows.iter().any(|row| row.file.is_some()) {
        return Err(Error::new(Kind::NoAnswer, "no model produced a report")
            .with_hint("`changes models` shows which models are configured and have keys"));
    }
    let gist = if args.gist {
        Some(publish(context, &repository_name, &after_label, &before_label, &files, &folder)?)
    } else {
        None
    };
    if json {
        let output = ReportOutput {
            after: after_label,
            before: before_label,
            branch,
            commits: window.commits.iter().map(|commit| commit.id.clone()).collect(),
            files: changes.files.iter().map(|file| file.path.clone()).collect(),
            folder: folder.display().to_string(),
            overview: folder.join("overview.md").display().to_string(),
            models: rows,
            gist,
        };
        context.printer.data(&to_json(&output))?;
    } else if let Some(url) = gist {
        context.printer.data(&format!("{url}\n"))?;
    }
    Ok(())
}

fn publish(
    context: &Context,
    repository: &str,
    after: &str,
    before: &str,
    files: &[(String, String)],
    folder: &std::path::Path,
) -> Result<String, Error> {
    let kept = format!("the reports stay in {}", folder.display());
    let Some(token) = crate::gist::token(&context.environment) else {
        return Err(Error::new(Kind::Usage, format!("no GitHub token for --gist; {kept}"))
            .with_hint(
                "set GITHUB_TOKEN (a token with the gist scope), or log in with `gh auth login`",
            ));
    };
    let description = format!("changes in {repository} from {after} to {before}");
    crate::gist::publish(&context.environment, &token, &description, files).map_err(|reason| {
        Error::new(Kind::Io, format!("publishing the gist failed: {reason}; {kept}"))
    })
}

/// The moment relative dates count from: `CHANGES_NOW` when set, else the clock.
fn now(environment: &crate::env::Environment) -> Result<Zoned, Error> {
    match environment.get(env::CHANGES_NOW) {
        Some(text) => parse_date(&Zoned::now(), text, env::CHANGES_NOW),
        None => Ok(Zoned::now()),
    }
}

/// A git-style date: `2026-11-01`, ISO 8601 with time and zone, `7 days ago`, `yesterday`,
/// `last monday`.
fn parse_date(now: &Zoned, text: &str, what: &str) -> Result<Zoned, Error> {
    let invalid = || {
        Error::new(Kind::Usage, format!("{what}: cannot read `{text}` as a date"))
            .with_hint("write a date like 2026-11-01 or 2026-11-01T09:00:00+01:00, or a relative one like \"7 days ago\", \"yesterday\", \"last monday\"")
    };
    match parse_datetime::parse_datetime_at_date(now.clone(), text) {
        Ok(parse_datetime::ParsedDateTime::InRange(date)) => Ok(date),
        _ => Err(invalid()),
    }
}

/// The `--only` globs as one set, `None` when there are none.
fn only_globs(globs: &[String]) -> Result<Option<GlobSet>, Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(
            Glob::new(glob)
                .map_err(|error| Error::new(Kind::Usage, format!("--only {glob}: {error}")))?,
        );
    }
    let set =
        builder.build().map_err(|error| Error::new(Kind::Usage, format!("--only: {error}")))?;
    Ok(Some(set))
}

/// A commit date as the report shows it: to the minute, in the zone of the period's bounds.
fn commit_date(seconds: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(
        |_| "????-??-?? ??:??".to_string(),
        |timestamp| timestamp.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string(),
    )
}
