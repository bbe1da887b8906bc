//! Splitting a process's output into lines, stdout and stderr in the order they are read.

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

use super::lines::Lines;
use super::writer::RawLine;
use crate::model::{now_ms, LogStream};

/// A line longer than this is cut into several lines, so one endless line cannot exhaust memory.
const MAX_LINE: usize = 64 * 1024;

/// Reads a process's stdout and stderr to their ends, in ONE task, and sends their lines in the
/// order they were read: a line the script wrote to stderr after a stdout line is sent after it.
///
/// Two readers racing (one per pipe, on different threads) stored a failing test's error above
/// the line that announced the test. One reader that takes whatever is ready, stdout first,
/// keeps the order of any two writes the reader can tell apart; two pipes carry no common
/// sequence, so writes to both streams within the reader's wake-up time (microseconds) reach it
/// together and come stdout first. A script that needs the exact order of such writes sends
/// both streams to one (`exec 2>&1`).
pub(crate) async fn read_output<O, E>(mut stdout: O, mut stderr: E, tx: mpsc::Sender<Lines>)
where
    O: AsyncRead + Unpin,
    E: AsyncRead + Unpin,
{
    let mut out_buf = vec![0u8; 64 * 1024];
    let mut err_buf = vec![0u8; 64 * 1024];
    let mut out = LineSplitter::new(LogStream::Stdout);
    let mut err = LineSplitter::new(LogStream::Stderr);
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        // `read` is cancel-safe: the branch that loses the race has read nothing.
        let mut batch = Lines::new();
        tokio::select! {
            biased;
            n = stdout.read(&mut out_buf), if out_open => match n {
                Ok(0) | Err(_) => { out_open = false; out.finish_into(&mut batch) }
                Ok(n) => out.push_into(&out_buf[..n], &mut batch),
            },
            n = stderr.read(&mut err_buf), if err_open => match n {
                Ok(0) | Err(_) => { err_open = false; err.finish_into(&mut batch) }
                Ok(n) => err.push_into(&err_buf[..n], &mut batch),
            },
        }
        if !batch.is_empty() && tx.send(batch).await.is_err() {
            return;
        }
    }
}

/// Cuts chunks of output (as a pipe or the Docker API delivers them) into lines.
pub(crate) struct LineSplitter {
    stream: LogStream,
    partial: Vec<u8>,
}

impl LineSplitter {
    /// A splitter for one stream.
    pub(crate) fn new(stream: LogStream) -> LineSplitter {
        LineSplitter { stream, partial: Vec::new() }
    }

    /// The complete lines `chunk` ends (with what came before it), each a line of its own (for
    /// the few lines of a build's progress; readers of a process's output use
    /// [`LineSplitter::push_into`]).
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<RawLine> {
        let mut batch = Lines::new();
        self.push_into(chunk, &mut batch);
        batch.into_raw()
    }

    /// [`LineSplitter::push`] onto the end of `batch` (a reader's batch of several reads): the
    /// texts are copied into the batch's one buffer, none into a buffer of its own.
    pub(crate) fn push_into(&mut self, chunk: &[u8], batch: &mut Lines) {
        let ts = now_ms();
        let mut rest = chunk;
        let mut whole_lines = true;
        while !rest.is_empty() {
            if whole_lines && self.partial.is_empty() {
                // Once the line the last chunk left open is complete: the whole lines of the chunk
                // in one copy, when none needs a change (a `\r` to drop, bytes that are not UTF-8)
                // or a cut, which is what a busy output nearly always sends.
                whole_lines = false;
                if let Some(last) = memchr::memrchr(b'\n', rest) {
                    let (whole, after) = rest.split_at(last + 1);
                    if whole.len() <= MAX_LINE && memchr::memchr(b'\r', whole).is_none() {
                        if let Ok(text) = std::str::from_utf8(whole) {
                            batch.push_lines(self.stream, ts, text);
                            rest = after;
                            continue;
                        }
                    }
                }
            }
            let (piece, after) = match memchr::memchr(b'\n', rest) {
                Some(i) => rest.split_at(i + 1),
                None => (rest, &[][..]),
            };
            rest = after;
            if self.partial.is_empty() && piece.last() == Some(&b'\n') && piece.len() <= MAX_LINE {
                // A whole line in this chunk: no copy through `partial`.
                batch.push_bytes(self.stream, ts, line_text(piece), false);
                continue;
            }
            self.partial.extend_from_slice(piece);
            if self.partial.last() == Some(&b'\n') {
                batch.push_bytes(self.stream, ts, line_text(&self.partial), false);
                self.partial.clear();
            } else if self.partial.len() >= MAX_LINE {
                // Cut before a character whose bytes are not all here yet; the writer masks the
                // pieces together (see `uncut`).
                let at = cut_at(&self.partial);
                batch.push_bytes(self.stream, ts, &self.partial[..at], true);
                self.partial.drain(..at);
            }
        }
    }

    /// The last line, when the output did not end with a newline.
    pub(crate) fn finish(&mut self) -> Option<RawLine> {
        let mut batch = Lines::new();
        self.finish_into(&mut batch);
        batch.into_raw().pop()
    }

    /// [`LineSplitter::finish`] onto the end of `batch`.
    pub(crate) fn finish_into(&mut self, batch: &mut Lines) {
        if self.partial.is_empty() {
            return;
        }
        batch.push_bytes(self.stream, now_ms(), line_text(&self.partial), false);
        self.partial.clear();
    }
}

/// Where to cut `bytes`, a line that goes on: before a multi-byte character cut short, and
/// before a final `\r` (which may start the `\r\n` that ends the line).
fn cut_at(bytes: &[u8]) -> usize {
    if bytes.len() > 1 && bytes.ends_with(b"\r") {
        return bytes.len() - 1;
    }
    let from = bytes.len().saturating_sub(3);
    match (from..bytes.len()).rev().find(|i| bytes[*i] & 0xC0 != 0x80) {
        Some(lead) => match std::str::from_utf8(&bytes[lead..]) {
            Err(e) if e.error_len().is_none() && lead > 0 => lead,
            _ => bytes.len(),
        },
        None => bytes.len(),
    }
}

/// A whole line without its ending (`\n` or `\r\n`).
fn line_text(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8]) -> Vec<String> {
        let (tx, mut rx) = mpsc::channel(16);
        read_output(input, tokio::io::empty(), tx).await;
        let mut out = Vec::new();
        while let Some(batch) = rx.recv().await {
            out.extend(batch.iter().map(|l| l.text.to_string()));
        }
        out
    }

    #[tokio::test]
    async fn crlf_and_a_missing_final_newline_are_handled() {
        assert_eq!(lines_of(b"a\r\nb\n\nc").await, ["a", "b", "", "c"]);
    }

    #[test]
    fn a_long_line_is_never_cut_inside_a_character() {
        let e = "é".as_bytes();
        let mut first = vec![b'x'; MAX_LINE - 1];
        first.push(e[0]);
        let mut splitter = LineSplitter::new(LogStream::Stdout);
        let mut lines = splitter.push(&first);
        lines.extend(splitter.push(&[&e[1..], &b" and more\n"[..]].concat()));
        assert_eq!(lines.len(), 2, "the line is cut once");
        assert!(lines[0].cut && !lines[1].cut, "the first piece says the line goes on");
        assert_eq!(lines[0].text.len(), MAX_LINE - 1, "the cut falls before the character");
        assert_eq!(lines[1].text, "é and more", "which stays whole in the next piece");
    }

    #[test]
    fn lines_are_the_same_however_the_output_is_cut_into_reads() {
        // Whole lines go into a batch in one copy where they can; the lines must be those a line
        // at a time gives: `\r\n` endings, bytes that are not UTF-8, lines across reads.
        let mut output = Vec::new();
        for i in 0..3000u32 {
            match i % 7 {
                0 => output.extend_from_slice(format!("crlf {i}\r\n").as_bytes()),
                1 => output.extend_from_slice(b"bad \xff byte\n"),
                2 => output.push(b'\n'),
                _ => output.extend_from_slice(format!("line {i} ünï\n").as_bytes()),
            }
        }
        let expected: Vec<String> = output
            .split(|b| *b == b'\n')
            .take(3000)
            .map(|l| String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)).into_owned())
            .collect();
        for read in [1, 3, 7, 100, 4096, output.len()] {
            let mut splitter = LineSplitter::new(LogStream::Stdout);
            let mut batch = Lines::new();
            for piece in output.chunks(read) {
                splitter.push_into(piece, &mut batch);
            }
            splitter.finish_into(&mut batch);
            let got: Vec<String> = batch.iter().map(|l| l.text.to_string()).collect();
            assert_eq!(got, expected, "reads of {read} bytes");
        }
    }

    #[tokio::test]
    async fn an_endless_line_is_cut_into_pieces() {
        let input = vec![b'x'; MAX_LINE * 2 + 10];
        let lines = lines_of(&input).await;
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.iter().map(String::len).sum::<usize>(), MAX_LINE * 2 + 10);
    }
}
