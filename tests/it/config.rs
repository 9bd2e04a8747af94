//! Configuration layering through the binary: user file, repository file, variables, flags.

use crate::harness::TestRepo;

fn line_for<'a>(output: &'a str, key: &str) -> &'a str {
    output
        .lines()
        .find(|line| line.trim_start().starts_with(key))
        .unwrap_or_else(|| panic!("no {key} in\n{output}"))
}

#[test]
fn repository_file_overrides_user_file_and_show_names_each_source() {
    let repo = TestRepo::new();
    let user_file = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(user_file.parent().expect("parent")).expect("folder");
    std::fs::write(&user_file, "commit:\n  style: gitmoji\n  max_subject: 60\n")
        .expect("user file");
    repo.write(".changes.yaml", "commit:\n  style: plain\n");
    let output = repo.changes(&["config", "show"]);
    let text = output.success();
    let style = line_for(text, "style:");
    assert!(style.contains("style: plain") && style.contains(".changes.yaml"), "{style}");
    let subject = line_for(text, "max_subject:");
    assert!(subject.contains("60") && subject.contains("config.yaml"), "{subject}");
    let merge = line_for(text, "merge:");
    assert!(merge.contains("alternatives") && merge.contains("built-in default"), "{merge}");
}

#[test]
fn variables_and_flags_override_files() {
    let mut repo = TestRepo::new();
    repo.write(".changes.yaml", "push:\n  timeout: 5s\n");
    repo.set_env("CHANGES_COMMIT_STYLE", "gitmoji");
    repo.set_env("CHANGES_EXCLUDE", "*.sql, fixtures/");
    let text = repo.changes(&["config", "show", "--timeout", "9s"]).success().to_string();
    let style = line_for(&text, "style:");
    assert!(
        style.contains("gitmoji") && style.contains("environment CHANGES_COMMIT_STYLE"),
        "{style}"
    );
    let timeout = text.lines().filter(|line| line.trim_start().starts_with("timeout: 9s")).count();
    assert_eq!(timeout, 3, "commit, push and report timeouts come from --timeout:\n{text}");
    assert!(text.contains("- \"*.sql\"") || text.contains("- '*.sql'"), "{text}");
}

#[test]
fn a_typo_in_a_key_names_the_file_line_and_key() {
    let repo = TestRepo::new();
    repo.write(".changes.yaml", "commit:\n  style: plain\n  max_subjct: 50\n");
    let run = repo.changes(&["config", "show"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains(".changes.yaml:3"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown field `max_subjct`"), "{}", run.stderr);
    assert!(run.stderr.contains("commit"), "{}", run.stderr);
}

#[test]
fn bad_values_are_errors_with_their_line() {
    let repo = TestRepo::new();
    for (text, line, words) in [
        ("models:\n  - name: x\n    provider: openia\n", ":3", "unknown provider `openia`"),
        ("commit:\n  timeout: 30\n", ":2", "invalid duration"),
        ("limits:\n  max_file_bytes: 0\n", ":2", "nonzero"),
        ("defaults: [gpt, nope]\n", "", "no model named `nope`"),
        ("models:\n  - name: mine\n    model: x\n", "", "needs `provider`"),
    ] {
        repo.write(".changes.yaml", text);
        let run = repo.changes(&["config", "show"]);
        assert_eq!(run.code, 3, "{text}");
        assert!(run.stderr.contains(&format!(".changes.yaml{line}")), "{text}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{text}: {}", run.stderr);
    }
}

#[test]
fn config_init_writes_a_starter_that_loads_and_refuses_to_overwrite() {
    let repo = TestRepo::new();
    repo.changes(&["config", "init"]).success();
    let written = std::fs::read_to_string(repo.path(".changes.yaml")).expect("starter written");
    assert!(written.contains("# commit:"));
    repo.changes(&["config", "show"]).success();
    let again = repo.changes(&["config", "init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"));
    let paths = repo.changes(&["config", "path"]).success().to_string();
    assert!(paths.contains(".changes.yaml (exists)"), "{paths}");
    assert!(paths.contains("config.yaml (not found)"), "{paths}");
}

#[test]
fn loading_never_writes_a_file() {
    let repo = TestRepo::new();
    repo.changes(&["config", "show"]).success();
    repo.changes(&["models"]).success();
    assert!(!repo.home.join(".config").exists());
    assert!(!repo.path(".changes.yaml").exists());
}

/// Writes the user configuration file.
fn write_user_file(repo: &TestRepo, text: &str) {
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, text).expect("user file");
}

#[test]
fn a_model_a_user_adds_gets_the_defaults_of_its_providers_built_in_models() {
    let repo = TestRepo::new();
    write_user_file(
        &repo,
        "models:\n  - name: mine\n    provider: openai\n    model: gpt-5.5-mini\n",
    );
    let json = repo.changes(&["config", "show", "--format", "json"]).success().to_string();
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let models = value["settings"]["models"].as_array().expect("models");
    let find = |name: &str| models.iter().find(|model| model["name"] == name).expect("model");
    for key in ["timeout", "max_concurrency", "context_tokens"] {
        assert_eq!(find("mine")[key], find("gpt")[key], "{key}");
    }
    assert_eq!(find("mine")["max_concurrency"], 16);
    assert_eq!(value["origins"]["models.mine.max_concurrency"], "built-in default");
}
