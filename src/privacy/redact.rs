//! Replaces known secret formats in diff or plain text with `[REDACTED <label>]` markers, so
//! that nothing resembling a credential leaves the machine inside a prompt.
//!
//! The text is first scanned for short trigger literals (token prefixes such as `ghp_`, key
//! markers, `://`, and keywords such as `token` or `password`), a few vectorised passes over
//! the whole text. Only the lines holding one are looked at again, and on them only the rules
//! whose trigger occurs run their full expressions; every other line is copied in bulk. What
//! a rule finds becomes a [`Finding`] and the secret value, and only the value, is replaced:
//! variable names, quotes and the leading diff marker stay, so the model still sees that a
//! key changed.
//!
//! Three families of rules exist:
//! - token formats with a distinctive prefix or shape (`patterns.rs`),
//! - values assigned to secret-sounding names, judged by the name, the kind of file, and the
//!   value's length, character mix and entropy (`heuristics.rs`, word lists in
//!   `vocabulary.rs`),
//! - PEM private key blocks, which span lines and are handled here.
//!
//! A multi-line key block, from its BEGIN line to its END line, becomes one line: the text
//! before the BEGIN marker (with its diff marker), `[REDACTED private key]`, and the text after
//! the END marker. The output therefore has fewer lines than the input; [`Finding::line`]
//! always counts input lines. A block without an END line runs to the end of the text, or to
//! the next `diff --git` line, since a key cannot continue into another file. A hunk that
//! starts inside a key shows base64 lines and an END line without a BEGIN line; those base64
//! lines are redacted together.
//!
//! Values that announce themselves as illustrations are left alone: AWS's documented
//! `AKIAIOSFODNN7EXAMPLE` (anything containing `example`), `your-api-key-here`, `xxxx`,
//! `<token>`, `${VAR}` and the like.

mod encoded;
mod heuristics;
mod multiline;
mod patterns;
#[cfg(test)]
mod tests;
mod vocabulary;

use std::fmt;
use std::ops::Range;

use heuristics::FileContext;
use multiline::{Opening, Spanning};
use patterns::{Families, Span};

/// One secret found and replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Finding {
    /// The 1-based line of the input text on which the secret starts.
    pub line: usize,
    /// The format the secret was recognised as.
    pub kind: SecretKind,
}

/// The formats of secret that [`redact`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum SecretKind {
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    AwsAccessKey,
    /// A 40-character AWS secret access key assigned to an AWS secret name.
    AwsSecretKey,
    /// A Google API key (`AIza…`).
    GoogleApiKey,
    /// The `private_key` field of a Google service-account JSON file.
    GoogleServiceAccountKey,
    /// A Google OAuth client secret (`GOCSPX-…`) or access token (`ya29.…`).
    GoogleOAuthCredential,
    /// An Azure storage or service-bus key, AD client secret or SAS signature.
    AzureKey,
    /// A GitHub personal, OAuth, app or refresh token.
    GitHubToken,
    /// A GitLab personal, deploy, runner or other token.
    GitLabToken,
    /// A Slack bot, user, app or refresh token.
    SlackToken,
    /// The secret path of a Slack incoming-webhook URL.
    SlackWebhook,
    /// A Stripe secret or restricted key, or a webhook signing secret.
    StripeKey,
    /// An OpenAI API key (`sk-…`, `sk-proj-…`, `sk-svcacct-…`).
    OpenAiKey,
    /// An Anthropic API key (`sk-ant-…`).
    AnthropicKey,
    /// A Groq API key (`gsk_…`).
    GroqKey,
    /// An xAI API key (`xai-…`).
    XaiKey,
    /// A Perplexity API key (`pplx-…`).
    PerplexityKey,
    /// An OpenRouter API key (`sk-or-v1-…`).
    OpenRouterKey,
    /// A Replicate API token (`r8_…`).
    ReplicateToken,
    /// A Hugging Face access token (`hf_…`).
    HuggingFaceToken,
    /// An npm access token (`npm_…`).
    NpmToken,
    /// A PyPI upload token (`pypi-AgEI…`).
    PyPiToken,
    /// A SendGrid API key (`SG.x.y`).
    SendGridKey,
    /// A Twilio API key SID, or an account SID or auth token when assigned.
    TwilioKey,
    /// A DigitalOcean personal, OAuth or refresh token (`dop_v1_…`).
    DigitalOceanToken,
    /// A Shopify access token or shared secret (`shpat_…`).
    ShopifyToken,
    /// A Databricks personal access token (`dapi…`).
    DatabricksToken,
    /// A HashiCorp Vault token (`hvs.…`).
    VaultToken,
    /// An `age` encryption secret key (`AGE-SECRET-KEY-1…`).
    AgeSecretKey,
    /// A JSON Web Token (`eyJ….eyJ….signature`).
    Jwt,
    /// A PEM private key block, from its BEGIN line to its END line.
    PrivateKeyBlock,
    /// The password part of a `scheme://user:password@host` URL.
    PasswordInUrl,
    /// A bearer, token or basic credential following an authorization scheme word.
    AuthorizationHeader,
    /// A random-looking value assigned to a secret-sounding name.
    HighEntropyAssignment,
    /// The password of a JDBC, ODBC or `key=value` connection string (`Password=…;`,
    /// `pwd=…`, `?password=…`).
    ConnectionStringPassword,
    /// A password given to a command: `mysql -pPASS`, `--password=…`, `curl -u user:PASS`,
    /// `sshpass -p`, `PGPASSWORD=`.
    CommandLinePassword,
    /// A password or token in a build or package-manager credential file (Maven
    /// `settings.xml`, `.npmrc`, Docker `config.json` `auth`, Cargo `credentials.toml`…).
    CredentialFileSecret,
    /// A base64 or JSON-escaped blob that decodes to text holding a secret; the whole blob
    /// is replaced.
    EncodedSecret,
}

impl SecretKind {
    /// Every kind, in declaration order, so tests can enumerate them.
    #[cfg(test)]
    pub(crate) const ALL: [SecretKind; 37] = [
        SecretKind::AwsAccessKey,
        SecretKind::AwsSecretKey,
        SecretKind::GoogleApiKey,
        SecretKind::GoogleServiceAccountKey,
        SecretKind::GoogleOAuthCredential,
        SecretKind::AzureKey,
        SecretKind::GitHubToken,
        SecretKind::GitLabToken,
        SecretKind::SlackToken,
        SecretKind::SlackWebhook,
        SecretKind::StripeKey,
        SecretKind::OpenAiKey,
        SecretKind::AnthropicKey,
        SecretKind::GroqKey,
        SecretKind::XaiKey,
        SecretKind::PerplexityKey,
        SecretKind::OpenRouterKey,
        SecretKind::ReplicateToken,
        SecretKind::HuggingFaceToken,
        SecretKind::NpmToken,
        SecretKind::PyPiToken,
        SecretKind::SendGridKey,
        SecretKind::TwilioKey,
        SecretKind::DigitalOceanToken,
        SecretKind::ShopifyToken,
        SecretKind::DatabricksToken,
        SecretKind::VaultToken,
        SecretKind::AgeSecretKey,
        SecretKind::Jwt,
        SecretKind::PrivateKeyBlock,
        SecretKind::PasswordInUrl,
        SecretKind::AuthorizationHeader,
        SecretKind::HighEntropyAssignment,
        SecretKind::ConnectionStringPassword,
        SecretKind::CommandLinePassword,
        SecretKind::CredentialFileSecret,
        SecretKind::EncodedSecret,
    ];

    /// The short human name that appears inside the `[REDACTED <label>]` marker.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKey => "AWS access key",
            SecretKind::AwsSecretKey => "AWS secret key",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::GoogleServiceAccountKey => "Google service account key",
            SecretKind::GoogleOAuthCredential => "Google OAuth credential",
            SecretKind::AzureKey => "Azure key",
            SecretKind::GitHubToken => "GitHub token",
            SecretKind::GitLabToken => "GitLab token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::SlackWebhook => "Slack webhook",
            SecretKind::StripeKey => "Stripe key",
            SecretKind::OpenAiKey => "OpenAI key",
            SecretKind::AnthropicKey => "Anthropic key",
            SecretKind::GroqKey => "Groq key",
            SecretKind::XaiKey => "xAI key",
            SecretKind::PerplexityKey => "Perplexity key",
            SecretKind::OpenRouterKey => "OpenRouter key",
            SecretKind::ReplicateToken => "Replicate token",
            SecretKind::HuggingFaceToken => "Hugging Face token",
            SecretKind::NpmToken => "npm token",
            SecretKind::PyPiToken => "PyPI token",
            SecretKind::SendGridKey => "SendGrid key",
            SecretKind::TwilioKey => "Twilio key",
            SecretKind::DigitalOceanToken => "DigitalOcean token",
            SecretKind::ShopifyToken => "Shopify token",
            SecretKind::DatabricksToken => "Databricks token",
            SecretKind::VaultToken => "Vault token",
            SecretKind::AgeSecretKey => "age secret key",
            SecretKind::Jwt => "JWT",
            SecretKind::PrivateKeyBlock => "private key",
            SecretKind::PasswordInUrl => "URL password",
            SecretKind::AuthorizationHeader => "authorization credential",
            SecretKind::HighEntropyAssignment => "secret value",
            SecretKind::ConnectionStringPassword => "connection string password",
            SecretKind::CommandLinePassword => "command-line password",
            SecretKind::CredentialFileSecret => "credential",
            SecretKind::EncodedSecret => "encoded secret",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// The text with every recognised secret replaced, and one finding per replacement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Redacted {
    /// The input text with each secret value replaced by `[REDACTED <label>]`.
    pub text: String,
    /// What was replaced, in the order the replacements appear in `text`.
    pub findings: Vec<Finding>,
}

#[cfg(test)]
/// Replaces every recognised secret in `text` (a unified diff or plain text) with a marker.
///
/// The kind of each file (source code, configuration, lock file) is read from the diff
/// headers (`diff --git a/… b/…`, `+++ b/…`); before any header it is unknown.
pub(crate) fn redact(text: &str) -> Redacted {
    redact_with_context(text, FileContext::default(), true, true)
}

/// Replaces every recognised secret in plain text that belongs to no file (a file name, a
/// commit message, a prompt): diff headers inside it are not followed.
pub(crate) fn redact_plain(text: &str) -> Redacted {
    redact_with_context(text, FileContext::default(), false, false)
}

/// Like [`redact`], for the patch of one file whose path is known from elsewhere, as when a
/// patch is printed without its real file name; headers inside `patch` are then ignored.
pub(crate) fn redact_file(path: &str, patch: &str) -> Redacted {
    redact_with_context(patch, FileContext::for_path(path), false, true)
}

/// Redacts `text`, starting from `context` and following diff headers when `follow_headers`;
/// `diff` says whether lines start with a diff marker, which a value on a later line must
/// share (text found inside a blob or a commit message has none).
fn redact_with_context(
    text: &str,
    context: FileContext,
    follow_headers: bool,
    diff: bool,
) -> Redacted {
    let candidates = patterns::find_candidates(text);
    let mut redactor = Redactor {
        text,
        lowercased: &candidates.lowercased,
        file_starts: &candidates.file_starts,
        output: String::with_capacity(text.len()),
        copied_until: 0,
        findings: Vec::new(),
        context,
        follow_headers,
        diff,
        base64_looked_until: 0,
        counted_until: 0,
        counted_lines: 1,
    };
    let mut all_hits;
    let mut hits = candidates.hits.as_slice();
    let credential_lines =
        credential_file_lines(text, &candidates.file_starts, context, follow_headers);
    if !credential_lines.is_empty() {
        all_hits = candidates.hits.clone();
        all_hits
            .extend(credential_lines.into_iter().map(|start| (start, patterns::Family::Keywords)));
        all_hits.sort_unstable_by_key(|&(offset, _)| offset);
        hits = all_hits.as_slice();
    }
    let mut hits = hits.iter().peekable();
    while let Some(&(offset, family)) = hits.next() {
        if offset < redactor.copied_until {
            // Inside a line already written, or a private key block already swallowed.
            continue;
        }
        let line = redactor.line_at(offset);
        let mut families = Families::default();
        families.add(family);
        while let Some(&(_, family)) = hits.next_if(|&&(next, _)| next < line.end) {
            families.add(family);
        }
        redactor.process_line(line, families);
    }
    redactor.finish()
}

/// The starts of every line of a credential file in `text`: there a token may sit under a
/// host name with no keyword on its line, so each line is looked at. Credential files are
/// small, so this costs nothing on ordinary diffs.
fn credential_file_lines(
    text: &str,
    file_starts: &[usize],
    context: FileContext,
    follow_headers: bool,
) -> Vec<usize> {
    let mut sections: Vec<Range<usize>> = Vec::new();
    if context.credential_file {
        sections
            .push(0..file_starts.first().copied().filter(|_| follow_headers).unwrap_or(text.len()));
    }
    if follow_headers {
        for (index, &start) in file_starts.iter().enumerate() {
            let end = file_starts.get(index + 1).copied().unwrap_or(text.len());
            let header = text[start..end].lines().next().unwrap_or_default();
            let mut file = FileContext::default();
            file.observe_header(header);
            if file.credential_file {
                sections.push(start..end);
            }
        }
    }
    let mut starts = Vec::new();
    for section in sections {
        let mut offset = section.start;
        for line in text[section.clone()].split_inclusive('\n') {
            starts.push(offset);
            offset += line.len();
        }
    }
    starts
}

/// Where one line sits in the input.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// The 1-based line number.
    number: usize,
    /// Byte offset of the line's first byte.
    start: usize,
    /// Byte offset just past the line's ending.
    end: usize,
}

/// The state of one call to [`redact`].
///
/// Only lines holding a trigger literal are visited. The output lags behind the input: the
/// unchanged stretch `text[copied_until..]` is copied in one piece when a line changes or the
/// text ends, so ordinary lines cost nothing beyond the candidate scan.
struct Redactor<'a> {
    text: &'a str,
    /// `text` with ASCII letters lowercased, at the same byte offsets.
    lowercased: &'a str,
    /// Offsets of the lines that start a file's diff, in increasing order.
    file_starts: &'a [usize],
    output: String,
    /// How much of `text` the output accounts for.
    copied_until: usize,
    findings: Vec<Finding>,
    /// What the last diff header (or the caller) said about the current file.
    context: FileContext,
    /// Whether diff headers update `context`; not when the caller gave the path.
    follow_headers: bool,
    /// Whether the lines carry diff markers.
    diff: bool,
    /// Where the last wrapped base64 blob looked at ends: its later lines start no new look.
    base64_looked_until: usize,
    /// Line numbers are counted lazily: `counted_until` starts line `counted_lines`.
    counted_until: usize,
    counted_lines: usize,
}

impl<'a> Redactor<'a> {
    /// The line containing `offset`, which must not lie before a line already visited.
    fn line_at(&mut self, offset: usize) -> Line {
        let text = self.text;
        let start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
        if start > self.counted_until {
            self.counted_lines += count_newlines(&text[self.counted_until..start]);
            self.counted_until = start;
        }
        let end = text[offset..].find('\n').map_or(text.len(), |newline| offset + newline + 1);
        Line { number: self.counted_lines, start, end }
    }

    /// Redacts one line that holds a trigger literal.
    fn process_line(&mut self, line: Line, families: Families) {
        let text = self.text;
        let (content, ending) = split_line_ending(&text[line.start..line.end]);
        if families.header && self.follow_headers {
            self.context.observe_header(content);
        }
        if families.tokens && self.private_key_line(content, ending, line, families) {
            return;
        }
        if !(families.tokens || families.keywords || families.encoded) {
            return;
        }
        let Some(lowercased) = self.lowercased.get(line.start..line.start + content.len()) else {
            return;
        };
        let spans = patterns::find_spans(content, lowercased, families, self.context);
        let spanning = self.spanning_values(line, content, lowercased, families);
        if !spanning.is_empty() {
            self.write_spanning(line, spans, &spanning);
        } else if !spans.is_empty() {
            self.catch_up(line.start);
            self.write_spans(content, &spans, line.number);
            self.finish_line(ending, line.end);
        }
    }

    /// The values that this line opens and later lines hold: a name whose value follows, or
    /// the first line of wrapped base64. Sorted, and never reaching into a private key block.
    fn spanning_values(
        &mut self,
        line: Line,
        content: &str,
        lowercased: &str,
        families: Families,
    ) -> Vec<Spanning> {
        if self.context.lock_file {
            return Vec::new();
        }
        let marker = if self.diff { content.as_bytes().first().copied() } else { None };
        let skip = usize::from(matches!(marker, Some(b'+' | b'-' | b' ')));
        let marker = marker.filter(|_| skip == 1);
        let (Some(body), Some(lowercased_body)) = (content.get(skip..), lowercased.get(skip..))
        else {
            return Vec::new();
        };
        let opening = Opening { body, lowercased: lowercased_body, start: line.start + skip };
        let sides = if self.diff && marker.is_none() {
            // Not a diff line at all: a header or a hunk's first line.
            &[][..]
        } else {
            multiline::sides(marker)
        };
        let mut found = Vec::new();
        if families.keywords || families.tokens {
            found = multiline::values(self.text, opening, sides, self.context);
        }
        let encoded_here = families.encoded
            && line.start >= self.base64_looked_until
            && self.context.nesting < heuristics::MAX_NESTING;
        for &side in sides.iter().filter(|_| encoded_here) {
            let (spans, until) = multiline::wrapped_base64(self.text, opening, side, self.context);
            found.extend(spans);
            self.base64_looked_until = self.base64_looked_until.max(until);
        }
        if found.is_empty() {
            return found;
        }
        found.sort_by_key(|spanning| (spanning.range.start, spanning.range.end));
        found.dedup_by(|later, earlier| later.range.start < earlier.range.end);
        let reach = found.iter().map(|spanning| spanning.range.end).max().unwrap_or(line.end);
        if reach > line.end && self.text[line.end..reach].contains("-----BEGIN ") {
            found.retain(|spanning| spanning.range.end <= line.end);
        }
        found
    }

    /// Writes `line`, with `spans` and the parts of `spanning` on it replaced, and the lines
    /// after it up to the last part of `spanning`, each with its own secrets replaced too.
    fn write_spanning(&mut self, line: Line, spans: Vec<Span>, spanning: &[Spanning]) {
        let text = self.text;
        let reach = spanning.iter().map(|spanning| spanning.range.end).max().unwrap_or(line.end);
        self.catch_up(line.start);
        let mut current = line;
        let mut own = spans;
        loop {
            let (content, ending) = split_line_ending(&text[current.start..current.end]);
            let mut merged: Vec<Span> = spanning
                .iter()
                .filter(|part| {
                    part.range.start >= current.start
                        && part.range.end <= current.start + content.len()
                })
                .map(|part| Span {
                    start: part.range.start - current.start,
                    end: part.range.end - current.start,
                    kind: part.kind,
                    priority: patterns::PRIORITY_SPANNING,
                    counted: part.counted,
                })
                .collect();
            merged.append(&mut own);
            let merged = patterns::resolve_overlaps(merged);
            self.write_spans(content, &merged, current.number);
            self.finish_line(ending, current.end);
            if current.end >= reach || current.end >= text.len() {
                return;
            }
            let start = current.end;
            let end = text[start..].find('\n').map_or(text.len(), |newline| start + newline + 1);
            current = Line { number: current.number + 1, start, end };
            let (content, _) = split_line_ending(&text[start..end]);
            own = self
                .lowercased
                .get(start..start + content.len())
                .map(|lowercased| {
                    patterns::find_spans(content, lowercased, Families::ALL, self.context)
                })
                .unwrap_or_default();
        }
    }

    /// Handles a line holding a private key BEGIN marker that opens a multi-line block, or an
    /// END marker that closes a block whose BEGIN line lies before the hunk; returns whether
    /// it did.
    fn private_key_line(
        &mut self,
        content: &str,
        ending: &str,
        line: Line,
        families: Families,
    ) -> bool {
        let following = self.text[line.end..].split_inclusive('\n');
        if let Some(begin) = patterns::private_key_begin(content) {
            if !patterns::starts_multi_line_block(content, begin.end, following) {
                return false;
            }
            self.catch_up(line.start);
            self.write_fragment(line, families, 0..begin.start);
            self.push_marker(SecretKind::PrivateKeyBlock, line.number);
            self.swallow_block(line, ending);
            return true;
        }
        let Some(end) = patterns::private_key_end(content) else {
            return false;
        };
        let Some(run) = self.key_body_before(line) else {
            return false;
        };
        // The hunk started inside a key: everything from the first body line is the key.
        self.catch_up(run.start);
        self.output.push_str(run.marker);
        self.push_marker(SecretKind::PrivateKeyBlock, run.line);
        self.write_fragment(line, families, end.end..content.len());
        self.finish_line(ending, line.end);
        true
    }

    /// Skips the body of a block opened on `begin`: through its END line (keeping what follows
    /// the END marker), up to the next file of the diff, or to the end of the text.
    fn swallow_block(&mut self, begin: Line, begin_ending: &str) {
        let text = self.text;
        let later_files =
            &self.file_starts[self.file_starts.partition_point(|&start| start < begin.end)..];
        let search_end = later_files.first().copied().unwrap_or(text.len());
        if let Some(marker) = patterns::find_private_key_end(&text[begin.end..search_end]) {
            let marker_start = begin.end + marker.start;
            let line = self.line_at(marker_start);
            let (content, ending) = split_line_ending(&text[line.start..line.end]);
            let after_marker = begin.end + marker.end - line.start;
            self.write_fragment(line, Families::ALL, after_marker..content.len());
            self.finish_line(ending, line.end);
            return;
        }
        // Unterminated: the block ends before the next file, or with the text, and keeps the
        // line ending of its last line.
        let ending = if search_end > begin.end {
            let swallowed = &text[..search_end];
            if swallowed.ends_with("\r\n") {
                "\r\n"
            } else if swallowed.ends_with('\n') {
                "\n"
            } else {
                ""
            }
        } else {
            begin_ending
        };
        self.finish_line(ending, search_end);
    }

    /// The base64 lines directly above `line` that have not been written yet, as a key body
    /// whose BEGIN line is outside the diff; `None` when there are none.
    fn key_body_before(&self, line: Line) -> Option<KeyBody<'a>> {
        let text = self.text;
        let mut run_start = line.start;
        let mut count = 0;
        while run_start > self.copied_until {
            let previous_start = text[..run_start - 1].rfind('\n').map_or(0, |newline| newline + 1);
            let (previous, _) = split_line_ending(&text[previous_start..run_start]);
            if !patterns::is_key_body_line(previous) {
                break;
            }
            run_start = previous_start;
            count += 1;
        }
        if count == 0 {
            return None;
        }
        let (first, _) = split_line_ending(&text[run_start..]);
        let first_line = line.number.saturating_sub(count);
        Some(KeyBody { start: run_start, line: first_line, marker: diff_marker(first) })
    }

    /// Copies the unchanged input up to `offset` into the output.
    fn catch_up(&mut self, offset: usize) {
        if self.copied_until < offset {
            self.output.push_str(&self.text[self.copied_until..offset]);
            self.copied_until = offset;
        }
    }

    /// Ends a line written by hand: appends `ending` and marks the input as accounted for up
    /// to `end`.
    fn finish_line(&mut self, ending: &str, end: usize) {
        self.output.push_str(ending);
        self.copied_until = end;
    }

    /// Writes the part `range` of a line, with any single-line secrets in it replaced.
    fn write_fragment(&mut self, line: Line, families: Families, range: Range<usize>) {
        let absolute = line.start + range.start..line.start + range.end;
        let (text, lowercased) = (self.text, self.lowercased);
        let (Some(fragment), Some(lowercased)) =
            (text.get(absolute.clone()), lowercased.get(absolute))
        else {
            return;
        };
        let spans = patterns::find_spans(fragment, lowercased, families, self.context);
        self.write_spans(fragment, &spans, line.number);
    }

    /// Writes `fragment` with each span replaced by its marker.
    fn write_spans(&mut self, fragment: &str, spans: &[patterns::Span], line_number: usize) {
        let mut cursor = 0;
        for span in spans {
            // Spans are sorted, disjoint and on character boundaries, so `get` always succeeds;
            // were it ever to fail, text is dropped rather than a secret kept.
            self.output.push_str(fragment.get(cursor..span.start).unwrap_or_default());
            if span.counted {
                self.push_marker(span.kind, line_number);
            } else {
                self.push_marker_text(span.kind);
            }
            cursor = cursor.max(span.end);
        }
        self.output.push_str(fragment.get(cursor..).unwrap_or_default());
    }

    /// Appends one `[REDACTED <label>]` marker and records the finding.
    fn push_marker(&mut self, kind: SecretKind, line_number: usize) {
        self.push_marker_text(kind);
        self.findings.push(Finding { line: line_number, kind });
    }

    /// Appends one `[REDACTED <label>]` marker for a part of a secret already reported.
    fn push_marker_text(&mut self, kind: SecretKind) {
        self.output.push_str("[REDACTED ");
        self.output.push_str(kind.label());
        self.output.push(']');
    }

    /// Copies what is left and returns the result.
    fn finish(mut self) -> Redacted {
        self.catch_up(self.text.len());
        Redacted { text: self.output, findings: self.findings }
    }
}

/// Base64 lines above an END marker whose BEGIN line is not in the text.
struct KeyBody<'a> {
    /// Byte offset of the first body line.
    start: usize,
    /// The 1-based number of the first body line.
    line: usize,
    /// The diff marker of the first body line, kept in front of the replacement.
    marker: &'a str,
}

/// How many `\n` bytes `text` holds. Counting into a `u8` per chunk of 255 bytes (which
/// cannot overflow) lets the compiler compare 32 bytes per instruction.
fn count_newlines(text: &str) -> usize {
    text.as_bytes()
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|&byte| u8::from(byte == b'\n')).sum::<u8>()))
        .sum()
}

/// Splits a line produced by `split_inclusive('\n')` into its content and its `\n` or `\r\n`.
fn split_line_ending(raw_line: &str) -> (&str, &str) {
    if let Some(content) = raw_line.strip_suffix("\r\n") {
        (content, "\r\n")
    } else if let Some(content) = raw_line.strip_suffix('\n') {
        (content, "\n")
    } else {
        (raw_line, "")
    }
}

/// The unified-diff marker at the start of a line (`+`, `-` or a space), or nothing.
fn diff_marker(line: &str) -> &str {
    match line.as_bytes().first() {
        Some(b'+' | b'-' | b' ') => &line[..1],
        _ => "",
    }
}
