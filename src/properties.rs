//! Property tests over the code that takes outside input: git's pre-push lines, the message
//! file, models' answers, configuration files, and the retry deadline. Short runs are part
//! of `cargo test`; `PROPTEST_CASES=100000 cargo test properties` runs them long.

use std::time::Duration;

use proptest::prelude::*;

use crate::answer::{Answer, Message};
use crate::config::{parse_layer, MergeMode, Origin};
use crate::engine::{clean, merge};
use crate::git::push::parse_push_input;
use crate::llm::http;
use crate::report::commit::{render_message_file, DraftSummary, Placement};

fn answer(subject: &str) -> Answer<Message> {
    Answer {
        model: crate::config::ModelName::try_from("local".to_string())
            .unwrap_or_else(|_| unreachable!()),
        duration: Duration::from_millis(5),
        outcome: Ok(Message { subject: subject.to_string(), body: "- a bullet".to_string() }),
        notes: Vec::new(),
    }
}

proptest! {
    #[test]
    fn push_input_never_panics_and_accepts_what_git_writes(
        noise in ".{0,400}",
        lines in proptest::collection::vec(("[a-z/]{1,30}", "[0-9a-f]{40}", "[a-z/]{1,30}", "[0-9a-f]{40}"), 0..5),
    ) {
        let _ = parse_push_input(&noise);
        let input: String = lines.iter().map(|(a, b, c, d)| format!("{a} {b} {c} {d}\n")).collect();
        let parsed = parse_push_input(&input).expect("git's own format parses");
        prop_assert_eq!(parsed.len(), lines.len());
    }

    #[test]
    fn the_message_file_keeps_every_byte_git_wrote_and_is_idempotent(
        original in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            "(?s)[#;/a-zA-Z0-9 \r\n>8-]{0,600}".prop_map(String::into_bytes),
            "(?s).{0,300}".prop_map(String::into_bytes),
        ],
        subject in "[a-z]{1,10}: [a-z ]{1,40}",
        comment in prop_oneof![Just("#".to_string()), Just(";".to_string()), Just("//".to_string())],
    ) {
        let answers = [answer(&subject)];
        let merged = merge::arrange(&answers, MergeMode::Alternatives, false);
        let summary = DraftSummary {
            answers: &answers,
            skipped: &[],
            elapsed: Duration::from_millis(5),
            merged,
            notes: Vec::new(),
            violations: Vec::new(),
        };
        for placement in [Placement::Draft, Placement::CommentsOnly] {
            let Some(updated) = render_message_file(&original, &comment, placement, &summary) else { continue };
            let text = String::from_utf8(updated.clone()).expect("only UTF-8 input is changed");
            let original_text = String::from_utf8(original.clone()).expect("UTF-8");
            // Every line git wrote is still there, in order.
            let mut rest = text.as_str();
            for line in original_text.split('\n').map(|line| line.trim_end_matches('\r')) {
                let found = rest.find(line);
                prop_assert!(found.is_some(), "lost {:?}", line);
                rest = &rest[found.unwrap_or(0) + line.len()..];
            }
            prop_assert_eq!(render_message_file(&updated, &comment, placement, &summary), None);
        }
    }

    #[test]
    fn cleaned_answers_have_one_short_clean_subject(answer_text in ".{0,300}", max in 20usize..120) {
        if let Some(message) = clean::message(&answer_text, max) {
            prop_assert!(message.subject.chars().count() <= max);
            prop_assert!(!message.subject.contains('\n'));
            prop_assert!(!message.subject.trim().is_empty());
            prop_assert!(!message.to_text().chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            prop_assert!(!message.subject.contains("<think>"));
        }
    }

    #[test]
    fn the_configuration_loader_never_panics(text in "(?s).{0,400}", yamlish in "([a-z_]{1,12}: ?(\\[|\\{|-|[0-9a-z]{0,8})\n {0,4}){0,12}") {
        let _ = parse_layer(&text, &Origin::Default);
        let _ = parse_layer(&yamlish, &Origin::Default);
    }

    #[test]
    fn retry_waits_never_outlive_the_deadline(
        retry in 0u32..4,
        asked_ms in proptest::option::of(0u64..120_000),
        remaining_ms in 0u64..60_000,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
        runtime.block_on(async {
            let deadline = tokio::time::Instant::now() + Duration::from_millis(remaining_ms);
            if let Some(wait) = http::next_wait(retry, asked_ms.map(Duration::from_millis), deadline) {
                prop_assert!(tokio::time::Instant::now() + wait < deadline);
                prop_assert!(retry < 2);
            }
            Ok(())
        })?;
    }
}
