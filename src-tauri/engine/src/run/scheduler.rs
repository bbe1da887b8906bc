//! The queue: starts this process's queued runs when the global limit (`runs.maxParallel`,
//! counted across every process sharing the database) leaves a slot. Woken at once by local
//! events (a run created or ended) and every [`TICK`] for slots freed by other processes.

use std::sync::Weak;
use std::time::Duration;

use crate::model::now_ms;
use crate::{settings, Engine, EngineInner as Inner};

const TICK: Duration = Duration::from_millis(250);

/// Runs until the engine is dropped. An engine that adopts no queued runs of dead processes
/// (`first_look` false) owns no queued run when it opens: it waits for its first wake.
pub(crate) async fn schedule(inner: Weak<Inner>, first_look: bool) {
    let mut look = first_look;
    loop {
        let Some(strong) = inner.upgrade() else { return };
        let engine = Engine { inner: strong };
        if look {
            if let Err(e) = claim_and_start(&engine).await {
                tracing::warn!(error = %e, "the queue could not start runs; retrying");
            }
        }
        look = true;
        let wake = engine.inner.wake.clone();
        drop(engine);
        let _ = tokio::time::timeout(TICK, wake.notified()).await;
    }
}

async fn claim_and_start(engine: &Engine) -> crate::Result<()> {
    let store = engine.store();
    if !store.run_has_queued(engine.instance_id()).await? {
        return Ok(());
    }
    let max = settings::int(engine, "runs.maxParallel").await.max(1);
    let data = engine.data().clone();
    let claimed = store
        .run_claim(
            engine.instance_id(),
            max,
            |owner| super::is_alive(&data, owner),
            |id| data.workspace(id).to_string_lossy().into_owned(),
            now_ms(),
        )
        .await?;
    for id in claimed {
        engine.activate(id);
        tokio::spawn(super::execute(engine.clone(), id));
    }
    Ok(())
}
