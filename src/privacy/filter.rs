//! Which files' content may be read into a prompt. Built-in rules (secrets, lock files,
//! vendored, generated, minified, binary; the names in `vocabulary`) plus the user's `exclude:`
//! globs and `.changesignore`, both in gitignore syntax. Excluded files keep their stats; their
//! bytes are never sent.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{vocabulary, Exclusion};

/// Name of the ignore file at the work-tree root.
pub(crate) const IGNORE_FILE_NAME: &str = ".changesignore";

/// Lines longer than this on average mark a file as minified.
const MINIFIED_AVERAGE_LINE: usize = 300;
/// Only the start of a file is searched for "generated" markers.
const GENERATED_MARKER_WINDOW: usize = 1024;

/// The path rules of one run: built in, plus the user's globs and ignore file.
#[derive(Debug, Clone)]
pub struct Filter {
    user: Gitignore,
}

/// A user glob or ignore-file line that is not valid gitignore syntax.
#[derive(Debug, thiserror::Error)]
#[error("invalid exclude pattern in {origin}: {message}")]
pub struct PatternError {
    /// `exclude:` or the ignore file's path.
    pub origin: String,
    /// The parser's explanation.
    pub message: String,
}

impl Filter {
    /// Builds the rules from `exclude:` globs and, when `root` is a work tree with one, its
    /// `.changesignore`. A missing ignore file is fine.
    pub fn new(root: Option<&Path>, exclude: &[String]) -> Result<Self, PatternError> {
        let base = root.unwrap_or_else(|| Path::new(""));
        let mut builder = GitignoreBuilder::new(base);
        for pattern in exclude {
            builder.add_line(None, pattern).map_err(|error| PatternError {
                origin: "exclude:".to_string(),
                message: error.to_string(),
            })?;
        }
        if let Some(root) = root {
            let ignore_file = root.join(IGNORE_FILE_NAME);
            if ignore_file.is_file() {
                if let Some(error) = builder.add(&ignore_file) {
                    return Err(PatternError {
                        origin: ignore_file.display().to_string(),
                        message: error.to_string(),
                    });
                }
            }
        }
        let user = builder.build().map_err(|error| PatternError {
            origin: "exclude:".to_string(),
            message: error.to_string(),
        })?;
        Ok(Self { user })
    }

    /// Rules that look at the path only, checked before any content is read. Secrets come
    /// first so that a `.env` file is reported as such even inside a vendored folder.
    pub fn classify_path(&self, path: &str) -> Option<Exclusion> {
        let name = vocabulary::file_name(path);
        if vocabulary::is_secret_file(name) {
            return Some(Exclusion::Secret);
        }
        let matched = self.user.matched_path_or_any_parents(path, false);
        if matched.is_ignore() {
            let pattern =
                matched.inner().map_or_else(String::new, |glob| glob.original().to_string());
            return Some(Exclusion::UserExcluded(pattern));
        }
        if vocabulary::is_lock_file(name) {
            return Some(Exclusion::LockFile);
        }
        if vocabulary::is_vendored(path) {
            return Some(Exclusion::Vendored);
        }
        if vocabulary::is_minified_name(name) {
            return Some(Exclusion::Minified);
        }
        if vocabulary::is_generated_name(path) {
            return Some(Exclusion::Generated);
        }
        None
    }
}

/// Rules that look at the new content: generated-code markers near the top and minified
/// text (very long lines). `content` is the newest side of the file.
pub(crate) fn classify_content(content: &[u8]) -> Option<Exclusion> {
    let head = &content[..content.len().min(GENERATED_MARKER_WINDOW)];
    let head = String::from_utf8_lossy(head);
    let marked = head.lines().take(10).any(vocabulary::is_generated_marker);
    if marked {
        return Some(Exclusion::Generated);
    }
    if content.len() >= 4 * MINIFIED_AVERAGE_LINE {
        let lines = content.iter().filter(|byte| **byte == b'\n').count() + 1;
        if content.len() / lines > MINIFIED_AVERAGE_LINE {
            return Some(Exclusion::Minified);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(exclude: &[&str]) -> Filter {
        let exclude: Vec<String> = exclude.iter().map(|glob| glob.to_string()).collect();
        Filter::new(None, &exclude).expect("valid globs")
    }

    #[test]
    fn built_in_rules_classify_by_path() {
        let filter = filter(&[]);
        let cases = [
            (".env", Some(Exclusion::Secret)),
            ("config/.env.production", Some(Exclusion::Secret)),
            ("deploy/server.key", Some(Exclusion::Secret)),
            ("certs/ca.PEM", Some(Exclusion::Secret)),
            ("home/.ssh/id_ed25519", Some(Exclusion::Secret)),
            ("Cargo.lock", Some(Exclusion::LockFile)),
            ("web/package-lock.json", Some(Exclusion::LockFile)),
            ("go.sum", Some(Exclusion::LockFile)),
            ("vendor/github.com/x/y.go", Some(Exclusion::Vendored)),
            ("web/node_modules/left-pad/index.js", Some(Exclusion::Vendored)),
            ("static/app.min.js", Some(Exclusion::Minified)),
            ("api/service.pb.go", Some(Exclusion::Generated)),
            ("proto/service_pb2.py", Some(Exclusion::Generated)),
            ("src/main.rs", None),
            ("src/vendor.rs", None),
            ("docs/environment.md", None),
            ("src/keys.rs", None),
        ];
        for (path, expected) in cases {
            assert_eq!(filter.classify_path(path), expected, "{path}");
        }
    }

    #[test]
    fn user_globs_use_gitignore_syntax_and_name_the_pattern() {
        let filter = filter(&["fixtures/", "*.sql", "!keep.sql"]);
        assert_eq!(
            filter.classify_path("tests/fixtures/big.json"),
            Some(Exclusion::UserExcluded("fixtures/".to_string()))
        );
        assert_eq!(
            filter.classify_path("db/dump.sql"),
            Some(Exclusion::UserExcluded("*.sql".to_string()))
        );
        assert_eq!(filter.classify_path("db/keep.sql"), None);
        assert_eq!(filter.classify_path("src/lib.rs"), None);
    }

    #[test]
    fn content_rules_find_generated_markers_and_minified_text() {
        assert_eq!(
            classify_content(b"// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n"),
            Some(Exclusion::Generated)
        );
        assert_eq!(classify_content(b"# @generated by tool\nx = 1\n"), Some(Exclusion::Generated));
        let minified = format!("{}\n", "var a=1;".repeat(500));
        assert_eq!(classify_content(minified.as_bytes()), Some(Exclusion::Minified));
        let normal = "fn main() {\n    println!(\"hi\");\n}\n".repeat(100);
        assert_eq!(classify_content(normal.as_bytes()), None);
    }
}
