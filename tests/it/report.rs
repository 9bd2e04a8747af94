//! `changes report` on a repository whose commits carry fixed dates over three weeks, with a
//! fixed "now": which commits and files a window covers, the files written, and the gist.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::harness::{Run, TestRepo};

/// Commits on 1, 8, 15 and 20 November 2026; "now" is 22 November at noon UTC.
pub(crate) fn dated_repo() -> TestRepo {
    let mut repo = TestRepo::new();
    for (date, file, content, message) in [
        ("2026-11-01T13:00:00Z", "notes.txt", "first notes\n", "start notes"),
        (
            "2026-11-08T10:00:00Z",
            "src/parser.rs",
            "pub fn parse() -> u32 {\n    1\n}\n",
            "add the parser",
        ),
        (
            "2026-11-15T10:00:00Z",
            "src/lexer.rs",
            "pub fn lex() {}\npub fn token() {}\n",
            "add the lexer",
        ),
        (
            "2026-11-20T10:00:00Z",
            "docs/guide.md",
            "# Guide\n\n## Usage\n\nRun it.\n",
            "write the guide",
        ),
    ] {
        commit_dated(&repo, &[(file, content)], message, (date, date));
    }
    repo.set_env("CHANGES_NOW", "2026-11-22T12:00:00Z");
    repo
}

/// Runs `changes report --out OUT` with the other arguments as they are written.
pub(crate) fn report(repo: &TestRepo, out: &Path, extra: &[&str]) -> Run {
    let mut arguments = vec!["report", "--out", out.to_str().unwrap_or_default()];
    arguments.extend_from_slice(extra);
    repo.changes(&arguments)
}

/// The text of a file the report wrote.
pub(crate) fn read(folder: &Path, name: &str) -> String {
    std::fs::read_to_string(folder.join(name)).unwrap_or_else(|_| panic!("{name} written"))
}

/// The commit subjects a model file lists, in order.
fn commit_subjects(text: &str) -> Vec<String> {
    let section = text.split("## Commits").nth(1).unwrap_or_default();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .filter_map(|rest| rest.split("` ").nth(1))
        .map(|rest| rest.rsplit_once(" (").map_or(rest, |(subject, _)| subject).to_string())
        .collect()
}

/// The file sections a model file has, in order.
fn file_sections(text: &str) -> Vec<String> {
    let section = text
        .split("## Files")
        .nth(1)
        .unwrap_or_default()
        .split("## Commits")
        .next()
        .unwrap_or_default();
    section.lines().filter_map(|line| line.strip_prefix("### ")).map(str::to_string).collect()
}

#[test]
fn absolute_dates_select_the_commits_and_files_of_the_window() {
    let repo = dated_repo();
    let out = repo.home.join("out");
    let run = report(
        &repo,
        &out,
        &["--after", "2026-11-07", "--before", "2026-11-16", "--models", "local"],
    );
    let overview = run.success();
    assert!(overview.contains("2 commits on `main`, 2 files changed"), "{overview}");
    let local = read(&out, "local.md");
    assert_eq!(commit_subjects(&local), ["add the lexer", "add the parser"]);
    assert_eq!(file_sections(&local), ["src/parser.rs", "src/lexer.rs"], "largest change first");
    assert_eq!(read(&out, "overview.md"), overview);
}

#[test]
fn relative_dates_count_from_the_fixed_now() {
    let repo = dated_repo();
    for (after, expected) in [
        ("1 week ago", vec!["write the guide"]),
        ("2 weeks ago", vec!["write the guide", "add the lexer"]),
        ("3 weeks ago", vec!["write the guide", "add the lexer", "add the parser", "start notes"]),
    ] {
        let out = repo.home.join(after.replace(' ', "-"));
        report(&repo, &out, &["--after", after, "--models", "local"]).success();
        let local = read(&out, "local.md");
        assert_eq!(commit_subjects(&local), expected, "--after {after}");
    }
    // The whole history: the diff starts at the empty tree.
    let out = repo.home.join("3-weeks-ago");
    assert!(read(&out, "local.md").contains("`(root).."), "{}", read(&out, "local.md"));
    assert_eq!(file_sections(&read(&out, "local.md")).len(), 4);

    let out = repo.home.join("monday");
    report(&repo, &out, &["--after", "last monday", "--models", "local"]).success();
    assert!(commit_subjects(&read(&out, "local.md")).contains(&"write the guide".to_string()));

    let empty =
        report(&repo, &repo.home.join("empty"), &["--after", "yesterday", "--models", "local"]);
    assert_eq!(empty.code, 0, "an empty window is a message, not an error: {}", empty.stderr);
    assert!(empty.stderr.contains("no commits on main between"), "{}", empty.stderr);
    let bad = report(&repo, &repo.home.join("bad"), &["--after", "the day the music died"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("cannot read `the day the music died` as a date"),
        "{}",
        bad.stderr
    );
}

#[test]
fn only_limits_the_report_to_matching_files() {
    let repo = dated_repo();
    let out = repo.home.join("only");
    report(&repo, &out, &["--after", "3 weeks ago", "--only", "src/**", "--models", "local"])
        .success();
    assert_eq!(file_sections(&read(&out, "local.md")), ["src/parser.rs", "src/lexer.rs"]);
}

/// Answers map requests with one summary per file and overview requests with bullets that
/// mention files in backticks.
struct FakeModels;

impl Respond for FakeModels {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        FormatModels("asked").respond(request)
    }
}

/// The same, with map answers written in one of `harness::MAP_FORMATS`.
struct FormatModels(&'static str);

impl Respond for FormatModels {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let system = body["messages"][0]["content"].as_str().unwrap_or_default();
        let user = body["messages"][1]["content"].as_str().unwrap_or_default();
        let content = if system.contains("file by file") {
            crate::harness::map_answer_as(self.0, user, |path| format!("Summary of {path}."))
        } else {
            format!(
                "- Adds a parser and a lexer (`src/parser.rs`, `src/lexer.rs`) by {}",
                body["model"].as_str().unwrap_or_default()
            )
        };
        ResponseTemplate::new(200).set_body_json(json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}))
    }
}

fn two_models(repo: &TestRepo, server: &MockServer) {
    let yaml = format!(
        "models:\n  - name: m1\n    provider: openai-compatible\n    model: model-1\n    base_url: {uri}/v1\n  - name: m2\n    provider: openai-compatible\n    model: model-2\n    base_url: {uri}/v1\ndefaults: [m1, m2]\n",
        uri = server.uri()
    );
    let path = repo.home.join(".config/changes/config.yaml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, yaml).expect("user configuration");
}

fn github_slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|character| character.is_alphanumeric() || matches!(character, ' ' | '-' | '_'))
        .map(|character| if character == ' ' { '-' } else { character })
        .collect()
}

/// Runs `changes` off the async runtime, so that a loopback server on it can answer.
pub(crate) async fn run_async(repo: &TestRepo, arguments: &[&str]) -> Run {
    let mut command = repo.command(crate::harness::CHANGES);
    command.args(arguments);
    tokio::task::spawn_blocking(move || Run::from(command.output().expect("changes runs")))
        .await
        .expect("joined")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_way_models_write_per_file_summaries_still_gives_a_report() {
    for format in crate::harness::MAP_FORMATS {
        let server = MockServer::start().await;
        Mock::given(path("/v1/chat/completions"))
            .respond_with(FormatModels(format))
            .mount(&server)
            .await;
        let repo = dated_repo();
        two_models(&repo, &server);
        let out = repo.home.join(format);
        let arguments =
            ["report", "--after", "2026-11-07", "--before", "2026-11-16", "--models", "m1"];
        let run = run_async(
            &repo,
            &[&arguments[..], &["--out", out.to_str().unwrap_or_default()]].concat(),
        )
        .await;
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        let m1 = read(&out, "m1.md");
        if format == "paragraph" {
            assert!(m1.contains("Adds a parser and a lexer"), "{format}: the overview is there");
        } else {
            assert!(m1.contains("Summary of src/lexer.rs."), "{format}: {m1}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_models_write_an_overview_and_a_file_each_with_working_anchors() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions")).respond_with(FakeModels).mount(&server).await;
    let repo = dated_repo();
    repo.git(&["remote", "add", "origin", "git@github.com:owner/project.git"]);
    two_models(&repo, &server);
    let out = repo.home.join("two");
    let run = run_async(
        &repo,
        &[
            "report",
            "--after",
            "2026-11-07",
            "--before",
            "2026-11-16",
            "--out",
            out.to_str().unwrap_or_default(),
        ],
    )
    .await;
    let overview = run.success().to_string();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["m1.md", "m2.md", "overview.md"]);
    assert!(overview.contains("[m1](m1.md)") && overview.contains("[m2](m2.md)"), "{overview}");

    let m1 = read(&out, "m1.md");
    let headings: Vec<String> = m1
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(|line| github_slug(line.trim_start_matches('#')))
        .collect();
    let anchors: Vec<&str> = m1
        .match_indices("](#")
        .map(|(index, _)| &m1[index + 3..])
        .map(|rest| rest.split(')').next().unwrap_or_default())
        .collect();
    assert!(anchors.len() >= 5, "{m1}");
    for anchor in anchors {
        assert!(
            headings.iter().any(|heading| heading == anchor),
            "anchor #{anchor} has no heading in:\n{m1}"
        );
    }
    assert!(m1.contains("[`src/parser.rs`](#srcparserrs)"), "file mentions link to sections: {m1}");
    assert!(m1.contains("Summary of src/lexer.rs."), "{m1}");
    assert!(m1.contains("https://github.com/owner/project/compare/"), "{m1}");
    assert!(m1.contains("https://github.com/owner/project/blob/"), "{m1}");
    // Sections by size of change, largest first: the parser (3 lines), then the lexer (2).
    assert_eq!(file_sections(&m1), ["src/parser.rs", "src/lexer.rs"]);
}

/// `report --gist` over three weeks with the built-in model, against `github` as the API.
async fn gist_report(github: &MockServer, token: &str, folder: &str) -> (TestRepo, PathBuf, Run) {
    let mut repo = dated_repo();
    repo.set_env("GITHUB_API_URL", &github.uri());
    repo.set_env("GITHUB_TOKEN", token);
    let out = repo.home.join(folder);
    let arguments = ["report", "--after", "3 weeks ago", "--models", "local", "--gist", "--out"];
    let mut all: Vec<&str> = arguments.to_vec();
    let out_text = out.to_str().unwrap_or_default().to_string();
    all.push(&out_text);
    let run = run_async(&repo, &all).await;
    (repo, out, run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gist_sends_one_request_with_every_file_and_prints_its_address() {
    let github = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/gists"))
        .and(header("authorization", "Bearer gist-token"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "abc", "html_url": "https://gist.example/abc"})),
        )
        .expect(1)
        .mount(&github)
        .await;
    let (_repo, _, run) = gist_report(&github, "gist-token", "gist").await;
    assert!(run.success().ends_with("https://gist.example/abc\n"), "{}", run.stdout);
    let requests = github.received_requests().await.expect("recorded");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("json");
    assert_eq!(body["public"], false);
    let files: Vec<&String> = body["files"].as_object().expect("files").keys().collect();
    assert_eq!(files, ["local.md", "overview.md"]);
    assert!(body["files"]["local.md"]["content"]
        .as_str()
        .is_some_and(|text| text.contains("## Files")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gist_failures_are_one_line_and_keep_the_files() {
    for (status, answer, words) in [
        (
            401,
            json!({"message": "Bad credentials"}),
            "GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials)",
        ),
        (
            422,
            json!({"message": "Validation Failed", "errors": [{"resource": "Gist", "code": "missing_field", "field": "files"}]}),
            "GitHub refused the gist (422 Validation Failed: missing_field)",
        ),
    ] {
        let github = MockServer::start().await;
        Mock::given(path("/gists"))
            .respond_with(ResponseTemplate::new(status).set_body_json(answer))
            .mount(&github)
            .await;
        let (_repo, out, run) = gist_report(&github, "bad-token", "kept").await;
        assert_ne!(run.code, 0);
        let error_line =
            run.stderr.lines().find(|line| line.starts_with("error:")).unwrap_or_default();
        assert!(error_line.contains(words), "{}", run.stderr);
        assert!(error_line.contains("the reports stay in"), "{}", run.stderr);
        assert!(!run.stderr.contains("bad-token"));
        assert!(out.join("overview.md").exists() && out.join("local.md").exists());
    }
}

#[test]
fn gist_without_a_token_says_how_to_get_one() {
    let mut repo = dated_repo();
    // No GITHUB_TOKEN, no GH_TOKEN, and no `gh` on this PATH.
    repo.set_env("PATH", "/usr/bin:/bin");
    let out = repo.home.join("no-token");
    let run = report(&repo, &out, &["--after", "3 weeks ago", "--models", "local", "--gist"]);
    if std::path::Path::new("/usr/bin/gh").exists() {
        return;
    }
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no GitHub token for --gist"), "{}", run.stderr);
    assert!(run.stderr.contains("GITHUB_TOKEN"), "{}", run.stderr);
    assert!(out.join("overview.md").exists());
}

/// Commits `files` with the given subject, author date and committer date.
fn commit_dated(repo: &TestRepo, files: &[(&str, &str)], message: &str, dates: (&str, &str)) {
    for (path, content) in files {
        repo.stage(path, content);
    }
    let output = repo
        .command("git")
        .args(["commit", "-q", "--no-verify", "-m", message])
        .env("GIT_AUTHOR_DATE", dates.0)
        .env("GIT_COMMITTER_DATE", dates.1)
        .output()
        .expect("git commit");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The `## Summary` section of a model file.
fn summary_of(text: &str) -> String {
    let section = text.split("## Summary\n").nth(1).unwrap_or_default();
    section.split("\n## Files").next().unwrap_or_default().trim().to_string()
}

#[test]
fn only_counts_and_lists_the_commits_that_touch_matching_files() {
    let repo = dated_repo();
    let out = repo.home.join("only-commits");
    let run =
        report(&repo, &out, &["--after", "3 weeks ago", "--only", "src/**", "--models", "local"]);
    let overview = run.success();
    assert!(overview.contains("2 commits on `main`, 2 files changed"), "{overview}");
    let local = read(&out, "local.md");
    assert_eq!(commit_subjects(&local), ["add the lexer", "add the parser"]);
    assert!(summary_of(&local).starts_with("2 commits: 2 features."), "{local}");

    let none = report(
        &repo,
        &repo.home.join("none"),
        &["--after", "3 weeks ago", "--only", "*.py", "--models", "local"],
    );
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(
        none.stderr.contains("no commit of the period changed a file matching --only"),
        "{}",
        none.stderr
    );
}

#[test]
fn commits_are_chosen_and_shown_by_committer_date_with_an_exclusive_midnight_end() {
    let mut repo = TestRepo::new();
    repo.set_env("CHANGES_NOW", "2026-11-22T12:00:00Z");
    repo.set_env("TZ", "UTC");
    commit_dated(
        &repo,
        &[("old.txt", "old\n")],
        "written before, committed before",
        ("2026-11-01T09:00:00Z", "2026-11-01T09:00:00Z"),
    );
    // Written before the period, rebased into it: in.
    commit_dated(
        &repo,
        &[("rebased.txt", "r\n")],
        "written before, committed inside",
        ("2026-11-05T09:00:00Z", "2026-11-12T08:30:00Z"),
    );
    // Written inside the period, but its committer date is before it: out.
    commit_dated(
        &repo,
        &[("skewed.txt", "s\n")],
        "written inside, committed before",
        ("2026-11-12T09:00:00Z", "2026-11-09T23:59:59Z"),
    );
    // Committed at the very moment --before names: out, the end is exclusive.
    commit_dated(
        &repo,
        &[("late.txt", "l\n")],
        "committed at the end",
        ("2026-11-14T10:00:00Z", "2026-11-15T00:00:00Z"),
    );
    commit_dated(
        &repo,
        &[("last.txt", "x\n")],
        "committed on the last day",
        ("2026-11-14T23:00:00Z", "2026-11-14T23:59:00Z"),
    );
    let out = repo.home.join("dates");
    report(&repo, &out, &["--after", "2026-11-10", "--before", "2026-11-15", "--models", "local"])
        .success();
    let local = read(&out, "local.md");
    assert_eq!(
        commit_subjects(&local),
        ["committed on the last day", "written before, committed inside"],
        "{local}"
    );
    assert!(local.contains("- 2026-11-12 08:30 `"), "the committer date is shown: {local}");
    assert!(!local.contains("2026-11-05"), "the author date is not: {local}");
    assert!(local.contains("from 2026-11-10 00:00 UTC to 2026-11-15 00:00 UTC"), "{local}");

    let both = report(&repo, &repo.home.join("both"), &["--days", "3", "--after", "2026-11-01"]);
    assert_eq!(both.code, 2, "--days and --after are one setting: {}", both.stderr);
    // --days counts back from CHANGES_NOW, to the minute.
    let out = repo.home.join("days");
    report(&repo, &out, &["--days", "10", "--models", "local"]).success();
    let local = read(&out, "local.md");
    assert!(local.contains("from 2026-11-12 12:00 UTC to 2026-11-23 12:00 UTC"), "{local}");
    assert!(commit_subjects(&local).contains(&"committed at the end".to_string()), "{local}");
    assert!(
        !commit_subjects(&local).contains(&"written before, committed inside".to_string()),
        "{local}"
    );
}

/// A repository whose history has `subjects`, oldest first, each changing the files given.
fn repo_with(subjects: &[(&str, &[(&str, &str)])]) -> TestRepo {
    let mut repo = TestRepo::new();
    repo.set_env("CHANGES_NOW", "2026-11-22T12:00:00Z");
    for (day, (subject, files)) in subjects.iter().enumerate() {
        let date = format!("2026-11-{:02}T10:00:00Z", day + 1);
        commit_dated(&repo, files, subject, (&date, &date));
    }
    repo
}

const CARGO: &str = "[package]\nname = \"tool\"\nversion = \"0.1.0\"\n\n[dependencies]\n";

#[test]
fn the_local_summary_groups_conventional_commits_by_type_and_scope() {
    let repo = repo_with(&[
        (
            "chore: start",
            &[
                ("Cargo.toml", &format!("{CARGO}serde = \"1.0.1\"\ntokio = \"1.40\"\n")),
                ("src/lib.rs", "pub fn start() {}\n"),
            ],
        ),
        ("feat(config): load layered settings (#12)", &[("src/config.rs", "pub fn load() {}\n")]),
        ("fix(walk): stop at the file system boundary", &[("src/walk.rs", "pub fn walk() {}\n")]),
        (
            "chore(deps): bump serde from 1.0.1 to 1.0.2",
            &[("Cargo.toml", &format!("{CARGO}serde = \"1.0.2\"\ntokio = \"1.40\"\n"))],
        ),
        ("docs: explain the layers", &[("README.md", "# Tool\n\nLayers.\n")]),
        (
            "fix(deps): update rust crate tokio to v1.41.0",
            &[("Cargo.toml", &format!("{CARGO}serde = \"1.0.2\"\ntokio = \"1.41\"\n"))],
        ),
        (
            "feat(config): read the environment too",
            &[("src/config.rs", "pub fn load() {}\npub fn env() {}\n")],
        ),
    ]);
    let out = repo.home.join("conventional");
    report(&repo, &out, &["--after", "2026-11-02", "--models", "local"]).success();
    let summary = summary_of(&read(&out, "local.md"));
    assert_eq!(
        summary,
        "6 commits: 2 features, 1 fix, 1 documentation change and 2 dependency updates.\n\n\
         **Features**\n\n- **config**: load layered settings (#12)\n- **config**: read the environment too\n\n\
         **Fixes**\n\n- **walk**: stop at the file system boundary\n\n\
         **Documentation**\n\n- Explain the layers\n\n\
         **Dependencies**\n\n- Bump 2 dependencies (serde, tokio)"
    );
}

#[test]
fn the_local_summary_groups_plain_sentences_by_what_they_do() {
    let repo = repo_with(&[
        (
            "Start the project",
            &[
                ("src/lib.rs", "pub fn start() {}\n"),
                ("Cargo.toml", &format!("{CARGO}regex = \"1.0\"\n")),
            ],
        ),
        ("Add a --hyperlink option", &[("src/cli.rs", "pub fn hyperlink() {}\n")]),
        ("Fix a crash on broken symlinks.", &[("src/lib.rs", "pub fn start() { let _ = 1; }\n")]),
        ("Fix typo in the README", &[("README.md", "# Tool\n\nIt works.\n")]),
        ("Update regex to 1.1", &[("Cargo.toml", &format!("{CARGO}regex = \"1.1\"\n"))]),
        ("Add a test for broken symlinks", &[("tests/symlinks.rs", "#[test]\nfn broken() {}\n")]),
        ("Run the tests on Windows too", &[(".github/workflows/ci.yml", "on: push\n")]),
    ]);
    let out = repo.home.join("plain");
    report(&repo, &out, &["--after", "2026-11-02", "--models", "local"]).success();
    let summary = summary_of(&read(&out, "local.md"));
    assert_eq!(
        summary,
        "6 commits: 1 feature, 1 fix, 1 documentation change, 1 test change, 1 build or CI change and 1 dependency update.\n\n\
         **Features**\n\n- Add a --hyperlink option\n\n\
         **Fixes**\n\n- Fix a crash on broken symlinks\n\n\
         **Documentation**\n\n- Fix typo in the README\n\n\
         **Tests**\n\n- Add a test for broken symlinks\n\n\
         **Build and CI**\n\n- Run the tests on Windows too\n\n\
         **Dependencies**\n\n- Update regex to 1.1"
    );
    assert!(!summary.contains("**walk**") && !summary.contains("more files"), "{summary}");
}

#[test]
fn a_local_push_review_of_nineteen_commits_reads_as_what_they_do() {
    let mut commits: Vec<(String, Vec<(String, String)>)> = vec![(
        "Start".to_string(),
        vec![("src/lib.rs".to_string(), "pub fn start() {}\n".to_string())],
    )];
    for index in 0..8 {
        commits.push((
            format!("feat(parser): accept form {index}"),
            vec![(format!("src/parser/form{index}.rs"), format!("pub fn form{index}() {{}}\n"))],
        ));
    }
    for index in 0..6 {
        commits.push((
            format!("fix(lexer): keep token {index}"),
            vec![(format!("src/lexer/token{index}.rs"), format!("pub fn token{index}() {{}}\n"))],
        ));
    }
    for name in ["serde", "tokio", "clap", "regex", "serde"] {
        commits.push((
            format!("chore(deps): bump {name} from 1.0.0 to 1.0.{}", name.len()),
            vec![("deps.txt".to_string(), format!("{name}\n"))],
        ));
    }
    let subjects: Vec<(&str, Vec<(&str, &str)>)> = commits
        .iter()
        .map(|(subject, files)| {
            (
                subject.as_str(),
                files.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect(),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &[(&str, &str)])> =
        subjects.iter().map(|(subject, files)| (*subject, files.as_slice())).collect();
    let repo = repo_with(&borrowed);
    let run = repo.changes(&[
        "hook",
        "run",
        "pre-push",
        "--range",
        "HEAD~19..HEAD",
        "--models",
        "local",
        "--format",
        "json",
    ]);
    let value: Value = serde_json::from_str(run.success()).expect("json");
    assert_eq!(value["ranges"][0]["commits"].as_array().map(Vec::len), Some(19));
    let summary = value["ranges"][0]["models"][0]["review"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.starts_with("19 commits: 8 features, 6 fixes and 5 dependency updates."),
        "{summary}"
    );
    assert!(summary.contains("**Features**\n\n- **parser**: accept form 0\n"), "{summary}");
    assert!(summary.contains("**Fixes**\n\n- **lexer**: keep token 0\n"), "{summary}");
    assert!(
        summary.contains("- Bump 4 dependencies in 5 commits (serde, tokio, clap, regex)"),
        "{summary}"
    );
    assert!(!summary.contains("Add 8 modules") && !summary.contains("more files"), "{summary}");
}

#[test]
fn a_merged_pull_request_is_summarized_by_its_title() {
    let repo = repo_with(&[("Start", &[("src/lib.rs", "pub fn start() {}\n")])]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let dates = ("2026-11-10T10:00:00Z", "2026-11-10T10:00:00Z");
    commit_dated(&repo, &[("src/walk.rs", "pub fn walk() {}\n")], "Walk the tree", dates);
    commit_dated(
        &repo,
        &[("src/walk.rs", "pub fn walk() { }\n")],
        "Address review comments",
        dates,
    );
    repo.git(&["checkout", "-q", "main"]);
    commit_dated(&repo, &[("README.md", "# Tool\n")], "Write a readme", dates);
    let output = repo
        .command("git")
        .args([
            "merge",
            "-q",
            "--no-ff",
            "topic",
            "-m",
            "Merge pull request #7 from someone/topic",
            "-m",
            "Add a tree walker",
        ])
        .env("GIT_COMMITTER_DATE", "2026-11-11T10:00:00Z")
        .output()
        .expect("git merge");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let out = repo.home.join("merged");
    report(&repo, &out, &["--after", "2026-11-05", "--models", "local"]).success();
    let local = read(&out, "local.md");
    let summary = summary_of(&local);
    assert!(summary.starts_with("3 commits in 2 changes:"), "{summary}");
    assert!(summary.contains("- Add a tree walker (#7)"), "{summary}");
    assert!(
        !summary.contains("review comments") && !summary.contains("Walk the tree"),
        "{summary}"
    );
    assert!(summary.contains("- Write a readme"), "{summary}");
    assert!(
        commit_subjects(&local).contains(&"Address review comments".to_string()),
        "the list keeps every commit"
    );
}

#[test]
fn a_side_branch_merged_in_the_period_brings_only_its_own_changes() {
    // The side branch starts from a commit older than the main line's last commit before the
    // period: the period's change is what the branch held when it opened to its tip, not a
    // diff from the side branch's base that would bring in the main line's older work.
    let repo = repo_with(&[("Start", &[("src/lib.rs", "pub fn start() {}\n")])]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let inside = ("2026-11-10T10:00:00Z", "2026-11-10T10:00:00Z");
    commit_dated(&repo, &[("src/walk.rs", "pub fn walk() {}\n")], "Walk the tree", inside);
    repo.git(&["checkout", "-q", "main"]);
    let before = ("2026-11-03T10:00:00Z", "2026-11-03T10:00:00Z");
    commit_dated(&repo, &[("src/old.rs", "pub fn old() {}\n")], "Add the old helper", before);
    let inside = ("2026-11-12T10:00:00Z", "2026-11-12T10:00:00Z");
    commit_dated(&repo, &[("README.md", "# Tool\n")], "Write a readme", inside);
    let output = repo
        .command("git")
        .args(["merge", "-q", "--no-ff", "topic", "-m", "Merge the tree walker"])
        .env("GIT_COMMITTER_DATE", "2026-11-13T10:00:00Z")
        .output()
        .expect("git merge");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let out = repo.home.join("side");
    report(&repo, &out, &["--after", "2026-11-05", "--models", "local"]).success();
    let local = read(&out, "local.md");
    let files = file_sections(&local);
    assert!(files.iter().any(|file| file.contains("src/walk.rs")), "{files:?}");
    assert!(files.iter().any(|file| file.contains("README.md")), "{files:?}");
    assert!(!files.iter().any(|file| file.contains("src/old.rs")), "{files:?}\n{local}");
    assert!(!commit_subjects(&local).contains(&"Add the old helper".to_string()));
}

#[test]
fn a_shallow_clone_reports_from_its_oldest_commit_and_says_so() {
    // git2 shows the commit a shallow clone is cut at with no parents: diffed from the empty
    // tree, its whole tree would be reported as added.
    let repo = repo_with(&[
        ("Start", &[("src/old.rs", "pub fn old() {}\n")]),
        ("Add one", &[("src/one.rs", "pub fn one() {}\n")]),
        ("Add two", &[("src/two.rs", "pub fn two() {}\n")]),
        ("Add three", &[("src/three.rs", "pub fn three() {}\n")]),
    ]);
    let shallow = repo.home.join("shallow");
    let source = format!("file://{}", repo.root.display());
    let clone = repo
        .command("git")
        .args(["clone", "-q", "--depth", "2", &source, shallow.to_str().unwrap_or_default()])
        .output()
        .expect("git clone");
    assert!(clone.status.success(), "{}", String::from_utf8_lossy(&clone.stderr));
    let out = repo.home.join("shallow-report");
    let run = crate::harness::Run::from(
        repo.command(crate::harness::CHANGES)
            .current_dir(&shallow)
            .args(["report", "--after", "2026-10-01", "--models", "local", "--out"])
            .arg(&out)
            .output()
            .expect("changes report"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("shallow"), "{}", run.stderr);
    let files = file_sections(&read(&out, "local.md"));
    assert!(files.iter().any(|file| file.contains("src/three.rs")), "{files:?}");
    assert!(!files.iter().any(|file| file.contains("src/old.rs")), "{files:?}");
    assert!(!files.iter().any(|file| file.contains("src/one.rs")), "{files:?}");
}
