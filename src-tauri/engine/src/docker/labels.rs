//! The labels simple-cicd puts on what it creates, so it can find them again.

use std::collections::HashMap;

/// The run's id (for people reading `docker ps`).
pub const RUN_ID: &str = "dev.simple-cicd.run-id";
/// The run's unique key (what cleanup filters on: run ids repeat across data directories).
pub const RUN_KEY: &str = "dev.simple-cicd.run-key";
/// The template's name.
pub const TEMPLATE: &str = "dev.simple-cicd.template";
/// The key of the pipeline step that created a container (`RUNKEY.INDEX`).
pub const STEP_KEY: &str = "dev.simple-cicd.step-key";

/// The labels of everything a run creates.
pub(crate) fn for_run(run_id: i64, run_key: &str, template: &str) -> HashMap<String, String> {
    // A pipeline step's key is `RUNKEY.INDEX`: the run's key for crash recovery, the step's own
    // for the step's end.
    let (run, step) = match run_key.split_once('.') {
        Some((run, _)) => (run, Some(run_key)),
        None => (run_key, None),
    };
    let mut labels = HashMap::from([
        (RUN_ID.to_string(), run_id.to_string()),
        (RUN_KEY.to_string(), run.to_string()),
        (TEMPLATE.to_string(), template.to_string()),
    ]);
    if let Some(step) = step {
        labels.insert(STEP_KEY.to_string(), step.to_string());
    }
    labels
}
