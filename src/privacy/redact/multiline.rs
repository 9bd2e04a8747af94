//! Secrets whose value is not on the line of their name, or does not fit on one line: a YAML
//! key whose value follows on the next lines (`password:` then `  "…"`, `secret: |` then an
//! indented block, a sequence of items), a flag and its value as separate items of an argv
//! list (`- --password` then `- …`), TOML's multi-line strings, `.properties` values continued
//! with a backslash, and base64 wrapped over several lines.
//!
//! Each form is recognised on the line that opens it, which the candidate scan visits anyway
//! (it holds a keyword, a `- -p` item or a long base64 run). Only a bounded number of the
//! following lines are read, and in a diff only those of the same side: a context key's value
//! may be added, removed or both, while a removed line is no value of an added key. What is
//! found becomes [`Spanning`] ranges that the redactor replaces as it writes those lines.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::heuristics::{self, FileContext};
use super::patterns::{self, Families, NAME};
use super::{encoded, SecretKind};

/// How many blank or comment lines may stand between a name and its value.
const MAX_GAP: usize = 4;
/// How many lines a block scalar, a sequence, a multi-line string or a continuation may run
/// before it is left to the rules for single lines.
const MAX_BLOCK_LINES: usize = 64;
/// How many lines a backslash continuation may run: each of its lines could open one too.
const MAX_CONTINUED_LINES: usize = 8;
/// How many lines of wrapped base64 are joined into one blob.
const MAX_BASE64_LINES: usize = 1024;
/// Wrapped base64 is at least this wide (encoders wrap at 60, 64 or 76 columns); a narrower
/// second line is the blob's last.
const MIN_BASE64_WIDTH: usize = 16;

/// A part of the text to replace, found by reading past the line of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spanning {
    /// Byte range in the whole text, within one line.
    pub(super) range: Range<usize>,
    /// What the value was recognised as.
    pub(super) kind: SecretKind,
    /// Whether this part is reported; the other parts of the same value are replaced silently.
    pub(super) counted: bool,
}

/// Which lines of a diff belong to the version being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// Context and added lines.
    New,
    /// Context and removed lines.
    Old,
    /// Every line: the text is no diff.
    Both,
}

/// The sides a line's value may continue on: an added line's value is added, a context line's
/// may be added or removed.
pub(super) fn sides(marker: Option<u8>) -> &'static [Side] {
    match marker {
        Some(b'+') => &[Side::New],
        Some(b'-') => &[Side::Old],
        Some(_) => &[Side::New, Side::Old],
        None => &[Side::Both],
    }
}

/// One line after the opener.
#[derive(Debug, Clone, Copy)]
struct Later<'a> {
    /// Offset of the first byte of `body` in the whole text.
    start: usize,
    /// The line without its diff marker and line ending.
    body: &'a str,
}

impl<'a> Later<'a> {
    /// The line's text without surrounding blanks, and where that starts in the whole text.
    fn trimmed(&self) -> (usize, &'a str) {
        let lead = self.body.len() - self.body.trim_start().len();
        (self.start + lead, self.body.trim())
    }

    /// Whether the line holds nothing, or only a comment.
    fn is_blank_or_comment(&self) -> bool {
        let trimmed = self.body.trim();
        trimmed.is_empty() || trimmed.starts_with('#')
    }
}

/// The lines after `offset` on `side`, read as they are asked for. In a diff, lines of the
/// other side and `\ No newline` notes are skipped, and anything that is no diff line (a hunk
/// or file header) ends them.
fn later_lines(text: &str, offset: usize, side: Side) -> impl Iterator<Item = Later<'_>> + '_ {
    let mut position = offset;
    std::iter::from_fn(move || {
        while position < text.len() {
            let rest = &text[position..];
            let length = rest.find('\n').map_or(rest.len(), |newline| newline + 1);
            let start = position;
            position += length;
            let content = rest[..length].trim_end_matches(['\n', '\r']);
            if side == Side::Both {
                return Some(Later { start, body: content });
            }
            let own_side = match content.as_bytes().first() {
                None => return Some(Later { start, body: "" }),
                Some(b' ') => true,
                Some(b'+') => side == Side::New,
                Some(b'-') => side == Side::Old,
                Some(b'\\') => false,
                Some(_) => {
                    position = text.len();
                    return None;
                }
            };
            if own_side {
                return Some(Later { start: start + 1, body: &content[1..] });
            }
        }
        None
    })
}

/// The width of a line's indentation.
fn indentation(body: &str) -> usize {
    body.len() - body.trim_start_matches([' ', '\t']).len()
}

/// The expressions that recognise an opener, over the lowercased line without diff marker.
struct Openers {
    /// `name:`, `"name":`, `- name:` or `name: |` / `name: >-`, with nothing else but a comment.
    key: Regex,
    /// `name = """` or `name = '''` with the string left open.
    triple: Regex,
    /// `name=\` or `name = start\`, continued on the next line.
    continued: Regex,
    /// A list item holding only a flag: `- --password`, `- "--api-token"`, `- -p`.
    flag: Regex,
    /// `name = <<EOF`, a heredoc (Terraform, HCL) whose body is the value.
    heredoc: Regex,
    /// `- name: DB_PASSWORD` or `"name": "DB_PASSWORD",`: a variable whose value is given by
    /// a sibling `value:` key on a later line, as Kubernetes and ECS write environments.
    named: Regex,
    /// The sibling `value: …` or `"value": …` of such a name.
    value_key: Regex,
}

/// Compiles one expression of this file; the unit tests compile them all.
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("multi-line redaction patterns are valid regular expressions")
}

/// The openers, compiled on first use.
static OPENERS: LazyLock<Openers> = LazyLock::new(|| Openers {
    key: compile(&format!(
        r#"^[ \t]*(?:-[ \t]+)?["']?{NAME}["']?[ \t]*:[ \t]*(?P<indicator>[|>][0-9+\-]*)?[ \t]*(?:#.*)?$"#
    )),
    triple: compile(&format!(
        r#"^[ \t]*(?:export[ \t]+)?["']?{NAME}["']?[ \t]*=[ \t]*[rbfu]{{0,2}}(?P<delimiter>"""|''')(?P<rest>.*)$"#
    )),
    continued: compile(&format!(r#"^[ \t]*{NAME}[ \t]*[=:][ \t]*(?P<value>[^ \t\\]*)\\$"#)),
    flag: compile(r#"^[ \t]*-[ \t]+["']?(?P<flag>--[a-z0-9][a-z0-9_\-]*|-p)["']?[ \t]*(?:#.*)?$"#),
    heredoc: compile(&format!(
        r#"^[ \t]*["']?{NAME}["']?[ \t]*=[ \t]*<<-?["']?(?P<word>[a-z][a-z0-9_]*)["']?[ \t]*$"#
    )),
    named: compile(
        r#"^[ \t]*(?:-[ \t]+)?["']?(?:name|key)["']?[ \t]*:[ \t]*["']?(?P<named>[a-z0-9_.\-]+)["']?[ \t]*,?[ \t]*(?:#.*)?$"#,
    ),
    value_key: compile(r#"^[ \t]*["']?value["']?[ \t]*:[ \t]*(?P<value>\S.*)$"#),
});

/// Forces the compilation of the openers, so tests see a broken expression at once.
#[cfg(test)]
pub(super) fn compile_all() {
    LazyLock::force(&OPENERS);
}

/// The line being looked at: its body (the line without diff marker and ending) in the
/// original and the lowercased text, and where the body starts in the whole text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opening<'a> {
    /// The body as written.
    pub(super) body: &'a str,
    /// The body with ASCII letters lowercased.
    pub(super) lowercased: &'a str,
    /// Offset of the body's first byte in the whole text.
    pub(super) start: usize,
}

/// Values that the line `opening` names and the following lines of `text` on each of `sides`
/// hold.
pub(super) fn values(
    text: &str,
    opening: Opening<'_>,
    sides: &[Side],
    context: FileContext,
) -> Vec<Spanning> {
    let mut found = Vec::new();
    let openers = &*OPENERS;
    let lowercased = opening.lowercased;
    let trimmed = lowercased.trim_end();
    let after = opening.start + opening.body.len();
    let uncommented = before_comment(trimmed);
    let key_like = uncommented.rfind(':').is_some_and(|colon| {
        let rest = uncommented[colon + 1..].trim_start();
        rest.is_empty() || rest.starts_with(['|', '>'])
    });
    if key_like {
        if let Some(captures) = openers.key.captures(lowercased) {
            let Some(name) = captures.name("name") else { return Vec::new() };
            let name_text = &opening.body[name.range()];
            if heuristics::classify_name(name_text).is_none() {
                return Vec::new();
            }
            // A block's lines, a sequence's items and a scalar are indented past the name,
            // though a sequence may start in its column.
            let quote = usize::from(
                name.start() > 0 && opening.body[..name.start()].ends_with(['"', '\'']),
            );
            let column = name.start() - quote;
            for &side in sides {
                let lines = later_lines(text, after_line(text, after), side);
                found.extend(match captures.name("indicator") {
                    Some(_) => block_scalar(name_text, column, lines, context),
                    None => next_line_value(name_text, column, lines, context),
                });
            }
            return found;
        }
    }
    if holds(trimmed, b"\"\"\"") || holds(trimmed, b"'''") {
        if let Some(captures) = openers.triple.captures(lowercased) {
            for &side in sides {
                found.extend(triple_quoted(text, opening, &captures, side, context));
            }
            return found;
        }
    }
    if trimmed.ends_with('\\') {
        if let Some(captures) = openers.continued.captures(lowercased) {
            for &side in sides {
                found.extend(continued(text, opening, &captures, side, context));
            }
        } else {
            for &side in sides {
                found.extend(continued_command(text, opening, side, context));
            }
        }
        return found;
    }
    if holds(trimmed, b"<<") {
        if let Some(captures) = openers.heredoc.captures(lowercased) {
            for &side in sides {
                found.extend(heredoc(text, opening, &captures, side, context));
            }
            return found;
        }
    }
    let mapping_key = trimmed.trim_start().trim_start_matches(['-', ' ', '\t', '"', '\'']);
    if mapping_key.starts_with("name") || mapping_key.starts_with("key") {
        if let Some(named) =
            openers.named.captures(lowercased).and_then(|found| found.name("named"))
        {
            let named_text = &opening.body[named.range()];
            if heuristics::classify_name(named_text).is_some() {
                let column = mapping_column(opening.body);
                for &side in sides {
                    let lines = later_lines(text, after_line(text, after), side);
                    found.extend(sibling_value(named_text, column, lines, context));
                }
            }
            return found;
        }
    }
    if trimmed.trim_start().starts_with('-') {
        if let Some(flag) = openers.flag.captures(lowercased).and_then(|found| found.name("flag")) {
            let flag_text = &opening.body[flag.range()];
            if flag_text.starts_with("--") || flag_text == "-p" {
                for &side in sides {
                    let lines = later_lines(text, after_line(text, after), side);
                    found.extend(flag_value(flag.as_str(), opening.body, lines, context));
                }
            }
        }
    }
    found
}

/// Whether `haystack` holds `needle`, a short literal. Most lines visited hold none of the
/// openers' literals, and for them a plain scan is cheaper than setting up a substring search.
pub(super) fn holds(haystack: &str, needle: &[u8]) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|window| window == needle)
}

/// A line's text before a ` #` comment, without trailing blanks.
fn before_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let comment = (1..bytes.len()).find(|&index| bytes[index] == b'#' && bytes[index - 1] == b' ');
    text[..comment.unwrap_or(text.len())].trim_end()
}

/// The column where a mapping's keys start on a line: after the indentation and any `- `.
fn mapping_column(body: &str) -> usize {
    let indent = indentation(body);
    let rest = &body[indent..];
    match rest.strip_prefix('-') {
        Some(after_dash) if after_dash.starts_with([' ', '\t']) => {
            indent + 1 + indentation(after_dash)
        }
        _ => indent,
    }
}

/// The `value:` sibling of `name: DB_PASSWORD` among the next keys of the same mapping,
/// judged under that name.
fn sibling_value<'a>(
    named: &str,
    column: usize,
    lines: impl Iterator<Item = Later<'a>>,
    context: FileContext,
) -> Vec<Spanning> {
    let openers = &*OPENERS;
    for line in lines.take(MAX_GAP + 1) {
        if line.is_blank_or_comment() {
            continue;
        }
        if indentation(line.body) != column {
            break;
        }
        let lowercased = line.body.to_ascii_lowercase();
        let Some(value) =
            openers.value_key.captures(&lowercased).and_then(|found| found.name("value"))
        else {
            continue;
        };
        let start = line.start + value.start();
        let rest = &line.body[value.start()..];
        return scalar_value(named, start, rest.trim_end_matches(','), context)
            .into_iter()
            .collect();
    }
    Vec::new()
}

/// A command continued over several lines with backslashes (`mysql -h db \` then
/// `  -pPASS shop`): the lines are joined as the shell joins them, the rules for single lines
/// run over the whole command, and what they find is replaced on the lines it came from.
fn continued_command(
    text: &str,
    opening: Opening<'_>,
    side: Side,
    context: FileContext,
) -> Vec<Spanning> {
    let Some(first) = opening.body.trim_end().strip_suffix('\\') else { return Vec::new() };
    let mut joined = first.to_string();
    // Each segment: its range in `joined` and where it starts in the whole text.
    let mut segments = vec![(0..first.len(), opening.start)];
    let after = after_line(text, opening.start + opening.body.len());
    for line in later_lines(text, after, side).take(MAX_CONTINUED_LINES) {
        let (start, trimmed) = line.trimmed();
        let (piece, more) = match trimmed.strip_suffix('\\') {
            Some(piece) => (piece, true),
            None => (trimmed, false),
        };
        joined.push(' ');
        segments.push((joined.len()..joined.len() + piece.len(), start));
        joined.push_str(piece);
        if !more {
            break;
        }
    }
    if segments.len() < 2 {
        return Vec::new();
    }
    let lowercased = joined.to_ascii_lowercase();
    let spans = patterns::find_spans(&joined, &lowercased, Families::ALL, context);
    let mut found = Vec::new();
    for span in spans.iter().filter(|span| span.end > first.len()) {
        let mut counted = span.counted;
        for (range, start) in &segments {
            let (from, to) = (span.start.max(range.start), span.end.min(range.end));
            if from < to {
                let absolute = start + from - range.start..start + to - range.start;
                found.push(Spanning { range: absolute, kind: span.kind, counted });
                counted = false;
            }
        }
    }
    found
}

/// The value of `name = <<EOF`: the lines up to the one holding only the closing word.
fn heredoc(
    text: &str,
    opening: Opening<'_>,
    captures: &regex::Captures<'_>,
    side: Side,
    context: FileContext,
) -> Vec<Spanning> {
    let (Some(name), Some(word)) = (captures.name("name"), captures.name("word")) else {
        return Vec::new();
    };
    let after = after_line(text, opening.start + opening.body.len());
    let lines = later_lines(text, after, side);
    let closes = |body: &str| body.trim().eq_ignore_ascii_case(word.as_str()).then_some(0);
    pieces_until(lines, Vec::new(), closes)
        .map(|pieces| judge_pieces(&opening.body[name.range()], &pieces, true, context))
        .unwrap_or_default()
}

/// The pieces of a string that later lines continue, after those of the opening line, up to
/// the line that `closes` it (which says where the string ends on that line); `None` when
/// no line within reach does.
fn pieces_until<'a>(
    lines: impl Iterator<Item = Later<'a>>,
    mut pieces: Vec<(usize, &'a str)>,
    closes: impl Fn(&str) -> Option<usize>,
) -> Option<Vec<(usize, &'a str)>> {
    for line in lines.take(MAX_BLOCK_LINES) {
        let close = closes(line.body);
        let body = &line.body[..close.unwrap_or(line.body.len())];
        let trimmed = body.trim();
        if !trimmed.is_empty() {
            let lead = body.len() - body.trim_start().len();
            pieces.push((line.start + lead, trimmed));
        }
        if close.is_some() {
            return Some(pieces);
        }
    }
    None
}

/// The offset of the line after the one ending at or after `offset`.
fn after_line(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |newline| offset + newline + 1)
}

/// The value of a `name: |` or `name: >` block: its lines, indented past the name. One line
/// is judged as it stands; several are judged joined when none holds a blank, as a wrapped
/// key or token is (prose and scripts are judged by their own lines).
fn block_scalar<'a>(
    name: &str,
    column: usize,
    lines: impl Iterator<Item = Later<'a>>,
    context: FileContext,
) -> Vec<Spanning> {
    let mut pieces = Vec::new();
    for (index, line) in lines.enumerate() {
        if line.body.trim().is_empty() {
            continue;
        }
        if indentation(line.body) <= column {
            break;
        }
        if index >= MAX_BLOCK_LINES {
            return Vec::new();
        }
        if line.body.contains("-----BEGIN ") {
            // A private key block, which the redactor handles whole.
            return Vec::new();
        }
        pieces.push(line.trimmed());
    }
    judge_pieces(name, &pieces, true, context)
}

/// Judges the pieces of one value spread over several lines, and replaces every piece when
/// the value is a secret.
fn judge_pieces(
    name: &str,
    pieces: &[(usize, &str)],
    quoted: bool,
    context: FileContext,
) -> Vec<Spanning> {
    match pieces {
        [] => Vec::new(),
        [(start, piece)] => heuristics::judge_assignment(name, piece, quoted, context)
            .map(|(inner, kind)| vec![counted(start + inner.start..start + inner.end, kind)])
            .unwrap_or_default(),
        _ if pieces.iter().any(|(_, piece)| piece.contains(char::is_whitespace)) => Vec::new(),
        _ => {
            let joined: String = pieces.iter().map(|(_, piece)| *piece).collect();
            let Some((_, kind)) = heuristics::judge_assignment(name, &joined, quoted, context)
            else {
                return Vec::new();
            };
            every_piece(pieces, kind)
        }
    }
}

/// Replaces every piece of one value, each `(start in the text, piece)`, reporting the first.
fn every_piece(pieces: &[(usize, &str)], kind: SecretKind) -> Vec<Spanning> {
    pieces
        .iter()
        .enumerate()
        .map(|(index, &(start, piece))| Spanning {
            range: start..start + piece.len(),
            kind,
            counted: index == 0,
        })
        .collect()
}

/// A reported replacement.
fn counted(range: Range<usize>, kind: SecretKind) -> Spanning {
    Spanning { range, kind, counted: true }
}

/// The value of a `name:` whose value starts on a later line: a scalar indented past the
/// name (`"…"`, `'…'` or bare), or a sequence of scalar items, each judged. A mapping
/// there holds names of its own, judged on their own lines.
fn next_line_value<'a>(
    name: &str,
    column: usize,
    lines: impl Iterator<Item = Later<'a>>,
    context: FileContext,
) -> Vec<Spanning> {
    let mut lines = lines.take(MAX_GAP + MAX_BLOCK_LINES);
    let Some(first) = lines.by_ref().take(MAX_GAP + 1).find(|line| !line.is_blank_or_comment())
    else {
        return Vec::new();
    };
    let indent = indentation(first.body);
    let (start, trimmed) = first.trimmed();
    if indent >= column && sequence_item(trimmed).is_some() {
        return sequence(name, indent, std::iter::once(first).chain(lines), context);
    }
    if indent <= column {
        return Vec::new();
    }
    scalar_value(name, start, trimmed, context).into_iter().collect()
}

/// The text of a sequence item (`- x`), without the dash.
fn sequence_item(trimmed: &str) -> Option<&str> {
    trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("-\t")).map(str::trim_start)
}

/// The scalar items of a sequence whose items stand at `indent`, each judged under `name`.
fn sequence<'a>(
    name: &str,
    indent: usize,
    lines: impl Iterator<Item = Later<'a>>,
    context: FileContext,
) -> Vec<Spanning> {
    let mut found = Vec::new();
    for line in lines {
        if line.is_blank_or_comment() {
            continue;
        }
        let line_indent = indentation(line.body);
        if line_indent > indent {
            continue; // Inside an item that is a mapping.
        }
        let (start, trimmed) = line.trimmed();
        let Some(item) = sequence_item(trimmed).filter(|_| line_indent == indent) else { break };
        let item_start = start + (trimmed.len() - item.len());
        found.extend(scalar_value(name, item_start, item, context));
    }
    found
}

/// A scalar written at `start`: its value judged under `name`, unless it is a mapping's key,
/// a nested collection or a YAML tag, anchor or alias.
fn scalar_value(name: &str, start: usize, text: &str, context: FileContext) -> Option<Spanning> {
    let (range, quoted) = scalar(text)?;
    let value = &text[range.clone()];
    let rest = &text[range.end..];
    let mapping = if quoted {
        rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':')
    } else {
        value.contains(": ") || value.ends_with(':')
    };
    if mapping || (!quoted && value.starts_with(['[', '{', '|', '>', '&', '*', '!'])) {
        return None;
    }
    let (inner, kind) = heuristics::judge_assignment(name, value, quoted, context)?;
    let absolute = start + range.start;
    Some(counted(absolute + inner.start..absolute + inner.end, kind))
}

/// Where a scalar's value lies in `text`: inside its quotes, or a bare word up to a comment
/// or a trailing comma; and whether it was quoted.
fn scalar(text: &str) -> Option<(Range<usize>, bool)> {
    let text = text.trim_end();
    if let Some(quote) = text.chars().next().filter(|first| matches!(first, '"' | '\'')) {
        let end = text[1..].find(quote).map_or(text.len(), |close| close + 1);
        return (end > 1).then_some((1..end, true));
    }
    let bare = before_comment(text).trim_end_matches(',');
    (!bare.is_empty()).then_some((0..bare.len(), false))
}

/// The value given to a flag written alone as a list item: the next item, at the same
/// indentation.
fn flag_value<'a>(
    flag: &str,
    flag_line: &str,
    mut lines: impl Iterator<Item = Later<'a>>,
    context: FileContext,
) -> Vec<Spanning> {
    let Some(line) = lines.by_ref().take(MAX_GAP + 1).find(|line| !line.is_blank_or_comment())
    else {
        return Vec::new();
    };
    if indentation(line.body) != indentation(flag_line) {
        return Vec::new();
    }
    let (start, trimmed) = line.trimmed();
    let Some(item) = sequence_item(trimmed) else { return Vec::new() };
    let item_start = start + (trimmed.len() - item.len());
    let Some((range, _)) = scalar(item) else { return Vec::new() };
    let value = &item[range.clone()];
    heuristics::judge_flag_value(flag, value, context)
        .map(|(inner, kind)| {
            let absolute = item_start + range.start;
            vec![counted(absolute + inner.start..absolute + inner.end, kind)]
        })
        .unwrap_or_default()
}

/// The value of `name = """` (or `'''`): what follows the delimiter, the lines after, and
/// what precedes the closing delimiter, which may be on the same line. An unclosed string is
/// left alone.
fn triple_quoted(
    text: &str,
    opening: Opening<'_>,
    captures: &regex::Captures<'_>,
    side: Side,
    context: FileContext,
) -> Vec<Spanning> {
    let (Some(name), Some(delimiter), Some(rest)) =
        (captures.name("name"), captures.name("delimiter"), captures.name("rest"))
    else {
        return Vec::new();
    };
    let delimiter = delimiter.as_str();
    let name = &opening.body[name.range()];
    if let Some(close) = rest.as_str().find(delimiter) {
        let value = &opening.body[rest.start()..rest.start() + close];
        let start = opening.start + rest.start();
        return judge_pieces(name, &[(start, value)], true, context);
    }
    let mut pieces = Vec::new();
    let first = &opening.body[rest.range()];
    if !first.trim().is_empty() {
        let lead = first.len() - first.trim_start().len();
        pieces.push((opening.start + rest.start() + lead, first.trim()));
    }
    let after = after_line(text, opening.start + opening.body.len());
    let lines = later_lines(text, after, side);
    pieces_until(lines, pieces, |body| body.find(delimiter))
        .map(|pieces| judge_pieces(name, &pieces, true, context))
        .unwrap_or_default()
}

/// The value of `name=start\` continued on the following lines, as `.properties` files and
/// INI dialects allow: each later line's leading blanks are dropped, and a line that does not
/// end in a backslash is the last.
fn continued(
    text: &str,
    opening: Opening<'_>,
    captures: &regex::Captures<'_>,
    side: Side,
    context: FileContext,
) -> Vec<Spanning> {
    let (Some(name), Some(value)) = (captures.name("name"), captures.name("value")) else {
        return Vec::new();
    };
    let mut pieces = Vec::new();
    if !value.as_str().is_empty() {
        pieces.push((opening.start + value.start(), &opening.body[value.range()]));
    }
    let after = after_line(text, opening.start + opening.body.len());
    let mut ended = false;
    for line in later_lines(text, after, side).take(MAX_CONTINUED_LINES) {
        let (start, trimmed) = line.trimmed();
        let (piece, more) = match trimmed.strip_suffix('\\') {
            Some(piece) => (piece.trim_end(), true),
            None => (trimmed, false),
        };
        if !piece.is_empty() {
            pieces.push((start, piece));
        }
        if !more {
            ended = true;
            break;
        }
    }
    if !ended || pieces.iter().any(|(_, piece)| piece.contains(char::is_whitespace)) {
        return Vec::new();
    }
    let joined: String = pieces.iter().map(|(_, piece)| *piece).collect();
    let name = &opening.body[name.range()];
    let Some((_, kind)) = heuristics::judge_assignment(name, &joined, false, context) else {
        return Vec::new();
    };
    every_piece(&pieces, kind)
}

/// A blob of base64 whose first line is `opening`, wrapped over the following lines on
/// `side`: every line but the last as wide as the first whole line, the last no wider. When
/// the joined blob decodes to text holding a secret, every piece is replaced. Also returns
/// where the lines looked at end, so that the blob's later lines do not start another look.
pub(super) fn wrapped_base64(
    text: &str,
    opening: Opening<'_>,
    side: Side,
    context: FileContext,
) -> (Vec<Spanning>, usize) {
    let body = opening.body.trim_end();
    let nothing = (Vec::new(), 0);
    let Some(run) = encoded::base64_runs(body).last() else { return nothing };
    if run.end != body.len() {
        return nothing;
    }
    let whole_line = run.start == indentation(body);
    let mut width = whole_line.then_some(run.len());
    let mut pieces = vec![(opening.start + run.start, &body[run.clone()])];
    let after = after_line(text, opening.start + opening.body.len());
    let mut lines = later_lines(text, after, side).take(MAX_BASE64_LINES).peekable();
    let mut end = after;
    let mut key_body = false;
    while let Some(line) = lines.next() {
        let (start, trimmed) = line.trimmed();
        let (piece, closing) = match trimmed.strip_suffix(['"', '\'']) {
            Some(piece) => (piece, true),
            None => (trimmed, false),
        };
        if !is_base64_piece(piece) || width.is_some_and(|width| piece.len() > width) {
            key_body = line.body.trim_start().starts_with("-----END ");
            break;
        }
        pieces.push((start, piece));
        end = line.start + line.body.len();
        let line_width = *width.get_or_insert(piece.len());
        if closing || piece.ends_with('=') || piece.len() < line_width.max(MIN_BASE64_WIDTH) {
            key_body =
                lines.peek().is_some_and(|line| line.body.trim_start().starts_with("-----END "));
            break;
        }
    }
    if pieces.len() < 2 || key_body {
        return (Vec::new(), end);
    }
    let joined: String = pieces.iter().map(|(_, piece)| *piece).collect();
    if !encoded::base64_holds_secret(&joined, context) {
        // A blob filling its last line exactly is followed by a short word such as a
        // heredoc's `EOF`, which looks like one more line of it.
        let Some(&(_, last)) = pieces.last().filter(|_| pieces.len() > 2) else {
            return (Vec::new(), end);
        };
        let shorter = &joined[..joined.len() - last.len()];
        if last.ends_with('=') || !encoded::base64_holds_secret(shorter, context) {
            return (Vec::new(), end);
        }
        pieces.pop();
    }
    (every_piece(&pieces, SecretKind::EncodedSecret), end)
}

/// Whether a line's text is nothing but base64, padding only at its end.
fn is_base64_piece(piece: &str) -> bool {
    let body = piece.trim_end_matches('=');
    !body.is_empty()
        && piece.len() - body.len() <= 2
        && body.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/')
}
