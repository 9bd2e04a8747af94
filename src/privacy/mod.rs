//! What may leave the machine: which files' content may be read into a prompt at all (the path
//! filter and its `Exclusion`s), which text in what may is replaced first (the redactor), and
//! the one vocabulary of lock, secret, vendored and generated files both of them and the
//! offline engine share. Nothing here knows about git or models.

pub(crate) mod filter;
pub(crate) mod redact;
pub(crate) mod vocabulary;

use std::fmt;

pub use filter::{Filter, PatternError};

/// Why a file's content is never read into a prompt. The file is still listed with its stats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Git or our own detection says the content is binary.
    Binary,
    /// A dependency lock file (`Cargo.lock`, `package-lock.json`, ...).
    LockFile,
    /// Generated code: a known generated-file name, a "do not edit" marker or `linguist-generated`.
    Generated,
    /// Minified code: a `.min.` name or very long lines.
    Minified,
    /// Third-party code in a vendored folder or marked `linguist-vendored`.
    Vendored,
    /// A file that usually holds secrets: `.env*`, private keys, certificates, credential stores.
    Secret,
    /// Matched by the user's `exclude:` globs or `.changesignore`; holds the matching pattern.
    UserExcluded(String),
    /// A blob too large to diff at all (bigger than the hard read limit).
    TooLarge,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::Binary => formatter.write_str("binary"),
            Exclusion::LockFile => formatter.write_str("lock file"),
            Exclusion::Generated => formatter.write_str("generated"),
            Exclusion::Minified => formatter.write_str("minified"),
            Exclusion::Vendored => formatter.write_str("vendored"),
            Exclusion::Secret => formatter.write_str("may hold secrets"),
            Exclusion::UserExcluded(pattern) => write!(formatter, "excluded by `{pattern}`"),
            Exclusion::TooLarge => formatter.write_str("too large to diff"),
        }
    }
}

/// A secret found in a file's patch and replaced before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecretFound {
    /// The file.
    pub(crate) path: String,
    /// The line in the new version of the file, when known.
    pub(crate) line: Option<usize>,
    /// What kind of secret.
    pub(crate) kind: &'static str,
}

/// Replaces known secret formats in one file's patch; says where each one was, by line of
/// the new file.
pub(crate) fn redact_patch(path: &str, patch: &str) -> (String, Vec<SecretFound>) {
    let redacted = redact::redact_file(path, patch);
    let found = redacted
        .findings
        .iter()
        .map(|finding| SecretFound {
            path: path.to_string(),
            line: new_file_line(patch, finding.line),
            kind: finding.kind.label(),
        })
        .collect();
    (redacted.text, found)
}

/// Replaces known secret formats in text that is not a file's content (a file name, commit
/// messages, instructions); returns the text and the kind of each secret replaced.
pub(crate) fn redact_text(text: &str) -> (String, Vec<&'static str>) {
    let redacted = redact::redact_plain(text);
    (redacted.text, redacted.findings.iter().map(|finding| finding.kind.label()).collect())
}

/// `a` or `an` before the name of a kind of secret (`an encoded secret`, `a JWT`).
pub(crate) fn article(kind: &str) -> &'static str {
    let mut letters = kind.chars();
    let first = letters.next().unwrap_or('x');
    let initialism = first.is_ascii_uppercase()
        && letters.next().is_some_and(|second| second.is_ascii_uppercase());
    // Initialisms are read letter by letter: "an AWS key", "an SSH key", "a URL password".
    let vowel_sound =
        if initialism { "AEFHILMNORSX".contains(first) } else { "aeiouAEIOU".contains(first) };
    if vowel_sound {
        "an"
    } else {
        "a"
    }
}

/// The line number in the new file of the patch's `patch_line`-th line (1-based), from the
/// hunk headers; `None` for a removed line or a header.
fn new_file_line(patch: &str, patch_line: usize) -> Option<usize> {
    let mut new_line = 0usize;
    for (index, line) in patch.lines().enumerate() {
        if let Some(header) = line.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@
            let start = header.split_whitespace().find_map(|part| part.strip_prefix('+'))?;
            new_line = start.split(',').next()?.parse().ok()?;
            if index + 1 == patch_line {
                return None;
            }
            continue;
        }
        let is_target = index + 1 == patch_line;
        match line.chars().next() {
            Some('-') => {
                if is_target {
                    return None;
                }
            }
            Some('\\') => {}
            _ => {
                if is_target {
                    return Some(new_line);
                }
                new_line += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_take_the_article_they_are_read_with() {
        for (kind, expected) in [
            ("encoded secret", "an"),
            ("AWS access key", "an"),
            ("URL password", "a"),
            ("JWT", "a"),
            ("SendGrid key", "a"),
            ("credential", "a"),
        ] {
            assert_eq!(article(kind), expected, "{kind}");
        }
    }

    #[test]
    fn patch_lines_map_to_new_file_lines() {
        let patch =
            "@@ -10,3 +20,4 @@ fn x\n context\n-removed\n+added one\n+added two\n context\n";
        assert_eq!(new_file_line(patch, 1), None, "the header");
        assert_eq!(new_file_line(patch, 2), Some(20));
        assert_eq!(new_file_line(patch, 3), None, "a removed line");
        assert_eq!(new_file_line(patch, 4), Some(21));
        assert_eq!(new_file_line(patch, 5), Some(22));
        assert_eq!(new_file_line(patch, 6), Some(23));
    }
}
