//! The pre-push review through real `git push` to a local bare remote, with hooks installed by
//! `changes hook install`: which commits are reviewed (checked against `git rev-list`), what
//! the report says, and that only the user's policy ever stops a push.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Run, TestRepo};

/// A repository with one pushed commit on `main`, a bare remote `origin`, hooks installed.
pub(crate) fn pushed_repo() -> TestRepo {
    let repo = TestRepo::new();
    let remote = repo.home.join("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap_or_default()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap_or_default()]);
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    repo.install_hooks();
    repo
}

/// The push reports written so far, oldest first.
pub(crate) fn reports(repo: &TestRepo) -> Vec<PathBuf> {
    let folder = repo.path(".git/changes/reports");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// The lines of a report's `## heading` sections (one per range pushed).
fn section<'a>(report: &'a str, heading: &str) -> Vec<&'a str> {
    let start = format!("## {heading}");
    let mut inside = false;
    let mut lines = Vec::new();
    for line in report.lines() {
        if line.starts_with("## ") {
            inside = line == start;
        } else if inside {
            lines.push(line);
        }
    }
    lines
}

/// The full commit ids listed in a report's section (`Commits`, or for a forced update
/// `Commits the remote gains` and `Commits the remote loses`).
fn commits_in(report: &str, heading: &str) -> BTreeSet<String> {
    section(report, heading)
        .into_iter()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|id| id.len() >= 40)
        .map(str::to_string)
        .collect()
}

/// The commits a report lists as sent.
fn reported_commits(report: &str) -> BTreeSet<String> {
    let mut commits = commits_in(report, "Commits");
    commits.extend(commits_in(report, "Commits the remote gains"));
    commits
}

/// The paths a report's "Files" section lists.
fn reported_files(report: &str) -> BTreeSet<String> {
    section(report, "Files")
        .into_iter()
        .filter_map(|line| line.strip_prefix("- "))
        .map(|rest| rest.rsplit_once(" (").map_or(rest, |(path, _)| path).to_string())
        .collect()
}

fn rev_list(repo: &TestRepo, range: &str) -> BTreeSet<String> {
    repo.git(&["rev-list", range]).lines().map(str::to_string).collect()
}

/// Every commit `git rev-list` gives for these arguments (`main`, `^origin/main`, …).
fn rev_list_of(repo: &TestRepo, arguments: &[&str]) -> BTreeSet<String> {
    let mut command = vec!["rev-list"];
    command.extend_from_slice(arguments);
    repo.git(&command).lines().map(str::to_string).collect()
}

/// The paths `git diff --name-only from to` lists.
fn diff_names(repo: &TestRepo, from: &str, to: &str) -> BTreeSet<String> {
    repo.git(&["diff", "--name-only", from, to]).lines().map(str::to_string).collect()
}

/// The only report written since `before` were there.
fn newest_report(repo: &TestRepo, before: &[PathBuf]) -> String {
    let new: Vec<PathBuf> =
        reports(repo).into_iter().filter(|path| !before.contains(path)).collect();
    assert_eq!(new.len(), 1, "one new report: {new:?}");
    std::fs::read_to_string(&new[0]).expect("report")
}

/// Writes, stages and commits one file without running the hooks.
pub(crate) fn commit_file(repo: &TestRepo, path: &str, content: &str, message: &str) {
    repo.stage(path, content);
    repo.git(&["commit", "-q", "--no-verify", "-m", message]);
}

#[test]
fn a_normal_update_reviews_exactly_remote_to_local() {
    let repo = pushed_repo();
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "add a");
    commit_file(&repo, "src/b.rs", "pub fn b() {}\n", "add b");
    let expected = rev_list(&repo, "origin/main..main");
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(
        push.stderr
            .contains("changes: review of 2 commits to origin refs/heads/main (update), 2 files"),
        "{}",
        push.stderr
    );
    let reports = reports(&repo);
    assert_eq!(reports.len(), 1);
    let report = std::fs::read_to_string(&reports[0]).expect("report");
    assert_eq!(reported_commits(&report), expected);
    assert!(report.contains("| local |"), "{report}");
    let name =
        reports[0].file_name().and_then(|name| name.to_str()).unwrap_or_default().to_string();
    let tip = repo.git(&["rev-parse", "--short=12", "main"]);
    assert!(name.starts_with("push-") && name.ends_with(&format!("-{}.md", tip.trim())), "{name}");
}

#[test]
fn the_first_push_of_a_new_branch_reviews_only_commits_missing_from_the_remote() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    commit_file(&repo, "src/feature.rs", "pub fn feature() {}\n", "feature work");
    commit_file(&repo, "src/more.rs", "pub fn more() {}\n", "more work");
    let expected = rev_list(&repo, "main..feature");
    assert_eq!(expected.len(), 2);
    repo.git(&["push", "-q", "origin", "feature"]);
    let report = std::fs::read_to_string(&reports(&repo)[0]).expect("report");
    assert_eq!(reported_commits(&report), expected, "{report}");
    assert!(report.contains("(new ref)"), "{report}");
}

#[test]
fn a_force_push_after_amend_reviews_what_the_remote_loses_and_gains() {
    let repo = pushed_repo();
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "add a");
    repo.git(&["push", "-q", "origin", "main"]);
    repo.stage("src/a.rs", "pub fn a() -> u32 { 1 }\n");
    repo.git(&["commit", "-q", "--no-verify", "--amend", "-m", "add a, amended"]);
    let expected = rev_list(&repo, "origin/main~1..main");
    let lost = rev_list(&repo, "main..origin/main");
    let files = diff_names(&repo, "origin/main", "main");
    let before = reports(&repo);
    let push = repo.git_output(&["push", "--force", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(
        push.stderr.contains("review of a forced update to origin refs/heads/main: the remote gains 1 commit and loses 1 commit"),
        "{}",
        push.stderr
    );
    let report = newest_report(&repo, &before);
    assert!(report.contains("(forced update)"), "{report}");
    assert_eq!(commits_in(&report, "Commits the remote gains"), expected);
    assert_eq!(commits_in(&report, "Commits the remote loses"), lost);
    // The diff is what the remote's branch goes through: only the amendment.
    assert!(report.contains("- src/a.rs (modified, +1 -1)"), "{report}");
    assert_eq!(reported_files(&report), files);
}

#[test]
fn merge_commits_and_a_side_branch_from_an_older_commit_are_reviewed_from_the_remote_tip() {
    // The shape of fd's history: a side branch started before the remote's tip and merged
    // after it. The diff starts at the remote's tip, not at the side branch's parent, so a
    // file the remote already has is not reviewed again.
    let repo = pushed_repo();
    commit_file(&repo, "src/on_remote.rs", "pub fn pushed() {}\n", "already pushed");
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    repo.git(&["checkout", "-q", "-b", "side", "main~1"]);
    commit_file(&repo, "src/side.rs", "pub fn side() {}\n", "side work");
    repo.git(&["checkout", "-q", "main"]);
    commit_file(&repo, "src/main_work.rs", "pub fn work() {}\n", "main work");
    repo.git(&["merge", "-q", "--no-ff", "--no-verify", "-m", "Merge side", "side"]);
    let expected = rev_list(&repo, "origin/main..main");
    assert_eq!(expected.len(), 3, "two commits and the merge");
    let files = diff_names(&repo, "origin/main", "main");
    let before = reports(&repo);
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = newest_report(&repo, &before);
    assert_eq!(reported_commits(&report), expected, "{report}");
    assert_eq!(reported_files(&report), files, "{report}");
    assert!(!report.contains("src/on_remote.rs"), "{report}");
    assert!(push.stderr.contains("(update), 2 files +2 -0"), "{}", push.stderr);
}

#[test]
fn a_merged_side_branch_the_remote_has_is_in_the_diff_but_not_in_the_commit_list() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "side"]);
    commit_file(&repo, "src/side.rs", "pub fn side() {}\n", "side work");
    repo.git(&["push", "-q", "--no-verify", "origin", "side"]);
    repo.git(&["checkout", "-q", "main"]);
    commit_file(&repo, "src/main_work.rs", "pub fn work() {}\n", "main work");
    repo.git(&["merge", "-q", "--no-ff", "--no-verify", "-m", "Merge side", "side"]);
    let expected = rev_list_of(&repo, &["main", "^origin/main", "^origin/side"]);
    assert_eq!(expected.len(), 2, "main's commit and the merge");
    let files = diff_names(&repo, "origin/main", "main");
    let before = reports(&repo);
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = newest_report(&repo, &before);
    assert_eq!(reported_commits(&report), expected, "{report}");
    // Merges included: the remote's main gains the side branch's file too.
    assert_eq!(reported_files(&report), files, "{report}");
    assert!(report.contains("src/side.rs"), "{report}");
    assert!(report.contains("1 commit already on the remote under another ref"), "{report}");
}

#[test]
fn a_rebased_branch_force_pushed_names_what_the_remote_loses_and_gains() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    commit_file(&repo, "src/feature.rs", "pub fn feature() {}\n", "feature work");
    repo.git(&["push", "-q", "--no-verify", "origin", "feature"]);
    repo.git(&["checkout", "-q", "main"]);
    commit_file(&repo, "src/main_work.rs", "pub fn work() {}\n", "main work");
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["rebase", "-q", "main"]);
    let gained = rev_list_of(&repo, &["feature", "^origin/feature", "^origin/main"]);
    let lost = rev_list(&repo, "feature..origin/feature");
    assert_eq!((gained.len(), lost.len()), (1, 1));
    let files = diff_names(&repo, "origin/feature", "feature");
    let before = reports(&repo);
    let push = repo.git_output(&["push", "--force", "origin", "feature"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(
        push.stderr.contains("review of a forced update to origin refs/heads/feature: the remote gains 1 commit and loses 1 commit"),
        "{}",
        push.stderr
    );
    let report = newest_report(&repo, &before);
    assert_eq!(commits_in(&report, "Commits the remote gains"), gained, "{report}");
    assert_eq!(commits_in(&report, "Commits the remote loses"), lost, "{report}");
    assert_eq!(reported_files(&report), files, "{report}");
    assert!(report.contains("1 commit already on the remote under another ref"), "{report}");
}

#[test]
fn a_new_branch_off_a_pushed_feature_branch_is_reviewed_from_that_branch() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    commit_file(&repo, "src/feature.rs", "pub fn feature() {}\n", "feature work");
    repo.git(&["push", "-q", "--no-verify", "origin", "feature"]);
    repo.git(&["checkout", "-q", "-b", "stacked"]);
    commit_file(&repo, "src/stacked.rs", "pub fn stacked() {}\n", "stacked work");
    commit_file(&repo, "src/more.rs", "pub fn more() {}\n", "more stacked work");
    let expected = rev_list_of(&repo, &["stacked", "^origin/main", "^origin/feature"]);
    assert_eq!(expected.len(), 2);
    let before = reports(&repo);
    let push = repo.git_output(&["push", "origin", "stacked"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = newest_report(&repo, &before);
    assert_eq!(reported_commits(&report), expected, "{report}");
    assert_eq!(reported_files(&report), diff_names(&repo, "feature", "stacked"), "{report}");
    assert!(report.contains("(merge base with origin/feature)"), "{report}");
    assert!(report.contains("(new ref)"), "{report}");
}

#[test]
fn a_new_branch_off_an_unpushed_feature_branch_carries_that_branch_from_the_default_one() {
    let repo = pushed_repo();
    repo.git(&["remote", "set-head", "origin", "main"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    commit_file(&repo, "src/feature.rs", "pub fn feature() {}\n", "feature work");
    repo.git(&["checkout", "-q", "-b", "stacked"]);
    commit_file(&repo, "src/stacked.rs", "pub fn stacked() {}\n", "stacked work");
    let expected = rev_list(&repo, "origin/main..stacked");
    assert_eq!(expected.len(), 2);
    let before = reports(&repo);
    let push = repo.git_output(&["push", "origin", "stacked"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = newest_report(&repo, &before);
    assert_eq!(reported_commits(&report), expected, "{report}");
    assert_eq!(reported_files(&report), diff_names(&repo, "origin/main", "stacked"), "{report}");
    assert!(report.contains("(merge base with origin/main)"), "{report}");
}

#[test]
fn deletions_up_to_date_pushes_and_already_pushed_tags_review_nothing() {
    let repo = pushed_repo();
    repo.git(&["push", "-q", "origin", "main:refs/heads/doomed"]);
    let before = reports(&repo);
    repo.git(&["push", "-q", "origin", "--delete", "doomed"]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo.git(&["tag", "v0.1"]);
    repo.git(&["push", "-q", "origin", "v0.1"]);
    assert_eq!(reports(&repo), before, "nothing new was sent");
}

#[test]
fn a_tag_and_a_branch_pushed_together_are_reviewed_once_with_the_tag_peeled() {
    let repo = pushed_repo();
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "add a");
    repo.git(&["tag", "-a", "v1.0", "-m", "release"]);
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    commit_file(&repo, "src/side.rs", "pub fn side() {}\n", "side work");
    repo.git(&["checkout", "-q", "main"]);
    let push = repo.git_output(&["push", "origin", "main", "side", "v1.0"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = std::fs::read_to_string(&reports(&repo)[0]).expect("report");
    // The push adds one commit on main and one on side; the tag points at main's.
    let added: BTreeSet<String> =
        [repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "side"])]
            .into_iter()
            .map(|id| id.trim().to_string())
            .collect();
    assert_eq!(reported_commits(&report), added, "{report}");
    assert!(report.contains("refs/heads/main → refs/heads/main"), "{report}");
    assert!(report.contains("refs/heads/side → refs/heads/side"), "{report}");
    assert!(
        !report.contains("refs/tags/v1.0 →"),
        "the tag's commit is already reviewed with main: {report}"
    );
}

#[test]
fn a_sha256_repository_pushes_and_is_reviewed() {
    let repo = TestRepo::new();
    std::fs::remove_dir_all(repo.path(".git")).expect("reset");
    repo.git(&["init", "-q", "-b", "main", "--object-format=sha256"]);
    let remote = repo.home.join("remote.git");
    repo.git(&[
        "init",
        "-q",
        "--bare",
        "--object-format=sha256",
        remote.to_str().unwrap_or_default(),
    ]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap_or_default()]);
    repo.install_hooks();
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "first");
    commit_file(&repo, "src/b.rs", "pub fn b() {}\n", "second");
    let push = repo.git_output(&["push", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = std::fs::read_to_string(&reports(&repo)[0]).expect("report");
    let commits = reported_commits(&report);
    assert_eq!(commits, rev_list(&repo, "main"));
    assert!(commits.iter().all(|id| id.len() == 64), "{commits:?}");
}

/// A user configuration with one OpenAI-compatible model on `server` and a push policy.
pub(crate) fn configure(repo: &TestRepo, server: &MockServer, block: &str, timeout: &str) {
    let yaml = format!(
        "models:\n  - name: reviewer\n    provider: openai-compatible\n    model: review-model\n    base_url: {}/v1\ndefaults: [reviewer]\npush:\n  block: {block}\n  timeout: {timeout}\n",
        server.uri()
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
}

/// An OpenAI Chat Completions answer whose message is `text`.
pub(crate) fn review_answer(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]
    }))
}

/// `git push origin main`, run off the async runtime so that a loopback server can answer.
pub(crate) async fn git_push(repo: &TestRepo) -> (Run, Duration) {
    let mut command = repo.command("git");
    command.args(["push", "origin", "main"]);
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        (Run::from(command.output().expect("git push")), started.elapsed())
    })
    .await
    .expect("joined")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_on_findings_stops_a_push_with_a_high_risk_and_names_the_way_past() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(review_answer("Summary:\n- Drops the users table\n\nRisks:\n- [high] db/migrate.sql: drops the users table\n"))
        .mount(&server)
        .await;
    let repo = pushed_repo();
    configure(&repo, &server, "on-findings", "10s");
    commit_file(&repo, "db/migrate.sql", "DROP TABLE users;\n", "migrate");
    let (push, _) = git_push(&repo).await;
    assert_ne!(push.code, 0, "the policy stops the push: {}", push.stderr);
    assert!(push.stderr.contains("push stopped by push.block: on-findings"), "{}", push.stderr);
    assert!(push.stderr.contains("git push --no-verify"), "{}", push.stderr);
    let report = reports(&repo).pop().expect("report");
    assert!(
        push.stderr.contains(report.to_str().unwrap_or_default()),
        "names the report: {}",
        push.stderr
    );
    assert_ne!(
        repo.git(&["rev-parse", "main"]),
        repo.git(&["rev-parse", "origin/main"]),
        "nothing was pushed"
    );
    let received = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).expect("json");
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    assert!(user.contains("Commits being pushed") && user.contains("migrate"), "{user}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_on_findings_lets_a_clean_review_through() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(review_answer(
            "Summary:\n- Adds a helper\n\nRisks:\n- [low] src/a.rs: no test\n",
        ))
        .mount(&server)
        .await;
    let repo = pushed_repo();
    configure(&repo, &server, "on-findings", "10s");
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "helper");
    let (push, _) = git_push(&repo).await;
    assert_eq!(push.code, 0, "{}", push.stderr);
    assert!(push.stderr.contains("reviewer ("), "{}", push.stderr);
    assert!(push.stderr.contains("1 finding (1 P3)"), "{}", push.stderr);
    assert_eq!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_that_never_answers_does_not_hold_the_push_past_its_deadline() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(review_answer("late").set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let repo = pushed_repo();
    configure(&repo, &server, "on-findings", "2s");
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "helper");
    let (push, elapsed) = git_push(&repo).await;
    assert_eq!(push.code, 0, "our trouble never stops a push: {}", push.stderr);
    assert!(push.stderr.contains("no answer before the deadline"), "{}", push.stderr);
    assert!(elapsed < Duration::from_secs(5), "the 2 s review deadline held: {elapsed:?}");
    assert_eq!(repo.git(&["rev-parse", "main"]), repo.git(&["rev-parse", "origin/main"]));
}

#[test]
fn by_hand_it_reviews_the_upstream_or_a_range_and_writes_json() {
    let repo = pushed_repo();
    commit_file(&repo, "src/a.rs", "pub fn a() {}\n", "add a");
    let run = repo.changes(&["hook", "run", "pre-push", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(run.success()).expect("json on stdout");
    let commits = value["ranges"][0]["commits"].as_array().expect("commits");
    assert_eq!(commits.len(), 1);
    assert_eq!(value["ranges"][0]["models"][0]["model"], "local");
    assert_eq!(value["source"], "upstream");
    assert_eq!(value["remote"]["name"], "origin");
    assert!(value["range"].is_null());
    let text = repo.changes(&["hook", "run", "pre-push"]);
    assert!(
        text.stderr.contains(
            "review of 1 commit that git push would send to origin refs/heads/main (update)"
        ),
        "{}",
        text.stderr
    );
    assert!(value["report"].as_str().is_some_and(|path| path.ends_with(".md")));
    let range = repo.changes(&["hook", "run", "pre-push", "--range", "HEAD~1..HEAD"]);
    range.success();
    assert!(
        range.stderr.contains("review of 1 commit, HEAD~1..HEAD, 1 file +1 -0"),
        "{}",
        range.stderr
    );
    let json =
        repo.changes(&["hook", "run", "pre-push", "--range", "HEAD~1..HEAD", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(json.success()).expect("json");
    assert!(value["remote"].is_null(), "no made-up remote: {value}");
    assert_eq!(value["range"]["from"], "HEAD~1");
    assert_eq!(value["range"]["to_id"], repo.git(&["rev-parse", "HEAD"]).trim());
    assert!(value["ranges"][0]["local_ref"].is_null());
    let none = repo.changes(&["hook", "run", "pre-push", "--range", "HEAD..HEAD"]);
    assert!(none.success().is_empty());
    assert!(none.stderr.contains("nothing to review"), "{}", none.stderr);
}

#[test]
fn a_force_push_over_a_remote_commit_not_fetched_here_is_reviewed_from_the_closest_remote_ref() {
    let repo = pushed_repo();
    let remote = repo.home.join("remote.git");
    let other = TestRepo::cloned(remote.to_str().unwrap_or_default());
    other.git(&["checkout", "-q", "-B", "main", "origin/main"]);
    commit_file(&other, "src/theirs.rs", "pub fn theirs() {}\n", "their work");
    other.git(&["push", "-q", "origin", "main"]);
    commit_file(&repo, "src/ours.rs", "pub fn ours() {}\n", "our work");
    let expected = rev_list(&repo, "origin/main..main");
    let files = diff_names(&repo, "origin/main", "main");
    let before = reports(&repo);
    let push = repo.git_output(&["push", "--force", "origin", "main"]);
    assert_eq!(push.code, 0, "{}", push.stderr);
    let report = newest_report(&repo, &before);
    assert!(report.contains("(update of a remote commit not fetched here)"), "{report}");
    assert_eq!(reported_commits(&report), expected, "{report}");
    assert_eq!(reported_files(&report), files, "{report}");
    assert!(report.contains("(merge base with origin/main)"), "{report}");
}
