//! The deterministic checks through the real binary: each case is committed in a repository
//! with a bare remote, reviewed with `hook run pre-push --range` (or through `git push`), and
//! found by `checks` at the right path and lines of the new file.

use crate::harness::{make_executable, TestRepo};
use crate::push::{commit_file, pushed_repo, reports};

/// `(location, title)` of every finding raised by the checks when reviewing `HEAD~1..HEAD`.
fn checked(repo: &TestRepo) -> Vec<(String, String)> {
    let run = repo.changes(&[
        "hook",
        "run",
        "pre-push",
        "--range",
        "HEAD~1..HEAD",
        "--models",
        "local",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(run.success()).expect("json");
    // The checks' findings are the range's own, beside the models' merged ones.
    let findings = value["ranges"][0]["findings"].as_array().cloned().unwrap_or_default();
    findings
        .iter()
        .filter(|finding| {
            finding["raised_by"].as_array().is_some_and(|by| by.iter().any(|name| name == "checks"))
        })
        .map(|finding| {
            let path = finding["path"].as_str().unwrap_or_default();
            let location =
                match (finding["lines"]["start"].as_u64(), finding["lines"]["end"].as_u64()) {
                    (Some(start), Some(end)) if start == end => format!("{path}:{start}"),
                    (Some(start), Some(end)) => format!("{path}:{start}-{end}"),
                    _ => path.to_string(),
                };
            (location, finding["title"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn has(found: &[(String, String)], location: &str, title: &str) -> bool {
    found.iter().any(|(at, what)| at == location && what.contains(title))
}

#[test]
fn a_cloud_key_is_found_at_its_line() {
    let repo = pushed_repo();
    let key = format!("AKIA{}", "Q4NR7XZ2LM8KD3PW");
    commit_file(
        &repo,
        "deploy/settings.py",
        &format!("REGION = 'eu'\n\nKEY = '{key}'\n"),
        "settings",
    );
    let found = checked(&repo);
    assert!(has(&found, "deploy/settings.py:3", "is being pushed"), "{found:?}");
}

#[test]
fn conflict_markers_are_found_from_first_to_last_marker_through_git_push() {
    let repo = pushed_repo();
    commit_file(
        &repo,
        "src/a.rs",
        "fn a() {}\n<<<<<<< HEAD\nfn b() {}\n=======\nfn c() {}\n>>>>>>> side\n",
        "merge",
    );
    let found = checked(&repo);
    assert!(has(&found, "src/a.rs:2-6", "conflict markers"), "{found:?}");
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(push.stderr.contains("conflict markers left from a merge"), "{}", push.stderr);
    let report = std::fs::read_to_string(reports(&repo).pop().expect("report")).expect("read");
    assert!(report.contains("conflict markers left from a merge"), "{report}");
}

#[test]
fn leftover_debug_code_per_language_is_found_at_its_line() {
    let repo = pushed_repo();
    commit_file(&repo, "src/lib.rs", "pub fn a() -> u32 {\n    1\n}\n", "library");
    repo.stage("src/lib.rs", "pub fn a() -> u32 {\n    println!(\"here\");\n    dbg!(1)\n}\n");
    repo.stage("app/main.py", "def main():\n    breakpoint()\n");
    repo.stage("web/app.js", "export function f() {\n  debugger;\n  console.log('x');\n}\n");
    repo.stage("tests/check.py", "import pdb\n");
    repo.commit("debugging");
    let found = checked(&repo);
    assert!(has(&found, "src/lib.rs:3", "(dbg!)"), "{found:?}");
    assert!(
        has(&found, "src/lib.rs:2", "(println!)"),
        "a library file that never printed: {found:?}"
    );
    assert!(has(&found, "app/main.py:2", "(breakpoint())"), "{found:?}");
    assert!(has(&found, "web/app.js:2", "(debugger)"), "{found:?}");
    assert!(!found.iter().any(|(at, _)| at.starts_with("tests/")), "{found:?}");
    assert!(
        !has(&found, "web/app.js:3", "console.log"),
        "a new file's printing is not judged: {found:?}"
    );
}

#[test]
fn new_todo_and_fixme_comments_are_found_at_their_line() {
    let repo = pushed_repo();
    commit_file(&repo, "src/a.rs", "// TODO: already here\nfn a() {}\n", "a");
    commit_file(
        &repo,
        "src/a.rs",
        "fn z() {}\n// TODO: already here\nfn a() {}\n// FIXME: handle errors\n",
        "more",
    );
    let found = checked(&repo);
    assert_eq!(found, vec![("src/a.rs:4".to_string(), "new FIXME comment".to_string())]);
}

#[test]
fn large_and_binary_files_added_and_an_executable_bit_are_found() {
    let repo = pushed_repo();
    commit_file(&repo, "run.sh", "echo hi\n", "script");
    repo.stage("data/big.csv", "a,b\n".repeat(400_000));
    repo.stage("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".repeat(10));
    make_executable(&repo.path("run.sh"));
    repo.git(&["add", "run.sh"]);
    repo.commit("assets");
    let found = checked(&repo);
    assert!(has(&found, "data/big.csv", "a large file (1.6 MB) is added"), "{found:?}");
    assert!(has(&found, "logo.png", "a binary file"), "{found:?}");
    assert!(has(&found, "run.sh", "the file becomes executable"), "{found:?}");
}

#[test]
fn a_lock_file_alone_and_dependencies_without_the_lock_file_are_found() {
    let repo = pushed_repo();
    let manifest =
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n";
    commit_file(&repo, "Cargo.toml", manifest, "manifest");
    commit_file(&repo, "Cargo.lock", "# lock v1\n", "lock");
    repo.stage("Cargo.lock", "# lock v2\n");
    repo.stage("src/lib.rs", "pub fn f() {}\n");
    repo.commit("work, and a lock file updated by accident");
    let found = checked(&repo);
    assert!(has(&found, "Cargo.lock", "Cargo.lock changed without Cargo.toml"), "{found:?}");
    commit_file(&repo, "Cargo.toml", &format!("{manifest}regex = \"1\"\n"), "add regex");
    let found = checked(&repo);
    assert!(has(&found, "Cargo.toml:7", "dependencies change without Cargo.lock"), "{found:?}");
    commit_file(
        &repo,
        "Cargo.toml",
        &format!("{manifest}regex = \"1\"\n").replace("0.1.0", "0.2.0"),
        "bump",
    );
    assert!(checked(&repo).is_empty(), "a version bump is not a dependency change");
}

#[test]
fn a_large_source_change_with_no_test_is_a_low_priority_finding() {
    let repo = pushed_repo();
    commit_file(&repo, "tests/basic.rs", "#[test]\nfn basic() {}\n", "tests");
    let body: String =
        (1..=40).map(|index| format!("pub const C{index}: u32 = {index};\n")).collect();
    commit_file(&repo, "src/consts.rs", &body, "constants");
    let found = checked(&repo);
    assert!(has(&found, "src/consts.rs:1", "source changed and no test changed"), "{found:?}");
    commit_file(&repo, "src/consts.rs", &body.replace("C1:", "ONE:"), "rename");
    assert!(checked(&repo).is_empty(), "a one-line change is not remarked on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_findings_stay_when_no_model_answers() {
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(
            ResponseTemplate::new(400).set_body_string("{\"error\":{\"message\":\"bad\"}}"),
        )
        .mount(&server)
        .await;
    let repo = pushed_repo();
    let user = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(user.parent().expect("folder")).expect("folder");
    std::fs::write(
        &user,
        format!(
            "models:\n  - name: reviewer\n    provider: openai-compatible\n    model: m\n    base_url: {}/v1\ndefaults: [reviewer]\n",
            server.uri()
        ),
    )
    .expect("user configuration");
    commit_file(&repo, "src/a.rs", "fn a() {}\n<<<<<<< HEAD\n=======\n>>>>>>> side\n", "merge");
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(["hook", "run", "pre-push", "--range", "HEAD~1..HEAD", "--format", "json"]);
    let output =
        tokio::task::spawn_blocking(move || command.output().expect("runs")).await.expect("joined");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["ranges"][0]["models"][0]["status"], "failed", "{value}");
    let findings = value["ranges"][0]["findings"].as_array().cloned().unwrap_or_default();
    assert!(
        findings.iter().any(|finding| finding["title"] == "conflict markers left from a merge"
            && finding["lines"]["start"] == 2
            && finding["raised_by"][0] == "checks"),
        "{value}"
    );
    assert_eq!(value["ranges"][0]["verdict"], "needs-changes", "{value}");
}

#[test]
fn a_check_blocks_a_push_even_when_no_model_is_asked() {
    // The checks need no model: a key in the push stops it under `push.block: p1` with only
    // the offline reviewer available, and the finding is named once, as the checks' own.
    let repo = pushed_repo();
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(&path, "defaults: [local]\npush:\n  block: p1\n").expect("user configuration");
    let key = format!("AKIA{}", "Q4NR7XZ2LM8KD3PW");
    commit_file(&repo, "deploy/settings.py", &format!("KEY = '{key}'\n"), "settings");
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_ne!(push.code, 0, "the key stops the push: {}", push.stderr);
    assert!(push.stderr.contains("push stopped by push.block: p1"), "{}", push.stderr);
    let blocking: Vec<&str> =
        push.stderr.lines().filter(|line| line.starts_with("changes: blocking:")).collect();
    assert_eq!(blocking.len(), 1, "{}", push.stderr);
    assert!(blocking[0].contains("deploy/settings.py:1") && blocking[0].ends_with("checks"));
    assert!(!push.stderr.contains(&key), "{}", push.stderr);
}
