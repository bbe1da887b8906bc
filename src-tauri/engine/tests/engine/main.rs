//! Engine tests against a real shell, real processes and a real SQLite file.

mod docker_support;
mod support;

mod docker_builds;
mod docker_containers;
mod docker_endpoints;
mod docker_registries;
mod faults;
mod history;
mod lifecycle;
mod logs;
mod queue;
mod secrets;
mod store;
mod templates;
