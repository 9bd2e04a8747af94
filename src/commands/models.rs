//! `changes models`: every configured model with its provider, model id, endpoint, whether its
//! key is present, and whether it is asked by default.

use serde::Serialize;

use crate::cli::ModelsArgs;
use crate::commands::Context;
use crate::error::Error;
use crate::git::Repository;
use crate::llm::provider::{self, Credential};

/// `changes models --format json`, keys in the README's order.
#[derive(Serialize)]
struct ModelsOutput<'a> {
    models: Vec<ModelRow<'a>>,
}

/// One model of `ModelsOutput`.
#[derive(Serialize)]
struct ModelRow<'a> {
    name: &'a str,
    provider: &'a str,
    model: &'a str,
    base_url: Option<String>,
    key: KeyState,
    default: bool,
}

/// Whether a model's key is there, and in which variable (never the key).
#[derive(Serialize)]
struct KeyState {
    state: &'static str,
    variable: Option<String>,
}

/// Runs `changes models`.
pub fn cmd_models(context: &Context, args: &ModelsArgs) -> Result<(), Error> {
    let repository = Repository::discover().ok();
    let loaded = context.load_config(repository.as_ref())?;
    let settings = &loaded.settings;
    if args.check {
        return check(context, settings);
    }
    if context.format == crate::cli::Format::Json {
        let models = settings
            .models
            .iter()
            .map(|model| {
                let (state, variable) = match provider::credential(model, &context.environment) {
                    Credential::NotNeeded => ("not needed", None),
                    Credential::Present(variable) => ("present", Some(variable)),
                    Credential::Missing(variables) => ("missing", Some(variables.join(" or "))),
                    Credential::UserFile => ("user file", None),
                };
                ModelRow {
                    name: model.name.as_str(),
                    provider: model.provider.as_str(),
                    model: &model.model,
                    base_url: provider::base_url(model, &context.environment),
                    key: KeyState { state, variable },
                    default: settings.defaults.contains(&model.name),
                }
            })
            .collect();
        context.printer.data(&crate::commands::pretty_json(&ModelsOutput { models }))?;
        return Ok(());
    }
    let header = ["NAME", "PROVIDER", "MODEL", "BASE URL", "KEY", "DEFAULT"].map(String::from);
    let mut rows = vec![header.to_vec()];
    for model in &settings.models {
        let key = match provider::credential(model, &context.environment) {
            Credential::NotNeeded => "not needed".to_string(),
            Credential::Present(variable) => format!("{variable} set"),
            Credential::Missing(variables) => format!("missing: {}", variables.join(" or ")),
            Credential::UserFile => "in user file".to_string(),
        };
        let default = if settings.defaults.contains(&model.name) {
            "yes"
        } else if model.provider.is_offline() {
            "when no other"
        } else {
            "no"
        };

        rows.push(vec![
            model.name.to_string(),
            model.provider.to_string(),
            model.model.clone(),
            provider::base_url(model, &context.environment).unwrap_or_else(|| "-".to_string()),
            key,
            default.to_string(),
        ]);
    }
    context.printer.data(&render_table(&rows))?;
    Ok(())
}

/// `--check`: one tiny request to each model (the `--models` ones, or all), side by side.
fn check(context: &Context, settings: &crate::config::Settings) -> Result<(), Error> {
    let models: Vec<_> = if context.models.is_empty() {
        settings.models.clone()
    } else {
        let mut chosen = Vec::new();
        for name in &context.models {
            let model = settings.model(name).ok_or_else(|| {
                Error::new(crate::error::Kind::Usage, format!("no model named `{name}`"))
            })?;
            chosen.push(model.clone());
        }
        chosen
    };
    let results = crate::llm::check(&models, &context.environment, settings.commit.timeout)?;
    let mut rows = vec![vec!["NAME".to_string(), "RESULT".to_string()]];
    let mut failed = 0;
    for (model, result) in models.iter().zip(results) {
        let cell = match result {
            Ok(_) if model.provider.is_offline() => "ok (built in, offline)".to_string(),
            Ok(latency) => format!("ok in {}", crate::text::short_duration(latency)),
            Err(reason) => {
                failed += 1;
                format!("failed: {reason}")
            }
        };
        rows.push(vec![model.name.to_string(), cell]);
    }
    context.printer.data(&render_table(&rows))?;
    if failed > 0 {
        return Err(Error::new(
            crate::error::Kind::NoAnswer,
            format!("{failed} of {} models did not answer", models.len()),
        ));
    }
    Ok(())
}

/// Left-aligned columns separated by two spaces; the last column is not padded.
pub fn render_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if column + 1 < row.len() {
                line.push_str(&" ".repeat(widths[column] - cell.chars().count() + 2));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
