//! A staged file holding one example of each secret kind, drafted by a model on a loopback
//! server: none of them may reach the server, and the user is told where they were.

use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "../../src/privacy/redact/tests/fakes.rs"]
#[allow(dead_code)]
mod fakes;

use fakes::*;

use crate::harness::{Run, TestRepo};

/// (kind, a realistic line of source holding the secret, the secret itself).
fn secret_lines() -> Vec<(&'static str, String, String)> {
    let pem = format!("{BEGIN_RSA}\n{PEM_LINE_1}\n{PEM_LINE_2}\n{END_RSA}");
    vec![
        (
            "AWS access key",
            format!("AWS_ACCESS_KEY_ID = \"{AWS_ACCESS_KEY_1}\""),
            AWS_ACCESS_KEY_1.to_string(),
        ),
        (
            "AWS secret key",
            format!("aws_secret_access_key = \"{AWS_SECRET_KEY_1}\""),
            AWS_SECRET_KEY_1.to_string(),
        ),
        (
            "Google API key",
            format!("const MAPS_KEY: &str = \"{GOOGLE_API_KEY_1}\";"),
            GOOGLE_API_KEY_1.to_string(),
        ),
        (
            "GitHub token",
            format!("github_token = \"{GITHUB_CLASSIC}\""),
            GITHUB_CLASSIC.to_string(),
        ),
        (
            "GitLab token",
            format!("let gitlab = \"{GITLAB_PERSONAL}\";"),
            GITLAB_PERSONAL.to_string(),
        ),
        ("Slack token", format!("slack_bot = \"{SLACK_BOT}\""), SLACK_BOT.to_string()),
        (
            "Slack webhook",
            format!("webhook = \"https://hooks.slack.com/services/{SLACK_WEBHOOK_PATH}\""),
            SLACK_WEBHOOK_PATH.to_string(),
        ),
        ("Stripe key", format!("stripe.api_key = \"{STRIPE_LIVE}\""), STRIPE_LIVE.to_string()),
        (
            "OpenAI key",
            format!("OPENAI_API_KEY = \"{OPENAI_PROJECT}\""),
            OPENAI_PROJECT.to_string(),
        ),
        ("Anthropic key", format!("anthropic_key = \"{ANTHROPIC_1}\""), ANTHROPIC_1.to_string()),
        ("Groq key", format!("groq = \"{GROQ}\""), GROQ.to_string()),
        ("JWT", format!("let session = \"{JWT_1}\";"), JWT_1.to_string()),
        ("private key", pem, PEM_LINE_1.to_string()),
        (
            "password in URL",
            format!("let url = \"postgres://app:{KUBERNETES_PASSWORD}@db.internal:5432/app\";"),
            KUBERNETES_PASSWORD.to_string(),
        ),
        (
            "high-entropy assignment",
            format!("let client_secret = \"{SECRET_BASE62_40}\";"),
            SECRET_BASE62_40.to_string(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_of_any_kind_reaches_the_server() {
    let server = answering("feat: add configuration").await;
    let repo = TestRepo::new();
    one_remote_model(&repo, &server);
    let lines = secret_lines();
    let source: String = lines.iter().map(|(_, line, _)| format!("{line}\n")).collect();
    repo.stage("src/settings.rs", &source);

    let mut command = repo.command(crate::harness::CHANGES);
    command.args(["hook", "run"]);
    let run = tokio::task::spawn_blocking(move || Run::from(command.output().expect("runs")))
        .await
        .expect("joined");
    assert_eq!(run.success(), "feat: add configuration\n");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent = String::from_utf8_lossy(&requests[0].body).into_owned();
    for (kind, _, secret) in &lines {
        assert!(!sent.contains(secret.as_str()), "the {kind} reached the server");
    }
    assert!(sent.contains("[REDACTED"), "the model is told something was there");
    assert!(sent.contains("src/settings.rs"));
    // The user is told where: one warning per secret, naming the file and line.
    assert!(run.stderr.contains("src/settings.rs:1: this looks like a"), "{}", run.stderr);
    assert!(
        run.stderr.lines().filter(|line| line.contains("src/settings.rs:")).count() >= lines.len(),
        "{}",
        run.stderr
    );
}

/// A made-up token in a commit message and a file name: assembled so this file holds none.
fn message_token() -> String {
    GITHUB_OAUTH.to_string()
}

/// Files holding each kind added for issue 15, as (path, content, the secret values in it).
fn new_kind_files() -> Vec<(String, String, Vec<String>)> {
    vec![
        (
            "docker-compose.yml".to_string(),
            "services:\n  app:\n    environment:\n      DATABASE_URL: postgres://app:Xk9#mQ2v!7Lp@db:5432/app\n      MONGO_URL: mongodb+srv://admin:M0ng0/Pa55w0rd@cluster0.x1y2z.mongodb.net/\n".to_string(),
            vec!["Xk9#mQ2v!7Lp".to_string(), "M0ng0/Pa55w0rd".to_string()],
        ),
        (
            "src/main/resources/application.properties".to_string(),
            "spring.datasource.url=jdbc:mysql://db:3306/shop?user=app&password=S3cur3Sh0p&useSSL=true\nreports=Server=tcp:sql.acme.io;Database=crm;User ID=app;Password=Cr^m2024x;\n".to_string(),
            vec!["S3cur3Sh0p".to_string(), "Cr^m2024x".to_string()],
        ),
        (
            "scripts/restore.sh".to_string(),
            "#!/bin/sh\nmysql -u root -pRk9vQ2mXx shop < dump.sql\ncurl -fsS -u admin:Adm1n!Pass https://grafana.acme.io/api/health\nsshpass -p 'Ssh!Pa55w0rd' scp build.tgz deploy@web1:/srv\nPGPASSWORD=hunter2x psql -h db -U app\n".to_string(),
            vec![
                "Rk9vQ2mXx".to_string(),
                "Adm1n!Pass".to_string(),
                "Ssh!Pa55w0rd".to_string(),
                "hunter2x".to_string(),
            ],
        ),
        (
            "settings.xml".to_string(),
            "<settings>\n  <servers>\n    <server>\n      <id>ossrh</id>\n      <password>Mvn!Deploy42</password>\n    </server>\n  </servers>\n</settings>\n".to_string(),
            vec!["Mvn!Deploy42".to_string()],
        ),
        (
            "gradle.properties".to_string(),
            "ossrhPassword=Gr4dle!x\n".to_string(),
            vec!["Gr4dle!x".to_string()],
        ),
        (
            ".docker/config.json".to_string(),
            format!("{{\n  \"auths\": {{\n    \"registry.acme.io\": {{\n      \"auth\": \"{DOCKER_AUTH}\"\n    }}\n  }}\n}}\n"),
            vec![DOCKER_AUTH.to_string()],
        ),
        (
            "env.prod".to_string(),
            "DB_HOST=db.internal\nDB_PASSWORD=hunter2x\nDB_PASS=shortpw\nAPI_TOKEN=tok123\nSECRET=Sec9\n"
                .to_string(),
            vec![
                "hunter2x".to_string(),
                "shortpw".to_string(),
                "tok123".to_string(),
                "Sec9".to_string(),
            ],
        ),
        (
            "web.config".to_string(),
            "<configuration>\n  <appSettings>\n    <add key=\"ApiSecret\" value=\"Qm9Xk2Lp7Rt4Wv8Zs1Yn3Bc6\"/>\n  </appSettings>\n  <secret value=\"s3cr3tV4lu3XyZ98Qw\"/>\n  <property name=\"password\" value=\"XmlPr0pPassw0rd\"/>\n</configuration>\n"
                .to_string(),
            vec![
                "Qm9Xk2Lp7Rt4Wv8Zs1Yn3Bc6".to_string(),
                "s3cr3tV4lu3XyZ98Qw".to_string(),
                "XmlPr0pPassw0rd".to_string(),
            ],
        ),
        (
            "deploy/ci.sh".to_string(),
            format!("export KUBECONFIG_B64={KUBECONFIG_B64}\n"),
            vec![KUBECONFIG_B64.to_string(), "kT7mQ2xV9pL4wR8zN3bH6cJ1fD5sG0aY".to_string()],
        ),
        (
            "config/app.json".to_string(),
            "{\n  \"settings\": \"{\\\"db\\\": {\\\"password\\\": \\\"Xk9mQ2v7Lp\\\"}}\"\n}\n".to_string(),
            vec!["Xk9mQ2v7Lp".to_string()],
        ),
        (
            format!("keys/{}.txt", message_token()),
            "rotated\n".to_string(),
            vec![message_token()],
        ),
    ]
}

/// A user configuration with one OpenAI-compatible model on `server`.
fn one_remote_model(repo: &TestRepo, server: &MockServer) {
    let yaml = format!(
        "models:\n  - name: remote\n    provider: openai-compatible\n    model: m\n    base_url: {}/v1\ndefaults: [remote]\n",
        server.uri()
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("configuration");
}

/// A server whose one model always answers `text`.
async fn answering(text: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]
        })))
        .mount(&server)
        .await;
    server
}

/// Commits what is staged on 20 November 2026, two days before the fixed "now" it sets.
fn commit_two_days_ago(repo: &mut TestRepo, message: &str) {
    let output = repo
        .command("git")
        .args(["commit", "-q", "--no-verify", "-m", message])
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z")
        .output()
        .expect("git commit");
    assert!(output.status.success());
    repo.set_env("CHANGES_NOW", "2026-11-22T12:00:00Z");
}

/// Runs a program in the repository off the async runtime, so the server can answer.
async fn run_off_runtime(repo: &TestRepo, program: &str, arguments: &[&str]) -> Run {
    let mut command = repo.command(program);
    command.args(arguments);
    tokio::task::spawn_blocking(move || Run::from(command.output().expect("runs")))
        .await
        .expect("joined")
}

/// Every request body the server received, as text.
async fn received(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recorded");
    requests.iter().map(|request| String::from_utf8_lossy(&request.body).into_owned()).collect()
}

/// Asserts that none of the secrets of `files` is in any of `bodies`.
fn assert_nothing_leaked(bodies: &[String], files: &[(String, String, Vec<String>)], what: &str) {
    assert!(!bodies.is_empty(), "{what}: no request was sent");
    for body in bodies {
        for (path, _, secrets) in files {
            for secret in secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{what}: {secret} of {path} reached the server"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_of_the_new_kinds_reaches_the_server_in_a_commit_draft() {
    let server = answering("feat: add deployment settings").await;
    let repo = TestRepo::new();
    one_remote_model(&repo, &server);
    let files = new_kind_files();
    for (path, content, _) in &files {
        repo.stage(path, content);
    }
    let run = run_off_runtime(&repo, crate::harness::CHANGES, &["hook", "run"]).await;
    assert_eq!(run.success(), "feat: add deployment settings\n");
    let bodies = received(&server).await;
    assert_nothing_leaked(&bodies, &files, "commit draft");
    let sent = &bodies[0];
    for label in [
        "URL password",
        "connection string password",
        "command-line password",
        "credential",
        "encoded secret",
        "secret value",
        "GitHub token",
    ] {
        assert!(sent.contains(&format!("[REDACTED {label}]")), "no {label} marker in {sent}");
    }
    assert!(sent.contains("keys/[REDACTED GitHub token].txt"), "{sent}");
    assert!(run.stderr.contains("in a file name was replaced before sending"), "{}", run.stderr);
}

/// A made-up GitLab token in the body of the commit [`a_commit_to_push`] makes.
const BODY_SECRET: &str = concat!("gl", "pat-", "BXYtuN30ItjcV9ShzkBZ");

/// A pushed repository with its hooks, whose one model is on a server answering a review, and
/// one commit to push: the files of [`new_kind_files`], with [`message_token`] in its subject
/// and [`BODY_SECRET`] in its body.
async fn a_commit_to_push() -> (MockServer, TestRepo, Vec<(String, String, Vec<String>)>) {
    let server = answering("Summary:\n- Rotates credentials\n\nRisks:\n- none\n").await;
    let repo = crate::push::pushed_repo();
    one_remote_model(&repo, &server);
    let files = new_kind_files();
    for (path, content, _) in &files {
        repo.stage(path, content);
    }
    let message = format!("rotate token {}\n\nThe old one was {BODY_SECRET}.", message_token());
    repo.git(&["commit", "-q", "--no-verify", "-m", &message]);
    (server, repo, files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_review_sends_no_secret_from_files_names_or_commit_messages() {
    let (server, repo, files) = a_commit_to_push().await;
    let (token, body_secret) = (message_token(), BODY_SECRET);
    let push = run_off_runtime(&repo, "git", &["push", "origin", "main"]).await;
    assert_eq!(push.code, 0, "{}", push.stderr);
    let bodies = received(&server).await;
    assert_nothing_leaked(&bodies, &files, "push review");
    for body in &bodies {
        assert!(!body.contains(token.as_str()), "the commit subject's token was sent: {body}");
        assert!(!body.contains(body_secret), "the commit body's token was sent: {body}");
    }
    assert!(
        bodies.iter().any(|body| body.contains("rotate token [REDACTED GitHub token]")),
        "the subject is sent, redacted: {bodies:?}"
    );
}

/// A repository whose one model is on a server answering a summary, with one commit in the
/// period from 1 November: the files of [`new_kind_files`], [`message_token`] in its subject.
async fn a_period_to_report() -> (MockServer, TestRepo, Vec<(String, String, Vec<String>)>) {
    let server = answering("The settings were rotated.").await;
    let mut repo = TestRepo::new();
    one_remote_model(&repo, &server);
    let files = new_kind_files();
    for (path, content, _) in &files {
        repo.stage(path, content);
    }
    let token = message_token();
    commit_two_days_ago(&mut repo, &format!("rotate token {token}"));
    (server, repo, files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_sends_no_secret_from_files_or_commit_subjects() {
    let (server, repo, files) = a_period_to_report().await;
    let token = message_token();
    let out = repo.home.join("report");
    let arguments = ["report", "--after", "2026-11-01", "--out", out.to_str().unwrap_or_default()];
    let run = run_off_runtime(&repo, crate::harness::CHANGES, &arguments).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bodies = received(&server).await;
    assert_nothing_leaked(&bodies, &files, "report");
    for body in &bodies {
        assert!(!body.contains(token.as_str()), "the commit subject's token was sent: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dry_run_prints_byte_for_byte_what_the_server_then_receives() {
    let server = answering("feat: add deployment settings").await;
    let repo = TestRepo::new();
    one_remote_model(&repo, &server);
    for (path, content, _) in new_kind_files() {
        repo.stage(&path, content);
    }
    let json = run_off_runtime(
        &repo,
        crate::harness::CHANGES,
        &["hook", "run", "--dry-run", "--format", "json"],
    )
    .await;
    let text = run_off_runtime(&repo, crate::harness::CHANGES, &["hook", "run", "--dry-run"]).await;
    assert!(received(&server).await.is_empty(), "a dry run sends nothing");
    assert!(text.stderr.contains("in a file name was replaced before sending"), "{}", text.stderr);
    assert!(
        text.stderr.contains("settings.xml:5: this looks like a credential"),
        "{}",
        text.stderr
    );

    let real = run_off_runtime(&repo, crate::harness::CHANGES, &["hook", "run"]).await;
    assert_eq!(real.success(), "feat: add deployment settings\n");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent = &requests[0].body;

    let preview: serde_json::Value = serde_json::from_str(json.success()).expect("JSON");
    let planned = &preview["models"][0]["requests"];
    assert_eq!(planned.as_array().map(Vec::len), Some(1), "{preview}");
    let body = serde_json::to_vec(&planned[0]["body"]).expect("serializes");
    assert_eq!(String::from_utf8_lossy(&body), String::from_utf8_lossy(sent), "JSON body differs");
    assert_eq!(&body, sent);

    assert_printed_as_sent(text.success(), std::slice::from_ref(sent));
    let printed = &text.stdout;
    assert!(
        printed.starts_with("=== request 1 of 1 to remote: POST http://127.0.0.1:"),
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_gist_holds_no_secret_from_file_names_or_commit_subjects() {
    let github = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/gists"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"id": "abc", "html_url": "https://gist.example/abc"}),
        ))
        .mount(&github)
        .await;
    let mut repo = TestRepo::new();
    let token = message_token();
    repo.stage(&format!("keys/{token}.txt"), "rotated\n");
    repo.stage("src/lib.rs", "pub fn rotate() {}\n");
    commit_two_days_ago(&mut repo, &format!("rotate token {token}"));
    repo.set_env("GITHUB_API_URL", &github.uri());
    repo.set_env("GITHUB_TOKEN", "gist-token");
    let out = repo.home.join("report");
    let out_text = out.to_str().unwrap_or_default().to_string();
    let arguments =
        ["report", "--after", "2026-11-01", "--models", "local", "--gist", "--out", &out_text];
    let run = run_off_runtime(&repo, crate::harness::CHANGES, &arguments).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bodies = received(&github).await;
    assert_eq!(bodies.len(), 1);
    assert!(!bodies[0].contains(token.as_str()), "the token reached the gist: {}", bodies[0]);
    assert!(bodies[0].contains("[REDACTED GitHub token]"), "{}", bodies[0]);
    // Nor in lower case, as a heading's anchor would carry it.
    let lower = token.to_lowercase();
    assert!(!bodies[0].to_lowercase().contains(&lower), "in lower case: {}", bodies[0]);
    // The report on disk heads and anchors the file by its redacted name, so the anchor
    // matches the heading in the gist too.
    let local = std::fs::read_to_string(out.join("local.md")).expect("local.md");
    assert!(local.contains("### keys/[REDACTED GitHub token].txt"), "{local}");
    assert!(local.contains("](#keysredacted-github-tokentxt)"), "{local}");
}

/// Every file under `folder` with its size, sorted: what a run wrote there.
fn files_under(folder: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(metadata) if metadata.is_dir() => pending.push(path),
                Ok(metadata) => found.push((path, metadata.len())),
                Err(_) => {}
            }
        }
    }
    found.sort();
    found
}

/// Every request a `--dry-run --format json` printed, model after model, each in order.
fn planned_requests(dry_run: &Run) -> Vec<serde_json::Value> {
    let preview: serde_json::Value = serde_json::from_str(dry_run.success()).expect("JSON");
    assert_eq!(preview["dry_run"], true, "{preview}");
    let models = preview["models"].as_array().expect("models");
    models
        .iter()
        .flat_map(|model| model["requests"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The JSON bodies of the requests a dry run printed exactly as they would be sent (all but
/// a final request waiting for per-file summaries).
fn planned_bodies(dry_run: &Run) -> Vec<Vec<u8>> {
    planned_requests(dry_run)
        .iter()
        .filter(|request| request["pending_summaries"] == false)
        .map(|request| serde_json::to_vec(&request["body"]).expect("serializes"))
        .collect()
}

/// Runs `arguments` with `--dry-run`, as text and as JSON, and asserts what both must do with
/// the files of [`new_kind_files`] staged or committed: send nothing, show `token` nowhere,
/// and say on stderr that the Maven password was replaced.
async fn dry_run_as_text_and_json(
    repo: &TestRepo,
    server: &MockServer,
    arguments: &[&str],
    token: &str,
) -> (Run, Run) {
    let text_arguments = [arguments, &["--dry-run"]].concat();
    let text = run_off_runtime(repo, crate::harness::CHANGES, &text_arguments).await;
    let json_arguments = [&text_arguments[..], &["--format", "json"]].concat();
    let json = run_off_runtime(repo, crate::harness::CHANGES, &json_arguments).await;
    assert!(received(server).await.is_empty(), "a dry run sends nothing");
    for run in [&text, &json] {
        let shown = format!("{}{}", run.stdout, run.stderr);
        assert!(!shown.contains(token), "the commit subject's token is shown: {shown}");
        let replaced = "settings.xml:5: a credential was replaced before sending";
        assert!(run.stderr.contains(replaced), "{}", run.stderr);
    }
    (text, json)
}

/// Asserts that the text dry run shows, request by request, the instructions and the input
/// of `bodies` (in the order the server received them, here one model's).
fn assert_printed_as_sent(printed: &str, bodies: &[Vec<u8>]) {
    let sections: Vec<&str> = printed.split("=== request ").skip(1).collect();
    assert_eq!(sections.len(), bodies.len(), "{printed}");
    for (section, body) in sections.iter().zip(bodies) {
        let sent: serde_json::Value = serde_json::from_slice(body).expect("JSON body");
        let system = sent["messages"][0]["content"].as_str().expect("instructions");
        let user = sent["messages"][1]["content"].as_str().expect("input");
        let (head, input) = section.split_once("--- input ---\n").expect("an input section");
        let instructions = head.split_once("--- instructions ---\n").expect("instructions").1;
        assert_eq!(input, user, "the printed input is what the server received");
        assert_eq!(
            instructions.strip_suffix('\n').unwrap_or(instructions),
            system.trim_end_matches('\n')
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_review_dry_run_prints_byte_for_byte_what_the_push_then_sends() {
    let (server, repo, _) = a_commit_to_push().await;
    let token = message_token();
    let (text, json) =
        dry_run_as_text_and_json(&repo, &server, &["hook", "run", "pre-push"], &token).await;
    assert!(crate::push::reports(&repo).is_empty(), "a dry run writes no report");
    for run in [&text, &json] {
        let replaced = "a GitHub token in the commit messages was replaced before sending";
        assert!(run.stderr.contains(replaced), "{}", run.stderr);
        assert!(!run.stdout.contains(BODY_SECRET) && !run.stderr.contains(BODY_SECRET));
    }
    assert!(text.success().contains("rotate token [REDACTED GitHub token]"), "{}", text.stdout);
    let planned = planned_bodies(&json);
    assert_eq!(planned.len(), 1, "{}", json.stdout);

    let push = run_off_runtime(&repo, "git", &["push", "origin", "main"]).await;
    assert_eq!(push.code, 0, "{}", push.stderr);
    let requests = server.received_requests().await.expect("recorded");
    let sent: Vec<Vec<u8>> = requests.iter().map(|request| request.body.clone()).collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        String::from_utf8_lossy(&planned[0]),
        String::from_utf8_lossy(&sent[0]),
        "JSON body differs"
    );
    assert_eq!(planned, sent);
    assert!(!String::from_utf8_lossy(&sent[0]).contains(token.as_str()));
    assert_printed_as_sent(text.success(), &sent);
    assert!(text.stdout.starts_with("=== request 1 of 1 to remote: POST http://127.0.0.1:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_of_a_push_of_two_branches_lists_the_requests_of_both_reviews() {
    let (server, repo, _) = a_commit_to_push().await;
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.stage("src/feature.rs", "pub fn feature() -> bool { true }\n");
    repo.commit("add the feature");
    repo.git(&["checkout", "-q", "main"]);
    let id = |revision: &str| repo.git(&["rev-parse", revision]).trim().to_string();
    let refs = format!(
        "refs/heads/main {} refs/heads/main {}\nrefs/heads/feature {} refs/heads/feature {}\n",
        id("main"),
        id("origin/main"),
        id("feature"),
        "0".repeat(40)
    );
    let by_git = format!(
        "printf '{refs}' | '{}' hook run --dry-run --format json pre-push origin /nowhere.git",
        crate::harness::CHANGES
    );
    let json = run_off_runtime(&repo, "sh", &["-c", &by_git]).await;
    assert!(received(&server).await.is_empty(), "a dry run sends nothing");
    let mut planned = planned_bodies(&json);
    assert_eq!(planned.len(), 2, "one review per branch: {}", json.stdout);

    let push = run_off_runtime(&repo, "git", &["push", "origin", "main", "feature"]).await;
    assert_eq!(push.code, 0, "{}", push.stderr);
    let requests = server.received_requests().await.expect("recorded");
    let mut sent: Vec<Vec<u8>> = requests.iter().map(|request| request.body.clone()).collect();
    planned.sort();
    sent.sort();
    assert_eq!(planned, sent, "the two reviews' bodies differ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_dry_run_prints_byte_for_byte_what_the_report_then_sends() {
    let (server, repo, _) = a_period_to_report().await;
    let token = message_token();
    let out = repo.home.join("report");
    let out_text = out.to_str().unwrap_or_default().to_string();
    let report = ["report", "--after", "2026-11-01", "--out", &out_text];
    let (text, json) = dry_run_as_text_and_json(&repo, &server, &report, &token).await;
    assert!(!out.exists(), "a dry run writes no report");
    assert!(
        text.stderr.contains("the last request is built from the answers to the per-file requests"),
        "{}",
        text.stderr
    );
    // The commits go in the final request only: it is shown, its summaries still to come.
    assert!(text.success().contains("rotate token [REDACTED GitHub token]"), "{}", text.stdout);
    let planned = planned_bodies(&json);
    assert!(!planned.is_empty(), "{}", json.stdout);
    let last = planned_requests(&json).pop().expect("a final request");
    assert_eq!(last["pending_summaries"], true, "{last}");
    let pending = last["user"].as_str().expect("its input");
    assert!(pending.contains("[the summary the answers above will give]"), "{pending}");

    let real = run_off_runtime(&repo, crate::harness::CHANGES, &report).await;
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert!(out.join("remote.md").exists(), "the real run writes the report");
    let requests = server.received_requests().await.expect("recorded");
    let sent: Vec<Vec<u8>> = requests.iter().map(|request| request.body.clone()).collect();
    // The per-file requests the dry run showed, then the final one built from their answers.
    assert_eq!(sent.len(), planned.len() + 1, "{}", json.stdout);
    let mut per_file = sent[..planned.len()].to_vec();
    per_file.sort();
    let mut shown = planned.clone();
    shown.sort();
    assert_eq!(
        shown.iter().map(|body| String::from_utf8_lossy(body)).collect::<Vec<_>>(),
        per_file.iter().map(|body| String::from_utf8_lossy(body)).collect::<Vec<_>>(),
        "JSON bodies differ"
    );
    for body in &sent {
        assert!(!String::from_utf8_lossy(body).contains(token.as_str()));
    }
    // The final request sent is the one shown, but for the summaries the answers gave.
    let final_sent: serde_json::Value = serde_json::from_slice(&sent[planned.len()]).expect("JSON");
    assert_eq!(final_sent["messages"][0], last["body"]["messages"][0]);
    let summaries = "Per-file summaries of the change";
    let sent_input = final_sent["messages"][1]["content"].as_str().expect("input");
    let before = |input: &str| input.split_once(summaries).map(|(head, _)| head.to_string());
    assert_eq!(before(sent_input), before(pending), "{sent_input}");
    assert!(sent_input.contains("rotate token [REDACTED GitHub token]"), "{sent_input}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dry_runs_of_the_review_and_the_report_send_nothing_and_write_nothing() {
    let server = answering("- [low] a.rs: fine").await;
    let mut repo = crate::push::pushed_repo();
    one_remote_model(&repo, &server);
    repo.stage("a.rs", "pub fn a() {}\n");
    repo.commit("first");
    repo.stage("a.rs", "pub fn a() -> u32 { 1 }\n");
    // A secret in a file whose name holds another: the warning names the file redacted.
    let token = message_token();
    let (_, maven, _) =
        new_kind_files().into_iter().find(|(path, ..)| path == "settings.xml").expect("Maven");
    repo.stage(&format!("keys/{token}/settings.xml"), maven);
    commit_two_days_ago(&mut repo, "second");
    repo.set_env("GITHUB_API_URL", &server.uri());
    repo.set_env("GITHUB_TOKEN", "gist-token");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let remote = repo.git(&["rev-parse", "origin/main"]);
    let refs = format!("refs/heads/main {} refs/heads/main {}\n", head.trim(), remote.trim());
    let by_git = format!(
        "printf '{refs}' | '{}' hook run --dry-run pre-push origin /nowhere.git",
        crate::harness::CHANGES
    );
    let state = repo.path(".git/changes");
    let before = files_under(&state);
    let runs = [
        run_off_runtime(&repo, crate::harness::CHANGES, &["hook", "run", "pre-push", "--dry-run"])
            .await,
        run_off_runtime(
            &repo,
            crate::harness::CHANGES,
            &["hook", "run", "pre-push", "--range", "HEAD~1..HEAD", "--dry-run"],
        )
        .await,
        run_off_runtime(&repo, "sh", &["-c", &by_git]).await,
        run_off_runtime(
            &repo,
            crate::harness::CHANGES,
            &["report", "--after", "2026-11-01", "--gist", "--dry-run", "--format", "json"],
        )
        .await,
    ];
    for run in &runs {
        let printed = run.success();
        assert!(printed.contains("pub fn a() -> u32 { 1 }"), "{printed}");
        assert!(
            !printed.contains(token.as_str()) && !run.stderr.contains(token.as_str()),
            "{run:?}"
        );
        let replaced = "keys/[REDACTED GitHub token]/settings.xml:5: a credential was replaced";
        assert!(run.stderr.contains(replaced), "{}", run.stderr);
    }
    // Credentials in a model's address are never shown.
    let yaml = format!(
        "models:\n  - name: remote\n    provider: openai-compatible\n    model: m\n    base_url: http://user:Addr3ssPa55@{}/v1\ndefaults: [remote]\n",
        server.address()
    );
    std::fs::write(repo.home.join(".config/changes/config.yaml"), yaml).expect("configuration");
    let json = ["hook", "run", "pre-push", "--dry-run", "--format", "json"];
    let shown = run_off_runtime(&repo, crate::harness::CHANGES, &json).await;
    assert!(shown.success().contains("\"url\": \"http://127.0.0.1:"), "{}", shown.stdout);
    assert!(!shown.stdout.contains("Addr3ssPa55"), "{}", shown.stdout);
    let range =
        ["hook", "run", "pre-push", "--range", "HEAD..HEAD", "--dry-run", "--format", "json"];
    let nothing = run_off_runtime(&repo, crate::harness::CHANGES, &range).await;
    let empty: serde_json::Value = serde_json::from_str(nothing.success()).expect("JSON");
    assert_eq!(empty, serde_json::json!({"dry_run": true, "models": []}));
    for findings in [
        &["hook", "run", "pre-push", "--dry-run", "--format", "sarif"][..],
        &["hook", "run", "pre-push", "--range", "HEAD..HEAD", "--dry-run", "--format", "rdjson"],
        &["report", "--after", "2026-11-01", "--dry-run", "--format", "sarif"],
    ] {
        let refused = run_off_runtime(&repo, crate::harness::CHANGES, findings).await;
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stdout.is_empty() && refused.stderr.contains("nothing was sent"));
    }
    assert!(
        runs[2].stdout.contains("- ") && runs[2].stdout.contains(" second"),
        "{}",
        runs[2].stdout
    );
    assert!(received(&server).await.is_empty(), "a dry run sent a request");
    assert!(crate::push::reports(&repo).is_empty(), "a dry run wrote a push report");
    assert_eq!(files_under(&state), before, "a dry run wrote under {}", state.display());
    assert!(!repo.path(".git/changes/reports").exists(), "a dry run wrote a report");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_of_the_commit_hook_is_refused_and_sends_nothing() {
    // The hook git runs for a commit has no dry run of its own: the flag must not be
    // ignored, or a user asking to see what would leave would send it.
    let server = answering("feat: add a").await;
    let repo = TestRepo::new();
    one_remote_model(&repo, &server);
    repo.stage("a.rs", "pub fn a() {}\n");
    let message = repo.path("message.txt");
    let message = message.to_str().unwrap_or_default();
    let prepare = ["hook", "run", "--dry-run", "prepare-commit-msg", message];
    let run = run_off_runtime(&repo, crate::harness::CHANGES, &prepare).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert!(received(&server).await.is_empty(), "a dry run sent a request");
    assert!(!repo.path("message.txt").exists());
}

/// Files whose secrets sit on the lines after their names, are wrapped over several lines,
/// hold spaces or sit in markup attributes, as (path, content, the secret values in it).
fn spanning_files() -> Vec<(String, String, Vec<String>)> {
    let strings = |values: &[&str]| values.iter().map(|value| value.to_string()).collect();
    let kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    username: ci\n    password: Kub3!Wr4pped9\n";
    let (yaml_blob, mut yaml_pieces) = wrapped(&encode_base64(kubeconfig.as_bytes()), 76, "    ");
    let (plain_blob, plain_pieces) = wrapped(&encode_base64(kubeconfig.as_bytes()), 64, "");
    yaml_pieces.extend(plain_pieces);
    yaml_pieces.push("Kub3!Wr4pped9".to_string());
    vec![
        (
            "k8s/values.yaml".to_string(),
            "database:\n  password: >\n    Xk9mQ2v7Lp\n  token: |-\n    tK9xQ2mLp4Rv8Wz1Pb7NcD3\n  api_tokens:\n    - \"Rt7vB2qLx9Mn4Kp8Zq3W\"\n  replica_password:\n    \"Qu0ted!Pw42\"\n  host: db\n".to_string(),
            strings(&["Xk9mQ2v7Lp", "tK9xQ2mLp4Rv8Wz1Pb7NcD3", "Rt7vB2qLx9Mn4Kp8Zq3W", "Qu0ted!Pw42"]),
        ),
        (
            "deploy/compose.yml".to_string(),
            "services:\n  db:\n    image: mysql:8\n    command:\n      - \"mysqld\"\n      - \"--password\"\n      - \"Cmp0se!Pw42\"\n  tool:\n    command: [\"mysqld\", \"--password\", \"Fl0w!Pw42\"]\n".to_string(),
            strings(&["Cmp0se!Pw42", "Fl0w!Pw42"]),
        ),
        (
            "k8s/job.yaml".to_string(),
            "spec:\n  containers:\n    - name: sync\n      args:\n        - --db-password\n        - K8sArgs!Pw9\n        - sshpass\n        - -p\n        - \"Ssh!Arg5Pw\"\n".to_string(),
            strings(&["K8sArgs!Pw9", "Ssh!Arg5Pw"]),
        ),
        (
            "config/settings.json".to_string(),
            "{\n  \"password\":\n    \"J50n!NextLine\"\n}\n".to_string(),
            strings(&["J50n!NextLine"]),
        ),
        (
            "config/app.toml".to_string(),
            "password = \"\"\"\nT0ml!Multi9\n\"\"\"\ndb_password = \"\"\"T0ml!Single9\"\"\"\n".to_string(),
            strings(&["T0ml!Multi9", "T0ml!Single9"]),
        ),
        (
            "src/main/resources/app.properties".to_string(),
            "db.url=jdbc:h2:mem\ndb.password=\\\n    Pr0ps!Cont9\n".to_string(),
            strings(&["Pr0ps!Cont9"]),
        ),
        (
            "config/env.staging".to_string(),
            "SECRET=my pass phrase\nDB_PASSWORD=\"two words here\"\nexport API_TOKEN='q7 z9 k3'\n".to_string(),
            strings(&["my pass phrase", "pass phrase", "two words here", "q7 z9 k3"]),
        ),
        (
            "conf/tomcat-users.xml".to_string(),
            "<tomcat-users>\n  <user username=\"admin\" password=\"tomcat9\" roles=\"manager-gui\"/>\n  <connection secret='Sq!Att42x'/>\n  <password>Tc4t!pw</password>\n</tomcat-users>\n".to_string(),
            strings(&["tomcat9", "Sq!Att42x", "Tc4t!pw"]),
        ),
        ("k8s/ci.yaml".to_string(), format!("data:\n  KUBECONFIG_B64: |\n{yaml_blob}  NAMESPACE: prod\n"), yaml_pieces),
        ("deploy/kubeconfig.b64".to_string(), plain_blob, Vec::new()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_value_on_a_later_line_or_wrapped_over_lines_reaches_the_server() {
    let server = answering("feat: add deployment values").await;
    let repo = TestRepo::new();
    one_remote_model(&repo, &server);
    // A key already committed, whose value the change replaces: the key is context there.
    repo.stage("deploy/values.yml", "db:\n  password: |\n    0ldPassw0rd!\n  host: db\n");
    repo.commit("values");
    let mut files = spanning_files();
    files.push((
        "deploy/values.yml".to_string(),
        "db:\n  password: |\n    N3wPassw0rd!\n  host: db\n".to_string(),
        vec!["0ldPassw0rd!".to_string(), "N3wPassw0rd!".to_string()],
    ));
    for (path, content, _) in &files {
        repo.stage(path, content);
    }
    let run = run_off_runtime(&repo, crate::harness::CHANGES, &["hook", "run"]).await;
    assert_eq!(run.success(), "feat: add deployment values\n");
    let bodies = received(&server).await;
    assert_nothing_leaked(&bodies, &files, "commit draft");
    let sent = &bodies[0];
    for label in ["secret value", "command-line password", "encoded secret"] {
        assert!(sent.contains(&format!("[REDACTED {label}]")), "no {label} marker in {sent}");
    }
    // Every file's content was sent, redacted: none was left out as a whole.
    assert!(!sent.contains("Changed, content not sent:"), "{sent}");
    for (path, _, _) in &files {
        assert!(sent.contains(&format!("## {path} (")), "{path} is missing from {sent}");
    }
    // The names stay, so the model still sees what changed.
    for name in ["password: >", "KUBECONFIG_B64: |", "--db-password", "db.password="] {
        assert!(sent.contains(name), "{name} is missing from {sent}");
    }
    assert!(
        run.stderr.contains("k8s/ci.yaml:3: this looks like an encoded secret"),
        "{}",
        run.stderr
    );
}
