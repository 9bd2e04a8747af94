//! The push review in the formats review pipelines exchange: SARIF 2.1.0 (`--format sarif`),
//! which code-scanning services, CI annotations and editors read — one run of the tool
//! `changes`, one rule per category, one result per finding inside the pushed change, with
//! its place, its priority as the level, a fix when a replacement was suggested, and the
//! models that raised it — and reviewdog's rdjson (`--format rdjson`), the same findings as
//! diagnostics with suggestions.

use serde_json::{json, Map, Value};

use crate::answer::{Finding, Priority};

use super::output::PushOutput;

/// Where SARIF 2.1.0's schema is published, as `$schema` names it.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base that findings' relative paths resolve against: the work tree's root.
const ROOT: &str = "SRCROOT";

/// The review as a SARIF log, pretty-printed with a final newline.
pub(crate) fn render_sarif(report: &PushOutput<'_>) -> String {
    let findings: Vec<&Finding> = inside(report).collect();
    let mut categories: Vec<&str> =
        findings.iter().map(|finding| finding.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let rules: Vec<Value> = categories
        .iter()
        .map(|category| {
            json!({
                "id": category,
                "name": category,
                "shortDescription": {"text": format!("{category} findings of the push review")},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let index = categories.binary_search(&finding.category.as_str()).unwrap_or(0);
            result(finding, index)
        })
        .collect();
    let revision = report.ranges.first().map(|range| range.tip.clone());
    let mut run = json!({
        "tool": {"driver": {
            "name": "changes",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let (Some(revision), Some(object)) = (revision, run.as_object_mut()) {
        object.insert("properties".to_string(), json!({"revision": revision}));
    }
    let log = json!({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]});
    super::output::to_json(&log)
}

/// The review as reviewdog's rdjson (`DiagnosticResult`), pretty-printed with a final
/// newline. Line ranges without columns are whole lines, as rdjson defines them.
pub(crate) fn render_rdjson(report: &PushOutput<'_>) -> String {
    let diagnostics: Vec<Value> = inside(report)
        .map(|finding| {
            let mut message = finding.title.clone();
            if !finding.body.is_empty() {
                message.push_str("\n\n");
                message.push_str(&finding.body);
            }
            let mut diagnostic = Map::new();
            diagnostic.insert("message".into(), json!(message));
            diagnostic.insert("severity".into(), json!(rdjson_severity(finding.priority)));
            diagnostic.insert("code".into(), json!({"value": finding.category}));
            diagnostic.insert("source".into(), json!({"name": finding.raised_by.join(", ")}));
            if let Some(path) = &finding.path {
                let mut location = json!({"path": path});
                if let (Some(lines), Some(object)) = (finding.lines, location.as_object_mut()) {
                    let range = json!({"start": {"line": lines.start}, "end": {"line": lines.end}});
                    object.insert("range".into(), range.clone());
                    if let Some(suggestion) = &finding.suggestion {
                        diagnostic.insert(
                            "suggestions".into(),
                            json!([{"range": range, "text": suggestion}]),
                        );
                    }
                }
                diagnostic.insert("location".into(), location);
            }
            Value::Object(diagnostic)
        })
        .collect();
    super::output::to_json(&json!({"source": {"name": "changes"}, "diagnostics": diagnostics}))
}

/// Every finding of the review inside the pushed change.
fn inside<'a>(report: &'a PushOutput<'_>) -> impl Iterator<Item = &'a Finding> {
    report.ranges.iter().flat_map(|range| &range.findings).filter(|finding| !finding.outside_diff)
}

/// P0 and P1 are errors, P2 a warning, P3 information.
fn rdjson_severity(priority: Priority) -> &'static str {
    match priority {
        Priority::P0 | Priority::P1 => "ERROR",
        Priority::P2 => "WARNING",
        Priority::P3 => "INFO",
    }
}

/// One finding as a SARIF result.
fn result(finding: &Finding, rule_index: usize) -> Value {
    let mut message = finding.title.clone();
    if !finding.body.is_empty() {
        message.push_str("\n\n");
        message.push_str(&finding.body);
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.category));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(level(finding.priority)));
    result.insert("message".into(), json!({"text": message}));
    if let Some(path) = &finding.path {
        let mut location = json!({"artifactLocation": {"uri": uri(path), "uriBaseId": ROOT}});
        if let (Some(lines), Some(object)) = (finding.lines, location.as_object_mut()) {
            object.insert("region".into(), json!({"startLine": lines.start, "endLine": lines.end}));
        }
        result.insert("locations".into(), json!([{"physicalLocation": location}]));
        if let (Some(lines), Some(suggestion)) = (finding.lines, &finding.suggestion) {
            // A region of whole lines without columns ends before the last line's newline.
            result.insert(
                "fixes".into(),
                json!([{
                    "description": {"text": "suggested replacement"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(path), "uriBaseId": ROOT},
                        "replacements": [{
                            "deletedRegion": {"startLine": lines.start, "endLine": lines.end},
                            "insertedContent": {"text": suggestion},
                        }],
                    }],
                }]),
            );
        }
    }
    result.insert(
        "properties".into(),
        json!({
            "priority": finding.priority.to_string(),
            "confidence": finding.confidence,
            "raisedBy": finding.raised_by,
        }),
    );
    Value::Object(result)
}

/// P0 and P1 are errors, P2 a warning, P3 a note.
fn level(priority: Priority) -> &'static str {
    match priority {
        Priority::P0 | Priority::P1 => "error",
        Priority::P2 => "warning",
        Priority::P3 => "note",
    }
}

/// A repository path as a relative URI reference: every byte outside the unreserved set and
/// `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris_and_priorities_levels() {
        assert_eq!(uri("src/a b/ü%.rs"), "src/a%20b/%C3%BC%25.rs");
        assert_eq!(level(Priority::P1), "error");
        assert_eq!(level(Priority::P3), "note");
    }
}
