//! Tests that run the real `scicd` binary, as a user in a terminal would.

#[path = "../../../engine/tests/support/desktop_session.rs"]
mod desktop_session;
#[path = "../../../engine/tests/support/smtp_sink.rs"]
mod smtp_sink;
mod support;
// The load generator's burst, shared with scripts/bench-hooks.sh (which uses all of it).
#[allow(dead_code)]
#[path = "../../examples/webhook_load/burst.rs"]
mod burst;
#[allow(dead_code)]
#[path = "../../examples/webhook_load/conn.rs"]
mod conn;

mod clusters;
mod crash;
mod crash_steps;
mod docker;
mod example;
mod messages;
mod notify;
mod pipelines;
mod repos;
mod runs;
mod templates;
mod users;
mod webhook_burst;
