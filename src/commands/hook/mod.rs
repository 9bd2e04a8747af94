//! `changes hook ...`: install, uninstall and inspect the hooks; the entry point the installed
//! hooks call; and the manual draft of a commit message for the staged changes.

mod install;
mod prepare;
mod push;

use crate::cli::{HookArgs, HookCommand, RunArgs};
use crate::commands::{Base, Context};
use crate::config::Settings;
use crate::engine::{self, Drafts};
use crate::error::{Error, Kind};
use crate::git::{ChangeSet, CollectOptions, Exclusion, Repository};
use crate::privacy::Filter;
use crate::report::output::{to_json, DraftOutput};
use crate::text::short_duration;

/// Runs `changes hook`.
pub(crate) fn cmd_hook(context: &Context, args: &HookArgs) -> Result<(), Error> {
    match &args.command {
        HookCommand::Install { hooks, force } => install::cmd_install(context, hooks, *force),
        HookCommand::Uninstall { hooks } => install::cmd_uninstall(context, hooks),
        HookCommand::Status => install::cmd_status(context),
        // A dry run's trouble is a real error: nobody's commit or push waits on it.
        HookCommand::Run(run) if run.dry_run && run.hook.as_deref() == Some("pre-push") => {
            push::dry_run(context, run)
        }
        // The commit draft and the push review have a dry run; a hook run that ignored the
        // flag would send what the user asked only to see.
        HookCommand::Run(run) if run.dry_run && run.hook.is_some() => Err(Error::new(
            Kind::Usage,
            "--dry-run shows the requests of a commit draft (`changes hook run --dry-run`) or \
             of a push review (`changes hook run pre-push --dry-run`); this hook has none, and \
             nothing was sent",
        )),
        HookCommand::Run(run) => match &run.hook {
            Some(hook) if hook == "pre-push" && run.arguments.is_empty() => {
                if context.environment.is_set(crate::env::PRE_COMMIT_TO_REF) {
                    never_block(context, hook, push::run_for_pre_commit(context))
                } else {
                    push::run_by_hand(context, run)
                }
            }
            Some(hook) => {
                let result = match hook.as_str() {
                    "prepare-commit-msg" => prepare::run(context, &run.arguments),
                    "pre-push" => push::run_for_git(context, &run.arguments),
                    other => Err(Error::new(
                        Kind::Usage,
                        format!("`{other}` is not a hook changes handles"),
                    )),
                };
                never_block(context, hook, result)
            }
            None => draft_by_hand(context, run),
        },
    }
}

/// The result of a hook run for git (or a hook manager). Whatever went wrong is one warning
/// line and exit 0: our trouble never stops the user's commit or push. Only the user's own
/// policy (`push.block`) may.
fn never_block(context: &Context, hook: &str, result: Result<(), Error>) -> Result<(), Error> {
    match result {
        Err(error) if error.kind == Kind::Blocked => Err(error),
        Err(error) => {
            let goes_on =
                if hook == "pre-push" { "the push goes on" } else { "the commit goes on" };
            context.printer.warn(&format!("{error}; {goes_on}"));
            Ok(())
        }
        Ok(()) => Ok(()),
    }
}

/// The collection options of a run: the configured path rules and byte caps.
pub(crate) fn collect_options(
    repository: &Repository,
    settings: &Settings,
) -> Result<CollectOptions, Error> {
    Ok(CollectOptions {
        filter: Filter::new(repository.work_tree(), &settings.exclude)?,
        limits: settings.limits,
    })
}

/// What a secret found in staged content is told as.
fn about_staged_secret(kind: &str) -> String {
    let article = crate::privacy::article(kind);
    format!(
        "this looks like {article} {kind}; it is never sent to a model. Is it meant to be committed?"
    )
}

/// The engine's options for a commit draft from `base`, with the repository's conventions
/// (learned, and written to their cache when `write`).
fn draft_options<'a>(
    context: &'a Context,
    repository: &Repository,
    settings: &'a Settings,
    changes: &ChangeSet,
    base: &Base,
    write: bool,
) -> Result<engine::Options<'a>, Error> {
    let mut options =
        crate::commands::engine_options(context, repository, settings, settings.commit.timeout);
    let collect = collect_options(repository, settings)?;
    options.conventions =
        crate::commands::learn_conventions(context, repository, settings, &collect, base, write);
    if let Some(conventions) = options.conventions.as_ref().filter(|_| context.printer.is_verbose())
    {
        for line in crate::conventions::describe_for(conventions, changes) {
            context.printer.detail(&line);
        }
    }
    Ok(options)
}

/// `--dry-run`: prints the requests a draft would send, built by the same functions as the
/// real run, sending nothing.
fn dry_run(
    context: &Context,
    repository: &Repository,
    settings: &Settings,
    changes: &ChangeSet,
    base: &Base,
) -> Result<(), Error> {
    let mut options = draft_options(context, repository, settings, changes, base, false)?;
    options.progress = None;
    let preview = engine::preview_commit(changes, options)?;
    crate::commands::print_dry_run(context, &preview, about_staged_secret)
}

/// Selects the models and asks each for a commit message, warning about replaced secrets
/// and cache trouble on the way.
fn draft(
    context: &Context,
    repository: &Repository,
    settings: &Settings,
    changes: &ChangeSet,
    base: &Base,
) -> Result<Drafts, Error> {
    let options = draft_options(context, repository, settings, changes, base, true)?;
    let drafts = engine::draft_commit(changes, options)?;
    crate::commands::warn_about_run(context, &drafts.run, Some(about_staged_secret));
    Ok(drafts)
}

/// `changes hook run [--rev REV] [--dry-run]`: prints a draft for the staged changes.
fn draft_by_hand(context: &Context, args: &RunArgs) -> Result<(), Error> {
    let repository = Repository::discover()?;
    if repository.work_tree().is_none() && args.rev.is_none() {
        // A bare repository's index is empty: against HEAD, every file would read as deleted.
        return Err(Error::new(Kind::Usage, "a bare repository has no staged changes")
            .with_hint("draft for an existing commit with `changes hook run --rev HEAD`"));
    }
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    let options = collect_options(&repository, settings)?;
    let changes = match &args.rev {
        Some(revision) => repository.commit(revision, &options)?,
        None => repository.staged(&options)?,
    };
    if changes.is_empty() {
        let error = match &args.rev {
            Some(revision) => Error::new(Kind::Usage, format!("commit {revision} changes no file")),
            None => Error::new(Kind::Usage, "nothing is staged").with_hint(
                "stage changes with `git add`, or draft for the last commit with `changes hook run --rev HEAD`",
            ),
        };
        return Err(error);
    }
    describe_unsent(context, &changes);
    let base = match &args.rev {
        Some(revision) => {
            let parent = format!("{revision}^");
            Base::Commit(
                repository
                    .has_parent(revision)
                    .then(|| repository.commit_id(&parent))
                    .transpose()?,
            )
        }
        None => Base::Staged,
    };
    if args.dry_run {
        return dry_run(context, &repository, settings, &changes, &base);
    }
    let drafting = draft(context, &repository, settings, &changes, &base)?;
    for skipped in &drafting.run.selection.skipped {
        let line = format!("{}: skipped: {}", skipped.model, skipped.reason);
        if context.models.is_empty() {
            context.printer.detail(&line);
        } else {
            context.printer.warn(&line);
        }
    }
    for answer in &drafting.run.answers {
        if let Err(error) = &answer.outcome {
            context.printer.warn(&format!("{}: failed: {error}", answer.model));
        }
    }
    if context.format == crate::cli::Format::Json {
        context.printer.data(&to_json(&DraftOutput::of(&drafting, &changes)))?;
        if drafting.primary().is_none() {
            return Err(Error::new(Kind::NoAnswer, "no model produced a draft"));
        }
        return Ok(());
    }
    let Some(text) = render_answers(&drafting) else {
        return Err(Error::new(Kind::NoAnswer, "no model produced a draft")
            .with_hint("`changes models` shows which models are configured and have keys")
            .with_hint("`--models local` drafts with the built-in model, offline"));
    };
    context.printer.data(&text)?;
    let answered: Vec<String> = drafting
        .run
        .answers
        .iter()
        .filter(|answer| answer.output().is_some())
        .map(|answer| format!("{} in {}", answer.model, short_duration(answer.duration)))
        .collect();
    context.printer.detail(&format!("drafted by {}", answered.join(", ")));
    Ok(())
}

/// The primary draft, followed by the alternatives as `#` comments; `None` when every
/// model failed.
fn render_answers(drafts: &Drafts) -> Option<String> {
    let mut text = drafts.primary()?.output()?.to_text();
    for alternative in &drafts.merged.alternatives {
        let answers = &drafts.run.answers;
        let Some(message) = answers[alternative.answer].output() else { continue };
        text.push_str(&format!(
            "\n# ── {} ──\n",
            crate::report::commit::who(answers, alternative.answer, &alternative.same)
        ));
        for line in message.to_text().lines() {
            text.push_str(&if line.is_empty() { "#\n".to_string() } else { format!("# {line}\n") });
        }
    }
    Some(text)
}

/// Names every staged file that may hold secrets: its content is never sent, but the user
/// may not have meant to commit it.
fn warn_about_secrets(context: &Context, changes: &ChangeSet) {
    for file in changes.files.iter().filter(|file| file.exclusion == Some(Exclusion::Secret)) {
        context.printer.warn(&format!("{} may hold secrets: its content is not sent", file.path));
    }
}

/// Says how many files were not sent and why, in one line (each of them with `-v`).
fn describe_unsent(context: &Context, changes: &ChangeSet) {
    warn_about_secrets(context, changes);
    let unsent: Vec<_> = changes.files.iter().filter(|file| file.patch.is_none()).collect();
    for file in unsent.iter().filter(|file| file.exclusion != Some(Exclusion::Secret)) {
        context.printer.detail(&format!("not sent: {}", file.header()));
    }
    if !unsent.is_empty() {
        context.printer.info(&format!(
            "changes: {} of {} files listed with stats only (content not sent; -v lists them)",
            unsent.len(),
            changes.files.len()
        ));
    }
}
