//! Secrets wrapped in an encoding: a base64 blob (`KUBECONFIG_B64=…`, a Kubernetes secret's
//! `.dockerconfigjson`) or a JSON document escaped inside a string (`"{\"token\": …}"`). The
//! blob is decoded, the text it decodes to is redacted like any other, and when that finds
//! something the whole blob is replaced: a secret cannot be cut out of base64 alone.

use std::ops::Range;

use super::heuristics::{decode_base64, FileContext};

/// The shortest base64 run worth decoding: 24 characters hold 18 bytes, about the shortest
/// text that names a secret and holds it (`password: hunter2x`).
const MIN_RUN: usize = 24;

/// The runs of at least [`MIN_RUN`] standard base64 characters in `text`, padding
/// included, as byte ranges. Runs shorter than that (words, identifiers) are skipped in
/// strides: a byte outside the alphabet [`MIN_RUN`] bytes ahead proves that no long run can
/// start before it, so most of the text is never looked at byte by byte.
pub(super) fn base64_runs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut index = 0;
    std::iter::from_fn(move || {
        while index + MIN_RUN <= bytes.len() {
            let probe = index + MIN_RUN - 1;
            if !is_base64_body(bytes[probe]) {
                index = probe + 1;
                continue;
            }
            // A long run would cover the probe: walk back to where such a run would start.
            let mut start = probe;
            while start > index && is_base64_body(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = probe + 1;
            while end < bytes.len() && is_base64_body(bytes[end]) {
                end += 1;
            }
            let body_end = end;
            while end < bytes.len() && bytes[end] == b'=' && end - body_end < 2 {
                end += 1;
            }
            index = end.max(probe + 1);
            let preceded = start > 0 && is_base64_body(bytes[start - 1]);
            if body_end - start >= MIN_RUN && !preceded {
                return Some(start..end);
            }
        }
        None
    })
}

/// Whether a byte is one of the 64 symbols of standard base64.
fn is_base64_body(byte: u8) -> bool {
    BASE64_BODY[usize::from(byte)]
}

/// The 64 symbols of standard base64, as a table: one load per byte.
static BASE64_BODY: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let value = byte as u8;
        table[byte] = value.is_ascii_alphanumeric() || value == b'+' || value == b'/';
        byte += 1;
    }
    table
};

/// Whether a base64 run decodes to text in which the redactor finds a secret.
pub(super) fn base64_holds_secret(run: &str, context: FileContext) -> bool {
    // Unpadded base64 is common (`base64 -w0 | tr -d =`); pad it back.
    let padding = (4 - run.len() % 4) % 4;
    let padded;
    let run = if padding == 0 || run.ends_with('=') {
        run
    } else {
        padded = format!("{run}{}", "=".repeat(padding));
        &padded
    };
    let Some(decoded) = decode_base64(run) else { return false };
    let Some(text) = readable_text(&decoded) else { return false };
    holds_secret(text, context)
}

/// Whether the body of a string literal holding escaped quotes, once unescaped, holds a
/// secret.
pub(super) fn escaped_holds_secret(body: &str, context: FileContext) -> bool {
    let mut text = String::with_capacity(body.len());
    let mut characters = body.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            text.push(character);
            continue;
        }
        match characters.next() {
            Some('n') => text.push('\n'),
            Some('t') => text.push('\t'),
            Some('r') => {}
            Some(other) => text.push(other),
            None => {}
        }
    }
    holds_secret(&text, context)
}

/// Decoded bytes as text, when they are printable UTF-8 (a blob of binary, such as an image
/// or a hash, is no text to look inside).
fn readable_text(decoded: &[u8]) -> Option<&str> {
    if decoded.len() < 16 {
        return None;
    }
    let printable = decoded
        .iter()
        .all(|&byte| byte >= 0x20 && byte != 0x7f || matches!(byte, b'\n' | b'\r' | b'\t'));
    if !printable {
        return None;
    }
    std::str::from_utf8(decoded).ok()
}

/// Whether the redactor finds anything in `text`, read as configuration one layer deeper.
fn holds_secret(text: &str, context: FileContext) -> bool {
    !super::redact_with_context(text, context.decoded(), false, false).findings.is_empty()
}
