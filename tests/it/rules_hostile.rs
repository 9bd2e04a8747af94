//! What a cloned repository's rule files, guide, history and `.changes.yaml` `conventions`
//! section can make `changes` do (FAULTS.md I2, I3, I5, I6): a guide or rule file is read
//! only from inside the work tree, never through a link, never from `.git` or an excluded
//! file, never a special file; odd rule values, hostile history subjects and a tampered
//! cache never reach a terminal, a message file or a prompt as they came, never hang and
//! never fail the commit.

use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Run, TestRepo};

/// What the user's file outside the repository holds.
const SECRET: &str = "machine example.com login user password NETRC-SECRET-4242";

/// A server whose one model always answers `text`.
async fn answering(text: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]
        })))
        .mount(&server)
        .await;
    server
}

/// The user's configuration: one OpenAI-compatible model `remote` on `server`.
fn one_remote_model(repo: &TestRepo, server: &MockServer) {
    let yaml = format!(
        "models:\n  - name: remote\n    provider: openai-compatible\n    model: m\n    base_url: {}/v1\ndefaults: [remote]\n",
        server.uri()
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("configuration");
}

/// Every request body the server received, as text.
async fn received(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recorded");
    requests.iter().map(|request| String::from_utf8_lossy(&request.body).into_owned()).collect()
}

/// Runs `changes` in the repository off the async runtime, so the server can answer.
async fn changes(repo: &TestRepo, arguments: &[&str]) -> Run {
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(arguments);
    tokio::task::spawn_blocking(move || Run::from(command.output().expect("runs")))
        .await
        .expect("joined")
}

/// A repository published by someone else with `files` (symbolic links as `-> target`),
/// cloned as a user would, with the user's secret in `~/.netrc` and one change staged.
fn cloned_with(files: &[(&str, &str)]) -> TestRepo {
    let upstream = TestRepo::new();
    for (path, content) in files {
        match content.strip_prefix("-> ") {
            Some(target) => {
                let full = upstream.path(path);
                std::fs::create_dir_all(full.parent().expect("parent")).expect("folders");
                std::os::unix::fs::symlink(target, &full).expect("symlink");
                upstream.git(&["add", "--", path]);
            }
            None => upstream.stage(path, content),
        }
    }
    upstream.stage("README.md", "# Project\n");
    upstream.commit("Initial commit");
    let clone = TestRepo::cloned(&upstream.root.display().to_string());
    std::fs::write(clone.home.join(".netrc"), SECRET).expect("the user's secret");
    clone.stage("src/lib.rs", "pub fn parse(input: &str) -> usize {\n    input.len()\n}\n");
    // Keep the upstream's folder alive as long as the clone: its remote.
    std::mem::forget(upstream);
    clone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guide_or_rule_file_outside_the_work_tree_never_reaches_a_prompt() {
    let server = answering("feat: add parsing").await;
    // The clone's root is `<tmp>/repo` and its HOME `<tmp>/home`.
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "an absolute guide",
            vec![(".changes.yaml", "conventions:\n  guide: HOME/.netrc\n".into())],
        ),
        (
            "a guide above the root",
            vec![(".changes.yaml", "conventions:\n  guide: ../home/.netrc\n".into())],
        ),
        (
            "a guide through `..` inside",
            vec![
                (".changes.yaml", "conventions:\n  guide: docs/../../home/.netrc\n".into()),
                ("docs/x.md", "x\n".into()),
            ],
        ),
        (
            "a guide under a linked folder",
            vec![
                (".changes.yaml", "conventions:\n  guide: docs/.netrc\n".into()),
                ("docs", "-> ../home".into()),
            ],
        ),
        (
            "a linked guide",
            vec![
                (".changes.yaml", "conventions:\n  guide: GUIDE.md\n".into()),
                ("GUIDE.md", "-> ../home/.netrc".into()),
            ],
        ),
        ("a default guide that is a link", vec![("COMMITS.md", "-> ../home/.netrc".into())]),
        ("a default guide under a linked folder", vec![(".github", "-> ../home".into())]),
        (
            "a commitlint file under a linked folder",
            vec![(".commitlintrc.json", "-> ../home/.netrc".into())],
        ),
        (
            "git's own configuration",
            vec![(".changes.yaml", "conventions:\n  guide: .git/config\n".into())],
        ),
        (
            "a secret file of the work tree",
            vec![(".changes.yaml", "conventions:\n  guide: .env\n".into())],
        ),
    ];
    let mut failures = Vec::new();
    for (what, files) in cases {
        let files: Vec<(&str, &str)> =
            files.iter().map(|(path, content)| (*path, content.as_str())).collect();
        let mut repo = cloned_with(&files);
        let yaml = std::fs::read_to_string(repo.path(".changes.yaml")).unwrap_or_default();
        if yaml.contains("HOME") {
            let home = repo.home.display().to_string();
            std::fs::write(repo.path(".changes.yaml"), yaml.replace("HOME", &home)).expect("edit");
        }
        if std::fs::symlink_metadata(repo.path(".github")).is_ok() {
            std::fs::write(repo.home.join("COMMIT_CONVENTION.md"), SECRET).expect("secret guide");
        }
        // Secrets git keeps in its own folder and the work tree's ignored `.env`.
        repo.git(&["config", "remote.origin.url", "https://user:NETRC-SECRET-4242@example.com/x"]);
        std::fs::write(repo.path(".env"), SECRET).expect(".env");
        one_remote_model(&repo, &server);
        server.reset().await;
        Mock::given(wiremock::matchers::path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "feat: add parsing"}}]
            })))
            .mount(&server)
            .await;
        repo.set_env("GIT_EDITOR", "true");
        let run = changes(&repo, &["-v", "hook", "run", "--models", "remote"]).await;
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        let bodies = received(&server).await;
        assert!(!bodies.is_empty(), "{what}: nothing was sent: {}", run.stderr);
        if bodies.iter().any(|body| body.contains("NETRC-SECRET")) {
            failures.push(format!("{what}: the secret reached the server"));
        }
        let said = run.stderr.contains("conventions.guide") && run.stderr.contains("not read");
        if what.contains("guide") && !what.contains("default") && !said {
            failures.push(format!("{what}: the refusal is not said: {}", run.stderr));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // The same guide inside the work tree is read: the check above can see one.
    let repo = cloned_with(&[
        (".changes.yaml", "conventions:\n  guide: docs/commits.md\n"),
        ("docs/commits.md", "Write subjects like IN-TREE-GUIDE-MARK says.\n"),
        // A link that stays inside the work tree is followed.
        (".commitlintrc.json", "-> config/commitlint.json"),
        ("config/commitlint.json", r#"{"rules": {"type-enum": [2, "always", ["intreelinked"]]}}"#),
    ]);
    one_remote_model(&repo, &server);
    server.reset().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "feat: add parsing"}}]
        })))
        .mount(&server)
        .await;
    let run = changes(&repo, &["hook", "run", "--models", "remote"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bodies = received(&server).await;
    assert!(bodies.iter().any(|body| body.contains("IN-TREE-GUIDE-MARK")), "{bodies:?}");
    assert!(bodies.iter().any(|body| body.contains("intreelinked")), "{bodies:?}");
}
