//! Reading one file's unified-diff hunks: which definitions appear only on added lines,
//! only on removed lines, or enclose changed lines, and what kind of lines changed.
//!
//! One pass over the patch, no allocation per line: names borrow from the patch text and a
//! small stack of enclosing definitions stands in for a parser.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::definitions::{indentation, CommentStyle, Kind, Language, LineDefinition, Matcher};

/// A definition that a patch adds or removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Definition {
    /// The name, qualified by its owner for methods (`Settings::load`, `Parser.parse`).
    pub(super) name: String,
    /// What it is.
    pub(super) kind: Kind,
    /// Inside a test module, marked as a test, or named like one.
    pub(super) is_test: bool,
    /// Nested in a type or implementation that the same patch adds or removes, so that
    /// the owner, not each member, is worth naming.
    pub(super) inside_changed_owner: bool,
}

/// What one file's patch shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PatchFacts {
    /// Definitions on added lines only, in order of appearance.
    pub(super) added: Vec<Definition>,
    /// Definitions on removed lines only, in order of appearance.
    pub(super) removed: Vec<Definition>,
    /// Existing definitions (or sections) that enclose changed lines, in order of appearance.
    pub(super) changed: Vec<Definition>,
    /// Existing tests that enclose changed lines.
    pub(super) changed_tests: Vec<Definition>,
    /// Changed non-blank lines no definition or heading encloses.
    pub(super) unattributed_lines: usize,
    /// Changed non-blank lines inside tests.
    pub(super) test_lines: usize,
    /// Changed non-blank lines outside tests.
    pub(super) other_lines: usize,
    /// Changed non-blank lines that are comments.
    pub(super) comment_lines: usize,
    /// Added lines directly inside a struct or enum body (fields, variants), Rust and Go only.
    pub(super) type_body_added: usize,
    /// Removed lines directly inside a struct or enum body, Rust and Go only.
    pub(super) type_body_removed: usize,
    /// True when removed and added lines are the same once all whitespace is ignored.
    pub(super) whitespace_only: bool,
}

impl PatchFacts {
    /// Changed non-blank lines.
    pub(super) fn content_lines(&self) -> usize {
        self.test_lines + self.other_lines
    }

    /// True when every changed non-blank line is a comment.
    pub(super) fn comment_only(&self) -> bool {
        self.comment_lines > 0 && self.comment_lines == self.content_lines()
    }

    /// True when every changed line belongs to tests.
    pub(super) fn test_only(&self) -> bool {
        self.test_lines > 0 && self.other_lines == 0
    }
}

/// One enclosing definition on the stack.
struct Frame<'a> {
    /// Indentation for code, heading level for prose.
    depth: usize,
    /// The name, qualified for methods.
    name: Cow<'a, str>,
    kind: Kind,
    /// The type that methods nested in this frame belong to.
    owner: Option<Cow<'a, str>>,
    /// A test, or inside one.
    is_test: bool,
    /// The frame's own line was added or removed rather than context.
    changed_here: bool,
    /// An inherent `impl Type` block: it groups methods but is not itself a definition.
    is_container: bool,
}

/// The changed-line marker of a hunk body line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// ` `: on both sides.
    Context,
    /// `+`: new side only.
    Added,
    /// `-`: old side only.
    Removed,
}

/// Reads a patch with the matcher of its language. `file_is_test` marks every definition as
/// a test (the file is a test file).
pub(super) fn analyze(
    patch: &str,
    matcher: &mut Matcher,
    comments: CommentStyle,
    file_is_test: bool,
) -> PatchFacts {
    let mut reader = Reader {
        language: matcher.language(),
        comments,
        file_is_test,
        matcher,
        stack: Vec::new(),
        pending_test_attribute: false,
        pending_attribute_lines: 0,
        in_fence: false,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        changed_seen: BTreeSet::new(),
        facts: PatchFacts::default(),
    };
    let mut in_hunk = false;
    for line in patch.lines() {
        if let Some(rest) = line.strip_prefix("@@") {
            in_hunk = true;
            reader.start_hunk(hunk_context(rest));
            continue;
        }
        if !in_hunk {
            continue;
        }
        let (marker, content) = match line.as_bytes().first() {
            Some(b' ') => (Marker::Context, &line[1..]),
            Some(b'+') => (Marker::Added, &line[1..]),
            Some(b'-') => (Marker::Removed, &line[1..]),
            // Some tools strip the single space of an empty context line.
            None => (Marker::Context, ""),
            // "\ No newline at end of file" and anything unexpected.
            Some(_) => continue,
        };
        reader.read_line(marker, content);
    }
    reader.finish(patch)
}

/// The text git prints after the second `@@`: the line it found above the hunk.
/// The added lines of a patch's hunks, without their `+` (a patch holds hunks only, so a
/// line `+++x` is an added `++x`, not a file header).
pub(super) fn added_lines(patch: &str) -> impl Iterator<Item = &str> {
    patch.lines().filter_map(|line| line.strip_prefix('+'))
}

fn hunk_context(after_first_marker: &str) -> &str {
    match after_first_marker.find("@@") {
        Some(position) => {
            let context = &after_first_marker[position + 2..];
            context.strip_prefix(' ').unwrap_or(context)
        }
        None => "",
    }
}

/// The state of one pass over a patch.
struct Reader<'a, 'm> {
    language: Language,
    comments: CommentStyle,
    /// The whole file is a test file.
    file_is_test: bool,
    matcher: &'m mut Matcher,
    /// Definitions enclosing the current line, outermost first.
    stack: Vec<Frame<'a>>,
    /// A test attribute (`#[test]`, `@Test`) waits for the definition it marks.
    pending_test_attribute: bool,
    /// Changed attribute lines waiting for the definition they decorate.
    pending_attribute_lines: usize,
    /// Inside a fenced code block of prose, where `#` starts no heading.
    in_fence: bool,
    /// Definitions on added lines, with repeats.
    added: Vec<Definition>,
    /// Definitions on removed lines, with repeats.
    removed: Vec<Definition>,
    /// Enclosing definitions of changed lines, once each.
    changed: Vec<Definition>,
    changed_seen: BTreeSet<String>,
    facts: PatchFacts,
}

impl<'a> Reader<'a, '_> {
    /// Forgets the previous hunk and seeds the stack with the definition git named above.
    fn start_hunk(&mut self, context: &'a str) {
        self.stack.clear();
        self.pending_test_attribute = false;
        self.settle_attribute_lines(false);
        self.in_fence = false;
        if context.trim().is_empty() {
            return;
        }
        if let Some(definition) = self.matcher.find(context) {
            self.push(definition, false);
        }
    }

    /// Reads one hunk body line without its marker.
    fn read_line(&mut self, marker: Marker, content: &'a str) {
        let trimmed = content.trim();
        let is_change = marker != Marker::Context;
        if trimmed.is_empty() {
            return;
        }
        if is_change && self.is_comment(trimmed) {
            self.facts.comment_lines += 1;
        }
        if self.language.is_prose() && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            self.in_fence = !self.in_fence;
            if is_change {
                self.attribute_change(marker);
            }
            return;
        }
        if self.is_attribute(trimmed) {
            if is_test_attribute(trimmed) {
                self.pending_test_attribute = true;
            }
            if is_change {
                self.pending_attribute_lines += 1;
            }
            return;
        }
        let definition = if self.in_fence { None } else { self.matcher.find(content) };
        match definition {
            Some(definition) => {
                let decorated = self.pending_attribute_lines > 0;
                let is_test = self.push(definition, is_change);
                self.settle_attribute_lines(is_test);
                if is_change {
                    self.count_line(is_test);
                    self.record(marker);
                } else if decorated {
                    // `#[derive(...)]` or `@decorator` changed above an existing definition.
                    self.note_changed_frame();
                }
            }
            None => {
                self.settle_attribute_lines(self.stack.last().is_some_and(|frame| frame.is_test));
                self.pending_test_attribute = false;
                self.close_frames(content, trimmed);
                if is_change {
                    self.attribute_change(marker);
                }
            }
        }
    }

    /// Pushes a definition on the stack and returns whether it is a test.
    fn push(&mut self, definition: LineDefinition<'a>, changed_here: bool) -> bool {
        let LineDefinition { kind, name, owner, depth, is_container_only } = definition;
        while self.stack.last().is_some_and(|frame| frame.depth >= depth) {
            self.stack.pop();
        }
        let parent = self.stack.last();
        let parent_owner = parent
            .filter(|frame| frame.kind.owns_methods())
            .and_then(|frame| frame.owner.clone().or_else(|| Some(frame.name.clone())));
        let name = match (&owner, kind, parent_owner) {
            // Go methods carry their receiver on the definition line itself.
            (Some(receiver), Kind::Function, _) if self.language == Language::Go => {
                Cow::Owned(format!("{receiver}.{name}"))
            }
            (_, Kind::Function | Kind::Constant, Some(owner)) if !self.language.is_prose() => {
                Cow::Owned(format!("{owner}{}{name}", self.language.path_separator()))
            }
            _ => name,
        };
        let is_test = self.file_is_test
            || self.pending_test_attribute
            || parent.is_some_and(|frame| frame.is_test)
            || (kind == Kind::Module && matches!(name.as_ref(), "tests" | "test"))
            || self.language.is_test_name(&name);
        self.pending_test_attribute = false;
        let owner = match kind {
            Kind::Implementation => owner,
            Kind::Type => Some(name.clone()),
            _ => None,
        };
        self.stack.push(Frame {
            depth,
            name,
            kind,
            owner,
            is_test,
            changed_here,
            is_container: is_container_only,
        });
        is_test
    }

    /// Records the definition on top of the stack (just pushed) as added or removed.
    fn record(&mut self, marker: Marker) {
        let Some((frame, parents)) = self.stack.split_last() else {
            return;
        };
        if frame.is_container {
            return;
        }
        let inside_changed_owner = parents.iter().any(|parent| {
            parent.changed_here && parent.kind.owns_methods() && !parent.is_container
        });
        let definition = Definition {
            name: frame.name.clone().into_owned(),
            kind: frame.kind,
            is_test: frame.is_test,
            inside_changed_owner,
        };
        match marker {
            Marker::Added => self.added.push(definition),
            Marker::Removed => self.removed.push(definition),
            Marker::Context => {}
        }
    }

    /// Pops definitions that a line shows to be over: a closing brace at their depth, or
    /// (without braces) any statement at their depth or shallower.
    fn close_frames(&mut self, content: &str, trimmed: &str) {
        if self.language.is_prose() || self.stack.is_empty() {
            return;
        }
        let depth = indentation(content);
        let closes = if trimmed.starts_with('}') {
            true
        } else {
            // Continuations of a multi-line signature sit at the definition's own depth.
            !trimmed.starts_with([')', ']', '{', '.', '?', '&', '|', '>', '<', ','])
                && !trimmed.starts_with("where")
                && !trimmed.starts_with("->")
                && !self.is_comment(trimmed)
        };
        if closes {
            while self.stack.last().is_some_and(|frame| frame.depth >= depth) {
                self.stack.pop();
            }
        }
    }

    /// Counts a changed line that is not a definition and credits its enclosing definition.
    fn attribute_change(&mut self, marker: Marker) {
        let Some(frame) = self.stack.last() else {
            self.facts.unattributed_lines += 1;
            self.count_line(self.file_is_test);
            return;
        };
        let is_test = frame.is_test;
        // In Rust and Go, methods live outside type bodies, so a line directly inside a
        // struct or enum is a field or variant. Elsewhere the enclosing class may just be
        // the nearest line git found above a method body.
        if frame.kind == Kind::Type && matches!(self.language, Language::Rust | Language::Go) {
            match marker {
                Marker::Added => self.facts.type_body_added += 1,
                Marker::Removed => self.facts.type_body_removed += 1,
                Marker::Context => {}
            }
        }
        self.note_changed_frame();
        self.count_line(is_test);
    }

    /// Records the innermost enclosing definition as changed, once.
    fn note_changed_frame(&mut self) {
        let Some(frame) = self.stack.last() else {
            return;
        };
        // Changes inside a definition that the patch itself adds or removes are part of
        // that definition, not a change to an existing one.
        let inside_changed =
            self.stack.iter().any(|frame| frame.changed_here && !frame.is_container);
        if frame.changed_here || inside_changed || self.changed_seen.contains(frame.name.as_ref()) {
            return;
        }
        let name = frame.name.clone().into_owned();
        self.changed_seen.insert(name.clone());
        self.changed.push(Definition {
            name,
            kind: frame.kind,
            is_test: frame.is_test,
            inside_changed_owner: false,
        });
    }

    /// Counts the changed attribute lines waiting for a definition, now that it is known.
    fn settle_attribute_lines(&mut self, is_test: bool) {
        for _ in 0..std::mem::take(&mut self.pending_attribute_lines) {
            self.count_line(is_test);
        }
    }

    /// Counts one changed non-blank line as test or other code.
    fn count_line(&mut self, is_test: bool) {
        if is_test {
            self.facts.test_lines += 1;
        } else {
            self.facts.other_lines += 1;
        }
    }

    /// True when a trimmed line is a comment in this file's language.
    fn is_comment(&self, trimmed: &str) -> bool {
        match self.comments {
            // A lone `*` or `* text` continues a block comment; `*value = 1` dereferences.
            CommentStyle::Slashes => {
                trimmed.starts_with("//")
                    || trimmed.starts_with("/*")
                    || trimmed == "*"
                    || trimmed.starts_with("* ")
                    || trimmed.starts_with("*/")
            }
            CommentStyle::Hash => trimmed.starts_with('#'),
            CommentStyle::Dashes => trimmed.starts_with("--"),
            CommentStyle::None => false,
        }
    }

    /// True for attribute, annotation and decorator lines, which belong to the next definition.
    fn is_attribute(&self, trimmed: &str) -> bool {
        match self.language {
            Language::Rust => trimmed.starts_with("#[") && !trimmed.starts_with("#[doc"),
            Language::Python | Language::Java | Language::JavaScript => trimmed.starts_with('@'),
            Language::C => trimmed.starts_with("[["),
            _ => false,
        }
    }

    /// Turns what was seen into facts: one-sided names are added or removed, names on both
    /// sides and enclosing names are changed.
    fn finish(mut self, patch: &str) -> PatchFacts {
        self.settle_attribute_lines(false);
        let added_names: BTreeSet<&str> = self.added.iter().map(|d| d.name.as_str()).collect();
        let removed_names: BTreeSet<&str> = self.removed.iter().map(|d| d.name.as_str()).collect();
        let mut facts = self.facts;
        let mut listed: BTreeSet<String> = BTreeSet::new();
        // A name on both sides is an existing definition whose own line changed.
        for definition in self.added.iter().chain(self.removed.iter()) {
            let both = added_names.contains(definition.name.as_str())
                && removed_names.contains(definition.name.as_str());
            if both && listed.insert(definition.name.clone()) {
                self.changed.push(definition.clone());
            }
        }
        let mut kept: BTreeSet<String> = BTreeSet::new();
        for definition in self.changed {
            let one_sided = added_names.contains(definition.name.as_str())
                != removed_names.contains(definition.name.as_str());
            if one_sided || definition.inside_changed_owner || !kept.insert(definition.name.clone())
            {
                continue;
            }
            if definition.is_test {
                facts.changed_tests.push(definition);
            } else {
                facts.changed.push(definition);
            }
        }
        facts.added = unique(&self.added, &removed_names);
        facts.removed = unique(&self.removed, &added_names);
        facts.whitespace_only = whitespace_only(patch);
        facts
    }
}

/// True for `#[test]`, `#[tokio::test]`, `#[cfg(test)]`, `@Test`, `@pytest.mark...` and the
/// like, but not for attributes that merely contain the letters (`#[serde(rename = "latest")]`).
fn is_test_attribute(trimmed: &str) -> bool {
    if trimmed.contains("cfg(test)") {
        return true;
    }
    let name =
        trimmed.trim_start_matches(['#', '[', '@']).split(['(', ']', ' ']).next().unwrap_or("");
    let last = name.rsplit([':', '.']).next().unwrap_or(name);
    last.eq_ignore_ascii_case("test")
        || last.ends_with("Test")
        || last.starts_with("test_")
        || last == "rstest"
        || name.starts_with("pytest")
}

/// The definitions whose names are not in `other_side`, first occurrence only.
fn unique(definitions: &[Definition], other_side: &BTreeSet<&str>) -> Vec<Definition> {
    let mut seen = BTreeSet::new();
    definitions
        .iter()
        .filter(|definition| !other_side.contains(definition.name.as_str()))
        .filter(|definition| seen.insert(definition.name.as_str()))
        .cloned()
        .collect()
}

/// True when the patch changes something and the removed and added lines hold the same
/// characters once whitespace is ignored (re-indentation, re-wrapping, trailing spaces).
fn whitespace_only(patch: &str) -> bool {
    let body = |marker: u8| {
        let mut in_hunk = false;
        patch.lines().filter_map(move |line| {
            if line.starts_with("@@") {
                in_hunk = true;
                return None;
            }
            (in_hunk && line.as_bytes().first() == Some(&marker)).then(|| &line[1..])
        })
    };
    let has_change = body(b'+').next().is_some() || body(b'-').next().is_some();
    // Bytes, not characters: whitespace in source is ASCII, and bytes compare faster.
    let visible =
        |marker: u8| body(marker).flat_map(str::bytes).filter(|byte| !byte.is_ascii_whitespace());
    has_change && visible(b'-').eq(visible(b'+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(patch: &str) -> PatchFacts {
        analyze(patch, &mut Matcher::new(Language::Rust), CommentStyle::Slashes, false)
    }

    fn names(definitions: &[Definition]) -> Vec<&str> {
        definitions.iter().map(|d| d.name.as_str()).collect()
    }

    #[test]
    fn added_removed_and_changed_definitions() {
        let facts = rust(
            "@@ -10,6 +10,12 @@ impl Settings {\n     fn load(&self) {\n-        old();\n+        new();\n     }\n+\n+    pub fn resolve(&self) {}\n }\n-fn legacy() {}\n+fn parse_duration(text: &str) {}\n",
        );
        assert_eq!(names(&facts.added), ["Settings::resolve", "parse_duration"]);
        assert_eq!(names(&facts.removed), ["legacy"]);
        assert_eq!(names(&facts.changed), ["Settings::load"]);
        assert!(!facts.whitespace_only);
    }

    #[test]
    fn new_inherent_impl_lists_its_methods_and_new_trait_impl_only_itself() {
        let facts = rust(
            "@@ -1,2 +1,14 @@ pub struct Settings;\n+impl Settings {\n+    pub fn new() -> Self {\n+        Settings\n+    }\n+}\n+\n+impl Default for Settings {\n+    fn default() -> Self {\n+        Settings::new()\n+    }\n+}\n",
        );
        let listed: Vec<&str> = facts
            .added
            .iter()
            .filter(|definition| !definition.inside_changed_owner)
            .map(|definition| definition.name.as_str())
            .collect();
        assert_eq!(listed, ["Settings::new", "Default for Settings"]);
        let derive = rust("@@ -1,2 +1,3 @@\n+#[derive(Debug)]\n pub struct Settings;\n");
        assert_eq!(names(&derive.changed), ["Settings"]);
    }

    #[test]
    fn signature_change_is_a_change_not_an_addition() {
        let facts = rust("@@ -1,3 +1,3 @@\n-pub fn run(a: u8) {\n+pub fn run(a: u8, b: u8) {\n     body();\n }\n");
        assert!(facts.added.is_empty() && facts.removed.is_empty());
        assert_eq!(names(&facts.changed), ["run"]);
    }

    #[test]
    fn inline_rust_tests_are_tests() {
        let facts = rust(
            "@@ -40,3 +40,9 @@ mod tests {\n     use super::*;\n+\n+    #[test]\n+    fn parses_empty() {\n+        assert!(parse(\"\").is_err());\n+    }\n }\n",
        );
        assert!(facts.test_only(), "{facts:?}");
        assert!(facts.added.iter().all(|d| d.is_test));
    }

    #[test]
    fn markdown_sections() {
        let facts = analyze(
            "@@ -3,6 +3,7 @@ intro text\n ## Installation\n \n-Run make.\n+Run `cargo install changes`.\n+\n ## Usage\n+## Troubleshooting\n",
            &mut Matcher::new(Language::Markdown),
            CommentStyle::None,
            false,
        );
        assert_eq!(names(&facts.changed), ["Installation"]);
        assert_eq!(names(&facts.added), ["Troubleshooting"]);
        assert_eq!(facts.unattributed_lines, 0);
    }

    #[test]
    fn whitespace_only_changes() {
        assert!(whitespace_only("@@ -1,2 +1,2 @@\n-fn a(){\n+fn a() {\n-  x();\n+    x();\n"));
        assert!(!whitespace_only("@@ -1 +1 @@\n-a = 1\n+a = 2\n"));
        assert!(!whitespace_only(""));
    }

    #[test]
    fn comment_only_changes() {
        let facts = rust("@@ -1,2 +1,2 @@\n-/// Old words.\n+/// New words.\n pub fn a() {}\n");
        assert!(facts.comment_only());
    }
}
