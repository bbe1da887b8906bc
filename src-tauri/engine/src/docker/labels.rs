//! The labels simple-cicd puts on what it creates, so it can find them again.

use std::collections::HashMap;

/// The run's id (for people reading `docker ps`).
pub const RUN_ID: &str = "dev.simple-cicd.run-id";
/// The run's unique key (what cleanup filters on: run ids repeat across data directories).
pub const RUN_KEY: &str = "dev.simple-cicd.run-key";
/// The template's name.
pub const TEMPLATE: &str = "dev.simple-cicd.template";

/// The labels of everything a run creates.
pub(crate) fn for_run(run_id: i64, run_key: &str, template: &str) -> HashMap<String, String> {
    HashMap::from([
        (RUN_ID.to_string(), run_id.to_string()),
        (RUN_KEY.to_string(), run_key.to_string()),
        (TEMPLATE.to_string(), template.to_string()),
    ])
}
