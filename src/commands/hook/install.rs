//! `changes hook install|uninstall|status`: the stubs in the hooks folder git uses, and a
//! report of what is there, what it calls and which models can run.

use crate::cli::HookName;
use crate::commands::Context;
use crate::config::Settings;
use crate::error::{Error, Kind};
use crate::git::hooks::{self, Hook, HookError, HookState, HooksLocation, Installed, Uninstalled};
use crate::git::Repository;
use crate::llm::provider::{self, Credential};
use crate::report::output::{to_json, HookOutput, StatusModel, StatusOutput};

fn selected(names: &[HookName]) -> Vec<Hook> {
    if names.is_empty() {
        return Hook::ALL.to_vec();
    }
    Hook::ALL
        .into_iter()
        .filter(|hook| {
            names.iter().any(|name| match name {
                HookName::PrepareCommitMsg => *hook == Hook::PrepareCommitMsg,
                HookName::PrePush => *hook == Hook::PrePush,
            })
        })
        .collect()
}

impl From<HookError> for Error {
    fn from(error: HookError) -> Self {
        match error {
            HookError::LegacyExists { .. } => Error::new(Kind::Usage, error.to_string())
                .with_hint("look at it, then run again with --force to replace it"),
            HookError::Git(git) => Error::from(git),
            HookError::Io { .. } => Error::new(Kind::Io, error.to_string()),
        }
    }
}

/// The repository and where its hooks go; hooks make no sense without a repository.
fn locate() -> Result<(Repository, HooksLocation), Error> {
    let repository = Repository::discover()?;
    let location = repository.hooks_location()?;
    Ok((repository, location))
}

/// Indexes the history now, so that the first commit does not wait for it. Trouble here
/// never fails the install: the first draft indexes what is missing.
fn index_history(context: &Context, repository: &Repository) {
    let Ok(loaded) = context.load_config(Some(repository)) else { return };
    let settings = &loaded.settings;
    if !settings.conventions.enabled || repository.work_tree().is_none() {
        return;
    }
    let Ok(options) = super::collect_options(repository, settings) else { return };
    let started = std::time::Instant::now();
    let learned = crate::commands::learn_conventions(
        context,
        repository,
        settings,
        &options,
        &crate::commands::Base::Staged,
        true,
    );
    if let Some(learned) = learned.filter(|learned| learned.commits > 0) {
        context.printer.info(&format!(
            "conventions: learned from {} commits in {}",
            learned.commits,
            crate::text::short_duration(started.elapsed())
        ));
    }
}

/// Runs `changes hook install`.
pub(crate) fn cmd_install(context: &Context, names: &[HookName], force: bool) -> Result<(), Error> {
    let (repository, location) = locate()?;
    let printer = &context.printer;
    let binary = std::env::current_exe().and_then(|path| path.canonicalize()).map_err(|error| {
        Error::new(Kind::Io, format!("cannot tell where this binary is: {error}"))
    })?;
    printer.info(&format!("hooks folder: {} ({})", location.folder.display(), location.reason));
    if let Some(manager) = location.manager {
        printer.info(&format!(
            "core.hooksPath belongs to {}: installing into its folder, chaining any hook already \
             there, and leaving core.hooksPath as it is. {} rewrites that folder when it reinstalls; \
             to keep changes for good, add these lines to its own hook files instead:",
            manager.name(),
            manager.name()
        ));
        let own_folder = location.folder.parent().unwrap_or(&location.folder);
        for hook in selected(names) {
            printer.info(&format!(
                "  {}: changes hook run {} \"$@\"",
                own_folder.join(hook.file_name()).display(),
                hook.file_name()
            ));
        }
    } else if location.shared {
        printer.info("core.hooksPath points outside this repository: every repository using it gets these hooks");
    }
    for hook in selected(names) {
        let outcome = hooks::install(&location.folder, hook, &binary, force)?;
        let name = hook.file_name();
        let line = match outcome {
            Installed::Created => format!("{name}: installed"),
            Installed::Updated => format!("{name}: updated"),
            Installed::Unchanged => format!("{name}: already installed"),
            Installed::Chained(legacy) => format!(
                "{name}: installed; your hook was moved to {} and still runs first",
                legacy.display()
            ),
        };
        printer.info(&line);
    }
    if selected(names).contains(&Hook::PrepareCommitMsg) {
        index_history(context, &repository);
    }
    Ok(())
}

/// Runs `changes hook uninstall`.
pub(crate) fn cmd_uninstall(context: &Context, names: &[HookName]) -> Result<(), Error> {
    let (_, location) = locate()?;
    for hook in selected(names) {
        let name = hook.file_name();
        let line = match hooks::uninstall(&location.folder, hook)? {
            Uninstalled::Removed => format!("{name}: removed"),
            Uninstalled::Restored => format!("{name}: removed; your earlier hook is back"),
            Uninstalled::NotOurs => format!("{name}: not installed by changes; left alone"),
            Uninstalled::NotInstalled => format!("{name}: not installed"),
        };
        context.printer.info(&line);
    }
    Ok(())
}

/// Runs `changes hook status`.
pub(crate) fn cmd_status(context: &Context) -> Result<(), Error> {
    let (repository, location) = locate()?;
    let loaded = context.load_config(Some(&repository))?;
    let status = status(context, &location, &loaded.settings);
    if context.format == crate::cli::Format::Json {
        context.printer.data(&to_json(&status))?;
        return Ok(());
    }
    let mut text = format!("hooks folder: {}\n  because: {}\n", status.hooks_folder, status.reason);
    if let Some(manager) = status.manager {
        text.push_str(&format!("  managed by: {manager}\n"));
    }
    for hook in &status.hooks {
        text.push_str(&format!("{}: {}\n", hook.name, describe(hook)));
    }
    text.push_str("models:\n");
    for model in &status.models {
        let default = if model.default { ", default" } else { "" };
        text.push_str(&format!(
            "  {} ({}{default}): {}\n",
            model.name, model.provider, model.key_detail
        ));
    }
    context.printer.data(&text)?;
    Ok(())
}

/// What `hook status` shows, as text and as JSON.
fn status(context: &Context, location: &HooksLocation, settings: &Settings) -> StatusOutput {
    let hooks = Hook::ALL
        .iter()
        .map(|hook| {
            let mut output = HookOutput {
                name: hook.file_name(),
                state: "missing",
                executable: None,
                binary: None,
                binary_exists: None,
                chained: None,
                manager: None,
            };
            match hooks::state(&location.folder, *hook) {
                HookState::Missing => {}
                HookState::Foreign { executable, manager } => {
                    output.state = "foreign";
                    output.executable = Some(executable);
                    output.manager = manager.map(|manager| manager.name());
                }
                HookState::Ours { executable, binary, binary_exists, legacy } => {
                    output.state = "installed";
                    output.executable = Some(executable);
                    output.binary = Some(binary.display().to_string());
                    output.binary_exists = Some(binary_exists);
                    output.chained = legacy.map(|legacy| legacy.display().to_string());
                }
            }
            output
        })
        .collect();
    let models = settings
        .models
        .iter()
        .map(|model| {
            let (key, key_detail) = match provider::credential(model, &context.environment) {
                Credential::NotNeeded => ("not needed", "no key needed".to_string()),
                Credential::Present(variable) => ("present", format!("key in {variable}")),
                Credential::UserFile => ("present", "key in the user file".to_string()),
                Credential::Missing(variables) => {
                    ("missing", format!("no key ({})", variables.join(" or ")))
                }
            };
            StatusModel {
                name: model.name.to_string(),
                provider: model.provider.to_string(),
                default: settings.defaults.contains(&model.name),
                key,
                key_detail,
            }
        })
        .collect();
    StatusOutput {
        hooks_folder: location.folder.display().to_string(),
        reason: location.reason.to_string(),
        manager: location.manager.map(|manager| manager.name()),
        hooks,
        models,
    }
}

/// One hook's state in words, with what to do about it.
fn describe(hook: &HookOutput) -> String {
    match hook.state {
        "foreign" => {
            let owner = hook.manager.map_or_else(
                || "someone else's hook".to_string(),
                |manager| format!("{manager}'s hook"),
            );
            let run_bit =
                if hook.executable == Some(false) { " (not executable: git skips it)" } else { "" };
            format!("{owner}, not changes{run_bit}; `changes hook install` would chain it")
        }
        "installed" => {
            let mut parts =
                vec![format!("installed, calls {}", hook.binary.as_deref().unwrap_or("?"))];
            if hook.binary_exists == Some(false) {
                parts.push("that binary is missing: the hook falls back to `changes` on PATH, else does nothing; run `changes hook install` again".to_string());
            }
            if hook.executable == Some(false) {
                parts.push(
                    "missing its run bit: git skips it; run `changes hook install` again"
                        .to_string(),
                );
            }
            if let Some(legacy) = &hook.chained {
                parts.push(format!("runs {legacy} first"));
            }
            parts.join("; ")
        }
        _ => "not installed".to_string(),
    }
}
