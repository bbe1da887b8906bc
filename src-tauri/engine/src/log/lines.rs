//! A batch of lines on their way from a reader to the log writer: every text in ONE buffer, each
//! followed by `\n`, and for each line where its text ends and what it is (stream, time, step,
//! cut).
//!
//! The buffer holds the lines as a chunk stores them (see `block`): a reader copies a read's
//! whole lines into it at once ([`Lines::push_lines`]), and the writer copies runs of them into
//! a chunk at once ([`Lines::runs`]) when nothing in the batch needs masking.
//!
//! A line of its own (a `String` each) cost a million-line run a million allocations on the
//! reader's thread and a million frees on the writer's (malloc's arenas growing and shrinking
//! all along). A batch costs two growing buffers, whatever its number of lines. Lines that are
//! built one at a time (simple-cicd's own, a cut line's pieces put together) are [`RawLine`]s,
//! which go into a batch as they come.
//!
//! Left out: the masking (the writer's, see `uncut`) and the numbering (the writer's too).

use super::writer::RawLine;
use crate::model::LogStream;

/// Lines in one buffer, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Lines {
    /// Every line's text followed by `\n`.
    text: String,
    marks: Vec<Mark>,
    /// Some line is cut (see [`RawLine::cut`]).
    cut: bool,
    /// Some line's text holds a `\n` of its own.
    newline_inside: bool,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Where the line's text ends in [`Lines::text`], before its `\n` (it starts after the `\n`
    /// of the line before).
    end: usize,
    ts: i64,
    stream: LogStream,
    step: Option<u16>,
    cut: bool,
}

/// A line of a batch, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineView<'a> {
    pub stream: LogStream,
    pub ts: i64,
    pub text: &'a str,
    pub step: Option<u16>,
    pub cut: bool,
}

/// Lines of a batch of one stream, step and time (see [`Lines::runs`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinesRun<'a> {
    pub stream: LogStream,
    pub step: Option<u16>,
    pub ts: i64,
    pub count: usize,
    /// Their texts, each followed by `\n`.
    pub texts: &'a str,
}

impl<'a> LinesRun<'a> {
    /// The first `n` lines (fewer than [`LinesRun::count`]) and the rest.
    pub(crate) fn split(self, n: usize) -> (LinesRun<'a>, LinesRun<'a>) {
        let at =
            memchr::memchr_iter(b'\n', self.texts.as_bytes()).nth(n.max(1) - 1).map_or(self.texts.len(), |i| i + 1);
        let (head, tail) = self.texts.split_at(at);
        (LinesRun { count: n, texts: head, ..self }, LinesRun { count: self.count - n, texts: tail, ..self })
    }
}

impl LineView<'_> {
    /// The line as a [`RawLine`] of its own (a copy of its text).
    pub(crate) fn to_raw(self) -> RawLine {
        RawLine { stream: self.stream, ts: self.ts, text: self.text.to_owned(), step: self.step, cut: self.cut }
    }
}

impl Lines {
    /// An empty batch.
    pub(crate) fn new() -> Lines {
        Lines::default()
    }

    /// An empty batch with room for `lines` lines of `bytes` bytes of text in all.
    pub(crate) fn with_capacity(lines: usize, bytes: usize) -> Lines {
        Lines { text: String::with_capacity(bytes), marks: Vec::with_capacity(lines), ..Lines::default() }
    }

    /// How many lines the batch holds.
    pub(crate) fn len(&self) -> usize {
        self.marks.len()
    }

    /// Whether the batch holds no line.
    pub(crate) fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// Adds a line whose text is `bytes`, replacing what is not UTF-8 (as `from_utf8_lossy`).
    pub(crate) fn push_bytes(&mut self, stream: LogStream, ts: i64, bytes: &[u8], cut: bool) {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.text.push_str(text),
            Err(_) => self.text.push_str(&String::from_utf8_lossy(bytes)),
        }
        self.newline_inside |= memchr::memchr(b'\n', bytes).is_some();
        self.mark(stream, ts, None, cut);
    }

    /// Adds the lines of `texts`: whole lines, each ending with `\n` (and no `\r` before it).
    pub(crate) fn push_lines(&mut self, stream: LogStream, ts: i64, texts: &str) {
        let at = self.text.len();
        self.text.push_str(texts);
        for end in memchr::memchr_iter(b'\n', texts.as_bytes()) {
            self.marks.push(Mark { end: at + end, ts, stream, step: None, cut: false });
        }
    }

    /// Adds a line.
    pub(crate) fn push(&mut self, line: &RawLine) {
        self.text.push_str(&line.text);
        self.newline_inside |= memchr::memchr(b'\n', line.text.as_bytes()).is_some();
        self.mark(line.stream, line.ts, line.step, line.cut);
    }

    fn mark(&mut self, stream: LogStream, ts: i64, step: Option<u16>, cut: bool) {
        self.marks.push(Mark { end: self.text.len(), ts, stream, step, cut });
        self.text.push('\n');
        self.cut |= cut;
    }

    /// Marks every line as written by pipeline step `step`.
    pub(crate) fn set_step(&mut self, step: u16) {
        for mark in &mut self.marks {
            mark.step = Some(step);
        }
    }

    /// The lines, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = LineView<'_>> {
        let mut start = 0;
        self.marks.iter().map(move |m| {
            let text = &self.text[start..m.end];
            start = m.end + 1;
            LineView { stream: m.stream, ts: m.ts, text, step: m.step, cut: m.cut }
        })
    }

    /// Every text, each followed by `\n`.
    pub(crate) fn texts(&self) -> &str {
        &self.text
    }

    /// Whether the lines can go into a chunk as [`Lines::runs`]: none is cut, and no text holds
    /// a `\n` of its own.
    pub(crate) fn plain(&self) -> bool {
        !self.cut && !self.newline_inside
    }

    /// The lines in runs of one stream, step and time: how many, and their texts each followed
    /// by `\n` (see [`Lines::plain`]).
    pub(crate) fn runs(&self) -> impl Iterator<Item = LinesRun<'_>> {
        let mut i = 0;
        let mut start = 0;
        std::iter::from_fn(move || {
            let first = *self.marks.get(i)?;
            let same = |m: &Mark| m.ts == first.ts && m.stream == first.stream && m.step == first.step;
            let count = self.marks[i..].iter().take_while(|m| same(m)).count();
            let end = self.marks[i + count - 1].end + 1;
            let run =
                LinesRun { stream: first.stream, step: first.step, ts: first.ts, count, texts: &self.text[start..end] };
            i += count;
            start = end;
            Some(run)
        })
    }

    /// The lines as [`RawLine`]s of their own (for tests and the fuzzing entry points).
    pub(crate) fn into_raw(self) -> Vec<RawLine> {
        self.iter().map(LineView::to_raw).collect()
    }
}

impl From<RawLine> for Lines {
    fn from(line: RawLine) -> Lines {
        let mut lines = Lines::new();
        lines.push(&line);
        lines
    }
}

impl From<Vec<RawLine>> for Lines {
    fn from(raw: Vec<RawLine>) -> Lines {
        let mut lines = Lines::new();
        for line in &raw {
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_back_in_order_with_their_marks() {
        let mut lines = Lines::new();
        lines.push_bytes(LogStream::Stdout, 1, b"one", false);
        lines.push_bytes(LogStream::Stderr, 2, b"", false);
        lines.push(&RawLine { stream: LogStream::System, ts: 3, text: "three".into(), step: Some(4), cut: true });
        let got: Vec<_> = lines.iter().map(|l| (l.stream, l.ts, l.text, l.step, l.cut)).collect();
        assert_eq!(
            got,
            [
                (LogStream::Stdout, 1, "one", None, false),
                (LogStream::Stderr, 2, "", None, false),
                (LogStream::System, 3, "three", Some(4), true)
            ]
        );
        lines.set_step(7);
        assert!(lines.iter().all(|l| l.step == Some(7)), "a step's writer marks every line");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_as_a_lossy_conversion_would() {
        let mut lines = Lines::new();
        lines.push_bytes(LogStream::Stdout, 1, b"a\xffb", false);
        assert_eq!(lines.iter().next().map(|l| l.text), Some("a\u{fffd}b"));
    }
}
