//! Ticket keys (`ABC-123`) taken from the branch name, written where this repository writes
//! them. Only when the history shows the habit (enough recent subjects carry a key, in one
//! form more than any other) and only a key of a project the history already names: a key
//! is never invented, and `fix/utf-8` is not a ticket.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::subject;

/// Share of recent subjects that must carry a key for the habit to count.
const HABIT_SHARE: f32 = 0.3;
/// Subjects with a key needed before their form is trusted.
const MIN_TICKETED: usize = 5;
/// Recent subjects read for the habit.
const RECENT: usize = 200;

static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][A-Z0-9]{1,9})-(\d{1,6})\b").expect("literal pattern compiles")
});
static BRANCH_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[/_.-])([a-z][a-z0-9]{1,9})-(\d{1,6})(?:$|[/_.-])")
        .expect("literal pattern compiles")
});

/// Whether `text` is a ticket key and nothing else.
pub(crate) fn is_key(text: &str) -> bool {
    KEY.find(text).is_some_and(|found| found.start() == 0 && found.end() == text.len())
}

/// Where a repository writes a ticket key in the subject.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    /// Before everything: `{open}KEY{close}subject` (`ABC-1: `, `[ABC-1] `).
    Start { open: String, close: String },
    /// As the Conventional Commits scope: `feat(ABC-1): `.
    Scope,
    /// Right after a Conventional Commits prefix: `feat: ABC-1 summary`.
    AfterPrefix { close: String },
    /// After everything: `subject{open}KEY{close}` (` (ABC-1)`, ` [ABC-1]`).
    End { open: String, close: String },
}

/// The repository's habit: the form its subjects give a key, and the projects they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Habit {
    pub(crate) form: Form,
    pub(crate) projects: BTreeSet<String>,
}

/// Learns the habit from subjects, newest first, with their weights.
pub(crate) fn habit<'a>(subjects: impl Iterator<Item = (&'a str, f32)>) -> Option<Habit> {
    let mut forms: BTreeMap<Form, f32> = BTreeMap::new();
    let mut projects = BTreeSet::new();
    let (mut total, mut ticketed_weight, mut ticketed) = (0.0f32, 0.0f32, 0usize);
    for (line, weight) in subjects.take(RECENT) {
        total += weight;
        let Some(found) = KEY.captures(line) else { continue };
        ticketed_weight += weight;
        ticketed += 1;
        projects.insert(found[1].to_string());
        if let Some(form) = form_of(line) {
            *forms.entry(form).or_default() += weight;
        }
    }
    if ticketed < MIN_TICKETED || total <= 0.0 || ticketed_weight / total < HABIT_SHARE {
        return None;
    }
    let form = forms.into_iter().max_by(|left, right| left.1.total_cmp(&right.1))?.0;
    Some(Habit { form, projects })
}

/// The form of the first key in `line`, when it is one of the known forms.
fn form_of(line: &str) -> Option<Form> {
    let found = KEY.find(line)?;
    let (before, after) = (&line[..found.start()], &line[found.end()..]);
    let punctuation =
        |text: &str| text.chars().count() <= 3 && !text.chars().any(char::is_alphanumeric);
    // The separator after a leading key, up to the first word.
    let leading_close =
        after.find(|character: char| character.is_alphanumeric()).map(|end| &after[..end]);
    if punctuation(before) {
        let close = leading_close?;
        return punctuation(close)
            .then(|| Form::Start { open: before.to_string(), close: close.to_string() });
    }
    if punctuation(after.trim_end()) {
        let open_start = before
            .rfind(|character: char| character.is_alphanumeric())
            .map_or(0, |index| index + before[index..].chars().next().map_or(1, char::len_utf8));
        let open = &before[open_start..];
        return punctuation(open)
            .then(|| Form::End { open: open.to_string(), close: after.trim_end().to_string() });
    }
    let parsed = subject::parse(line);
    if parsed.style == subject::Style::Conventional {
        if before.ends_with('(') && after.starts_with(')') {
            return Some(Form::Scope);
        }
        if before.ends_with(": ") && !before.trim_end_matches(": ").contains(' ') {
            let close = leading_close?;
            return punctuation(close).then(|| Form::AfterPrefix { close: close.to_string() });
        }
    }
    None
}

/// The key a branch name carries (`feature/ABC-123-login`, `abc-123`), upper-cased, when its
/// project is one the history names.
pub(crate) fn from_branch(branch: &str, habit: &Habit) -> Option<String> {
    BRANCH_KEY.captures_iter(branch).find_map(|found| {
        let project = found[1].to_uppercase();
        habit.projects.contains(&project).then(|| format!("{project}-{}", &found[2]))
    })
}

/// `subject` with `key` written in `form`, or `None` when it names the key already or the
/// form does not fit it (a scope for a subject without a type).
pub(crate) fn apply(subject_line: &str, key: &str, form: &Form) -> Option<String> {
    if subject_line.to_uppercase().contains(key) {
        return None;
    }
    match form {
        Form::Start { open, close } => Some(format!("{open}{key}{close}{subject_line}")),
        Form::End { open, close } => Some(format!("{subject_line}{open}{key}{close}")),
        Form::Scope | Form::AfterPrefix { .. } => {
            let parsed = subject::parse(subject_line);
            let prefix = parsed.prefix.filter(|_| parsed.style == subject::Style::Conventional)?;
            let mark = if parsed.breaking { "!" } else { "" };
            Some(match form {
                Form::AfterPrefix { close } => {
                    let scope = parsed.scope.map(|scope| format!("({scope})")).unwrap_or_default();
                    format!("{prefix}{scope}{mark}: {key}{close}{}", parsed.summary)
                }
                _ => format!("{prefix}({key}){mark}: {}", parsed.summary),
            })
        }
    }
}

/// `subject` without the keys of this history's projects other than `keep`: a model that
/// copied an example's key, or invented one, does not get to file the work under it. Gives
/// the keys removed.
pub(crate) fn without_foreign(
    subject_line: &str,
    habit: &Habit,
    keep: Option<&str>,
) -> (String, Vec<String>) {
    let mut line = subject_line.to_string();
    let mut removed = Vec::new();
    loop {
        let foreign = KEY.captures_iter(&line).find_map(|found| {
            let whole = found.get(0)?;
            (habit.projects.contains(&found[1]) && Some(whole.as_str()) != keep)
                .then(|| (whole.start(), whole.end(), whole.as_str().to_string()))
        });
        let Some((start, end, key)) = foreign else { break };
        let (before, after) = (&line[..start], &line[end..]);
        let opened = before.ends_with(['(', '[']);
        let closed = after.starts_with([')', ']']);
        let before = if opened && closed { &before[..before.len() - 1] } else { before };
        let after = if opened && closed { &after[1..] } else { after };
        let next = if before.trim().is_empty() {
            after.trim_start_matches([':', '-', ' ']).to_string()
        } else if after.trim().is_empty() {
            before.trim_end().to_string()
        } else if before.ends_with(": ") {
            format!("{before}{}", after.trim_start_matches([':', '-', ' ']))
        } else {
            format!("{}{after}", before.trim_end_matches(' '))
        };
        removed.push(key);
        line = next;
    }
    (line, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn habit_of(subjects: &[&str]) -> Option<Habit> {
        habit(subjects.iter().map(|subject| (*subject, 1.0)))
    }

    #[test]
    fn forms_are_learned_and_applied() {
        let cases: [(&[&str], &str, &str); 5] = [
            (
                &["ABC-1: Add a", "ABC-2: Fix b", "ABC-3: Add c", "ABC-4: Drop d", "ABC-5: Add e"],
                "Add login",
                "ABC-77: Add login",
            ),
            (
                &[
                    "[ABC-1] Add a",
                    "[ABC-2] Fix b",
                    "[ABC-3] Add c",
                    "[ABC-4] Drop d",
                    "[ABC-5] Add e",
                ],
                "Add login",
                "[ABC-77] Add login",
            ),
            (
                &[
                    "Add a (ABC-1)",
                    "Fix b (ABC-2)",
                    "Add c (ABC-3)",
                    "Drop d (ABC-4)",
                    "Add e (ABC-5)",
                ],
                "Add login",
                "Add login (ABC-77)",
            ),
            (
                &[
                    "feat(ABC-1): add a",
                    "fix(ABC-2): b",
                    "feat(ABC-3): c",
                    "fix(ABC-4): d",
                    "feat(ABC-5): e",
                ],
                "feat(auth): add login",
                "feat(ABC-77): add login",
            ),
            (
                &[
                    "feat: ABC-1 add a",
                    "fix: ABC-2 b",
                    "feat: ABC-3 c",
                    "fix: ABC-4 d",
                    "feat: ABC-5 e",
                ],
                "feat(auth): add login",
                "feat(auth): ABC-77 add login",
            ),
        ];
        for (history, draft, wanted) in cases {
            let habit = habit_of(history).expect("a habit");
            let key = from_branch("feature/ABC-77-login", &habit).expect("a key");
            assert_eq!(apply(draft, &key, &habit.form).as_deref(), Some(wanted), "{history:?}");
        }
    }

    #[test]
    fn keys_are_never_invented() {
        let habit = habit_of(&["ABC-1: a", "ABC-2: b", "ABC-3: c", "ABC-4: d", "ABC-5: e", "f"])
            .expect("habit");
        assert_eq!(from_branch("abc-12-lower-case", &habit).as_deref(), Some("ABC-12"));
        assert_eq!(from_branch("fix/utf-8-paths", &habit), None, "not a project of this history");
        assert_eq!(from_branch("main", &habit), None);
        assert_eq!(apply("ABC-12: Add login", "ABC-12", &habit.form), None, "named already");
        // Too few subjects with a key, or too small a share of them: no habit.
        assert_eq!(habit_of(&["ABC-1: a", "ABC-2: b", "c", "d"]), None);
        let rare: Vec<String> = (0..40)
            .map(|index| if index % 8 == 0 { format!("ABC-{index}: a") } else { "b".into() })
            .collect();
        for (draft, keep, wanted) in [
            ("ABC-101: Add login", None, "Add login"),
            ("[ABC-101] Add login", Some("ABC-7"), "Add login"),
            ("Add login (ABC-101)", None, "Add login"),
            ("feat(ABC-101): add login", None, "feat: add login"),
            ("feat: ABC-101 add login", None, "feat: add login"),
            ("ABC-7: Add login", Some("ABC-7"), "ABC-7: Add login"),
            ("Fix UTF-8 paths", None, "Fix UTF-8 paths"),
        ] {
            assert_eq!(without_foreign(draft, &habit, keep).0, wanted, "{draft}");
        }
        assert_eq!(super::habit(rare.iter().map(|subject| (subject.as_str(), 1.0))), None);
    }
}
