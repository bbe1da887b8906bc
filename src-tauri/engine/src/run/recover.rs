//! Crash recovery: runs left `running` by an engine that died are closed as
//! `interrupted`, and whatever their scripts left running is stopped. Runs of live engines
//! (another desktop window, a `scicd` in a terminal) are left alone.

use std::time::Duration;

use crate::error::Result;
use crate::exec::kill_run_processes;
use crate::log::LogWriter;
use crate::model::{now_ms, RunStatus};
use crate::Engine;

const REASON: &str =
    "the simple-cicd process that ran it stopped unexpectedly (killed, crashed or the machine went down)";

/// Closes the orphaned running runs and returns their ids. When `adopt` is set, this engine also
/// takes over the queued runs of dead owners, so they start here.
pub(crate) async fn recover_orphans(engine: &Engine, adopt: bool) -> Result<Vec<i64>> {
    if adopt {
        for owner in engine.store().run_queued_owners_other_than(engine.instance_id()).await? {
            if owner.as_deref().is_some_and(|o| super::is_alive(engine.data(), o)) {
                continue;
            }
            let n = engine.store().run_adopt_queued(owner.as_deref(), engine.instance_id()).await?;
            tracing::info!(adopted = n, "took over queued runs of a process that stopped");
        }
    }
    let mut recovered = Vec::new();
    for orphan in engine.store().run_running_not_owned_by(engine.instance_id()).await? {
        if orphan.owner.as_deref().is_some_and(|o| super::is_alive(engine.data(), o)) {
            continue;
        }
        let killed = kill_run_processes(orphan.pgid, orphan.run_key.clone(), Duration::from_secs(2), None).await;
        let mut containers = String::new();
        for endpoint in &orphan.docker_endpoints {
            containers.push_str(&remove_containers(engine, endpoint, &orphan.run_key).await);
        }
        let run = engine.store().run_get(orphan.id).await?;
        // What happened, then what to do: the run's log and outputs stay; a new run starts afresh.
        let message = format!("{REASON}: start it again with Re-run (scicd run {})", run.template);
        if !engine.store().run_finish(orphan.id, RunStatus::Interrupted, None, Some(&message), now_ms()).await? {
            continue;
        }
        let log = LogWriter::start(
            engine.store().clone(),
            orphan.id,
            run.log_lines,
            engine.signal(),
            crate::log::mask::Masker::none(),
        );
        log.system(format!("Interrupted: {REASON}; {killed} leftover process(es) stopped{containers}")).await;
        log.close().await;
        tracing::warn!(run_id = orphan.id, killed, "recovered an interrupted run");
        crate::notify::run_ended(engine, orphan.id);
        engine.emit_run(orphan.id).await;
        recovered.push(orphan.id);
    }
    Ok(recovered)
}

/// Removes the containers a dead run left on `endpoint`; says what happened, for the run's log.
async fn remove_containers(engine: &Engine, endpoint: &str, run_key: &str) -> String {
    let conn = match crate::docker::connect(engine, endpoint).await {
        Ok(c) => c,
        Err(e) => return format!("; its containers on endpoint {endpoint} could not be removed: {e}"),
    };
    match crate::docker::remove_run_containers(&conn.docker, run_key).await {
        Ok(n) => format!("; {n} leftover container(s) removed from endpoint {endpoint}"),
        Err(e) => format!("; its containers on endpoint {endpoint} could not be removed: {}", conn.error(&e)),
    }
}
