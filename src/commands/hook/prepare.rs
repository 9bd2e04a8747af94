//! `changes hook run prepare-commit-msg FILE [SOURCE [SHA]]`: what git runs before it opens
//! the editor. Decides whether to draft at all (source, replayed commits, no editor, skip
//! switches), then puts the draft into the message file atomically — or leaves the file
//! exactly as git wrote it.

use std::ffi::OsString;
use std::path::Path;

use super::{collect_options, draft, warn_about_secrets};
use crate::commands::{Base, Context};
use crate::config::CommitSource;
use crate::env;
use crate::error::{Error, Kind};
use crate::files::{read_message, write_message};
use crate::git::Repository;
use crate::report::commit::{self, DraftSummary, Placement};

/// Runs the hook. `Ok` covers every case where nothing is to be done.
pub(crate) fn run(context: &Context, arguments: &[OsString]) -> Result<(), Error> {
    if context.environment.flag(env::CHANGES_SKIP) {
        return Ok(());
    }
    let Some(message_file) = arguments.first().filter(|path| !path.is_empty()) else {
        return Err(Error::new(
            Kind::Usage,
            "prepare-commit-msg was called without a message file",
        ));
    };
    let message_file = Path::new(message_file);
    // git passes an empty source for `--squash` in some versions, and nothing for a plain
    // commit. The pre-commit framework passes only the file and the rest in variables.
    let environment = &context.environment;
    let source = arguments
        .get(1)
        .and_then(|source| source.to_str())
        .or_else(|| environment.get(env::PRE_COMMIT_COMMIT_MSG_SOURCE))
        .filter(|source| !source.is_empty());
    let revision = arguments
        .get(2)
        .and_then(|revision| revision.to_str())
        .or_else(|| environment.get(env::PRE_COMMIT_COMMIT_OBJECT_NAME))
        .filter(|revision| !revision.is_empty());

    let repository = Repository::discover()?;
    if repository.work_tree().is_none() {
        return Ok(());
    }
    if let Some(operation) = repository.replay_in_progress() {
        context.printer.detail(&format!("{operation} is in progress: no draft"));
        return Ok(());
    }
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    if settings.skip {
        return Ok(());
    }

    let source = match source {
        None => None,
        Some("message") => Some(CommitSource::Message),
        Some("template") => Some(CommitSource::Template),
        Some("merge") => Some(CommitSource::Merge),
        Some("squash") => Some(CommitSource::Squash),
        Some("commit") => Some(CommitSource::Commit),
        // A source this version does not know: leave the file alone rather than guess.
        Some(_) => return Ok(()),
    };
    if source.is_some_and(|source| settings.commit.skip_sources.contains(&source)) {
        return Ok(());
    }
    if !settings.commit.draft_without_editor && !editor_will_open(context, &repository) {
        context.printer.detail("no editor will open: no unreviewed draft written");
        return Ok(());
    }

    let file = read_message(message_file).map_err(|error| {
        Error::new(Kind::Io, format!("cannot read {}: {error}", message_file.display()))
    })?;
    let original = &file.content;
    let configured_comment = repository
        .config_string("core.commentString")
        .or_else(|| repository.config_string("core.commentChar"));
    let original_text = String::from_utf8_lossy(original);
    let comment = commit::comment_string(configured_comment.as_deref(), &original_text);
    if commit::already_drafted(&original_text, &comment) {
        return Ok(());
    }

    // `--amend` passes `commit HEAD`: its redraft describes the whole amended commit.
    let amend = source == Some(CommitSource::Commit) && revision == Some("HEAD");
    let options = collect_options(&repository, settings)?;
    let changes = if amend {
        let parent = repository.has_parent("HEAD").then_some("HEAD^");
        repository.staged_since(parent, &options)?
    } else {
        repository.staged(&options)?
    };
    if changes.is_empty() {
        return Ok(());
    }
    warn_about_secrets(context, &changes);

    let base = if amend {
        Base::Commit(
            repository.has_parent("HEAD").then(|| repository.commit_id("HEAD^")).transpose()?,
        )
    } else {
        Base::Staged
    };
    let drafting = draft(context, &repository, settings, &changes, &base)?;
    let placement = match source {
        None | Some(CommitSource::Template) => Placement::Draft,
        Some(CommitSource::Commit) => Placement::Redraft,
        Some(CommitSource::Message | CommitSource::Merge | CommitSource::Squash) => {
            Placement::CommentsOnly
        }
    };
    let summary = DraftSummary::of(&drafting);
    let Some(updated) = commit::render_message_file(original, &comment, placement, &summary) else {
        let reasons: Vec<String> = drafting
            .run
            .answers
            .iter()
            .filter_map(|answer| {
                answer.outcome.as_ref().err().map(|error| format!("{}: {error}", answer.model))
            })
            .collect();
        if reasons.is_empty() {
            return Ok(());
        }
        return Err(Error::new(Kind::NoAnswer, format!("no draft ({})", reasons.join("; "))));
    };
    write_message(&file, &updated).map_err(|error| {
        Error::new(Kind::Io, format!("cannot write {}: {error}", message_file.display()))
    })
}

/// False when git will not open an editor, so a draft would be committed unread: the editor
/// resolves to `:` (git's "no editor"), or the `git commit` that runs us was given
/// `--no-edit`.
fn editor_will_open(context: &Context, repository: &Repository) -> bool {
    let environment = &context.environment;
    let visual =
        environment.get(env::VISUAL).filter(|_| environment.get(env::TERM) != Some("dumb"));
    let editor = environment
        .get(env::GIT_EDITOR)
        .map(str::to_string)
        .or_else(|| repository.config_string("core.editor"))
        .or_else(|| visual.map(str::to_string))
        .or_else(|| environment.get(env::EDITOR).map(str::to_string));
    if editor.is_some_and(|editor| editor.trim() == ":") {
        return false;
    }
    !parent_was_given("--no-edit")
}

/// Whether the process that started us (git, since the hook stub `exec`s this binary) was
/// given `flag` before any `--`. Only Linux exposes this; elsewhere the answer is no.
fn parent_was_given(flag: &str) -> bool {
    let parent = std::os::unix::process::parent_id();
    let Ok(command_line) = std::fs::read(format!("/proc/{parent}/cmdline")) else {
        return false;
    };
    command_line
        .split(|byte| *byte == 0)
        .take_while(|argument| *argument != b"--")
        .any(|argument| argument == flag.as_bytes())
}
