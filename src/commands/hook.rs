//! `changes hook ...`: the entry point the installed hooks call, and the manual draft of a
//! commit message for the staged changes (or an existing commit).

use crate::cli::{HookArgs, HookCommand, RunArgs};
use crate::commands::Context;
use crate::error::{Error, Kind};
use crate::git::{ChangeSet, CollectOptions, Exclusion, Filter, Repository};
use crate::llm::{self, Answer};
use crate::report::format_duration_short;
use crate::summarize::prompt;

/// Runs `changes hook`.
pub fn cmd_hook(context: &Context, args: &HookArgs) -> Result<(), Error> {
    match &args.command {
        HookCommand::Install { .. } => Err(Error::unavailable("`changes hook install`")
            .with_hint("`changes hook run` drafts a message for the staged changes by hand")),
        HookCommand::Uninstall { .. } => Err(Error::unavailable("`changes hook uninstall`")),
        HookCommand::Status => Err(Error::unavailable("`changes hook status`")
            .with_hint("`changes models` shows the models and whether their keys are present")),
        HookCommand::Run(run) => match &run.hook {
            // Called by git: whatever happens, never stop the user's command.
            Some(hook) => {
                context.printer.warn(&format!(
                    "the {hook} hook is not available in this version of changes yet; nothing done"
                ));
                Ok(())
            }
            None => draft_by_hand(context, run),
        },
    }
}

/// `changes hook run [--rev REV] [--dry-run]`: prints a draft for the staged changes.
fn draft_by_hand(context: &Context, args: &RunArgs) -> Result<(), Error> {
    let repository = Repository::discover()?;
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    let options = CollectOptions {
        filter: Filter::new(repository.work_tree(), &settings.exclude)?,
        limits: settings.limits,
    };
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
    if args.dry_run {
        context.printer.data(&prompt::render_changes(&changes))?;
        return Ok(());
    }

    let selection = llm::select(settings, &context.models, &context.environment)?;
    for (name, reason) in &selection.skipped {
        if context.models.is_empty() {
            context
                .printer
                .detail(&format!("{name}: skipped: {reason}"));
        } else {
            context.printer.warn(&format!("{name}: skipped: {reason}"));
        }
    }
    let answers = llm::draft_commit(
        &selection,
        &changes,
        settings.commit.style,
        settings.commit.max_subject,
    );
    let text = render_answers(&answers);
    for answer in &answers {
        if let Err(reason) = &answer.outcome {
            context
                .printer
                .warn(&format!("{}: failed: {reason}", answer.model));
        }
    }
    let Some(text) = text else {
        return Err(Error::new(Kind::NoAnswer, "no model produced a draft")
            .with_hint("`changes models` shows which models are configured and have keys"));
    };
    context.printer.data(&text)?;
    let answered: Vec<String> = answers
        .iter()
        .filter(|answer| answer.outcome.is_ok())
        .map(|answer| {
            format!(
                "{} in {}",
                answer.model,
                format_duration_short(answer.duration)
            )
        })
        .collect();
    context
        .printer
        .detail(&format!("drafted by {}", answered.join(", ")));
    Ok(())
}

/// The first successful draft, followed by the others as `#` comments; `None` when every
/// model failed.
fn render_answers(answers: &[Answer]) -> Option<String> {
    let mut successes = answers.iter().filter_map(|answer| {
        answer
            .outcome
            .as_ref()
            .ok()
            .map(|message| (answer, message))
    });
    let (_, primary) = successes.next()?;
    let mut text = primary.to_text();
    for (answer, message) in successes {
        text.push_str(&format!(
            "\n# ── {} ({}) ──\n",
            answer.model,
            format_duration_short(answer.duration)
        ));
        for line in message.to_text().lines() {
            text.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
        }
    }
    Some(text)
}

/// Tells the user which files were not sent and why, in one line (all of them with `-v`).
/// Files that may hold secrets are always named, as a warning.
fn describe_unsent(context: &Context, changes: &ChangeSet) {
    let unsent: Vec<_> = changes
        .files
        .iter()
        .filter(|file| file.patch.is_none())
        .collect();
    for file in &unsent {
        if file.exclusion == Some(Exclusion::Secret) {
            context.printer.warn(&format!(
                "{} may hold secrets: its content is not sent",
                file.path
            ));
        } else {
            context
                .printer
                .detail(&format!("not sent: {}", prompt::file_header(file)));
        }
    }
    if !unsent.is_empty() {
        context.printer.info(&format!(
            "changes: {} of {} files listed with stats only (content not sent; -v lists them)",
            unsent.len(),
            changes.files.len()
        ));
    }
}
