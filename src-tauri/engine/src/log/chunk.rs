//! Reading a stored chunk of log lines, and its compression.
//!
//! The writer encodes chunks as [`block`](super::block) describes (a table of runs of lines, then
//! their texts in one column). Chunks written before that read as before, in the first
//! encodings: for each line a flags byte, `[step:u16 LE]`,
//! `[ts:i64 LE]`, the text's length (`u8` or `u32 LE`) and the text. The flags byte holds the
//! stream (its low five bits) and says which fields are there: the step when its high bit is set
//! (a line of a pipeline step), no time when [`SAME_TS`] is set (the line was read in the same
//! millisecond as the line before it in the chunk: most lines of a busy output), a one-byte
//! length when [`SHORT`] is set. Chunks written before the last two flags existed (every field
//! always there) decode unchanged; a million short lines take about half the bytes they took.
//! Compact, fast to write and to decode, and independent of serde.
//!
//! A chunk is stored compressed (zstd, its fastest level) when that makes it smaller, which
//! it nearly always does: a byte [`PACKED`] (never a flags byte, whose stream bits are 1-3),
//! the length of the lines' encoding (`u32 LE`), and the zstd frame. A million lines of `seq`
//! take a tenth of the bytes, and what SQLite writes (the WAL, then the database at a
//! checkpoint, with their fsyncs) shrinks with them. Chunks stored plain read as before.

use std::borrow::Cow;

use super::block;
use crate::error::{Error, Result};
#[cfg(test)]
use crate::model::LogLine;
use crate::model::{LogLineRef, LogLinesRef, LogStream};

pub(super) fn stream_byte(s: LogStream) -> u8 {
    match s {
        LogStream::Stdout => 1,
        LogStream::Stderr => 2,
        LogStream::System => 3,
    }
}

/// The stream a [`stream_byte`] stands for.
pub(super) fn stream_of(byte: u8) -> Option<LogStream> {
    match byte {
        1 => Some(LogStream::Stdout),
        2 => Some(LogStream::Stderr),
        3 => Some(LogStream::System),
        _ => None,
    }
}

/// A step field follows the flags byte.
const STEP_FLAG: u8 = 0x80;
/// The line has the time of the line before it in the chunk, and no time field.
const SAME_TS: u8 = 0x40;
/// The text's length is one byte (the text is shorter than 256 bytes), not four.
const SHORT: u8 = 0x20;
const STREAM_BITS: u8 = 0x1F;

/// Appends a header's flags byte (its stream, [`STEP_FLAG`] with a step, and `more` flags) and
/// its step: how a line (here) and a run of lines (in a block) both begin.
pub(super) fn put_head(buf: &mut Vec<u8>, stream: LogStream, step: Option<u16>, more: u8) {
    let mut flags = stream_byte(stream) | more;
    if step.is_some() {
        flags |= STEP_FLAG;
    }
    buf.push(flags);
    if let Some(step) = step {
        buf.extend_from_slice(&step.to_le_bytes());
    }
}

/// Reads what [`put_head`] wrote at `at`: the flags byte, the stream, the step and where the
/// header ends; `None` when it is cut short or names no stream.
pub(super) fn get_head(data: &[u8], at: usize) -> Option<(u8, LogStream, Option<u16>, usize)> {
    let flags = *data.get(at)?;
    let stream = stream_of(flags & STREAM_BITS)?;
    if flags & STEP_FLAG == 0 {
        return Some((flags, stream, None, at + 1));
    }
    let b = data.get(at + 1..at + 3)?;
    Some((flags, stream, Some(u16::from_le_bytes([b[0], b[1]])), at + 3))
}

/// Appends one line to a chunk buffer in the first encodings (the writer now uses
/// [`block`](super::block)); `prev_ts` is the time of the line before it in the chunk (none for a
/// chunk's first line). For the tests that chunks written before still read.
#[cfg(test)]
pub(crate) fn encode_into(
    buf: &mut Vec<u8>,
    prev_ts: Option<i64>,
    stream: LogStream,
    step: Option<u16>,
    ts: i64,
    text: &str,
) {
    let same = prev_ts == Some(ts);
    let short = text.len() < 256;
    let mut more = 0;
    if same {
        more |= SAME_TS;
    }
    if short {
        more |= SHORT;
    }
    put_head(buf, stream, step, more);
    if !same {
        buf.extend_from_slice(&ts.to_le_bytes());
    }
    if short {
        buf.push(text.len() as u8);
    } else {
        let len = u32::try_from(text.len()).expect("lines are split long before 4 GiB");
        buf.extend_from_slice(&len.to_le_bytes());
    }
    buf.extend_from_slice(text.as_bytes());
}

/// The first byte of a compressed chunk.
const PACKED: u8 = 0;
/// The longest encoding of lines a compressed chunk may unpack to: more than a writer ever puts
/// in one chunk (it stores at most 64 MiB of lines at once), so a damaged length cannot make a
/// reader allocate without bound.
const MAX_UNPACKED: usize = 128 << 20;
/// zstd's fastest level: compressing costs less than writing the bytes it saves.
const LEVEL: i32 = 1;

/// What to store for a chunk of encoded lines: compressed when that is smaller.
pub(crate) fn pack(data: &[u8]) -> Cow<'_, [u8]> {
    let Ok(len) = u32::try_from(data.len()) else { return Cow::Borrowed(data) };
    match zstd::bulk::compress(data, LEVEL) {
        Ok(frame) if frame.len() + 5 < data.len() => {
            let mut out = Vec::with_capacity(frame.len() + 5);
            out.push(PACKED);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&frame);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(data),
    }
}

/// The encoded lines of a stored chunk (see [`pack`]) whose first line is `first_seq`.
pub(crate) fn unpack(first_seq: i64, stored: &[u8]) -> Result<Cow<'_, [u8]>> {
    if stored.first() != Some(&PACKED) {
        return Ok(Cow::Borrowed(stored));
    }
    let corrupt = || Error::Corrupt(format!("compressed log chunk starting at line {first_seq}"));
    let len = stored.get(1..5).ok_or_else(corrupt)?;
    let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
    if len > MAX_UNPACKED {
        return Err(corrupt());
    }
    let data = zstd::bulk::decompress(&stored[5..], len).map_err(|_| corrupt())?;
    if data.len() != len {
        return Err(corrupt());
    }
    Ok(Cow::Owned(data))
}

/// Decodes a chunk whose first line is `first_seq`.
#[cfg(test)]
fn decode(first_seq: i64, data: &[u8]) -> Result<Vec<LogLine>> {
    let mut out = Vec::new();
    visit(first_seq, data, first_seq, |line| {
        out.push(line.to_owned_line());
        true
    })?;
    Ok(out)
}

/// Calls `each` with the runs of lines (see [`LogLinesRef`]) of a chunk with `seq >= from`,
/// borrowed from `data` when it is in the [`block`](super::block) encoding, until it returns false.
/// A chunk in the first encodings is handed over a line at a time.
pub(crate) fn visit_runs(
    first_seq: i64,
    data: &[u8],
    from: i64,
    mut each: impl FnMut(LogLinesRef<'_>) -> bool,
) -> Result<()> {
    if data.first() == Some(&block::MARK) {
        return block::visit_runs(first_seq, data, from, each);
    }
    let mut text = String::new();
    visit_lines(first_seq, data, from, |line| {
        text.clear();
        text.push_str(line.text);
        text.push('\n');
        each(LogLinesRef {
            first_seq: line.seq,
            count: 1,
            ts: line.ts,
            stream: line.stream,
            step: line.step,
            text: &text,
        })
    })
}

/// Calls `each` with the lines of a chunk with `seq >= from`, borrowed from `data`, until it
/// returns false. Lines before `from` are skipped without being copied. (Readers take runs of
/// lines, [`visit_runs`]; this is for the tests of every encoding.)
#[cfg(test)]
fn visit(first_seq: i64, data: &[u8], from: i64, mut each: impl FnMut(LogLineRef<'_>) -> bool) -> Result<()> {
    if data.first() == Some(&block::MARK) {
        return block::visit_runs(first_seq, data, from, |run| run.lines().all(&mut each));
    }
    visit_lines(first_seq, data, from, each)
}

/// [`visit`] of a chunk in the first encodings: a header before each text.
fn visit_lines(first_seq: i64, data: &[u8], from: i64, mut each: impl FnMut(LogLineRef<'_>) -> bool) -> Result<()> {
    let corrupt = || Error::Corrupt(format!("log chunk starting at line {first_seq}"));
    let mut at = 0usize;
    let mut seq = first_seq;
    let mut prev_ts: Option<i64> = None;
    while at < data.len() {
        let (flags, stream, step, mut p) = get_head(data, at).ok_or_else(corrupt)?;
        let ts = if flags & SAME_TS != 0 {
            prev_ts.ok_or_else(corrupt)?
        } else {
            let b = data.get(p..p + 8).ok_or_else(corrupt)?;
            p += 8;
            i64::from_le_bytes(b.try_into().expect("8 bytes"))
        };
        prev_ts = Some(ts);
        let len = if flags & SHORT != 0 {
            let b = *data.get(p).ok_or_else(corrupt)?;
            p += 1;
            b as usize
        } else {
            let b = data.get(p..p + 4).ok_or_else(corrupt)?;
            p += 4;
            u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize
        };
        let text = data.get(p..p + len).ok_or_else(corrupt)?;
        if seq >= from {
            let text = std::str::from_utf8(text).map_err(|_| corrupt())?;
            if !each(LogLineRef { seq, ts, stream, text, step }) {
                return Ok(());
            }
        }
        seq += 1;
        at = p + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_a_round_trip_with_their_numbers() {
        let mut buf = Vec::new();
        encode_into(&mut buf, None, LogStream::Stdout, None, 10, "hello");
        encode_into(&mut buf, Some(10), LogStream::Stderr, Some(3), 11, "");
        encode_into(&mut buf, Some(11), LogStream::System, None, 12, "\u{1b}[31mred\u{1b}[0m ünïcode");
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
        encode_into(&mut buf, None, LogStream::Stdout, None, 10, "hello");
        buf.truncate(buf.len() - 2);
        assert!(decode(1, &buf).is_err());
        let mut timeless = Vec::new();
        encode_into(&mut timeless, Some(10), LogStream::Stdout, None, 10, "hello");
        assert!(decode(1, &timeless).is_err(), "a first line without its time is corrupt");
    }

    #[test]
    fn a_visit_starts_at_the_line_asked_for_and_stops_when_told() {
        let mut buf = Vec::new();
        for (i, text) in ["a", "b", "c", "d"].into_iter().enumerate() {
            encode_into(&mut buf, i.checked_sub(1).map(|p| p as i64), LogStream::Stdout, None, i as i64, text);
        }
        let mut seen = Vec::new();
        visit(10, &buf, 11, |l| {
            seen.push((l.seq, l.text.to_string()));
            l.seq < 12
        })
        .unwrap();
        assert_eq!(seen, [(11, "b".to_string()), (12, "c".to_string())], "from line 11, stopping after 12");
    }

    #[test]
    fn lines_of_the_same_millisecond_store_no_time_and_short_ones_a_short_length() {
        let mut buf = Vec::new();
        encode_into(&mut buf, None, LogStream::Stdout, None, 5, "1");
        let first = buf.len();
        encode_into(&mut buf, Some(5), LogStream::Stdout, None, 5, "2");
        assert_eq!(first, 1 + 8 + 1 + 1, "flags, time, one-byte length, text");
        assert_eq!(buf.len() - first, 1 + 1 + 1, "flags, one-byte length, text: the time is the one before");
        let long = "x".repeat(300);
        encode_into(&mut buf, Some(5), LogStream::Stderr, Some(2), 6, &long);
        let lines = decode(1, &buf).unwrap();
        let got: Vec<_> = lines.iter().map(|l| (l.seq, l.ts, l.stream, l.step, l.text.len())).collect();
        assert_eq!(
            got,
            [
                (1, 5, LogStream::Stdout, None, 1),
                (2, 5, LogStream::Stdout, None, 1),
                (3, 6, LogStream::Stderr, Some(2), 300)
            ]
        );
    }

    #[test]
    fn a_packed_chunk_unpacks_to_the_same_lines_and_a_plain_one_stays_as_it_is() {
        let mut buf = Vec::new();
        // A chunk as the writer stores one of `seq 100000 108191`.
        for i in 100_000..108_192i64 {
            encode_into(&mut buf, (i > 100_000).then_some(5), LogStream::Stdout, None, 5, &i.to_string());
        }
        let packed = pack(&buf);
        assert!(packed.len() < buf.len() / 3, "lines like seq's shrink: {} of {} bytes", packed.len(), buf.len());
        assert_eq!(unpack(1, &packed).unwrap().as_ref(), &buf[..], "and come back byte for byte");
        let mut short = Vec::new();
        encode_into(&mut short, None, LogStream::Stdout, None, 5, "x");
        assert!(matches!(pack(&short), Cow::Borrowed(_)), "a chunk compression would not shrink is stored plain");
        assert!(matches!(unpack(1, &short).unwrap(), Cow::Borrowed(_)), "and read without a copy");
    }

    #[test]
    fn a_damaged_packed_chunk_is_an_error_not_a_panic_nor_a_huge_allocation() {
        let mut buf = Vec::new();
        for i in 0..1000i64 {
            encode_into(&mut buf, None, LogStream::Stdout, None, i, "line");
        }
        let packed = pack(&buf).into_owned();
        assert!(unpack(1, &packed[..packed.len() - 3]).is_err(), "a cut frame");
        assert!(unpack(1, &packed[..3]).is_err(), "a cut length");
        let mut wrong_len = packed.clone();
        wrong_len[1..5].copy_from_slice(&(buf.len() as u32 - 1).to_le_bytes());
        assert!(unpack(1, &wrong_len).is_err(), "a length that does not match");
        let mut huge = packed;
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack(1, &huge).is_err(), "a length past any chunk");
    }

    #[test]
    fn a_chunk_in_the_first_encoding_decodes_unchanged() {
        // As chunks were written before the time and length could be left short: every field,
        // the stream byte with the step flag, a u32 length.
        let mut buf = vec![1u8];
        buf.extend_from_slice(&7i64.to_le_bytes());
        buf.extend_from_slice(&2u32.to_le_bytes());
        buf.extend_from_slice(b"ok");
        buf.push(2 | STEP_FLAG);
        buf.extend_from_slice(&4u16.to_le_bytes());
        buf.extend_from_slice(&7i64.to_le_bytes());
        buf.extend_from_slice(&3u32.to_le_bytes());
        buf.extend_from_slice(b"err");
        let lines = decode(10, &buf).unwrap();
        assert_eq!(lines[0], LogLine { seq: 10, ts: 7, stream: LogStream::Stdout, text: "ok".into(), step: None });
        assert_eq!(lines[1], LogLine { seq: 11, ts: 7, stream: LogStream::Stderr, text: "err".into(), step: Some(4) });
    }
}
