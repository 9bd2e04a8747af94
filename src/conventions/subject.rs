//! Reading a commit message the way a repository writes them: the subject's prefix
//! (Conventional Commits `type(scope)!:`, a `component:` prefix, a gitmoji, or none), the
//! summary after it, its case and full stop, and the body's shape and trailers.

use std::sync::LazyLock;

use regex::Regex;

/// Types that Conventional Commits repositories use, spelled as they spell them. A prefix
/// outside this list is a component (`sync: ...`, `io: ...`), not a type.
pub(crate) const KNOWN_TYPES: &[&str] = &[
    "feat",
    "fix",
    "docs",
    "doc",
    "style",
    "refactor",
    "perf",
    "test",
    "tests",
    "build",
    "ci",
    "chore",
    "revert",
    "release",
    "deps",
    "bump",
    "security",
    "wip",
    "improvement",
    "types",
    "i18n",
    "hotfix",
    "breaking",
    "infra",
    "dev",
    "misc",
    "example",
    "examples",
    "feature",
    "bugfix",
    "chores",
    "refact",
    "cleanup",
    "lint",
    "format",
    "config",
    "update",
    "upgrade",
];

/// Types a declared rule or a model may write differently from how the repository does.
pub(crate) const TYPE_SYNONYMS: &[(&str, &str)] = &[
    ("feature", "feat"),
    ("features", "feat"),
    ("bugfix", "fix"),
    ("bug", "fix"),
    ("hotfix", "fix"),
    ("doc", "docs"),
    ("documentation", "docs"),
    ("tests", "test"),
    ("testing", "test"),
    ("chores", "chore"),
    ("refact", "refactor"),
    ("refactoring", "refactor"),
    ("performance", "perf"),
    ("dependencies", "deps"),
];

/// How a subject is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Style {
    /// `type(scope)!: summary` with a type from the Conventional Commits vocabulary.
    Conventional,
    /// `component: summary`, the component naming a part of the project.
    Component,
    /// An emoji (or `:code:`) then the summary.
    Gitmoji,
    /// A sentence with no prefix.
    Plain,
}

impl Style {
    /// The word used in output and prompts.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Style::Conventional => "conventional",
            Style::Component => "component",
            Style::Gitmoji => "gitmoji",
            Style::Plain => "plain",
        }
    }
}

/// A subject taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Subject {
    /// The style judged from this subject alone: a prefix whose word is a known type is
    /// conventional, another prefix a component.
    pub(crate) style: Style,
    /// The prefix word, lower-cased (a type or a component), when there is one.
    pub(crate) prefix: Option<String>,
    /// The scope in parentheses, when there is one.
    pub(crate) scope: Option<String>,
    /// `!` before the colon.
    pub(crate) breaking: bool,
    /// The text after the prefix, without a trailing pull-request reference.
    pub(crate) summary: String,
    /// True when the prefix word was not all lower-case as written (`Feat:`).
    pub(crate) prefix_capitalised: bool,
}

static PREFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<word>[A-Za-z][A-Za-z0-9_./-]{0,29}(?:, ?[A-Za-z][A-Za-z0-9_./-]{0,29})*)(?:\((?P<scope>[^()\p{Cc}\u{200E}\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}]{0,60})\))?(?P<breaking>!)?(?P<colon>:)?\s+(?P<summary>\S.*)$",
    )
    .expect("literal pattern compiles")
});
static PULL_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*\((?:#\d+(?:,\s*)?)+\)\s*$").expect("literal pattern compiles")
});
/// A ticket key at the start of a subject (`ABC-123: `, `[ABC-123] `): it names the work, not
/// a component, and is read by `ticket` instead.
static LEADING_TICKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[\s*)?[A-Z][A-Z0-9]{1,9}-\d{1,6}(?:\s*\])?\s*[:-]?\s+")
        .expect("literal pattern compiles")
});
/// A ticket key at the end of a subject (`(ABC-123)`, `[ABC-123]`).
static TRAILING_TICKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[(\[][A-Z][A-Z0-9]{1,9}-\d{1,6}[)\]]\s*$").expect("literal pattern compiles")
});
static GITMOJI_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^:[a-z0-9_+-]+:\s*").expect("literal pattern compiles"));

/// Takes a subject line apart.
pub(crate) fn parse(subject: &str) -> Subject {
    let mut line = subject.trim();
    if let Some(found) = LEADING_TICKET.find(line).filter(|found| found.end() < line.len()) {
        line = &line[found.end()..];
    }
    let summary_of = |text: &str| {
        let text = PULL_REQUEST.replace(text.trim(), "");
        TRAILING_TICKET.replace(text.trim(), "").trim().to_string()
    };
    if let Some(found) = GITMOJI_CODE.find(line) {
        return Subject::bare(Style::Gitmoji, summary_of(&line[found.end()..]));
    }
    if line.chars().next().is_some_and(is_emoji) {
        let rest = line.trim_start_matches(|character: char| {
            is_emoji(character) || character == '\u{fe0f}' || character == '\u{200d}'
        });
        return Subject::bare(Style::Gitmoji, summary_of(rest));
    }
    if let Some(captures) = PREFIXED.captures(line) {
        let word = &captures["word"];
        let lower = word.to_lowercase();
        let has_colon = captures.name("colon").is_some();
        let scope = captures.name("scope").map(|scope| scope.as_str().trim().to_string());
        let known = KNOWN_TYPES.contains(&lower.as_str());
        // `chore(deps) Update x` (a renovate preset) is conventional without its colon; a
        // prefix without colon or scope is just the sentence's first word.
        if has_colon || (scope.is_some() && known) {
            return Subject {
                style: if known && !lower.contains([',', '/', '.']) {
                    Style::Conventional
                } else {
                    Style::Component
                },
                prefix_capitalised: word != lower,
                prefix: Some(lower),
                scope: scope.filter(|scope| !scope.is_empty() && !super::ticket::is_key(scope)),
                breaking: captures.name("breaking").is_some(),
                summary: summary_of(&captures["summary"]),
            };
        }
    }
    Subject::bare(Style::Plain, summary_of(line))
}

impl Subject {
    fn bare(style: Style, summary: String) -> Subject {
        Subject {
            style,
            prefix: None,
            scope: None,
            breaking: false,
            summary,
            prefix_capitalised: false,
        }
    }

    /// The Conventional Commits type, when the subject has one.
    pub(crate) fn commit_type(&self) -> Option<&str> {
        match self.style {
            Style::Conventional => self.prefix.as_deref(),
            _ => None,
        }
    }

    /// What the change is filed under as a scope: the scope of a conventional subject, or
    /// the component of a component subject.
    pub(crate) fn scope_label(&self) -> Option<&str> {
        match self.style {
            Style::Conventional => self.scope.as_deref(),
            Style::Component => self.prefix.as_deref(),
            _ => None,
        }
    }

    /// What the change is filed under when the subject is read in `style`: the scope of a
    /// conventional subject, the prefix word of a component one (`docs:` in a repository of
    /// components is the component `docs`).
    pub(crate) fn label_in(&self, style: Style) -> Option<&str> {
        match style {
            Style::Conventional => self.scope.as_deref(),
            Style::Component => self.prefix.as_deref(),
            _ => None,
        }
    }

    /// True when the summary starts with an upper-case letter.
    pub(crate) fn capitalised(&self) -> Option<bool> {
        let first = self.summary.chars().find(|character| character.is_alphanumeric())?;
        first.is_alphabetic().then(|| first.is_uppercase())
    }

    /// True when the summary ends with a full stop.
    pub(crate) fn full_stop(&self) -> bool {
        self.summary.ends_with('.') && !self.summary.ends_with("..")
    }
}

/// True for characters used as gitmoji or decoration at the start of a subject.
fn is_emoji(character: char) -> bool {
    matches!(u32::from(character),
        0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1F2FF | 0x2190..=0x21FF)
}

/// How the body of a message is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Body {
    /// There is text after the subject besides trailers.
    #[serde(default)]
    pub(crate) present: bool,
    /// Most of its lines are list items.
    #[serde(default)]
    pub(crate) bullets: bool,
    /// Trailer keys (`Signed-off-by`, `Co-authored-by`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) trailers: Vec<String>,
    /// A `BREAKING CHANGE:` footer.
    #[serde(default)]
    pub(crate) breaking: bool,
}

static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<key>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|Fixes|Closes|Refs): \S")
        .expect("literal pattern compiles")
});

/// Reads the lines after the subject.
pub(crate) fn body(message: &str) -> Body {
    let mut lines = message.lines();
    lines.next();
    let mut body = Body::default();
    let mut text_lines = 0;
    let mut bullet_lines = 0;
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') && !trimmed.starts_with("#[") {
            continue;
        }
        if trimmed.starts_with("BREAKING CHANGE") || trimmed.starts_with("BREAKING-CHANGE") {
            body.breaking = true;
            continue;
        }
        if let Some(captures) = TRAILER.captures(trimmed) {
            let key = captures["key"].to_string();
            if !body.trailers.contains(&key) {
                body.trailers.push(key);
            }
            continue;
        }
        text_lines += 1;
        if trimmed.starts_with("- ") || trimmed.starts_with("* ") {
            bullet_lines += 1;
        }
    }
    body.present = text_lines > 0;
    body.bullets = bullet_lines > 0 && bullet_lines * 2 >= text_lines;
    body
}

/// True for authors that are programs: dependency bots, CI bots.
pub(crate) fn is_bot(name: &str, email: &str) -> bool {
    let text = format!("{name} {email}").to_lowercase();
    let local = text.split('@').next().unwrap_or_default();
    ["[bot]", "dependabot", "renovate", "github-actions", "pre-commit-ci", "mergify", "bors"]
        .iter()
        .any(|marker| text.contains(marker))
        // `Angular Robot <angular-robot@…>`, `Release Bot`: a word of its own, not `Abbott`.
        || local
            .split(|character: char| !character.is_alphanumeric())
            .any(|word| matches!(word, "bot" | "robot" | "automation"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots_are_told_by_their_names() {
        assert!(is_bot("Angular Robot", "angular-robot@google.com"));
        assert!(is_bot("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"));
        assert!(is_bot("Release Bot", "release@example.com"));
        assert!(!is_bot("Jane Abbott", "jane.abbott@example.com"));
        assert!(!is_bot("Robert Botham", "robert@example.com"));
    }

    #[test]
    fn conventional_component_gitmoji_and_plain_subjects() {
        let subject = parse("feat(config)!: load layers (#123)");
        assert_eq!(subject.style, Style::Conventional);
        assert_eq!(subject.commit_type(), Some("feat"));
        assert_eq!(subject.scope.as_deref(), Some("config"));
        assert!(subject.breaking);
        assert_eq!(subject.summary, "load layers");
        let component = parse("sync: add `blocking_acquire` to Semaphore (#8269)");
        assert_eq!(component.style, Style::Component);
        assert_eq!(component.scope_label(), Some("sync"));
        assert_eq!(parse("Add hyperlink support").style, Style::Plain);
        assert!(parse("Fix: typo in README").prefix_capitalised);
        assert_eq!(parse("✨ add a thing").style, Style::Gitmoji);
        assert_eq!(parse(":sparkles: add a thing").summary, "add a thing");
        let renovate = parse("chore(deps) Update Rust crate syn to v2.0.85 (#11472)");
        assert_eq!(renovate.commit_type(), Some("chore"));
        assert_eq!(renovate.scope.as_deref(), Some("deps"));
        assert_eq!(parse("Merge pull request #1 from x/y").style, Style::Plain);
        assert_eq!(parse("tokio-util: fix x").style, Style::Component);
    }

    #[test]
    fn bodies_trailers_and_bots() {
        let body =
            body("fix: x\n\n- one\n- two\n\nSigned-off-by: A <a@b>\nCo-authored-by: B <b@c>\n");
        assert!(body.present && body.bullets);
        assert_eq!(body.trailers, ["Signed-off-by", "Co-authored-by"]);
        assert!(!super::body("fix: x\n\nSigned-off-by: A <a@b>\n").present);
        assert!(is_bot("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"));
        assert!(!is_bot("Ada", "ada@example.com"));
    }
}
