//! Drafting with models on a loopback server: concurrency across models, the map-reduce path
//! on a large change with the concurrency cap held and the cache reused, and real commits.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::harness::{Run, TestRepo};

/// Answers like an OpenAI-compatible server after a fixed delay: a commit message naming the
/// model, or, for map requests, one `[F1] summary` line per file asked about. Records when
/// each request arrived.
#[derive(Clone)]
struct FakeModels {
    delay: Duration,
    arrivals: Arc<Mutex<Vec<(Instant, Value)>>>,
    /// How map answers are written (`harness::MAP_FORMATS`).
    format: &'static str,
}

impl FakeModels {
    fn new(delay: Duration) -> Self {
        Self::answering_as(delay, "asked")
    }

    fn answering_as(delay: Duration, format: &'static str) -> Self {
        Self { delay, arrivals: Arc::new(Mutex::new(Vec::new())), format }
    }

    fn requests(&self) -> Vec<Value> {
        self.arrivals.lock().expect("lock").iter().map(|(_, body)| body.clone()).collect()
    }

    /// The spread between the first and the last map request's arrival: under one delay means
    /// they were all sent in one round trip.
    fn map_arrival_spread(&self) -> Duration {
        let arrivals: Vec<Instant> = self
            .arrivals
            .lock()
            .expect("lock")
            .iter()
            .filter(|(_, body)| is_map(body))
            .map(|(at, _)| *at)
            .collect();
        match (arrivals.iter().min(), arrivals.iter().max()) {
            (Some(first), Some(last)) => *last - *first,
            _ => Duration::ZERO,
        }
    }

    /// The most requests that were in flight at once, from arrival times and the fixed delay.
    fn most_in_flight(&self) -> usize {
        let arrivals: Vec<Instant> =
            self.arrivals.lock().expect("lock").iter().map(|(at, _)| *at).collect();
        arrivals
            .iter()
            .map(|start| {
                arrivals
                    .iter()
                    .filter(|other| **other <= *start && *start < **other + self.delay)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

fn is_map(body: &Value) -> bool {
    body["messages"][0]["content"].as_str().is_some_and(|system| system.contains("file by file"))
}

impl Respond for FakeModels {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        self.arrivals.lock().expect("lock").push((Instant::now(), body.clone()));
        let model = body["model"].as_str().unwrap_or("unknown").to_string();
        let content = if is_map(&body) {
            let user = body["messages"][1]["content"].as_str().unwrap_or_default();
            crate::harness::map_answer_as(self.format, user, |path| {
                format!("Changes {path} a little.")
            })
        } else {
            format!("feat: drafted by {model}\n\n- A bullet from {model}")
        };
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_json(json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}))
    }
}

/// A user configuration with `count` OpenAI-compatible models on `server`, all default.
fn configure(
    repo: &TestRepo,
    server: &MockServer,
    count: usize,
    context_tokens: usize,
    max_concurrency: usize,
) {
    // The fake server answers in a fixed delay whatever the length: a fast model, as far as
    // the planner's speed figures go.
    let mut yaml = String::from("model_defaults: {output_tokens_per_second: 5000}\nmodels:\n");
    let mut names = Vec::new();
    for index in 1..=count {
        names.push(format!("m{index}"));
        yaml.push_str(&format!(
            "  - name: m{index}\n    provider: openai-compatible\n    model: model-{index}\n    base_url: {}/v1\n    context_tokens: {context_tokens}\n    max_concurrency: {max_concurrency}\n",
            server.uri()
        ));
    }
    yaml.push_str(&format!("defaults: [{}]\n", names.join(", ")));
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
}

async fn run_changes(repo: &TestRepo, arguments: &[&str]) -> (Run, Duration) {
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(arguments);
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let output = command.output().expect("changes runs");
        (Run::from(output), started.elapsed())
    })
    .await
    .expect("joined")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_models_answer_in_about_one_delay_not_six() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(500));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    configure(&repo, &server, 6, 32_000, 4);
    repo.stage("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n");
    let (run, elapsed) = run_changes(&repo, &["hook", "run"]).await;
    let draft = run.success();
    assert!(
        draft.starts_with("feat: drafted by model-1\n"),
        "the first configured model is the draft:\n{draft}"
    );
    for index in 2..=6 {
        assert!(
            draft.contains(&format!("# ── m{index} (")),
            "m{index} is an alternative:\n{draft}"
        );
    }
    assert_eq!(fake.requests().len(), 6, "one request per model");
    assert!(
        elapsed < Duration::from_millis(1400),
        "six models took {elapsed:?}, not about one delay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_file_change_takes_two_round_trips_under_the_cap_and_reuses_the_cache() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(300));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    // About 1 KB of patch per file, 300 KB in all: with 10,000 tokens of context (about 25 KB
    // of input per request) the change cannot go in one request, but its summaries can.
    configure(&repo, &server, 1, 10_000, 16);
    for index in 0..300 {
        let body: String = (0..20)
            .map(|line| format!("line {line} of module {index} {}\n", "x".repeat(20)))
            .collect();
        repo.write(&format!("src/module_{index:03}.rs"), body);
    }
    repo.git(&["add", "."]);
    let (run, elapsed) = run_changes(&repo, &["hook", "run"]).await;
    assert!(run.success().starts_with("feat: drafted by model-1"), "{}", run.stdout);
    let requests = fake.requests();
    let maps = requests.iter().filter(|body| is_map(body)).count();
    assert!(maps >= 2, "map-reduce path: {maps} map requests");
    assert_eq!(requests.len(), maps + 1, "one reduce request");
    let summarized: usize = requests
        .iter()
        .filter(|body| is_map(body))
        .map(|body| {
            crate::harness::map_request_files(
                body["messages"][1]["content"].as_str().unwrap_or_default(),
            )
            .len()
        })
        .sum();
    assert_eq!(summarized, 300, "every file summarized exactly once");
    assert!(fake.most_in_flight() <= 16, "cap held: {}", fake.most_in_flight());
    assert!(
        fake.map_arrival_spread() < Duration::from_millis(300),
        "all {maps} map requests in one round trip"
    );
    // Timing under a loaded test machine is only a sanity check: far less than one request
    // after another. The arrival spread above is the proof of one round of map requests.
    assert!(
        elapsed < Duration::from_millis(300) * maps as u32,
        "two round trips, not {maps}: {elapsed:?}"
    );
    let reduce = requests.iter().find(|body| !is_map(body)).expect("reduce request");
    assert!(reduce["messages"][1]["content"]
        .as_str()
        .unwrap_or_default()
        .contains("Changes src/module_299.rs a little."));

    let (again, _) = run_changes(&repo, &["hook", "run"]).await;
    again.success();
    let second: Vec<Value> = fake.requests().into_iter().skip(requests.len()).collect();
    assert_eq!(second.iter().filter(|body| is_map(body)).count(), 0, "served from the cache");
    assert_eq!(second.len(), 1, "only the reduce request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_summaries_are_written_once_for_every_model_and_each_still_drafts() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(100));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    configure(&repo, &server, 3, 4_000, 4);
    let path = repo.home.join(".config/changes/config.yaml");
    let mut yaml = std::fs::read_to_string(&path).expect("configuration");
    yaml.push_str("share_summaries: true\n");
    std::fs::write(&path, yaml).expect("configuration");
    for index in 0..40 {
        let body: String = (0..20)
            .map(|line| format!("line {line} of module {index} {}\n", "z".repeat(30)))
            .collect();
        repo.write(&format!("src/module_{index:02}.rs"), body);
    }
    repo.git(&["add", "."]);
    let (run, _) = run_changes(&repo, &["hook", "run", "-v"]).await;
    assert!(run.success().starts_with("feat: drafted by model-"), "{}", run.stdout);
    assert!(run.stdout.contains("# ── "), "the other models' drafts follow: {}", run.stdout);
    let requests = fake.requests();
    let asked: Vec<String> = requests
        .iter()
        .filter(|body| is_map(body))
        .flat_map(|body| {
            crate::harness::map_request_files(body["messages"][1]["content"].as_str().unwrap_or(""))
        })
        .map(|(_, path)| path)
        .collect();
    assert_eq!(asked.len(), 40, "each file summarized once for all three models: {}", asked.len());
    let writers: std::collections::BTreeSet<&str> = requests
        .iter()
        .filter(|body| is_map(body))
        .filter_map(|body| body["model"].as_str())
        .collect();
    assert_eq!(writers.len(), 3, "every model wrote a share: {writers:?}");
    let finals: Vec<&Value> = requests.iter().filter(|body| !is_map(body)).collect();
    assert_eq!(finals.len(), 3, "each model writes its own draft");
    for body in finals {
        let input = body["messages"][1]["content"].as_str().unwrap_or_default();
        assert!(input.contains("Changes src/module_39.rs a little."), "all summaries: {input}");
    }
    assert!(run.stderr.contains("written together by 3 models"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_way_models_write_per_file_summaries_still_gives_a_draft() {
    for format in crate::harness::MAP_FORMATS {
        let server = MockServer::start().await;
        let fake = FakeModels::answering_as(Duration::from_millis(20), format);
        Mock::given(wiremock::matchers::path("/v1/chat/completions"))
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        let repo = TestRepo::new();
        configure(&repo, &server, 1, 2_000, 4);
        for index in 0..12 {
            let body: String = (0..10)
                .map(|line| format!("line {line} of part {index} {}\n", "q".repeat(40)))
                .collect();
            repo.write(&format!("src/part_{index:02}.rs"), body);
        }
        repo.git(&["add", "."]);
        let (run, _) = run_changes(&repo, &["hook", "run"]).await;
        assert!(run.success().starts_with("feat: drafted by model-1"), "{format}: {}", run.stderr);
        let requests = fake.requests();
        assert!(requests.iter().any(is_map), "{format}: the per-file step ran");
        let last = requests.iter().rfind(|body| !is_map(body)).expect("a final request");
        let input = last["messages"][1]["content"].as_str().unwrap_or_default();
        if format == "paragraph" {
            assert!(
                input.contains("(no summary: only the stats above are known)"),
                "{format}: {input}"
            );
            assert!(run.stderr.contains("got no summary"), "{format}: said: {}", run.stderr);
        } else {
            assert!(input.contains("Changes src/part_11.rs a little."), "{format}: {input}");
            assert!(!input.contains("(no summary"), "{format}: every file read: {input}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_cap_holds_when_map_requests_outnumber_it() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(200));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    configure(&repo, &server, 1, 3_000, 2);
    for index in 0..60 {
        let body: String = (0..20)
            .map(|line| format!("line {line} of file {index} {}\n", "y".repeat(30)))
            .collect();
        repo.write(&format!("data/file_{index:02}.txt"), body);
    }
    repo.git(&["add", "."]);
    let (run, _) = run_changes(&repo, &["hook", "run"]).await;
    run.success();
    let maps = fake.requests().iter().filter(|body| is_map(body)).count();
    assert!(maps > 2, "{maps} map requests");
    assert!(fake.most_in_flight() <= 2, "at most 2 in flight, saw {}", fake.most_in_flight());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn git_commit_gets_the_merged_drafts_of_two_models() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(50));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    configure(&repo, &server, 2, 32_000, 4);
    let record = repo.record_editor();
    repo.install_hooks();
    repo.stage("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n");
    let commit = {
        let mut command = repo.command("git");
        command.args(["commit", "-q"]);
        tokio::task::spawn_blocking(move || command.output().expect("git")).await.expect("joined")
    };
    assert!(commit.status.success(), "{}", String::from_utf8_lossy(&commit.stderr));
    let shown = std::fs::read_to_string(record).expect("editor saw the file");
    assert!(shown.starts_with("feat: drafted by model-1\n\n- A bullet from model-1\n\n# changes: 2 of 2 models answered"), "{shown}");
    assert!(shown.contains("# ── m2 (") && shown.contains("# feat: drafted by model-2"), "{shown}");
    assert_eq!(repo.message("HEAD"), "feat: drafted by model-1\n\n- A bullet from model-1\n\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_check_sends_one_tiny_request_to_each_and_reports_failures() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(20));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let mut repo = TestRepo::new();
    configure(&repo, &server, 2, 32_000, 4);
    let (run, _) = run_changes(&repo, &["models", "--check", "--models", "m1,m2,local"]).await;
    let table = run.success();
    assert!(table.lines().any(|line| line.starts_with("m1 ") && line.contains("ok in")), "{table}");
    assert!(
        table.lines().any(|line| line.starts_with("local ") && line.contains("built in")),
        "{table}"
    );
    assert_eq!(fake.requests().len(), 2);
    assert!(fake.requests().iter().all(|body| body["max_tokens"].as_u64() == Some(16)));

    repo.set_env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    repo.set_env("OPENAI_API_KEY", "sk-test-key");
    let (failed, _) =
        run_changes(&repo, &["models", "--check", "--models", "gpt,m1", "--timeout", "5s"]).await;
    assert_eq!(failed.code, 5);
    assert!(
        failed
            .stdout
            .lines()
            .any(|line| line.starts_with("gpt ") && line.contains("failed: cannot connect")),
        "{}",
        failed.stdout
    );
    assert!(failed.stderr.contains("1 of 2 models did not answer"), "{}", failed.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_racing_on_one_cache_lose_and_corrupt_nothing() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(100));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    configure(&repo, &server, 1, 3_000, 8);
    for index in 0..40 {
        let body: String = (0..20)
            .map(|line| format!("line {line} of file {index} {}\n", "z".repeat(30)))
            .collect();
        repo.write(&format!("data/file_{index:02}.txt"), body);
    }
    repo.git(&["add", "."]);
    let (first, second) =
        tokio::join!(run_changes(&repo, &["hook", "run"]), run_changes(&repo, &["hook", "run"]));
    first.0.success();
    second.0.success();
    let log = std::fs::read_to_string(repo.path(".git/changes/cache/m1.log")).expect("cache log");
    assert!(
        log.lines().all(|line| line.len() > 41 && line.as_bytes()[40] == b' '),
        "every line whole"
    );
    let before = fake.requests().len();
    let (third, _) = run_changes(&repo, &["hook", "run"]).await;
    third.success();
    let after: Vec<Value> = fake.requests().into_iter().skip(before).collect();
    assert_eq!(
        after.iter().filter(|body| is_map(body)).count(),
        0,
        "the raced cache serves every file"
    );
}

#[test]
fn two_worktrees_committing_at_the_same_moment_both_get_drafts() {
    let mut repo = TestRepo::new();
    repo.stage("README.md", "# Project\n");
    repo.commit("initial");
    let record = repo.record_editor();
    repo.install_hooks();
    let second = repo.home.join("second");
    repo.git(&["worktree", "add", "-q", second.to_str().unwrap_or_default(), "-b", "side"]);
    repo.stage("main.rs", "pub fn main_side() {}\n");
    std::fs::write(second.join("side.rs"), "pub fn other_side() {}\n").expect("file");
    let add =
        repo.command("git").current_dir(&second).args(["add", "side.rs"]).output().expect("add");
    assert!(add.status.success());
    let commits: Vec<_> = [repo.root.clone(), second.clone()]
        .into_iter()
        .map(|folder| {
            let mut command = repo.command("git");
            command.current_dir(folder).args(["commit", "-q"]);
            std::thread::spawn(move || command.output().expect("git commit"))
        })
        .collect();
    for commit in commits {
        let output = commit.join().expect("thread");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let shown = std::fs::read_to_string(record).expect("record");
    assert_eq!(shown.matches("# changes: ").count(), 2, "{shown}");
    assert_ne!(repo.message("main"), repo.message("side"));
}

/// Rejects any request larger than `limit` bytes as too long for the context, like OpenAI
/// does; answers the others like `FakeModels`.
struct SmallContext {
    limit: usize,
    inner: FakeModels,
}

impl Respond for SmallContext {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.body.len() > self.limit {
            self.inner.arrivals.lock().expect("lock").push((Instant::now(), Value::Null));
            return ResponseTemplate::new(400).set_body_json(json!({"error": {
                "message": "This model's maximum context length is 8192 tokens. However, your messages resulted in 30000 tokens.",
                "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}));
        }
        self.inner.respond(request)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_length_error_shrinks_once_to_per_file_summaries() {
    let server = MockServer::start().await;
    let fake = FakeModels::new(Duration::from_millis(10));
    Mock::given(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(SmallContext { limit: 15_000, inner: fake.clone() })
        .mount(&server)
        .await;
    let repo = TestRepo::new();
    // The model claims 10,000 tokens (about 25 KB of input): the 21 KB change goes in one
    // request first; the server takes only 15 KB, and half the budget (12.75 KB) fits.
    configure(&repo, &server, 1, 10_000, 4);
    for index in 0..12 {
        let body: String = (0..30)
            .map(|line| format!("line {line} of file {index} {}\n", "w".repeat(30)))
            .collect();
        repo.write(&format!("data/file_{index:02}.txt"), body);
    }
    repo.git(&["add", "."]);
    let (run, _) = run_changes(&repo, &["hook", "run"]).await;
    assert!(run.success().starts_with("feat: drafted by model-1"), "{}", run.stderr);
    let requests = fake.requests();
    assert_eq!(requests[0], Value::Null, "the first, whole request was refused as too long");
    assert!(requests.iter().skip(1).any(is_map), "then the change went file by file");
    assert!(!is_map(requests.last().expect("a reduce request")), "and one reduce request ended it");
}
