//! The chunk encoding the writer uses now: a table of runs of lines, then every line's text
//! followed by `\n`, in one column.
//!
//! A run is consecutive lines of one stream and step read in the same millisecond (most lines of
//! a busy output): a flags byte (the stream in its low five bits, its high bit set when a step
//! field follows) and `[step:u16 LE]` as a line's in the older encodings (`chunk::put_head`),
//! `[ts:i64 LE]`, the run's number of lines (`u32 LE`) and the bytes of their texts with their
//! `\n`s (`u32 LE`). A line whose text holds a `\n` (a line of simple-cicd's own) is a run of
//! its own: a run of one line is one text, whatever it holds.
//!
//! Why a column of texts: the first encoding put a header before each text, so every reader
//! and writer went through a million lines one at a time (a header each, a UTF-8 check each),
//! and a viewer printed them one at a time. Here the texts of a run are already the lines as a
//! viewer prints them: `scicd run` writes a run with one call; the texts of a chunk are checked
//! as UTF-8 with one call; the writer copies a reader's batch of lines in one go; and zstd finds
//! the repetition of the headers in a few bytes.
//!
//! A chunk in this encoding starts with [`MARK`] (never the first byte of the first encodings,
//! whose stream bits are 1-3, nor [`PACKED`](super::chunk)), then the table's length (`u32 LE`).
//! Chunks written before read as before (see [`chunk::visit_runs`](super::chunk::visit_runs)).

use crate::error::{Error, Result};
use crate::model::{LogLinesRef, LogStream};

/// The first byte of a chunk in this encoding.
pub(crate) const MARK: u8 = 4;

/// Lines on their way into a chunk.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    table: Vec<u8>,
    text: Vec<u8>,
    /// The run the last line went into, not yet in `table`.
    run: Option<Run>,
    lines: usize,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    stream: LogStream,
    step: Option<u16>,
    ts: i64,
    count: u32,
    bytes: u32,
}

impl Builder {
    /// Adds a line.
    pub(crate) fn push(&mut self, stream: LogStream, step: Option<u16>, ts: i64, text: &str) {
        let alone = memchr::memchr(b'\n', text.as_bytes()).is_some();
        if alone {
            self.end_run();
        }
        self.add(stream, step, ts, 1, text.as_bytes());
        self.text.push(b'\n');
        if let Some(run) = &mut self.run {
            run.bytes += 1;
        }
        if alone {
            // No line joins a run whose one text holds a `\n`.
            self.end_run();
        }
    }

    /// Adds `count` lines of one stream, step and time whose texts, each followed by `\n`, are
    /// `texts` (none holding a `\n` of its own).
    pub(crate) fn push_lines(&mut self, stream: LogStream, step: Option<u16>, ts: i64, count: usize, texts: &str) {
        self.add(stream, step, ts, count, texts.as_bytes());
    }

    /// Adds lines read back from a chunk.
    pub(crate) fn push_stored(&mut self, run: LogLinesRef<'_>) {
        if run.count == 1 {
            // Its one text may hold a `\n`.
            self.push(run.stream, run.step, run.ts, &run.text[..run.text.len() - 1]);
        } else {
            self.push_lines(run.stream, run.step, run.ts, run.count, run.text);
        }
    }

    fn add(&mut self, stream: LogStream, step: Option<u16>, ts: i64, count: usize, bytes: &[u8]) {
        let count = u32::try_from(count).expect("chunks hold far fewer lines");
        let len = u32::try_from(bytes.len()).expect("chunks stay far below 4 GiB");
        match &mut self.run {
            Some(run) if run.ts == ts && run.stream == stream && run.step == step => {
                run.count += count;
                run.bytes += len;
            }
            _ => {
                self.end_run();
                self.run = Some(Run { stream, step, ts, count, bytes: len });
            }
        }
        self.lines += count as usize;
        self.text.extend_from_slice(bytes);
    }

    fn end_run(&mut self) {
        if let Some(run) = self.run.take() {
            super::chunk::put_head(&mut self.table, run.stream, run.step, 0);
            self.table.extend_from_slice(&run.ts.to_le_bytes());
            self.table.extend_from_slice(&run.count.to_le_bytes());
            self.table.extend_from_slice(&run.bytes.to_le_bytes());
        }
    }

    /// Lines added since the last [`Builder::finish`].
    pub(crate) fn lines(&self) -> usize {
        self.lines
    }

    /// Bytes of the chunk so far (about).
    pub(crate) fn bytes(&self) -> usize {
        self.table.len() + self.text.len()
    }

    /// The chunk of the lines added so far; the builder starts over (keeping its buffers).
    pub(crate) fn finish(&mut self) -> Vec<u8> {
        self.end_run();
        let mut out = Vec::with_capacity(5 + self.table.len() + self.text.len());
        out.push(MARK);
        out.extend_from_slice(&(self.table.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.table);
        out.extend_from_slice(&self.text);
        self.table.clear();
        self.text.clear();
        self.lines = 0;
        out
    }
}

/// Calls `each` with the runs of lines of a chunk in this encoding whose first line is
/// `first_seq`, from line `from` on (a run that starts before it is cut), until it returns false.
pub(crate) fn visit_runs(
    first_seq: i64,
    data: &[u8],
    from: i64,
    mut each: impl FnMut(LogLinesRef<'_>) -> bool,
) -> Result<()> {
    let corrupt = || Error::Corrupt(format!("log chunk starting at line {first_seq}"));
    let table_len = data.get(1..5).ok_or_else(corrupt)?;
    let table_len = u32::from_le_bytes(table_len.try_into().expect("4 bytes")) as usize;
    let table = data.get(5..5 + table_len).ok_or_else(corrupt)?;
    // One check for every text of the chunk; each line then ends at a `\n`, a character boundary.
    let text = std::str::from_utf8(&data[5 + table_len..]).map_err(|_| corrupt())?;
    let bytes = text.as_bytes();
    let u32_at = |at: usize| -> Result<usize> {
        let b = table.get(at..at + 4).ok_or_else(corrupt)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
    };
    let (mut at, mut pos, mut seq) = (0usize, 0usize, first_seq);
    while at < table.len() {
        let (_, stream, step, p) = super::chunk::get_head(table, at).ok_or_else(corrupt)?;
        let ts = table.get(p..p + 8).ok_or_else(corrupt)?;
        let ts = i64::from_le_bytes(ts.try_into().expect("8 bytes"));
        let (count, len) = (u32_at(p + 8)?, u32_at(p + 12)?);
        at = p + 16;
        let end = pos + len;
        // Every line ends with a `\n`, so the run's last byte is one (the others are counted only
        // where a reader splits the run).
        if count == 0 || len < count || end > bytes.len() || bytes[end - 1] != b'\n' {
            return Err(corrupt());
        }
        let run = LogLinesRef { first_seq: seq, count, ts, stream, step, text: &text[pos..end] };
        seq += count as i64;
        pos = end;
        if seq <= from {
            continue;
        }
        if !each(run.skip((from - run.first_seq).max(0) as usize)) {
            return Ok(());
        }
    }
    if pos != bytes.len() {
        return Err(corrupt());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogLine;

    fn lines_of(first_seq: i64, data: &[u8], from: i64) -> Vec<LogLine> {
        let mut out = Vec::new();
        visit_runs(first_seq, data, from, |run| {
            out.extend(run.lines().map(|l| l.to_owned_line()));
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn lines_of_one_stream_and_millisecond_share_one_run_and_come_back_with_their_numbers() {
        let mut b = Builder::default();
        b.push(LogStream::Stdout, None, 5, "one");
        b.push(LogStream::Stdout, None, 5, "");
        b.push(LogStream::Stderr, Some(2), 5, "ünï");
        b.push(LogStream::Stderr, Some(2), 6, "late");
        assert_eq!((b.lines(), b.bytes() > 0), (4, true));
        let data = b.finish();
        assert_eq!(b.lines(), 0, "the builder starts over");
        let mut runs = Vec::new();
        visit_runs(10, &data, 10, |r| {
            runs.push((r.first_seq, r.count, r.stream, r.step, r.ts, r.text.to_string()));
            true
        })
        .unwrap();
        assert_eq!(
            runs,
            [
                (10, 2, LogStream::Stdout, None, 5, "one\n\n".to_string()),
                (12, 1, LogStream::Stderr, Some(2), 5, "ünï\n".to_string()),
                (13, 1, LogStream::Stderr, Some(2), 6, "late\n".to_string())
            ],
            "a run's text is its lines as a viewer prints them"
        );
        let got: Vec<_> = lines_of(10, &data, 11).into_iter().map(|l| (l.seq, l.text)).collect();
        assert_eq!(got, [(11, "".into()), (12, "ünï".into()), (13, "late".into())], "from line 11");
    }

    #[test]
    fn a_line_holding_a_newline_stays_one_line() {
        let mut b = Builder::default();
        b.push(LogStream::System, None, 1, "first\nsecond");
        b.push(LogStream::System, None, 1, "after");
        let lines = lines_of(1, &b.finish(), 1);
        let got: Vec<_> = lines.iter().map(|l| (l.seq, l.text.as_str())).collect();
        assert_eq!(got, [(1, "first\nsecond"), (2, "after")]);
    }

    #[test]
    fn a_run_cut_by_the_first_line_asked_for_starts_there() {
        let mut b = Builder::default();
        for i in 0..100 {
            b.push(LogStream::Stdout, None, 7, &i.to_string());
        }
        let data = b.finish();
        let mut runs = Vec::new();
        visit_runs(1, &data, 98, |r| {
            runs.push((r.first_seq, r.count, r.text.to_string()));
            true
        })
        .unwrap();
        assert_eq!(runs, [(98, 3, "97\n98\n99\n".to_string())]);
    }

    #[test]
    fn a_chunk_read_back_into_a_builder_encodes_the_same_lines() {
        let mut b = Builder::default();
        b.push(LogStream::Stdout, None, 1, "a");
        b.push(LogStream::Stdout, None, 1, "b");
        b.push(LogStream::System, Some(3), 2, "two\nlines");
        b.push(LogStream::Stderr, None, 2, "c");
        let data = b.finish();
        let mut again = Builder::default();
        visit_runs(1, &data, 1, |run| {
            again.push_stored(run);
            true
        })
        .unwrap();
        assert_eq!(again.lines(), 4);
        assert_eq!(again.finish(), data, "a chunk that cannot be stored is put back as it was");
    }

    #[test]
    fn a_damaged_chunk_is_an_error_not_a_panic() {
        let mut b = Builder::default();
        b.push(LogStream::Stdout, Some(1), 7, "hello");
        b.push(LogStream::Stdout, None, 7, "two\nlines");
        let data = b.finish();
        for cut in 1..data.len() {
            assert!(visit_runs(1, &data[..cut], 1, |_| true).is_err(), "a chunk cut at {cut} bytes");
        }
        let mut extra = data.clone();
        extra.extend_from_slice(b"more\n");
        assert!(visit_runs(1, &extra, 1, |_| true).is_err(), "text past the last run");
        let mut bad = data;
        let last = bad.len() - 2;
        bad[last] = 0xff;
        assert!(visit_runs(1, &bad, 1, |_| true).is_err(), "text that is not UTF-8");
    }
}
