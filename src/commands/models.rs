//! `changes models`: every configured model with its provider, model id, endpoint, whether its
//! key is present, and whether it is asked by default.

use crate::cli::ModelsArgs;
use crate::commands::Context;
use crate::config::Provider;
use crate::error::Error;
use crate::git::Repository;
use crate::llm::provider::{self, Credential};

/// Runs `changes models`.
pub fn cmd_models(context: &Context, args: &ModelsArgs) -> Result<(), Error> {
    if args.check {
        return Err(Error::unavailable("`changes models --check`")
            .with_hint("`changes models` lists the models and whether their keys are present"));
    }
    let repository = Repository::discover().ok();
    let loaded = context.load_config(repository.as_ref())?;
    let settings = &loaded.settings;
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
        } else if model.provider == Provider::Local {
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
