//! The one error type that reaches `main`: a kind that decides the exit code, a message, and
//! hints that say what to do about it.

use std::fmt;

use crate::config::ConfigError;
use crate::git::{GitError, PatternError};

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The command line or the situation does not allow the request (exit 2).
    Usage,
    /// The configuration is invalid (exit 3).
    Config,
    /// Git could not answer (exit 4).
    Repository,
    /// No model produced an answer (exit 5).
    NoAnswer,
    /// A feature that this version does not have yet (exit 6).
    Unavailable,
    /// Reading or writing a file failed (exit 7).
    Io,
    /// The user's own policy (`push.block: p1`, …) stops the push (exit 1).
    Blocked,
    /// Ctrl-C or SIGTERM while models were being asked (exit 130).
    Interrupted,
    /// Whoever read our output went away (`changes ... | head`): end quietly (exit 0).
    BrokenPipe,
}

/// A failure with what to do about it.
#[derive(Debug)]
pub(crate) struct Error {
    /// Decides the exit code.
    pub kind: Kind,
    /// One line saying what went wrong.
    pub message: String,
    /// Lines saying what to do, shown as `hint:` lines.
    pub hints: Vec<String>,
}

impl Error {
    /// An error of `kind` with `message` and no hints.
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), hints: Vec::new() }
    }

    /// Adds a hint line.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The process exit code for this error.
    pub(crate) fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Config => 3,
            Kind::Repository => 4,
            Kind::NoAnswer => 5,
            Kind::Unavailable => 6,
            Kind::Io => 7,
            Kind::Blocked => 1,
            Kind::Interrupted => 130,
            Kind::BrokenPipe => 0,
        }
    }

    /// Says plainly that a command or flag is not in this version.
    pub(crate) fn unavailable(what: &str) -> Self {
        Self::new(
            Kind::Unavailable,
            format!("{what} is not available in this version of changes yet"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::new(Kind::Config, format!("configuration: {error}")).with_hint(
            "`changes config show` prints the configuration and where each value comes from",
        )
    }
}

impl From<GitError> for Error {
    fn from(error: GitError) -> Self {
        match error {
            GitError::Pattern(pattern) => Self::from(pattern),
            GitError::NotARepository(_) => Self::new(Kind::Repository, error.to_string())
                .with_hint("run changes inside a git work tree, or set GIT_DIR"),
            other => Self::new(Kind::Repository, other.to_string()),
        }
    }
}

impl From<PatternError> for Error {
    fn from(error: PatternError) -> Self {
        Self::new(Kind::Config, error.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Self::new(Kind::BrokenPipe, "output closed")
        } else {
            Self::new(Kind::Io, error.to_string())
        }
    }
}
