//! Run commands, and live logs over a Tauri channel per viewer.

use std::collections::BTreeMap;

use simple_cicd_engine::model::{DashboardStats, FollowEvent, LogLine, Run, RunFilter, RunPage, RunStep};
use simple_cicd_engine::{api, follow};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Starts a run (on `git_ref` instead of the template's source ref, when given); returns it at once.
#[tauri::command]
pub async fn run_start(
    state: State<'_, AppState>,
    template: String,
    params: BTreeMap<String, String>,
    git_ref: Option<String>,
    rerun_of: Option<i64>,
) -> CmdResult<Run> {
    let options = api::StartOptions { git_ref: git_ref.filter(|r| !r.is_empty()), rerun_of, ..Default::default() };
    Ok(api::run_start_with(&state.engine, &state.caller, &template, &params, &options).await?)
}

/// One run.
#[tauri::command]
pub async fn run_get(state: State<'_, AppState>, id: i64) -> CmdResult<Run> {
    Ok(api::run_get(&state.engine, id).await?)
}

/// A page of the history.
#[tauri::command]
pub async fn run_list(state: State<'_, AppState>, filter: RunFilter) -> CmdResult<RunPage> {
    Ok(api::run_list(&state.engine, &filter).await?)
}

/// Cancels a run.
#[tauri::command]
pub async fn run_cancel(state: State<'_, AppState>, id: i64) -> CmdResult<Run> {
    Ok(api::run_cancel(&state.engine, &state.caller, id).await?)
}

/// The steps of a pipeline run (one step for other runs), from the plan before they start.
#[tauri::command]
pub async fn run_steps(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<RunStep>> {
    Ok(api::run_steps(&state.engine, id).await?)
}

/// Approves or declines the approval step run `id` waits on, as the desktop's OS user.
#[tauri::command]
pub async fn run_answer(
    state: State<'_, AppState>,
    id: i64,
    approve: bool,
    comment: Option<String>,
    step: Option<String>,
) -> CmdResult<RunStep> {
    let answer = api::Answer { approve, comment, step: step.filter(|s| !s.is_empty()) };
    Ok(api::run_answer(&state.engine, &state.caller, id, answer).await?)
}

/// A new run of a failed pipeline run from one of its steps (default: the first that failed).
#[tauri::command]
pub async fn run_retry(state: State<'_, AppState>, id: i64, from: Option<String>) -> CmdResult<Run> {
    let from = from.filter(|s| !s.is_empty());
    Ok(api::run_retry(&state.engine, &state.caller, id, from.as_deref()).await?)
}

/// Log lines from `from_seq` on.
#[tauri::command]
pub async fn run_logs(state: State<'_, AppState>, id: i64, from_seq: i64, limit: u32) -> CmdResult<Vec<LogLine>> {
    Ok(api::run_logs(&state.engine, id, from_seq, limit as usize).await?)
}

/// Streams a run's lines from `from_seq`, its status changes and its end over `on_event`.
#[tauri::command]
pub async fn run_follow(
    state: State<'_, AppState>,
    id: i64,
    from_seq: i64,
    on_event: Channel<FollowEvent>,
) -> CmdResult<()> {
    api::run_get(&state.engine, id).await?;
    let engine = state.engine.clone();
    let task = tauri::async_runtime::spawn(async move {
        let result = follow(&engine, id, from_seq, |event| on_event.send(event).is_ok()).await;
        if let Err(e) = result {
            tracing::warn!(run_id = id, error = %e, "log follower stopped");
        }
    });
    let mut follows = state.follows.lock().expect("follows lock");
    let list = follows.entry(id).or_default();
    list.retain(|t| !t.inner().is_finished());
    list.push(task);
    Ok(())
}

/// Stops every live stream of a run.
#[tauri::command]
pub fn run_unfollow(state: State<'_, AppState>, id: i64) {
    if let Some(tasks) = state.follows.lock().expect("follows lock").remove(&id) {
        for t in tasks {
            t.abort();
        }
    }
}

/// Counts by status and recent runs.
#[tauri::command]
pub async fn dashboard_stats(state: State<'_, AppState>) -> CmdResult<DashboardStats> {
    Ok(api::dashboard_stats(&state.engine).await?)
}

/// Lines of a run's log that contain `query`.
#[tauri::command]
pub async fn run_log_search(
    state: State<'_, AppState>,
    id: i64,
    query: String,
    limit: Option<u32>,
) -> CmdResult<simple_cicd_engine::api::LogSearch> {
    Ok(api::run_log_search(&state.engine, id, &query, limit.unwrap_or(10_000) as usize).await?)
}

/// Saves a run's whole log into the Downloads folder; returns the file's path.
#[tauri::command]
pub async fn run_log_save(state: State<'_, AppState>, id: i64) -> CmdResult<String> {
    Ok(api::run_log_save(&state.engine, id, None).await?.display().to_string())
}
