//! Diff collection and filtering on real repositories: what is listed, and what is and is not
//! in the text sent to models.

use changes::engine::prompt::render_changes;
use changes::git::{Cut, Exclusion, Status};

use crate::harness::{default_options, TestRepo};

#[test]
fn first_commit_without_head_lists_every_staged_file() {
    let repo = TestRepo::new();
    repo.stage("src/main.rs", "fn main() {\n    println!(\"hello\");\n}\n");
    repo.stage("README.md", "# Demo\n\nA demo.\n");
    let changes = repo.open().staged(&default_options(&repo.root)).expect("collect");
    let paths: Vec<&str> = changes.files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(paths, ["README.md", "src/main.rs"]);
    assert!(changes.files.iter().all(|file| file.status == Status::Added));
    assert_eq!(changes.files[1].added_lines, 3);
    let prompt = render_changes(&changes);
    assert!(prompt.contains("+    println!(\"hello\");"), "{prompt}");
    assert!(prompt.contains("## src/main.rs (added, +3 -0)"), "{prompt}");
}

#[test]
fn renames_are_detected_and_described_with_both_paths() {
    let repo = TestRepo::new();
    let body: String = (0..40).map(|line| format!("line {line} of the utilities\n")).collect();
    repo.stage("src/util.rs", &body);
    repo.commit("add util");
    repo.git(&["mv", "src/util.rs", "src/paths.rs"]);
    repo.stage("src/paths.rs", format!("{body}one more line\n"));
    let changes = repo.open().staged(&default_options(&repo.root)).expect("collect");
    assert_eq!(changes.files.len(), 1, "{:?}", changes.files);
    let file = &changes.files[0];
    assert_eq!(file.status, Status::Renamed);
    assert_eq!(file.old_path.as_deref(), Some("src/util.rs"));
    assert_eq!(file.path, "src/paths.rs");
    assert_eq!((file.added_lines, file.removed_lines), (1, 0));
    assert!(render_changes(&changes).contains("## src/util.rs → src/paths.rs (renamed, +1 -0)"));
}

#[test]
fn binary_lock_and_env_files_are_listed_but_their_bytes_never_sent() {
    let repo = TestRepo::new();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0BINARYMARKER".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 2000));
    repo.stage("assets/logo.png", &binary);
    repo.stage("Cargo.lock", "# LOCKMARKER\n[[package]]\nname = \"x\"\n");
    repo.stage(".env", "API_TOKEN=ENVSECRETMARKER\n");
    repo.stage("config/.env.production", "DB_PASSWORD=PRODSECRETMARKER\n");
    repo.stage("deploy/server.key", "-----BEGIN PRIVATE KEY-----\nKEYMARKER\n");
    repo.stage("src/lib.rs", "pub fn visible() {}\n");
    let changes = repo.open().staged(&default_options(&repo.root)).expect("collect");
    let listed: Vec<(&str, Option<&Exclusion>)> =
        changes.files.iter().map(|file| (file.path.as_str(), file.exclusion.as_ref())).collect();
    assert_eq!(
        listed,
        [
            (".env", Some(&Exclusion::Secret)),
            ("Cargo.lock", Some(&Exclusion::LockFile)),
            ("assets/logo.png", Some(&Exclusion::Binary)),
            ("config/.env.production", Some(&Exclusion::Secret)),
            ("deploy/server.key", Some(&Exclusion::Secret)),
            ("src/lib.rs", None),
        ]
    );
    let lock = &changes.files[1];
    assert_eq!(lock.added_lines, 3, "lock files keep their line counts");
    let logo = &changes.files[2];
    assert_eq!((logo.old_size, logo.new_size), (0, binary.len() as u64));
    let prompt = render_changes(&changes);
    for marker in ["BINARYMARKER", "LOCKMARKER", "ENVSECRETMARKER", "PRODSECRETMARKER", "KEYMARKER"]
    {
        assert!(!prompt.contains(marker), "{marker} leaked into:\n{prompt}");
    }
    assert!(prompt.contains("- Cargo.lock (added, +3 -0): lock file"), "{prompt}");
    assert!(prompt.contains("- assets/logo.png (added, 0 B → 2.0 KB): binary"), "{prompt}");
    assert!(prompt.contains("- .env (added, +1 -0): may hold secrets"), "{prompt}");
    assert!(prompt.contains("+pub fn visible() {}"), "{prompt}");
}

#[test]
fn user_globs_changesignore_and_linguist_generated_exclude_content() {
    let repo = TestRepo::new();
    repo.stage(".changesignore", "fixtures/\n");
    repo.stage(".gitattributes", "schema.rs linguist-generated=true\n");
    repo.stage("fixtures/big.json", "{\"FIXTUREMARKER\": 1}\n");
    repo.stage("db/dump.sql", "INSERT INTO t VALUES ('SQLMARKER');\n");
    repo.stage("schema.rs", "// GENERATEDMARKER\npub struct Table;\n");
    repo.stage("api/service.pb.go", "package api // PROTOMARKER\n");
    repo.stage("src/lib.rs", "pub fn kept() {}\n");
    let mut options = default_options(&repo.root);
    options.filter =
        changes::git::Filter::new(Some(&repo.root), &["*.sql".to_string()]).expect("filter");
    let changes = repo.open().staged(&options).expect("collect");
    let exclusion_of = |path: &str| {
        changes.files.iter().find(|file| file.path == path).and_then(|file| file.exclusion.clone())
    };
    assert_eq!(
        exclusion_of("fixtures/big.json"),
        Some(Exclusion::UserExcluded("fixtures/".into()))
    );
    assert_eq!(exclusion_of("db/dump.sql"), Some(Exclusion::UserExcluded("*.sql".into())));
    assert_eq!(exclusion_of("schema.rs"), Some(Exclusion::Generated));
    assert_eq!(exclusion_of("api/service.pb.go"), Some(Exclusion::Generated));
    assert_eq!(exclusion_of("src/lib.rs"), None);
    let prompt = render_changes(&changes);
    for marker in ["FIXTUREMARKER", "SQLMARKER", "GENERATEDMARKER", "PROTOMARKER"] {
        assert!(!prompt.contains(marker), "{marker} leaked into:\n{prompt}");
    }
    assert!(prompt.contains("+pub fn kept() {}"));
}

#[test]
fn a_file_over_the_byte_cap_keeps_every_hunk_header_and_added_lines_first_and_says_what_was_cut() {
    let repo = TestRepo::new();
    let original: String = (0..2000).map(|line| format!("line {line}\n")).collect();
    repo.stage("data.txt", &original);
    repo.commit("data");
    // Change every 100th line: twenty separate hunks.
    let changed: String =
        (0..2000)
            .map(|line| {
                if line % 100 == 50 {
                    format!("CHANGED {line}\n")
                } else {
                    format!("line {line}\n")
                }
            })
            .collect();
    repo.stage("data.txt", &changed);
    let mut options = default_options(&repo.root);
    // The twenty hunk headers take about 620 bytes: 800 leaves room for some added lines.
    options.limits.max_file_bytes = 800;
    let changes = repo.open().staged(&options).expect("collect");
    let file = &changes.files[0];
    assert_eq!((file.added_lines, file.removed_lines), (20, 20));
    let patch = file.patch.as_deref().expect("what describes the change is kept");
    assert!(patch.len() <= 800, "{}", patch.len());
    assert!(patch.contains("+CHANGED 50"), "{patch}");
    assert!(patch.contains("@@ -1948,7 +1948,7 @@"), "the last hunk's header too: {patch}");
    assert!(!patch.contains("-line 50\n") || patch.contains("+CHANGED 1950"), "added lines first");
    match file.cut {
        Some(Cut::FileCap { hunks_shown, hunks, added_shown, added, .. }) => {
            assert_eq!((hunks_shown, hunks), (20, 20));
            assert!(added_shown >= 1 && added_shown < added, "{added_shown} of {added}");
        }
        other => panic!("expected a file cap, got {other:?}"),
    }
    assert!(render_changes(&changes).contains("[shortened: "), "the cut is said");
}

#[test]
fn non_utf8_text_is_decoded_lossily_and_binary_looking_content_skipped() {
    let repo = TestRepo::new();
    repo.stage("latin1.txt", b"caf\xe9 cr\xe8me\n");
    repo.stage("nul.dat", b"text\0with a nul byte NULMARKER\n");
    let changes = repo.open().staged(&default_options(&repo.root)).expect("collect");
    let prompt = render_changes(&changes);
    assert!(prompt.contains("+caf\u{FFFD} cr\u{FFFD}me"), "{prompt}");
    assert!(!prompt.contains("NULMARKER"));
    assert_eq!(changes.files[1].exclusion, Some(Exclusion::Binary));
}

#[test]
fn two_thousand_files_are_all_listed_and_the_total_cap_holds() {
    let repo = TestRepo::new();
    for index in 0..2000 {
        let content: String =
            (0..30).map(|line| format!("file {index} line {line} {}\n", "x".repeat(20))).collect();
        repo.write(&format!("pkg{}/file{index:04}.txt", index % 20), content);
    }
    repo.git(&["add", "."]);
    let mut options = default_options(&repo.root);
    options.limits.max_total_bytes = 200_000;
    let changes = repo.open().staged(&options).expect("collect");
    assert_eq!(changes.files.len(), 2000);
    let mut sorted: Vec<&str> = changes.files.iter().map(|file| file.path.as_str()).collect();
    sorted.sort_unstable();
    let in_order: Vec<&str> = changes.files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(in_order, sorted, "files come in path order");
    let sent: usize = changes.sent().map(|file| file.patch.as_ref().map_or(0, String::len)).sum();
    assert!(sent <= 200_000 && sent > 190_000, "sent {sent} bytes");
    let cut =
        changes.files.iter().filter(|file| matches!(file.cut, Some(Cut::TotalCap { .. }))).count();
    assert_eq!(cut + changes.sent().count(), 2000);
    let prompt = render_changes(&changes);
    assert!(prompt.starts_with("Staged changes: 2000 files, +60000 -0"), "{}", &prompt[..80]);
    assert!(prompt.contains("limits.max_total_bytes reached"));
}

#[test]
fn a_commit_and_a_range_diff_against_their_parents() {
    let repo = TestRepo::new();
    repo.stage("a.txt", "one\n");
    repo.commit("first");
    repo.stage("a.txt", "one\ntwo\n");
    repo.stage("b.txt", "bee\n");
    repo.commit("second");
    let options = default_options(&repo.root);
    let root_commit = repo.open().commit("HEAD~1", &options).expect("root commit");
    assert_eq!(root_commit.files.len(), 1);
    assert_eq!(root_commit.files[0].status, Status::Added);
    let head = repo.open().commit("HEAD", &options).expect("head commit");
    let summary: Vec<(&str, Status, usize)> =
        head.files.iter().map(|file| (file.path.as_str(), file.status, file.added_lines)).collect();
    assert_eq!(summary, [("a.txt", Status::Modified, 1), ("b.txt", Status::Added, 1)]);
    let range = repo.open().range(None, "HEAD", &options).expect("range");
    assert_eq!(range.files.len(), 2);
    assert!(repo.open().commit("no-such-branch", &options).is_err());
}

#[test]
fn mode_changes_and_deletions_are_listed() {
    let repo = TestRepo::new();
    repo.stage("run.sh", "#!/bin/sh\necho hi\n");
    repo.stage("old.txt", "gone soon\n");
    repo.commit("scripts");
    repo.git(&["update-index", "--chmod=+x", "run.sh"]);
    repo.git(&["rm", "-q", "old.txt"]);
    let changes = repo.open().staged(&default_options(&repo.root)).expect("collect");
    let run = changes.files.iter().find(|file| file.path == "run.sh").expect("run.sh");
    assert!(run.mode_changed());
    assert_eq!(run.patch, None);
    let old = changes.files.iter().find(|file| file.path == "old.txt").expect("old.txt");
    assert_eq!((old.status, old.removed_lines), (Status::Deleted, 1));
    assert!(render_changes(&changes).contains("run.sh (modified, mode 100644 → 100755)"));
}
