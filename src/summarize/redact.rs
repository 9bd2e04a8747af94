//! Placeholder until the redaction module lands: finds nothing.

/// One secret found and replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in the input text.
    pub line: usize,
    /// What kind of secret.
    pub kind: SecretKind,
}

/// Kinds of secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A private key block.
    PrivateKeyBlock,
}

impl SecretKind {
    /// A short human label.
    pub fn label(self) -> &'static str {
        "private key"
    }
}

/// The text with secrets replaced, and where they were.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The text to send.
    pub text: String,
    /// What was replaced.
    pub findings: Vec<Finding>,
}

/// Replaces known secret formats.
pub fn redact(text: &str) -> Redacted {
    Redacted { text: text.to_string(), findings: Vec::new() }
}
