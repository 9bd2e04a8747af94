//! Tests for secret redaction: the secret and look-alike corpora with their recall and
//! false-positive report, diff-marker and line-number preservation, multi-line private key
//! blocks, determinism, timing, and property tests that nothing panics or leaks.

mod corpus;
mod fakes;

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::heuristics::{looks_like_words, shannon_entropy};
use super::patterns::COMPILED;
use super::*;
use corpus::{
    look_alikes, multi_line_cases, multi_line_look_alikes, secret_cases, LookAlike, MultiLineCase,
    MultiLineLookAlike, SecretCase,
};
use fakes::*;

/// The 1-based line on which [`wrap_in_diff`] places the added line.
const ADDED_LINE: usize = 7;

/// Wraps one added line in a realistic single-file unified diff.
fn wrap_in_diff(path: &str, added_line: &str) -> String {
    format!(
        "diff --git a/{path} b/{path}\n\
         index 83db48f..bf269f4 100644\n\
         --- a/{path}\n\
         +++ b/{path}\n\
         @@ -10,2 +10,3 @@\n \
         context before\n\
         +{added_line}\n \
         context after\n"
    )
}

/// The marker a secret of `kind` is replaced with.
fn marker(kind: SecretKind) -> String {
    format!("[REDACTED {}]", kind.label())
}

/// Checks one secret case; returns a description of what went wrong, if anything.
fn check_secret_case(case: &SecretCase) -> Result<(), String> {
    let input = wrap_in_diff(case.path, &case.line);
    let redacted = redact(&input);
    let expected_line = format!("+{}", case.line.replacen(case.secret, &marker(case.kind), 1));
    let expected = input.replacen(&format!("+{}", case.line), &expected_line, 1);
    let expected_findings = vec![Finding { line: ADDED_LINE, kind: case.kind }];
    if redacted.text.contains(case.secret) {
        return Err(format!("{}: secret survived in {:?}", case.path, redacted.text));
    }
    if redacted.text != expected {
        return Err(format!("{}: expected {expected:?}\n got {:?}", case.path, redacted.text));
    }
    if redacted.findings != expected_findings {
        return Err(format!("{}: findings {:?}", case.path, redacted.findings));
    }
    Ok(())
}

/// Checks one look-alike; returns a description of what went wrong, if anything.
fn check_look_alike(look_alike: &LookAlike) -> Result<(), String> {
    let input = wrap_in_diff(look_alike.path, look_alike.line);
    let redacted = redact(&input);
    if redacted.text != input || !redacted.findings.is_empty() {
        return Err(format!(
            "{}: {:?} became {:?} with {:?}",
            look_alike.path, look_alike.line, redacted.text, redacted.findings
        ));
    }
    Ok(())
}

/// Wraps the lines of a hunk, with their markers, in a single-file unified diff.
fn wrap_hunk(path: &str, body: &str) -> String {
    format!(
        "diff --git a/{path} b/{path}\n\
         index 83db48f..bf269f4 100644\n\
         --- a/{path}\n\
         +++ b/{path}\n\
         @@ -10,8 +10,9 @@\n{body} context after\n"
    )
}

/// Checks one multi-line case: each secret is replaced by one marker, nothing else changes.
fn check_multi_line_case(case: &MultiLineCase) -> Result<(), String> {
    let input = wrap_hunk(case.path, &case.body);
    let redacted = redact(&input);
    let mut expected = input.clone();
    let mut from = 0;
    for secret in &case.secrets {
        let Some(found) = expected[from..].find(secret.as_str()) else {
            return Err(format!("{}: {secret:?} is not in the case", case.path));
        };
        let at = from + found;
        expected.replace_range(at..at + secret.len(), &marker(case.kind));
        from = at + marker(case.kind).len();
    }
    for secret in &case.secrets {
        if redacted.text.contains(secret.as_str()) {
            return Err(format!("{}: {secret:?} survived in {:?}", case.path, redacted.text));
        }
    }
    if redacted.text != expected {
        return Err(format!("{}: expected {expected:?}\n got {:?}", case.path, redacted.text));
    }
    if redacted.findings.is_empty()
        || redacted.findings.iter().any(|finding| finding.kind != case.kind)
    {
        return Err(format!("{}: findings {:?}", case.path, redacted.findings));
    }
    Ok(())
}

/// Checks one multi-line look-alike: it comes through unchanged.
fn check_multi_line_look_alike(look_alike: &MultiLineLookAlike) -> Result<(), String> {
    let input = wrap_hunk(look_alike.path, &look_alike.body);
    let redacted = redact(&input);
    if redacted.text != input || !redacted.findings.is_empty() {
        return Err(format!(
            "{}: {:?} became {:?} with {:?}",
            look_alike.path, look_alike.body, redacted.text, redacted.findings
        ));
    }
    Ok(())
}

#[test]
fn every_multi_line_secret_is_redacted_exactly() {
    let failures: Vec<String> =
        multi_line_cases().iter().filter_map(|case| check_multi_line_case(case).err()).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_multi_line_look_alike_is_left_alone() {
    let failures: Vec<String> = multi_line_look_alikes()
        .iter()
        .filter_map(|look_alike| check_multi_line_look_alike(look_alike).err())
        .collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_pattern_compiles() {
    // Forces the lazy initialisation, whose `expect` would otherwise fire at first use.
    std::sync::LazyLock::force(&COMPILED);
    multiline::compile_all();
}

#[test]
fn secret_corpus_is_large_and_varied() {
    let cases = secret_cases();
    let kinds: std::collections::BTreeSet<SecretKind> =
        cases.iter().map(|case| case.kind).collect();
    assert!(cases.len() >= 45, "only {} secret cases", cases.len());
    assert!(kinds.len() >= 20, "only {} kinds", kinds.len());
    assert!(look_alikes().len() >= 45, "only {} look-alikes", look_alikes().len());
    for case in &cases {
        assert!(case.line.contains(case.secret), "{}: secret not in line", case.path);
    }
}

#[test]
fn every_secret_in_the_corpus_is_redacted_exactly() {
    let failures: Vec<String> =
        secret_cases().iter().filter_map(|case| check_secret_case(case).err()).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_look_alike_is_left_alone() {
    let failures: Vec<String> =
        look_alikes().iter().filter_map(|look_alike| check_look_alike(look_alike).err()).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Prints recall and false-positive rate; run with
/// `cargo test recall_and_false_positive_rate -- --nocapture`.
#[test]
fn recall_and_false_positive_rate() {
    let cases = secret_cases();
    let look_alikes = look_alikes();
    let recalled = cases
        .iter()
        .filter(|case| {
            let redacted = redact(&wrap_in_diff(case.path, &case.line));
            !redacted.text.contains(case.secret)
                && redacted.findings.contains(&Finding { line: ADDED_LINE, kind: case.kind })
        })
        .count();
    let multi_line = multi_line_cases();
    let multi_line_recalled = multi_line
        .iter()
        .filter(|case| {
            let redacted = redact(&wrap_hunk(case.path, &case.body));
            case.secrets.iter().all(|secret| !redacted.text.contains(secret.as_str()))
                && redacted.findings.iter().any(|finding| finding.kind == case.kind)
        })
        .count();
    let multi_line_look_alikes = multi_line_look_alikes();
    let false_positives =
        look_alikes.iter().filter(|look_alike| check_look_alike(look_alike).is_err()).count()
            + multi_line_look_alikes
                .iter()
                .filter(|look_alike| check_multi_line_look_alike(look_alike).is_err())
                .count();
    let kinds: std::collections::BTreeSet<SecretKind> =
        cases.iter().map(|case| case.kind).collect();
    let total = cases.len() + multi_line.len();
    let recalled = recalled + multi_line_recalled;
    let look_alike_total = look_alikes.len() + multi_line_look_alikes.len();
    let recall = recalled as f64 / total as f64;
    let false_positive_rate = false_positives as f64 / look_alike_total as f64;
    println!(
        "recall: {recalled}/{total} secrets ({} spanning several lines) across {} kinds = {:.1}%",
        multi_line.len(),
        kinds.len(),
        recall * 100.0
    );
    println!(
        "false positives: {false_positives}/{look_alike_total} look-alikes ({} spanning several \
         lines) = {:.1}%",
        multi_line_look_alikes.len(),
        false_positive_rate * 100.0
    );
    assert_eq!(recalled, total, "recall must be 100%");
    assert!(false_positive_rate < 0.05, "false-positive rate {false_positive_rate}");
}

#[test]
fn every_kind_has_a_distinct_label_used_in_the_marker() {
    let labels: std::collections::BTreeSet<&str> =
        SecretKind::ALL.iter().map(|kind| kind.label()).collect();
    assert_eq!(labels.len(), SecretKind::ALL.len());
    assert_eq!(SecretKind::OpenAiKey.to_string(), "OpenAI key");
    let redacted = redact(&format!("API_KEY = \"{OPENAI_LEGACY}\""));
    assert_eq!(redacted.text, "API_KEY = \"[REDACTED OpenAI key]\"");
}

#[test]
fn diff_markers_names_and_quotes_are_preserved() {
    let input = format!(
        "@@ -1,3 +1,3 @@ fn configure()\n\
         -API_KEY = \"{OPENAI_LEGACY}\"\n\
         +API_KEY = \"{OPENAI_PROJECT}\"\n \
         TIMEOUT = 30\n"
    );
    let redacted = redact(&input);
    assert_eq!(
        redacted.text,
        "@@ -1,3 +1,3 @@ fn configure()\n\
         -API_KEY = \"[REDACTED OpenAI key]\"\n\
         +API_KEY = \"[REDACTED OpenAI key]\"\n \
         TIMEOUT = 30\n"
    );
    assert_eq!(
        redacted.findings,
        vec![
            Finding { line: 2, kind: SecretKind::OpenAiKey },
            Finding { line: 3, kind: SecretKind::OpenAiKey },
        ]
    );
}

#[test]
fn several_secrets_on_one_line_are_reported_in_order() {
    let input =
        format!("+creds = {{\"id\": \"{AWS_ACCESS_KEY_1}\", \"gh\": \"{GITHUB_CLASSIC}\"}}\n");
    let redacted = redact(&input);
    assert_eq!(
        redacted.text,
        "+creds = {\"id\": \"[REDACTED AWS access key]\", \"gh\": \"[REDACTED GitHub token]\"}\n"
    );
    let kinds: Vec<SecretKind> = redacted.findings.iter().map(|finding| finding.kind).collect();
    assert_eq!(kinds, vec![SecretKind::AwsAccessKey, SecretKind::GitHubToken]);
}

#[test]
fn line_numbers_count_every_line_of_the_input() {
    let input = format!(
        "first\nsecond\r\n\n+TOKEN={GITHUB_OAUTH}\n\n\n-{STRIPE_LIVE}\nlast without newline {NPM}"
    );
    let redacted = redact(&input);
    let lines: Vec<usize> = redacted.findings.iter().map(|finding| finding.line).collect();
    assert_eq!(lines, vec![4, 7, 8]);
    assert!(redacted.text.contains("second\r\n"), "CRLF endings are kept");
    assert!(redacted.text.ends_with("last without newline [REDACTED npm token]"));
}

#[test]
fn multi_line_private_key_block_becomes_one_redaction() {
    let input = format!(
        "diff --git a/deploy/id_rsa b/deploy/id_rsa\n\
         new file mode 100600\n\
         --- /dev/null\n\
         +++ b/deploy/id_rsa\n\
         @@ -0,0 +1,5 @@\n\
         +{BEGIN_RSA}\n\
         +{PEM_LINE_1}\n\
         +{PEM_LINE_2}\n\
         +{PEM_LINE_3}\n\
         +{END_RSA}\n\
         diff --git a/.env b/.env\n\
         +TOKEN={GITHUB_CLASSIC}\n"
    );
    let redacted = redact(&input);
    assert_eq!(
        redacted.text,
        "diff --git a/deploy/id_rsa b/deploy/id_rsa\n\
         new file mode 100600\n\
         --- /dev/null\n\
         +++ b/deploy/id_rsa\n\
         @@ -0,0 +1,5 @@\n\
         +[REDACTED private key]\n\
         diff --git a/.env b/.env\n\
         +TOKEN=[REDACTED GitHub token]\n"
    );
    assert_eq!(
        redacted.findings,
        vec![
            Finding { line: 6, kind: SecretKind::PrivateKeyBlock },
            Finding { line: 12, kind: SecretKind::GitHubToken },
        ]
    );
}

#[test]
fn every_private_key_flavour_is_recognised() {
    let flavours = [
        (BEGIN_RSA, END_RSA),
        (BEGIN_PKCS8, END_PKCS8),
        (BEGIN_EC, END_EC),
        (BEGIN_OPENSSH, END_OPENSSH),
        (
            concat!("-----BEGIN DSA ", "PRIVATE KEY-----"),
            concat!("-----END DSA ", "PRIVATE KEY-----"),
        ),
        (
            concat!("-----BEGIN ENCRYPTED ", "PRIVATE KEY-----"),
            concat!("-----END ENCRYPTED ", "PRIVATE KEY-----"),
        ),
    ];
    for (begin, end) in flavours {
        let input = format!(" {begin}\n {PEM_LINE_1}\n {PEM_LINE_3}\n {end}\n after\n");
        let redacted = redact(&input);
        assert_eq!(redacted.text, " [REDACTED private key]\n after\n", "{begin}");
        assert_eq!(redacted.findings, vec![Finding { line: 1, kind: SecretKind::PrivateKeyBlock }]);
    }
}

#[test]
fn pgp_block_with_armor_headers_is_redacted() {
    let input = format!("+{BEGIN_PGP}\n+Version: GnuPG v2\n+\n+{PEM_LINE_2}\n+=Xk9q\n+{END_PGP}\n");
    let redacted = redact(&input);
    assert_eq!(redacted.text, "+[REDACTED private key]\n");
    assert_eq!(redacted.findings, vec![Finding { line: 1, kind: SecretKind::PrivateKeyBlock }]);
}

#[test]
fn key_in_string_literal_keeps_the_code_around_it() {
    let input = format!(
        "+const KEY: &str = \"{BEGIN_OPENSSH}\n+{PEM_LINE_1}\n+{END_OPENSSH}\";\n+fn main() {{}}\n"
    );
    let redacted = redact(&input);
    assert_eq!(redacted.text, "+const KEY: &str = \"[REDACTED private key]\";\n+fn main() {}\n");
}

#[test]
fn javascript_concatenated_key_is_redacted() {
    let input = format!(
        "+const pem = '{BEGIN_RSA}\\n' +\n+  '{PEM_LINE_1}\\n' +\n+  '{END_RSA}';\n+export default pem;\n"
    );
    let redacted = redact(&input);
    assert_eq!(redacted.text, "+const pem = '[REDACTED private key]';\n+export default pem;\n");
    assert!(!redacted.text.contains(PEM_LINE_1));
}

#[test]
fn unterminated_private_key_redacts_to_the_end_of_the_text() {
    let input = format!("+key: |\n+  {BEGIN_EC}\n+  {PEM_LINE_1}\n+  {PEM_LINE_2}\n+other: 1\n");
    let redacted = redact(&input);
    assert_eq!(redacted.text, "+key: |\n+  [REDACTED private key]\n");
    assert_eq!(redacted.findings, vec![Finding { line: 2, kind: SecretKind::PrivateKeyBlock }]);
}

#[test]
fn unterminated_private_key_stops_at_the_next_file() {
    let input = format!(
        "+{BEGIN_RSA}\n+{PEM_LINE_1}\ndiff --git a/b.txt b/b.txt\n+plain line\n+TOKEN={GITHUB_SERVER}\n"
    );
    let redacted = redact(&input);
    assert_eq!(
        redacted.text,
        "+[REDACTED private key]\ndiff --git a/b.txt b/b.txt\n+plain line\n+TOKEN=[REDACTED GitHub token]\n"
    );
    let lines: Vec<usize> = redacted.findings.iter().map(|finding| finding.line).collect();
    assert_eq!(lines, vec![1, 5]);
}

#[test]
fn hunk_starting_inside_a_key_is_redacted_back_to_the_first_body_line() {
    let input =
        format!("@@ -5,3 +5,3 @@\n-{PEM_LINE_1}\n+{PEM_LINE_2}\n {PEM_LINE_3}\n {END_RSA}\n");
    let redacted = redact(&input);
    assert_eq!(redacted.text, "@@ -5,3 +5,3 @@\n-[REDACTED private key]\n");
    assert_eq!(redacted.findings, vec![Finding { line: 2, kind: SecretKind::PrivateKeyBlock }]);
}

#[test]
fn code_that_mentions_a_key_header_is_not_swallowed() {
    let input = format!(
        "+    if line.starts_with(\"{BEGIN_RSA}\") {{\n+        return Kind::Rsa;\n+    }}\n+    let token = \"{GITHUB_CLASSIC}\";\n"
    );
    let redacted = redact(&input);
    assert!(redacted.text.contains("return Kind::Rsa;"));
    assert!(redacted.text.contains(BEGIN_RSA));
    assert_eq!(redacted.findings, vec![Finding { line: 4, kind: SecretKind::GitHubToken }]);

    // Constants naming both markers: the END line is code, not the end of a key.
    let constants = format!("+START = b\"{BEGIN_OPENSSH}\"\n+END = b\"{END_OPENSSH}\"\n");
    let redacted = redact(&constants);
    assert_eq!(redacted.text, constants);
    assert!(redacted.findings.is_empty());
}

#[test]
fn url_passwords_hide_only_the_password() {
    let cases = [
        (
            "postgres://admin:S3cretPass@db:5432/app",
            "postgres://admin:[REDACTED URL password]@db:5432/app",
        ),
        ("amqp://guest:p%40ss%3Aw0rd@rabbit/", "amqp://guest:[REDACTED URL password]@rabbit/"),
        ("https://user:p@ss@host.io/x", "https://user:[REDACTED URL password]@host.io/x"),
        (
            "postgres://app:Xk9#mQ/2v?7@db:5432/app",
            "postgres://app:[REDACTED URL password]@db:5432/app",
        ),
        (
            "https://deploy:s3cret99@git.acme.io/app.git?mail=jane@acme.io",
            "https://deploy:[REDACTED URL password]@git.acme.io/app.git?mail=jane@acme.io",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(redact(input).text, expected);
    }
    for untouched in [
        "https://host.io:8080/path",
        "ssh://git@host.io:22/repo.git",
        "postgres://user:${DB_PASSWORD}@db/app",
        "https://user:password@host.io",
        "mysql://root:<password>@localhost/db",
        "https://api.acme.io:8443/search?mail=jane@acme.io",
    ] {
        assert_eq!(redact(untouched).text, untouched);
    }
}

#[test]
fn placeholder_and_reference_values_are_not_redacted() {
    for line in [
        "password = \"\"",
        "SECRET_KEY = settings.SECRET_KEY",
        "token: ${{ secrets.DEPLOY_TOKEN }}",
        "API_TOKEN=%(api_token)s",
        "password: '********'",
        "apiKey: 'xxxxxxxxxxxxxxxxxxxxxxxx'",
        "client_secret = \"<client-secret>\"",
        "auth_token = None",
        "DB_PASSWORD=12345678",
        "secret = \"dummy-secret-for-tests\"",
        "OPENAI_API_KEY=sk-...",
    ] {
        let redacted = redact(line);
        assert_eq!(redacted.text, line);
        assert!(redacted.findings.is_empty(), "{line}");
    }
}

#[test]
fn lock_files_are_trusted_only_for_prefixed_tokens() {
    let input = format!(
        "diff --git a/Cargo.lock b/Cargo.lock\n\
         +checksum = \"{SECRET_HEX_64}\"\n\
         +token = \"{SECRET_BASE62_32}\"\n\
         +source = \"git+https://ci:{GITHUB_CLASSIC}@github.com/acme/private-crate\"\n"
    );
    let redacted = redact(&input);
    assert!(redacted.text.contains(SECRET_HEX_64));
    assert!(redacted.text.contains(SECRET_BASE62_32));
    assert_eq!(redacted.findings, vec![Finding { line: 4, kind: SecretKind::GitHubToken }]);
}

#[test]
fn unquoted_words_are_literals_in_config_and_references_in_code() {
    let yaml = redact("diff --git a/app.yml b/app.yml\n+password: hunter22\n");
    assert_eq!(yaml.findings.len(), 1);
    let python = redact("diff --git a/app.py b/app.py\n+password = hunter22\n");
    assert!(python.findings.is_empty());
}

#[test]
fn redact_file_takes_the_kind_of_file_from_the_path() {
    // A patch printed without real file names, as `git2::Patch::from_buffers` does.
    let patch =
        "diff --git a/file b/file\n--- a/file\n+++ b/file\n@@ -1 +1 @@\n+password: hunter22\n";
    assert_eq!(redact_file("deploy/app.yml", patch).findings.len(), 1);
    assert!(redact_file("src/app.py", patch).findings.is_empty());
    let lock = format!("+token = \"{SECRET_BASE62_32}\"\n");
    assert!(redact_file("Cargo.lock", &lock).findings.is_empty());
    assert_eq!(redact_file("src/app.py", &lock).findings.len(), 1);
}

#[test]
fn redaction_is_deterministic_and_idempotent() {
    let input: String = secret_cases()
        .iter()
        .map(|case| wrap_in_diff(case.path, &case.line))
        .chain(
            look_alikes().iter().map(|look_alike| wrap_in_diff(look_alike.path, look_alike.line)),
        )
        .collect();
    let first = redact(&input);
    let second = redact(&input);
    assert_eq!(first, second);
    assert_eq!(first.findings.len(), secret_cases().len());
    let again = redact(&first.text);
    assert_eq!(again.text, first.text);
    assert!(again.findings.is_empty());
}

#[test]
fn empty_and_trivial_inputs() {
    assert_eq!(redact(""), Redacted::default());
    assert_eq!(redact("\n").text, "\n");
    assert_eq!(redact("+").text, "+");
    assert_eq!(redact("-----BEGIN ").text, "-----BEGIN ");
}

#[test]
fn word_and_entropy_measures_behave() {
    for identifier in [
        "handleAuthenticationTokenRefresh",
        "HTTPServerConfig_v2",
        "accessTokenValue",
        "apiKeyFromEnvironment",
        "AutoModelForSequenceClassification",
        "XMLHttpRequest",
        "settings.notifications.title",
        "process.env.OPENAI_API_KEY",
        "get_password_from_keyring",
        "DEFAULT_SESSION_TOKEN",
    ] {
        assert!(looks_like_words(identifier), "{identifier}");
    }
    assert!(!looks_like_words(SECRET_BASE62_32));
    assert!(!looks_like_words(SECRET_HEX_40));
    assert!(shannon_entropy("aaaaaaaa") < 0.1);
    assert!(shannon_entropy(SECRET_BASE62_40) > 4.0);
}

/// Diff lines of several languages with no secret-sounding word.
const PLAIN_LINES: &[&str] = &[
    "diff --git a/src/cache.rs b/src/cache.rs",
    "index 83db48f..bf269f4 100644",
    "@@ -120,7 +120,9 @@ impl Cache {",
    "-        self.entries.get(id)",
    "+        let entry = self.entries.get(id)?;",
    "+        if entry.expired(Instant::now()) { return None; }",
    "+        Some(entry)",
    "     }",
    " ",
    "   const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };",
    "+  const response = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers });",
    "+  if (!response.ok) throw new Error(`request failed: ${response.status}`);",
    "+\t\tquery.Set(name, value)",
    "+\t}",
    "+  timeout_seconds: 30",
    "+  retries: 3",
    "+  model: claude-sonnet",
    "+resource \"aws_s3_bucket\" \"logs\" {",
    "+  bucket = \"acme-logs-${var.environment}\"",
    "+}",
    "+    \"version\": \"2.4.1\",",
    "+    \"description\": \"Drafts commit messages from staged changes\",",
    "+RUN cargo build --release --locked && strip target/release/changes",
    "+echo \"building $(git rev-parse --short HEAD)\"",
    "+    for (index, line) in text.lines().enumerate() {",
    "+        if line.trim().is_empty() { continue; }",
    "+    return [normalize(row) for row in rows if row is not None]",
];

/// Diff lines that use `key`, `token` and `password` as programmers do, without a secret.
const KEYWORD_LINES: &[&str] = &[
    "     pub fn get(&self, key: &CacheKey) -> Option<&Entry> {",
    "+    /// Counts tokens in the prompt so the request stays under the model limit.",
    "+    fn count_tokens(&self, text: &str) -> usize { text.split_whitespace().count() }",
    "-def authenticate(user, password):",
    "+def authenticate(user: User, password: str) -> bool:",
    "+    hashed = hash_password(password, salt=user.salt)",
    "+    return hmac.compare_digest(hashed, user.password_hash)",
    "+\tfor key, value := range params {",
    "     let map: HashMap<String, Vec<usize>> = HashMap::with_capacity(keys.len());",
    "+    // The API key is read from the environment and never written to disk.",
    "+    let api_key = std::env::var(\"ANTHROPIC_API_KEY\").map_err(|_| Error::MissingKey)?;",
    "+  const token = await getAccessToken({ scopes: ['read'] });",
];

/// About `target_bytes` of diff text without secrets, in which one line in `keyword_every`
/// uses a secret-sounding word.
fn synthetic_diff(target_bytes: usize, keyword_every: usize) -> String {
    let mut text = String::with_capacity(target_bytes + 200);
    let mut index = 0;
    while text.len() < target_bytes {
        let line = if index % keyword_every == 0 {
            KEYWORD_LINES[(index / keyword_every) % KEYWORD_LINES.len()]
        } else {
            PLAIN_LINES[index % PLAIN_LINES.len()]
        };
        text.push_str(line);
        text.push('\n');
        index += 1;
    }
    text
}

/// The best of ten timings of redacting `text`, which must hold no secret.
fn best_time(text: &str) -> Duration {
    let _ = redact(text); // Compiles the patterns outside the measurement.
    let mut best = Duration::MAX;
    for _ in 0..10 {
        let started = Instant::now();
        let redacted = redact(text);
        best = best.min(started.elapsed());
        assert!(redacted.findings.is_empty(), "{:?}", redacted.findings.first());
    }
    best
}

/// Prints the time to redact 400 KB of ordinary diff text (one line in ten using a word such
/// as `key`) and of keyword-dense text (one line in two); run in release mode with
/// `cargo test --release timing -- --nocapture`. The budgets (5 ms for ordinary text, twice
/// that for the stress case) are asserted only there, because unoptimised builds are an
/// order of magnitude slower.
#[test]
fn timing_of_400_kilobytes_of_diff() {
    for (label, keyword_every, budget_milliseconds) in
        [("ordinary", 10, 5), ("keyword-dense", 2, 10)]
    {
        let text = synthetic_diff(400 * 1024, keyword_every);
        let best = best_time(&text);
        println!("redacting {} bytes of {label} diff took {best:?} (best of 10)", text.len());
        if !cfg!(debug_assertions) {
            assert!(best < Duration::from_millis(budget_milliseconds), "{label} took {best:?}");
        }
    }
}

/// Inputs built to provoke repeated work (many key blocks, many END markers after base64,
/// one huge line, a secret on every line) must still take time proportional to their size.
#[test]
fn adversarial_inputs_stay_linear() {
    let body = format!("{PEM_LINE_1}\n");
    let cases = [
        ("key blocks", format!("{BEGIN_RSA}\n{body}{body}{END_RSA}\n")),
        ("END markers after base64", format!("{}{END_RSA}\n", body.repeat(20))),
        ("one long line", "api_key=\"x\" password: 'y' ".repeat(8)),
        ("a secret per line", format!("+TOKEN=\"{GITHUB_CLASSIC}\"\n")),
        ("BEGIN without END", format!("+k = \"{BEGIN_EC}\"\n+{PEM_LINE_2}\n")),
        ("names whose value follows", "+password:\n".to_string()),
        ("block scalars", "+  secret: |\n+    a\n".to_string()),
        ("continued lines", "+db.password=\\\n".to_string()),
        ("open triple quotes", "+password = \"\"\"\n+x\n".to_string()),
        ("flags alone", "+- -p\n+- --password\n".to_string()),
        ("sequences", "+tokens:\n+- Rt7vB2qLx9Mn4Kp8Zq3W\n+- Rt7vB2qLx9Mn4Kp8Zq3V\n".to_string()),
        ("wrapped base64", format!("+{}\n", "QUJD".repeat(19))),
    ];
    for (label, unit) in cases {
        let text = unit.repeat(400 * 1024 / unit.len());
        let _ = redact(&text);
        let started = Instant::now();
        let redacted = redact(&text);
        let elapsed = started.elapsed();
        println!(
            "{label}: {} bytes, {} findings, {elapsed:?}",
            text.len(),
            redacted.findings.len()
        );
        if !cfg!(debug_assertions) {
            assert!(elapsed < Duration::from_millis(100), "{label} took {elapsed:?}");
        }
    }
}

/// Pieces of secrets and of the syntax around them, to assemble awkward inputs from.
const FRAGMENTS: &[&str] = &[
    "-----BEGIN ",
    "RSA PRIVATE KEY-----",
    "-----END ",
    "PRIVATE KEY-----",
    "\n",
    "\r\n",
    "+",
    "-",
    " ",
    "\\n",
    "\"",
    "'",
    "=",
    ": ",
    "://",
    "@",
    "user:",
    "sk-",
    "ant-",
    "proj-",
    "ghp_",
    "github_pat_",
    "AKIA",
    "AIza",
    "xoxb-",
    "eyJ",
    ".",
    "hooks.slack.com/services/",
    "password",
    "token",
    "API_KEY",
    "Bearer ",
    "diff --git a/x b/x",
    "é",
    "🔑",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "Zm9vYmFyYmF6cXV4",
    "0123456789abcdef",
    "AccountKey=",
    "8Q~",
];

/// Made-up secrets of many formats, with digits interleaved so that none looks like words.
fn generated_secret() -> impl Strategy<Value = String> {
    prop_oneof![
        "AKIA[A-W2-7]{16}",
        "gh[pousr]_[A-Wa-w0-9]{36}",
        "github_pat_[A-Wa-w0-9]{22}_[A-Wa-w0-9]{59}",
        "glpat-([A-Wa-w][0-9]){10}",
        "xoxb-[0-9]{12}-[0-9]{13}-([A-Wa-w][0-9]){12}",
        "sk_live_[A-Wa-w0-9]{24}",
        "sk-proj-([A-Wa-w][0-9]){40}",
        "sk-ant-api03-[A-Wa-w0-9]{90}",
        "gsk_[A-Wa-w0-9]{52}",
        "hf_([A-W][a-w]){17}",
        "npm_([A-Wa-w][0-9]){18}",
        "SG\\.[A-Wa-w0-9]{22}\\.[A-Wa-w0-9]{43}",
        "AIza[A-Wa-w0-9]{35}",
        "eyJ[A-Wa-w0-9]{20}\\.eyJ[A-Wa-w0-9]{30}\\.[A-Wa-w0-9]{43}",
    ]
}

/// What may stand before a generated secret without gluing onto it.
const SECRET_PREFIXES: &[&str] =
    &["", "+", "-TOKEN=", " value: \"", "+x = '", "curl -H 'X-Key: ", "(\"", "\n+\t", "é "];

/// What may stand after a generated secret without gluing onto it.
const SECRET_SUFFIXES: &[&str] = &["", "\"", "\n", "\";\n", " # comment", ")", "'\n+next\n", " 🔑"];

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(text in any::<String>()) {
        let redacted = redact(&text);
        prop_assert!(redacted.findings.iter().all(|finding| finding.line >= 1));
    }

    #[test]
    fn never_panics_on_secret_fragments(
        pieces in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..40)
    ) {
        let text = pieces.concat();
        let redacted = redact(&text);
        let line_count = text.split_inclusive('\n').count();
        prop_assert!(redacted.findings.iter().all(|finding| finding.line <= line_count));
    }

    #[test]
    fn generated_secrets_never_survive(
        prefix in proptest::sample::select(SECRET_PREFIXES),
        secret in generated_secret(),
        suffix in proptest::sample::select(SECRET_SUFFIXES),
    ) {
        let text = format!("{prefix}{secret}{suffix}");
        let redacted = redact(&text);
        prop_assert!(!redacted.text.contains(&secret), "{:?}", redacted.text);
        prop_assert_eq!(redacted.findings.len(), 1);
    }

    #[test]
    fn generated_private_keys_never_survive(
        marker in proptest::sample::select(&["+", "-", " ", ""][..]),
        body in proptest::collection::vec("[A-Za-z0-9+/]{64}", 1..12),
        terminated in any::<bool>(),
    ) {
        let mut text = format!("context\n{marker}{BEGIN_RSA}\n");
        for line in &body {
            text.push_str(&format!("{marker}{line}\n"));
        }
        if terminated {
            text.push_str(&format!("{marker}{END_RSA}\n"));
        }
        let redacted = redact(&text);
        for line in &body {
            prop_assert!(!redacted.text.contains(line.as_str()));
        }
        prop_assert_eq!(
            redacted.findings,
            vec![Finding { line: 2, kind: SecretKind::PrivateKeyBlock }]
        );
    }

    #[test]
    fn generated_passwords_in_urls_never_survive(
        user in "[a-z]{1,8}",
        password in "([A-Wa-w][0-9]){4,10}",
        host in "[a-z]{3,10}\\.(io|com|internal)",
    ) {
        let text = format!("DATABASE_URL=postgres://{user}:{password}@{host}:5432/app\n");
        let redacted = redact(&text);
        let leaked = format!(":{password}@");
        let kept = format!("postgres://{user}:");
        prop_assert!(!redacted.text.contains(&leaked));
        prop_assert!(redacted.text.contains(&kept));
    }

    #[test]
    fn generated_high_entropy_assignments_never_survive(
        name in proptest::sample::select(&["SECRET_KEY", "api_token", "clientSecret", "DB_PASSWORD"][..]),
        value in "([A-W][a-w][0-9]){8,16}",
    ) {
        let text = format!("{name} = \"{value}\"\n");
        let redacted = redact(&text);
        prop_assert!(!redacted.text.contains(&value), "{:?}", redacted.text);
    }
}

/// A small deterministic generator, so the statistics below are reproducible.
struct XorShift(u64);

impl XorShift {
    fn next_index(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }

    fn string(&mut self, alphabet: &[u8], length: usize) -> String {
        (0..length).map(|_| char::from(alphabet[self.next_index(alphabet.len())])).collect()
    }
}

/// How often uniformly random values of each shape, assigned to `SECRET_KEY`, escape; run
/// with `--nocapture` to see the rates.
#[test]
fn random_values_under_secret_names_are_almost_always_redacted() {
    const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const HEX: &[u8] = b"0123456789abcdef";
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut generator = XorShift(0x9E37_79B9_7F4A_7C15);
    for (label, alphabet, length) in [
        ("base62", BASE62, 16),
        ("base62", BASE62, 20),
        ("base62", BASE62, 32),
        ("hex", HEX, 32),
        ("hex", HEX, 40),
        ("hex", HEX, 64),
        ("base64", BASE64, 40),
    ] {
        let trials = 2000;
        let (mut quoted_escapes, mut bare_escapes) = (0, 0);
        for _ in 0..trials {
            let value = generator.string(alphabet, length);
            if redact(&format!("SECRET_KEY = \"{value}\"")).findings.is_empty() {
                quoted_escapes += 1;
            }
            // Without a diff header the file type is unknown, and an unquoted value must also
            // not read as words, which random strings occasionally seem to.
            if redact(&format!("SECRET_KEY={value}")).findings.is_empty() {
                bare_escapes += 1;
            }
        }
        println!(
            "{label} of length {length}: {quoted_escapes}/{trials} quoted and \
             {bare_escapes}/{trials} unquoted escaped"
        );
        assert!(f64::from(quoted_escapes) / f64::from(trials) < 0.01, "{label} {length}");
        // Sixteen random characters split into word-like pieces now and then; longer ones
        // almost never do.
        let bare_budget = if length <= 16 { 0.03 } else { 0.005 };
        assert!(f64::from(bare_escapes) / f64::from(trials) < bare_budget, "{label} {length}");
    }
}

/// How often random tokens of the formats whose bodies must look random escape.
#[test]
fn random_tokens_of_loose_formats_are_almost_always_redacted() {
    const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const BASE64_URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut generator = XorShift(0x2545_F491_4F6C_DD1D);
    let formats: [(&str, &[u8], usize); 7] = [
        (concat!("gl", "pat-"), BASE64_URL, 20),
        (concat!("hf", "_"), LETTERS, 34),
        (concat!("np", "m_"), BASE62, 36),
        (concat!("sk", "-proj-"), BASE64_URL, 48),
        (concat!("sk", "-"), BASE62, 48),
        (concat!("hv", "s."), BASE64_URL, 90),
        (concat!("xo", "xb-", "4647693464261-4647693464262-"), BASE62, 24),
    ];
    for (prefix, alphabet, length) in formats {
        let trials = 2000;
        let escaped = (0..trials)
            .filter(|_| {
                let token = format!("{prefix}{}", generator.string(alphabet, length));
                // No assignment around it: the token rule alone must catch it.
                redact(&format!("run --flag {token}\n")).text.contains(&token)
            })
            .count();
        println!("{prefix}: {escaped}/{trials} escaped");
        assert!(escaped * 200 < trials, "{prefix}: {escaped}/{trials}");
    }
}

/// The runs of 24 or more base64 characters, found one byte at a time.
fn naive_base64_runs(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let body = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/';
    let mut runs = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if !body(bytes[index]) {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && body(bytes[index]) {
            index += 1;
        }
        let body_end = index;
        while index < bytes.len() && bytes[index] == b'=' && index - body_end < 2 {
            index += 1;
        }
        if body_end - start >= 24 {
            runs.push(start..index);
        }
    }
    runs
}

proptest! {
    #[test]
    fn the_striding_base64_scan_finds_the_runs_a_byte_by_byte_scan_finds(
        pieces in proptest::collection::vec(
            proptest::sample::select(&["QUJD", "ZGVm", "x", "==", "=", " ", "\n", "_", "+/", "é", "a1b2c3d4e5f6g7h8i9"][..]),
            0..60,
        )
    ) {
        let text = pieces.concat();
        let found: Vec<std::ops::Range<usize>> = super::encoded::base64_runs(&text).collect();
        prop_assert_eq!(found, naive_base64_runs(&text));
    }
}
