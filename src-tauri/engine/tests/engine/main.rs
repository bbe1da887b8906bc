//! Engine tests against a real shell, real processes and a real SQLite file.

mod git_servers;
#[path = "../support/smtp_sink.rs"]
mod smtp_sink;
mod support;

mod email;
mod faults;
mod git;
mod history;
mod lifecycle;
mod logs;
mod notify;
mod queue;
mod secrets;
mod store;
mod templates;
mod triggers;
