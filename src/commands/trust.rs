//! `changes trust [--show] [--revoke]`: approves this work tree's `.changes.yaml` as it is now
//! (its content hash, kept in the user's state folder), shows what the file sets that needs
//! that approval, or takes the approval back.

use crate::cli::TrustArgs;
use crate::commands::Context;
use crate::config::trust::{self, TrustStore};
use crate::config::REPOSITORY_FILE_NAME;
use crate::error::{Error, Kind};
use crate::git::Repository;

/// Runs `changes trust`.
pub(crate) fn cmd_trust(context: &Context, args: &TrustArgs) -> Result<(), Error> {
    crate::commands::text_only(context, "changes trust")?;
    let repository = Repository::discover()?;
    let root = repository.work_tree().ok_or_else(|| {
        Error::new(Kind::Usage, "a bare repository has no .changes.yaml to trust")
    })?;
    let state = context.environment.state_dir().ok_or_else(|| {
        Error::new(Kind::Usage, "no folder to keep the approval in")
            .with_hint("set HOME or XDG_STATE_HOME")
    })?;
    let store = TrustStore::in_state_dir(&state);
    let path = root.join(REPOSITORY_FILE_NAME);
    if args.revoke {
        let message = if store.revoke(root).map_err(io_error)? {
            format!("{} is no longer trusted", path.display())
        } else {
            format!("{} was not trusted", path.display())
        };
        context.printer.info(&format!("changes: {message}"));
        return Ok(());
    }
    let content = std::fs::read(&path).map_err(|error| {
        Error::new(Kind::Usage, format!("cannot read {}: {error}", path.display()))
            .with_hint("`changes config init` writes a starter file")
    })?;
    let trusted = store.is_trusted(root, &content);
    let held = held_back(context, &content)?;
    if args.show {
        let state = if trusted { "trusted" } else { "not trusted" };
        let mut text = format!("{}: {state}\n", path.display());
        if held.is_empty() {
            text.push_str("It sets nothing that needs trust: it applies as it is.\n");
        } else {
            let verb = if trusted { "applies, because trusted" } else { "applies once trusted" };
            text.push_str(&format!("What {verb}:\n"));
            for line in &held {
                text.push_str(&format!("  {line}\n"));
            }
        }
        context.printer.data(&text)?;
        return Ok(());
    }
    store.trust(root, &content).map_err(io_error)?;
    context.printer.info(&format!("changes: trusted {} as it is now", path.display()));
    for line in held {
        context.printer.info(&format!("  now applies: {line}"));
    }
    Ok(())
}

/// The keys of the file that need trust, each with its value as the file writes it.
fn held_back(context: &Context, content: &[u8]) -> Result<Vec<String>, Error> {
    let tree: yaml_serde::Value = yaml_serde::from_slice(content).map_err(|error| {
        Error::new(Kind::Config, format!("{REPOSITORY_FILE_NAME} is not valid YAML: {error}"))
    })?;
    // What the user's own settings are, without this file: the measure of "more careful".
    let loaded = crate::config::load(&context.environment, None, &context.flags)?;
    let vetted = trust::vet(&tree, &loaded.settings, false);
    Ok(vetted
        .untrusted
        .iter()
        .map(|key| {
            let value = key
                .split('.')
                .try_fold(&tree, |node, segment| lookup(node, segment))
                .map(|value| yaml_serde::to_string(value).unwrap_or_default())
                .unwrap_or_default();
            format!("{key}: {}", crate::text::one_line(value.trim()))
        })
        .collect())
}

/// A key of a mapping, or the entry of a `models` list with that `name`.
fn lookup<'a>(node: &'a yaml_serde::Value, segment: &str) -> Option<&'a yaml_serde::Value> {
    if let Some(found) = node.get(segment) {
        return Some(found);
    }
    node.as_sequence()?
        .iter()
        .find(|entry| entry.get("name").and_then(yaml_serde::Value::as_str) == Some(segment))
}

fn io_error(error: std::io::Error) -> Error {
    Error::new(Kind::Io, format!("cannot keep the approval: {error}"))
}
