//! `changes config show|path|init`: the resolved configuration with each value's origin,
//! where the files are, and a commented starter file.

use crate::cli::{ConfigArgs, ConfigCommand};
use crate::commands::Context;
use crate::config::{self, Origin};
use crate::error::{Error, Kind};
use crate::files::write_atomically;
use crate::git::Repository;
use crate::report::output::{to_json, ConfigOutput};

/// Runs `changes config`.
pub(crate) fn cmd_config(context: &Context, args: &ConfigArgs) -> Result<(), Error> {
    // Outside a repository only the built-in, user and environment layers apply.
    let repository = Repository::discover().ok();
    match args.command.as_ref().unwrap_or(&ConfigCommand::Show) {
        ConfigCommand::Show => {
            let loaded = context.load_config(repository.as_ref())?;
            // The profile a draft of the staged changes would use; nothing is written.
            let profile: Vec<String> = repository
                .as_ref()
                .filter(|repository| repository.work_tree().is_some())
                .and_then(|repository| {
                    let options =
                        crate::commands::hook::collect_options(repository, &loaded.settings)
                            .ok()?;
                    crate::commands::learn_conventions(
                        context,
                        repository,
                        &loaded.settings,
                        &options,
                        &crate::commands::Base::Staged,
                        false,
                    )
                })
                .map(|learned| crate::conventions::describe(&learned))
                .unwrap_or_default();
            if context.format == crate::cli::Format::Json {
                let origins =
                    loaded.origins.iter().map(|(key, origin)| (key.as_str(), origin.to_string()));
                let output = ConfigOutput {
                    settings: &loaded.settings,
                    origins: origins.collect(),
                    held_back: &loaded.held_back,
                    conventions: &profile,
                };
                context.printer.data(&to_json(&output))?;
            } else {
                let mut text = config::render_annotated(&loaded.settings, &loaded.origins);
                if !loaded.held_back.is_empty() {
                    text.push_str(&format!(
                        "# Set by {} but ignored until `changes trust`:\n",
                        config::REPOSITORY_FILE_NAME
                    ));
                    for key in &loaded.held_back {
                        text.push_str(&format!("#   {key}\n"));
                    }
                }
                if !profile.is_empty() {
                    text.push_str("\n# What this repository's history and rule files say (for the staged changes):\n");
                    for line in &profile {
                        text.push_str(&format!("# {line}\n"));
                    }
                }
                context.printer.data(&text)?;
            }
        }
        ConfigCommand::Path => {
            crate::commands::text_only(context, "changes config path")?;
            let loaded = context.load_config(repository.as_ref())?;
            let mut text = String::new();
            if loaded.files.iter().all(|(origin, _)| !matches!(origin, Origin::UserFile(_))) {
                text.push_str("user file: unknown (set HOME, XDG_CONFIG_HOME or CHANGES_CONFIG)\n");
            }
            if repository.as_ref().and_then(Repository::work_tree).is_none() {
                text.push_str("repository file: none (not in a git work tree)\n");
            }
            for (origin, exists) in &loaded.files {
                let label = match origin {
                    Origin::UserFile(_) => "user file",
                    _ => "repository file",
                };
                let state = if *exists { "exists" } else { "not found" };
                text.push_str(&format!("{label}: {origin} ({state})\n"));
            }
            context.printer.data(&text)?;
        }
        ConfigCommand::Init { user, force } => {
            let path = if *user {
                context.environment.user_config_path().ok_or_else(|| {
                    Error::new(Kind::Usage, "no user configuration folder is known")
                        .with_hint("set HOME, XDG_CONFIG_HOME or CHANGES_CONFIG")
                })?
            } else {
                let root =
                    repository.as_ref().and_then(Repository::work_tree).ok_or_else(|| {
                        Error::new(Kind::Usage, "not in a git work tree").with_hint(
                            "run it inside a repository, or use --user for the user file",
                        )
                    })?;
                root.join(config::REPOSITORY_FILE_NAME)
            };
            if path.exists() && !force {
                return Err(Error::new(Kind::Usage, format!("{} already exists", path.display()))
                    .with_hint("--force replaces it"));
            }
            write_atomically(&path, config::STARTER_YAML.as_bytes()).map_err(|error| {
                Error::new(Kind::Io, format!("cannot write {}: {error}", path.display()))
            })?;
            context.printer.info(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
}
