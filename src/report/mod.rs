//! Pure renderers of what `changes` shows and writes, and the small formatting helpers they
//! share.

pub mod commit;
pub mod push;
pub mod range;

/// Bytes as people read them: `812 B`, `10.2 KB`, `3.4 MB` (powers of 1,000, like git).
pub fn human_bytes(bytes: u64) -> String {
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
pub fn format_duration_short(duration: std::time::Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// A moment as `(compact, readable)`: `20261128T134005Z` for file names and
/// `2026-11-28 13:40:05 UTC` for people. No time-zone database needed: it is always UTC.
pub fn utc_timestamp(time: std::time::SystemTime) -> (String, String) {
    // Only a clock set beyond the year 9999 is out of jiff's range; such a moment is
    // shown as the epoch rather than failing a report over its file name.
    let moment = jiff::Timestamp::try_from(time).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    (
        moment.strftime("%Y%m%dT%H%M%SZ").to_string(),
        moment.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::{format_duration_short, human_bytes, utc_timestamp};

    #[test]
    fn human_bytes_picks_the_unit_and_one_decimal() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(10_240), "10.2 KB");
        assert_eq!(human_bytes(999_999), "1.0 MB");
        assert_eq!(human_bytes(3_400_000), "3.4 MB");
    }

    #[test]
    fn utc_timestamps_match_known_dates() {
        let at = |seconds| std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        assert_eq!(utc_timestamp(at(0)).0, "19700101T000000Z");
        assert_eq!(utc_timestamp(at(784_111_777)).1, "1994-11-06 08:49:37 UTC");
        assert_eq!(utc_timestamp(at(1_795_873_205)).0, "20261128T134005Z");
        assert_eq!(utc_timestamp(at(951_782_400)).1, "2000-02-29 00:00:00 UTC");
        // A fraction of a second is dropped, not rounded up into the next second.
        let almost = at(784_111_777) + std::time::Duration::from_millis(999);
        assert_eq!(utc_timestamp(almost).1, "1994-11-06 08:49:37 UTC");
    }

    #[test]
    fn short_durations_switch_to_seconds_at_one_second() {
        assert_eq!(format_duration_short(std::time::Duration::from_millis(850)), "850 ms");
        assert_eq!(format_duration_short(std::time::Duration::from_millis(2_440)), "2.4 s");
    }
}
