//! Run logs: reading a process's output into numbered lines, storing them in batches, and
//! following a run's log live from any line.
//!
//! Secrets are masked in [`writer`], before a line is stored or sent.

pub(crate) mod chunk;
mod follow;
pub mod mask;
mod ordered;
mod reader;
mod writer;

pub use follow::{follow, follow_paced};
pub(crate) use ordered::OrderedOutput;
pub(crate) use reader::{read_output, LineSplitter};
pub(crate) use writer::{LogWriter, RawLine};
