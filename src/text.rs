//! Small text formats every part of the program shares: sizes, durations and commit ids as
//! people read them. One definition each, so the terminal, the prompts and the reports agree.

use std::time::Duration;

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
    fn ids_are_shortened_to_twelve_digits_and_counts_agree_with_their_noun() {
        assert_eq!(short_id("0123456789abcdef0123"), "0123456789ab");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(count(1, "commit"), "1 commit");
        assert_eq!(count(0, "file"), "0 files");
    }
}
