//! Which models a run asks: the `--models` ones, or the defaults whose credentials are
//! present, Ollama when its server answers, and the built-in offline engine when none of them
//! can run.

use crate::answer::{Skip, Skipped};
use crate::config::{ModelName, ModelSettings, Probe, Settings};
use crate::env::Environment;
use crate::error::{Error, Kind};
use crate::llm::provider::{self, Credential};

/// The models of one run, and the ones left out with the reason.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    /// Models to ask, in configured (or requested) order.
    pub(crate) models: Vec<ModelSettings>,
    /// Models not asked, and why.
    pub(crate) skipped: Vec<Skipped>,
}

/// True for the built-in engine, which answers without any request.
pub(crate) fn is_offline(model: &ModelSettings) -> bool {
    model.provider.is_offline()
}

/// Picks the models of a run. With `requested` names, exactly those (unknown names are an
/// error); otherwise the defaults whose credentials are present, the models of a provider
/// with an Ollama probe when `ollama_answers` says its server is up, and the built-in model
/// when none of them can run.
pub(crate) fn select(
    settings: &Settings,
    requested: &[String],
    environment: &Environment,
    ollama_answers: &dyn Fn(&ModelSettings) -> bool,
) -> Result<Selection, Error> {
    let mut selection = Selection { models: Vec::new(), skipped: Vec::new() };
    let explicit = !requested.is_empty();
    let names: Vec<&str> = if explicit {
        requested.iter().map(String::as_str).collect()
    } else {
        settings.defaults.iter().map(ModelName::as_str).collect()
    };
    for name in names {
        let Some(model) = settings.model(name) else {
            let known: Vec<&str> =
                settings.models.iter().map(|model| model.name.as_str()).collect();
            return Err(Error::new(Kind::Usage, format!("no model named `{name}`"))
                .with_hint(format!("configured models: {}", known.join(", "))));
        };
        if selection.models.iter().any(|chosen| chosen.name == model.name) {
            continue;
        }
        match provider::credential(model, environment) {
            Credential::Missing(variables) => selection
                .skipped
                .push(Skipped { model: model.name.clone(), reason: Skip::NoKey { variables } }),
            _ => selection.models.push(model.clone()),
        }
    }
    if !explicit {
        let probed =
            settings.models.iter().filter(|model| model.provider.probe == Some(Probe::Ollama));
        for model in probed {
            let chosen = selection.models.iter().any(|chosen| chosen.name == model.name);
            if !chosen && ollama_answers(model) {
                selection.models.push(model.clone());
            }
        }
        if selection.models.is_empty() {
            if let Some(offline) = settings.models.iter().find(|model| is_offline(model)) {
                selection.models.push(offline.clone());
            }
        }
    }
    Ok(selection)
}
