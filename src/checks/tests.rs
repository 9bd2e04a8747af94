//! The checks on hand-made changes: each finds its case at the right line and stays quiet on
//! the look-alikes that would make it noise.

use std::collections::HashMap;

use super::*;
use crate::git::{FileChange, Source, Status};

/// Files before and after, by path.
#[derive(Default)]
struct Fake {
    before: HashMap<&'static str, &'static str>,
    after: HashMap<&'static str, &'static str>,
    tests: bool,
}

impl Sides for Fake {
    fn before(&self, path: &str) -> Option<String> {
        self.before.get(path).map(|text| text.to_string())
    }
    fn after(&self, path: &str) -> Option<String> {
        self.after.get(path).map(|text| text.to_string())
    }
    fn has_tests(&self) -> bool {
        self.tests
    }
}

fn change(files: Vec<FileChange>) -> ChangeSet {
    ChangeSet { source: Source::Range { from: None, to: "b".repeat(40) }, files }
}

fn titles_at(found: &[Finding]) -> Vec<String> {
    found
        .iter()
        .map(|finding| format!("{} {}", finding.location().unwrap_or_default(), finding.title))
        .collect()
}

#[test]
fn added_lines_carry_their_new_file_numbers() {
    let patch =
        "@@ -1,3 +10,4 @@ fn x\n context\n-gone\n+one\n+two\n context\n@@ -20 +30 @@\n+three\n";
    assert_eq!(lines::added(patch), vec![(11, "one"), (12, "two"), (30, "three")]);
}

#[test]
fn a_cloud_key_is_found_at_its_line_and_a_dotenv_file_by_name() {
    let key =
        format!("@@ -0,0 +1,2 @@\n+region = \"eu\"\n+aws_key = \"AKIA{}\"\n", "Z7QK3M9PL2XW4RTB");
    let mut dotenv = FileChange::modified(".env", "");
    dotenv.patch = None;
    dotenv.exclusion = Some(crate::git::Exclusion::Secret);
    dotenv.new_size = 12;
    let found =
        run(&change(vec![FileChange::modified("config.py", &key), dotenv]), &Fake::default());
    let titles = titles_at(&found);
    assert!(titles.iter().any(|title| title.starts_with("config.py:2 a ")), "{titles:?}");
    assert!(titles.contains(&".env a file that usually holds secrets is being pushed".to_string()));
    assert!(found.iter().all(|finding| finding.raised_by == ["checks"]));
    assert_eq!(found[0].priority, Priority::P0);
}

#[test]
fn conflict_markers_span_the_conflict_and_a_heading_underline_is_not_one() {
    let patch = "@@ -1 +1,6 @@\n keep\n+<<<<<<< HEAD\n+ours\n+=======\n+theirs\n+>>>>>>> side\n";
    let found = run(&change(vec![FileChange::modified("src/a.rs", patch)]), &Fake::default());
    assert_eq!(titles_at(&found), vec!["src/a.rs:2-6 conflict markers left from a merge"]);
    let heading = "@@ -0,0 +1,2 @@\n+Title\n+=======\n";
    assert!(
        run(&change(vec![FileChange::modified("README.md", heading)]), &Fake::default()).is_empty()
    );
}

#[test]
fn debug_code_per_language_outside_tests_and_test_modules() {
    let rust = "@@ -1,2 +1,4 @@\n fn a() {\n+    dbg!(x);\n+    dbg!(y);\n }\n";
    let python = "@@ -0,0 +1,2 @@\n+import pdb\n+pdb.set_trace()\n";
    let script = "@@ -3 +3,2 @@\n x\n+debugger;\n";
    let in_tests = "@@ -0,0 +1 @@\n+dbg!(x);\n";
    let sides = Fake {
        after: HashMap::from([("src/a.rs", "fn a() {\n    dbg!(x);\n    dbg!(y);\n}\n")]),
        ..Fake::default()
    };
    let found = run(
        &change(vec![
            FileChange::modified("src/a.rs", rust),
            FileChange::modified("tools/debug.py", python),
            FileChange::modified("web/app.js", script),
            FileChange::modified("tests/it.rs", in_tests),
        ]),
        &sides,
    );
    let titles = titles_at(&found);
    assert!(titles.contains(&"src/a.rs:2 leftover debug code (dbg!)".to_string()), "{titles:?}");
    assert!(found.iter().any(|finding| finding.body.contains("Also at line 3")));
    assert!(titles.contains(&"tools/debug.py:1 leftover debug code (import pdb)".to_string()));
    assert!(titles.contains(&"tools/debug.py:2 leftover debug code (pdb.set_trace())".to_string()));
    assert!(titles.contains(&"web/app.js:4 leftover debug code (debugger)".to_string()));
    assert!(!titles.iter().any(|title| title.starts_with("tests/")), "{titles:?}");

    let test_module = "@@ -5,1 +5,3 @@\n mod tests {\n+    fn t() { dbg!(1); }\n+}\n";
    let sides = Fake {
        after: HashMap::from([(
            "src/b.rs",
            "fn b() {}\n\n#[cfg(test)]\n\nmod tests {\n    fn t() { dbg!(1); }\n}\n",
        )]),
        ..Fake::default()
    };
    assert!(run(&change(vec![FileChange::modified("src/b.rs", test_module)]), &sides).is_empty());
}

#[test]
fn println_counts_only_where_the_file_hardly_printed_before() {
    let patch = "@@ -1,1 +1,2 @@\n fn a() {}\n+fn b() { println!(\"here\"); }\n";
    let quiet = Fake { before: HashMap::from([("src/lib.rs", "fn a() {}\n")]), ..Fake::default() };
    let found = run(&change(vec![FileChange::modified("src/lib.rs", patch)]), &quiet);
    assert_eq!(titles_at(&found), vec!["src/lib.rs:2 leftover debug code (println!)"]);
    let chatty = Fake {
        before: HashMap::from([("src/lib.rs", "println!(\"a\");\nprintln!(\"b\");\n")]),
        ..Fake::default()
    };
    assert!(run(&change(vec![FileChange::modified("src/lib.rs", patch)]), &chatty).is_empty());
    assert!(run(&change(vec![FileChange::modified("src/main.rs", patch)]), &quiet).is_empty());
    // fd's src/error.rs: an `eprintln!` rewritten is neither new printing nor a `println!`.
    let rewritten = "@@ -1,3 +1,4 @@\n pub fn print_error(msg: String) {\n-    eprintln!(\"{}\", msg);\n+    let safe = clean(&msg);\n+    eprintln!(\"{safe}\");\n }\n";
    let error = Fake {
        before: HashMap::from([(
            "src/error.rs",
            "pub fn print_error(msg: String) {\n    eprintln!(\"{}\", msg);\n}\n",
        )]),
        ..Fake::default()
    };
    assert!(run(&change(vec![FileChange::modified("src/error.rs", rewritten)]), &error).is_empty());
}

#[test]
fn new_markers_in_comments_but_not_moved_ones_or_words_in_strings() {
    let patch = "@@ -1,2 +1,3 @@\n-// TODO: old one\n+// TODO: old one\n+let s = \"TODO list\";\n+# FIXME: later\n";
    let found = run(&change(vec![FileChange::modified("a.py", patch)]), &Fake::default());
    assert_eq!(titles_at(&found), vec!["a.py:3 new FIXME comment"]);
    let xxx = "@@ -0,0 +1 @@\n+    /* XXX: not thread safe */\n";
    let found = run(&change(vec![FileChange::modified("a.c", xxx)]), &Fake::default());
    assert_eq!(titles_at(&found), vec!["a.c:1 new XXX comment"]);
    let placeholder = "@@ -0,0 +1 @@\n+phone = \"XXX-XXXX\" # TODOS are elsewhere\n";
    assert!(
        run(&change(vec![FileChange::modified("b.py", placeholder)]), &Fake::default()).is_empty()
    );
}

#[test]
fn large_and_binary_files_added_and_mode_changes() {
    let mut large = FileChange::modified("data/dump.csv", "");
    large.status = Status::Added;
    large.new_size = 3_000_000;
    let mut image = FileChange::modified("logo.png", "");
    image.status = Status::Added;
    image.patch = None;
    image.exclusion = Some(crate::git::Exclusion::Binary);
    image.new_size = 2048;
    let mut script = FileChange::modified("run.sh", "");
    script.patch = None;
    script.new_mode = 0o100_755;
    let found = run(&change(vec![large, image, script]), &Fake::default());
    let titles = titles_at(&found);
    assert!(
        titles.contains(&"data/dump.csv a large file (3.0 MB) is added".to_string()),
        "{titles:?}"
    );
    assert!(titles.contains(&"logo.png a binary file (2.0 KB) is added".to_string()), "{titles:?}");
    assert!(titles.contains(&"run.sh the file becomes executable".to_string()), "{titles:?}");
}

#[test]
fn a_lock_file_without_its_manifest_and_dependencies_without_the_lock_file() {
    let lock = FileChange::modified("Cargo.lock", "@@ -1 +1 @@\n-a\n+b\n");
    assert!(run(&change(vec![lock.clone()]), &Fake::default()).is_empty(), "a lock-only bump");
    let work = FileChange::modified("README.md", "@@ -1 +1 @@\n-a\n+b\n");
    let found = run(&change(vec![lock.clone(), work]), &Fake::default());
    assert_eq!(titles_at(&found), vec!["Cargo.lock Cargo.lock changed without Cargo.toml"]);
    let manifest = FileChange::modified("crates/x/Cargo.toml", "@@ -1,5 +1,6 @@\n [package]\n name = \"x\"\n \n [dependencies]\n serde = \"1\"\n+regex = \"1\"\n");
    assert!(
        run(&change(vec![lock, manifest.clone()]), &Fake::default()).is_empty(),
        "changed together"
    );
    let sides = Fake {
        after: HashMap::from([
            ("Cargo.lock", "# lock\n"),
            (
                "crates/x/Cargo.toml",
                "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\nregex = \"1\"\n",
            ),
        ]),
        ..Fake::default()
    };
    let found = run(&change(vec![manifest]), &sides);
    assert_eq!(
        titles_at(&found),
        vec!["crates/x/Cargo.toml:6 dependencies change without Cargo.lock"]
    );
    let version = FileChange::modified(
        "crates/x/Cargo.toml",
        "@@ -1,2 +1,2 @@\n [package]\n-version = \"1.0.0\"\n+version = \"1.0.1\"\n",
    );
    assert!(run(&change(vec![version]), &sides).is_empty(), "not a dependency");
    let comment = FileChange::modified(
        "crates/x/Cargo.toml",
        "@@ -4,2 +4,3 @@\n [dependencies]\n+# keep in step with src/main.rs\n serde = \"1\"\n",
    );
    assert!(run(&change(vec![comment]), &sides).is_empty(), "a comment, as in fd's 56ca42ae");
    let package = FileChange::modified("package.json", "@@ -2,4 +2,5 @@\n   \"name\": \"x\",\n   \"dependencies\": {\n+    \"left-pad\": \"1.0.0\",\n     \"react\": \"18\"\n   }\n");
    let sides = Fake {
        after: HashMap::from([
            ("package-lock.json", "{}\n"),
            ("package.json", "{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"left-pad\": \"1.0.0\",\n    \"react\": \"18\"\n  }\n}\n"),
        ]),
        ..Fake::default()
    };
    let found = run(&change(vec![package]), &sides);
    assert_eq!(
        titles_at(&found),
        vec!["package.json:4 dependencies change without package-lock.json"]
    );
}

#[test]
fn source_without_tests_only_when_enough_changed_and_the_repository_has_tests() {
    let body: String = (1..=40).map(|index| format!("+let v{index} = {index};\n")).collect();
    let patch = format!("@@ -0,0 +1,40 @@\n{body}");
    let sides = Fake { tests: true, ..Fake::default() };
    let found = run(&change(vec![FileChange::modified("src/big.rs", &patch)]), &sides);
    assert_eq!(titles_at(&found), vec!["src/big.rs:1 source changed and no test changed"]);
    assert_eq!(found[0].priority, Priority::P3);
    let untested_repository = Fake::default();
    assert!(run(&change(vec![FileChange::modified("src/big.rs", &patch)]), &untested_repository)
        .is_empty());
    let small = "@@ -1 +1 @@\n-let a = 1;\n+let a = 2;\n";
    assert!(run(&change(vec![FileChange::modified("src/small.rs", small)]), &sides).is_empty());
    let with_test = FileChange::modified("tests/big.rs", "@@ -0,0 +1 @@\n+fn t() {}\n");
    assert!(run(&change(vec![FileChange::modified("src/big.rs", &patch), with_test]), &sides)
        .is_empty());
}
