//! `changes hook install|uninstall|status`: the stubs in the hooks folder git uses, and a
//! report of what is there, what it calls and which models can run.

use crate::cli::HookName;
use crate::commands::Context;
use crate::error::{Error, Kind};
use crate::git::hooks::{self, Hook, HookError, HookState, HooksLocation, Installed, Uninstalled};
use crate::git::Repository;
use crate::llm::provider::{self, Credential};

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

/// Runs `changes hook install`.
pub fn cmd_install(context: &Context, names: &[HookName], force: bool) -> Result<(), Error> {
    let (_, location) = locate()?;
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
    Ok(())
}

/// Runs `changes hook uninstall`.
pub fn cmd_uninstall(context: &Context, names: &[HookName]) -> Result<(), Error> {
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
pub fn cmd_status(context: &Context) -> Result<(), Error> {
    let (repository, location) = locate()?;
    if context.format == crate::cli::Format::Json {
        return status_json(context, &repository, &location);
    }
    let mut text =
        format!("hooks folder: {}\n  because: {}\n", location.folder.display(), location.reason);
    if let Some(manager) = location.manager {
        text.push_str(&format!("  managed by: {}\n", manager.name()));
    }
    for hook in Hook::ALL {
        text.push_str(&format!(
            "{}: {}\n",
            hook.file_name(),
            describe(&hooks::state(&location.folder, hook))
        ));
    }
    let loaded = context.load_config(Some(&repository))?;
    text.push_str("models:\n");
    for model in &loaded.settings.models {
        let credential = match provider::credential(model, &context.environment) {
            Credential::NotNeeded => "no key needed".to_string(),
            Credential::Present(variable) => format!("key in {variable}"),
            Credential::Missing(variables) => format!("no key ({})", variables.join(" or ")),
            Credential::UserFile => "key in the user file".to_string(),
        };
        let default = if loaded.settings.defaults.contains(&model.name) { ", default" } else { "" };
        text.push_str(&format!("  {} ({}{default}): {credential}\n", model.name, model.provider));
    }
    context.printer.data(&text)?;
    Ok(())
}

/// `hook status --format json`.
fn status_json(
    context: &Context,
    repository: &Repository,
    location: &HooksLocation,
) -> Result<(), Error> {
    let hooks: Vec<serde_json::Value> = Hook::ALL
        .iter()
        .map(|hook| {
            let state = hooks::state(&location.folder, *hook);
            let mut value = serde_json::json!({ "name": hook.file_name() });
            match state {
                HookState::Missing => value["state"] = "missing".into(),
                HookState::Foreign { executable, manager } => {
                    value["state"] = "foreign".into();
                    value["executable"] = executable.into();
                    value["manager"] = manager.map(|manager| manager.name()).into();
                }
                HookState::Ours { executable, binary, binary_exists, legacy } => {
                    value["state"] = "installed".into();
                    value["executable"] = executable.into();
                    value["binary"] = binary.display().to_string().into();
                    value["binary_exists"] = binary_exists.into();
                    value["chained"] = legacy.map(|legacy| legacy.display().to_string()).into();
                }
            }
            value
        })
        .collect();
    let loaded = context.load_config(Some(repository))?;
    let models: Vec<serde_json::Value> = loaded
        .settings
        .models
        .iter()
        .map(|model| {
            let key = match provider::credential(model, &context.environment) {
                Credential::NotNeeded => "not needed",
                Credential::Present(_) | Credential::UserFile => "present",
                Credential::Missing(_) => "missing",
            };
            serde_json::json!({
                "name": model.name.as_str(),
                "provider": model.provider.as_str(),
                "default": loaded.settings.defaults.contains(&model.name),
                "key": key,
            })
        })
        .collect();
    let value = serde_json::json!({
        "hooks_folder": location.folder.display().to_string(),
        "reason": location.reason,
        "manager": location.manager.map(|manager| manager.name()),
        "hooks": hooks,
        "models": models,
    });
    context.printer.data(&crate::commands::pretty_json(&value))?;
    Ok(())
}

fn describe(state: &HookState) -> String {
    match state {
        HookState::Missing => "not installed".to_string(),
        HookState::Foreign { executable, manager } => {
            let owner = manager.map_or_else(
                || "someone else's hook".to_string(),
                |manager| format!("{}'s hook", manager.name()),
            );
            let run_bit = if *executable { "" } else { " (not executable: git skips it)" };
            format!("{owner}, not changes{run_bit}; `changes hook install` would chain it")
        }
        HookState::Ours { executable, binary, binary_exists, legacy } => {
            let mut parts = vec![format!("installed, calls {}", binary.display())];
            if !binary_exists {
                parts.push("that binary is missing: the hook falls back to `changes` on PATH, else does nothing; run `changes hook install` again".to_string());
            }
            if !executable {
                parts.push(
                    "missing its run bit: git skips it; run `changes hook install` again"
                        .to_string(),
                );
            }
            if let Some(legacy) = legacy {
                parts.push(format!("runs {} first", legacy.display()));
            }
            parts.join("; ")
        }
    }
}
