//! Small pieces of English for the local summarizer: lists of names, counts with the right
//! article, capitalisation, and fitting a subject into its character budget.

use crate::config::CommitStyle;

use super::definitions::Kind;
use super::patch::Definition;

/// How many names a subject lists before it counts them instead.
pub(super) const MAX_NAMES: usize = 3;

/// A summary in two strengths: naming things, and counting them for when space is short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phrase {
    /// Names the changed things: `add parse_duration and Settings`.
    pub(super) detailed: String,
    /// Counts them: `add a function and a type`.
    pub(super) counted: String,
}

impl Phrase {
    /// A phrase with no shorter form.
    pub(super) fn plain(text: String) -> Phrase {
        Phrase { counted: text.clone(), detailed: text }
    }

    /// `verb names` when there are few names, always `verb count` as the short form.
    pub(super) fn listing(verb: &str, names: &[&str], counted_object: &str) -> Phrase {
        let counted = format!("{verb} {counted_object}");
        if names.is_empty() || names.len() > MAX_NAMES {
            return Phrase { detailed: counted.clone(), counted };
        }
        Phrase { detailed: format!("{verb} {}", join(names)), counted }
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let mut text = String::new();
            for (position, name) in init.iter().enumerate() {
                if position > 0 {
                    text.push_str(", ");
                }
                text.push_str(name.as_ref());
            }
            text.push_str(" and ");
            text.push_str(last.as_ref());
            text
        }
    }
}

/// `a function`, `an implementation`, `3 functions`.
pub(super) fn count(number: usize, singular: &str, plural: &str) -> String {
    if number == 1 {
        let article = if singular.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {singular}")
    } else {
        format!("{number} {plural}")
    }
}

/// Counts definitions by kind, in order of first appearance: `3 functions`, `2 functions and
/// a type`, `5 definitions`.
pub(super) fn count_definitions(definitions: &[&Definition]) -> String {
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for definition in definitions {
        match kinds.iter_mut().find(|(kind, _)| *kind == definition.kind) {
            Some((_, number)) => *number += 1,
            None => kinds.push((definition.kind, 1)),
        }
    }
    match kinds.as_slice() {
        [(kind, number)] => {
            let (singular, plural) = kind.nouns();
            count(*number, singular, plural)
        }
        [(first, first_number), (second, second_number)] => {
            let (first_singular, first_plural) = first.nouns();
            let (second_singular, second_plural) = second.nouns();
            format!(
                "{} and {}",
                count(*first_number, first_singular, first_plural),
                count(*second_number, second_singular, second_plural)
            )
        }
        _ => count(definitions.len(), "definition", "definitions"),
    }
}

/// The text with its first character upper-cased.
pub(super) fn capitalize(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Words a shortened summary must not end on.
const DANGLING_WORDS: &[&str] =
    &["and", "or", "to", "from", "in", "of", "for", "with", "the", "a", "an", "by", "into"];

/// Builds the subject line within `max_characters`: names first, then counts, then without
/// the scope, then cut between words. Only a budget too small for the first word itself
/// forces a cut inside a word.
pub(super) fn fit_subject(
    style: CommitStyle,
    prefixes: &[String],
    phrase: &Phrase,
    max_characters: usize,
) -> String {
    let case = match style {
        CommitStyle::Conventional => Case::AsWritten,
        CommitStyle::Plain | CommitStyle::Gitmoji => Case::Capitalised,
    };
    fit_subject_cased(case, prefixes, phrase, max_characters)
}

/// How the summary after the prefix starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// As the phrase is written (lower-case verbs).
    AsWritten,
    /// With a capital first letter.
    Capitalised,
    /// With a lower-case first letter when the first word is an ordinary word.
    Lowered,
}

/// The text with its first letter lower-cased when its first word is an ordinary
/// capitalised word (`Add`), never a name (`README`, `PathBuf`).
pub(crate) fn lower_first(text: &str) -> String {
    let word = text.split(' ').next().unwrap_or("");
    let mut characters = word.chars();
    let ordinary = characters.next().is_some_and(char::is_uppercase)
        && characters.all(|character| character.is_lowercase());
    if !ordinary {
        return text.to_owned();
    }
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// `fit_subject` with the case of the summary given.
pub(crate) fn fit_subject_cased(
    case: Case,
    prefixes: &[String],
    phrase: &Phrase,
    max_characters: usize,
) -> String {
    // A subject never ends with a period, even when a heading or name does.
    let cased = |text: &str| {
        let text = text.trim_end_matches('.');
        match case {
            Case::AsWritten => text.to_owned(),
            Case::Capitalised => capitalize(text),
            Case::Lowered => lower_first(text),
        }
    };
    let detailed = cased(&phrase.detailed);
    let counted = cased(&phrase.counted);
    for prefix in prefixes {
        for summary in [&detailed, &counted] {
            let subject = format!("{prefix}{summary}");
            if subject.chars().count() <= max_characters {
                return subject;
            }
        }
    }
    // Nothing fits whole: cut the summary, not the scope the repository files the change
    // under (a changeset's long entry would otherwise lose `(core)`), unless even the
    // fullest prefix leaves too little room.
    let fullest = prefixes.first().filter(|prefix| {
        max_characters.saturating_sub(prefix.chars().count()) >= max_characters / 2
    });
    for prefix in [fullest, prefixes.last()].into_iter().flatten() {
        if let Some(subject) = cut_between_words(prefix, &counted, max_characters) {
            return subject;
        }
    }
    let bare = capitalize(counted.trim_end_matches('.'));
    if let Some(subject) = cut_between_words("", &bare, max_characters) {
        return subject;
    }
    bare.chars().take(max_characters).collect()
}

/// The prefix plus as many whole words as fit, without a dangling connective at the end.
fn cut_between_words(prefix: &str, summary: &str, max_characters: usize) -> Option<String> {
    let budget = max_characters.checked_sub(prefix.chars().count())?;
    let mut kept: Vec<&str> = Vec::new();
    let mut length = 0;
    for word in summary.split(' ').filter(|word| !word.is_empty()) {
        let added = word.chars().count() + usize::from(!kept.is_empty());
        if length + added > budget {
            break;
        }
        length += added;
        kept.push(word);
    }
    while kept.len() > 1 {
        let last = kept[kept.len() - 1].trim_end_matches([',', ':', ';']);
        if DANGLING_WORDS.contains(&last.to_lowercase().as_str()) {
            kept.pop();
        } else {
            break;
        }
    }
    if kept.is_empty() {
        return None;
    }
    let text = kept.join(" ");
    let text = text.trim_end_matches([',', ':', ';']);
    Some(format!("{prefix}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_counts() {
        assert_eq!(join(&["a"]), "a");
        assert_eq!(join(&["a", "b"]), "a and b");
        assert_eq!(join(&["a", "b", "c"]), "a, b and c");
        assert_eq!(count(1, "implementation", "implementations"), "an implementation");
        assert_eq!(count(4, "file", "files"), "4 files");
    }

    #[test]
    fn cutting_never_splits_words_or_dangles() {
        let cut = cut_between_words("feat: ", "add alpha and beta_gamma_delta", 22);
        assert_eq!(cut.as_deref(), Some("feat: add alpha"));
        assert_eq!(cut_between_words("feat: ", "add", 5), None);
    }
}
