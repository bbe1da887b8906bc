//! Engine tests against a real shell, real processes and a real SQLite file.

#[path = "../support/smtp_sink.rs"]
mod smtp_sink;
mod support;

mod email;
mod faults;
mod history;
mod lifecycle;
mod logs;
mod notify;
mod queue;
mod secrets;
mod store;
mod templates;
