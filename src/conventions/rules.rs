//! Rules a repository declares for its commit messages, which win over its habits:
//! commitlint (`.commitlintrc*`, the literal forms of `commitlint.config.*`, the `commitlint`
//! key of `package.json`), git-cliff's `commit_parsers` in `cliff.toml`, commitizen (`.cz.toml`,
//! `.czrc`, `[tool.commitizen]` in `pyproject.toml`) and a free-text guide (`COMMITS.md`,
//! `.github/COMMIT_CONVENTION.md`, or `conventions.guide`).
//!
//! Nothing is ever run: a JavaScript configuration is read only when it is a literal object
//! (comments, quotes and trailing commas allowed); anything else is skipped and said so.

use std::sync::LazyLock;

use regex::Regex;
use yaml_serde::Value;

use super::subject::KNOWN_TYPES;

/// The types `@commitlint/config-conventional` allows.
const CONVENTIONAL_TYPES: &[&str] =
    &["build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"];
/// The types commitizen's `cz_conventional_commits` accepts.
const COMMITIZEN_TYPES: &[&str] = &[
    "build", "bump", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style",
    "test",
];
/// Guide files looked for when `conventions.guide` names none.
const GUIDES: &[&str] = &["COMMITS.md", ".github/COMMIT_CONVENTION.md", "COMMIT_CONVENTION.md"];
/// The part of a guide shown to network models.
const GUIDE_EXCERPT_CHARACTERS: usize = 700;

/// How the summary after the prefix must start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubjectCase {
    /// With a lower-case letter (commitlint `lower-case`, or `never sentence-case`).
    Lower,
    /// With a capital (`sentence-case`).
    Sentence,
}

/// A list a rule allows, and which file said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Allowed {
    /// The values.
    pub(crate) values: Vec<String>,
    /// `commitlint type-enum (.commitlintrc.json)`.
    pub(crate) source: String,
    /// A value outside the list breaks the rule (commitlint, commitizen); otherwise the list
    /// is what the tool knows about (git-cliff's parsers, a guide).
    pub(crate) strict: bool,
}

/// The declared rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rules {
    /// Rule files found and read.
    pub(crate) files: Vec<String>,
    /// Rule files that could not be read statically, each with the reason.
    pub(crate) skipped: Vec<String>,
    /// A file asks for Conventional Commits.
    pub(crate) conventional: Option<String>,
    /// Allowed types.
    pub(crate) types: Option<Allowed>,
    /// Allowed scopes.
    pub(crate) scopes: Option<Allowed>,
    /// The subject line's longest length, and which file said so.
    pub(crate) header_max: Option<(usize, String)>,
    /// The summary's case, and which file said so.
    pub(crate) subject_case: Option<(SubjectCase, String)>,
    /// `Some(false)`: never a full stop; `Some(true)`: always one.
    pub(crate) full_stop: Option<(bool, String)>,
    /// The guide: its path and the start of its text.
    pub(crate) guide: Option<(String, String)>,
}

impl Rules {
    /// True when a rule file asks for Conventional Commits.
    pub(crate) fn conventional(&self) -> bool {
        self.conventional.is_some()
    }
}

/// Reads every rule file through `read` (the work tree, or a commit's tree).
pub(crate) fn read(read: &dyn Fn(&str) -> Option<Vec<u8>>, guide: Option<&str>) -> Rules {
    let mut rules = Rules::default();
    let text = |path: &str| read(path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    read_commitlint(&text, &mut rules);
    if let Some(cliff) = text("cliff.toml") {
        read_cliff(&cliff, &mut rules);
    }
    read_commitizen(&text, &mut rules);
    let guides: Vec<&str> = match guide {
        Some(path) => vec![path],
        None => GUIDES.to_vec(),
    };
    for path in guides {
        if let Some(guide) = text(path) {
            read_guide(path, &guide, &mut rules);
            break;
        }
    }
    rules
}

/// The commitlint configuration: the first file found, as commitlint itself looks.
fn read_commitlint(text: &dyn Fn(&str) -> Option<String>, rules: &mut Rules) {
    const DATA: &[&str] =
        &[".commitlintrc", ".commitlintrc.json", ".commitlintrc.yaml", ".commitlintrc.yml"];
    const SCRIPTS: &[&str] = &[
        ".commitlintrc.js",
        ".commitlintrc.cjs",
        ".commitlintrc.mjs",
        ".commitlintrc.ts",
        ".commitlintrc.cts",
        "commitlint.config.js",
        "commitlint.config.cjs",
        "commitlint.config.mjs",
        "commitlint.config.ts",
        "commitlint.config.cts",
        "commitlint.config.mts",
    ];
    for path in DATA {
        if let Some(content) = text(path) {
            if let Err(reason) = shallow_enough(&content) {
                rules.skipped.push(format!("{path}: not read, {reason}"));
                return;
            }
            match yaml_serde::from_str::<Value>(&content) {
                Ok(value) => apply_commitlint(&value, path, rules),
                Err(error) => {
                    rules.skipped.push(format!("{path}: not valid YAML or JSON ({error})"))
                }
            }
            return;
        }
    }
    for path in SCRIPTS {
        if let Some(content) = text(path) {
            match literal_object(&content) {
                Ok(value) => apply_commitlint(&value, path, rules),
                Err(reason) => rules.skipped.push(format!(
                    "{path}: not read, {reason} (JavaScript is never run; a literal object is read)"
                )),
            }
            return;
        }
    }
    if let Some(package) = text("package.json").filter(|package| shallow_enough(package).is_ok()) {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&package) {
            if let Some(config) = value.get("commitlint") {
                if let Ok(value) = yaml_serde::to_value(config) {
                    apply_commitlint(&value, "package.json", rules);
                }
            }
        }
    }
}

/// Applies a commitlint configuration object.
fn apply_commitlint(config: &Value, path: &str, rules: &mut Rules) {
    rules.files.push(path.to_string());
    let extends: Vec<String> = match config.get("extends") {
        Some(Value::String(one)) => names(&[one.as_str()]),
        Some(Value::Sequence(many)) => {
            names(&many.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        }
        _ => Vec::new(),
    };
    let source = |rule: &str| format!("commitlint {rule} ({path})");
    if extends
        .iter()
        .any(|name| name.contains("config-conventional") || name.contains("config-angular"))
    {
        rules.conventional = Some(format!("commitlint ({path}) extends {}", extends.join(", ")));
        rules.types = Some(Allowed {
            values: CONVENTIONAL_TYPES.iter().map(|name| name.to_string()).collect(),
            source: source("type-enum"),
            strict: true,
        });
        rules.header_max = Some((100, source("header-max-length")));
        rules.subject_case = Some((SubjectCase::Lower, source("subject-case")));
        rules.full_stop = Some((false, source("subject-full-stop")));
    }
    let Some(Value::Mapping(declared)) = config.get("rules") else { return };
    for (name, rule) in declared {
        let (Some(name), Value::Sequence(parts)) = (name.as_str(), rule) else { continue };
        let level = parts.first().and_then(Value::as_u64).unwrap_or(2);
        let always = parts.get(1).and_then(Value::as_str).unwrap_or("always") == "always";
        let value = parts.get(2);
        if level == 0 {
            match name {
                "type-enum" => rules.types = None,
                "scope-enum" => rules.scopes = None,
                "header-max-length" => rules.header_max = None,
                "subject-case" => rules.subject_case = None,
                "subject-full-stop" => rules.full_stop = None,
                _ => {}
            }
            continue;
        }
        let list = |value: Option<&Value>| -> Vec<String> {
            let all: Vec<&str> = match value {
                Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).collect(),
                Some(Value::String(one)) => vec![one.as_str()],
                _ => Vec::new(),
            };
            names(&all)
        };
        let refused = |value: Option<&Value>| -> Option<String> {
            let count = match value {
                Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).count(),
                Some(Value::String(_)) => 1,
                _ => 0,
            };
            let kept = list(value).len();
            (kept < count).then(|| {
                format!(
                    "{path}: {name}: {} of {count} values left out (not names, or past the first {MAX_NAMES})",
                    count - kept
                )
            })
        };
        if let Some(said) = refused(value).filter(|_| name == "type-enum" || name == "scope-enum") {
            rules.skipped.push(said);
        }
        match name {
            "type-enum" if always => {
                rules.types =
                    Some(Allowed { values: list(value), source: source(name), strict: true });
            }
            "scope-enum" if always && !list(value).is_empty() => {
                rules.scopes =
                    Some(Allowed { values: list(value), source: source(name), strict: true });
            }
            "header-max-length" => match value.and_then(Value::as_u64) {
                // No header fits in fewer: such a rule would only cut every subject away.
                Some(length) if length < MIN_HEADER_MAX as u64 => rules.skipped.push(format!(
                    "{path}: header-max-length {length} left out (a subject needs {MIN_HEADER_MAX} characters at least)"
                )),
                Some(length) => {
                    let length = usize::try_from(length).unwrap_or(usize::MAX);
                    rules.header_max = Some((length, source(name)));
                }
                None => {}
            },
            "subject-case" => {
                let cases = list(value);
                let lower = if always {
                    cases.iter().any(|case| case == "lower-case")
                } else {
                    cases.iter().any(|case| case == "sentence-case" || case == "upper-case")
                };
                let sentence = always && cases.iter().any(|case| case == "sentence-case");
                if lower {
                    rules.subject_case = Some((SubjectCase::Lower, source(name)));
                } else if sentence {
                    rules.subject_case = Some((SubjectCase::Sentence, source(name)));
                }
            }
            "subject-full-stop" => {
                rules.full_stop = Some((always, source(name)));
            }
            _ => {}
        }
    }
}

/// Values of a type or scope list kept at most.
const MAX_NAMES: usize = 100;
/// The longest a type or scope name may be.
const MAX_NAME_CHARACTERS: usize = 64;
/// A declared header length below this is left out.
const MIN_HEADER_MAX: usize = 20;

/// The values of a declared list that can be type or scope names (letters, digits and
/// `-_./@+*`, at most [`MAX_NAME_CHARACTERS`]), the first [`MAX_NAMES`] of them: a value
/// with spaces, line breaks or escapes would write lines of its own into a prompt or a
/// message file.
fn names(values: &[&str]) -> Vec<String> {
    values
        .iter()
        .filter(|value| {
            (1..=MAX_NAME_CHARACTERS).contains(&value.chars().count())
                && value
                    .chars()
                    .all(|character| character.is_alphanumeric() || "-_./@+*".contains(character))
        })
        .take(MAX_NAMES)
        .map(|value| value.to_string())
        .collect()
}

/// Nesting deeper than this is not a configuration: parsing it would only cost time.
const MAX_NESTING: usize = 64;

/// Refuses text nested deeper than [`MAX_NESTING`] (brackets outside quotes, or indentation
/// levels of block YAML), which the parsers would spend seconds or their stack on.
fn shallow_enough(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    // The last character outside quotes that was not a space: a quote opens a string only
    // where a value starts, as in `'don't'` but not `don't`.
    let mut previous = '\n';
    for character in text.chars() {
        match (quote, character) {
            // Over-counting a string that spans lines only refuses sooner.
            (Some(_), '\n') => (quote, escaped) = (None, false),
            (Some(_), _) if escaped => escaped = false,
            (Some('"'), '\\') => escaped = true,
            (Some(open), _) if character == open => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"')
                if matches!(previous, '\n' | '[' | '{' | ',' | ':' | '-' | '=' | '(') =>
            {
                quote = Some(character);
            }
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!("it is nested more than {MAX_NESTING} levels deep"));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if quote.is_none() && (character == '\n' || !character.is_whitespace()) {
            previous = character;
        }
    }
    let mut indents: Vec<usize> = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let indent = line.len() - line.trim_start().len();
        while indents.last().is_some_and(|last| *last >= indent) {
            indents.pop();
        }
        indents.push(indent);
        if indents.len() > MAX_NESTING {
            return Err(format!("it is nested more than {MAX_NESTING} levels deep"));
        }
    }
    Ok(())
}

static LINE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*//.*$|\s//[^'\x22\n]*$").expect("literal pattern compiles")
});
static BLOCK_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)/\*.*?\*/").expect("literal pattern compiles"));
static TRAILING_COMMA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r",(\s*[}\]])").expect("literal pattern compiles"));
static SEVERITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"RuleConfigSeverity\.(Error|Warning|Disabled)").expect("literal pattern compiles")
});

/// The object literal a configuration script exports, read as data; `Err` says why it
/// cannot be read without running it.
fn literal_object(script: &str) -> Result<Value, String> {
    let script = BLOCK_COMMENT.replace_all(script, "");
    let script = LINE_COMMENT.replace_all(&script, "");
    let start = ["module.exports", "export default", "const Configuration", "const config"]
        .iter()
        .filter_map(|marker| script.find(marker))
        .min()
        .ok_or("it exports nothing recognisable")?;
    let open = script[start..].find('{').map(|offset| start + offset).ok_or("no object literal")?;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut end = None;
    for (offset, character) in script[open..].char_indices() {
        match (quote, character) {
            (Some(open_quote), _) if character == open_quote => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(character),
            (None, '`') => return Err("it uses a template string".to_string()),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(open + offset + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let literal = &script[open..end.ok_or("its object is not closed")?];
    let literal =
        SEVERITY.replace_all(literal, |captures: &regex::Captures<'_>| match &captures[1] {
            "Error" => "2",
            "Warning" => "1",
            _ => "0",
        });
    if literal.contains("...") || literal.contains("=>") || literal.contains("require(") {
        return Err("it computes values (spread, functions or require)".to_string());
    }
    let literal = TRAILING_COMMA.replace_all(&literal, "$1");
    shallow_enough(&literal)?;
    yaml_serde::from_str::<Value>(&literal)
        .map_err(|_| "its object is not a plain literal".to_string())
}

static CLIFF_PARSER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"message\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')"#)
        .expect("literal pattern compiles")
});
static REGEX_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\^?\(?((?:[a-z]+\|?)+)\)?").expect("literal pattern compiles"));

/// git-cliff: the types its `commit_parsers` recognise, and `conventional_commits`.
fn read_cliff(text: &str, rules: &mut Rules) {
    rules.files.push("cliff.toml".to_string());
    if text.lines().any(|line| line.trim().replace(' ', "") == "conventional_commits=true") {
        rules
            .conventional
            .get_or_insert_with(|| "git-cliff conventional_commits (cliff.toml)".to_string());
    }
    let Some(start) = text.find("commit_parsers") else { return };
    let mut types: Vec<String> = Vec::new();
    for captures in CLIFF_PARSER.captures_iter(&text[start..]) {
        let pattern =
            captures.get(1).or_else(|| captures.get(2)).map_or("", |found| found.as_str());
        let Some(words) = REGEX_WORDS.captures(pattern) else { continue };
        for word in words[1].split('|').filter(|word| word.len() >= 2) {
            if KNOWN_TYPES.contains(&word) && !types.iter().any(|known| known == word) {
                types.push(word.to_string());
            }
        }
    }
    if !types.is_empty() && rules.types.is_none() {
        rules.types = Some(Allowed {
            values: types,
            source: "git-cliff commit_parsers (cliff.toml)".to_string(),
            strict: false,
        });
    }
}

/// commitizen: `cz_conventional_commits` (the default) or a customised schema.
fn read_commitizen(text: &dyn Fn(&str) -> Option<String>, rules: &mut Rules) {
    let mut found: Option<(String, String)> = None;
    for path in [".cz.toml", "cz.toml"] {
        if let Some(content) = text(path) {
            found = Some((path.to_string(), toml_section(&content, "tool.commitizen")));
            break;
        }
    }
    if found.is_none() {
        if let Some(content) = text("pyproject.toml") {
            let section = toml_section(&content, "tool.commitizen");
            if !section.is_empty() {
                found = Some(("pyproject.toml [tool.commitizen]".to_string(), section));
            }
        }
    }
    if found.is_none() {
        for path in [".czrc", ".cz.json", ".cz.yaml"] {
            if let Some(content) = text(path) {
                found = Some((path.to_string(), content));
                break;
            }
        }
    }
    let Some((path, section)) = found else { return };
    rules.files.push(path.clone());
    let custom = section.contains("cz_customize") || section.contains("schema_pattern");
    if custom {
        let types: Vec<String> = KNOWN_TYPES
            .iter()
            .filter(|name| {
                section.contains(&format!("{name}|")) || section.contains(&format!("|{name}"))
            })
            .map(|name| name.to_string())
            .collect();
        if !types.is_empty() {
            rules.types = Some(Allowed {
                values: types,
                source: format!("commitizen schema ({path})"),
                strict: true,
            });
        }
        return;
    }
    rules.conventional.get_or_insert_with(|| format!("commitizen ({path})"));
    if rules.types.as_ref().is_none_or(|types| !types.strict) {
        rules.types = Some(Allowed {
            values: COMMITIZEN_TYPES.iter().map(|name| name.to_string()).collect(),
            source: format!("commitizen cz_conventional_commits ({path})"),
            strict: true,
        });
    }
}

/// The lines of a TOML section (`[name]`, and `[name.sub]` below it), or a whole file
/// without headers.
fn toml_section(text: &str, name: &str) -> String {
    if !text.lines().any(|line| line.trim_start().starts_with('[')) {
        return text.to_string();
    }
    let mut inside = false;
    let mut section = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let header = trimmed.trim_matches(['[', ']']).trim();
            inside = header == name || header.starts_with(&format!("{name}."));
            continue;
        }
        if inside {
            section.push_str(line);
            section.push('\n');
        }
    }
    section
}

/// A guide: its start for network prompts, Conventional Commits when it says so, and the
/// types it lists.
fn read_guide(path: &str, text: &str, rules: &mut Rules) {
    rules.files.push(path.to_string());
    let excerpt: String = text.chars().take(GUIDE_EXCERPT_CHARACTERS).collect();
    rules.guide = Some((path.to_string(), excerpt.trim().to_string()));
    if text.to_lowercase().contains("conventional commits") {
        rules.conventional.get_or_insert_with(|| format!("the guide {path}"));
    }
    static LISTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*[-*|]\s*(?:\*\*|`)?([a-z]+)(?:\*\*|`)?\s*[:|–-]")
            .expect("literal pattern compiles")
    });
    let mut types: Vec<String> = Vec::new();
    for captures in LISTED.captures_iter(text) {
        let word = captures[1].to_string();
        if KNOWN_TYPES.contains(&word.as_str()) && !types.contains(&word) {
            types.push(word);
        }
    }
    if types.len() >= 3 && rules.types.is_none() {
        rules.types =
            Some(Allowed { values: types, source: format!("the guide {path}"), strict: false });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(files: &[(&str, &str)]) -> Rules {
        let files: Vec<(String, String)> =
            files.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect();
        read(
            &|path| {
                files
                    .iter()
                    .find(|(name, _)| name == path)
                    .map(|(_, text)| text.clone().into_bytes())
            },
            None,
        )
    }

    #[test]
    fn commitlint_json_and_extends() {
        let rules = rules_of(&[(
            ".commitlintrc.json",
            r#"{"extends": ["@commitlint/config-conventional"], "rules": {"scope-enum": [2, "always", ["api", "cli"]], "header-max-length": [2, "always", 60]}}"#,
        )]);
        assert!(rules.conventional());
        assert!(rules
            .types
            .as_ref()
            .is_some_and(|types| types.values.contains(&"feat".to_string())));
        assert_eq!(
            rules.scopes.map(|scopes| scopes.values),
            Some(vec!["api".to_string(), "cli".to_string()])
        );
        assert_eq!(rules.header_max.map(|(length, _)| length), Some(60));
        assert_eq!(rules.subject_case.map(|(case, _)| case), Some(SubjectCase::Lower));
    }

    #[test]
    fn commitlint_scripts_are_read_only_when_literal() {
        let literal = rules_of(&[(
            "commitlint.config.js",
            "// config\nmodule.exports = {\n  extends: ['@commitlint/config-conventional'],\n  rules: {\n    'type-enum': [2, 'always', ['feat', 'fix', 'chore',]], // ours\n  },\n};\n",
        )]);
        assert_eq!(literal.types.map(|types| types.values.len()), Some(3));
        let computed = rules_of(&[(
            "commitlint.config.js",
            "const base = require('./base');\nmodule.exports = { ...base, rules: {} };\n",
        )]);
        assert!(computed.types.is_none());
        assert_eq!(computed.skipped.len(), 1, "{:?}", computed.skipped);
        let typed = rules_of(&[(
            "commitlint.config.ts",
            "import { RuleConfigSeverity } from '@commitlint/types';\nexport default {\n  rules: { 'type-enum': [RuleConfigSeverity.Error, 'always', ['feat', 'fix']] },\n};\n",
        )]);
        assert_eq!(
            typed.types.map(|types| types.values),
            Some(vec!["feat".to_string(), "fix".to_string()])
        );
    }

    #[test]
    fn package_json_cliff_commitizen_and_guides() {
        let package = rules_of(&[(
            "package.json",
            r#"{"name": "x", "commitlint": {"rules": {"type-enum": [2, "always", ["add", "fix"]]}}}"#,
        )]);
        assert_eq!(
            package.types.map(|types| types.values),
            Some(vec!["add".to_string(), "fix".to_string()])
        );
        let cliff = rules_of(&[(
            "cliff.toml",
            "[git]\nconventional_commits = true\ncommit_parsers = [\n  { message = \"^feat\", group = \"Features\" },\n  { message = \"^fix\", group = \"Fixes\" },\n  { message = \"^(chore|ci)\", group = \"Misc\" },\n  { message = \".*\", group = \"Other\" },\n]\n",
        )]);
        assert!(cliff.conventional());
        let types = cliff.types.expect("types");
        assert_eq!(types.values, ["feat", "fix", "chore", "ci"]);
        assert!(!types.strict);
        let commitizen = rules_of(&[("pyproject.toml", "[project]\nname = \"x\"\n[tool.commitizen]\nname = \"cz_conventional_commits\"\nversion = \"1.0\"\n")]);
        assert!(commitizen.types.is_some_and(|types| types.values.contains(&"bump".to_string())));
        let guide = rules_of(&[("COMMITS.md", "# Commits\nWe use Conventional Commits.\n- `feat`: a feature\n- `fix`: a fix\n- `docs`: docs\n")]);
        assert!(guide.conventional());
        assert_eq!(guide.types.map(|types| types.values.len()), Some(3));
        assert!(rules_of(&[]).files.is_empty());
    }
}
