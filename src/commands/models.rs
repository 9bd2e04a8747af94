//! `changes models`: every configured model with its provider, model id, endpoint, whether its
//! key is present, and whether it is asked by default.

use crate::cli::{Format, ModelsArgs};
use crate::commands::Context;
use crate::config::Settings;
use crate::error::{Error, Kind};
use crate::git::Repository;
use crate::llm::provider::{self, Credential};
use crate::report::output::{to_json, CheckOutput, CheckRow, KeyState, ModelRow, ModelsOutput};
use crate::text::{short_duration, without_credentials};

/// Runs `changes models`.
pub(crate) fn cmd_models(context: &Context, args: &ModelsArgs) -> Result<(), Error> {
    let repository = Repository::discover().ok();
    let loaded = context.load_config(repository.as_ref())?;
    let settings = &loaded.settings;
    if args.check {
        return check(context, settings);
    }
    let output = models(context, settings);
    if context.format == Format::Json {
        context.printer.data(&to_json(&output))?;
        return Ok(());
    }
    let header = ["NAME", "PROVIDER", "MODEL", "BASE URL", "KEY", "DEFAULT"].map(String::from);
    let mut rows = vec![header.to_vec()];
    for model in output.models {
        let key = match (model.key.state, model.key.variable) {
            ("present", Some(variable)) => format!("{variable} set"),
            ("missing", Some(variables)) => format!("missing: {variables}"),
            ("user file", _) => "in user file".to_string(),
            (state, _) => state.to_string(),
        };
        let default = match (model.default, model.fallback) {
            (true, _) => "yes",
            (false, true) => "when no other",
            (false, false) => "no",
        };
        rows.push(vec![
            model.name,
            model.provider,
            model.model,
            model.base_url.unwrap_or_else(|| "-".to_string()),
            key,
            default.to_string(),
        ]);
    }
    context.printer.data(&render_table(&rows))?;
    Ok(())
}

/// Every configured model, as `changes models` shows it.
fn models(context: &Context, settings: &Settings) -> ModelsOutput {
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
                name: model.name.to_string(),
                provider: model.provider.as_str().to_string(),
                model: model.model.clone(),
                base_url: provider::base_url(model, &context.environment)
                    .map(|url| without_credentials(&url)),
                key: KeyState { state, variable },
                default: settings.defaults.contains(&model.name),
                fallback: model.provider.is_offline(),
            }
        })
        .collect();
    ModelsOutput { models }
}

/// `--check`: one tiny request to each model (the `--models` ones, or all), side by side.
fn check(context: &Context, settings: &Settings) -> Result<(), Error> {
    let models: Vec<_> = if context.models.is_empty() {
        settings.models.clone()
    } else {
        let mut chosen = Vec::new();
        for name in &context.models {
            let model = settings
                .model(name)
                .ok_or_else(|| Error::new(Kind::Usage, format!("no model named `{name}`")))?;
            chosen.push(model.clone());
        }
        chosen
    };
    let results = crate::llm::check(&models, &context.environment, settings.commit.timeout)?;
    let output = CheckOutput {
        models: models
            .iter()
            .zip(results)
            .map(|(model, result)| {
                CheckRow::of(model.name.to_string(), model.provider.is_offline(), result)
            })
            .collect(),
    };
    let failed = output.models.iter().filter(|row| row.error.is_some()).count();
    if context.format == Format::Json {
        context.printer.data(&to_json(&output))?;
    } else {
        let mut rows = vec![vec!["NAME".to_string(), "RESULT".to_string()]];
        for row in &output.models {
            let cell = match (&row.error, row.offline, row.latency_ms) {
                (Some(error), _, _) => format!("failed: {error}"),
                (None, true, _) => "ok (built in, offline)".to_string(),
                (None, false, latency) => format!(
                    "ok in {}",
                    short_duration(std::time::Duration::from_millis(latency.unwrap_or(0)))
                ),
            };
            rows.push(vec![row.name.clone(), cell]);
        }
        context.printer.data(&render_table(&rows))?;
    }
    if failed > 0 {
        return Err(Error::new(
            Kind::NoAnswer,
            format!("{failed} of {} models did not answer", models.len()),
        ));
    }
    Ok(())
}

/// Left-aligned columns separated by two spaces; the last column is not padded.
pub(crate) fn render_table(rows: &[Vec<String>]) -> String {
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
