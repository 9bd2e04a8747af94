//! Every draft, from any model, checked against the declared rules and the learned habits:
//! type and scope in the allowed sets, the repository's style, header length, case, full
//! stop and breaking marker. Clear repairs are made (`Feat:` → `feat:`, `feature` → `feat`,
//! a trailing full stop, an over-long subject, a Conventional prefix in a repository that
//! writes `component:` prefixes or plain sentences); anything else becomes a line naming the
//! rule the draft breaks. `fitness` ranks drafts so that the one that fits best is the
//! message.

use crate::answer::Message;
use crate::offline;

use super::profile::Prediction;
use super::rules::SubjectCase;
use super::subject::{self, Style, Subject, TYPE_SYNONYMS};
use super::ticket;
use super::Conventions;

/// A habit this strong is treated like a rule for case and full stops.
const STRONG_HABIT: f32 = 0.9;
/// A learned style this dominant is repaired towards.
const DOMINANT_STYLE: f32 = 0.95;
/// Labelled commits needed before a type the history never used is worth a note.
const TYPES_KNOWN_AFTER: usize = 50;

/// A draft after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    /// The draft, repaired.
    pub(crate) message: Message,
    /// What was repaired, one line each.
    pub(crate) repairs: Vec<String>,
    /// Rules the repaired draft still breaks, one line each.
    pub(crate) violations: Vec<String>,
}

/// Checks and repairs one draft. `max_subject` is `commit.max_subject`.
pub(crate) fn check(conventions: &Conventions, message: &Message, max_subject: usize) -> Checked {
    let rules = &conventions.rules;
    let profile = conventions.speaking_profile();
    let mut repairs = Vec::new();
    let mut violations = Vec::new();
    let mut subject_line = message.subject.trim().to_string();
    let mut parsed = subject::parse(&subject_line);

    // The style: declared Conventional Commits, else the repository's dominant style.
    let learned_style = profile.and_then(|profile| {
        let (style, share) = profile.style_shares.first()?;
        (*share >= DOMINANT_STYLE).then_some((*style, *share))
    });
    let read_style =
        |parsed: &Subject| profile.map_or(parsed.style, |profile| profile.style_of(parsed));
    let expected_style = if rules.conventional() {
        Some(Style::Conventional)
    } else {
        learned_style.map(|(style, _)| style)
    };
    if let Some(expected) = expected_style {
        // `fix(sync):` where `sync:` is written reads as a component, but is not one.
        let actual = match (parsed.style, parsed.scope.is_some()) {
            (Style::Conventional, true) => Style::Conventional,
            _ => read_style(&parsed),
        };
        if actual != expected {
            match (actual, expected, parsed.prefix.clone()) {
                (Style::Conventional, Style::Component, Some(_)) if parsed.scope.is_some() => {
                    let component = parsed.scope.clone().unwrap_or_default();
                    subject_line = format!("{component}: {}", parsed.summary);
                    repairs.push(format!("`{}` prefix written as the component `{component}:`, as this repository does", parsed.prefix.as_deref().unwrap_or_default()));
                }
                (Style::Conventional | Style::Component, Style::Plain, Some(prefix)) => {
                    subject_line = capitalised(&parsed.summary);
                    repairs.push(format!(
                        "`{prefix}:` prefix dropped: this repository writes plain sentences"
                    ));
                }
                _ => {
                    let said = match (&rules.conventional, learned_style) {
                        (Some(source), _) => format!("{source} asks for Conventional Commits"),
                        (None, Some((style, share))) => format!(
                            "{:.0}% of recent commits here are in {} style",
                            share * 100.0,
                            style.as_str()
                        ),
                        (None, None) => String::new(),
                    };
                    violations.push(format!("not in the repository's style: {said}"));
                }
            }
            parsed = subject::parse(&subject_line);
        }
    }

    // The type: lower-case, a synonym the rules or the history use, in the allowed set.
    if read_style(&parsed) == Style::Conventional {
        if let Some(mut commit_type) = parsed.prefix.clone() {
            if parsed.prefix_capitalised {
                repairs.push(format!("type written in lower case (`{commit_type}`)"));
            }
            // Declared types, else the ones the history uses once it has enough of them.
            let learned_types = |minimum: usize| {
                profile.filter(|profile| profile.labelled >= minimum).map(|profile| {
                    profile.types.iter().map(|(name, _, _)| name.clone()).collect::<Vec<_>>()
                })
            };
            let known_well = rules.types.is_some() || learned_types(TYPES_KNOWN_AFTER).is_some();
            let allowed: Option<Vec<String>> = rules
                .types
                .as_ref()
                .map(|types| types.values.clone())
                .or_else(|| learned_types(super::profile::MIN_LABELLED));
            if let Some(allowed) = &allowed {
                if !allowed.contains(&commit_type) {
                    let allowed_name = |name: &str| allowed.iter().any(|known| known == name);
                    let synonym = TYPE_SYNONYMS
                        .iter()
                        .find(|(from, to)| *from == commit_type && allowed_name(to))
                        .map(|(_, to)| to.to_string())
                        .or_else(|| {
                            TYPE_SYNONYMS
                                .iter()
                                .find(|(from, to)| *to == commit_type && allowed_name(from))
                                .map(|(from, _)| from.to_string())
                        });
                    match synonym {
                        Some(to) => {
                            repairs.push(format!(
                                "type `{commit_type}` written `{to}`, as allowed here"
                            ));
                            commit_type = to;
                        }
                        None => match &rules.types {
                            Some(types) if types.strict => violations.push(format!(
                                "type `{commit_type}` is not one of {} ({})",
                                listed(&types.values),
                                types.source
                            )),
                            Some(_) => {}
                            None if !known_well => {}
                            None => violations.push(format!(
                                "type `{commit_type}` is never used here (this repository uses {})",
                                allowed.iter().take(6).cloned().collect::<Vec<_>>().join(", ")
                            )),
                        },
                    }
                }
            }
            // A scope outside the declared set is dropped, so the draft still passes.
            let mut scope = parsed.scope.clone();
            // Scopes are written as the repository writes them: in lower case when it does.
            let lower_scopes = match &rules.scopes {
                Some(declared) => declared.values.iter().all(|name| *name == name.to_lowercase()),
                None => profile.is_some_and(|profile| {
                    profile.scopes().iter().all(|(name, _)| *name == name.to_lowercase())
                }),
            };
            if let Some(current) = scope.as_mut() {
                if lower_scopes && *current != current.to_lowercase() {
                    repairs.push(format!("scope `{current}` written in lower case"));
                    *current = current.to_lowercase();
                }
            }
            if let (Some(declared), Some(current)) = (&rules.scopes, &scope) {
                if !declared.values.iter().any(|allowed| allowed == current) {
                    repairs.push(format!(
                        "scope `{current}` dropped: not one of {} ({})",
                        listed(&declared.values),
                        declared.source
                    ));
                    scope = None;
                }
            }
            let breaking = parsed.breaking || message.body.contains("BREAKING CHANGE");
            if breaking && !parsed.breaking {
                repairs.push("`!` added: the body declares a BREAKING CHANGE".to_string());
            }
            let scope_text = scope.map(|scope| format!("({scope})")).unwrap_or_default();
            let mark = if breaking { "!" } else { "" };
            subject_line = format!("{commit_type}{scope_text}{mark}: {}", parsed.summary);
            parsed = subject::parse(&subject_line);
        }
    }

    // The summary's case.
    let case =
        rules.subject_case.as_ref().map(|(case, source)| (*case, source.clone())).or_else(|| {
            let profile = profile?;
            let style = read_style(&parsed);
            let share = profile.capital_share(style)?;
            if share >= STRONG_HABIT {
                Some((SubjectCase::Sentence, "this repository's habit".to_string()))
            } else if share <= 1.0 - STRONG_HABIT {
                Some((SubjectCase::Lower, "this repository's habit".to_string()))
            } else {
                None
            }
        });
    if let Some((case, source)) = case {
        let summary = parsed.summary.clone();
        let fixed = match case {
            SubjectCase::Lower => offline::lower_first(&summary),
            SubjectCase::Sentence => capitalised(&summary),
        };
        if fixed != summary {
            subject_line = replace_summary(&subject_line, &summary, &fixed);
            repairs.push(format!("summary case as {source} asks"));
        }
    }

    // The full stop.
    let full_stop = rules.full_stop.as_ref().map(|(wanted, _)| *wanted).or_else(|| {
        profile.and_then(|profile| (profile.full_stop <= 1.0 - STRONG_HABIT).then_some(false))
    });
    match full_stop {
        Some(false) if subject_line.ends_with('.') && !subject_line.ends_with("..") => {
            subject_line = subject_line.trim_end_matches('.').trim_end().to_string();
            repairs.push("trailing full stop removed".to_string());
        }
        Some(true) if !subject_line.ends_with('.') => {
            subject_line.push('.');
            repairs.push("full stop added, as declared".to_string());
        }
        _ => {}
    }

    // The length, leaving room for the branch's ticket key where this repository writes one.
    let limit =
        rules.header_max.as_ref().map_or(max_subject, |(length, _)| (*length).min(max_subject));
    let habit = conventions.ticket_habit();
    let ticket = conventions.branch.as_deref().zip(habit).and_then(|(branch, habit)| {
        Some((ticket::from_branch(branch, habit)?, habit.form.clone()))
    });
    if let Some(habit) = habit {
        let keep = ticket.as_ref().map(|(key, _)| key.as_str());
        let (without, removed) = ticket::without_foreign(&subject_line, habit, keep);
        if !removed.is_empty() {
            subject_line = without;
            repairs.push(format!("{} removed: not this branch's ticket", removed.join(", ")));
        }
    }
    let room = |line: &str| match &ticket {
        Some((key, form)) => ticket::apply(line, key, form)
            .map_or(0, |with| with.chars().count().saturating_sub(line.chars().count())),
        None => 0,
    };
    let room = room(&subject_line);
    if subject_line.chars().count() + room > limit {
        subject_line = cut_at_word(&subject_line, limit.saturating_sub(room));
        repairs.push(format!("subject shortened to {limit} characters"));
    }
    if let Some((key, form)) = &ticket {
        if let Some(with) = ticket::apply(&subject_line, key, form) {
            subject_line = with;
            repairs.push(format!("{key} from the branch name, where this repository writes it"));
        }
    }
    Checked {
        message: Message { subject: subject_line, body: message.body.clone() },
        repairs,
        violations,
    }
}

/// How well a checked draft fits: rules first, then agreement with what the history would
/// call the change. Higher is better.
pub(crate) fn fitness(checked: &Checked, prediction: Option<&Prediction>) -> i64 {
    let mut score = -100 * checked.violations.len() as i64 - checked.repairs.len() as i64;
    if let Some(prediction) = prediction {
        let parsed = subject::parse(&checked.message.subject);
        if let Some((predicted, _)) = &prediction.commit_type {
            if parsed.commit_type() == Some(predicted.as_str()) {
                score += 4;
            }
        }
        if parsed.label_in(prediction.style).map(str::to_string) == prediction.scope {
            score += 2;
        }
    }
    score
}

/// Names in a line: the first dozen, then how many more.
fn listed(values: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = values.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if values.len() > SHOWN {
        text.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    text
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}

/// The subject with its summary replaced (the prefix kept as written).
fn replace_summary(subject: &str, summary: &str, fixed: &str) -> String {
    match subject.rfind(summary) {
        Some(position) => {
            format!("{}{fixed}{}", &subject[..position], &subject[position + summary.len()..])
        }
        None => subject.to_string(),
    }
}

/// Cuts to at most `max` characters at a word boundary, without a dangling separator.
fn cut_at_word(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(space) if space > max / 2 => {
            cut[..space].trim_end_matches([',', ';', ':', '-']).to_string()
        }
        _ => cut,
    }
}
