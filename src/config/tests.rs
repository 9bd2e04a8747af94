//! Layering rules checked on the loader directly.

use super::*;

fn load_with(
    user: Option<&str>,
    repository: Option<&str>,
    variables: &[(&str, &str)],
) -> Result<Loaded, ConfigError> {
    let folder = tempfile::tempdir().expect("temporary folder");
    let user_path = folder.path().join("user.yaml");
    if let Some(text) = user {
        std::fs::write(&user_path, text).expect("user file");
    }
    // The repository file is trusted here: these tests are about the merge, not trust.
    let state = folder.path().join("state");
    if let Some(text) = repository {
        std::fs::write(folder.path().join(REPOSITORY_FILE_NAME), text).expect("repository file");
        super::trust::TrustStore::in_state_dir(&state.join("changes"))
            .trust(folder.path(), text.as_bytes())
            .expect("trusted");
    }
    let mut pairs: Vec<(String, String)> = vec![
        (env::CHANGES_CONFIG.to_string(), user_path.display().to_string()),
        ("XDG_STATE_HOME".to_string(), state.display().to_string()),
    ];
    pairs.extend(variables.iter().map(|(name, value)| (name.to_string(), value.to_string())));
    load(&Environment::from_pairs(pairs), Some(folder.path()), &FlagOverrides::default())
}

#[test]
fn built_in_defaults_load_and_name_only_configured_models() {
    let loaded = load_with(None, None, &[]).expect("defaults load");
    let settings = &loaded.settings;
    for name in &settings.defaults {
        assert!(settings.model(name.as_str()).is_some(), "{name}");
    }
    assert!(settings.model("local").is_some_and(|model| model.provider.is_offline()));
    assert_eq!(settings.commit.max_subject, 72);
    assert_eq!(settings.limits.max_total_bytes, 400_000);
    assert_eq!(loaded.origins.get("commit.style"), Some(&Origin::Default));
}

#[test]
fn a_model_named_again_changes_only_the_keys_it_sets() {
    let loaded = load_with(
        Some("models:\n  - name: claude\n    timeout: 5s\n  - name: mine\n    provider: openai-compatible\n    model: qwen\n    base_url: http://127.0.0.1:9/v1\n"),
        Some("models:\n  - name: claude\n    model: claude-opus-5\n"),
        &[],
    )
    .expect("loads");
    let claude = loaded.settings.model("claude").expect("claude");
    assert_eq!(claude.model, "claude-opus-5");
    assert_eq!(claude.timeout, Duration::from_secs(5));
    assert_eq!(claude.provider.as_str(), "anthropic");
    assert!(matches!(loaded.origins.get("models.claude.model"), Some(Origin::RepositoryFile(_))));
    assert!(matches!(loaded.origins.get("models.claude.timeout"), Some(Origin::UserFile(_))));
    let mine = loaded.settings.model("mine").expect("new model appended");
    assert_eq!(mine.base_url.as_deref(), Some("http://127.0.0.1:9/v1"));
    assert_eq!(loaded.settings.models.last().map(|model| model.name.as_str()), Some("mine"));
}

#[test]
fn exclude_globs_accumulate_across_layers_without_duplicates() {
    let loaded = load_with(
        Some("exclude: ['*.sql']\n"),
        Some("exclude: ['*.sql', 'fixtures/']\n"),
        &[("CHANGES_EXCLUDE", "*.csv")],
    )
    .expect("loads");
    assert_eq!(loaded.settings.exclude, ["*.sql", "fixtures/", "*.csv"]);
    assert_eq!(loaded.origins.get("exclude.2"), Some(&Origin::Environment("CHANGES_EXCLUDE")));
}

#[test]
fn variables_are_parsed_as_yaml_values_and_errors_name_the_variable() {
    let loaded =
        load_with(None, None, &[("CHANGES_PUSH_BLOCK", "on-findings"), ("CHANGES_SKIP", "true")])
            .expect("loads");
    assert_eq!(loaded.settings.push.block, BlockPolicy::OnFindings);
    assert_eq!(loaded.settings.push.block.threshold(), Some(crate::answer::Priority::P1));
    let strict = load_with(None, None, &[("CHANGES_PUSH_BLOCK", "p2")]).expect("loads");
    assert_eq!(strict.settings.push.block, BlockPolicy::P2);
    assert_eq!(strict.settings.push.block.threshold(), Some(crate::answer::Priority::P2));
    let error = load_with(None, None, &[("CHANGES_PUSH_BLOCK", "p4")]).expect_err("invalid");
    assert!(error.to_string().contains("push.block"), "{error}");
    assert!(loaded.settings.skip);
    let error =
        load_with(None, None, &[("CHANGES_COMMIT_MAX_SUBJECT", "seven")]).expect_err("invalid");
    let message = error.to_string();
    assert!(
        message.contains("CHANGES_COMMIT_MAX_SUBJECT") && message.contains("commit.max_subject"),
        "{message}"
    );
}

#[test]
fn empty_and_comment_only_files_are_empty_layers() {
    assert!(load_with(Some(""), Some("# nothing here\n"), &[]).is_ok());
    assert!(Layer::parse(STARTER_YAML.to_string(), Origin::Default).is_ok());
}

#[test]
fn a_list_where_a_mapping_belongs_is_an_error_with_a_line() {
    let error = load_with(Some("redact: true\ncommit: [a]\n"), None, &[]).expect_err("invalid");
    match error {
        ConfigError::Invalid { line, message, .. } => {
            assert_eq!(line, Some(2));
            assert!(message.contains("commit"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// The error of a configuration that must not load, as the user reads it.
fn error_of(user: Option<&str>, repository: Option<&str>) -> (Option<usize>, String, Origin) {
    match load_with(user, repository, &[]).expect_err("invalid") {
        ConfigError::Invalid { origin, line, message } => (line, message, origin),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn every_value_of_every_built_in_model_comes_from_default_yaml() {
    let loaded = load_with(None, None, &[]).expect("defaults load");
    for model in &loaded.settings.models {
        for key in ["name", "provider", "model", "timeout", "max_concurrency", "context_tokens"] {
            let key = format!("models.{}.{key}", model.name);
            assert_eq!(loaded.origins.get(&key), Some(&Origin::Default), "{key}");
        }
    }
    let local = loaded.settings.model("local").expect("local");
    assert_eq!((local.model.as_str(), local.context_tokens), ("builtin", 32_000));
    let o4 = loaded.settings.model("o4-mini").expect("o4-mini");
    assert_eq!(o4.timeout, Duration::from_secs(60), "a model's own key wins over its row's");
}

#[test]
fn a_model_takes_what_it_does_not_set_from_its_providers_row() {
    let loaded = load_with(
        Some("models:\n  - name: mine\n    provider: groq\n    model: qwen\n  - name: offline\n    provider: local\n"),
        None,
        &[],
    )
    .expect("loads");
    let mine = loaded.settings.model("mine").expect("mine");
    let gpt_oss = loaded.settings.model("gpt-oss").expect("built-in groq model");
    assert_eq!(
        (mine.timeout, mine.max_concurrency, mine.context_tokens),
        (gpt_oss.timeout, gpt_oss.max_concurrency, gpt_oss.context_tokens)
    );
    assert_eq!(loaded.origins.get("models.mine.max_concurrency"), Some(&Origin::Default));
    assert!(matches!(loaded.origins.get("models.mine.model"), Some(Origin::UserFile(_))));
    let offline = loaded.settings.model("offline").expect("offline");
    assert!(offline.provider.is_offline());
    assert_eq!(offline.model, "builtin");
}

#[test]
fn a_user_file_changes_a_providers_row_or_adds_one() {
    let loaded = load_with(
        Some(concat!(
            "providers:\n",
            "  - name: openai\n",
            "    model_defaults:\n",
            "      timeout: 10s\n",
            "  - name: acme\n",
            "    wire: openai-compatible\n",
            "    key_variables: [ACME_KEY]\n",
            "    public_url: https://llm.acme.test/v1\n",
            "    model_defaults: {timeout: 20s, max_concurrency: 3, context_tokens: 9000}\n",
            "models:\n",
            "  - name: acme-large\n",
            "    provider: acme\n",
            "    model: large\n",
        )),
        None,
        &[],
    )
    .expect("loads");
    let settings = &loaded.settings;
    let gpt = settings.model("gpt").expect("gpt");
    assert_eq!(gpt.timeout, Duration::from_secs(10));
    assert!(matches!(loaded.origins.get("models.gpt.timeout"), Some(Origin::UserFile(_))));
    assert_eq!(gpt.max_concurrency, 16, "the rest of the row is kept");
    let openai = settings.providers.iter().find(|row| row.as_str() == "openai").expect("row");
    assert_eq!(openai.key_variables, ["OPENAI_API_KEY"]);
    let acme = settings.model("acme-large").expect("acme-large");
    assert_eq!(acme.provider.key_variables, ["ACME_KEY"]);
    assert_eq!((acme.max_concurrency, acme.context_tokens), (3, 9000));
    assert_eq!(settings.providers.last().map(Provider::as_str), Some("acme"));
}

#[test]
fn unknown_providers_and_missing_keys_name_the_file_line_and_key() {
    let (line, message, origin) =
        error_of(Some("models:\n  - name: x\n    provider: openia\n    model: m\n"), None);
    assert_eq!(line, Some(3));
    assert!(matches!(origin, Origin::UserFile(_)));
    assert!(
        message.starts_with("models.x.provider: unknown provider `openia`")
            && message.contains("`mistral`")
            && message.contains("`local`"),
        "{message}"
    );

    let (line, message, _) = error_of(
        Some("commit:\n  style: plain\nmodels:\n  - name: mine\n    provider: openai\n"),
        None,
    );
    assert_eq!(line, Some(4), "the entry that added the model");
    assert_eq!(message, "models.mine.model: a new model needs `model`");

    let (line, message, _) = error_of(Some("models:\n  - provider: openai\n"), None);
    assert_eq!(line, Some(2));
    assert!(message.contains("models: entry 1 has no `name`"), "{message}");
}

#[test]
fn a_bad_provider_default_is_reported_where_it_was_written() {
    let (line, message, origin) = error_of(
        Some("providers:\n  - name: openai\n    model_defaults:\n      timeot: 5s\n"),
        None,
    );
    assert_eq!(line, Some(4));
    assert!(matches!(origin, Origin::UserFile(_)));
    assert!(message.starts_with("providers.openai.model_defaults.timeot: "), "{message}");
    assert!(message.contains("`max_concurrency`"), "{message}");

    // A value every model of the row takes is checked in each, and reported in the row.
    let (line, message, _) = error_of(
        Some("\nproviders:\n  - name: anthropic\n    model_defaults:\n      timeout: 30\n"),
        None,
    );
    assert_eq!(line, Some(5));
    assert!(
        message.starts_with("providers.anthropic.model_defaults.timeout: invalid duration `30`"),
        "{message}"
    );

    let (line, message, _) =
        error_of(Some("providers:\n  - name: openai\n    wire: carrier-pigeon\n"), None);
    assert_eq!(line, Some(3));
    assert!(message.starts_with("providers.openai.wire: unknown variant"), "{message}");
}

#[test]
fn keys_out_of_place_and_defaults_without_a_model_have_their_line() {
    // A repository file's mistake leaves that file out with a notice naming line and key.
    let loaded = load_with(None, Some("models:\n  - name: gpt\n    api_key: sk-x\n"), &[])
        .expect("the run goes on without the repository file");
    assert!(
        loaded.notices.iter().any(
            |notice| notice.contains(":3: models.gpt.api_key: a key belongs in your user file")
        ),
        "{:?}",
        loaded.notices
    );
    let loaded = load_with(None, Some("defaults:\n  - gpt\n  - nope\n"), &[]).expect("goes on");
    assert!(
        loaded.notices.iter().any(|notice| notice.contains(":3: defaults: no model named `nope`")),
        "{:?}",
        loaded.notices
    );
    assert_eq!(loaded.settings.defaults.len(), 6, "the file was left out");

    let (line, message, _) = error_of(Some("defaults:\n  - gpt\n  - nope\n"), None);
    assert_eq!(line, Some(3));
    assert!(message.starts_with("defaults: no model named `nope`"), "{message}");

    let (line, message, _) =
        error_of(Some("commit:\n  skip_sources:\n    - message\n    - nope\n"), None);
    assert_eq!(line, Some(4));
    assert!(message.starts_with("commit.skip_sources.1: unknown variant `nope`"), "{message}");

    let (line, message, _) = error_of(Some("models:\n  - name: gpt\n    tiemout: 5s\n"), None);
    assert_eq!(line, Some(3));
    assert!(message.starts_with("models.gpt: unknown field `tiemout`"), "{message}");
}

#[test]
fn null_sets_nothing_lists_are_replaced_and_defaults_are_kept_once() {
    let loaded = load_with(
        Some("commit:\n  style: null\n  skip_sources: [merge]\ndefaults: [claude, gpt, claude]\n"),
        Some("commit:\n  skip_sources: [message]\n"),
        &[],
    )
    .expect("loads");
    assert_eq!(loaded.settings.commit.style, CommitStyle::Conventional);
    assert_eq!(loaded.origins.get("commit.style"), Some(&Origin::Default));
    assert_eq!(loaded.settings.commit.skip_sources, [CommitSource::Message]);
    let names: Vec<&str> = loaded.settings.defaults.iter().map(ModelName::as_str).collect();
    assert_eq!(names, ["claude", "gpt"]);
}

#[test]
fn plain_scalars_are_text_where_text_is_expected() {
    let loaded = load_with(
        Some("exclude: [2024, true]\npush:\n  report_dir: 2026\nmodels:\n  - name: gpt\n    model: 4\n"),
        None,
        &[],
    )
    .expect("loads");
    assert_eq!(loaded.settings.exclude, ["2024", "true"]);
    assert_eq!(loaded.settings.push.report_dir.as_deref(), Some("2026"));
    assert_eq!(loaded.settings.model("gpt").map(|model| model.model.as_str()), Some("4"));
}

#[test]
fn the_timeout_flag_is_the_last_layer() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let environment = Environment::from_pairs([
        (env::CHANGES_CONFIG.to_string(), folder.path().join("none.yaml").display().to_string()),
        ("CHANGES_PUSH_TIMEOUT".to_string(), "5s".to_string()),
    ]);
    let flags = FlagOverrides { timeout: Some(Duration::from_secs(9)) };
    let loaded = load(&environment, None, &flags).expect("loads");
    assert_eq!(loaded.settings.push.timeout, Duration::from_secs(9));
    assert_eq!(loaded.origins.get("push.timeout"), Some(&Origin::CommandLine("--timeout")));
}

/// Property tests: short runs in `cargo test`, long ones with `PROPTEST_CASES=100000`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use crate::config::{resolve, Layer, Origin, DEFAULT_YAML};

    proptest! {
        #[test]
        fn the_configuration_loader_never_panics(text in "(?s).{0,400}", yamlish in "([a-z_]{1,12}: ?(\\[|\\{|-|[0-9a-z]{0,8})\n {0,4}){0,12}") {
            // Each text as a user file, through parsing, the merge, the provider rows and serde.
            let defaults = Layer::parse(DEFAULT_YAML.to_string(), Origin::Default).expect("built-in defaults parse");
            for text in [text, yamlish] {
                if let Ok(layer) = Layer::parse(text, Origin::UserFile("config.yaml".into())) {
                    let _ = resolve(&[defaults.clone(), layer]);
                }
            }
        }

        #[test]
        fn configuration_keys_in_any_order_and_shape_never_panic_the_merge(
            keys in proptest::collection::vec(prop_oneof![
                Just("models"), Just("providers"), Just("exclude"), Just("defaults"), Just("commit"),
                Just("name"), Just("provider"), Just("model_defaults"), Just("timeout"), Just("wire"),
            ], 1..8),
            leaf in prop_oneof![Just("[]"), Just("{}"), Just("null"), Just("5"), Just("x"), Just("[{name: a}]"), Just("- name: gpt\n  provider: local")],
        ) {
            // Nested keys ending in a leaf of any shape: a list where a mapping belongs, a name
            // missing, a provider row with the wrong types...
            let mut text = String::new();
            for (depth, key) in keys.iter().enumerate() {
                text.push_str(&format!("{}{key}:\n", "  ".repeat(depth)));
            }
            for line in leaf.lines() {
                text.push_str(&format!("{}{line}\n", "  ".repeat(keys.len())));
            }
            let defaults = Layer::parse(DEFAULT_YAML.to_string(), Origin::Default).expect("built-in defaults parse");
            if let Ok(layer) = Layer::parse(text, Origin::UserFile("config.yaml".into())) {
                let _ = resolve(&[defaults, layer]);
            }
        }
    }
}
