//! Several drafts become one message: which draft is the primary one, which others are shown
//! as alternatives (`commit.merge`: `alternatives`, `synthesize`, `first`), and the one more
//! request that `synthesize` makes.

use crate::answer::{Answer, Message};
use crate::config::{CommitStyle, MergeMode};
use crate::git::ChangeSet;
use crate::llm::Prompt;

use super::job::{commit_instructions, MESSAGE_TOKENS};
use super::prompt;

const SYNTHESIZE_PROMPT: &str = include_str!("prompts/synthesize.txt");

/// How the drafts of a run are presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merged {
    /// The answer whose draft is the message, `None` when no model produced one.
    pub(crate) primary: Option<usize>,
    /// Other answers that wrote exactly the primary draft.
    pub(crate) same_as_primary: Vec<usize>,
    /// Drafts shown as commented alternatives, in order: the first answer that wrote each,
    /// and the other answers that wrote exactly the same.
    pub(crate) alternatives: Vec<Alternative>,
}

/// One alternative draft and every model that wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alternative {
    /// The first answer, in configured order, with this draft.
    pub(crate) answer: usize,
    /// Later answers with exactly the same draft.
    pub(crate) same: Vec<usize>,
}

/// The primary draft is the first model, in configured order, that produced one; the others
/// are alternatives under `alternatives`, and also under `synthesize` when no merged draft
/// could be made, so that no draft is lost. Identical drafts are shown once, with every model
/// that wrote them.
#[cfg(test)]
pub(crate) fn arrange<T: PartialEq>(
    answers: &[Answer<T>],
    mode: MergeMode,
    synthesized: bool,
) -> Merged {
    arrange_fitted(answers, mode, synthesized, &[])
}

/// `arrange`, with the primary draft the one that fits the repository's rules and habits
/// best (`fitness`, one score per answer, higher is better; missing scores are zero), ties
/// broken by configured order. A synthesized draft stays primary.
pub(crate) fn arrange_fitted<T: PartialEq>(
    answers: &[Answer<T>],
    mode: MergeMode,
    synthesized: bool,
    fitness: &[i64],
) -> Merged {
    let successes: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, answer)| answer.output().is_some())
        .map(|(index, _)| index)
        .collect();
    let score = |index: usize| fitness.get(index).copied().unwrap_or(0);
    let primary = if synthesized {
        successes.first().copied()
    } else {
        // The first of the best: `max_by_key` would keep the last of equals.
        successes.iter().copied().fold(None, |best: Option<usize>, index| match best {
            Some(best) if score(best) >= score(index) => Some(best),
            _ => Some(index),
        })
    };
    let Some(primary) = primary else {
        return Merged { primary: None, same_as_primary: Vec::new(), alternatives: Vec::new() };
    };
    let same = |left: usize, right: usize| answers[left].output() == answers[right].output();
    let show_others = match mode {
        MergeMode::Alternatives => true,
        // A synthesized draft is new text: nothing else wrote it.
        MergeMode::Synthesize => !synthesized,
        MergeMode::First => false,
    };
    let mut same_as_primary = Vec::new();
    let mut alternatives: Vec<Alternative> = Vec::new();
    for index in successes {
        if index == primary {
            continue;
        }
        if same(index, primary) && !synthesized {
            same_as_primary.push(index);
        } else if show_others {
            match alternatives.iter_mut().find(|alternative| same(alternative.answer, index)) {
                Some(alternative) => alternative.same.push(index),
                None => alternatives.push(Alternative { answer: index, same: Vec::new() }),
            }
        }
    }
    Merged { primary: Some(primary), same_as_primary, alternatives }
}

/// One line saying how the drafts disagree on the type or the scope (or component), `None`
/// when they agree or only one model answered.
pub(crate) fn disagreement(answers: &[Answer<Message>]) -> Option<String> {
    use crate::conventions::subject;
    let parsed: Vec<(&str, subject::Subject)> = answers
        .iter()
        .filter_map(|answer| {
            Some((answer.model.as_str(), subject::parse(&answer.output()?.subject)))
        })
        .collect();
    if parsed.len() < 2 {
        return None;
    }
    let mut parts = Vec::new();
    for (what, value) in [
        (
            "type",
            &(|parsed: &subject::Subject| parsed.commit_type().map(str::to_string))
                as &dyn Fn(&subject::Subject) -> Option<String>,
        ),
        ("scope", &|parsed: &subject::Subject| parsed.scope_label().map(str::to_string)),
    ] {
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for (model, subject) in &parsed {
            let label = value(subject).unwrap_or_else(|| "none".to_string());
            match groups.iter_mut().find(|(known, _)| *known == label) {
                Some((_, models)) => models.push(model),
                None => groups.push((label, vec![model])),
            }
        }
        if groups.len() > 1 {
            let said: Vec<String> = groups
                .iter()
                .map(|(label, models)| format!("{label} ({})", models.join(", ")))
                .collect();
            parts.push(format!("{what}: {}", said.join(" or ")));
        }
    }
    (!parts.is_empty()).then(|| format!("the models disagree on the {}", parts.join("; ")))
}

/// The request that asks one model to merge every draft into one message.
pub(crate) fn synthesize_prompt(
    sendable: &ChangeSet,
    drafts: &[(String, Message)],
    style: CommitStyle,
    max_subject: usize,
) -> Prompt {
    let mut user =
        format!("Change description:\n\n{}\n\nDrafts:\n", prompt::render_changes(sendable));
    for (model, message) in drafts {
        user.push_str(&format!("\n--- draft by {model} ---\n{}", message.to_text()));
    }
    Prompt {
        system: commit_instructions(SYNTHESIZE_PROMPT, style, max_subject),
        user,
        max_output_tokens: MESSAGE_TOKENS,
        temperature: 0.2,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::answer::{FailureKind, ModelError};
    use crate::config::ModelName;

    fn answer(name: &str, ok: bool) -> Answer<Message> {
        Answer {
            model: ModelName::try_from(name.to_string()).expect("valid"),
            duration: Duration::ZERO,
            outcome: if ok {
                Ok(Message { subject: format!("feat: {name}"), body: String::new() })
            } else {
                Err(ModelError::new(FailureKind::Timeout, "no answer before the deadline"))
            },
            notes: Vec::new(),
            details: Vec::new(),
        }
    }

    #[test]
    fn the_first_draft_is_primary_and_the_mode_decides_what_else_is_shown() {
        let answers = [answer("a", false), answer("b", true), answer("c", true)];
        let merged = arrange(&answers, MergeMode::Alternatives, false);
        let only_c = vec![Alternative { answer: 2, same: Vec::new() }];
        assert_eq!(merged.primary, Some(1));
        assert_eq!(merged.alternatives, only_c);
        assert!(arrange(&answers, MergeMode::First, false).alternatives.is_empty());
        assert!(arrange(&answers, MergeMode::Synthesize, true).alternatives.is_empty());
        assert_eq!(
            arrange(&answers, MergeMode::Synthesize, false).alternatives,
            only_c,
            "a failed synthesis keeps every draft in view"
        );
        assert_eq!(arrange(&answers[..1], MergeMode::Alternatives, false).primary, None);
    }

    #[test]
    fn identical_drafts_are_shown_once_with_every_model_that_wrote_them() {
        let mut answers = vec![answer("a", true), answer("b", true), answer("c", true)];
        answers.push(answer("d", true));
        answers[2].outcome = answers[0].outcome.clone();
        answers[3].outcome = answers[1].outcome.clone();
        let merged = arrange(&answers, MergeMode::Alternatives, false);
        assert_eq!(merged.primary, Some(0));
        assert_eq!(merged.same_as_primary, vec![2]);
        assert_eq!(merged.alternatives, vec![Alternative { answer: 1, same: vec![3] }]);
    }

    #[test]
    fn the_draft_that_fits_best_is_primary_and_ties_keep_the_configured_order() {
        let answers = [answer("a", true), answer("b", true), answer("c", true)];
        let merged = arrange_fitted(&answers, MergeMode::Alternatives, false, &[-100, 3, 3]);
        let others = vec![
            Alternative { answer: 0, same: Vec::new() },
            Alternative { answer: 2, same: Vec::new() },
        ];
        assert_eq!(
            merged,
            Merged { primary: Some(1), same_as_primary: Vec::new(), alternatives: others }
        );
        let tied = arrange_fitted(&answers, MergeMode::Alternatives, false, &[0, 0, 0]);
        assert_eq!(tied.primary, Some(0));
    }
}
