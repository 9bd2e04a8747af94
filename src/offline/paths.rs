//! Path rules for the local summarizer: what role a file plays judged from its path alone,
//! which path component names a change's scope, and the short names used in sentences.

use crate::git::change::Exclusion;
use crate::privacy::vocabulary;

/// The role a file plays in a project, judged from its path (and its exclusion, for lock files).
///
/// The declaration order is the order in which the body lists files: code first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Area {
    /// Program code in a language we recognise.
    Source,
    /// Test code, fixtures and test data.
    Test,
    /// Prose: markdown, text, licences, the docs folder.
    Docs,
    /// A manifest that lists dependencies (`Cargo.toml`, `package.json`, `go.mod`...).
    Dependency,
    /// A dependency lock file.
    Lock,
    /// Other build inputs: `build.rs`, Makefiles, Dockerfiles, Gradle scripts...
    Build,
    /// Continuous-integration pipelines.
    Ci,
    /// Tool and editor configuration: dot files, YAML, TOML, JSON...
    Config,
    /// Anything else: images, data, assets.
    Other,
}

/// Folders that say nothing about what changed, skipped when looking for a scope.
const GENERIC_FOLDERS: &[&str] = &[
    "src",
    "lib",
    "app",
    "pkg",
    "internal",
    "source",
    "sources",
    "tests",
    "test",
    "__tests__",
    "spec",
    "specs",
    "it",
    "integration",
    "unit",
    "docs",
    "doc",
    "documentation",
    ".github",
    "workflows",
    ".circleci",
    ".gitlab",
    // The Maven and Gradle layout: `src/main/java/com/shop/...` is about `shop`.
    "main",
    "java",
    "kotlin",
    "scala",
    "groovy",
    "resources",
    "com",
    "org",
    "net",
];

/// Monorepo folders whose direct child is the component: `crates/foo/...` is about `foo`.
const WORKSPACE_FOLDERS: &[&str] =
    &["crates", "packages", "apps", "libs", "services", "plugins", "extensions"];

/// File stems that name their folder rather than themselves (`config/mod.rs` is `config`).
pub(super) const FOLDER_STEMS: &[&str] = &["mod", "index", "__init__"];

const DEPENDENCY_MANIFESTS: &[&str] = &[
    "cargo.toml",
    "package.json",
    "go.mod",
    "pyproject.toml",
    "pipfile",
    "gemfile",
    "composer.json",
    "constraints.txt",
];

const BUILD_FILES: &[&str] = &[
    "build.rs",
    "makefile",
    "gnumakefile",
    "cmakelists.txt",
    "meson.build",
    "meson_options.txt",
    "pom.xml",
    "gradle.properties",
    "dockerfile",
    "containerfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    "justfile",
    "rakefile",
    "setup.py",
    "setup.cfg",
    "manifest.in",
    "build",
    "build.bazel",
    "workspace",
    "workspace.bazel",
    "module.bazel",
    "rust-toolchain",
    "rust-toolchain.toml",
    "flake.nix",
    "default.nix",
    "shell.nix",
    "configure.ac",
    "makefile.am",
    "go.work",
];

const BUILD_EXTENSIONS: &[&str] = &[
    "gradle",
    "cmake",
    "bzl",
    "mk",
    "gemspec",
    "csproj",
    "fsproj",
    "vbproj",
    "vcxproj",
    "sln",
    "nuspec",
    "dockerfile",
];

/// Build-tool configuration written as code (`vite.config.ts`...): build, not source.
const BUILD_CONFIG_PREFIXES: &[&str] = &[
    "webpack.config.",
    "vite.config.",
    "rollup.config.",
    "esbuild.config.",
    "babel.config.",
    "gulpfile.",
    "gruntfile.",
];

const DOCS_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "rst", "adoc", "asciidoc"];

const DOCS_NAMES: &[&str] = &[
    "readme",
    "changelog",
    "changes",
    "history",
    "license",
    "licence",
    "copying",
    "authors",
    "contributors",
    "contributing",
    "notice",
    "code_of_conduct",
    "security",
];

const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "py", "pyi", "pyx", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "go", "java",
    "kt", "kts", "scala", "groovy", "cs", "fs", "vb", "c", "h", "cc", "cpp", "cxx", "hpp", "hh",
    "hxx", "ipp", "m", "mm", "swift", "rb", "php", "pl", "pm", "lua", "ex", "exs", "erl", "hrl",
    "hs", "ml", "mli", "clj", "cljs", "dart", "r", "jl", "zig", "nim", "cr", "elm", "vue",
    "svelte", "astro", "sh", "bash", "zsh", "fish", "ps1", "psm1", "bat", "cmd", "sql", "css",
    "scss", "sass", "less", "html", "htm", "proto", "graphql", "gql", "tf", "sol", "v", "sv",
    "vhd", "asm", "s", "wat", "el", "vim",
];

const CONFIG_EXTENSIONS: &[&str] = &[
    "toml",
    "yaml",
    "yml",
    "json",
    "jsonc",
    "json5",
    "ini",
    "cfg",
    "conf",
    "properties",
    "xml",
    "env",
    "plist",
];

const TEST_FOLDERS: &[&str] = &[
    "tests",
    "test",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "testdata",
    "test_data",
    "e2e",
    "integration_tests",
];

/// The last component of a `/`-separated path.
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Everything before the last `/`, or the empty string for a top-level path.
pub(super) fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |position| &path[..position])
}

/// The text after the last dot of a file name, empty when there is none (dot files have none).
pub(super) fn extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(position) if position > 0 => &name[position + 1..],
        _ => "",
    }
}

/// The file name without its last extension; dot files keep their name without the dot.
pub(super) fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(position) if position > 0 => &name[..position],
        _ => name.trim_start_matches('.'),
    }
}

/// Decides the role of a path; lock files are also recognised by the collector's exclusion.
pub(super) fn classify(path: &str, exclusion: Option<&Exclusion>) -> Area {
    // ASCII lower-casing is enough: every name and extension compared below is ASCII.
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    let original_name = file_name(path);
    let extension = extension(name);
    let folders: Vec<&str> = lower.split('/').collect();
    let folders = &folders[..folders.len().saturating_sub(1)];

    if matches!(exclusion, Some(Exclusion::LockFile)) || vocabulary::is_lock_file(name) {
        return Area::Lock;
    }
    if is_ci(&lower, name) {
        return Area::Ci;
    }
    if DEPENDENCY_MANIFESTS.contains(&name)
        || (name.starts_with("requirements") && extension == "txt")
    {
        return Area::Dependency;
    }
    if is_build_file(name, extension) {
        return Area::Build;
    }
    if DOCS_EXTENSIONS.contains(&extension) {
        return Area::Docs;
    }
    if is_test_path(folders, name, original_name, extension) {
        return Area::Test;
    }
    // A `docs` folder inside source code is a module, not documentation.
    let in_docs_folder = !folders.contains(&"src")
        && folders.iter().any(|folder| matches!(*folder, "docs" | "doc" | "documentation"));
    if in_docs_folder || extension == "txt" || DOCS_NAMES.contains(&stem(name)) {
        return Area::Docs;
    }
    if SOURCE_EXTENSIONS.contains(&extension) {
        return Area::Source;
    }
    let in_editor_folder = folders
        .iter()
        .any(|folder| matches!(*folder, ".vscode" | ".idea" | ".devcontainer" | ".cargo"));
    if name.starts_with('.') || in_editor_folder || CONFIG_EXTENSIONS.contains(&extension) {
        return Area::Config;
    }
    Area::Other
}

fn is_ci(lower_path: &str, name: &str) -> bool {
    // Each folder with a leading slash, so one table serves both "at the root" and "nested".
    const CI_FOLDERS: &[&str] = &[
        "/.github/workflows/",
        "/.github/actions/",
        "/.circleci/",
        "/.ci/",
        "/.buildkite/",
        "/.gitlab/ci/",
        "/.woodpecker/",
    ];
    const CI_FILES: &[&str] = &[
        ".gitlab-ci.yml",
        ".gitlab-ci.yaml",
        "jenkinsfile",
        "azure-pipelines.yml",
        "azure-pipelines.yaml",
        ".travis.yml",
        "bitbucket-pipelines.yml",
        "appveyor.yml",
        ".appveyor.yml",
        ".drone.yml",
        ".woodpecker.yml",
        "dependabot.yml",
        "renovate.json",
    ];
    // Every CI folder starts with a dot: most paths have none and skip the table.
    let has_dot_folder = lower_path.starts_with('.') || lower_path.contains("/.");
    has_dot_folder
        && CI_FOLDERS
            .iter()
            .any(|folder| lower_path.starts_with(&folder[1..]) || lower_path.contains(folder))
        || CI_FILES.contains(&name)
}

fn is_build_file(name: &str, extension: &str) -> bool {
    BUILD_FILES.contains(&name)
        || BUILD_EXTENSIONS.contains(&extension)
        || name.starts_with("dockerfile.")
        || name.ends_with(".gradle.kts")
        || BUILD_CONFIG_PREFIXES.iter().any(|prefix| name.starts_with(prefix))
}

fn is_test_path(folders: &[&str], name: &str, original_name: &str, extension: &str) -> bool {
    if folders.iter().any(|folder| TEST_FOLDERS.contains(folder)) {
        return true;
    }
    const TEST_SUFFIXES: &[&str] = &[
        "_test.go",
        "_test.py",
        "_tests.py",
        "_test.rs",
        "_tests.rs",
        "_spec.rb",
        "_test.rb",
        "_test.exs",
        "_test.dart",
        "_test.cc",
        "_test.cpp",
        "_unittest.cc",
        "_test.c",
    ];
    if name == "tests.rs"
        || name == "conftest.py"
        || TEST_SUFFIXES.iter().any(|s| name.ends_with(s))
    {
        return true;
    }
    if name.starts_with("test_") && extension == "py" {
        return true;
    }
    if name.contains(".test.") || name.contains(".spec.") {
        return true;
    }
    // JUnit, xUnit and XCTest name the class after the code under test plus a suffix.
    let class_based = matches!(extension, "java" | "kt" | "cs" | "swift" | "scala" | "groovy");
    let original_stem = stem(original_name);
    class_based
        && ["Test", "Tests", "Spec", "IT"]
            .iter()
            .any(|suffix| original_stem.len() > suffix.len() && original_stem.ends_with(suffix))
}

/// The component a path is about, before clean-up: the first meaningful folder, else the stem.
pub(super) fn scope_key(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let (name, folders) = match parts.split_last() {
        Some((name, folders)) => (*name, folders),
        None => (path, &[][..]),
    };
    if folders.len() >= 2 && WORKSPACE_FOLDERS.contains(&folders[0].to_lowercase().as_str()) {
        return folders[1].to_lowercase();
    }
    let mut index = 0;
    while index < folders.len() {
        let folder = folders[index].to_lowercase();
        // `cmd/server/main.go` is about `server`, but `cmd/main.go` is about `cmd` itself.
        let skip = if folder == "cmd" {
            index + 1 < folders.len()
        } else {
            GENERIC_FOLDERS.contains(&folder.as_str())
        };
        if !skip {
            return folder;
        }
        index += 1;
    }
    let subject = test_subject_stem(stem(name));
    if subject.is_empty() {
        stem(name).to_lowercase()
    } else {
        subject.to_lowercase()
    }
}

/// A scope fit for a subject line: lower-case, a few safe characters, at most 20 characters.
pub(super) fn clean_scope(key: &str) -> Option<String> {
    let cleaned: String = key
        .trim_start_matches('.')
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|character| character.is_alphanumeric() || matches!(character, '-' | '_' | '.'))
        .collect();
    let length = cleaned.chars().count();
    (length > 0 && length <= 20).then_some(cleaned)
}

/// The shared scope of several paths, or `None` when they are about different components.
pub(super) fn common_scope<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<String> = None;
    for path in paths {
        let key = scope_key(path);
        match &common {
            None => common = Some(key),
            Some(existing) if *existing == key => {}
            Some(_) => return None,
        }
    }
    common.and_then(|key| clean_scope(&key))
}

/// The name a file goes by as a module: its stem, or its folder for `mod.rs`, `index.ts`...
pub(super) fn module_name(path: &str) -> &str {
    let name = file_name(path);
    let stem = stem(name);
    if FOLDER_STEMS.contains(&stem) {
        let folder = file_name(parent(path));
        if !folder.is_empty() {
            return folder;
        }
    }
    stem
}

/// What a test file tests: its stem without test prefixes and suffixes, or a folder name.
pub(super) fn test_subject(path: &str) -> Option<&str> {
    let subject = test_subject_stem(stem(file_name(path)));
    let generic = |word: &str| {
        matches!(
            word.to_lowercase().as_str(),
            "" | "tests" | "test" | "mod" | "main" | "lib" | "index" | "__init__" | "conftest"
        ) || GENERIC_FOLDERS.contains(&word.to_lowercase().as_str())
    };
    if !generic(subject) {
        return Some(subject);
    }
    parent(path)
        .rsplit('/')
        .find(|folder| !generic(folder) && !TEST_FOLDERS.contains(&folder.to_lowercase().as_str()))
}

fn test_subject_stem(stem: &str) -> &str {
    let mut subject = stem;
    for suffix in [".test", ".spec", "_tests", "_test", "_spec", "Tests", "Test", "Spec"] {
        if let Some(stripped) = subject.strip_suffix(suffix) {
            subject = stripped;
            break;
        }
    }
    subject.strip_prefix("test_").unwrap_or(subject)
}

/// True when a Git file mode has an executable bit.
pub(super) fn is_executable(mode: u32) -> bool {
    mode & 0o111 != 0
}

/// Git's file mode for a symbolic link.
pub(super) const SYMBOLIC_LINK_MODE: u32 = 0o120000;
