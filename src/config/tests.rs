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
    if let Some(text) = repository {
        std::fs::write(folder.path().join(REPOSITORY_FILE_NAME), text).expect("repository file");
    }
    let mut pairs: Vec<(String, String)> =
        vec![(env::CHANGES_CONFIG.to_string(), user_path.display().to_string())];
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
    assert!(settings.model("local").is_some_and(|model| model.provider == Provider::Local));
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
    assert_eq!(claude.provider, Provider::Anthropic);
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
    assert!(parse_layer(STARTER_YAML, &Origin::Default).is_ok());
}

#[test]
fn a_list_where_a_mapping_belongs_is_an_error_with_a_line() {
    let error = load_with(None, Some("redact: true\ncommit: [a]\n"), &[]).expect_err("invalid");
    match error {
        ConfigError::Invalid { line, message, .. } => {
            assert_eq!(line, Some(2));
            assert!(message.contains("commit"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}
