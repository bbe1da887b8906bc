//! Run entry points.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{now_ms, LogLine, Run, RunFilter, RunPage};
use crate::store::NewRun;
use crate::template::resolve_params;
use crate::Engine;

/// Validates the parameters and stores a queued run owned by this process, without starting it.
/// The caller must then [`run_execute`] it (the CLI's detached worker does exactly that).
pub async fn run_create(
    engine: &Engine,
    template: &str,
    params: &BTreeMap<String, String>,
    trigger: &str,
) -> Result<Run> {
    let tpl = super::template_get(engine, template).await?;
    let resolved = resolve_params(&tpl.spec.params, params)?;
    let run_key = uuid::Uuid::new_v4().simple().to_string();
    let run = engine
        .store()
        .run_insert(NewRun {
            template_id: tpl.id,
            spec: &tpl.spec,
            params: &resolved,
            trigger,
            owner: engine.instance_id(),
            run_key: &run_key,
            now: now_ms(),
        })
        .await?;
    engine.activate(run.id);
    engine.emit_run(run.id).await;
    Ok(run)
}

/// Executes a run created by [`run_create`] in this process, until it ends.
pub async fn run_execute(engine: &Engine, run_id: i64) -> Result<Run> {
    crate::run::execute(engine.clone(), run_id).await;
    engine.store().run_get(run_id).await
}

/// Starts a run in the background and returns it at once (status `queued` or `running`).
pub async fn run_start(
    engine: &Engine,
    template: &str,
    params: &BTreeMap<String, String>,
    trigger: &str,
) -> Result<Run> {
    let run = run_create(engine, template, params, trigger).await?;
    tokio::spawn(crate::run::execute(engine.clone(), run.id));
    Ok(run)
}

/// One run.
pub async fn run_get(engine: &Engine, id: i64) -> Result<Run> {
    engine.store().run_get(id).await
}

/// A page of the history, newest first.
pub async fn run_list(engine: &Engine, filter: &RunFilter) -> Result<RunPage> {
    let (runs, total) = engine.store().run_list(filter).await?;
    Ok(RunPage { runs, total })
}

/// Up to `limit` log lines from `from_seq` on.
pub async fn run_logs(
    engine: &Engine,
    id: i64,
    from_seq: i64,
    limit: usize,
) -> Result<Vec<LogLine>> {
    engine.store().run_get(id).await?;
    engine.store().log_read(id, from_seq, limit).await
}

/// Cancels a run, whichever process executes it. The run ends `cancelled` shortly after; the
/// returned run may still show it running.
pub async fn run_cancel(engine: &Engine, id: i64) -> Result<Run> {
    let run = engine.store().run_get(id).await?;
    if run.status.is_final() {
        return Err(Error::AlreadyEnded {
            id,
            status: run.status,
        });
    }
    if !engine.stop_local(id) {
        if !engine.store().run_request_cancel(id).await? {
            let run = engine.store().run_get(id).await?;
            return Err(Error::AlreadyEnded {
                id,
                status: run.status,
            });
        }
        // If its owner is dead, nobody will act on the request: recover it now.
        crate::run::recover_orphans(engine).await?;
    }
    engine.store().run_get(id).await
}
