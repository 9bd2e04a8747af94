//! What `--dry-run` prints, whatever the job (a commit draft, a push review, a report): each
//! request as it would be posted, models sent the same requests shown once, together; and for
//! programs the requests per model with their JSON bodies.

use serde::Serialize;

use crate::engine::ModelRequests;

/// `--dry-run --format json`: what every selected model would be sent.
#[derive(Debug, Serialize)]
pub(crate) struct DryRunOutput<'a> {
    /// Always true: nothing was sent.
    pub(crate) dry_run: bool,
    /// One entry per selected model, in selection order.
    pub(crate) models: &'a [ModelRequests],
}

/// Models sent the same requests, with those requests.
pub(crate) struct Group<'a> {
    /// The models' names, in selection order.
    pub(crate) names: Vec<&'a str>,
    /// What the first of them would be sent (the others are sent the same).
    pub(crate) model: &'a ModelRequests,
}

/// The models that would send something, those sent the same requests in one group.
pub(crate) fn groups(models: &[ModelRequests]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for model in models.iter().filter(|model| !model.requests.is_empty()) {
        let same = |other: &ModelRequests| {
            other.requests.len() == model.requests.len()
                && other.requests.iter().zip(&model.requests).all(|(left, right)| {
                    left.url == right.url && left.system == right.system && left.user == right.user
                })
        };
        match groups.iter_mut().find(|group| same(group.model)) {
            Some(group) => group.names.push(&model.model),
            None => groups.push(Group { names: vec![&model.model], model }),
        }
    }
    groups
}

/// Every request of `groups` for people: a header naming the request, the models and the
/// address (without credentials), then the instructions and the input exactly as sent.
pub(crate) fn render_text(groups: &[Group<'_>]) -> String {
    let mut text = String::new();
    for group in groups {
        let count = group.model.requests.len();
        for (index, request) in group.model.requests.iter().enumerate() {
            let after =
                if request.pending_summaries { ", built from the answers before it" } else { "" };
            text.push_str(&format!(
                "=== request {} of {count} to {}: POST {}{after} ===\n--- instructions ---\n{}",
                index + 1,
                group.names.join(", "),
                crate::text::without_credentials(&request.url),
                request.system
            ));
            if !request.system.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("--- input ---\n");
            text.push_str(&request.user);
            if !request.user.ends_with('\n') {
                text.push('\n');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::PlannedRequest;

    fn model(name: &str, user: &str) -> ModelRequests {
        ModelRequests {
            model: name.to_string(),
            provider: "openai-compatible".to_string(),
            model_id: "m".to_string(),
            requests: vec![PlannedRequest {
                url: "http://user:secret@127.0.0.1:9/v1/chat/completions".to_string(),
                system: "Review.".to_string(),
                user: user.to_string(),
                body: serde_json::json!({}),
                pending_summaries: false,
            }],
            note: None,
        }
    }

    #[test]
    fn models_sent_the_same_requests_are_shown_once_together() {
        let mut quiet = model("local", "");
        quiet.requests.clear();
        let models =
            [model("a", "the change\n"), model("b", "other"), model("c", "the change\n"), quiet];
        let groups = groups(&models);
        let names: Vec<&[&str]> = groups.iter().map(|group| &group.names[..]).collect();
        assert_eq!(names, [&["a", "c"][..], &["b"][..]]);
        let text = render_text(&groups);
        assert!(
            text.starts_with(
                "=== request 1 of 1 to a, c: POST http://127.0.0.1:9/v1/chat/completions ===\n\
             --- instructions ---\nReview.\n--- input ---\nthe change\n=== request 1 of 1 to b"
            ),
            "{text}"
        );
        assert!(text.ends_with("--- input ---\nother\n"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }

    #[test]
    fn a_request_built_from_earlier_answers_says_so() {
        let mut planned = model("a", "[F1] a.rs\n");
        let mut last = planned.requests[0].clone();
        last.user = format!("## a.rs\n{}\n", crate::engine::PENDING_SUMMARY);
        last.pending_summaries = true;
        planned.requests.push(last);
        let models = [planned];
        let text = render_text(&groups(&models));
        assert!(
            text.contains(
                "=== request 1 of 2 to a: POST http://127.0.0.1:9/v1/chat/completions ===\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "=== request 2 of 2 to a: POST http://127.0.0.1:9/v1/chat/completions, built from \
                 the answers before it ===\n"
            ),
            "{text}"
        );
    }
}
