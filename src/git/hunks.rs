//! Reading a file's unified-diff hunks by line of the new file: which lines of the new
//! version a patch shows (so that a finding can be checked to point inside the change), and
//! the diff lines around a given range (so that a report can quote what a finding is about).

use crate::answer::LineRange;

/// What a diff line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// `+`: only in the new file.
    Added,
    /// `-`: only in the old file.
    Removed,
    /// ` `: in both.
    Context,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DiffLine<'a> {
    /// Its line in the new file (`None` for a removed line).
    pub(crate) new_line: Option<u32>,
    /// Added, removed or context.
    pub(crate) kind: LineKind,
    /// The line without its `+`, `-` or ` ` marker.
    pub(crate) text: &'a str,
}

/// Every line of every hunk of `patch`, numbered in the new file. Lines before the first
/// `@@` header and `\ No newline at end of file` markers are not lines of either file.
pub(crate) fn lines(patch: &str) -> Vec<DiffLine<'_>> {
    let mut found = Vec::new();
    let mut next: Option<u32> = None;
    for line in patch.lines() {
        if line.starts_with("@@") {
            next = new_start(line);
            continue;
        }
        let Some(number) = next else { continue };
        let (kind, text) = match line.as_bytes().first() {
            Some(b'+') => (LineKind::Added, &line[1..]),
            Some(b'-') => (LineKind::Removed, &line[1..]),
            Some(b'\\') => continue,
            Some(b' ') => (LineKind::Context, &line[1..]),
            // A blank context line whose space an editor or a cut removed.
            _ => (LineKind::Context, line),
        };
        if kind == LineKind::Removed {
            found.push(DiffLine { new_line: None, kind, text });
        } else {
            found.push(DiffLine { new_line: Some(number), kind, text });
            next = Some(number.saturating_add(1));
        }
    }
    found
}

/// The lines of the new file each hunk shows (context included), in order; a hunk that
/// only removes lines shows none.
pub(crate) fn shown_ranges(patch: &str) -> Vec<LineRange> {
    let mut ranges: Vec<LineRange> = Vec::new();
    for line in lines(patch) {
        let Some(number) = line.new_line else { continue };
        match ranges.last_mut() {
            Some(range) if range.end + 1 == number => range.end = number,
            _ => ranges.push(LineRange { start: number, end: number }),
        }
    }
    ranges
}

/// The diff lines that show `range` of the new file, with the removed lines between them:
/// what a finding about those lines points at.
pub(crate) fn excerpt<'a>(patch: &'a str, range: LineRange) -> Vec<DiffLine<'a>> {
    let all = lines(patch);
    let inside = |line: &DiffLine<'_>| {
        line.new_line.is_some_and(|number| range.start <= number && number <= range.end)
    };
    let (Some(first), Some(last)) = (all.iter().position(inside), all.iter().rposition(inside))
    else {
        return Vec::new();
    };
    // Removed lines just before the first shown line belong to it: they are what it replaced.
    let mut start = first;
    while start > 0 && all[start - 1].kind == LineKind::Removed {
        start -= 1;
    }
    all[start..=last].to_vec()
}

/// `@@ -a,b +c,d @@ …` → `c`; a header that says nothing of the new file → `None`.
fn new_start(header: &str) -> Option<u32> {
    let plus = header.split_whitespace().find_map(|part| part.strip_prefix('+'))?;
    let start: u32 = plus.split(',').next()?.parse().ok()?;
    // `+0,0`: the new file is empty; nothing is numbered.
    Some(start.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATCH: &str = "@@ -1,3 +1,4 @@\n fn a() {}\n-fn b() {}\n+fn b() -> u32 {\n+    1\n+}\n@@ -10,2 +11,2 @@ impl X\n context\n-old\n+new\n\\ No newline at end of file\n";

    #[test]
    fn lines_are_numbered_in_the_new_file_across_hunks() {
        let numbered: Vec<(Option<u32>, LineKind, &str)> =
            lines(PATCH).into_iter().map(|line| (line.new_line, line.kind, line.text)).collect();
        assert_eq!(numbered[0], (Some(1), LineKind::Context, "fn a() {}"));
        assert_eq!(numbered[1], (None, LineKind::Removed, "fn b() {}"));
        assert_eq!(numbered[2], (Some(2), LineKind::Added, "fn b() -> u32 {"));
        assert_eq!(numbered[4], (Some(4), LineKind::Added, "}"));
        assert_eq!(numbered[5], (Some(11), LineKind::Context, "context"));
        assert_eq!(numbered[7], (Some(12), LineKind::Added, "new"));
        assert_eq!(numbered.len(), 8, "the no-newline marker is not a line");
    }

    #[test]
    fn each_hunk_shows_a_range_of_the_new_file() {
        assert_eq!(
            shown_ranges(PATCH),
            vec![LineRange { start: 1, end: 4 }, LineRange { start: 11, end: 12 }]
        );
        assert_eq!(shown_ranges("@@ -1,2 +0,0 @@\n-a\n-b\n"), Vec::new());
    }

    #[test]
    fn an_excerpt_starts_with_the_lines_its_first_line_replaced() {
        let quoted: Vec<&str> = excerpt(PATCH, LineRange { start: 2, end: 3 })
            .into_iter()
            .map(|line| line.text)
            .collect();
        assert_eq!(quoted, vec!["fn b() {}", "fn b() -> u32 {", "    1"]);
        assert!(excerpt(PATCH, LineRange { start: 6, end: 9 }).is_empty());
    }
}
