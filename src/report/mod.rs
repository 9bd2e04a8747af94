//! Pure renderers of what `changes` shows and writes, and the small formatting helpers they
//! share.

pub mod commit;

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

#[cfg(test)]
mod tests {
    use super::{format_duration_short, human_bytes};

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
        assert_eq!(format_duration_short(std::time::Duration::from_millis(850)), "850 ms");
        assert_eq!(format_duration_short(std::time::Duration::from_millis(2_440)), "2.4 s");
    }
}
