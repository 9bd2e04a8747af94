//! What network models are told about the repository's conventions: the style rule to fill
//! in the commit prompt, and a compact block (a few hundred tokens at most) with the style
//! and its habits, the allowed types and scopes (declared rules first), the scope used
//! before for the touched paths, and real subjects of earlier commits that touched the same
//! files, marked as examples of style, not of content.

use std::fmt::Write as _;

use crate::git::ChangeSet;

use super::shape::Shape;
use super::subject::Style;
use super::{Advice, Conventions};

/// The block is cut to this many characters (about 400 tokens).
const MAX_BLOCK_CHARACTERS: usize = 1600;
/// Types listed with their shares.
const TYPES_LISTED: usize = 8;
/// Example subjects at least, when the history has them.
const MIN_EXAMPLES: usize = 5;

/// The style rule for the commit prompt's `{style_rule}`, when the history or a rule file
/// says what it is; `None` keeps the configured style's rule.
pub(crate) fn style_rule(conventions: &Conventions) -> Option<String> {
    if conventions.rules.conventional() {
        return None;
    }
    let profile = conventions.speaking_profile()?;
    Some(match profile.style {
        Style::Conventional => return None,
        Style::Component => "`component: summary`, where component names the part of the project \
                              changed, the way earlier commits name it (see below)."
            .to_string(),
        Style::Gitmoji => {
            "one gitmoji, a space, then the summary, as earlier commits do.".to_string()
        }
        Style::Plain => {
            if profile.capitalises(Style::Plain) {
                "a capitalised one-line summary with no type or component prefix.".to_string()
            } else {
                "a one-line summary with no type or component prefix.".to_string()
            }
        }
    })
}

/// The conventions block for a change, empty when there is nothing to say.
pub(crate) fn block(conventions: &Conventions, changes: &ChangeSet, advice: &Advice) -> String {
    let rules = &conventions.rules;
    let profile = conventions.speaking_profile();
    if profile.is_none() && rules.files.is_empty() {
        return String::new();
    }
    let mut text = String::from("This repository's own conventions for commit messages:\n");
    if let Some(source) = &rules.conventional {
        let _ = writeln!(text, "- Conventional Commits, declared by {}.", one_line(source, 200));
    }
    if let Some(profile) = profile {
        let share = profile.style_shares.first().map_or(0.0, |(_, share)| *share);
        let case =
            if profile.capitalises(profile.style) { "a capital" } else { "a lower-case letter" };
        let _ = writeln!(
            text,
            "- Style: {} ({:.0}% of {} recent commits); summaries start with {case}, {}; typical length {} characters.",
            style_name(profile.style),
            share * 100.0,
            profile.commits(),
            if profile.full_stop < 0.5 { "no full stop" } else { "ending with a full stop" },
            profile.median_length
        );
        if profile.body_share < 0.2 {
            let _ =
                writeln!(text, "- Most commits here have no body: keep it short or leave it out.");
        }
    }
    match (&rules.types, profile) {
        (Some(types), _) => {
            let _ = writeln!(
                text,
                "- Types allowed ({}): {}.",
                one_line(&types.source, 200),
                one_line(&types.values.join(", "), 600)
            );
        }
        (None, Some(profile)) if !profile.types.is_empty() => {
            let listed: Vec<String> = profile
                .types
                .iter()
                .take(TYPES_LISTED)
                .map(|(name, share, _)| format!("{name} {:.0}%", share * 100.0))
                .collect();
            let _ = writeln!(text, "- Types used here: {}.", listed.join(", "));
        }
        _ => {}
    }
    if let Some(scopes) = &rules.scopes {
        let _ = writeln!(
            text,
            "- Scopes allowed ({}): {}.",
            one_line(&scopes.source, 200),
            one_line(&scopes.values.join(", "), 600)
        );
    }
    if let Some(profile) = profile {
        let scopes = scopes_for_paths(profile, &advice.shape);
        if !scopes.is_empty() {
            let word = if profile.style == Style::Component { "Component" } else { "Scope" };
            let scopes = one_line(&scopes.join("; "), 400);
            let _ = writeln!(text, "- {word} used before for these paths: {scopes}.");
        }
        if let Some(prediction) = &advice.prediction {
            let mut guess = Vec::new();
            if let Some((commit_type, _)) =
                prediction.commit_type.as_ref().filter(|_| prediction.style == Style::Conventional)
            {
                guess.push(format!("type `{commit_type}`"));
            }
            if let Some(scope) = &prediction.scope {
                guess.push(format!("`{scope}`"));
            }
            if !guess.is_empty() && prediction.learned {
                let _ = writeln!(
                    text,
                    "- Similar earlier changes were filed as {}.",
                    guess.join(" with ")
                );
            }
        }
    }
    if let Some((path, excerpt)) = &rules.guide {
        let _ =
            writeln!(text, "- From the guide {}: {}", one_line(path, 100), one_line(excerpt, 400));
    }
    if let Some(profile) = profile {
        let examples = profile.examples(&advice.shape);
        if examples.len() >= MIN_EXAMPLES.min(profile.commits()) && !examples.is_empty() {
            text.push_str(
                "Subjects of earlier commits that touched the same files (examples of style, not of content):\n",
            );
            for example in examples {
                let _ = writeln!(text, "- {}", one_line(&example, 100));
            }
        }
    }
    let _ = changes;
    cut(&text, MAX_BLOCK_CHARACTERS)
}

fn style_name(style: Style) -> &'static str {
    match style {
        Style::Conventional => "Conventional Commits `type(scope): summary`",
        Style::Component => "`component: summary`",
        Style::Gitmoji => "gitmoji then summary",
        Style::Plain => "plain sentences, no prefix",
    }
}

/// `src/modules → jj`, for the folders of the touched files, without repeats.
fn scopes_for_paths(profile: &super::profile::Profile, shape: &Shape) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for file in shape.files.iter().take(6) {
        let Some(scope) = profile.scope_for_path(&file.path) else { continue };
        let folder =
            file.path.rfind('/').map_or(file.path.as_str(), |position| &file.path[..position]);
        let line = format!("{folder} → {scope}");
        if !seen.contains(&line) {
            seen.push(line.clone());
            out.push(line);
        }
    }
    out
}

/// The text on one line, at most `max` characters, without escape sequences or control
/// characters: a guide or a commit subject is the repository's text, not the prompt's.
fn one_line(text: &str, max: usize) -> String {
    cut(&crate::text::one_line(text), max)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind('\n') {
        Some(position) if position > max / 2 => cut[..=position].to_string(),
        _ => format!("{cut}…"),
    }
}
