//! What a path, a repository or a server can make `changes` do against its user (FAULTS.md
//! I6). Every case runs the real binary; nothing here may hang, replace what git handed
//! over, or let outside text reach a terminal or a message file as it came.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::TestRepo;

/// A repository with a change staged and a message file written as git writes one.
fn staged_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.stage("src/lib.rs", "pub fn parse(input: &str) -> usize {\n    input.len()\n}\n");
    repo
}

/// Runs the hook on `path` with the built-in model and a deadline of its own: a hang is a
/// failure, not a stuck test.
fn run_hook(repo: &TestRepo, path: &Path) -> (i32, String, Duration) {
    let started = Instant::now();
    let mut child = repo
        .command(crate::harness::CHANGES)
        .args(["--models", "local", "hook", "run", "prepare-commit-msg"])
        .arg(path)
        .env("GIT_EDITOR", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("changes starts");
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let output = child.wait_with_output().expect("output");
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            return (status.code().unwrap_or(-1), stderr, started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the hook hung on {}", path.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|metadata| metadata.uid() == 0).unwrap_or(false)
}

#[test]
fn a_fifo_as_the_message_file_never_blocks_and_stays_a_fifo() {
    let repo = staged_repo();
    let fifo = repo.home.join("COMMIT_EDITMSG");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let (code, stderr, elapsed) = run_hook(&repo, &fifo);
    assert_eq!(code, 0, "{stderr}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let kind = std::fs::symlink_metadata(&fifo).expect("still there").file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by {kind:?}");
}

#[test]
fn a_character_device_is_written_through_and_never_replaced() {
    let repo = staged_repo();
    // As root, a private null device: were it replaced, only this copy would be lost, never
    // the machine's /dev/null. Otherwise /dev/null itself, which we could not replace anyway.
    let device = if is_root() {
        let node = repo.home.join("null-device");
        let made = std::process::Command::new("mknod")
            .arg(&node)
            .args(["c", "1", "3"])
            .status()
            .expect("mknod");
        assert!(made.success(), "mknod");
        node
    } else {
        Path::new("/dev/null").to_path_buf()
    };
    let (code, stderr, elapsed) = run_hook(&repo, &device);
    assert_eq!(code, 0, "{stderr}");
    assert!(elapsed < Duration::from_secs(10));
    let kind = std::fs::symlink_metadata(&device).expect("still there").file_type();
    assert!(kind.is_char_device(), "the device was replaced by {kind:?}");
    assert!(std::fs::symlink_metadata("/dev/null")
        .expect("/dev/null")
        .file_type()
        .is_char_device());
}

#[test]
fn a_hard_link_keeps_its_other_name_and_a_symlink_stays_a_link() {
    let repo = staged_repo();
    let message = "\n# Please enter the commit message for your changes.\n";
    let file = repo.home.join("COMMIT_EDITMSG");
    let other = repo.home.join("other-name");
    std::fs::write(&file, message).expect("message");
    std::fs::hard_link(&file, &other).expect("hard link");
    let (code, stderr, _) = run_hook(&repo, &file);
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(&other).expect("the other name");
    assert!(
        written.contains("# changes: 1 of 1 models answered"),
        "the other name sees it: {written}"
    );
    assert!(written.ends_with(message), "{written}");
    assert_eq!(std::fs::metadata(&file).expect("file").nlink(), 2, "still one file with two names");

    let target = repo.home.join("real-message");
    let link = repo.home.join("link-message");
    std::fs::write(&target, message).expect("message");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let (code, stderr, _) = run_hook(&repo, &link);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
    let through = std::fs::read_to_string(&target).expect("target");
    assert!(through.contains("# changes: 1 of 1 models answered"), "{through}");
}

/// Escape sequences, bidirectional controls and C1 controls, as a hostile server or file name
/// would carry them.
const HOSTILE: [&str; 5] = ["\u{1b}", "\u{9b}", "\u{9d}", "\u{202e}", "PWNED"];

fn assert_clean(what: &str, text: &str) {
    for bad in HOSTILE {
        assert!(!text.contains(bad), "{what} holds {bad:?}:\n{text:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escapes_in_answers_error_bodies_and_file_names_reach_no_terminal_or_message_file() {
    use serde_json::json;
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let answer = "\u{1b}]0;PWNED-TITLE\u{7}feat: add the parser\n\n- \u{1b}[31mReads\u{1b}[0m input \u{202e}txet\u{202c}\n- \u{9d}0;PWNED\u{9c}Counts bytes\n# ------------------------ >8 ------------------------\nSigned-off-by: Someone Else <else@example.com>";
    Mock::given(path("/v1/chat/completions"))
        .respond_with(crate::push::review_answer(answer))
        .mount(&server)
        .await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "error",
            "error": {"type": "authentication_error", "message": "bad key\n\u{1b}]52;c;UFdORUQ=\u{7}fix: a line that is not a comment"}
        })))
        .mount(&server)
        .await;
    let mut repo = TestRepo::new();
    repo.stage("src/lib.rs", "pub fn parse(input: &str) -> usize {\n    input.len()\n}\n");
    repo.stage("docs/\u{1b}[2Jevil\u{202e}.md", "# Notes\n");
    repo.set_env("OPENAI_BASE_URL", &format!("{}/v1", server.uri()));
    repo.set_env("OPENAI_API_KEY", "sk-test-openai");
    repo.set_env("ANTHROPIC_BASE_URL", &server.uri());
    repo.set_env("ANTHROPIC_API_KEY", "sk-ant-test");
    repo.set_env("CHANGES_MODELS", "gpt,claude");
    let printed = crate::report::run_async(&repo, &["hook", "run", "-v"]).await;
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_clean("stdout", &printed.stdout);
    assert_clean("stderr", &printed.stderr);
    assert!(printed.stdout.starts_with("feat: add the parser\n"), "{}", printed.stdout);

    repo.install_hooks();
    let record = repo.record_editor();
    let mut command = repo.command("git");
    command.args(["commit", "-q", "--allow-empty-message"]);
    let committed = tokio::task::spawn_blocking(move || command.output().expect("git commit"))
        .await
        .expect("joined");
    assert!(committed.status.success(), "{}", String::from_utf8_lossy(&committed.stderr));
    let file = std::fs::read_to_string(&record).expect("the editor saw the file");
    assert_clean("the message file", &file);
    assert_clean("git's stderr", &String::from_utf8_lossy(&committed.stderr));
    assert!(!file.contains("Signed-off-by: Someone Else"), "no forged trailer: {file}");
    assert!(!file.lines().any(|line| line.starts_with("fix: a line")), "{file}");
    assert!(
        file.lines()
            .any(|line| line.starts_with("# ── claude: failed: 401") && line.ends_with("──")),
        "the reason stays one comment line: {file}"
    );
    let message = repo.message("HEAD");
    assert!(message.starts_with("feat: add the parser\n"), "{message}");
    assert!(message.contains("Counts bytes"), "git kept the whole draft: {message}");
}

#[test]
fn odd_bytes_in_arguments_and_variables_never_stop_git() {
    use std::os::unix::ffi::OsStrExt;
    let repo = staged_repo();
    repo.install_hooks();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9-MSG");
    let path = repo.home.join(latin1);
    std::fs::write(&path, "\n# Please enter the commit message\n").expect("message");
    let (code, stderr, _) = run_hook(&repo, &path);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&path).expect("read").contains("# changes:"), "drafted");

    // A variable clap cannot read: the hook warns and the commit goes on.
    let mut command = repo.command("git");
    command
        .args(["commit", "-q", "-m", "still commits"])
        .env("CHANGES_MODELS", std::ffi::OsStr::from_bytes(b"gpt\xff"));
    let output = command.output().expect("git commit");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(repo.message("HEAD"), "still commits\n\n");
    let by_hand = repo
        .command(crate::harness::CHANGES)
        .args(["hook", "run", "prepare-commit-msg"])
        .arg(&path)
        .env("CHANGES_MODELS", std::ffi::OsStr::from_bytes(b"gpt\xff"))
        .output()
        .expect("changes");
    assert_eq!(by_hand.status.code(), Some(0), "{}", String::from_utf8_lossy(&by_hand.stderr));
    assert!(String::from_utf8_lossy(&by_hand.stderr).contains("git goes on"));
}

#[test]
fn a_bare_repository_has_no_staged_changes_to_describe() {
    let repo = staged_repo();
    repo.commit("first");
    let bare = repo.home.join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap_or_default()]);
    let run = repo
        .command(crate::harness::CHANGES)
        .current_dir(&bare)
        .args(["hook", "run"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(!stdout.contains("delete"), "no file described as deleted: {stdout}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("--rev HEAD"));
}

/// A repository with a change and the user's Anthropic and OpenAI keys pointing at `server`.
fn keyed_repo(server: &wiremock::MockServer) -> TestRepo {
    let mut repo = staged_repo();
    repo.set_env("ANTHROPIC_API_KEY", KEY);
    repo.set_env("ANTHROPIC_BASE_URL", &server.uri());
    repo.set_env("OPENAI_API_KEY", KEY);
    repo.set_env("OPENAI_BASE_URL", &format!("{}/v1", server.uri()));
    repo
}

const KEY: &str = "sk-ant-api03-THE-USERS-OWN-KEY-0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_a_failure_naming_the_location_and_no_key_header_follows_it() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let elsewhere = MockServer::start().await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/v1/messages", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let repo = keyed_repo(&server);
    let run = crate::report::run_async(&repo, &["hook", "run", "--models", "claude"]).await;
    assert_eq!(run.code, 5, "no draft: {}", run.stderr);
    assert!(run.stderr.contains("307 redirect to http://127.0.0.1"), "{}", run.stderr);
    assert!(run.stderr.contains("not followed"), "{}", run.stderr);
    assert!(
        elsewhere.received_requests().await.unwrap_or_default().is_empty(),
        "the key went nowhere"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_a_server_repeats_is_shown_nowhere_and_a_huge_body_is_cut() {
    use serde_json::json;
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "error",
            "error": {"type": "authentication_error", "message": format!("invalid x-api-key: {KEY}")}
        })))
        .mount(&server)
        .await;
    // Ten megabytes of answer: more than anyone's commit message.
    let huge = format!(
        "{{\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":\"{}\"}}}}]}}",
        "x".repeat(10 * 1024 * 1024)
    );
    Mock::given(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let repo = keyed_repo(&server);
    for arguments in [
        vec!["hook", "run", "--models", "claude,gpt,local"],
        vec!["hook", "run", "--models", "claude,gpt,local", "--format", "json"],
        vec!["models", "--check", "--models", "claude"],
        vec!["models", "--check", "--models", "claude", "--format", "json"],
    ] {
        let run = crate::report::run_async(&repo, &arguments).await;
        assert!(
            !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
            "{arguments:?} printed the key"
        );
        if arguments.contains(&"hook") && !arguments.contains(&"json") {
            assert!(run.stderr.contains("larger than 4 MB"), "{}", run.stderr);
            assert!(run.stderr.contains("invalid x-api-key: [key]"), "{}", run.stderr);
        }
    }
    repo.install_hooks();
    let mut repo = repo;
    let record = repo.record_editor();
    let mut command = repo.command("git");
    command.args(["commit", "-q", "--allow-empty-message"]).env("CHANGES_MODELS", "claude,local");
    let output =
        tokio::task::spawn_blocking(move || command.output().expect("git")).await.expect("joined");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stderr).contains(KEY));
    let file = std::fs::read_to_string(record).expect("message file");
    assert!(!file.contains(KEY), "{file}");
    assert!(file.contains("claude: failed: 401"), "{file}");
}

#[test]
fn a_trickling_ollama_server_cannot_hold_the_run() {
    let (url, _) = crate::faults::raw_server(|stream| {
        use std::io::Write;
        for byte in b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{\"models\":[]}" {
            if stream.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut repo = staged_repo();
    let host = url.trim_start_matches("http://").trim_end_matches("/v1").to_string();
    repo.set_env("OLLAMA_HOST", &host);
    let started = Instant::now();
    let run = repo.changes(&["hook", "run", "--timeout", "5s"]);
    run.success();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the probe held the run {:?}",
        started.elapsed()
    );
}

#[test]
fn reviews_in_the_same_second_each_keep_their_report() {
    let repo = crate::push::pushed_repo();
    crate::push::commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "add a");
    for _ in 0..3 {
        repo.changes(&["hook", "run", "pre-push", "--range", "HEAD~1..HEAD"]).success();
    }
    let reports = crate::push::reports(&repo);
    assert_eq!(reports.len(), 3, "three reviews, three reports: {reports:?}");
}

#[test]
fn a_push_to_a_remote_whose_path_is_not_utf8_goes_on_and_base_urls_show_no_credentials() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let remote = repo.home.join(std::ffi::OsStr::from_bytes(b"remote-\xe9.git"));
    let made = repo.command("git").arg("init").arg("-q").arg("--bare").arg(&remote).output();
    assert!(made.expect("git init").status.success());
    repo.command("git").args(["remote", "add", "origin"]).arg(&remote).output().expect("remote");
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    repo.install_hooks();
    let push = repo.git_output(&["push", "-q", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);

    let user = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(user.parent().expect("folder")).expect("folder");
    std::fs::write(
        &user,
        "models:\n  - {name: work, provider: openai-compatible, model: m, base_url: 'http://admin:hunter2@llm.internal:8000/v1?key=AIzaSyA-secret'}\n",
    )
    .expect("user file");
    for arguments in [vec!["models"], vec!["models", "--format", "json"], vec!["config", "show"]] {
        let shown = repo.changes(&arguments);
        let text = shown.success();
        assert!(
            !text.contains("hunter2") && !text.contains("AIzaSyA-secret"),
            "{arguments:?}: {text}"
        );
        assert!(text.contains("llm.internal:8000"), "{arguments:?}");
    }
}
