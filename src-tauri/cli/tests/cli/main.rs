//! Tests that run the real `scicd` binary, as a user in a terminal would.

mod support;

mod crash;
mod repos;
mod runs;
mod templates;
