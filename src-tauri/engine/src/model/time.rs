//! Time stamps: stored as unix milliseconds, shown as RFC 3339 in UTC.

use chrono::{DateTime, SecondsFormat, Utc};

/// The current time in unix milliseconds.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Formats unix milliseconds as RFC 3339 with millisecond precision, e.g. `2026-11-25T18:40:00.123Z`.
pub fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A duration for people: `350ms`, `4.2s`, `1m 12s`, `2h 3m`.
pub fn format_duration(ms: u128) -> String {
    let s = ms / 1000;
    match s {
        0 => format!("{ms}ms"),
        1..=59 => format!("{}.{}s", s, (ms % 1000) / 100),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

/// Parses what [`rfc3339`] wrote back into unix milliseconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text).ok().map(|d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(format_duration(350), "350ms");
        assert_eq!(format_duration(4_250), "4.2s");
        assert_eq!(format_duration(72_000), "1m 12s");
        assert_eq!(format_duration(7_380_000), "2h 3m");
    }

    #[test]
    fn timestamps_round_trip() {
        assert_eq!(parse_rfc3339(&rfc3339(1_764_000_000_123)), Some(1_764_000_000_123));
    }
}
