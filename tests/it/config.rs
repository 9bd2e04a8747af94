//! Configuration layering through the binary: user file, repository file, variables, flags.

use crate::harness::{Run, TestRepo};

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
    // A repository file's mistake leaves it out: the run goes on with the user's settings.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("left out"), "{}", run.stderr);
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
        assert_eq!(run.code, 0, "{text}: the file is left out, the run goes on");
        assert!(run.stderr.contains("left out"), "{text}: {}", run.stderr);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_preset_is_one_row_mistral_works_from_a_user_file_alone() {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer test-mistral-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "cmpl-1", "object": "chat.completion", "model": "mistral-small-latest",
            "choices": [{"index": 0, "finish_reason": "stop",
                "message": {"role": "assistant", "content": "feat: drafted by mistral"}}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut repo = TestRepo::new();
    write_user_file(
        &repo,
        "models:\n  - name: le-chat\n    provider: mistral\n    model: mistral-small-latest\ndefaults: [le-chat]\n",
    );
    repo.set_env("MISTRAL_API_KEY", "test-mistral-key");
    repo.set_env("MISTRAL_BASE_URL", &format!("{}/v1", server.uri()));
    repo.stage("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n");

    // The binary runs beside the server's runtime, not on it.
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(["hook", "run"]);
    let run = tokio::task::spawn_blocking(move || Run::from(command.output().expect("runs")))
        .await
        .expect("joined");
    assert!(run.success().starts_with("feat: drafted by mistral"), "{}", run.stdout);

    let requests = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(body["model"], "mistral-small-latest");
    assert_eq!(body["messages"][0]["role"], "system", "the OpenAI-compatible dialect");
    assert!(body["max_tokens"].is_u64() && body.get("max_completion_tokens").is_none(), "{body}");

    // The row's variables and defaults are what `models` and `config show` show for it.
    let models = repo.changes(&["models"]).success().to_string();
    let row = line_for(&models, "le-chat");
    assert!(row.contains("mistral") && row.contains("MISTRAL_API_KEY set"), "{row}");
    assert!(row.contains(&format!("{}/v1", server.uri())), "{row}");
    let shown = repo.changes(&["config", "show"]).success().to_string();
    let block = &shown[shown.find("- name: le-chat").expect("the model is shown")..];
    let concurrency = line_for(block, "max_concurrency:");
    assert!(concurrency.contains("built-in default"), "{concurrency}");
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

#[test]
fn models_and_config_show_print_json_keys_in_the_readme_order() {
    let repo = TestRepo::new();
    let models = repo.changes(&["models", "--format", "json"]).success().to_string();
    let first = &models[..models.find('}').expect("a model")];
    let positions: Vec<usize> = [
        "\"name\"",
        "\"provider\"",
        "\"model\"",
        "\"base_url\"",
        "\"key\"",
        "\"state\"",
        "\"variable\"",
    ]
    .iter()
    .map(|key| first.find(key).unwrap_or_else(|| panic!("{key} in {first}")))
    .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{first}");
    let default = models.find("\"default\"").expect("default");
    assert!(default > first.len(), "`default` follows `key`: {models}");
    let shown = repo.changes(&["config", "show", "--format", "json"]).success().to_string();
    assert!(shown.find("\"settings\"") < shown.find("\"origins\""), "{shown}");
}

#[test]
fn conventions_can_be_turned_off_for_one_run_by_a_variable() {
    let mut repo = TestRepo::new();
    for (index, subject) in
        ["chore(deps): bump a", "chore(deps): bump b", "chore(deps): bump c"].iter().enumerate()
    {
        repo.stage(&format!("f{index}.txt"), "x\n");
        repo.commit(subject);
    }
    repo.stage("new.txt", "hello\n");
    let learned = repo.changes(&["hook", "run", "--models", "local", "-v"]);
    learned.success();
    assert!(learned.stderr.contains("conventions: learned from"), "{}", learned.stderr);
    repo.set_env("CHANGES_CONVENTIONS_ENABLED", "false");
    let text = repo.changes(&["config", "show"]).success().to_string();
    let enabled = line_for(&text, "enabled:");
    assert!(
        enabled.contains("false") && enabled.contains("environment CHANGES_CONVENTIONS_ENABLED"),
        "{enabled}"
    );
    let off = repo.changes(&["hook", "run", "--models", "local", "-v"]);
    off.success();
    assert!(!off.stderr.contains("conventions: learned from"), "{}", off.stderr);
}
