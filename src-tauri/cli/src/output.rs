//! Printing: aligned tables for people, JSON for scripts.

use simple_cicd_engine::model::{format_duration, now_ms, parse_rfc3339, Run};

/// Prints rows as columns aligned to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    table_on(&mut std::io::stdout().lock(), header, rows);
}

/// [`table`] on another stream (stderr, beside a run's own output on stdout).
pub fn table_on(out: &mut impl std::io::Write, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<String>| {
        let parts: Vec<String> = cells.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row.clone());
    }
}

/// `1 branch`, `2 branches`: the count with the singular or the plural form.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("DTOs always serialise"));
}

/// `1m 12s`, or `-` when the run has not started; running runs count up to now.
pub fn run_duration(run: &Run) -> String {
    let Some(start) = run.started_at.as_deref().and_then(parse_rfc3339) else {
        return "-".into();
    };
    let end = run.finished_at.as_deref().and_then(parse_rfc3339).unwrap_or_else(now_ms);
    format_duration((end - start).max(0) as u128)
}

/// The local time of an RFC 3339 stamp, `2026-11-25 18:40:02`.
pub fn local_time(stamp: Option<&str>) -> String {
    stamp
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "-".to_string())
}
