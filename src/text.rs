//! Small text formats every part of the program shares: sizes, durations and commit ids as
//! people read them, one definition each; and the one sanitizer for text that comes from
//! outside (answers, error bodies, file names, commit messages of a cloned repository) before
//! it reaches a terminal, a message file or a report.

use std::time::Duration;

/// Text from outside, safe to print or store: every escape sequence removed whole (CSI, OSC,
/// DCS, SOS, PM, APC, two-byte ESC sequences, and their 8-bit C1 forms), bidirectional
/// controls removed, and every other control character but newline and tab removed.
pub(crate) fn sanitize(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\u{1b}' => match characters.next() {
                // CSI: parameters and intermediates, then one final byte.
                Some('[') => skip_csi(&mut characters),
                // OSC, DCS, SOS, PM, APC: a string up to BEL or ST.
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut characters),
                // Any other ESC sequence is ESC and one character.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut characters),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut characters),
            '\n' | '\t' => output.push(character),
            _ if character.is_control() || is_bidi_control(character) => {}
            _ => output.push(character),
        }
    }
    output
}

/// [`sanitize`]d and on one line: line breaks and tabs become spaces, runs of spaces one.
pub(crate) fn one_line(text: &str) -> String {
    sanitize(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Outside text made inert as markdown prose, line by line: [`sanitize`]d, then each line
/// neutralised where it could open a block of its own (an ATX heading, a fence, a setext
/// underline, also behind list markers) and escaped inline by [`markdown_inline`]. Lists,
/// emphasis and `code` spans still render; headings, fences, raw HTML and script links do not.
pub(crate) fn markdown_prose(text: &str) -> String {
    let clean = sanitize(text);
    let lines: Vec<String> = clean.lines().map(markdown_prose_line).collect();
    lines.join("\n")
}

/// Outside text for a one-line markdown field (a title, a commit subject, a table cell):
/// [`one_line`], then escaped like a line of [`markdown_prose`].
pub(crate) fn markdown_line(text: &str) -> String {
    markdown_prose_line(&one_line(text))
}

/// Schemes a link must not point at: the browser would run or embed its target.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

/// One line of [`markdown_prose`]: the block opener neutralised, then the inline escapes.
fn markdown_prose_line(line: &str) -> String {
    let trimmed = line.trim();
    // `---` or `===` under a line of text would turn that line into a heading.
    if !trimmed.is_empty() && trimmed.chars().all(|c| matches!(c, '-' | '=')) {
        let start = line.len() - line.trim_start().len();
        return format!("{}\\{}", &line[..start], &line[start..]);
    }
    // Leading blanks and list markers, kept as they are: `- ## x` is a heading in a list item.
    let mut start = 0;
    loop {
        let rest = &line[start..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = &rest[blanks..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = if after.starts_with(['-', '*', '+']) {
            1
        } else if digits > 0 && after[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        };
        if marker > 0 && after[marker..].starts_with([' ', '\t']) {
            start += blanks + marker;
        } else {
            start += blanks;
            break;
        }
    }
    let (prefix, rest) = line.split_at(start);
    // A backtick fence needs nothing more: its run closes no span on the line, so it is escaped
    // inline; one whose line holds a closing run is no fence but a code span.
    let opener = rest.starts_with('#') || rest.starts_with("~~~");
    format!("{prefix}{}{}", if opener { "\\" } else { "" }, markdown_inline(rest))
}

/// Inline escapes outside `code` spans: `<`, `>` and `&` as entities (no raw HTML, no
/// autolinks), a backtick that opens no span backslash-escaped, and a script scheme
/// (`javascript:`, `data:`) broken by a space so that no link or definition can use it.
fn markdown_inline(line: &str) -> String {
    let characters: Vec<char> = line.chars().collect();
    let mut output = String::with_capacity(line.len());
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        match character {
            '\\' => match characters.get(index + 1) {
                // `\<` shows `<`, and so does the entity alone.
                Some('<' | '>' | '&') => index += 1,
                Some('`') => {
                    output.push_str("\\`");
                    index += 2;
                }
                _ => {
                    output.push('\\');
                    index += 1;
                }
            },
            '`' => {
                let run = characters[index..].iter().take_while(|&&c| c == '`').count();
                match closing_run(&characters, index + run, run) {
                    Some(end) => {
                        output.extend(&characters[index..end + run]);
                        index = end + run;
                    }
                    None => {
                        output.push_str(&"\\`".repeat(run));
                        index += run;
                    }
                }
            }
            '<' => {
                output.push_str("&lt;");
                index += 1;
            }
            '>' => {
                output.push_str("&gt;");
                index += 1;
            }
            '&' => {
                output.push_str("&amp;");
                index += 1;
            }
            _ => {
                let after_word = index == 0 || !characters[index - 1].is_alphanumeric();
                let scheme = SCRIPT_SCHEMES.iter().find(|scheme| {
                    let end = index + scheme.len();
                    after_word
                        && characters.len() > end
                        && characters[index..end]
                            .iter()
                            .collect::<String>()
                            .eq_ignore_ascii_case(scheme)
                        && (characters[end] == ':'
                            || (characters[end] == '\\' && characters.get(end + 1) == Some(&':')))
                });
                match scheme {
                    Some(scheme) => {
                        output.extend(&characters[index..index + scheme.len()]);
                        output.push_str(" :");
                        index += scheme.len() + 1;
                        if characters[index - 1] == '\\' {
                            index += 1;
                        }
                    }
                    None => {
                        output.push(character);
                        index += 1;
                    }
                }
            }
        }
    }
    output
}

/// Where the run of exactly `length` backticks that closes a code span begins, from `from`.
fn closing_run(characters: &[char], from: usize, length: usize) -> Option<usize> {
    let mut index = from;
    while index < characters.len() {
        if characters[index] == '`' {
            let run = characters[index..].iter().take_while(|&&c| c == '`').count();
            if run == length {
                return Some(index);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

/// Query parameters whose value is a credential, by name (lower case).
const SECRET_PARAMETERS: &[&str] = &[
    "key",
    "api_key",
    "apikey",
    "api-key",
    "token",
    "access_token",
    "auth",
    "secret",
    "password",
    "sig",
    "signature",
    "x-goog-api-key",
];

/// A URL fit to show: `user:password@` removed, and the values of query parameters that hold
/// credentials (`key`, `token`, `sig`…) replaced by `[redacted]`. scp-like `git@host:path` and
/// plain paths stay as they are.
pub(crate) fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (before_query, query) =
        rest.split_once('?').map_or((rest, None), |(head, query)| (head, Some(query)));
    let (authority, path) = before_query
        .split_once('/')
        .map_or((before_query, None), |(authority, path)| (authority, Some(path)));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let mut shown = format!("{scheme}://{host}");
    if let Some(path) = path {
        shown.push('/');
        shown.push_str(path);
    }
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((name, _))
                    if SECRET_PARAMETERS.contains(&name.to_ascii_lowercase().as_str()) =>
                {
                    format!("{name}=[redacted]")
                }
                _ => parameter.to_string(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&parameters.join("&"));
    }
    shown
}

/// Bidirectional formatting characters, which can make text read differently from what it
/// is (CVE-2021-42574).
fn is_bidi_control(character: char) -> bool {
    matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Skips a CSI sequence's parameters and intermediates and its final byte.
fn skip_csi(characters: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for next in characters.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&next) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&next) {
            // Not a CSI character: the sequence was broken off; drop it and go on.
            return;
        }
    }
}

/// Skips a control string up to its terminator: BEL, ESC \\ or the 8-bit ST.
fn skip_string(characters: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(next) = characters.next() {
        match next {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if characters.peek() == Some(&'\\') {
                    characters.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// How many hexadecimal digits a commit id is shortened to wherever it is shown.
pub(crate) const SHORT_ID_DIGITS: usize = 12;

/// A commit id shortened to [`SHORT_ID_DIGITS`] (an id already shorter is kept whole).
pub(crate) fn short_id(id: &str) -> &str {
    let end = id.char_indices().nth(SHORT_ID_DIGITS).map_or(id.len(), |(index, _)| index);
    &id[..end]
}

/// Bytes as people read them: `812 B`, `10.2 KB`, `3.4 MB` (powers of 1,000, like git and
/// most file managers).
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A duration as people read it in a status line: `850 ms`, `2.4 s`.
pub(crate) fn short_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// `1 commit`, `2 commits`: a count and its noun, with an `s` when it is not one.
pub(crate) fn count(number: usize, noun: &str) -> String {
    format!("{number} {noun}{}", if number == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_prose_is_inert_but_keeps_lists_emphasis_and_code() {
        let hostile = "line\n```\n\n## Verdict: ready\n---\n- # deep\n> quote\n\
                       <details><script>alert(1)</script>\n[click](javascript:alert(1)) \
                       [x](JavaScript\\:y) [d](data:text/html,z) metadata: ok\n~~~";
        assert_eq!(
            markdown_prose(hostile),
            "line\n\\`\\`\\`\n\n\\## Verdict: ready\n\\---\n- \\# deep\n&gt; quote\n\
             &lt;details&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\
             [click](javascript :alert(1)) [x](JavaScript :y) [d](data :text/html,z) \
             metadata: ok\n\\~~~"
        );
        let legitimate = "- **bold** and `a < b && c` and ``x ` y``\n1. item";
        assert_eq!(markdown_prose(legitimate), legitimate);
        assert_eq!(markdown_prose("a `b\nc` <i> `d`"), "a \\`b\nc` <i> `d\\`");
    }

    #[test]
    fn markdown_lines_stay_one_line() {
        assert_eq!(
            markdown_line("</summary>\n<img src=x onerror=alert(1)>\n## x"),
            "&lt;/summary&gt; &lt;img src=x onerror=alert(1)&gt; ## x"
        );
        assert_eq!(markdown_line("# heading"), "\\# heading");
    }

    #[test]
    fn human_bytes_picks_the_unit_and_one_decimal() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(10_240), "10.2 KB");
        assert_eq!(human_bytes(999_999), "1.0 MB");
        assert_eq!(human_bytes(3_400_000), "3.4 MB");
    }

    #[test]
    fn short_durations_switch_to_seconds_at_one_second() {
        assert_eq!(short_duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(short_duration(Duration::from_millis(2_440)), "2.4 s");
    }

    #[test]
    fn every_escape_sequence_is_removed_whole_and_bidi_controls_too() {
        let cases = [
            ("\u{1b}[31mred\u{1b}[0m", "red"),
            ("\u{1b}]0;PWNED-TITLE\u{7}after", "after"),
            ("\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{1b}\\after", "after"),
            ("\u{1b}P+q544e\u{1b}\\x", "x"),
            ("\u{1b}_apc\u{1b}\\y", "y"),
            ("\u{9b}31mc1\u{9d}0;title\u{9c}!", "c1!"),
            ("a\u{202e}txt.exe\u{202c}b\u{2066}c", "atxt.exebc"),
            ("bell\u{7} and\r return\u{0}", "bell and return"),
            ("keeps\nlines\tand tabs", "keeps\nlines\tand tabs"),
            ("\u{1b}7saved\u{1b}8", "saved"),
            ("unterminated \u{1b}]0;title", "unterminated "),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
        assert_eq!(one_line("two\nlines\u{1b}[1m  here"), "two lines here");
    }

    #[test]
    fn credentials_are_removed_from_urls() {
        assert_eq!(
            without_credentials("https://user:token@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(without_credentials("https://github.com/o/r.git"), "https://github.com/o/r.git");
        assert_eq!(without_credentials("ssh://git@host:22/r.git"), "ssh://host:22/r.git");
        assert_eq!(without_credentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(without_credentials("/tmp/remote.git"), "/tmp/remote.git");
        assert_eq!(
            without_credentials("http://admin:pw@llm.internal:8000/v1?key=AIzaSecret&mode=x"),
            "http://llm.internal:8000/v1?key=[redacted]&mode=x"
        );
        assert_eq!(
            without_credentials("https://h.example?token=abc"),
            "https://h.example?token=[redacted]"
        );
    }

    #[test]
    fn ids_are_shortened_to_twelve_digits_and_counts_agree_with_their_noun() {
        assert_eq!(short_id("0123456789abcdef0123"), "0123456789ab");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(count(1, "commit"), "1 commit");
        assert_eq!(count(0, "file"), "0 files");
    }
}
