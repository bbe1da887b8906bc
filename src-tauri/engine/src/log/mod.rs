//! Run logs: reading a process's output into numbered lines, storing them in batches, and
//! following a run's log live from any line.
//!
//! Secrets are masked in [`writer`], before a line is stored or sent (a line the reader cut, in
//! [`uncut`]).

mod block;
pub(crate) mod chunk;
mod follow;
mod lines;
pub mod mask;
mod ordered;
mod pending;
mod reader;
mod uncut;
mod writer;

pub use follow::{follow, follow_each, follow_paced, Followed};
pub(crate) use lines::Lines;
pub(crate) use ordered::OrderedOutput;
pub(crate) use reader::{read_output, LineSplitter};
pub(crate) use uncut::Uncut;
pub(crate) use writer::{LogWriter, RawLine};
