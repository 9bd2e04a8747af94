//! Recognising definitions (functions, types, modules, headings...) on single lines of code,
//! one compiled regular expression per language family.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{CaptureLocations, Regex};

use super::paths;

/// What sort of thing a definition line introduces; the order ranks names for subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    /// A struct, class, enum, trait, interface or type alias.
    Type,
    /// A function or method.
    Function,
    /// A macro.
    Macro,
    /// A module or namespace.
    Module,
    /// A trait implementation or an inherent `impl` block (Rust).
    Implementation,
    /// A constant, static or preprocessor definition.
    Constant,
    /// A heading in prose.
    Heading,
}

impl Kind {
    /// The noun for one definition of this kind, with its plural.
    pub(super) fn nouns(self) -> (&'static str, &'static str) {
        match self {
            Kind::Type => ("type", "types"),
            Kind::Function => ("function", "functions"),
            Kind::Macro => ("macro", "macros"),
            Kind::Module => ("module", "modules"),
            Kind::Implementation => ("implementation", "implementations"),
            Kind::Constant => ("constant", "constants"),
            Kind::Heading => ("section", "sections"),
        }
    }

    /// True for definitions whose appearance makes a change a feature.
    pub(super) fn is_feature_worthy(self) -> bool {
        matches!(
            self,
            Kind::Type | Kind::Function | Kind::Macro | Kind::Module | Kind::Implementation
        )
    }

    /// True for definitions that own the functions nested in them (methods).
    pub(super) fn owns_methods(self) -> bool {
        matches!(self, Kind::Type | Kind::Implementation)
    }
}

/// A family of languages sharing definition patterns and comment syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Language {
    /// Rust.
    Rust,
    /// Python.
    Python,
    /// JavaScript and TypeScript, including Vue and Svelte files.
    JavaScript,
    /// Go.
    Go,
    /// Java, Kotlin, C#, Scala, Groovy, Swift, Dart, PHP.
    Java,
    /// C, C++, Objective-C.
    C,
    /// Ruby.
    Ruby,
    /// POSIX shells, Bash and Zsh.
    Shell,
    /// Markdown: definitions are headings.
    Markdown,
    /// AsciiDoc: definitions are headings.
    AsciiDoc,
    /// Other programming languages: a loose, keyword-based pattern set.
    Generic,
    /// Data and configuration: no definitions.
    Data,
}

/// How a language writes line comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CommentStyle {
    /// `//`, `/*`, ` *`.
    Slashes,
    /// `#`.
    Hash,
    /// `--`.
    Dashes,
    /// No comments we can recognise.
    None,
}

impl Language {
    /// Picks the language family from a path's extension.
    pub(super) fn for_path(path: &str) -> Language {
        let name = paths::file_name(path).to_ascii_lowercase();
        match paths::extension(&name) {
            "rs" => Language::Rust,
            "py" | "pyi" | "pyx" => Language::Python,
            "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte" => {
                Language::JavaScript
            }
            "go" => Language::Go,
            "java" | "kt" | "kts" | "scala" | "groovy" | "cs" | "swift" | "dart" | "php" => {
                Language::Java
            }
            "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" | "ipp" | "m" | "mm" => {
                Language::C
            }
            "rb" | "rake" | "gemspec" => Language::Ruby,
            "sh" | "bash" | "zsh" | "ksh" => Language::Shell,
            "md" | "markdown" | "mdx" => Language::Markdown,
            "adoc" | "asciidoc" => Language::AsciiDoc,
            "lua" | "ex" | "exs" | "erl" | "hs" | "ml" | "jl" | "zig" | "nim" | "cr" | "pl"
            | "pm" | "fish" | "ps1" | "psm1" | "r" | "el" | "clj" | "elm" | "fs" | "sol" => {
                Language::Generic
            }
            _ => Language::Data,
        }
    }

    /// How the language writes comments, from the path's extension.
    pub(super) fn comment_style(path: &str) -> CommentStyle {
        let name = paths::file_name(path).to_ascii_lowercase();
        match paths::extension(&name) {
            "rs" | "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "go" | "java"
            | "kt" | "kts" | "scala" | "groovy" | "cs" | "swift" | "dart" | "php" | "c" | "h"
            | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" | "m" | "mm" | "css" | "scss"
            | "less" | "proto" | "zig" | "sol" | "v" | "sv" | "fs" => CommentStyle::Slashes,
            "py" | "pyi" | "rb" | "sh" | "bash" | "zsh" | "fish" | "pl" | "pm" | "r" | "ex"
            | "exs" | "nim" | "cr" | "jl" | "toml" | "yaml" | "yml" | "cmake" | "tf" | "ps1"
            | "ini" | "cfg" | "conf" | "properties" => CommentStyle::Hash,
            "lua" | "sql" | "hs" | "elm" => CommentStyle::Dashes,
            _ => match name.as_str() {
                "makefile" | "dockerfile" | "gemfile" | "rakefile" | "justfile" | ".gitignore"
                | ".gitattributes" | ".editorconfig" => CommentStyle::Hash,
                _ => CommentStyle::None,
            },
        }
    }

    /// True for prose formats, whose definitions are headings.
    pub(super) fn is_prose(self) -> bool {
        matches!(self, Language::Markdown | Language::AsciiDoc)
    }

    /// The separator between an owner type and its method in a qualified name.
    pub(super) fn path_separator(self) -> &'static str {
        match self {
            Language::Rust | Language::C => "::",
            _ => ".",
        }
    }

    /// True when a definition's own name says it is a test (`test_parse`, `TestParse`...).
    pub(super) fn is_test_name(self, name: &str) -> bool {
        let last = name.rsplit(['.', ':']).next().unwrap_or(name);
        match self {
            Language::Python => last.starts_with("test_") || last.starts_with("Test"),
            Language::Go => ["Test", "Benchmark", "Fuzz", "Example"].iter().any(|prefix| {
                last.strip_prefix(prefix).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with(|c: char| c.is_uppercase() || c == '_')
                })
            }),
            Language::Rust | Language::Ruby => last.starts_with("test_"),
            Language::Java => last.starts_with("test") && last.len() > 4,
            _ => false,
        }
    }

    /// The compiled patterns of this language, `None` for data files.
    fn patterns(self) -> Option<&'static Patterns> {
        let patterns: &'static LazyLock<Patterns> = match self {
            Language::Rust => &RUST,
            Language::Python => &PYTHON,
            Language::JavaScript => &JAVASCRIPT,
            Language::Go => &GO,
            Language::Java => &JAVA,
            Language::C => &C,
            Language::Ruby => &RUBY,
            Language::Shell => &SHELL,
            Language::Markdown => &MARKDOWN,
            Language::AsciiDoc => &ASCIIDOC,
            Language::Generic => &GENERIC,
            Language::Data => return None,
        };
        Some(patterns)
    }
}

/// A definition found on one line, its name borrowed from the line when possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineDefinition<'a> {
    /// What the line introduces.
    pub(super) kind: Kind,
    /// The defined name as written (for trait implementations: `Trait for Type`).
    pub(super) name: Cow<'a, str>,
    /// For a Go method, the receiver type; for a Rust implementation, the implementing type.
    pub(super) owner: Option<Cow<'a, str>>,
    /// Nesting depth: indentation width for code, heading level for prose.
    pub(super) depth: usize,
    /// An inherent Rust `impl Type` block: a container for methods, not a new definition.
    pub(super) is_container_only: bool,
}

/// Finds definitions on lines of one language, reusing capture buffers between lines.
pub(super) struct Matcher {
    language: Language,
    patterns: Option<&'static Patterns>,
    /// One capture buffer per pattern of the language.
    locations: Vec<CaptureLocations>,
}

impl Matcher {
    /// Prepares a matcher for one file's language.
    pub(super) fn new(language: Language) -> Matcher {
        let patterns = language.patterns();
        Matcher {
            language,
            patterns,
            locations: patterns.map_or_else(Vec::new, |patterns| {
                patterns.each.iter().map(|pattern| pattern.regex.capture_locations()).collect()
            }),
        }
    }

    /// The language this matcher reads.
    pub(super) fn language(&self) -> Language {
        self.language
    }

    /// The definition a line of code or prose introduces, if any.
    pub(super) fn find<'a>(&mut self, line: &'a str) -> Option<LineDefinition<'a>> {
        let patterns = self.patterns?;
        // Most lines are not definitions: a cheap first-character test skips them before
        // the regular expression runs (blank lines and lines that start with punctuation).
        let first = line.trim_start().chars().next()?;
        if !(first.is_alphabetic() || first == '#' || first == '=' || first == '_' || first == '@')
        {
            return None;
        }
        if !patterns.any.is_match(line) {
            return None;
        }
        // Leftmost-first, like the alternation: the first pattern that matches decides.
        let (kind, start, end) = patterns.each.iter().zip(self.locations.iter_mut()).find_map(
            |(pattern, locations)| {
                pattern.regex.captures_read(locations, line)?;
                let (start, end) = locations.get(pattern.name_group)?;
                Some((pattern.kind, start, end))
            },
        )?;
        let raw_name = line[start..end].trim();
        // Keywords only slip through the loose method patterns of C-like languages.
        let loose = matches!(
            self.language,
            Language::JavaScript | Language::Java | Language::C | Language::Generic
        );
        if raw_name.is_empty() || (loose && KEYWORDS.contains(&raw_name)) {
            return None;
        }
        let depth = if self.language.is_prose() { heading_level(line) } else { indentation(line) };
        let mut definition = LineDefinition {
            kind,
            name: Cow::Borrowed(raw_name),
            owner: None,
            depth,
            is_container_only: false,
        };
        match (self.language, kind) {
            (Language::Rust, Kind::Implementation) => {
                let (name, owner, inherent) = implementation_name(raw_name)?;
                definition.name = Cow::Owned(name);
                definition.owner = Some(Cow::Owned(owner));
                definition.is_container_only = inherent;
            }
            (Language::Go, Kind::Function) => {
                definition.owner = go_receiver(line).map(Cow::Borrowed);
            }
            _ => {}
        }
        Some(definition)
    }
}

/// Words that method-like patterns can capture but that are control flow, not names.
const KEYWORDS: &[&str] = &[
    "if",
    "else",
    "for",
    "while",
    "switch",
    "match",
    "catch",
    "return",
    "do",
    "try",
    "with",
    "function",
    "sizeof",
    "typeof",
    "throw",
    "case",
    "await",
    "yield",
    "elif",
    "unless",
    "until",
    "foreach",
    "using",
    "lock",
    "fixed",
    "synchronized",
];

/// Leading whitespace width, a tab counting as four columns.
pub(super) fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|character| character.is_whitespace())
        .map(|character| if character == '\t' { 4 } else { 1 })
        .sum()
}

/// The number of `#` (Markdown) or `=` (AsciiDoc) signs a heading starts with.
fn heading_level(line: &str) -> usize {
    let trimmed = line.trim_start();
    trimmed.chars().take_while(|character| *character == '#' || *character == '=').count()
}

/// Turns the text after `impl` into `Trait for Type` (or `Type`), dropping generics,
/// paths and `where` clauses; returns the name, the implementing type and whether the block
/// is inherent.
fn implementation_name(text: &str) -> Option<(String, String, bool)> {
    let mut without_generics = String::with_capacity(text.len());
    let mut depth = 0usize;
    for character in text.chars() {
        match character {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 => without_generics.push(character),
            _ => {}
        }
    }
    let head = match without_generics.find(" where") {
        Some(position) => &without_generics[..position],
        None => without_generics.as_str(),
    };
    let head = head.trim().trim_end_matches('{').trim();
    let last_segment = |path: &str| -> String {
        let path = path.trim().trim_start_matches(['&', '!']);
        path.rsplit("::").next().unwrap_or(path).trim().to_owned()
    };
    match head.split_once(" for ") {
        Some((trait_name, type_name)) => {
            let (trait_name, type_name) = (last_segment(trait_name), last_segment(type_name));
            if trait_name.is_empty() || type_name.is_empty() {
                return None;
            }
            Some((format!("{trait_name} for {type_name}"), type_name, false))
        }
        None => {
            let type_name = last_segment(head);
            if type_name.is_empty() || type_name.contains(char::is_whitespace) {
                return None;
            }
            Some((type_name.clone(), type_name, true))
        }
    }
}

/// The receiver type of a Go method line: `func (r *Repo) Load()` gives `Repo`.
fn go_receiver(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("func")?.trim_start();
    let inside = rest.strip_prefix('(')?;
    let receiver = &inside[..inside.find(')')?];
    let type_text = receiver.split_whitespace().last()?.trim_start_matches('*');
    let type_text = type_text.split('[').next().unwrap_or(type_text);
    (!type_text.is_empty()).then_some(type_text)
}

/// One language's patterns: all of them as one alternation without captures, which rejects
/// most lines in a single fast scan, and each alone with its `name` group, tried in order on
/// the few lines that pass. Capturing through one big alternation costs far more.
struct Patterns {
    any: Regex,
    each: Vec<Pattern>,
}

/// One definition pattern.
struct Pattern {
    regex: Regex,
    name_group: usize,
    kind: Kind,
}

impl Patterns {
    /// Compiles the alternation and the single patterns.
    fn build(list: &[(Kind, &str)]) -> Patterns {
        // The patterns are string literals in this file, checked by the unit tests: failing
        // to compile is a programming error that no input can trigger.
        let compile =
            |pattern: &str| Regex::new(pattern).expect("built-in definition patterns compile");
        let narrowed: Vec<String> =
            list.iter().map(|(_, pattern)| narrow_classes(pattern)).collect();
        let alternation: Vec<String> = narrowed
            .iter()
            .map(|pattern| format!("(?:{})", pattern.replace("(?P<name>", "(?:")))
            .collect();
        let each = narrowed
            .iter()
            .zip(list)
            .map(|(pattern, (kind, _))| {
                let regex = compile(pattern);
                let name_group =
                    regex.capture_names().position(|name| name == Some("name")).unwrap_or(0);
                Pattern { regex, name_group, kind: *kind }
            })
            .collect();
        Patterns { any: compile(&alternation.join("|")), each }
    }
}

/// Rewrites the readable Unicode classes of the patterns below into narrower ones that
/// compile to far smaller automata: `\s` becomes space or tab (a line holds no other
/// whitespace that matters), and `\w` and `\p{L}` become ASCII classes plus "any non-ASCII
/// character", so identifiers in any script still match.
fn narrow_classes(pattern: &str) -> String {
    pattern
        .replace(r"\s", r"[ \t]")
        .replace(r"\S", r"[^ \t]")
        .replace(r"\w", r"[0-9A-Za-z_\x{80}-\x{10FFFF}]")
        .replace(r"\p{L}", r"[A-Za-z\x{80}-\x{10FFFF}]")
}

/// Rust visibility, reused by most Rust patterns.
macro_rules! rust_visibility {
    () => {
        r"(?:pub(?:\s*\([^)]*\))?\s+)?"
    };
}

// One compiled pattern set per language, built on first use and shared by all threads.

/// Rust: functions, types, modules, macros, implementations, item-level constants.
static RUST: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (
            Kind::Function,
            concat!(
                r"^\s*",
                rust_visibility!(),
                r#"(?:default\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+(?P<name>[\p{L}_]\w*)"#
            ),
        ),
        (
            Kind::Type,
            concat!(
                r"^\s*",
                rust_visibility!(),
                r"(?:unsafe\s+)?(?:auto\s+)?(?:struct|enum|union|trait|type)\s+(?P<name>[\p{L}_]\w*)"
            ),
        ),
        (Kind::Module, concat!(r"^\s*", rust_visibility!(), r"mod\s+(?P<name>[\p{L}_]\w*)")),
        (Kind::Macro, r"^\s*macro_rules!\s*(?P<name>[\p{L}_]\w*)"),
        (Kind::Implementation, r"^\s*(?:unsafe\s+)?impl(?-u:\b)(?P<name>[^{;]*)"),
        // Item-level only: a `const` deeper than one indentation is local to a function.
        (
            Kind::Constant,
            concat!(
                r"^ {0,4}",
                rust_visibility!(),
                r"(?:const|static)\s+(?:mut\s+)?(?P<name>[\p{L}_]\w*)\s*:"
            ),
        ),
    ])
});

/// Python: functions and classes.
static PYTHON: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (Kind::Function, r"^\s*(?:async\s+)?def\s+(?P<name>[\p{L}_]\w*)"),
        (Kind::Type, r"^\s*class\s+(?P<name>[\p{L}_]\w*)"),
    ])
});

/// JavaScript and TypeScript: functions, arrow functions, classes, interfaces, types, enums
/// and class methods.
static JAVASCRIPT: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (
            Kind::Function,
            r"^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*(?P<name>[\p{L}_$][\w$]*)",
        ),
        (
            Kind::Type,
            r"^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?class\s+(?P<name>[\p{L}_$][\w$]*)",
        ),
        (Kind::Type, r"^\s*(?:export\s+)?(?:declare\s+)?interface\s+(?P<name>[\p{L}_$][\w$]*)"),
        (
            Kind::Type,
            r"^\s*(?:export\s+)?(?:declare\s+)?type\s+(?P<name>[\p{L}_$][\w$]*)\s*(?:<[^=]*>)?\s*=",
        ),
        (
            Kind::Type,
            r"^\s*(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+(?P<name>[\p{L}_$][\w$]*)",
        ),
        (
            Kind::Function,
            r"^\s*(?:export\s+)?(?:const|let|var)\s+(?P<name>[\p{L}_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function(?-u:\b)|\([^)]*\)\s*(?::[^=]*)?=>|[\p{L}_$][\w$]*\s*=>|\(\s*$)",
        ),
        // Class methods: indented `name(args) {`, keywords filtered out after matching.
        (
            Kind::Function,
            r"^\s+(?:(?:public|private|protected|static|async|readonly|override|get|set)\s+)*\*?(?P<name>[\p{L}_$#][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::\s*[^{;=]+)?\{\s*$",
        ),
    ])
});

/// Go: functions, methods and types.
static GO: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (Kind::Function, r"^func\s+(?:\([^)]*\)\s*)?(?P<name>[\p{L}_]\w*)"),
        (Kind::Type, r"^\s*type\s+(?P<name>[\p{L}_]\w*)(?:\[[^\]]*\])?\s+\S"),
    ])
});

/// Java, Kotlin, C#, Scala, Swift, Dart, PHP: types and methods, loosely.
static JAVA: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (
            Kind::Type,
            r"^\s*(?:@\w+\s+)*(?:(?:public|private|protected|internal|static|final|abstract|sealed|partial|open|data|inner|value|annotation|enum|readonly|export|case|fileprivate)\s+)*(?:class|interface|struct|enum|record|object|trait|protocol|extension)\s+(?P<name>[\p{L}_]\w*)",
        ),
        (
            Kind::Function,
            r"^\s*(?:(?:public|private|protected|internal|static|final|abstract|open|override|suspend|inline|operator|infix|tailrec|mutating|class|fileprivate)\s+)*(?:fun|func|def|function)\s+(?:<[^>]*>\s*)?(?:\w+\.)?(?P<name>[\p{L}_]\w*)",
        ),
        // Java and C# methods: at least one modifier, a return type, then `name(` with no `;`.
        (
            Kind::Function,
            r"^\s*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|native|override|virtual|async|sealed|extern|unsafe|partial|default)\s+)+(?:<[^>]*>\s*)?[\w\[\],.?]+(?:<[^;()]*>)?\s+(?P<name>[\p{L}_]\w*)\s*\([^;]*$",
        ),
    ])
});

/// C and C++: types, macros and column-zero functions.
static C: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (
            Kind::Type,
            r"^\s*(?:typedef\s+)?(?:struct|union|enum|class|namespace)\s+(?:\w+\s+)?(?P<name>[\p{L}_]\w*)\s*(?:final\s*)?(?:[:{]|$)",
        ),
        (Kind::Constant, r"^#\s*define\s+(?P<name>[\p{L}_]\w*)"),
        // Functions are only recognised at column zero, where calls and statements never are.
        (Kind::Function, r"^(?:[\w:*&<>,~]+[\s*&]+)+(?P<name>[\p{L}_~][\w:~]*)\s*\([^;]*$"),
    ])
});

/// Ruby: methods, classes and modules.
static RUBY: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (Kind::Function, r"^\s*def\s+(?:self\.)?(?P<name>[\p{L}_]\w*[?!=]?)"),
        (Kind::Type, r"^\s*class\s+(?P<name>[\p{L}_][\w:]*)"),
        (Kind::Module, r"^\s*module\s+(?P<name>[\p{L}_][\w:]*)"),
    ])
});

/// Shell functions in both syntaxes.
static SHELL: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (Kind::Function, r"^\s*function\s+(?P<name>[\p{L}_][\w\-.:]*)"),
        (Kind::Function, r"^\s*(?P<name>[\p{L}_][\w\-.:]*)\s*\(\)"),
    ])
});

/// Markdown ATX headings.
static MARKDOWN: LazyLock<Patterns> =
    LazyLock::new(|| Patterns::build(&[(Kind::Heading, r"^#{1,6}\s+(?P<name>.*?)\s*#*\s*$")]));

/// AsciiDoc headings.
static ASCIIDOC: LazyLock<Patterns> =
    LazyLock::new(|| Patterns::build(&[(Kind::Heading, r"^={1,6}\s+(?P<name>.*?)\s*$")]));

/// Other languages: the usual definition keywords followed by a name.
static GENERIC: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::build(&[
        (
            Kind::Function,
            r"^\s*(?:(?:export|public|private|static|async|local|pub)\s+)*(?:function|func|fn|def|defp|defn|fun|sub|proc)\s+(?P<name>[\p{L}_][\w.:!?]*)",
        ),
        (
            Kind::Type,
            r"^\s*(?:(?:export|public|private|abstract|final)\s+)*(?:class|struct|interface|trait|enum|defmodule|module)\s+(?P<name>[\p{L}_][\w.]*)",
        ),
    ])
});

#[cfg(test)]
mod tests {
    use super::*;

    fn names(language: Language, lines: &[&str]) -> Vec<(Kind, String)> {
        let mut matcher = Matcher::new(language);
        lines
            .iter()
            .filter_map(|line| matcher.find(line))
            .map(|definition| (definition.kind, definition.name.into_owned()))
            .collect()
    }

    #[test]
    fn rust_definitions() {
        let found = names(
            Language::Rust,
            &[
                "pub(crate) async fn load_layers(path: &Path) -> Result<()> {",
                "    pub unsafe fn raw() {}",
                "pub struct Settings {",
                "enum Mode { A }",
                "pub trait Provider {",
                "type Alias = u32;",
                "pub mod filter;",
                "impl<T: Clone> fmt::Display for Wrapper<T> where T: Debug {",
                "impl Settings {",
                "pub const MAX_SIZE: usize = 3;",
                "        const LOCAL: usize = 3;",
                "macro_rules! ensure {",
                "let x = fn_call();",
                "    // fn commented()",
            ],
        );
        let expected: Vec<(Kind, String)> = vec![
            (Kind::Function, "load_layers".into()),
            (Kind::Function, "raw".into()),
            (Kind::Type, "Settings".into()),
            (Kind::Type, "Mode".into()),
            (Kind::Type, "Provider".into()),
            (Kind::Type, "Alias".into()),
            (Kind::Module, "filter".into()),
            (Kind::Implementation, "Display for Wrapper".into()),
            (Kind::Implementation, "Settings".into()),
            (Kind::Constant, "MAX_SIZE".into()),
            (Kind::Macro, "ensure".into()),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn other_language_definitions() {
        assert_eq!(
            names(
                Language::Python,
                &["async def fetch(url):", "class Parser(Base):", "x = def_value"]
            ),
            vec![(Kind::Function, "fetch".into()), (Kind::Type, "Parser".into())]
        );
        assert_eq!(
            names(
                Language::JavaScript,
                &[
                    "export async function loadConfig(path) {",
                    "export const parse = (text: string): Result => {",
                    "export interface Options {",
                    "export type Mode = 'a' | 'b';",
                    "  render(props) {",
                    "  if (ready) {",
                    "const value = compute(3);",
                ]
            ),
            vec![
                (Kind::Function, "loadConfig".into()),
                (Kind::Function, "parse".into()),
                (Kind::Type, "Options".into()),
                (Kind::Type, "Mode".into()),
                (Kind::Function, "render".into()),
            ]
        );
        assert_eq!(
            names(
                Language::Go,
                &[
                    "func (r *Repo) Load(ctx context.Context) error {",
                    "type Config struct {",
                    "\tfoo := bar()"
                ]
            ),
            vec![(Kind::Function, "Load".into()), (Kind::Type, "Config".into())]
        );
        assert_eq!(
            names(
                Language::Java,
                &[
                    "public final class OrderService {",
                    "    public List<Order> findAll(int limit) {",
                    "    return repository.findAll(limit);",
                    "    suspend fun fetchUser(id: Long): User {",
                ]
            ),
            vec![
                (Kind::Type, "OrderService".into()),
                (Kind::Function, "findAll".into()),
                (Kind::Function, "fetchUser".into()),
            ]
        );
        assert_eq!(
            names(
                Language::C,
                &[
                    "static int parse_header(const char *text, size_t length) {",
                    "    if (x) {",
                    "typedef struct buffer {",
                    "#define MAX_DEPTH 8",
                ]
            ),
            vec![
                (Kind::Function, "parse_header".into()),
                (Kind::Type, "buffer".into()),
                (Kind::Constant, "MAX_DEPTH".into()),
            ]
        );
        assert_eq!(
            names(Language::Ruby, &["  def self.call(env)", "module Billing"]),
            vec![(Kind::Function, "call".into()), (Kind::Module, "Billing".into())]
        );
        assert_eq!(
            names(Language::Shell, &["install_deps() {", "echo hi"]),
            vec![(Kind::Function, "install_deps".into())]
        );
        assert_eq!(
            names(Language::Markdown, &["## Installation ##", "text # not heading"]),
            vec![(Kind::Heading, "Installation".into())]
        );
    }

    #[test]
    fn go_methods_know_their_receiver() {
        let mut matcher = Matcher::new(Language::Go);
        let found = matcher.find("func (s *Server[T]) Start() error {");
        assert_eq!(found.and_then(|definition| definition.owner).as_deref(), Some("Server"));
    }

    #[test]
    fn test_names_per_language() {
        assert!(Language::Go.is_test_name("TestParse"));
        assert!(!Language::Go.is_test_name("Testify"));
        assert!(Language::Python.is_test_name("Parser.test_empty"));
        assert!(!Language::Python.is_test_name("attest"));
    }
}
