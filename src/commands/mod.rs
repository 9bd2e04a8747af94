//! One module per command; each exposes one `cmd_*` function taking the shared `Context`.

pub(crate) mod config;
pub(crate) mod eval;
pub(crate) mod hook;
pub(crate) mod models;
pub(crate) mod report;
pub(crate) mod trust;

/// Refuses `--format json` on a command that does not produce JSON yet, rather than printing
/// text a program would then fail to parse.
pub(crate) fn text_only(context: &Context, command: &str) -> Result<(), crate::error::Error> {
    if context.format == crate::cli::Format::Json {
        return Err(crate::error::Error::unavailable(&format!("--format json for `{command}`")));
    }
    Ok(())
}

use crate::config::{FlagOverrides, Loaded, Settings};
use crate::engine::{self, cache::Cache};
use crate::env::Environment;
use crate::error::Error;
use crate::git::Repository;
use crate::ui::Printer;

/// What every command gets: the environment snapshot, the printer and the global flags.
pub(crate) struct Context {
    /// Environment variables, read once.
    pub environment: Environment,
    /// Output.
    pub printer: Printer,
    /// `--models`, empty for the defaults.
    pub models: Vec<String>,
    /// Flags that override configuration.
    pub flags: FlagOverrides,
    /// `--format`.
    pub format: crate::cli::Format,
}

impl Context {
    /// Loads the configuration for `repository` (its `.changes.yaml` is a layer), or without a
    /// repository layer when there is none.
    pub(crate) fn load_config(&self, repository: Option<&Repository>) -> Result<Loaded, Error> {
        let root = repository.and_then(Repository::work_tree);
        let loaded = crate::config::load(&self.environment, root, &self.flags)?;
        for notice in &loaded.notices {
            self.printer.warn(notice);
        }
        Ok(loaded)
    }
}

/// The options of a run of the engine for `repository`: the configured models, the cache,
/// the deadline, and a live display on a terminal.
pub(crate) fn engine_options<'a>(
    context: &'a Context,
    repository: &Repository,
    settings: &'a Settings,
    timeout: std::time::Duration,
) -> engine::Options<'a> {
    engine::Options {
        settings,
        environment: &context.environment,
        requested: &context.models,
        cache: Some(Cache::in_git_dir(&repository.common_dir())),
        timeout,
        progress: crate::ui::live_progress(),
        speeds: context.environment.state_dir().map(engine::speed::Speeds::in_state_dir),
        conventions: None,
    }
}

/// Warnings about a finished run: secrets replaced before sending (each said by
/// `about_secret` from its kind, when given), trouble of the run itself, and what went wrong
/// without stopping a model from answering.
pub(crate) fn warn_about_run<T>(
    context: &Context,
    run: &engine::Run<T>,
    about_secret: Option<fn(&str) -> String>,
) {
    for secret in run.secrets.iter().filter(|_| about_secret.is_some()) {
        let line = secret.line.map(|line| format!(":{line}")).unwrap_or_default();
        let said = about_secret.map(|about| about(secret.kind)).unwrap_or_default();
        context.printer.warn(&format!("{}{line}: {said}", secret.path));
    }
    for warning in &run.warnings {
        context.printer.warn(warning);
    }
    for answer in &run.answers {
        for detail in &answer.details {
            context.printer.detail(&format!("{}: {detail}", answer.model));
        }
        for note in &answer.notes {
            context.printer.warn(&format!("{}: {note}", answer.model));
        }
    }
}

/// What a secret replaced before sending is told as, in a review or a report (the commit
/// draft asks whether the file is meant to be committed instead).
pub(crate) fn about_replaced_secret(kind: &str) -> String {
    format!("{} {kind} was replaced before sending", crate::privacy::article(kind))
}

/// `--dry-run`: prints the requests of `preview` byte for byte as they would be sent, with
/// what redaction replaced on stderr (each secret in file content said by `about_secret`);
/// `--format json` gives them per model with their bodies. Nothing is sent.
pub(crate) fn print_dry_run(
    context: &Context,
    preview: &engine::Preview,
    about_secret: fn(&str) -> String,
) -> Result<(), Error> {
    use crate::report::dry_run;
    for secret in &preview.secrets {
        let line = secret.line.map(|line| format!(":{line}")).unwrap_or_default();
        // Named as the requests name it: a dry run's output is shared to show what is sent.
        let path = crate::privacy::redact_text(&secret.path).0;
        context.printer.warn(&format!("{path}{line}: {}", about_secret(secret.kind)));
    }
    for replaced in &preview.replaced {
        context.printer.warn(replaced);
    }
    for skipped in &preview.selection.skipped {
        context.printer.detail(&format!("{}: skipped: {}", skipped.model, skipped.reason));
    }
    if context.format == crate::cli::Format::Json {
        let output = dry_run::DryRunOutput { dry_run: true, models: &preview.models };
        context.printer.data(&crate::report::output::to_json(&output))?;
        return Ok(());
    }
    let groups = dry_run::groups(&preview.models);
    if groups.is_empty() {
        context.printer.info(
            "changes: no selected model sends anything (the built-in `local` answers on this \
             machine); below is what a network model would be sent",
        );
        context.printer.data(&preview.description)?;
        return Ok(());
    }
    for group in &groups {
        if let Some(note) = &group.model.note {
            context.printer.info(&format!("changes: {}: {note}", group.names.join(", ")));
        }
    }
    context.printer.data(&dry_run::render_text(&groups))?;
    Ok(())
}

/// The most of a rule file or guide that is read: a configuration, not a data set.
pub(crate) const MAX_RULE_FILE_BYTES: u64 = 512 * 1024;

/// Where a draft's history starts: the commit the change is described from.
pub(crate) enum Base {
    /// The staged changes: `HEAD` (none before the first commit); rule files from the work
    /// tree.
    Staged,
    /// An existing commit, or an amend: the history ends at this commit (`None`: a root
    /// commit) and rule files come from its tree.
    Commit(Option<String>),
}

/// The repository's conventions for a draft from `base`, or `None` when they are turned off
/// or cannot be learned (said in one warning: a draft without them is still a draft).
pub(crate) fn learn_conventions(
    context: &Context,
    repository: &Repository,
    settings: &Settings,
    options: &crate::git::CollectOptions,
    base: &Base,
    write: bool,
) -> Option<std::sync::Arc<crate::conventions::Conventions>> {
    use crate::conventions::{self, Source};
    use crate::git::Exclusion;
    if !settings.conventions.enabled {
        return None;
    }
    let (base_id, from_tree) = match base {
        Base::Staged => (repository.head_id(), false),
        Base::Commit(id) => (id.clone(), true),
    };
    let root = repository.work_tree().map(std::path::Path::to_path_buf);
    // A repository chooses which files these are (`conventions.guide` even when untrusted),
    // and a guide's text goes into prompts: only its own files are read, never through a
    // link out of it, never `.git` or a file the user excludes, never a special file.
    let refused: std::cell::RefCell<Vec<(String, String)>> = std::cell::RefCell::default();
    let read = |path: &str| -> Option<Vec<u8>> {
        let refuse = |reason: String| {
            refused.borrow_mut().push((path.to_string(), reason));
            None
        };
        let bytes = if from_tree {
            let id = base_id.as_deref()?;
            repository.small_file_at(id, path, MAX_RULE_FILE_BYTES).ok().flatten()?
        } else {
            match crate::files::read_in_work_tree(root.as_deref()?, path, MAX_RULE_FILE_BYTES) {
                Ok(bytes) => bytes?,
                Err(reason) => return refuse(reason),
            }
        };
        // Said only of a file that is there: the names looked for are many.
        match options.filter.classify_path(path) {
            Some(exclusion @ (Exclusion::Secret | Exclusion::UserExcluded(_))) => {
                refuse(format!("it is excluded ({exclusion})"))
            }
            _ => Some(bytes),
        }
    };
    let line = crate::ui::ProgressLine::new();
    let source = Source {
        base: base_id.as_deref(),
        history: settings.conventions.history,
        files: &read,
        guide: settings.conventions.guide.as_deref(),
        write,
    };
    let learned = conventions::learn(repository, &source, options, &|done, total| {
        line.update(&format!(
            "changes: learning this repository's conventions, {done}/{total} commits"
        ));
    });
    line.finish();
    let guide = settings.conventions.guide.as_deref();
    for (path, reason) in refused.borrow().iter() {
        if Some(path.as_str()) == guide {
            context.printer.warn(&format!("conventions.guide `{path}` not read: {reason}"));
        } else {
            context.printer.detail(&format!("rule file skipped: {path}: not read: {reason}"));
        }
    }
    let mut learned = match learned {
        Ok(learned) => learned,
        Err(error) => {
            context.printer.warn(&format!("conventions not learned: {error}"));
            return None;
        }
    };
    for warning in &learned.warnings {
        if learned.rules.skipped.contains(warning) {
            context.printer.detail(&format!("rule file skipped: {warning}"));
        } else {
            context.printer.warn(warning);
        }
    }
    if matches!(base, Base::Staged) {
        learned.branch = repository.branch_name();
    }
    if write {
        for line in conventions::describe(&learned) {
            context.printer.detail(&line);
        }
    }
    Some(std::sync::Arc::new(learned))
}

/// The commits `ids` with what the intent grouping needs (their subjects and changes), read
/// through the history index (kept in it when `write`); trouble writing the index is said
/// once.
pub(crate) fn intent_commits(
    context: &Context,
    repository: &Repository,
    ids: &[&str],
    options: &crate::git::CollectOptions,
    write: bool,
) -> Vec<crate::offline::intent::Commit> {
    let (commits, warning) = crate::conventions::intent_commits(repository, ids, options, write);
    if let Some(warning) = warning {
        context.printer.warn(&warning);
    }
    commits
}
