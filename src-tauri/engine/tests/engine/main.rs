//! Engine tests against a real shell, real processes and a real SQLite file.

mod support;
#[path = "../support/smtp_sink.rs"]
mod smtp_sink;

mod history;
mod email;
mod lifecycle;
mod logs;
mod notify;
mod queue;
mod secrets;
mod store;
mod templates;
