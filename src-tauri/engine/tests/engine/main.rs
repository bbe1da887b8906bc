//! Engine tests against a real shell, real processes and a real SQLite file.

mod git_servers;
mod support;

mod faults;
mod git;
mod history;
mod lifecycle;
mod logs;
mod queue;
mod secrets;
mod store;
mod templates;
mod triggers;
