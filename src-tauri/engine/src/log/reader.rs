//! Splitting a process's output into lines.

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

use super::writer::RawLine;
use crate::model::{now_ms, LogStream};

/// A line longer than this is cut into several lines, so one endless line cannot exhaust memory.
const MAX_LINE: usize = 64 * 1024;

/// Reads `source` to its end and sends its lines, in batches of what one read returned.
/// A trailing `\r` is removed; invalid UTF-8 is replaced.
pub(crate) async fn read_lines<R: AsyncRead + Unpin>(mut source: R, stream: LogStream, tx: mpsc::Sender<Vec<RawLine>>) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut lines = LineSplitter::new(stream);
    loop {
        let n = match source.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let batch = lines.push(&buf[..n]);
        if !batch.is_empty() && tx.send(batch).await.is_err() {
            return;
        }
    }
    if let Some(last) = lines.finish() {
        let _ = tx.send(vec![last]).await;
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

    /// The complete lines `chunk` ends (with what came before it).
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<RawLine> {
        let ts = now_ms();
        let mut batch = Vec::new();
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            self.partial.extend_from_slice(piece);
            if self.partial.last() == Some(&b'\n') || self.partial.len() >= MAX_LINE {
                batch.push(make_line(self.stream, ts, &self.partial));
                self.partial.clear();
            }
        }
        batch
    }

    /// The last line, when the output did not end with a newline.
    pub(crate) fn finish(&mut self) -> Option<RawLine> {
        if self.partial.is_empty() {
            return None;
        }
        let line = make_line(self.stream, now_ms(), &self.partial);
        self.partial.clear();
        Some(line)
    }
}

fn make_line(stream: LogStream, ts: i64, bytes: &[u8]) -> RawLine {
    let mut end = bytes.len();
    if end > 0 && bytes[end - 1] == b'\n' {
        end -= 1;
    }
    if end > 0 && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    RawLine { stream, ts, text: String::from_utf8_lossy(&bytes[..end]).into_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8]) -> Vec<String> {
        let (tx, mut rx) = mpsc::channel(16);
        read_lines(input, LogStream::Stdout, tx).await;
        let mut out = Vec::new();
        while let Some(batch) = rx.recv().await {
            out.extend(batch.into_iter().map(|l| l.text));
        }
        out
    }

    #[tokio::test]
    async fn crlf_and_a_missing_final_newline_are_handled() {
        assert_eq!(lines_of(b"a\r\nb\n\nc").await, ["a", "b", "", "c"]);
    }

    #[tokio::test]
    async fn an_endless_line_is_cut_into_pieces() {
        let input = vec![b'x'; MAX_LINE * 2 + 10];
        let lines = lines_of(&input).await;
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.iter().map(String::len).sum::<usize>(), MAX_LINE * 2 + 10);
    }
}
