//! The judgement calls behind redaction: which names hold secrets, which values are
//! placeholders, references or hashes rather than secrets, and how random a value must look.
//!
//! These rules trade recall against false positives. A missed secret leaks; a false positive
//! only hides a harmless string from the model, so doubtful cases lean towards redacting,
//! except where a value is plainly structural (lock-file hashes, paths, code references).

use std::ops::Range;

use super::patterns::Check;
use super::vocabulary::{
    CODE_EXTENSIONS, CREDENTIAL_FILE_NAMES, DOCUMENT_EXTENSIONS, HASH_PREFIXES, LITERAL_EXTENSIONS,
    NON_SECRET_KEY_QUALIFIERS, NON_SECRET_LAST_WORDS, PLACEHOLDER_VALUES, PLACEHOLDER_WORDS,
    PUBLIC_WORDS, REFERENCE_PREFIXES, SECRET_KEY_COMPOUNDS, SECRET_PASS_COMPOUNDS,
    SECRET_WHOLE_WORDS, SECRET_WORD_PARTS,
};
use super::SecretKind;

/// What is known about the file a diff line belongs to, from the last diff header seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct FileContext {
    /// A dependency lock file, whose hashes must not be mistaken for secrets.
    pub(super) lock_file: bool,
    /// What an unquoted value is in this file.
    pub(super) syntax: ValueSyntax,
    /// An environment-style file whatever its name (`.env`, `env.prod`, `prod.env.example`):
    /// a password assigned there is one even when it is short and plain.
    pub(super) env_file: bool,
    /// A build or package-manager credential file (Maven `settings.xml`, `.npmrc`, Cargo
    /// `credentials.toml`…): any real-looking value of a secret name is a credential, and
    /// every line is looked at, since some hold a token under a host name.
    pub(super) credential_file: bool,
    /// How many encodings (base64, JSON escapes) the text was found inside; decoding stops
    /// after [`MAX_NESTING`] layers.
    pub(super) nesting: u8,
}

/// How many layers of encoding are looked inside.
pub(super) const MAX_NESTING: u8 = 2;

/// What an unquoted value after `name =` or `name:` is, by the kind of file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum ValueSyntax {
    /// No diff header said: an unquoted value counts only when it looks generated.
    #[default]
    Unknown,
    /// Source code: an unquoted value is an expression (a variable, a call, a type), never a
    /// secret, since a secret in code has to be a string literal.
    Code,
    /// Configuration, environment or shell files: an unquoted value is a literal.
    Config,
}

impl FileContext {
    /// Updates the context when `line` is a diff header naming a file.
    pub(super) fn observe_header(&mut self, line: &str) {
        let path = if let Some(rest) = line.strip_prefix("diff --git ") {
            rest.rsplit_once(" b/").map(|(_, path)| path)
        } else {
            line.strip_prefix("+++ b/")
        };
        if let Some(path) = path {
            *self = FileContext::for_path(path.trim());
        }
    }

    /// The context for a file path.
    pub(super) fn for_path(path: &str) -> Self {
        let file_name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let extension = file_name.rsplit_once('.').map_or("", |(_, extension)| extension);
        let lock_file = crate::privacy::vocabulary::is_lock_file(&file_name) || extension == "lock";
        let env_file = is_env_file_name(&file_name, extension);
        let credential_file = CREDENTIAL_FILE_NAMES.contains(&file_name.as_str())
            || (file_name == "config.json" && path.contains(".docker/"));
        let syntax = if LITERAL_EXTENSIONS.contains(&extension)
            || env_file
            || file_name.starts_with(".env")
            || file_name.starts_with("dockerfile")
            || file_name == "makefile"
            || file_name == "credentials"
            || file_name == "config"
        {
            ValueSyntax::Config
        } else if CODE_EXTENSIONS.contains(&extension) {
            ValueSyntax::Code
        } else {
            ValueSyntax::Unknown
        };
        FileContext { lock_file, syntax, env_file, credential_file, nesting: 0 }
    }

    /// The context of text found inside an encoded blob: configuration, one layer deeper.
    pub(super) fn decoded(self) -> Self {
        FileContext {
            syntax: ValueSyntax::Config,
            nesting: self.nesting + 1,
            ..FileContext::default()
        }
    }
}

/// Whether a file name is environment-style: `.env`, `.env.*`, `*.env`, `env.*`,
/// `*.env.*`, `.envrc`, unless its last extension says it is code or documentation
/// (`env.ts`, `env.md`).
fn is_env_file_name(file_name: &str, extension: &str) -> bool {
    let env_like = file_name == ".env"
        || file_name == ".envrc"
        || file_name.starts_with(".env.")
        || file_name.starts_with("env.")
        || file_name.ends_with(".env")
        || file_name.contains(".env.");
    env_like
        && (extension == "env"
            || !(CODE_EXTENSIONS.contains(&extension) || DOCUMENT_EXTENSIONS.contains(&extension)))
}

/// What a secret-sounding name says about the value assigned to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SecretName {
    /// The name is a password's, so short human-chosen values count too.
    password_like: bool,
    /// The name spells out a credential (`PASS`, `SECRET`, `TOKEN`, `API_KEY`…), so in an
    /// environment file any value that is not a placeholder or a reference counts.
    env_credential: bool,
    /// The kind to report, refined by the name (AWS, Azure, Twilio) when it says more.
    kind: SecretKind,
}

/// Splits a name into lowercase words at separators and camel-case boundaries, so that
/// `awsSecretAccessKey`, `AWS_SECRET_ACCESS_KEY` and `aws-secret-access-key` agree.
fn split_words(name: &str) -> Vec<String> {
    let characters: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &character) in characters.iter().enumerate() {
        if !character.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if character.is_ascii_uppercase() && !current.is_empty() {
            let previous = index.checked_sub(1).and_then(|previous| characters.get(previous));
            let next_is_lower =
                characters.get(index + 1).is_some_and(|next| next.is_ascii_lowercase());
            let boundary = previous.is_some_and(|previous| {
                previous.is_ascii_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_ascii_uppercase() && next_is_lower)
            });
            if boundary {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(character.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether one word of a name marks it as holding a secret.
fn word_is_secret(word: &str) -> bool {
    if word.starts_with("tokeniz") {
        return false;
    }
    SECRET_WORD_PARTS.iter().any(|part| word.contains(part))
        || SECRET_WHOLE_WORDS.contains(&word)
        || word.strip_suffix("key").is_some_and(|prefix| SECRET_KEY_COMPOUNDS.contains(&prefix))
        || word.strip_suffix("keys").is_some_and(|prefix| SECRET_KEY_COMPOUNDS.contains(&prefix))
        || is_password_compound(word)
}

/// Whether a word is a one-word password name such as `dbpass`.
fn is_password_compound(word: &str) -> bool {
    word.strip_suffix("pass").is_some_and(|prefix| SECRET_PASS_COMPOUNDS.contains(&prefix))
}

/// Decides whether `name` holds a secret; `None` when it does not.
pub(super) fn classify_name(name: &str) -> Option<SecretName> {
    let words = split_words(name);
    let last = words.last()?;
    if words.iter().any(|word| PUBLIC_WORDS.contains(&word.as_str()))
        || NON_SECRET_LAST_WORDS.contains(&last.as_str())
    {
        return None;
    }
    if (last == "key" || last == "keys") && words.len() >= 2 {
        let qualifier = &words[words.len() - 2];
        if NON_SECRET_KEY_QUALIFIERS.contains(&qualifier.as_str()) {
            return None;
        }
    }
    if !words.iter().any(|word| word_is_secret(word)) {
        return None;
    }
    let password_like = words.iter().any(|word| {
        word.contains("passw")
            || word.contains("pwd")
            || word.contains("passphrase")
            || word == "pass"
            || word == "pw"
            || is_password_compound(word)
    });
    let joined = words.concat();
    let has_word = |wanted: &str| words.iter().any(|word| word == wanted);
    let kind =
        if (has_word("aws") && joined.contains("secret")) || joined.contains("secretaccesskey") {
            SecretKind::AwsSecretKey
        } else if has_word("azure") {
            SecretKind::AzureKey
        } else if has_word("twilio") {
            SecretKind::TwilioKey
        } else {
            SecretKind::HighEntropyAssignment
        };
    let upper = name.to_ascii_uppercase();
    let env_credential = ENV_CREDENTIAL_PARTS.iter().any(|part| upper.contains(part));
    Some(SecretName { password_like, env_credential, kind })
}

/// Parts of an environment variable's name that make any value assigned to it a credential.
const ENV_CREDENTIAL_PARTS: &[&str] =
    &["PASS", "PWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"];

/// Judges a `name = value` pair. Returns the byte range inside `value` to replace and the
/// kind to report, or `None` when the pair holds no secret.
pub(super) fn judge_assignment(
    name: &str,
    value: &str,
    quoted: bool,
    context: FileContext,
) -> Option<(Range<usize>, SecretKind)> {
    let secret_name = classify_name(name)?;
    let leading = value.len() - value.trim_start().len();
    let trimmed = value.trim();

    // `"Authorization": "Bearer abc…"` keeps the scheme word and hides only the credential.
    if let Some((scheme, credential)) = trimmed.split_once(char::is_whitespace) {
        if is_authorization_scheme(scheme) {
            let credential = credential.trim();
            if !authorization_is_plausible(scheme, credential) {
                return None;
            }
            let start = leading + (trimmed.len() - trimmed[scheme.len()..].trim_start().len());
            return Some((start..start + credential.len(), SecretKind::AuthorizationHeader));
        }
    }

    if !value_is_secret(trimmed, secret_name, quoted, context) {
        return None;
    }
    let kind = match secret_name.kind {
        SecretKind::AwsSecretKey if !is_aws_secret_shape(trimmed) => {
            SecretKind::HighEntropyAssignment
        }
        SecretKind::HighEntropyAssignment if context.credential_file => {
            SecretKind::CredentialFileSecret
        }
        kind => kind,
    };
    Some((leading..leading + trimmed.len(), kind))
}

/// Whether a word introduces a credential in an `Authorization` header.
fn is_authorization_scheme(word: &str) -> bool {
    ["bearer", "token", "basic"].iter().any(|scheme| word.eq_ignore_ascii_case(scheme))
}

/// Whether the credential after `Bearer`, `Token` or `Basic` is real rather than prose or a
/// placeholder. Basic credentials are base64 of `user:password`, often short.
pub(super) fn authorization_is_plausible(scheme: &str, credential: &str) -> bool {
    if is_placeholder(credential) {
        return false;
    }
    if scheme.eq_ignore_ascii_case("basic") {
        // Base64 of `user:password`, so it decodes to something with a colon; prose such as
        // "Basic Multilingual Plane" does not.
        return credential.len() >= 8
            && decode_base64(credential).is_some_and(|decoded| decoded.contains(&b':'));
    }
    credential.len() >= 16 && looks_random(credential)
}

/// Decodes padded standard base64; `None` when the text is not that.
pub(super) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 != 0 {
        return None;
    }
    let unpadded = text.trim_end_matches('=');
    if text.len() - unpadded.len() > 2 {
        return None;
    }
    let mut decoded = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in unpadded.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // Masking to the low byte makes the conversion exact.
            decoded.push(u8::try_from((buffer >> bits) & 0xFF).unwrap_or_default());
        }
    }
    Some(decoded)
}

/// Whether a value is 40 characters of the base64 alphabet, as AWS secret access keys are.
fn is_aws_secret_shape(value: &str) -> bool {
    value.len() == 40
        && value.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'/' || byte == b'+')
}

/// Whether a value assigned to a secret name is itself a secret.
fn value_is_secret(value: &str, name: SecretName, quoted: bool, context: FileContext) -> bool {
    // `API_TOKEN=tok123` in an environment file is a credential whatever its entropy.
    if context.env_file && name.env_credential {
        return env_credential_is_secret(value);
    }
    // In a credential file, and for a password in an environment file, a value is a
    // credential unless it is plainly a placeholder: people choose short, plain ones there.
    if context.credential_file || (context.env_file && name.password_like) {
        return relaxed_value_is_secret(value, context);
    }
    // The length test comes first: it is free and rejects most code (`key: &str`).
    let minimum_length = if name.password_like { 8 } else { 16 };
    if value.len() < minimum_length
        || character_classes(value) < 2
        || value.chars().any(char::is_whitespace)
        || value.contains("://")
        || is_number(value)
        || is_placeholder(value)
        || is_integrity_hash(value)
        || is_path(value)
        || is_upper_snake(value)
        || has_string_escapes(value)
    {
        return false;
    }
    if !quoted {
        match context.syntax {
            // In source code an unquoted value is an expression, never a secret.
            ValueSyntax::Code => return false,
            // Where the language is unknown, it must at least not read as code.
            ValueSyntax::Unknown => return !is_code_reference(value) && looks_random(value),
            // YAML tags, anchors and aliases (`!vault`, `*default`), and the leftovers of a
            // doubled operator (`key::value`), are not values.
            ValueSyntax::Config if value.starts_with(['!', '&', '*', '@', ':', '=']) => {
                return false
            }
            ValueSyntax::Config => {}
        }
    }
    // A name written as a string (`"subjectKeyIdentifier"`, a forward-declared type) has no
    // digits and reads as words; generated secrets nearly always hold a digit.
    if is_identifier(value)
        && !value.bytes().any(|byte| byte.is_ascii_digit())
        && looks_like_words(value)
    {
        return false;
    }
    if name.password_like {
        // Passwords are chosen by people: short, often built from words, so a mix of
        // character classes and a little entropy is enough once placeholders are ruled out.
        return !value.ends_with(':') && shannon_entropy(value) >= 2.5;
    }
    // `"repository.$name.allow"` interpolates a variable (Perl, shell, PHP, Kotlin). Not
    // applied to passwords, where `$` followed by a letter is an ordinary character.
    if has_interpolation(value) {
        return false;
    }
    // A literal assigned to a secret name is judged on its characters: whether it reads as
    // words says little once it is long, mixed and varied (`MySuperSecretValue123` is a weak
    // secret, not a harmless one), and random strings often split into word-like pieces. A
    // slug of plain words (`hello-world-HELLO`) and an alphabet are the exceptions.
    !is_slug(value)
        && !is_mostly_sequential(value)
        && shannon_entropy(value) >= entropy_threshold(value)
}

/// The bar for values in credential files and for passwords in environment files: long
/// enough to be chosen (six characters; four in a credential file), not a placeholder, a
/// reference, a path or a number, and with two kinds of character or ten characters.
pub(super) fn relaxed_value_is_secret(value: &str, context: FileContext) -> bool {
    let minimum_length = if context.credential_file { 4 } else { 6 };
    value.len() >= minimum_length
        && (character_classes(value) >= 2 || value.len() >= 10)
        && !value.chars().any(char::is_whitespace)
        && !value.contains("://")
        && !value.starts_with(['!', '&', '*', '@', ':', '='])
        && !is_number(value)
        && !is_placeholder(value)
        && !is_integrity_hash(value)
        && !is_path(value)
        && !is_upper_snake(value)
        && !has_string_escapes(value)
        && !is_mostly_sequential(value)
        && shannon_entropy(value) >= 2.0
}

/// The bar for a value assigned to a credential's name in an environment file: anything but
/// an empty value, a reference (`${VAR}`, `$VAR`), a placeholder (`changeme`, `<...>`,
/// `xxx`, `your-...`), a URL, a path, or a number too short to be a PIN.
fn env_credential_is_secret(value: &str) -> bool {
    let masked = value.chars().all(|character| matches!(character, 'x' | 'X' | '*' | '.' | '-'));
    let short_number = value.len() < 4 && value.bytes().all(|byte| byte.is_ascii_digit());
    if value.contains(char::is_whitespace) {
        return !phrase_is_placeholder(value);
    }
    !value.is_empty()
        && !masked
        && !short_number
        && !value.contains("://")
        && !value.starts_with(['!', '&', '*', '@', ':', '='])
        && !is_placeholder(value)
        && !is_path(value)
        && !is_upper_snake(value)
}

/// Whether a value of several words (`my pass phrase`, `"two words here"`) is a placeholder
/// rather than a pass phrase: a template, a reference, or prose telling the reader what to put
/// there (`your token here`, `password goes here`). `here` alone is no sign of one.
fn phrase_is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words: Vec<&str> =
        lower.split(|character: char| !character.is_ascii_alphanumeric()).collect();
    let names_a_secret = words.iter().any(|word| PLACEHOLDER_VALUES.contains(word));
    let templated = ["${", "{{", "{%", "<%", "#{", "%(", "$("];
    value.starts_with('$')
        || templated.iter().any(|marker| value.contains(marker))
        || (value.starts_with('<') && value.ends_with('>'))
        || lower.contains("example")
        || has_mask_run(value)
        || words
            .iter()
            .any(|word| PLACEHOLDER_WORDS.contains(word) && (*word != "here" || names_a_secret))
}

/// Judges a value given in markup as the text of a credential element (`<password>…<`) or as
/// a quoted attribute of a tag (`<user password="…"/>`): markup has no expressions, so a
/// password or secret there is one when it is merely real-looking, however short.
pub(super) fn judge_markup_value(
    name: &str,
    value: &str,
    context: FileContext,
) -> Option<(Range<usize>, SecretKind)> {
    if let Some(judged) = judge_assignment(name, value, true, context) {
        return Some(judged);
    }
    let secret_name = classify_name(name)?;
    let leading = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    let credential = secret_name.password_like || secret_name.env_credential;
    (credential && relaxed_value_is_secret(trimmed, context))
        .then(|| (leading..leading + trimmed.len(), secret_name.kind))
}

/// Judges the value given to a command-line flag written as separate list items
/// (`["--password", "…"]`, `- --db-password` then `- …`, `- -p` then `- …`). `flag` holds its
/// dashes. A flag naming a password takes any plausible password; `-p`, which is also a port
/// or a profile elsewhere, only a value mixing kinds of character that is no port mapping;
/// other flags (`--api-token`) are judged by their name like an assignment.
pub(super) fn judge_flag_value(
    flag: &str,
    value: &str,
    context: FileContext,
) -> Option<(Range<usize>, SecretKind)> {
    let whole = 0..value.len();
    if flag == "-p" {
        let port_like = value.bytes().all(|byte| byte.is_ascii_digit() || b":./-".contains(&byte));
        let plausible = command_password_is_plausible(value)
            && !port_like
            && character_classes(value) >= 2
            && !is_path(value);
        return plausible.then_some((whole, SecretKind::CommandLinePassword));
    }
    let name = flag.strip_prefix("--")?;
    let last = name.rsplit(['-', '_']).next().unwrap_or(name);
    let password_words = ["password", "passwd", "passphrase", "pass", "pwd", "requirepass"];
    if password_words.contains(&last) || last == "masterauth" {
        return command_password_is_plausible(value)
            .then_some((whole, SecretKind::CommandLinePassword));
    }
    judge_assignment(name, value, true, context)
}

/// Whether a password given to a command (`-pPASS`, `--password=PASS`, `curl -u user:PASS`)
/// is real: a few characters that are not a placeholder, a variable or another flag.
pub(super) fn command_password_is_plausible(value: &str) -> bool {
    let port_like = value.len() <= 5 && value.bytes().all(|byte| byte.is_ascii_digit());
    value.len() >= 3
        && !port_like
        && !value.starts_with(['$', '%', '-', '<', '{'])
        && !is_placeholder(value)
        && !has_mask_run(value)
}

/// Whether a password found in a connection string (`Password=…;`, `pwd=…`, `?password=…`)
/// is real. ODBC may wrap it in braces; an identifier in braces is a template's field.
pub(super) fn connection_password_is_plausible(value: &str) -> bool {
    if let Some(inner) = value.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
        let template_field =
            is_identifier(inner) && !inner.bytes().any(|byte| byte.is_ascii_digit());
        return !template_field && command_password_is_plausible(inner);
    }
    command_password_is_plausible(value) && !value.ends_with([',', ')'])
}

/// Whether most neighbouring characters are consecutive (`ABCDEFGH…`, `hijklmnop…`): an
/// alphabet or a table, which random text almost never produces.
fn is_mostly_sequential(value: &str) -> bool {
    let bytes = value.as_bytes();
    let consecutive = bytes.windows(2).filter(|pair| pair[0].wrapping_add(1) == pair[1]).count();
    consecutive * 5 >= bytes.len().saturating_sub(1) * 2
}

/// Whether a value interpolates a variable, as `$name` does in many languages.
fn has_interpolation(value: &str) -> bool {
    value.as_bytes().windows(2).any(|pair| {
        pair[0] == b'$' && (pair[1].is_ascii_alphabetic() || pair[1] == b'_' || pair[1] == b'{')
    })
}

/// Whether a value is a constant-style name such as `CLIENT_TRAFFIC_SECRET_0`.
fn is_upper_snake(value: &str) -> bool {
    value.contains('_')
        && value.bytes().next().is_some_and(|byte| byte.is_ascii_uppercase())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'_')
}

/// Whether a value holds string escapes such as `\r\n`, or several backslashes: it is then
/// a slice of a larger literal (an HTTP message in a test) or a regular expression, not a
/// value of its own.
fn has_string_escapes(value: &str) -> bool {
    ["\\n", "\\r", "\\0", "\\x"].iter().any(|escape| value.contains(escape))
        || value.matches('\\').count() >= 2
}

/// Whether a value has the mixed characters and entropy of a generated secret.
fn looks_random(value: &str) -> bool {
    character_classes(value) >= 2
        && !looks_like_words(value)
        && shannon_entropy(value) >= entropy_threshold(value)
}

/// The entropy, in bits per character, a generated value of this length and alphabet reaches.
/// Hex only has 16 symbols, so its bar is lower; short values cannot reach log2(length).
fn entropy_threshold(value: &str) -> f64 {
    let is_hex = value.bytes().all(|byte| byte.is_ascii_hexdigit());
    let alphabet_bar: f64 = if is_hex { 3.0 } else { 3.3 };
    let length_bar = (value.len() as f64).log2() * 0.85;
    alphabet_bar.min(length_bar)
}

/// Whether a token match is real rather than a placeholder, given how random it must look.
pub(super) fn token_is_plausible(token: &str, check: Check) -> bool {
    if is_placeholder(token) {
        return false;
    }
    match check {
        Check::Shape => true,
        Check::Password => command_password_is_plausible(token),
        Check::Random => {
            // The body is what follows the format's prefix (`sk-`, `glpat-`, `hf_`).
            let body = token.split_once(['-', '_', '.']).map_or(token, |(_, body)| body);
            // Generated bodies almost always hold a digit; names such as `sk-fadingCircle…`
            // or `hvs.someLongPropertyName` hold none and read as words.
            let has_digit = body.bytes().any(|byte| byte.is_ascii_digit());
            character_classes(token) >= 2
                && distinct_bytes(body) >= 8
                && !is_slug(body)
                && (has_digit || !looks_like_words(body))
        }
    }
}

/// Whether a token body is a slug of plain words, such as `learn-tutorial-notebook-v2` in a
/// CSS class or package name, or `Proxy-Authorization`, rather than generated characters.
fn is_slug(body: &str) -> bool {
    let mut chunks = body.split(['-', '_', '.']).filter(|chunk| !chunk.is_empty()).peekable();
    chunks.peek().is_some()
        && body.contains(['-', '_', '.'])
        && chunks.all(|chunk| {
            let letters = chunk.trim_end_matches(|character: char| character.is_ascii_digit());
            let rest = letters.get(1..).unwrap_or_default();
            let plain_word = letters.len() >= 2
                && (letters.bytes().all(|byte| byte.is_ascii_lowercase())
                    || letters.bytes().all(|byte| byte.is_ascii_uppercase())
                    || (letters.bytes().next().is_some_and(|byte| byte.is_ascii_uppercase())
                        && rest.bytes().all(|byte| byte.is_ascii_lowercase())));
            let short_number = letters.is_empty() && chunk.len() <= 4;
            plain_word || short_number
        })
}

/// Whether the password part of a URL is real rather than a placeholder or a port number.
/// One or two characters (`http://a:b@host` in URL-parser tests) are no password anyone uses.
pub(super) fn url_password_is_plausible(password: &str) -> bool {
    // `host:8080/path?mail=a@b.io`: a port followed by a path is no password.
    let digits = password.bytes().take_while(u8::is_ascii_digit).count();
    let port_like = (1..=5).contains(&digits)
        && password[digits..].chars().next().is_none_or(|next| matches!(next, '/' | '?' | '#'));
    password.len() >= 3 && !port_like && !is_placeholder(password)
}

/// Where the password of a URL's userinfo ends, given everything up to the last `@` that is
/// followed by a host: a password may hold `@`, `/`, `#` (git and database drivers accept
/// them), but when an earlier `@` is followed by a host name and a path, that `@` ended the
/// userinfo and the rest is the path (`https://u:pw@host.io/a?mail=x@y.io`).
pub(super) fn url_password_length(candidate: &str) -> usize {
    for (index, _) in candidate.match_indices('@') {
        let after = &candidate[index + 1..];
        let authority_end = after.find(['/', '?', '#']);
        let Some(authority_end) = authority_end else { continue };
        let authority = &after[..authority_end];
        let host = authority.split(':').next().unwrap_or(authority);
        let host_like = (host.contains('.') || host == "localhost")
            && host.bytes().all(|byte| byte.is_ascii_alphanumeric() || b".-_".contains(&byte));
        if host_like && !candidate[..index].contains(['/', '?', '#']) {
            return index;
        }
    }
    candidate.len()
}

/// Whether a value is a placeholder, a template, or a reference to a secret kept elsewhere.
pub(super) fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) {
        return true;
    }
    let templated = ["${", "{{", "{%", "<%", "<<", "#{", "%(", "%s", "$(", "{}", "{:"];
    if value.starts_with('$') || templated.iter().any(|marker| value.contains(marker)) {
        return true;
    }
    let wrapped = [('<', '>'), ('{', '}'), ('[', ']'), ('(', ')')];
    if wrapped.iter().any(|&(open, close)| value.starts_with(open) && value.ends_with(close)) {
        return true;
    }
    // AWS documents `AKIAIOSFODNN7EXAMPLE` and a matching secret; anything that says
    // "example" is an illustration, and a generated secret contains those seven letters
    // by chance about once in 10^12 tries.
    if lower.contains("example") || has_mask_run(value) {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|prefix| lower.starts_with(prefix)) {
        return true;
    }
    let mut words = lower.split(|character: char| !character.is_ascii_alphanumeric());
    if words.clone().any(|word| PLACEHOLDER_WORDS.contains(&word)) {
        return true;
    }
    // A list of choices such as `true|false` or `yes/no`.
    words.all(|word| word.is_empty() || PLACEHOLDER_VALUES.contains(&word))
}

/// Whether a value contains a run of masking characters (`xxxx`, `****`) or one character
/// repeated eight times, which generated secrets almost never do. (Six would catch numeric
/// ids inside real tokens, such as the `555555` in a Slack team id.)
fn has_mask_run(value: &str) -> bool {
    let mut previous = None;
    let mut run = 0;
    for character in value.chars() {
        if Some(character) == previous {
            run += 1;
        } else {
            previous = Some(character);
            run = 1;
        }
        let masking = matches!(character, 'x' | 'X' | '*' | '#' | '•' | '.');
        if (masking && run >= 4) || run >= 8 {
            return true;
        }
    }
    false
}

/// Whether a value is a number: digits with optional sign, separators, decimals and exponent,
/// or a numeric literal of code with a type suffix (`16384u32`, `10L`) or in short hex
/// (`0xC00D2751_u32`). Longer hex is left to the entropy test: it may be a private key.
fn is_number(value: &str) -> bool {
    let unsigned = value.trim_start_matches(['+', '-']);
    let digits = unsigned.trim_end_matches(|character: char| character.is_ascii_alphabetic());
    let suffix = &unsigned[digits.len()..];
    let known_suffix = suffix.is_empty()
        || [
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
            "f32", "f64", "l", "ul", "ll", "ull", "u", "n", "f", "d", "m",
        ]
        .contains(&suffix.to_ascii_lowercase().as_str());
    let decimal = digits.bytes().next().is_some_and(|byte| byte.is_ascii_digit())
        && digits.bytes().all(|byte| byte.is_ascii_digit() || b"._,eE+-".contains(&byte));
    let short_hex =
        unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X")).is_some_and(|hex| {
            let hex = hex.split('_').next().unwrap_or(hex);
            !hex.is_empty() && hex.len() <= 16 && hex.bytes().all(|byte| byte.is_ascii_hexdigit())
        });
    (decimal && known_suffix) || short_hex
}

/// Whether a value is an integrity or content hash with its algorithm prefix.
fn is_integrity_hash(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    HASH_PREFIXES.iter().any(|prefix| lower.starts_with(prefix))
}

/// Whether a value is a file path: relative or home paths, Windows drive paths, or
/// slash-separated words (random base64 also contains slashes, but not words).
fn is_path(value: &str) -> bool {
    let bytes = value.as_bytes();
    let windows_drive = bytes.len() > 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes[2] == b'\\' || bytes[2] == b'/');
    windows_drive
        || value.starts_with("./")
        || value.starts_with("../")
        || value.starts_with("~/")
        || (value.contains(['/', '\\']) && looks_like_words(value))
}

/// Whether an unquoted value is code rather than a literal: a call, an index, a path of
/// members (`settings.api_key`), a constant (`DEFAULT_TOKEN`) or a sigil.
fn is_code_reference(value: &str) -> bool {
    value.contains(['(', ')', '[', ']', '{', '}'])
        || value.contains("::")
        || value.contains("->")
        || value.starts_with(['&', '*', '!', '@', '%', ':'])
        || is_upper_snake(value)
        || (value.contains('.') && value.split('.').all(is_identifier))
}

/// Whether a string is a programming-language identifier.
fn is_identifier(segment: &str) -> bool {
    let mut bytes = segment.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_alphabetic() || first == b'_' || first == b'$')
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$')
}

/// Whether a value reads as words (identifiers, prose, paths) rather than random characters.
///
/// The value is cut at punctuation, digits and camel-case boundaries into words (`Server`),
/// acronyms (`HTTP`) and digit runs. Words written by people average three letters or more,
/// are rarely one or two letters long, carry vowels, are made mostly of the commonest
/// letters, outnumber the acronyms, and come with few separate digit runs (`utf8`, `v2`);
/// random strings switch case and between letters and digits every couple of characters,
/// leaving short fragments of letters drawn evenly from the alphabet.
pub(super) fn looks_like_words(value: &str) -> bool {
    let mut shape = WordShape::default();
    for chunk in value.split(|character: char| !character.is_ascii_alphanumeric()) {
        shape.add_chunk(chunk.as_bytes());
    }
    shape.reads_as_words()
}

/// The tallies behind [`looks_like_words`].
#[derive(Debug, Default)]
struct WordShape {
    /// Words holding a lowercase letter, such as `server` or `Server`.
    words: usize,
    /// Letters in those words.
    word_letters: usize,
    /// Vowels (`aeiouy`) in those words.
    vowels: usize,
    /// Letters in those words that are among the thirteen most frequent in English.
    common_letters: usize,
    /// Words of one or two letters, common in random strings (`Fx`, `q`) and rare in names.
    short_words: usize,
    /// Letters in runs of capitals that are not the start of a word, such as `HTTP`.
    acronym_letters: usize,
    /// How many such runs there are: names hold one or two, random strings many.
    acronym_runs: usize,
    /// Separate runs of digits.
    digit_runs: usize,
}

impl WordShape {
    /// Tallies one chunk of ASCII letters and digits.
    fn add_chunk(&mut self, bytes: &[u8]) {
        // A chunk without lowercase letters is a constant-style name (`OPENAI`, `API_KEY`):
        // its runs of capitals are words, not acronyms.
        let all_capitals = !bytes.iter().any(u8::is_ascii_lowercase);
        let mut index = 0;
        while index < bytes.len() {
            let start = index;
            if bytes[index].is_ascii_digit() {
                while index < bytes.len() && bytes[index].is_ascii_digit() {
                    index += 1;
                }
                self.digit_runs += 1;
                continue;
            }
            while index < bytes.len() && bytes[index].is_ascii_uppercase() {
                index += 1;
            }
            let uppercase = index - start;
            while index < bytes.len() && bytes[index].is_ascii_lowercase() {
                index += 1;
            }
            let lowercase = index - start - uppercase;
            if all_capitals {
                if uppercase > 0 {
                    self.add_word(&bytes[start..index]);
                }
            } else {
                // "HTTPServer" is the acronym "HTTP" followed by the word "Server".
                let acronym = if lowercase == 0 { uppercase } else { uppercase.saturating_sub(1) };
                if acronym > 0 {
                    self.acronym_letters += acronym;
                    self.acronym_runs += 1;
                }
                if lowercase > 0 {
                    self.add_word(&bytes[start + acronym..index]);
                }
            }
            if index == start {
                // Not reachable for ASCII alphanumerics; guarantees progress regardless.
                index += 1;
            }
        }
    }

    /// Tallies one word.
    fn add_word(&mut self, word: &[u8]) {
        let vowels = word
            .iter()
            .filter(|byte| {
                matches!(byte.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
            })
            .count();
        // `etaoinshrdlcu` make up some 83% of English letters but half of random ones.
        let common = word
            .iter()
            .filter(|byte| b"etaoinshrdlcu".contains(&byte.to_ascii_lowercase()))
            .count();
        self.words += 1;
        self.word_letters += word.len();
        self.vowels += vowels;
        self.common_letters += common;
        if word.len() <= 2 {
            self.short_words += 1;
        }
    }

    /// The verdict.
    fn reads_as_words(&self) -> bool {
        if self.digit_runs > 2 {
            return false;
        }
        if self.words == 0 {
            // Digits alone, which `is_number` judges.
            return true;
        }
        self.word_letters as f64 / self.words as f64 >= 3.0
            && self.vowels as f64 / self.word_letters as f64 >= 0.25
            && self.common_letters as f64 / self.word_letters as f64 >= 0.6
            && self.short_words * 3 <= self.words
            && self.acronym_letters <= self.word_letters
            && self.acronym_runs <= 2.max(self.words / 3)
    }
}

/// How many of the classes lowercase, uppercase, digit and other symbol a value uses. The
/// separators `_`, `-` and `.` do not count: identifiers and slugs are full of them.
fn character_classes(value: &str) -> usize {
    let mut lower = false;
    let mut upper = false;
    let mut digit = false;
    let mut symbol = false;
    for character in value.chars() {
        match character {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            '_' | '-' | '.' => {}
            _ => symbol = true,
        }
    }
    [lower, upper, digit, symbol].into_iter().filter(|&present| present).count()
}

/// How many different bytes a value uses.
fn distinct_bytes(value: &str) -> usize {
    let mut seen = [false; 256];
    for byte in value.bytes() {
        seen[usize::from(byte)] = true;
    }
    seen.iter().filter(|&&present| present).count()
}

/// The Shannon entropy of a value's bytes, in bits per byte.
pub(super) fn shannon_entropy(value: &str) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for byte in value.bytes() {
        counts[usize::from(byte)] += 1;
    }
    let length = value.len() as f64;
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let probability = count as f64 / length;
            -probability * probability.log2()
        })
        .sum()
}
