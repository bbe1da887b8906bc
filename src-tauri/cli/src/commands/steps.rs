//! A pipeline run's steps on the command line: the prefix of each step's log lines, the table of
//! steps a run ends with, and the steps and outputs of `runs show`.

use simple_cicd_engine::model::{format_duration, RunStep};
use simple_cicd_engine::{api, Engine};

use crate::failure::{CmdResult, Failure};
use crate::output;

/// The names of the run's steps, by index (empty for a one-step template's run).
pub async fn names(engine: &Engine, run_id: i64) -> Vec<String> {
    api::run_steps(engine, run_id).await.map(|s| s.into_iter().map(|s| s.name).collect()).unwrap_or_default()
}

/// `name | ` for the lines of each step, padded to the longest name (made once per run, not per line).
pub fn prefixes(names: &[String]) -> Vec<String> {
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    names.iter().map(|name| format!("{name:<width$} | ")).collect()
}

/// The prefix of a line of step `step` (none for a line of no step).
pub fn prefix(prefixes: &[String], step: Option<u16>) -> &str {
    step.and_then(|i| prefixes.get(i as usize)).map_or("", String::as_str)
}

fn duration(s: &RunStep) -> String {
    s.duration_ms.map(|ms| format_duration(ms.max(0) as u128)).unwrap_or_else(|| "-".into())
}

/// The steps as a table on stderr (after `scicd run`), nothing for a one-step run.
pub async fn print_summary(engine: &Engine, run_id: i64) {
    let Ok(steps) = api::run_steps(engine, run_id).await else { return };
    if steps.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = steps
        .iter()
        .map(|s| vec![s.name.clone(), s.status.to_string(), duration(s), s.error.clone().unwrap_or_default()])
        .collect();
    output::table_on(&mut std::io::stderr().lock(), &["STEP", "STATUS", "DURATION", ""], &rows);
}

/// The steps with their kinds, needs and outputs (for `runs show`).
pub fn print_details(steps: &[RunStep]) {
    if steps.is_empty() {
        return;
    }
    println!("Steps:");
    let rows: Vec<Vec<String>> = steps
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.kind.clone(),
                s.status.to_string(),
                duration(s),
                s.exit_code.map_or("-".into(), |c| c.to_string()),
                s.needs.join(","),
            ]
        })
        .collect();
    output::table(&["  STEP", "KIND", "STATUS", "DURATION", "EXIT", "NEEDS"], &indent(rows));
    let outputs: Vec<Vec<String>> = steps
        .iter()
        .flat_map(|s| s.outputs.iter().map(|(k, v)| vec![format!("steps.{}.outputs.{k}", s.name), v.clone()]))
        .collect();
    if !outputs.is_empty() {
        println!("Outputs:");
        output::table(&["  NAME", "VALUE"], &indent(outputs));
    }
    for s in steps.iter().filter(|s| s.error.is_some()) {
        println!("Step {}: {}", s.name, s.error.as_deref().unwrap_or_default());
    }
}

fn indent(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|mut r| {
            r[0] = format!("  {}", r[0]);
            r
        })
        .collect()
}

/// The index of step `name` of run `run_id`, or a usage error that lists the steps.
pub async fn index_of(engine: &Engine, run_id: i64, name: &str) -> CmdResult<u16> {
    let steps = api::run_steps(engine, run_id).await?;
    if steps.is_empty() {
        return Err(Failure::usage(format!("run {run_id} is not a pipeline run: it has no steps")));
    }
    steps.iter().find(|s| s.name == name).map(|s| s.index).ok_or_else(|| {
        let all: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        Failure::usage(format!("run {run_id} has no step {name}; its steps: {}", all.join(", ")))
    })
}
