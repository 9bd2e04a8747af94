//! Models: which ones run (selection by `--models` or by `defaults:` and credentials), the
//! provider presets, and the adapters, starting with the built-in `local` summarizer.

pub mod local;
pub mod provider;

use std::time::{Duration, Instant};

use crate::config::{CommitStyle, ModelName, ModelSettings, Provider, Settings};
use crate::env::Environment;
use crate::error::{Error, Kind};
use crate::git::ChangeSet;
use provider::Credential;

/// How the reason for skipping a model without credentials starts.
pub const NO_KEY_REASON: &str = "no key";

/// A commit message as a model proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The first line, without trailing newline, at most `commit.max_subject` characters.
    pub subject: String,
    /// Everything after the blank line (may be empty), without trailing newline.
    pub body: String,
}

impl Message {
    /// The message as it goes into a commit: subject, blank line, body.
    pub fn to_text(&self) -> String {
        if self.body.is_empty() {
            format!("{}\n", self.subject)
        } else {
            format!("{}\n\n{}\n", self.subject, self.body)
        }
    }
}

/// The models of one run, and the ones left out with the reason.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Models to ask, in configured (or requested) order.
    pub models: Vec<ModelSettings>,
    /// Models not asked, each with a one-line reason.
    pub skipped: Vec<(ModelName, String)>,
}

/// Picks the models of a run. With `requested` names, exactly those (unknown names are an
/// error); otherwise the defaults whose credentials are present, and the built-in model when
/// none of them can run.
pub fn select(
    settings: &Settings,
    requested: &[String],
    environment: &Environment,
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
            Credential::Missing(variables) => {
                selection.skipped.push((
                    model.name.clone(),
                    format!("{NO_KEY_REASON}: set {}", variables.join(" or ")),
                ));
            }
            _ if !provider::has_adapter(model.provider) => selection.skipped.push((
                model.name.clone(),
                format!("the {} adapter is not in this version of changes yet", model.provider),
            )),
            _ => selection.models.push(model.clone()),
        }
    }
    if selection.models.is_empty() && !explicit {
        if let Some(local) = settings.models.iter().find(|model| model.provider == Provider::Local)
        {
            selection.models.push(local.clone());
        }
    }
    Ok(selection)
}

/// One model's result.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Which model.
    pub model: ModelName,
    /// Wall time of the model's work.
    pub duration: Duration,
    /// The draft, or a one-line reason it failed.
    pub outcome: Result<Message, String>,
}

/// Asks every selected model for a commit message, answers in selection order.
pub fn draft_commit(
    selection: &Selection,
    changes: &ChangeSet,
    style: CommitStyle,
    max_subject: usize,
) -> Vec<Answer> {
    selection
        .models
        .iter()
        .map(|model| {
            let started = Instant::now();
            let outcome = match model.provider {
                Provider::Local => Ok(local::summarize(changes, style, max_subject)),
                other => Err(format!("the {other} adapter is not in this version of changes yet")),
            };
            Answer { model: model.name.clone(), duration: started.elapsed(), outcome }
        })
        .collect()
}
