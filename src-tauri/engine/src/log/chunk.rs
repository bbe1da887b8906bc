//! The encoding of a chunk of log lines: for each line `stream:u8, [step:u16 LE], ts:i64 LE,
//! len:u32 LE, text`. The step is there when the stream byte has its high bit set (a line of a
//! pipeline step); lines written before pipelines existed decode unchanged.
//! Compact, fast to write and to decode, and independent of serde.

use crate::error::{Error, Result};
use crate::model::{LogLine, LogLineRef, LogStream};

fn stream_byte(s: LogStream) -> u8 {
    match s {
        LogStream::Stdout => 1,
        LogStream::Stderr => 2,
        LogStream::System => 3,
    }
}

const STEP_FLAG: u8 = 0x80;

/// Appends one line to a chunk buffer.
pub(crate) fn encode_into(buf: &mut Vec<u8>, stream: LogStream, step: Option<u16>, ts: i64, text: &str) {
    match step {
        None => buf.push(stream_byte(stream)),
        Some(step) => {
            buf.push(stream_byte(stream) | STEP_FLAG);
            buf.extend_from_slice(&step.to_le_bytes());
        }
    }
    buf.extend_from_slice(&ts.to_le_bytes());
    let len = u32::try_from(text.len()).expect("lines are split long before 4 GiB");
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(text.as_bytes());
}

/// Decodes a chunk whose first line is `first_seq`.
#[cfg(test)]
fn decode(first_seq: i64, data: &[u8]) -> Result<Vec<LogLine>> {
    let mut out = Vec::new();
    decode_into(first_seq, data, first_seq, usize::MAX, &mut out)?;
    Ok(out)
}

/// Appends to `out` the lines of a chunk with `seq >= from`, until `out` holds `limit` lines.
/// Lines before `from` are skipped without being copied.
pub(crate) fn decode_into(first_seq: i64, data: &[u8], from: i64, limit: usize, out: &mut Vec<LogLine>) -> Result<()> {
    if out.len() >= limit {
        return Ok(());
    }
    visit(first_seq, data, from, |line| {
        out.push(line.to_owned_line());
        out.len() < limit
    })
}

/// Calls `each` with the lines of a chunk with `seq >= from`, borrowed from `data`, until it
/// returns false. Lines before `from` are skipped without being checked or copied.
pub(crate) fn visit(
    first_seq: i64,
    data: &[u8],
    from: i64,
    mut each: impl FnMut(LogLineRef<'_>) -> bool,
) -> Result<()> {
    let corrupt = || Error::Corrupt(format!("log chunk starting at line {first_seq}"));
    let mut at = 0usize;
    let mut seq = first_seq;
    while at < data.len() {
        let first = data[at];
        let mut p = at + 1;
        let step = if first & STEP_FLAG != 0 {
            let b = data.get(p..p + 2).ok_or_else(corrupt)?;
            p += 2;
            Some(u16::from_le_bytes([b[0], b[1]]))
        } else {
            None
        };
        let stream = match first & !STEP_FLAG {
            1 => LogStream::Stdout,
            2 => LogStream::Stderr,
            3 => LogStream::System,
            _ => return Err(corrupt()),
        };
        let header = data.get(p..p + 12).ok_or_else(corrupt)?;
        let ts = i64::from_le_bytes(header[0..8].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(header[8..12].try_into().expect("4 bytes")) as usize;
        let text = data.get(p + 12..p + 12 + len).ok_or_else(corrupt)?;
        if seq >= from {
            let text = std::str::from_utf8(text).map_err(|_| corrupt())?;
            if !each(LogLineRef { seq, ts, stream, text, step }) {
                return Ok(());
            }
        }
        seq += 1;
        at = p + 12 + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_a_round_trip_with_their_numbers() {
        let mut buf = Vec::new();
        encode_into(&mut buf, LogStream::Stdout, None, 10, "hello");
        encode_into(&mut buf, LogStream::Stderr, Some(3), 11, "");
        encode_into(&mut buf, LogStream::System, None, 12, "\u{1b}[31mred\u{1b}[0m ünïcode");
        let lines = decode(7, &buf).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], LogLine { seq: 7, ts: 10, stream: LogStream::Stdout, text: "hello".into(), step: None });
        assert_eq!((lines[1].stream, lines[1].step), (LogStream::Stderr, Some(3)), "a step's line keeps its step");
        assert_eq!(lines[2].seq, 9);
        assert!(lines[2].text.contains("ünïcode"));
    }

    #[test]
    fn a_truncated_chunk_is_an_error_not_a_panic() {
        let mut buf = Vec::new();
        encode_into(&mut buf, LogStream::Stdout, None, 10, "hello");
        buf.truncate(buf.len() - 2);
        assert!(decode(1, &buf).is_err());
    }

    #[test]
    fn a_visit_starts_at_the_line_asked_for_and_stops_when_told() {
        let mut buf = Vec::new();
        for (i, text) in ["a", "b", "c", "d"].into_iter().enumerate() {
            encode_into(&mut buf, LogStream::Stdout, None, i as i64, text);
        }
        let mut seen = Vec::new();
        visit(10, &buf, 11, |l| {
            seen.push((l.seq, l.text.to_string()));
            l.seq < 12
        })
        .unwrap();
        assert_eq!(seen, [(11, "b".to_string()), (12, "c".to_string())], "from line 11, stopping after 12");
    }
}
