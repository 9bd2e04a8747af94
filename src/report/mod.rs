//! Pure renderers of what `changes` shows and writes: the commit message file, the push
//! review (text, markdown, SARIF), the date-range report, what a dry run would send, and the structured outputs they and `--format json` share.

pub(crate) mod commit;
pub(crate) mod dry_run;
pub(crate) mod output;
pub(crate) mod push;
pub(crate) mod range;
pub(crate) mod sarif;

/// A moment as `(compact, readable)`: `20261128T134005Z` for file names and
/// `2026-11-28 13:40:05 UTC` for people. No time-zone database needed: it is always UTC.
pub(crate) fn utc_timestamp(time: std::time::SystemTime) -> (String, String) {
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
    use super::utc_timestamp;

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
}
