//! The built-in model's choices in a repository's voice: the style, type and scope the
//! profile predicts (today's rules when the history is too short), the case and body habits,
//! and a summary taken from the change itself when the change says it best — the entry it
//! adds to a CHANGELOG, or a dependency bump or release written the way the nearest earlier
//! one was.

use crate::answer::Message;
use crate::config::CommitStyle;
use crate::git::ChangeSet;
use crate::offline::{self, Case, Prefix, Voice};

use super::profile::{Prediction, Profile};
use super::shape::Shape;
use super::subject::Style;
use super::Conventions;

/// A body is written when at least this share of the repository's human commits has one.
const BODY_SHARE: f32 = 0.3;

/// Drafts `changes` in the repository's voice.
pub(super) fn draft(
    conventions: &Conventions,
    changes: &ChangeSet,
    configured: CommitStyle,
    max_subject: usize,
    known: Option<&Prediction>,
) -> Message {
    let analysed = offline::analyse(changes);
    let mut shape = Shape::of(changes, &analysed);
    shape.author = conventions.author.clone();
    let voice = match conventions.speaking_profile() {
        Some(profile) => {
            let prediction = known.cloned().unwrap_or_else(|| profile.predict(&shape));
            learned_voice(profile, &shape, prediction)
        }
        None => configured_voice(configured, &shape, conventions.rules.conventional()),
    };
    analysed.render(&voice, max_subject)
}

/// Today's behaviour in the configured style (or Conventional Commits when a rule file
/// declares them), with what the change says of itself (a release, a CHANGELOG or changeset
/// entry) as the summary when there is one.
fn configured_voice(style: CommitStyle, shape: &Shape, declared_conventional: bool) -> Voice {
    let style = if declared_conventional { CommitStyle::Conventional } else { style };
    let (prefix, case) = match style {
        CommitStyle::Conventional => (
            Prefix::Conventional {
                commit_type: shape.rule_type.clone(),
                scope: shape.rule_scope.clone(),
                breaking: false,
            },
            Case::AsWritten,
        ),
        CommitStyle::Plain => (Prefix::Plain, Case::Capitalised),
        CommitStyle::Gitmoji => (Prefix::Gitmoji, Case::Capitalised),
    };
    Voice {
        prefix,
        case,
        body: true,
        summary: shape.summary.clone().map(|entry| cased(&entry, case)),
        subject: None,
    }
}

/// The profile's prediction for the change, written with the repository's habits.
fn learned_voice(profile: &Profile, shape: &Shape, prediction: Prediction) -> Voice {
    let case =
        if profile.capitalises(prediction.style) { Case::Capitalised } else { Case::Lowered };
    let prefix = match prediction.style {
        Style::Conventional => Prefix::Conventional {
            commit_type: prediction
                .commit_type
                .as_ref()
                .map_or_else(|| shape.rule_type.clone(), |(name, _)| name.clone()),
            scope: prediction.scope.clone(),
            breaking: false,
        },
        Style::Component => match &prediction.scope {
            Some(component) => Prefix::Component(component.clone()),
            None => Prefix::Plain,
        },
        Style::Gitmoji => Prefix::Gitmoji,
        Style::Plain => Prefix::Plain,
    };
    let (summary, case) = match (&shape.summary, &prediction.templated_summary) {
        (_, Some(templated)) => (Some(templated.clone()), Case::AsWritten),
        (Some(entry), None) => (Some(cased(entry, case)), case),
        (None, None) => (None, case),
    };
    Voice { prefix, case, body: profile.body_share >= BODY_SHARE, summary, subject: None }
}

/// The text with its first letter in `case`.
fn cased(text: &str, case: Case) -> String {
    match case {
        Case::AsWritten => text.to_string(),
        Case::Capitalised => {
            let mut characters = text.chars();
            characters
                .next()
                .map(|first| first.to_uppercase().chain(characters).collect())
                .unwrap_or_default()
        }
        Case::Lowered => offline::lower_first(text),
    }
}
