//! The regular expressions that find secret candidates in one line, and the rule table that
//! ties each token format to its kind, its trigger literals and how random its body must look.
//!
//! Every expression is compiled once, on first use, into [`COMPILED`]. The whole text is first
//! scanned by [`find_candidates`] for short trigger literals (token prefixes, key markers,
//! `://`, and keywords such as `token` in a lowercased copy), a handful of vectorised passes.
//! Only lines holding a literal are looked at again: there a `RegexSet` of the token triggers
//! tells which token rules to run, and only those run their full expression. Most lines of a
//! diff cost nothing beyond the scan.

use std::ops::Range;
use std::str::SplitInclusive;
use std::sync::LazyLock;

use regex::{Captures, Regex, RegexSet};

use super::heuristics::{self, FileContext};
use super::SecretKind;
use super::{encoded, multiline};

/// One replacement to make inside a line: a byte range and what it was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    /// Byte offset of the first byte of the secret.
    pub(super) start: usize,
    /// Byte offset just past the last byte of the secret.
    pub(super) end: usize,
    /// What the secret was recognised as.
    pub(super) kind: SecretKind,
    /// Which span wins when two overlap: the more specific recogniser has the higher number.
    pub(super) priority: u8,
    /// Whether the replacement is reported as a finding; the later lines of one secret that
    /// spans several lines are replaced silently, so it is reported once.
    pub(super) counted: bool,
}

/// A value spanning several lines, judged whole, beats what is found in any one piece of it.
pub(super) const PRIORITY_SPANNING: u8 = 7;
/// A blob that decodes to a secret is replaced whole, whatever was found inside it.
const PRIORITY_ENCODED: u8 = 6;
/// Inline private keys beat everything else: they contain base64 that other rules would
/// nibble at.
const PRIORITY_PRIVATE_KEY: u8 = 5;
/// Formats with a distinctive prefix.
const PRIORITY_TOKEN: u8 = 4;
/// The bare `sk-` prefix, which the Anthropic and OpenRouter prefixes also start with.
const PRIORITY_GENERIC_TOKEN: u8 = 3;
/// Passwords inside URLs, connection strings, command lines and credential files.
const PRIORITY_URL_PASSWORD: u8 = 2;
/// Credentials after `Bearer`, `Token` or `Basic`.
const PRIORITY_AUTHORIZATION: u8 = 1;
/// Values judged only by the name they are assigned to.
const PRIORITY_ASSIGNMENT: u8 = 0;

/// How much a token match must look random, beyond its shape, before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// The prefix and shape are distinctive; only placeholders such as `xxxx` are skipped.
    Shape,
    /// The prefix is short or common in ordinary words, so the body must also look random.
    Random,
    /// A password a person chose, given to a command: anything but a placeholder, a variable
    /// or another flag.
    Password,
}

/// One token format.
struct TokenRule {
    kind: SecretKind,
    priority: u8,
    check: Check,
    /// Plain literals, one of which every match contains; they gate the full expression.
    triggers: &'static [&'static str],
    /// The full expression; a group named `secret`, when present, is the part replaced.
    pattern: &'static str,
}

/// Builds one table row; a function keeps the table to a few lines per format.
const fn rule(
    kind: SecretKind,
    check: Check,
    triggers: &'static [&'static str],
    pattern: &'static str,
) -> TokenRule {
    TokenRule { kind, priority: PRIORITY_TOKEN, check, triggers, pattern }
}

/// Builds one row for a password given to a command.
const fn password_rule(triggers: &'static [&'static str], pattern: &'static str) -> TokenRule {
    TokenRule {
        kind: SecretKind::CommandLinePassword,
        priority: PRIORITY_URL_PASSWORD,
        check: Check::Password,
        triggers,
        pattern,
    }
}

/// The token formats. `(?-u:\b)` is an ASCII word boundary: the Unicode one makes the lazy
/// DFA give up on lines with non-ASCII text, which would slow those lines down.
const TOKEN_RULES: &[TokenRule] = &[
    rule(
        SecretKind::AwsAccessKey,
        Check::Shape,
        &["AKIA", "ASIA", "ABIA", "ACCA"],
        r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)",
    ),
    rule(SecretKind::GoogleApiKey, Check::Shape, &["AIza"], r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}"),
    rule(
        SecretKind::GoogleOAuthCredential,
        Check::Shape,
        &["GOCSPX-"],
        r"GOCSPX-[A-Za-z0-9_\-]{28}",
    ),
    rule(
        SecretKind::GoogleOAuthCredential,
        Check::Random,
        &["ya29."],
        r"(?-u:\b)ya29\.[A-Za-z0-9_\-]{30,}",
    ),
    rule(
        SecretKind::AzureKey,
        Check::Shape,
        &["AccountKey=", "SharedAccessKey="],
        r"(?:AccountKey|SharedAccessKey)=(?P<secret>[A-Za-z0-9+/]{40,}={0,2})",
    ),
    rule(
        SecretKind::AzureKey,
        Check::Random,
        &["Q~"],
        r"(?:^|[^A-Za-z0-9_~.\-])(?P<secret>[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)",
    ),
    rule(
        SecretKind::AzureKey,
        Check::Shape,
        &["sig="],
        r"[?&]sig=(?P<secret>[A-Za-z0-9%+/=]{30,})",
    ),
    rule(
        SecretKind::GitHubToken,
        Check::Shape,
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{36,255}(?-u:\b)",
    ),
    rule(
        SecretKind::GitHubToken,
        Check::Shape,
        &["github_pat_"],
        r"(?-u:\b)github_pat_[A-Za-z0-9_]{50,255}(?-u:\b)",
    ),
    rule(
        SecretKind::GitLabToken,
        Check::Random,
        &[
            "glpat-",
            "gldt-",
            "glrt-",
            "glcbt-",
            "glptt-",
            "glft-",
            "glimt-",
            "glsoat-",
            "gloas-",
            "glffct-",
            "glagent-",
            "GR1348941",
        ],
        r"(?-u:\b)(?:gl(?:pat|dt|rt|cbt|ptt|ft|imt|soat|oas|ffct|agent)-|GR1348941)[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]+){0,2}",
    ),
    rule(
        SecretKind::SlackToken,
        Check::Random,
        &["xox", "xapp-"],
        r"(?-u:\b)(?:xox[abposre]-|xapp-[0-9]-)[A-Za-z0-9\-]{10,}",
    ),
    rule(
        SecretKind::SlackWebhook,
        Check::Shape,
        &["hooks.slack.com/"],
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9_/\-]{20,})",
    ),
    rule(
        SecretKind::StripeKey,
        Check::Shape,
        &["_live_", "_test_", "whsec_"],
        r"(?-u:\b)(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}|whsec_[A-Za-z0-9]{24,})(?-u:\b)",
    ),
    rule(
        SecretKind::AnthropicKey,
        Check::Shape,
        &["sk-ant-"],
        r"(?-u:\b)sk-ant-[A-Za-z0-9_\-]{32,}",
    ),
    rule(
        SecretKind::OpenRouterKey,
        Check::Shape,
        &["sk-or-"],
        r"(?-u:\b)sk-or-v[0-9]-[0-9a-f]{64}(?-u:\b)",
    ),
    TokenRule {
        kind: SecretKind::OpenAiKey,
        priority: PRIORITY_GENERIC_TOKEN,
        check: Check::Random,
        triggers: &["sk-"],
        pattern: r"(?-u:\b)sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}",
    },
    rule(SecretKind::GroqKey, Check::Shape, &["gsk_"], r"(?-u:\b)gsk_[A-Za-z0-9]{40,}(?-u:\b)"),
    rule(SecretKind::XaiKey, Check::Shape, &["xai-"], r"(?-u:\b)xai-[A-Za-z0-9]{60,}(?-u:\b)"),
    rule(
        SecretKind::PerplexityKey,
        Check::Shape,
        &["pplx-"],
        r"(?-u:\b)pplx-[A-Za-z0-9]{40,}(?-u:\b)",
    ),
    rule(SecretKind::ReplicateToken, Check::Shape, &["r8_"], r"(?-u:\b)r8_[A-Za-z0-9]{37}(?-u:\b)"),
    rule(
        SecretKind::HuggingFaceToken,
        Check::Random,
        &["hf_"],
        r"(?-u:\b)hf_[A-Za-z0-9]{30,}(?-u:\b)",
    ),
    rule(SecretKind::NpmToken, Check::Random, &["npm_"], r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)"),
    rule(
        SecretKind::PyPiToken,
        Check::Shape,
        &["pypi-AgE"],
        r"(?-u:\b)pypi-AgE[A-Za-z0-9_\-]{50,}",
    ),
    rule(
        SecretKind::SendGridKey,
        Check::Shape,
        &["SG."],
        r"(?-u:\b)SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,64}",
    ),
    rule(SecretKind::TwilioKey, Check::Shape, &["SK"], r"(?-u:\b)SK[0-9a-fA-F]{32}(?-u:\b)"),
    rule(
        SecretKind::TwilioKey,
        Check::Shape,
        &["AC"],
        r#"(?:=|:|=>)\s*["'`]?(?P<secret>AC[0-9a-f]{32})(?-u:\b)"#,
    ),
    rule(
        SecretKind::DigitalOceanToken,
        Check::Shape,
        &["_v1_"],
        r"(?-u:\b)do[por]_v1_[a-f0-9]{64}(?-u:\b)",
    ),
    rule(
        SecretKind::ShopifyToken,
        Check::Shape,
        &["shpat_", "shpca_", "shppa_", "shpss_"],
        r"(?-u:\b)shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?-u:\b)",
    ),
    rule(
        SecretKind::DatabricksToken,
        Check::Shape,
        &["dapi"],
        r"(?-u:\b)dapi[a-f0-9]{32}(?:-[0-9])?(?-u:\b)",
    ),
    rule(
        SecretKind::VaultToken,
        Check::Random,
        &["hvs.", "hvb.", "hvr."],
        r"(?-u:\b)hv[sbr]\.[A-Za-z0-9_\-]{24,}",
    ),
    rule(
        SecretKind::AgeSecretKey,
        Check::Shape,
        &["AGE-SECRET-KEY-1"],
        r"AGE-SECRET-KEY-1[0-9A-Z]{58}(?-u:\b)",
    ),
    password_rule(
        &["mysql", "mariadb"],
        r#"(?-u:\b)(?:mysql[a-z]*|mariadb[a-z\-]*)(?-u:\b)[^|;&\n]*?\s-p["']?(?P<secret>[^\s'"`|;&]+)"#,
    ),
    password_rule(
        &["-pass", "-pwd"],
        r#"(?:^|\s)--(?:[a-z0-9]+-)*(?:password|passwd|passphrase|pass|pwd)(?:=|\s+)["']?(?P<secret>[^\s'"`\-][^\s'"`]*)"#,
    ),
    password_rule(
        &["sshpass"],
        r#"(?-u:\b)sshpass\s+(?:-[A-Za-z]\S*\s+)*?-p\s*["']?(?P<secret>[^\s'"`]+)"#,
    ),
    password_rule(
        &["curl"],
        r#"(?-u:\b)curl(?-u:\b)[^|;&\n]*?\s(?:-u\s*|--user(?:=|\s+))["']?[^\s:'"`]*:(?P<secret>[^\s'"`]+)"#,
    ),
    password_rule(
        &["PGPASSWORD", "MYSQL_PWD", "REDISCLI_AUTH", "SSHPASS"],
        r#"(?-u:\b)(?:PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH|SSHPASS)=["']?(?P<secret>[^\s'"`;]+)"#,
    ),
    password_rule(
        &["docker login"],
        r#"(?-u:\b)docker\s+login(?-u:\b)[^|;&\n]*?\s-p(?:=|\s+)["']?(?P<secret>[^\s'"`\-][^\s'"`]*)"#,
    ),
    password_rule(
        &["requirepass", "masterauth"],
        r#"(?:^|[+\- ])\s*(?:requirepass|masterauth)\s+["']?(?P<secret>[^\s'"`]+)"#,
    ),
    password_rule(
        &["redis-cli"],
        r#"(?-u:\b)redis-cli(?-u:\b)[^|;&\n]*?\s-a\s+["']?(?P<secret>[^\s'"`\-][^\s'"`]*)"#,
    ),
    rule(
        SecretKind::Jwt,
        Check::Shape,
        &["eyJ"],
        r"(?-u:\b)eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*",
    ),
];

/// Trigger for PEM private keys written on one line.
const PRIVATE_KEY_TRIGGER: &str = "-----BEGIN ";
/// The END marker of a private key, which the candidate scan must also see: it closes a
/// multi-line block, or one whose hunk started after its BEGIN line.
const PRIVATE_KEY_END_TRIGGER: &str = "-----END ";
/// Trigger for URLs, some of which carry a password.
const URL_TRIGGER: &str = "://";

/// The words behind the name, spaced-assignment and authorization rules, in lowercase. Those
/// rules are case-insensitive, so they run over a lowercased copy of the text with lowercase
/// patterns: a literal prefilter skips quickly through text for a few lowercase words, but not
/// for the hundreds of case variants that `(?i)` expands them into.
///
/// The spaced forms (`--password value`, `ENV API_TOKEN value`) need no keyword of their own:
/// their name must contain one of these anyway.
const KEYWORDS: &[&str] =
    &["secret", "token", "pass", "pw", "key", "auth", "cred", "private", "bearer", "basic"];

/// A `-p` flag written alone as a list item, whose value is the next item (`- -p` then
/// `- "…"`): no keyword marks that line, so the candidate scan looks for these.
const FLAG_TRIGGERS: [&str; 3] = ["- -p", "- \"-p\"", "- '-p'"];

/// The starts of diff headers that name a file; the candidate scan reports them so that the
/// file context is known on the lines after them.
const HEADER_TRIGGERS: [&str; 2] = ["diff --git ", "+++ b/"];

/// How many token literals one candidate-scan expression holds. For up to about sixteen
/// distinctive literals, the regex crate searches for them all at once with a vectorised
/// prefilter (Teddy) at some 20 GB/s; with more it falls back to a slower automaton, so the
/// literals are scanned for in groups. Measured over 400 KB of Rust: groups of 16 take
/// 120 µs in all, one group of all 58 literals 900 µs.
const TOKEN_LITERALS_PER_SCAN: usize = 16;

/// How many keywords one candidate-scan expression holds. Short, common keywords (`pw`,
/// `key`) make the prefilter verify many false hits, so these groups are smaller: two groups
/// of five take 70 µs over 400 KB, one group of twelve 400 µs.
const KEYWORDS_PER_SCAN: usize = 5;

/// A secret-sounding name, in lowercased text: any identifier containing one of the trigger
/// words. The precise decision (is `monkey` a key? is `key_path`?) is made by
/// `heuristics::classify_name` on the original spelling.
pub(super) const NAME: &str =
    r"(?P<name>[a-z0-9_.\-]*(?:secret|token|pass|pw|key|auth|cred|private)[a-z0-9_.\-]*)";

/// A value, in lowercased text: a quoted string (with an optional Python or Rust string
/// prefix) or a bare word, which stops where code punctuation or a query-string separator
/// starts.
const VALUE: &str = r#"(?:[rbfu]{0,2}\#*"(?P<double>[^"]*)"|[rbfu]{0,2}'(?P<single>[^']*)'|`(?P<back>[^`]*)`|(?P<bare>[^\s"'`,;)}\]&]+))"#;

/// The operators between a name and its value, in lowercased text: `=`, `==`, `:=`, `=>`,
/// `:` (YAML, JSON), a typed binding (`: &str =`, `: string =`) and Go's `name string =`.
const OPERATOR: &str = r#"["'`]?\]?\s*(?:=>|:=|={1,3}|:\s*&?(?:'static\s+)?[a-z_][a-z0-9_:<>]*\??\s*=|\s+(?:string|str)\s*=|:)\s*"#;

/// Everything compiled from the patterns above.
pub(super) struct Compiled {
    /// One entry per token rule, then the private key and URL triggers; all case-sensitive.
    triggers: RegexSet,
    /// Groups of the case-sensitive trigger literals, for the candidate scan of the text.
    literal_scans: Vec<Regex>,
    /// Groups of [`KEYWORDS`], for the candidate scan of the lowercased text.
    keyword_scans: Vec<Regex>,
    /// The full expression of each token rule, in table order.
    tokens: Vec<Regex>,
    /// A PEM `-----BEGIN … PRIVATE KEY-----` header.
    private_key_begin: Regex,
    /// A PEM `-----END … PRIVATE KEY-----` footer.
    private_key_end: Regex,
    /// `scheme://user:password@host`, capturing the password.
    url_password: Regex,
    /// `name = value` and its relatives, over lowercased text.
    assignment: Regex,
    /// `("name", "value")`, over lowercased text.
    quoted_pair: Regex,
    /// `--name value`, `ENV NAME value`, `login user password value`, over lowercased text.
    spaced_assignment: Regex,
    /// `Bearer credential` and its relatives, over lowercased text.
    authorization: Regex,
    /// `Password=…;`, `pwd=…`, `?password=…&` in a connection string, over lowercased text.
    connection_string: Regex,
    /// `<password>…</password>` and its relatives in XML, over lowercased text.
    xml_element: Regex,
    /// `<add key="ApiSecret" value="…"/>` and `<secret value="…"/>` in XML, over lowercased
    /// text: the secret's name is a `key` or `name` attribute, or the element's own name.
    xml_value_attribute: Regex,
    /// Docker's `"auth": "base64 of user:password"`, over lowercased text.
    docker_auth: Regex,
    /// `"host.name": "token"`, as Composer's `auth.json` keeps tokens, over lowercased text.
    host_keyed: Regex,
    /// A double-quoted string literal, for the JSON-escaped documents inside one.
    string_literal: Regex,
    /// `"--password", "…"`: a flag and its value as neighbouring items of a list, over
    /// lowercased text.
    flag_pair: Regex,
    /// `{"name": "DB_PASSWORD", "value": "…"}` and `{name: DB_PASSWORD, value: …}`, as ECS
    /// and Kubernetes write environments, over lowercased text.
    named_value: Regex,
}

/// Index of the private key trigger in the trigger set.
const PRIVATE_KEY_INDEX: usize = TOKEN_RULES.len();
/// Index of the URL trigger in the trigger set.
const URL_INDEX: usize = TOKEN_RULES.len() + 1;

/// An alternation of literals, escaped.
fn literal_alternation(literals: &[&str]) -> String {
    let escaped: Vec<String> = literals.iter().map(|literal| regex::escape(literal)).collect();
    escaped.join("|")
}

/// Compiles one pattern from this file.
fn compile(pattern: &str) -> Regex {
    // Only the literal patterns of this file reach here (the unit tests compile all of them),
    // so a failure is a programming error that cannot depend on the input being redacted.
    Regex::new(pattern).expect("redaction patterns are valid literal regular expressions")
}

/// Compiles groups of `size` literals, for the candidate scan.
fn compile_groups(literals: &[&str], size: usize) -> Vec<Regex> {
    literals.chunks(size).map(|group| compile(&literal_alternation(group))).collect()
}

impl Compiled {
    fn new() -> Self {
        let set_entries: Vec<String> = TOKEN_RULES
            .iter()
            .map(|rule| literal_alternation(rule.triggers))
            .chain([regex::escape(PRIVATE_KEY_TRIGGER), regex::escape(URL_TRIGGER)])
            .collect();
        let mut literals: Vec<&str> = TOKEN_RULES
            .iter()
            .flat_map(|rule| rule.triggers.iter().copied())
            .chain([PRIVATE_KEY_TRIGGER, PRIVATE_KEY_END_TRIGGER, URL_TRIGGER])
            .chain(HEADER_TRIGGERS)
            .chain(FLAG_TRIGGERS)
            .collect();
        // A literal containing another (`sk-ant-` contains `sk-`) adds nothing to the scan.
        let all = literals.clone();
        literals
            .retain(|literal| !all.iter().any(|other| other != literal && literal.contains(other)));
        Compiled {
            // Literal patterns only, checked by the unit tests; see `compile`.
            triggers: RegexSet::new(&set_entries).expect("redaction triggers are valid literals"),
            literal_scans: compile_groups(&literals, TOKEN_LITERALS_PER_SCAN),
            keyword_scans: compile_groups(KEYWORDS, KEYWORDS_PER_SCAN),
            tokens: TOKEN_RULES.iter().map(|rule| compile(rule.pattern)).collect(),
            private_key_begin: compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            private_key_end: compile(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            url_password: compile(
                r#"[A-Za-z][A-Za-z0-9+.\-]*://[^\s:@/?#'"`<>]*:(?P<secret>[^\s'"`<>]+)@[A-Za-z0-9\-._~%\[\]]"#,
            ),
            assignment: compile(&format!("{NAME}{OPERATOR}{VALUE}")),
            // Only as the first arguments of a call or tuple, `define('API_KEY', '…')`: in a
            // list of strings, neighbouring items are not names and values.
            quoted_pair: compile(&format!(
                r#"\(\s*["']{NAME}["']\s*,\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')"#
            )),
            spaced_assignment: compile(&format!(
                r#"(?:(?:^|\s)--|(?-u:\b)(?:env|arg)\s+|(?-u:\b)login\s+\S+\s+){NAME}\s+(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'`=\-][^\s"'`]*))"#
            )),
            authorization: compile(
                r"(?-u:\b)(?P<scheme>bearer|token|basic)\s+(?P<secret>[a-z0-9._~+/=\-]{8,})",
            ),
            connection_string: compile(
                r#"(?P<separator>^|[;?&\s"'{(,])(?:password|pwd|passwd)\s*=\s*(?:(?P<braced>\{[^}\n]*\})|'(?P<single>[^'\n]*)'|"(?P<double>[^"\n]*)"|(?P<bare>[^;&\s"'`,)]+))"#,
            ),
            xml_element: compile(
                r"<(?P<name>password|passphrase|privatekey|token|secret|apikey|api-key|authtoken|clientsecret|client-secret)>(?P<value>[^<\n]+)</",
            ),
            xml_value_attribute: compile(
                r#"(?:(?-u:\b)(?:key|name)\s*=\s*"(?P<name>[^"\n]+)"|<(?P<element>[a-z][a-z0-9_.:\-]*))\s+value\s*=\s*"(?P<value>[^"\n]*)""#,
            ),
            docker_auth: compile(r#""auth"\s*:\s*"(?P<secret>[a-z0-9+/]{8,}={0,2})""#),
            host_keyed: compile(
                r#""[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"\s*:\s*"(?P<secret>[^"\s]{8,})""#,
            ),
            string_literal: compile(r#""(?P<body>(?:[^"\\\n]|\\.)*)""#),
            named_value: compile(
                r#"["']?(?:name|key)["']?\s*:\s*["']?(?P<name>[a-z0-9_.\-]+)["']?\s*,\s*["']?value["']?\s*:\s*(?:"(?P<double>[^"\n]*)"|'(?P<single>[^'\n]*)'|(?P<bare>[^\s,}\]]+))"#,
            ),
            flag_pair: compile(
                r#"["'](?P<flag>--[a-z0-9][a-z0-9_\-]*)["']\s*,\s*(?:"(?P<double>[^"\n]*)"|'(?P<single>[^'\n]*)')"#,
            ),
        }
    }
}

/// The compiled patterns, built on first use and shared by every call.
pub(super) static COMPILED: LazyLock<Compiled> = LazyLock::new(Compiled::new);

/// The rule family a trigger literal belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// A case-sensitive token prefix, private key marker or `://`.
    Tokens,
    /// One of [`KEYWORDS`], found in the lowercased text.
    Keywords,
    /// The start of a diff header naming a file.
    Header,
    /// A long run of base64, which may decode to a secret.
    Encoded,
}

/// Which rule families a line needs, from the trigger literals found on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Families {
    /// Run the token, private key and URL rules.
    pub(super) tokens: bool,
    /// Run the name, spaced-assignment and authorization rules.
    pub(super) keywords: bool,
    /// Read the line as a diff header.
    pub(super) header: bool,
    /// Decode the line's long base64 runs.
    pub(super) encoded: bool,
}

impl Families {
    /// Every family, for fragments whose own triggers were not tallied.
    pub(super) const ALL: Families =
        Families { tokens: true, keywords: true, header: false, encoded: true };

    /// Adds the family of one trigger found on the line.
    pub(super) fn add(&mut self, family: Family) {
        match family {
            Family::Tokens => self.tokens = true,
            Family::Keywords => self.keywords = true,
            Family::Header => self.header = true,
            Family::Encoded => self.encoded = true,
        }
    }
}

/// Where the candidate scan found trigger literals in a text.
pub(super) struct Candidates {
    /// Start offset and family of every trigger literal, in increasing order of offset.
    pub(super) hits: Vec<(usize, Family)>,
    /// Offsets of the lines that start a file's diff (`diff --git `), in increasing order.
    pub(super) file_starts: Vec<usize>,
    /// The text with ASCII letters lowercased; every byte offset is the same as in the text.
    pub(super) lowercased: String,
}

/// Scans the whole text for the trigger literals, a few vectorised passes in all. A line
/// without one holds no secret that [`find_spans`] could find, so it is never visited.
pub(super) fn find_candidates(text: &str) -> Candidates {
    let compiled = &*COMPILED;
    let lowercased = text.to_ascii_lowercase();
    let mut hits: Vec<(usize, Family)> = Vec::new();
    for regex in &compiled.literal_scans {
        hits.extend(regex.find_iter(text).map(|found| {
            let family = if HEADER_TRIGGERS.contains(&found.as_str()) {
                Family::Header
            } else {
                Family::Tokens
            };
            (found.start(), family)
        }));
    }
    for regex in &compiled.keyword_scans {
        hits.extend(regex.find_iter(&lowercased).map(|found| (found.start(), Family::Keywords)));
    }
    hits.extend(encoded::base64_runs(text).map(|run| (run.start, Family::Encoded)));
    hits.sort_unstable_by_key(|&(offset, _)| offset);
    let file_starts = hits
        .iter()
        .filter(|&&(offset, family)| {
            family == Family::Header
                && text[offset..].starts_with("diff --git ")
                && (offset == 0 || text.as_bytes()[offset - 1] == b'\n')
        })
        .map(|&(offset, _)| offset)
        .collect();
    Candidates { hits, file_starts, lowercased }
}

/// Finds every single-line secret in `fragment`, as non-overlapping spans sorted by position.
/// `lowercased` is the same fragment with ASCII letters lowercased.
pub(super) fn find_spans(
    fragment: &str,
    lowercased: &str,
    families: Families,
    context: FileContext,
) -> Vec<Span> {
    let compiled = &*COMPILED;
    let mut spans = Vec::new();

    if families.tokens {
        let triggered = compiled.triggers.matches(fragment);
        for ((index, token_rule), regex) in TOKEN_RULES.iter().enumerate().zip(&compiled.tokens) {
            if !triggered.matched(index) {
                continue;
            }
            for captures in regex.captures_iter(fragment) {
                let Some(secret) = captures.name("secret").or_else(|| captures.get(0)) else {
                    continue;
                };
                if heuristics::token_is_plausible(secret.as_str(), token_rule.check) {
                    push_span(&mut spans, secret.range(), token_rule.kind, token_rule.priority);
                }
            }
        }
        if triggered.matched(PRIVATE_KEY_INDEX) {
            inline_private_keys(compiled, fragment, &mut spans);
        }
        if triggered.matched(URL_INDEX) {
            for captures in compiled.url_password.captures_iter(fragment) {
                if let Some(password) = captures.name("secret") {
                    let length = heuristics::url_password_length(password.as_str());
                    let range = password.start()..password.start() + length;
                    if heuristics::url_password_is_plausible(&fragment[range.clone()]) {
                        let kind = SecretKind::PasswordInUrl;
                        push_span(&mut spans, range, kind, PRIORITY_URL_PASSWORD);
                    }
                }
            }
        }
    }

    // Lock files are full of long hashes next to names such as `integrity`; only the
    // prefixed formats above are trusted there.
    if families.keywords && !context.lock_file {
        // Cheap substring tests spare most lines the searches that cannot match them.
        let regexes = [
            Some(&compiled.assignment),
            (lowercased.contains("\",") || lowercased.contains("',"))
                .then_some(&compiled.quoted_pair),
            ["--", "env", "arg", "login"]
                .iter()
                .any(|word| lowercased.contains(word))
                .then_some(&compiled.spaced_assignment),
        ];
        for regex in regexes.into_iter().flatten() {
            for captures in regex.captures_iter(lowercased) {
                assignment_span(&captures, fragment, context, &mut spans);
            }
        }
        if multiline::holds(lowercased, b"--") {
            for captures in compiled.flag_pair.captures_iter(lowercased) {
                flag_pair_span(&captures, fragment, context, &mut spans);
            }
        }
        if ["bearer", "basic", "token"].iter().any(|word| lowercased.contains(word)) {
            for captures in compiled.authorization.captures_iter(lowercased) {
                let (Some(scheme), Some(credential)) =
                    (captures.name("scheme"), captures.name("secret"))
                else {
                    continue;
                };
                if let Some(credential_text) = fragment.get(credential.range()) {
                    if heuristics::authorization_is_plausible(scheme.as_str(), credential_text) {
                        let kind = SecretKind::AuthorizationHeader;
                        push_span(&mut spans, credential.range(), kind, PRIORITY_AUTHORIZATION);
                    }
                }
            }
        }
    }

    if families.keywords && !context.lock_file {
        credential_spans(compiled, fragment, lowercased, context, &mut spans);
    }
    if context.nesting < heuristics::MAX_NESTING {
        if families.encoded {
            for run in encoded::base64_runs(fragment) {
                if encoded::base64_holds_secret(&fragment[run.clone()], context) {
                    push_span(&mut spans, run, SecretKind::EncodedSecret, PRIORITY_ENCODED);
                }
            }
        }
        if (families.tokens || families.keywords) && fragment.contains("\\\"") {
            for captures in compiled.string_literal.captures_iter(fragment) {
                let Some(body) = captures.name("body") else { continue };
                if body.as_str().contains("\\\"")
                    && encoded::escaped_holds_secret(body.as_str(), context)
                {
                    let kind = SecretKind::EncodedSecret;
                    push_span(&mut spans, body.range(), kind, PRIORITY_ENCODED);
                }
            }
        }
    }

    resolve_overlaps(spans)
}

/// Connection-string passwords, XML credential elements, Docker `auth` fields and the
/// host-keyed tokens of credential files, on a line holding a keyword.
fn credential_spans(
    compiled: &Compiled,
    fragment: &str,
    lowercased: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    if lowercased.contains("pw") || lowercased.contains("pass") {
        for captures in compiled.connection_string.captures_iter(lowercased) {
            connection_string_span(&captures, fragment, lowercased, context, spans);
        }
    }
    if lowercased.contains("</") {
        for captures in compiled.xml_element.captures_iter(lowercased) {
            xml_element_span(&captures, fragment, context, spans);
        }
    }
    if lowercased.contains("value") {
        for captures in compiled.xml_value_attribute.captures_iter(lowercased) {
            xml_attribute_span(&captures, fragment, context, spans);
        }
        for captures in compiled.named_value.captures_iter(lowercased) {
            assignment_span(&captures, fragment, context, spans);
        }
    }
    if lowercased.contains("\"auth\"") {
        for captures in compiled.docker_auth.captures_iter(lowercased) {
            let Some(secret) = captures.name("secret") else { continue };
            let holds_password = fragment
                .get(secret.range())
                .and_then(heuristics::decode_base64)
                .is_some_and(|decoded| decoded.contains(&b':'));
            if holds_password {
                let kind = SecretKind::CredentialFileSecret;
                push_span(spans, secret.range(), kind, PRIORITY_URL_PASSWORD);
            }
        }
    }
    if context.credential_file && lowercased.contains('"') {
        for captures in compiled.host_keyed.captures_iter(lowercased) {
            let Some(secret) = captures.name("secret") else { continue };
            let plausible = fragment
                .get(secret.range())
                .is_some_and(|value| heuristics::relaxed_value_is_secret(value, context));
            if plausible {
                let kind = SecretKind::CredentialFileSecret;
                push_span(spans, secret.range(), kind, PRIORITY_URL_PASSWORD);
            }
        }
    }
}

/// Judges one `"--flag", "value"` match, found in the lowercased fragment.
fn flag_pair_span(
    captures: &Captures<'_>,
    fragment: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    let (Some(flag), Some(value)) =
        (captures.name("flag"), captures.name("double").or_else(|| captures.name("single")))
    else {
        return;
    };
    let (Some(flag), Some(value_text)) = (fragment.get(flag.range()), fragment.get(value.range()))
    else {
        return;
    };
    if let Some((inner, kind)) =
        heuristics::judge_flag_value(&flag.to_ascii_lowercase(), value_text, context)
    {
        let range = value.start() + inner.start..value.start() + inner.end;
        push_span(spans, range, kind, PRIORITY_URL_PASSWORD);
    }
}

/// Judges one `<password>…</password>` match, found in the lowercased fragment.
fn xml_element_span(
    captures: &Captures<'_>,
    fragment: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    let (Some(name), Some(value)) = (captures.name("name"), captures.name("value")) else {
        return;
    };
    let (Some(name_text), Some(value_text)) =
        (fragment.get(name.range()), fragment.get(value.range()))
    else {
        return;
    };
    let trimmed = value_text.trim();
    let start = value.start() + (value_text.len() - value_text.trim_start().len());
    // Maven keeps encrypted passwords in braces: `{COQLCE6DU6GtcS5P=}`.
    let encrypted = trimmed.len() >= 18
        && trimmed.starts_with('{')
        && trimmed.ends_with('}')
        && trimmed[1..trimmed.len() - 1]
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"+/=".contains(&byte));
    if encrypted {
        let range = start..start + trimmed.len();
        push_span(spans, range, SecretKind::CredentialFileSecret, PRIORITY_URL_PASSWORD);
    } else if let Some((inner, kind)) = heuristics::judge_markup_value(name_text, trimmed, context)
    {
        let kind = if context.credential_file { SecretKind::CredentialFileSecret } else { kind };
        push_span(spans, start + inner.start..start + inner.end, kind, PRIORITY_URL_PASSWORD);
    }
}

/// Judges one `value="…"` attribute whose secret's name is a `key`/`name` attribute or the
/// element's name, found in the lowercased fragment.
fn xml_attribute_span(
    captures: &Captures<'_>,
    fragment: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    let (Some(name), Some(value)) =
        (captures.name("name").or_else(|| captures.name("element")), captures.name("value"))
    else {
        return;
    };
    let (Some(name_text), Some(value_text)) =
        (fragment.get(name.range()), fragment.get(value.range()))
    else {
        return;
    };
    if let Some((inner, kind)) = heuristics::judge_assignment(name_text, value_text, true, context)
    {
        let range = value.start() + inner.start..value.start() + inner.end;
        push_span(spans, range, kind, PRIORITY_ASSIGNMENT);
    }
}

/// Words that show a `password=` belongs to a connection string rather than to code.
const CONNECTION_WORDS: &[&str] = &[
    "server=",
    "host=",
    "data source=",
    "uid=",
    "user id=",
    "database=",
    "dbname=",
    "jdbc:",
    "odbc",
    "user=",
    "username=",
    "port=",
    "driver=",
];

/// Judges one connection-string match, found in the lowercased fragment.
fn connection_string_span(
    captures: &Captures<'_>,
    fragment: &str,
    lowercased: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    let Some(value) =
        ["braced", "single", "double", "bare"].iter().find_map(|group| captures.name(group))
    else {
        return;
    };
    let separator = captures.name("separator").map_or("", |separator| separator.as_str());
    let following = lowercased[value.end()..].trim_start_matches(['"', '\'', '}']);
    let in_connection_string = matches!(separator, ";" | "?" | "&")
        || following.starts_with([';', '&'])
        || CONNECTION_WORDS.iter().any(|word| lowercased.contains(word));
    if !in_connection_string {
        return;
    }
    // In code, `connect(host=h, password=pw)` passes a variable; a connection string there is
    // a string literal.
    if captures.name("bare").is_some()
        && context.syntax == heuristics::ValueSyntax::Code
        && !inside_string(fragment, value.start())
    {
        return;
    }
    let Some(text) = fragment.get(value.range()) else { return };
    if heuristics::connection_password_is_plausible(text) {
        let kind = SecretKind::ConnectionStringPassword;
        push_span(spans, value.range(), kind, PRIORITY_URL_PASSWORD);
    }
}

/// Whether `offset` lies inside a string literal of the line: an odd number of unescaped
/// double (or single) quotes stands before it.
fn inside_string(line: &str, offset: usize) -> bool {
    let before = &line.as_bytes()[..offset.min(line.len())];
    let count = |quote: u8| {
        before
            .iter()
            .enumerate()
            .filter(|&(index, &byte)| byte == quote && (index == 0 || before[index - 1] != b'\\'))
            .count()
    };
    count(b'"') % 2 == 1 || count(b'\'') % 2 == 1
}

/// Judges one `name = value` match, found in the lowercased fragment, and records the value
/// when it looks like a secret. Name and value are judged in their original spelling.
fn assignment_span(
    captures: &Captures<'_>,
    fragment: &str,
    context: FileContext,
    spans: &mut Vec<Span>,
) {
    let Some(name) = captures.name("name") else {
        return;
    };
    let quoted = ["double", "single", "back"].iter().find_map(|group| captures.name(group));
    let (value, is_quoted) = match quoted {
        Some(value) => (value.range(), true),
        None => match captures.name("bare") {
            Some(value) => (value.range(), false),
            None => return,
        },
    };
    // An environment file's unquoted value runs to the end of the line or to a comment:
    // `SECRET=my pass phrase`, `PASSWORD=P@ss;word`.
    let value = if context.env_file && !is_quoted {
        if fragment[value.start..].starts_with('#') {
            return; // `API_TOKEN=  # set by the deploy job` leaves the value empty.
        }
        value.start..env_value_end(fragment, value.start)
    } else {
        value
    };
    // The lowercased copy has the same byte offsets, so these ranges fit the fragment.
    let name_range = name.range();
    let (Some(name), Some(value_text)) =
        (fragment.get(name_range.clone()), fragment.get(value.clone()))
    else {
        return;
    };
    let judged = if is_quoted && is_markup_attribute(fragment, name_range.start) {
        heuristics::judge_markup_value(name, value_text, context)
    } else {
        heuristics::judge_assignment(name, value_text, is_quoted, context)
    };
    if let Some((range, kind)) = judged {
        let absolute = value.start + range.start..value.start + range.end;
        let priority = if kind == SecretKind::AuthorizationHeader {
            PRIORITY_AUTHORIZATION
        } else {
            PRIORITY_ASSIGNMENT
        };
        push_span(spans, absolute, kind, priority);
    }
}

/// Where an unquoted value of an environment file starting at `start` ends: at a comment
/// (` #`) or at the end of the line, trailing blanks excluded.
fn env_value_end(fragment: &str, start: usize) -> usize {
    let rest = &fragment[start..];
    let comment = rest.find(" #").or_else(|| rest.find("\t#")).unwrap_or(rest.len());
    start + rest[..comment].trim_end().len()
}

/// Whether the name starting at `name_start` is an attribute of a markup tag: the line's text
/// opens a tag and the name follows a blank inside it (`<user password="…"`).
fn is_markup_attribute(fragment: &str, name_start: usize) -> bool {
    let before = &fragment[..name_start];
    let body = before.trim_start_matches(['+', '-', ' ', '\t']);
    body.starts_with('<')
        && before.ends_with([' ', '\t'])
        && before.rfind('<').is_some_and(|open| !before[open..].contains('>'))
}

/// Adds a span unless it is empty.
fn push_span(spans: &mut Vec<Span>, range: Range<usize>, kind: SecretKind, priority: u8) {
    if range.start < range.end {
        spans.push(Span { start: range.start, end: range.end, kind, priority, counted: true });
    }
}

/// Keeps, of any overlapping spans, the one from the most specific recogniser (then the
/// longest, then the first), and returns the survivors sorted by position.
pub(super) fn resolve_overlaps(mut spans: Vec<Span>) -> Vec<Span> {
    if spans.len() > 1 {
        spans.sort_by(|left, right| {
            right
                .priority
                .cmp(&left.priority)
                .then((right.end - right.start).cmp(&(left.end - left.start)))
                .then(left.start.cmp(&right.start))
        });
        let mut kept: Vec<Span> = Vec::with_capacity(spans.len());
        for span in spans {
            if kept.iter().all(|other| span.end <= other.start || span.start >= other.end) {
                kept.push(span);
            }
        }
        spans = kept;
    }
    spans.sort_by_key(|span| span.start);
    spans
}

/// Records private keys that start and end on this line (Google service-account JSON keeps
/// the whole key in one string with `\n` escapes).
fn inline_private_keys(compiled: &Compiled, fragment: &str, spans: &mut Vec<Span>) {
    for begin in compiled.private_key_begin.find_iter(fragment) {
        let rest = &fragment[begin.end()..];
        let Some(length) = inline_block_length(compiled, rest) else {
            continue;
        };
        // The service-account file names the field `private_key`; elsewhere it is a plain key.
        let kind = if fragment[..begin.start()].contains("\"private_key\"") {
            SecretKind::GoogleServiceAccountKey
        } else {
            SecretKind::PrivateKeyBlock
        };
        push_span(spans, begin.start()..begin.end() + length, kind, PRIORITY_PRIVATE_KEY);
    }
}

/// How far an inline key body runs after its BEGIN header: through the END marker when it is
/// on the same line, else to the quote that closes the key material (or the end of the line)
/// when material follows the header directly. `None` when the header stands alone.
fn inline_block_length(compiled: &Compiled, rest: &str) -> Option<usize> {
    if let Some(end) = compiled.private_key_end.find(rest) {
        return Some(end.end());
    }
    let material_start = key_material_start(rest)?;
    let material = &rest[material_start..];
    Some(material_start + material.find(['"', '\'', '`']).unwrap_or(material.len()))
}

/// Where base64 key material starts on the same line, after spaces, `\n` escapes or the
/// quotes and `+` of string concatenation; `None` when fewer than 16 base64 bytes follow.
fn key_material_start(rest: &str) -> Option<usize> {
    let separators = ['"', '\'', '`', '+', ' ', '\t'];
    let mut remaining = rest.trim_start_matches(separators);
    while let Some(stripped) =
        remaining.strip_prefix("\\n").or_else(|| remaining.strip_prefix("\\r"))
    {
        remaining = stripped.trim_start_matches(separators);
    }
    let material_length = remaining.bytes().take_while(|&byte| is_base64_byte(byte)).count();
    (material_length >= 16).then(|| rest.len() - remaining.len())
}

/// Where the header of a private key block is on this line, if there is one.
pub(super) fn private_key_begin(line: &str) -> Option<Range<usize>> {
    if !line.contains("-----BEGIN ") {
        return None;
    }
    COMPILED.private_key_begin.find(line).map(|found| found.range())
}

/// Where the first END marker of a private key block is in `text`, if there is one.
pub(super) fn find_private_key_end(text: &str) -> Option<Range<usize>> {
    COMPILED.private_key_end.find(text).map(|found| found.range())
}

/// Where the END marker of a private key block is on this line, if there is one.
pub(super) fn private_key_end(line: &str) -> Option<Range<usize>> {
    if !line.contains("-----END ") {
        return None;
    }
    COMPILED.private_key_end.find(line).map(|found| found.range())
}

/// Whether the BEGIN header ending at `header_end` opens a block spanning the next lines: the
/// rest of the line holds no key material or code, and the next meaningful line is key body
/// (or the END line). Code that merely mentions the header, such as a `starts_with` check, is
/// followed by more code and is left alone.
pub(super) fn starts_multi_line_block(
    line: &str,
    header_end: usize,
    following: SplitInclusive<'_, char>,
) -> bool {
    let rest = &line[header_end..];
    if inline_block_length(&COMPILED, rest).is_some() || !only_closing_punctuation(rest) {
        return false;
    }
    // PGP blocks put `Version:` headers and a blank line before the body; PEM may put
    // `Proc-Type:` and `DEK-Info:`. Look a few lines ahead past those.
    for next in following.take(4) {
        let body = strip_key_line(next);
        if body.is_empty() || is_armor_header(body) {
            continue;
        }
        // The END marker must open the line: code such as `END = b"-----END …"` is no key.
        return body.starts_with("-----END ")
            || (body.len() >= 16 && body.bytes().all(is_base64_byte));
    }
    // The header is the last meaningful line: an unterminated block redacts to the end.
    true
}

/// Whether this line is nothing but base64, as the body lines of a PEM key are, apart from a
/// diff marker, indentation, quotes and the punctuation of string concatenation.
pub(super) fn is_key_body_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut index = usize::from(matches!(bytes.first(), Some(b'+' | b'-' | b' ')));
    while index < bytes.len() && matches!(bytes[index], b' ' | b'\t' | b'"' | b'\'' | b'`') {
        index += 1;
    }
    let material_start = index;
    while index < bytes.len() && is_base64_byte(bytes[index]) {
        index += 1;
    }
    // What follows may only close the string: quotes, separators and `\n` or `\r` escapes.
    let rest_is_punctuation =
        bytes[index..].iter().all(|byte| b" \t\r\n\"'`,;+\\nr".contains(byte));
    index - material_start >= 4 && rest_is_punctuation
}

/// The key material of a line: without the diff marker, indentation, quotes, string
/// concatenation and trailing `\n` escapes.
fn strip_key_line(line: &str) -> &str {
    let line = line.trim_end_matches(['\n', '\r']);
    let line = match line.as_bytes().first() {
        Some(b'+' | b'-' | b' ') => &line[1..],
        _ => line,
    };
    let mut body = line.trim().trim_matches(['"', '\'', '`', ',', ';', '+', ' ', '\t']);
    while let Some(stripped) = body.strip_suffix("\\n").or_else(|| body.strip_suffix("\\r")) {
        body = stripped.trim_end_matches(['"', '\'', '`', ',', ';', '+', ' ', '\t']);
    }
    body
}

/// Whether a line inside a key block is an armor header such as `Proc-Type: 4,ENCRYPTED`.
fn is_armor_header(body: &str) -> bool {
    body.split_once(": ").is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
    })
}

/// Whether the text after a BEGIN header holds nothing but quotes, brackets, separators and
/// `\n` escapes, as when a key literal continues on the next line.
fn only_closing_punctuation(rest: &str) -> bool {
    let mut characters = rest.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            // An escape such as `\n` ends the header line inside a string literal.
            characters.next();
        } else if character.is_alphanumeric() {
            return false;
        }
    }
    true
}

/// Whether a byte belongs to the standard base64 alphabet, padding included.
fn is_base64_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=')
}
