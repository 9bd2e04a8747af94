//! Reading dependency manifests (`Cargo.toml`, `package.json`, `go.mod`, `pyproject.toml`,
//! `requirements.txt`, `Gemfile`...): which dependencies a patch adds, removes or bumps,
//! whether it changes the package's own version, and whether anything else changed.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::paths;

/// One dependency whose entry changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DependencyChange {
    /// The package name as the manifest spells it.
    pub(super) name: String,
    /// The requirement before, `None` when the dependency is new.
    pub(super) old: Option<String>,
    /// The requirement after, `None` when the dependency is gone.
    pub(super) new: Option<String>,
}

/// What a manifest's patch changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ManifestFacts {
    /// Dependencies added, removed or with a new requirement, sorted by name.
    pub(super) dependencies: Vec<DependencyChange>,
    /// The package's own version, before and after.
    pub(super) version: Option<(String, String)>,
    /// Changed lines that are neither dependencies nor the version (features, scripts...).
    pub(super) other_lines: usize,
}

impl ManifestFacts {
    /// True when the patch changes dependencies and nothing else.
    pub(super) fn dependencies_only(&self) -> bool {
        !self.dependencies.is_empty() && self.version.is_none() && self.other_lines == 0
    }

    /// True when the patch changes the package version and nothing else.
    pub(super) fn version_only(&self) -> bool {
        self.version.is_some() && self.dependencies.is_empty() && self.other_lines == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// The manifest syntaxes we read.
enum Format {
    /// `Cargo.toml`, `pyproject.toml`, `Pipfile`.
    Toml,
    /// `package.json`, `composer.json`.
    Json,
    /// `go.mod`.
    GoModule,
    /// pip's `requirements*.txt` and `constraints.txt`.
    Requirements,
    /// Bundler's `Gemfile`.
    Gemfile,
}

impl Format {
    /// The format of a manifest, from its file name.
    fn for_path(path: &str) -> Option<Format> {
        let name = paths::file_name(path).to_lowercase();
        match name.as_str() {
            "cargo.toml" | "pyproject.toml" | "pipfile" => Some(Format::Toml),
            "package.json" | "composer.json" => Some(Format::Json),
            "go.mod" => Some(Format::GoModule),
            "gemfile" => Some(Format::Gemfile),
            "constraints.txt" => Some(Format::Requirements),
            _ if name.starts_with("requirements") && name.ends_with(".txt") => {
                Some(Format::Requirements)
            }
            _ => None,
        }
    }
}

/// What one changed manifest line is.
enum Entry {
    /// A dependency and its requirement (empty when the line gives none).
    Dependency {
        /// The package name.
        name: String,
        /// The version requirement as written.
        requirement: String,
    },
    /// The package's own version.
    PackageVersion(String),
    /// Punctuation, section headers, comments: carries no meaning of its own.
    Structure,
    /// Anything else: settings, scripts, features.
    Other,
}

/// Keys that sit next to dependencies in manifests but are not packages.
const NOT_DEPENDENCIES: &[&str] = &[
    "name",
    "edition",
    "rust-version",
    "description",
    "license",
    "readme",
    "repository",
    "homepage",
    "documentation",
    "resolver",
    "build",
    "links",
    "default-run",
    "publish",
    "main",
    "module",
    "types",
    "type",
    "private",
    "packageManager",
    "requires-python",
    "python_version",
    "node",
    "npm",
    "python",
];

// The patterns below are literals covered by the unit tests, so `expect` cannot fire.

/// `name = value` in TOML.
static TOML_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^"?(?P<name>[A-Za-z0-9_@][\w.\-/@]*)"?\s*=\s*(?P<value>.+)$"#)
        .expect("literal pattern compiles")
});
/// `version = "..."` inside an inline table.
static TOML_TABLE_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)version\s*=\s*"(?P<version>[^"]*)""#).expect("literal pattern compiles")
});
/// `"name": "value"` in JSON.
static JSON_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^"(?P<name>[^"]+)"\s*:\s*"(?P<value>[^"]*)"\s*,?$"#)
        .expect("literal pattern compiles")
});
/// A PEP 508 requirement, bare or quoted: `requests>=2.31`.
static PYTHON_REQUIREMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r##"^"?(?P<name>[A-Za-z0-9][\w.\-]*)(?:\[[^\]]*\])?\s*(?:(?:===|==|>=|<=|~=|!=|>|<)\s*(?P<version>[^\s",;#]+))?[^"#]*"?\s*,?\s*(?:#.*)?$"##,
    )
    .expect("literal pattern compiles")
});
/// A `go.mod` requirement: `module/path v1.2.3`.
static GO_REQUIREMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:require\s+)?(?P<name>[\w.\-~]+(?:/[\w.\-~]+)+)\s+(?P<version>v\d\S*)")
        .expect("literal pattern compiles")
});
/// A Gemfile line: `gem "rails", "~> 7.1"`.
static GEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^gem\s+['"](?P<name>[^'"]+)['"](?:\s*,\s*['"](?P<version>[^'"]+)['"])?"#)
        .expect("literal pattern compiles")
});

/// Reads a manifest's patch; `None` when the path is not a manifest we understand.
pub(super) fn analyze(path: &str, patch: &str) -> Option<ManifestFacts> {
    let format = Format::for_path(path)?;
    // For each name: (requirement on removed lines, requirement on added lines).
    let mut entries: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    let mut old_version = None;
    let mut new_version = None;
    let mut other_lines = 0;
    let mut section: Option<&str> = None;
    for line in patch.lines() {
        if line.starts_with("@@") {
            section = None;
            continue;
        }
        let (is_added, content) = match line.as_bytes().first() {
            Some(b'+') => (true, &line[1..]),
            Some(b'-') => (false, &line[1..]),
            Some(b' ') => {
                let trimmed = line[1..].trim();
                if format == Format::Toml && trimmed.starts_with('[') {
                    section = Some(trimmed.trim_matches(['[', ']']).trim());
                }
                continue;
            }
            _ => continue,
        };
        let trimmed = content.trim();
        if format == Format::Toml && trimmed.starts_with('[') && !trimmed.starts_with("[\"") {
            section = Some(trimmed.trim_matches(['[', ']']).trim());
            continue;
        }
        match parse_line(format, section, trimmed) {
            Entry::Dependency { name, requirement } => {
                let sides = entries.entry(name).or_default();
                if is_added {
                    sides.1 = Some(requirement);
                } else {
                    sides.0 = Some(requirement);
                }
            }
            Entry::PackageVersion(version) => {
                if is_added {
                    new_version = Some(version);
                } else {
                    old_version = Some(version);
                }
            }
            Entry::Structure => {}
            Entry::Other => other_lines += 1,
        }
    }
    let dependencies = entries
        .into_iter()
        // The same requirement on both sides is a reformatting (a trailing comma, a move).
        .filter(|(_, (old, new))| old != new)
        .map(|(name, (old, new))| DependencyChange { name, old, new })
        .collect();
    let version = match (old_version, new_version) {
        (Some(old), Some(new)) if old != new => Some((old, new)),
        (None, None) => None,
        // A version on one side only is a structural change we do not understand.
        (old, new) => {
            if old != new {
                other_lines += 1;
            }
            None
        }
    };
    Some(ManifestFacts { dependencies, version, other_lines })
}

/// Classifies one changed manifest line; `section` is the TOML table it sits in, if seen.
fn parse_line(format: Format, section: Option<&str>, trimmed: &str) -> Entry {
    if trimmed.is_empty()
        || trimmed.starts_with('#')
        || trimmed.starts_with("//")
        || trimmed
            .chars()
            .all(|character| matches!(character, '{' | '}' | '[' | ']' | '(' | ')' | ','))
    {
        return Entry::Structure;
    }
    match format {
        Format::Toml => parse_toml(section, trimmed),
        Format::Json => parse_json(trimmed),
        Format::GoModule => {
            if trimmed.ends_with('(') {
                return Entry::Structure;
            }
            match GO_REQUIREMENT.captures(trimmed) {
                Some(captures) => dependency(&captures["name"], &captures["version"]),
                None => Entry::Other,
            }
        }
        Format::Requirements => {
            if trimmed.starts_with('-') {
                return Entry::Other;
            }
            match PYTHON_REQUIREMENT.captures(trimmed) {
                Some(captures) => dependency(
                    &captures["name"],
                    captures.name("version").map_or("", |version| version.as_str()),
                ),
                None => Entry::Other,
            }
        }
        Format::Gemfile => {
            if trimmed == "end" || trimmed.ends_with(" do") || trimmed.starts_with("source ") {
                return Entry::Structure;
            }
            match GEM.captures(trimmed) {
                Some(captures) => dependency(
                    &captures["name"],
                    captures.name("version").map_or("", |version| version.as_str()),
                ),
                None => Entry::Other,
            }
        }
    }
}

fn parse_toml(section: Option<&str>, trimmed: &str) -> Entry {
    let section_lower = section.map(str::to_lowercase);
    let is_package_section = matches!(
        section_lower.as_deref(),
        Some("package" | "project" | "workspace.package" | "tool.poetry")
    );
    // A dependency written as its own table: `[dependencies.serde]` then `version = "1"`.
    let table_dependency = section.and_then(|section| {
        let (table, name) = section.rsplit_once('.')?;
        table.ends_with("dependencies").then_some(name)
    });
    let is_dependency_section = section_lower
        .as_deref()
        .is_none_or(|section| section.ends_with("dependencies") || section.ends_with("packages"));
    // Array items in `dependencies = [...]` (pyproject): `"requests>=2.31",`.
    let is_array_item = trimmed.strip_prefix('"').is_some_and(|rest| {
        rest.split_once('"')
            .is_some_and(|(_, after)| after.trim().is_empty() || after.trim() == ",")
    });
    if is_array_item {
        if let Some(captures) = PYTHON_REQUIREMENT.captures(trimmed) {
            return dependency(
                &captures["name"],
                captures.name("version").map_or("", |version| version.as_str()),
            );
        }
        return Entry::Other;
    }
    if trimmed.ends_with('[') || trimmed.ends_with('{') {
        return Entry::Structure;
    }
    let Some(captures) = TOML_ENTRY.captures(trimmed) else {
        return Entry::Other;
    };
    let name = &captures["name"];
    let value = captures["value"].trim();
    if name == "version" {
        // As TOML reads it: the quoted string, without a comment after it.
        let version = toml_string(value);
        return match table_dependency {
            Some(dependency_name) => dependency(dependency_name, version),
            None if is_package_section || section.is_none() => {
                Entry::PackageVersion(version.to_owned())
            }
            None => Entry::Other,
        };
    }
    if !is_dependency_section || NOT_DEPENDENCIES.contains(&name) {
        return Entry::Other;
    }
    if let Some(quoted) = value.strip_prefix('"') {
        let requirement = quoted.split('"').next().unwrap_or("");
        return if is_version_like(requirement) {
            dependency(name, requirement)
        } else {
            Entry::Other
        };
    }
    if value.starts_with('{') {
        let requirement = TOML_TABLE_VERSION
            .captures(value)
            .map_or("", |captures| captures.name("version").map_or("", |m| m.as_str()));
        return dependency(name, requirement);
    }
    Entry::Other
}

/// A TOML value as a string: the text inside its quotes (`"1.2"  # pinned` is `1.2`), else the
/// bare value up to a comment.
fn toml_string(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or("");
        }
    }
    value.split('#').next().unwrap_or("").trim()
}

/// Dependencies whose locked version a lock file's patch changes: `Cargo.lock`, `poetry.lock`
/// and `uv.lock` (`name = ...` then `version = ...`), `package-lock.json`
/// (`"node_modules/name": {` then `"version": ...`), `go.sum` and `yarn.lock`.
pub(super) fn analyze_lock(path: &str, patch: &str) -> Vec<DependencyChange> {
    let name = paths::file_name(path).to_ascii_lowercase();
    // For each package: (old versions, new versions) in order of appearance.
    let mut seen: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut record = |package: &str, version: &str, added: bool| {
        let entry = seen.entry(package.to_owned()).or_insert_with(|| {
            order.push(package.to_owned());
            (Vec::new(), Vec::new())
        });
        let side = if added { &mut entry.1 } else { &mut entry.0 };
        if !side.iter().any(|known| known == version) {
            side.push(version.to_owned());
        }
    };
    let mut current: Option<String> = None;
    for line in patch.lines() {
        let (sign, content) = match line.as_bytes().first() {
            Some(b'+') => (Some(true), &line[1..]),
            Some(b'-') => (Some(false), &line[1..]),
            Some(b' ') => (None, &line[1..]),
            _ => continue,
        };
        let trimmed = content.trim();
        match name.as_str() {
            "go.sum" => {
                let mut parts = trimmed.split_whitespace();
                if let (Some(module), Some(version), Some(added)) =
                    (parts.next(), parts.next(), sign)
                {
                    let version = version.trim_end_matches("/go.mod");
                    record(module, version, added);
                }
            }
            "package-lock.json" => {
                if let Some(rest) = trimmed.strip_prefix("\"node_modules/") {
                    current = rest.split('"').next().map(|package| {
                        package.rsplit("node_modules/").next().unwrap_or(package).to_owned()
                    });
                } else if let (Some(added), Some(package)) = (sign, &current) {
                    if let Some(version) = trimmed.strip_prefix("\"version\": \"") {
                        record(package, version.trim_end_matches([',', '"']), added);
                    }
                }
            }
            "yarn.lock" => {
                if !content.starts_with(' ') && trimmed.ends_with(':') {
                    let first = trimmed.trim_end_matches(':').split(',').next().unwrap_or("");
                    let first = first.trim().trim_matches('"');
                    current = first.rsplit_once('@').map(|(package, _)| package.to_owned());
                } else if let (Some(added), Some(package)) = (sign, &current) {
                    if let Some(version) = trimmed.strip_prefix("version ") {
                        record(package, version.trim_matches('"'), added);
                    }
                }
            }
            _ => {
                if trimmed == "[[package]]" {
                    current = None;
                } else if let Some(value) = trimmed.strip_prefix("name = ") {
                    current = Some(toml_string(value).to_owned());
                } else if let (Some(added), Some(package), Some(value)) =
                    (sign, &current, trimmed.strip_prefix("version = "))
                {
                    record(package, toml_string(value), added);
                }
            }
        }
    }
    order
        .into_iter()
        .filter_map(|package| {
            let (old, new) = seen.remove(&package)?;
            // A package locked at several versions is not one bump; nor is a line that moved.
            if old.len() > 1 || new.len() > 1 || old == new {
                return None;
            }
            Some(DependencyChange {
                name: package,
                old: old.into_iter().next(),
                new: new.into_iter().next(),
            })
        })
        .collect()
}

static VERSION_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[~^<>=!]*v?\d+(?:\.[0-9A-Za-z-]+)+|\b[0-9a-f]{7,64}\b")
        .expect("literal pattern compiles")
});

/// Changed lines that only move a version, a hash or a range: an added line equal to a
/// removed one once those are masked. Both lines of each pair are counted.
pub(crate) fn bump_lines(patch: &str) -> usize {
    let mut removed: BTreeMap<String, usize> = BTreeMap::new();
    let mut added = Vec::new();
    for line in patch.lines() {
        let (is_added, content) = match line.as_bytes().first() {
            Some(b'+') => (true, &line[1..]),
            Some(b'-') => (false, &line[1..]),
            _ => continue,
        };
        if !VERSION_LIKE.is_match(content) {
            continue;
        }
        let masked = VERSION_LIKE.replace_all(content.trim(), "#").into_owned();
        if is_added {
            added.push(masked);
        } else {
            *removed.entry(masked).or_default() += 1;
        }
    }
    let mut pairs = 0;
    for masked in added {
        if let Some(count) = removed.get_mut(&masked).filter(|count| **count > 0) {
            *count -= 1;
            pairs += 1;
        }
    }
    pairs * 2
}

fn parse_json(trimmed: &str) -> Entry {
    if trimmed.ends_with('{') || trimmed.ends_with('[') {
        return Entry::Structure;
    }
    let Some(captures) = JSON_ENTRY.captures(trimmed) else {
        return Entry::Other;
    };
    let (name, value) = (&captures["name"], &captures["value"]);
    if name == "version" {
        return Entry::PackageVersion(value.to_owned());
    }
    if NOT_DEPENDENCIES.contains(&name) || !is_version_like(value) {
        return Entry::Other;
    }
    dependency(name, value)
}

fn dependency(name: &str, requirement: &str) -> Entry {
    Entry::Dependency { name: name.to_owned(), requirement: requirement.to_owned() }
}

/// True for `1.2`, `^1.2.3`, `~> 4`, `>=2`, `*`, `latest`, `workspace:*`: values that can
/// be a requirement, as opposed to script commands or descriptions.
fn is_version_like(value: &str) -> bool {
    let value = value.trim();
    value == "*"
        || value == "latest"
        || value.starts_with("workspace:")
        || value.starts_with("npm:")
        || value
            .trim_start_matches(['^', '~', '<', '>', '=', '!', ' ', 'v'])
            .starts_with(|character: char| character.is_ascii_digit())
}

/// A requirement as shown to readers: without `^`, `~`, `=` and spaces in front.
pub(super) fn display_requirement(requirement: &str) -> &str {
    requirement.trim_start_matches(['^', '~', '=', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_bump_add_and_remove() {
        let facts = analyze(
            "Cargo.toml",
            "@@ -10,4 +10,4 @@ license = \"MIT\"\n [dependencies]\n-serde = \"1.0.1\"\n+serde = \"1.0.200\"\n+tokio = { version = \"1.37\", features = [\"full\"] }\n-old-crate = \"0.3\"\n",
        );
        let facts = facts.unwrap_or_default();
        assert!(facts.dependencies_only(), "{facts:?}");
        let summary: Vec<(&str, Option<&str>, Option<&str>)> = facts
            .dependencies
            .iter()
            .map(|change| (change.name.as_str(), change.old.as_deref(), change.new.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("old-crate", Some("0.3"), None),
                ("serde", Some("1.0.1"), Some("1.0.200")),
                ("tokio", None, Some("1.37")),
            ]
        );
    }

    #[test]
    fn cargo_profile_change_is_not_a_dependency_change() {
        let facts = analyze(
            "Cargo.toml",
            "@@ -1,3 +1,3 @@\n [profile.release]\n-lto = \"fat\"\n+lto = \"thin\"\n",
        )
        .unwrap_or_default();
        assert!(!facts.dependencies_only());
        assert_eq!(facts.other_lines, 2);
    }

    #[test]
    fn package_version_bump() {
        let facts = analyze(
            "package.json",
            "@@ -1,4 +1,4 @@\n {\n   \"name\": \"web\",\n-  \"version\": \"1.2.0\",\n+  \"version\": \"1.3.0\",\n",
        )
        .unwrap_or_default();
        assert!(facts.version_only());
        assert_eq!(facts.version, Some(("1.2.0".into(), "1.3.0".into())));
    }

    #[test]
    fn versions_are_read_as_toml_reads_them() {
        let facts = analyze(
            "Cargo.toml",
            "@@ -1,3 +1,3 @@\n [package]\n-version = \"0.4.31\"  #:version\n+version = \"0.4.32\"  #:version\n",
        )
        .unwrap_or_default();
        assert_eq!(facts.version, Some(("0.4.31".into(), "0.4.32".into())));
    }

    #[test]
    fn lock_files_name_the_exact_versions() {
        let cargo = "@@ -10,8 +10,8 @@\n [[package]]\n name = \"jiff\"\n-version = \"0.2.27\"\n+version = \"0.2.29\"\n source = \"registry\"\n-checksum = \"aa11bb22cc33dd44\"\n+checksum = \"ee55ff66aa77bb88\"\n";
        let bumps = analyze_lock("Cargo.lock", cargo);
        assert_eq!(
            bumps,
            [DependencyChange {
                name: "jiff".into(),
                old: Some("0.2.27".into()),
                new: Some("0.2.29".into())
            }]
        );
        let npm = "@@ -1,4 +1,4 @@\n     \"node_modules/vite\": {\n-      \"version\": \"5.0.1\",\n+      \"version\": \"5.0.2\",\n";
        assert_eq!(analyze_lock("package-lock.json", npm)[0].new.as_deref(), Some("5.0.2"));
        assert_eq!(bump_lines(cargo), 4, "the version and the checksum lines");
        assert_eq!(bump_lines("@@ -1 +1 @@\n-let x = 1;\n+let y = 2;\n"), 0);
    }

    #[test]
    fn other_formats() {
        let go = analyze(
            "go.mod",
            "@@ -3,3 +3,3 @@ go 1.22\n require (\n-\tgolang.org/x/sys v0.19.0 // indirect\n+\tgolang.org/x/sys v0.20.0 // indirect\n",
        )
        .unwrap_or_default();
        assert_eq!(go.dependencies[0].new.as_deref(), Some("v0.20.0"));
        let requirements =
            analyze("requirements.txt", "@@ -1 +1,2 @@\n requests==2.31.0\n+rich>=13\n")
                .unwrap_or_default();
        assert_eq!(requirements.dependencies[0].name, "rich");
        let scripts = analyze(
            "package.json",
            "@@ -5 +5 @@\n-    \"build\": \"tsc\",\n+    \"build\": \"tsc -b\",\n",
        )
        .unwrap_or_default();
        assert!(!scripts.dependencies_only());
    }
}
