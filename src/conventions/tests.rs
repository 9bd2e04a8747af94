//! Tests of the conventions as a whole: the index on disk (incremental, torn lines, other
//! versions), a profile learned from a synthetic history, and drafts checked against rules
//! and habits.

use std::sync::Arc;

use super::check::check;
use super::index::{Index, Record};
use super::profile::Profile;
use super::rules::{Allowed, Rules};
use super::shape::{Shape, ShapeBump, ShapeFile};
use super::subject::{Body, Style};
use super::{Conventions, History};
use crate::answer::Message;

fn record(number: usize, subject: &str, path: &str, kind: &str, rule: &str) -> Arc<Record> {
    Arc::new(Record {
        id: format!("{number:040x}"),
        parent: Some(format!("{:040x}", number + 1)),
        merge: false,
        time: 1_000_000 - number as i64,
        bot: false,
        subject: subject.to_string(),
        body: Body::default(),
        shape: Some(Shape {
            files: vec![ShapeFile {
                path: path.to_string(),
                old: None,
                status: 'M',
                kind: kind.to_string(),
                added: 3,
                removed: 1,
            }],
            file_count: 1,
            added: 3,
            removed: 1,
            rule_type: rule.to_string(),
            ..Shape::default()
        }),
        brought: Vec::new(),
    })
}

/// A history where dependency bumps are `chore(deps)`, docs are `docs`, code is `feat(x)`
/// with the scope of its folder.
fn history() -> Vec<Arc<Record>> {
    (0..90)
        .map(|number| match number % 3 {
            0 => record(number, "chore(deps): bump serde", "Cargo.lock", "lock", "build"),
            1 => record(number, "docs: explain the cache", "README.md", "docs", "docs"),
            _ => {
                record(number, "feat(cache): keep summaries", "src/cache/log.rs", "source", "feat")
            }
        })
        .collect()
}

fn conventions_of(records: Vec<Arc<Record>>, rules: Rules) -> Conventions {
    Conventions::from_history(
        History { commits: records, indexed_now: 0, shallow: false },
        rules,
        Vec::new(),
    )
}

#[test]
fn the_profile_learns_types_and_scopes_from_the_history() {
    let profile = Profile::build(&history());
    assert_eq!(profile.style, Style::Conventional);
    let lock = record(1000, "", "Cargo.lock", "lock", "build");
    let prediction = profile.predict(lock.shape.as_ref().expect("shape"));
    assert_eq!(prediction.commit_type.map(|(name, _)| name).as_deref(), Some("chore"));
    assert_eq!(prediction.scope.as_deref(), Some("deps"));
    let code = record(1001, "", "src/cache/mod.rs", "source", "fix");
    let prediction = profile.predict(code.shape.as_ref().expect("shape"));
    assert_eq!(prediction.scope.as_deref(), Some("cache"));
    assert_eq!(profile.scope_for_path("src/cache/new.rs").as_deref(), Some("cache"));
    let examples = profile.examples(code.shape.as_ref().expect("shape"));
    assert_eq!(examples.first().map(String::as_str), Some("feat(cache): keep summaries"));
}

#[test]
fn a_short_history_leaves_the_decision_to_the_rules() {
    let conventions = conventions_of(history().into_iter().take(3).collect(), Rules::default());
    assert!(conventions.speaking_profile().is_none(), "3 commits do not speak for a style");
    assert!(Conventions::none().profile.is_none());
}

#[test]
fn declared_rules_repair_what_is_clear_and_name_the_rest() {
    let rules = Rules {
        types: Some(Allowed {
            values: vec!["feat".into(), "fix".into(), "docs".into()],
            source: "commitlint type-enum (.commitlintrc.json)".into(),
            strict: true,
        }),
        scopes: Some(Allowed {
            values: vec!["api".into()],
            source: "commitlint scope-enum (.commitlintrc.json)".into(),
            strict: true,
        }),
        conventional: Some("commitlint".into()),
        full_stop: Some((false, "commitlint subject-full-stop (.commitlintrc.json)".into())),
        ..Rules::default()
    };
    let conventions = conventions_of(Vec::new(), rules);
    let draft = |subject: &str| Message { subject: subject.to_string(), body: String::new() };
    let checked = check(&conventions, &draft("Feature(cli): Add a flag."), 72);
    assert_eq!(checked.message.subject, "feat: Add a flag");
    assert!(checked.violations.is_empty(), "{:?}", checked.violations);
    let checked = check(&conventions, &draft("perf(api): cache the parser"), 72);
    assert_eq!(checked.violations.len(), 1, "{:?}", checked.violations);
    assert!(checked.violations[0].contains("type-enum"));
    let checked = check(&conventions, &draft("Add a flag"), 72);
    assert_eq!(checked.violations.len(), 1, "a plain draft is named, not guessed at");
    let long = check(&conventions, &draft(&format!("feat: {}", "word ".repeat(30))), 40);
    assert!(long.message.subject.chars().count() <= 40);
}

#[test]
fn habits_repair_the_style_a_repository_never_uses() {
    let plain: Vec<Arc<Record>> = (0..40)
        .map(|number| record(number, "Add a thing to the pager", "src/pager.rs", "source", "feat"))
        .collect();
    let conventions = conventions_of(plain, Rules::default());
    let checked = check(
        &conventions,
        &Message { subject: "feat(pager): add hyperlink support".into(), body: String::new() },
        72,
    );
    assert_eq!(checked.message.subject, "Add hyperlink support");
    let component: Vec<Arc<Record>> = (0..40)
        .map(|number| {
            record(number, "sync: fix a wake-up", "tokio/src/sync/notify.rs", "source", "fix")
        })
        .collect();
    let conventions = conventions_of(component, Rules::default());
    let checked = check(
        &conventions,
        &Message { subject: "fix(sync): handle a lost wake-up".into(), body: String::new() },
        72,
    );
    assert_eq!(checked.message.subject, "sync: handle a lost wake-up");
}

#[test]
fn the_index_survives_torn_foreign_and_old_lines() {
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("index.log");
    let good = record(1, "feat: x", "src/a.rs", "source", "feat");
    let version = super::index::INDEX_VERSION;
    let line = format!("{version} {}\n", serde_json::to_string(good.as_ref()).expect("json"));
    let mut bytes = line.clone().into_bytes();
    let mut old = good.as_ref().clone();
    old.id = format!("{:040x}", 77);
    bytes.extend_from_slice(
        format!("{} {}\n", version - 1, serde_json::to_string(&old).expect("json")).as_bytes(),
    );
    bytes.extend_from_slice(b"\xff\xfe not utf-8\n");
    bytes.extend_from_slice(format!("{version} {{\"id\": \"trunc").as_bytes());
    bytes.extend_from_slice(line.as_bytes());
    std::fs::write(&path, bytes).expect("write");
    let index = Index::at(path);
    assert_eq!(index.len(), 1);
}

#[test]
fn a_revert_of_a_bump_is_never_the_template_of_a_bump() {
    let bump = |number: usize, subject: &str, name: &str, old: &str, new: &str| {
        let mut record =
            Arc::unwrap_or_clone(record(number, subject, "Cargo.lock", "lock", "build"));
        let shape = record.shape.as_mut().expect("shape");
        shape.bumps = vec![ShapeBump {
            name: name.to_string(),
            old: Some(old.to_string()),
            new: Some(new.to_string()),
        }];
        shape.bump_count = 1;
        Arc::new(record)
    };
    // The nearest earlier commit is a revert: it "bumps" chrono down.
    let mut records =
        vec![bump(0, "Revert \"Bump chrono from 0.4.19 to 0.4.22\"", "chrono", "0.4.22", "0.4.19")];
    records.extend((1..40).map(|number| {
        bump(
            number,
            &format!("Bump serde from 1.0.{number} to 1.0.{}", number + 1),
            "serde",
            "1.0.1",
            "1.0.2",
        )
    }));
    let profile = Profile::build(&records);
    let change = bump(1000, "", "ignore", "0.4.26", "0.4.31");
    let prediction = profile.predict(change.shape.as_ref().expect("shape"));
    let summary = prediction.templated_summary.expect("a bump template from the history");
    assert_eq!(summary, "Bump ignore from 0.4.26 to 0.4.31");
}

#[test]
fn a_large_index_is_read_in_parts_and_a_later_line_still_wins() {
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("index.log");
    let version = super::index::INDEX_VERSION;
    let line =
        |record: &Record| format!("{version} {}\n", serde_json::to_string(record).expect("json"));
    let mut text = String::new();
    for number in 0..1500 {
        text.push_str(&line(&record(number, "feat: first", "src/a.rs", "source", "feat")));
    }
    // The same commits again, later in the log: these are the ones read.
    for number in 0..1500 {
        text.push_str(&line(&record(number, "fix: second", "src/a.rs", "source", "fix")));
    }
    assert!(text.len() > 512 * 1024, "large enough to be read in parts: {}", text.len());
    std::fs::write(&path, text).expect("write");
    let index = Index::at(path);
    assert_eq!(index.len(), 1500);
    assert_eq!(index.subject_of(&format!("{:040x}", 1499)).as_deref(), Some("fix: second"));
    assert_eq!(index.subject_of(&format!("{:040x}", 0)).as_deref(), Some("fix: second"));
}

#[test]
fn a_profile_read_back_from_its_file_predicts_exactly_as_the_trained_one() {
    // A mixed history, so that the style model and both path rules are kept too.
    let mut records = history();
    records.extend((0..40).map(|number| {
        record(200 + number, "parser: speed up the lexer", "src/parser/lex.rs", "source", "perf")
    }));
    let trained = Profile::build(&records);
    let folder = tempfile::tempdir().expect("temporary folder");
    let profiles = super::cache::folder(folder.path());
    let key = super::cache::Key { base: "a".repeat(40), history: 1000, shallow_boundary: 0 };
    super::cache::save(&profiles, &key, &trained, true).expect("kept");
    let cached = super::cache::load(&profiles, &key, false).expect("read back");
    assert!(cached.shallow);
    let loaded = cached.profile;
    assert_eq!(loaded.commits(), trained.commits());
    assert_eq!(loaded.style, trained.style);
    assert_eq!(loaded.style_shares, trained.style_shares);
    assert_eq!(loaded.types, trained.types);
    assert_eq!(loaded.trailers, trained.trailers);
    assert_eq!(loaded.median_length, trained.median_length);
    assert_eq!(loaded.scopes(), trained.scopes());
    for (number, (path, kind)) in [
        ("Cargo.lock", "lock"),
        ("src/cache/mod.rs", "source"),
        ("src/parser/new.rs", "source"),
        ("README.md", "docs"),
        ("docs/guide.md", "docs"),
    ]
    .into_iter()
    .enumerate()
    {
        let change = record(5000 + number, "", path, kind, "fix");
        let shape = change.shape.as_ref().expect("shape");
        assert_eq!(loaded.predict(shape), trained.predict(shape), "{path}");
        assert_eq!(loaded.examples(shape), trained.examples(shape), "{path}");
        assert_eq!(loaded.scope_for_path(path), trained.scope_for_path(path), "{path}");
        assert_eq!(loaded.capitalises(Style::Plain), trained.capitalises(Style::Plain));
    }

    // Another history, another shallow boundary, another key's file under this key's name,
    // or a torn file: nothing is read back.
    let other = super::cache::Key { base: "b".repeat(40), ..key.clone() };
    assert!(super::cache::load(&profiles, &other, false).is_none());
    let shorter = super::cache::Key { history: 500, ..key.clone() };
    assert!(super::cache::load(&profiles, &shorter, false).is_none());
    let deepened = super::cache::Key { shallow_boundary: 7, ..key.clone() };
    assert!(super::cache::load(&profiles, &deepened, false).is_none());
    let path = profiles.join(key.file_name());
    let bytes = std::fs::read(&path).expect("file");
    std::fs::write(profiles.join(other.file_name()), &bytes).expect("misnamed");
    assert!(super::cache::load(&profiles, &other, false).is_none());
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("tear");
    assert!(super::cache::load(&profiles, &key, false).is_none());
}

#[test]
fn the_kept_profiles_are_bounded_and_the_least_recently_used_goes_first() {
    let trained = Profile::build(&history());
    let folder = tempfile::tempdir().expect("temporary folder");
    let profiles = super::cache::folder(folder.path());
    let key = |number: usize| super::cache::Key {
        base: format!("{number:040x}"),
        history: 1000,
        shallow_boundary: 0,
    };
    // The single file of earlier versions goes when a profile is written.
    let legacy = folder.path().join("changes/conventions/profile.bin");
    std::fs::create_dir_all(&profiles).expect("folder");
    std::fs::write(&legacy, b"changes-profile\n").expect("legacy file");
    // A temporary file left by a killed run an hour ago, and one being written now.
    let abandoned = profiles.join(".changes-abandoned");
    let writing = profiles.join(".changes-writing");
    std::fs::write(&abandoned, b"half").expect("abandoned");
    std::fs::write(&writing, b"half").expect("writing");
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .append(true)
        .open(&abandoned)
        .and_then(|file| file.set_modified(long_ago))
        .expect("age the abandoned file");
    let kept = super::cache::KEPT;
    for number in 0..kept {
        super::cache::save(&profiles, &key(number), &trained, false).expect("kept");
        // Written one minute apart, the first longest ago.
        let written = std::time::SystemTime::now()
            - std::time::Duration::from_secs(60 * (kept - number) as u64);
        std::fs::File::options()
            .append(true)
            .open(profiles.join(key(number).file_name()))
            .and_then(|file| file.set_modified(written))
            .expect("date the file");
    }
    assert!(!legacy.exists());
    assert!(!abandoned.exists());
    assert!(writing.exists(), "a racing run's temporary file is left alone");
    // The oldest is used again, then one more is written: the second oldest goes.
    assert!(super::cache::load(&profiles, &key(0), false).is_some());
    super::cache::save(&profiles, &key(kept), &trained, false).expect("kept");
    let count = std::fs::read_dir(&profiles)
        .expect("list")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".bin"))
        .count();
    assert_eq!(count, kept);
    assert!(super::cache::load(&profiles, &key(0), false).is_some(), "used last, kept");
    assert!(super::cache::load(&profiles, &key(1), false).is_none(), "least recently used");
    for number in 2..=kept {
        assert!(super::cache::load(&profiles, &key(number), false).is_some(), "{number}");
    }
    // Read-only runs (`config show`) do not mark what they read.
    let before = std::fs::metadata(profiles.join(key(2).file_name()))
        .and_then(|metadata| metadata.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(super::cache::load(&profiles, &key(2), true).is_some());
    let after = std::fs::metadata(profiles.join(key(2).file_name()))
        .and_then(|metadata| metadata.modified())
        .expect("mtime");
    assert_eq!(before, after);
}

#[test]
fn a_short_profile_of_long_subjects_is_read_back() {
    // No type model and few bytes after the median subject length: a number is not a length
    // of what follows, so it is not checked against the bytes left.
    let subject = "Make the parser accept every form of a long option value";
    let records: Vec<Arc<Record>> =
        (0..3).map(|number| record(number, subject, "src/parser.rs", "source", "fix")).collect();
    let trained = Profile::build(&records);
    let folder = tempfile::tempdir().expect("temporary folder");
    let profiles = super::cache::folder(folder.path());
    let key = super::cache::Key { base: "c".repeat(40), history: 1000, shallow_boundary: 0 };
    super::cache::save(&profiles, &key, &trained, false).expect("kept");
    let loaded = super::cache::load(&profiles, &key, false).expect("read back").profile;
    assert_eq!(loaded.median_length, trained.median_length);
    assert_eq!(loaded.commits(), 3);
}
