//! Masking lines that were cut: a line longer than the reader's limit reaches the writer in
//! pieces, and a secret printed across a cut would be in neither piece whole, so the masker would
//! let both halves through. [`Uncut`] holds back the end of a cut piece that could be the start of
//! a secret (shorter than the longest thing the masker hides) and masks it with the next piece of
//! the same stream. What it hands on is masked; the pieces may be cut at other places than the
//! reader cut them. What is held back goes into the log when its step ends (a pipeline step's
//! writer closes) or when the run's output ends.
//!
//! Left out: a secret split by the script itself (printed in two writes with a newline between).

use std::borrow::Cow;

use super::lines::{LineView, Lines};
use super::mask::Masker;
use super::writer::RawLine;
use crate::model::LogStream;

/// A masked line [`Uncut::take_view`] hands on, borrowed from its batch when it could be.
pub(crate) struct Taken<'a> {
    pub stream: LogStream,
    pub ts: i64,
    pub step: Option<u16>,
    pub text: Cow<'a, str>,
}

/// The held-back ends of cut lines, per stream and step.
pub(crate) struct Uncut {
    masker: Masker,
    /// At most one per stream and step (a handful).
    held: Vec<RawLine>,
}

impl Uncut {
    pub(crate) fn new(masker: Masker) -> Uncut {
        Uncut { masker, held: Vec::new() }
    }

    /// Whether the lines of `batch` go into the log as they are: none is cut or continues a
    /// held-back piece, and none holds anything to hide.
    pub(crate) fn passes_unchanged(&self, batch: &Lines) -> bool {
        self.held.is_empty() && batch.plain() && self.masker.hides_nothing_in(batch.texts())
    }

    /// [`Uncut::take`] of a line borrowed from a batch: a line that is not cut and completes no
    /// held-back piece (nearly every line) is masked without a copy of its own.
    pub(crate) fn take_view<'a>(&mut self, line: LineView<'a>) -> Option<Taken<'a>> {
        let continues = |h: &RawLine| h.stream == line.stream && h.step == line.step;
        if !line.cut && !self.held.iter().any(continues) {
            let text = self.masker.mask(line.text);
            return Some(Taken { stream: line.stream, ts: line.ts, step: line.step, text });
        }
        self.take(line.to_raw()).map(|l| Taken { stream: l.stream, ts: l.ts, step: l.step, text: Cow::Owned(l.text) })
    }

    /// The masked lines `line` completes: none while a cut line's end is held back.
    pub(crate) fn take(&mut self, mut line: RawLine) -> Option<RawLine> {
        let same = self.held.iter().position(|h| h.stream == line.stream && h.step == line.step);
        if let Some(held) = same.map(|i| self.held.swap_remove(i)) {
            line.text = held.text + &line.text;
            line.ts = held.ts;
        }
        if line.cut {
            let at = self.masker.safe_end(&line.text);
            let rest = line.text.split_off(at);
            if !rest.is_empty() {
                self.held.push(RawLine { stream: line.stream, ts: line.ts, text: rest, step: line.step, cut: true });
            }
            if line.text.is_empty() {
                return None;
            }
        }
        if let Cow::Owned(masked) = self.masker.mask(&line.text) {
            line.text = masked;
        }
        Some(line)
    }

    /// What is still held back, masked (the output ended on a cut).
    pub(crate) fn finish(&mut self) -> Vec<RawLine> {
        let rest = std::mem::take(&mut self.held);
        self.release(rest)
    }

    /// What is held back of step `step`'s lines, masked (the step ended on a cut): stored at the
    /// step's end, so that a run that then waits (an approval) for hours has it in its log.
    pub(crate) fn finish_step(&mut self, step: u16) -> Vec<RawLine> {
        let (rest, others) = std::mem::take(&mut self.held).into_iter().partition(|l| l.step == Some(step));
        self.held = others;
        self.release(rest)
    }

    fn release(&self, mut rest: Vec<RawLine>) -> Vec<RawLine> {
        rest.sort_by_key(|l| l.ts);
        for line in &mut rest {
            line.text = self.masker.mask(&line.text).into_owned();
            line.cut = false;
        }
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, cut: bool) -> RawLine {
        RawLine { stream: LogStream::Stdout, ts: 1, text: text.into(), step: None, cut }
    }

    fn through(uncut: &mut Uncut, pieces: &[(&str, bool)]) -> String {
        let mut out: String = pieces.iter().filter_map(|(t, c)| uncut.take(piece(t, *c))).map(|l| l.text).collect();
        out.extend(uncut.finish().into_iter().map(|l| l.text));
        out
    }

    #[test]
    fn a_secret_printed_across_the_cut_of_a_long_line_is_hidden() {
        let mut uncut = Uncut::new(Masker::new(["s3cr3t-T0ken"]));
        let out = through(&mut uncut, &[("token=s3cr3", true), ("t-T0ken; done", false)]);
        assert_eq!(out, "token=******; done", "neither half of the secret may reach the log");
    }

    #[test]
    fn a_line_borrowed_from_a_batch_is_masked_as_a_line_of_its_own_would_be() {
        let masker = Masker::new(["s3cr3t-T0ken"]);
        let mut batch = crate::log::Lines::new();
        for (text, cut) in [("token=s3cr3", true), ("t-T0ken; done", false), ("s3cr3t-T0ken again", false)] {
            batch.push(&piece(text, cut));
        }
        let mut by_view = Uncut::new(masker.clone());
        let viewed: Vec<String> =
            batch.iter().filter_map(|l| by_view.take_view(l)).map(|t| t.text.into_owned()).collect();
        let mut owned = Uncut::new(masker);
        let taken: Vec<String> = batch.into_raw().into_iter().filter_map(|l| owned.take(l)).map(|l| l.text).collect();
        assert_eq!(viewed, taken, "the borrowing path hides the same secrets");
        assert_eq!(viewed.concat(), "token=******; done****** again", "and no character of them");
    }

    #[test]
    fn what_a_cut_holds_back_is_stored_when_the_output_ends() {
        let mut uncut = Uncut::new(Masker::new(["s3cr3t-T0ken"]));
        assert_eq!(through(&mut uncut, &[("abc s3cr3t-T", true)]), "abc s3cr3t-T", "nothing is lost");
        let mut none = Uncut::new(Masker::none());
        let first = none.take(piece("abc", true)).expect("nothing to hide: nothing held back");
        assert!(first.cut && first.text == "abc");
    }
}
