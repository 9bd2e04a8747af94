//! Pure renderers of what `changes` shows and writes: the commit message file, the push
//! review, the date-range report, and the structured outputs they and `--format json` share.

pub(crate) mod commit;
pub(crate) mod output;
pub(crate) mod push;
pub(crate) mod range;

/// A moment as `(compact, readable)`: `20261128T134005Z` for file names and
/// `2026-11-28 13:40:05 UTC` for people. No time-zone database needed: it is always UTC.
pub(crate) fn utc_timestamp(time: std::time::SystemTime) -> (String, String) {
    let seconds = time.duration_since(std::time::UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (hour, minute, second) = (rest / 3600, rest / 60 % 60, rest % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (
        format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z"),
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} UTC"),
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
    }
}
