//! FAULTS.md, row by row, where no other test file covers the row already (the map is in
//! tests/README.md). Git-side rows go through real git with hooks installed by
//! `changes hook install`; provider rows use loopback servers that misbehave on purpose,
//! down to raw sockets for bodies that stop halfway or trickle in.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::harness::{make_executable, Run, TestRepo, CHANGES};

const BLOCK: &str = "# changes: ";

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// One OpenAI-compatible model at `url` (with `/v1`), the only default.
fn one_model(repo: &TestRepo, url: &str, extra: &str) {
    let yaml = format!(
        "models:\n  - name: remote\n    provider: openai-compatible\n    model: remote-model\n    base_url: {url}\n    timeout: 3s\n{extra}defaults: [remote]\ncommit:\n  timeout: 3s\n"
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
}

/// A raw HTTP server on loopback that answers every connection with `behaviour` and counts
/// connections. Runs until the test process ends.
pub(crate) fn raw_server(behaviour: fn(&mut std::net::TcpStream)) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buffer = [0u8; 65536];
                // Read the request head and body (small in these tests) before misbehaving.
                let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
                let _ = stream.read(&mut buffer);
                behaviour(&mut stream);
            });
        }
    });
    (format!("http://{address}/v1"), count)
}

const ANSWER: &str = r#"{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"feat: a draft"}}]}"#;

fn run_hook(repo: &TestRepo, message: &std::path::Path) -> (Run, Duration) {
    let started = Instant::now();
    let run =
        repo.changes(&["hook", "run", "prepare-commit-msg", message.to_str().unwrap_or_default()]);
    (run, started.elapsed())
}

/// Stages a change and writes a message file as git would: the invariants are checked on it.
fn staged_with_message(repo: &TestRepo) -> std::path::PathBuf {
    repo.stage("src/lib.rs", "pub fn lib() -> u32 {\n    7\n}\n");
    let message = repo.home.join("COMMIT_EDITMSG");
    std::fs::write(&message, "\n# Please enter the commit message for your changes.\n")
        .expect("message");
    message
}

fn assert_untouched_and_quick(
    run: &Run,
    elapsed: Duration,
    message: &std::path::Path,
    limit: Duration,
) {
    assert_eq!(run.code, 0, "never blocks: {}", run.stderr);
    assert_eq!(
        read(message),
        "\n# Please enter the commit message for your changes.\n",
        "the file stays as git wrote it"
    );
    assert!(elapsed < limit, "the deadline held: {elapsed:?}");
    assert_eq!(run.stderr.lines().count(), 1, "one warning line: {}", run.stderr);
}

#[test]
fn a_body_that_stops_halfway_is_a_failure_not_a_hang() {
    let repo = TestRepo::new();
    let (url, _) = raw_server(|stream| {
        let half = &ANSWER[..ANSWER.len() / 2];
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{half}",
            ANSWER.len()
        );
        // Close with the body incomplete.
    });
    one_model(&repo, &url, "");
    let message = staged_with_message(&repo);
    let (run, elapsed) = run_hook(&repo, &message);
    assert_untouched_and_quick(&run, elapsed, &message, Duration::from_secs(5));
    assert!(run.stderr.contains("remote"), "{}", run.stderr);
}

#[test]
fn a_body_trickling_one_byte_a_second_is_cut_at_the_deadline() {
    let repo = TestRepo::new();
    let (url, _) = raw_server(|stream| {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            ANSWER.len()
        );
        for byte in ANSWER.bytes() {
            if stream.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    one_model(&repo, &url, "");
    let message = staged_with_message(&repo);
    let (run, elapsed) = run_hook(&repo, &message);
    assert_untouched_and_quick(&run, elapsed, &message, Duration::from_millis(4000));
    assert!(run.stderr.contains("no answer before the deadline"), "{}", run.stderr);
}

#[test]
fn keep_alive_blank_lines_before_the_json_are_tolerated_or_reported_cleanly() {
    let repo = TestRepo::new();
    let (url, _) = raw_server(|stream| {
        let body = format!("\n\n\n{ANSWER}");
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
    });
    one_model(&repo, &url, "");
    let message = staged_with_message(&repo);
    let (run, _) = run_hook(&repo, &message);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(&message).starts_with("feat: a draft\n"),
        "leading whitespace before JSON is valid JSON: {}",
        read(&message)
    );
}

#[test]
fn an_html_error_page_from_a_proxy_is_one_clear_line() {
    let repo = TestRepo::new();
    let (url, count) = raw_server(|stream| {
        let body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let _ = write!(stream, "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
    });
    one_model(&repo, &url, "");
    let message = staged_with_message(&repo);
    let (run, elapsed) = run_hook(&repo, &message);
    assert_untouched_and_quick(&run, elapsed, &message, Duration::from_secs(5));
    assert!(run.stderr.contains("502 Bad Gateway: an HTML error page"), "{}", run.stderr);
    assert_eq!(count.load(Ordering::SeqCst), 3, "a 502 is retried twice");
}

#[test]
fn connections_reset_and_servers_that_never_answer_do_not_block() {
    let repo = TestRepo::new();
    let (reset_url, _) = raw_server(|stream| {
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    one_model(&repo, &reset_url, "");
    let message = staged_with_message(&repo);
    let (run, elapsed) = run_hook(&repo, &message);
    assert_untouched_and_quick(&run, elapsed, &message, Duration::from_secs(5));

    let (silent_url, _) = raw_server(|_| std::thread::sleep(Duration::from_secs(30)));
    one_model(&repo, &silent_url, "");
    let (run, elapsed) = run_hook(&repo, &message);
    assert_untouched_and_quick(&run, elapsed, &message, Duration::from_millis(4500));
    assert!(run.stderr.contains("no answer before the deadline"), "{}", run.stderr);
}

#[test]
fn replays_and_the_no_editor_switch_send_no_request() {
    let repo = TestRepo::new();
    let (url, count) = raw_server(|stream| {
        let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{ANSWER}", ANSWER.len());
    });
    one_model(&repo, &url, "");
    repo.stage("a.txt", "a\n");
    repo.commit("first");
    repo.install_hooks();
    // cherry-pick and revert replay commits: the hook runs once per commit and must do nothing.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.stage("b.txt", "b\n");
    repo.commit("side commit");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["cherry-pick", "side"]);
    repo.git(&["revert", "--no-edit", "HEAD"]);
    assert_eq!(count.load(Ordering::SeqCst), 0, "no request during cherry-pick or revert");
    assert_eq!(repo.message("HEAD~1").lines().next(), Some("side commit"));

    // GIT_EDITOR=: means no editor will open: an unreviewed draft is not written.
    let template = repo.home.join("template.txt");
    std::fs::write(&template, "from the template\n").expect("template");
    repo.stage("c.txt", "c\n");
    let output = repo
        .command("git")
        .args(["commit", "-q", "--cleanup=verbatim", "-t", template.to_str().unwrap_or_default()])
        .env("GIT_EDITOR", ":")
        .output()
        .expect("git commit");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!repo.message("HEAD").contains("feat: a draft"), "{}", repo.message("HEAD"));
    assert_eq!(count.load(Ordering::SeqCst), 0);
}

#[test]
fn detached_head_and_c_with_a_revision_name() {
    let mut repo = TestRepo::new();
    repo.stage("a.rs", "pub fn a() {}\n");
    repo.commit("first");
    let record = repo.record_editor();
    repo.install_hooks();
    repo.git(&["checkout", "-q", "--detach"]);
    repo.stage("b.rs", "pub fn b() {}\n");
    repo.git(&["commit", "-q"]);
    assert!(read(&record).contains(BLOCK), "a draft on a detached HEAD: {}", read(&record));
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("c.rs", "pub fn c() {}\n");
    // -C with a branch name, not a sha: resolved by git, left untouched by default.
    repo.git(&["commit", "-q", "-C", "main"]);
    assert_eq!(repo.message("HEAD"), "first\n\n");
}

#[test]
fn an_opted_in_amend_redraft_diffs_against_the_parent_and_keeps_the_old_message() {
    let mut repo = TestRepo::new();
    repo.stage("a.rs", "pub fn a() {}\n");
    repo.commit("first");
    repo.stage("b.rs", "pub fn b() {}\n");
    repo.commit("old message");
    repo.write(".changes.yaml", "commit:\n  skip_sources: [message, merge, squash]\n");
    // Which sources are drafted for is the user's to decide: the file needs their approval.
    repo.changes(&["trust"]).success();
    let record = repo.record_editor();
    repo.install_hooks();
    repo.git(&["commit", "-q", "--amend"]);
    let shown = read(&record);
    assert!(shown.contains(BLOCK), "{shown}");
    assert!(shown.contains("# The message before this redraft:\n# old message"), "{shown}");
    assert!(shown.contains("b.rs"), "the redraft describes the whole amended commit: {shown}");
    assert!(!shown.contains("a.rs"), "not the parent's changes: {shown}");
}

#[test]
fn hook_arguments_from_one_to_three_with_empty_ones_are_accepted() {
    let repo = TestRepo::new();
    repo.stage("a.rs", "pub fn a() {}\n");
    let message = repo.home.join("SQUASH_MSG");
    std::fs::write(&message, "Squashed commit\n").expect("file");
    let path = message.to_str().unwrap_or_default();
    for arguments in [vec![path], vec![path, ""], vec![path, "", ""], vec![path, "squash", ""]] {
        let mut full = vec!["hook", "run", "prepare-commit-msg"];
        full.extend(arguments.iter().copied());
        let run = repo.changes(&full);
        assert_eq!(run.code, 0, "{arguments:?}: {}", run.stderr);
    }
    assert_eq!(read(&message).matches(BLOCK).count(), 1, "drafted once, then left alone");
}

#[test]
fn nothing_staged_and_only_excluded_files_send_no_content() {
    let repo = TestRepo::new();
    let (url, count) = raw_server(|stream| {
        let mut body = Vec::new();
        let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
        let _ = stream.read_to_end(&mut body);
        let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{ANSWER}", ANSWER.len());
    });
    one_model(&repo, &url, "");
    repo.stage("a.txt", "a\n");
    repo.commit("first");
    let message = repo.home.join("MSG");
    std::fs::write(&message, "\n# git\n").expect("file");
    let run =
        repo.changes(&["hook", "run", "prepare-commit-msg", message.to_str().unwrap_or_default()]);
    assert_eq!(run.code, 0);
    assert_eq!(read(&message), "\n# git\n", "nothing staged: nothing to draft");
    assert_eq!(count.load(Ordering::SeqCst), 0, "nothing staged: no request");
}

#[test]
fn a_file_over_the_hard_read_limit_is_listed_with_sizes_only() {
    let repo = TestRepo::new();
    let big: String = (0..500_000).map(|line| format!("row {line} HUGEMARKER\n")).collect();
    assert!(big.len() > 8 * 1024 * 1024);
    repo.stage("data/huge.csv", &big);
    let run = repo.changes(&["hook", "run", "--dry-run"]);
    let text = run.success();
    assert!(!text.contains("HUGEMARKER"), "no content from a file over the read limit");
    assert!(text.contains("- data/huge.csv (added, 0 B → 10.9 MB): too large to diff"), "{text}");
}

#[test]
fn a_bare_repository_or_a_hook_with_git_dir_set_exits_quietly() {
    let repo = TestRepo::new();
    let bare = repo.home.join("bare.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap_or_default()]);
    let message = repo.home.join("MSG");
    std::fs::write(&message, "x\n").expect("file");
    let run = repo
        .command(CHANGES)
        .args(["hook", "run", "prepare-commit-msg", message.to_str().unwrap_or_default()])
        .env("GIT_DIR", &bare)
        .output()
        .expect("run");
    assert!(run.status.success());
    assert!(run.stderr.is_empty(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(read(&message), "x\n");
}

#[test]
fn keys_can_come_from_the_user_file_but_never_from_a_repository_file() {
    let repo = TestRepo::new();
    let (url, _) = raw_server(|stream| {
        let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{ANSWER}", ANSWER.len());
    });
    let yaml = format!(
        "models:\n  - name: gui\n    provider: openai\n    model: gpt-4.1\n    base_url: {url}\n    api_key: sk-from-user-file\ndefaults: [gui]\n"
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
    repo.stage("a.rs", "pub fn a() {}\n");
    let run = repo.changes(&["hook", "run"]);
    assert_eq!(run.success(), "feat: a draft\n");
    let models = repo.changes(&["models"]);
    assert!(models
        .success()
        .lines()
        .any(|line| line.starts_with("gui ") && line.contains("in user file")));
    assert!(!models.stdout.contains("sk-from-user-file"));
    let shown = repo.changes(&["config", "show"]);
    assert!(!shown.success().contains("sk-from-user-file"), "{}", shown.stdout);

    repo.write(".changes.yaml", "models:\n  - name: gui\n    api_key: sk-committed\n");
    let refused = repo.changes(&["hook", "run"]);
    assert_eq!(refused.code, 0, "the file is left out, the run goes on: {}", refused.stderr);
    assert!(refused.stderr.contains("never in a file that may be committed"), "{}", refused.stderr);
    assert!(refused.stderr.contains("left out"), "{}", refused.stderr);
}

#[test]
fn unwritable_cache_and_report_folders_are_warnings_and_the_push_goes_on() {
    let repo = TestRepo::new();
    let remote = repo.home.join("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap_or_default()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap_or_default()]);
    repo.stage("a.rs", "pub fn a() {}\n");
    repo.commit("first");
    repo.install_hooks();
    // A file where the reports folder should be: nothing can be written under it.
    std::fs::write(repo.path("not-a-folder"), "x").expect("file");
    repo.write(".changes.yaml", "push:\n  report_dir: not-a-folder/reports\n");
    repo.changes(&["trust"]).success();
    repo.git(&["add", ".changes.yaml", "not-a-folder"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "config"]);
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(push.stderr.contains("cannot write the report"), "{}", push.stderr);
    assert_eq!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
}

#[test]
fn ten_thousand_commits_are_capped_to_the_newest_and_counted() {
    let repo = TestRepo::new();
    let remote = repo.home.join("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap_or_default()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap_or_default()]);
    // git fast-import writes 10,000 commits in well under a second.
    let mut stream = String::new();
    for index in 0..10_000 {
        let message = format!("commit {index}");
        let content = format!("{index}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter Test <t@example.com> {} +0000\ndata {}\n{message}\nM 644 inline file.txt\ndata {}\n{content}\n",
            1_700_000_000 + index,
            message.len(),
            content.len()
        ));
    }
    let mut import = repo
        .command("git")
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import");
    import.stdin.take().expect("stdin").write_all(stream.as_bytes()).expect("write");
    assert!(import.wait().expect("wait").success());
    repo.git(&["reset", "-q", "--hard", "main"]);
    repo.install_hooks();
    let started = Instant::now();
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    assert!(push.stderr.contains("review of 200 commits"), "{}", push.stderr);
    let folder = repo.path(".git/changes/reports");
    let report =
        std::fs::read_dir(folder).expect("reports").flatten().next().expect("a report").path();
    assert!(
        read(&report).contains("9800 older commits not reviewed (push.max_commits)"),
        "{}",
        read(&report)
    );
}

#[test]
fn closed_stderr_and_a_closed_pipe_never_panic() {
    let repo = TestRepo::new();
    repo.stage("a.rs", "pub fn a() {}\n");
    std::fs::write(repo.home.join(".env-holder"), "").expect("file");
    let script = repo.home.join("closed.sh");
    std::fs::write(&script, format!("#!/bin/sh\n'{CHANGES}' hook run --dry-run -v 2>&-\necho \"exit=$?\"\n'{CHANGES}' hook run --dry-run | head -c 1 > /dev/null\necho \"pipe=$?\"\n")).expect("script");
    make_executable(&script);
    let output = repo.command(script.to_str().unwrap_or_default()).output().expect("script runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("exit=0"), "{text}");
    assert!(text.contains("pipe=0"), "{text}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn sigint_and_sigterm_cancel_requests_write_nothing_and_exit_promptly() {
    let repo = TestRepo::new();
    let (url, connections) = raw_server(|_| std::thread::sleep(Duration::from_secs(30)));
    one_model(&repo, &url, "");
    let message = staged_with_message(&repo);
    for signal in ["-INT", "-TERM"] {
        let before = connections.load(Ordering::SeqCst);
        let mut child = repo
            .command(CHANGES)
            .args(["hook", "run", "prepare-commit-msg", message.to_str().unwrap_or_default()])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Signal only once the request is in flight, however slow the machine is.
        let waiting = Instant::now();
        while connections.load(Ordering::SeqCst) == before
            && waiting.elapsed() < Duration::from_secs(20)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = child.wait().expect("wait");
        assert!(started.elapsed() < Duration::from_secs(1), "{signal}: exited promptly");
        assert_eq!(status.code(), Some(0), "{signal}: a hook never fails the commit");
        let mut stderr = String::new();
        child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read");
        assert!(stderr.contains("interrupted; nothing was written"), "{signal}: {stderr}");
        assert_eq!(read(&message), "\n# Please enter the commit message for your changes.\n");
    }
}
