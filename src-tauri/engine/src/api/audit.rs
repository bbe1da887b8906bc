//! The audit log: every change and action, by whom (the authenticated caller only), from where,
//! with its result. Values are never written: the detail names what changed, not to what.
//! The log keeps the newest `retention.maxAuditEntries` entries: every [`PRUNE_EVERY`]th entry
//! written removes those before them, so the table stays bounded whichever process writes (a
//! `scicd` command as well as the desktop app), at one extra statement per that many entries.

use std::future::Future;

use crate::auth::Caller;
use crate::error::Result;
use crate::model::{now_ms, AuditEntry, AuditFilter, Scope};
use crate::store::NewAudit;
use crate::{settings, Engine};

/// How many entries are written between two removals of the oldest.
const PRUNE_EVERY: i64 = 256;

/// Appends an entry for `action` on `resource`, with the outcome of `result`. A failure to write
/// the entry is logged, never turned into a failure of the action itself.
pub async fn record<T>(
    engine: &Engine,
    caller: &Caller,
    action: &str,
    resource: &str,
    result: &Result<T>,
    detail: Option<&str>,
) {
    let outcome = match result {
        Ok(_) => "ok".to_string(),
        Err(e) => e.code().as_str().to_string(),
    };
    let (actor, origin) = (caller.actor(), caller.origin());
    let entry = NewAudit { actor: &actor, action, resource, origin: &origin, result: &outcome, detail };
    match engine.store().audit_insert(entry, now_ms()).await {
        Ok(id) if id % PRUNE_EVERY == 0 => prune(engine, id).await,
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot write the audit entry {action} {resource}: {e}"),
    }
}

/// Keeps the newest `retention.maxAuditEntries` entries up to `newest` (0 keeps every entry).
async fn prune(engine: &Engine, newest: i64) {
    let keep = settings::int(engine, "retention.maxAuditEntries").await;
    if keep <= 0 {
        return;
    }
    match engine.store().audit_prune(newest, keep).await {
        Ok(0) => {}
        Ok(removed) => tracing::debug!(removed, "audit entries past retention.maxAuditEntries removed"),
        Err(e) => tracing::warn!("cannot remove the oldest audit entries: {e}; the next prune retries"),
    }
}

/// Checks that `caller` holds `scope`, runs `work`, and records the outcome (a refusal too) as
/// `action` on `resource`. Every entry point that changes something goes through here, so an
/// action is audited whichever door it came through: the desktop, the CLI, HTTP, the tray.
pub(crate) async fn audited<T>(
    engine: &Engine,
    caller: &Caller,
    scope: Scope,
    action: &str,
    resource: &str,
    detail: Option<&str>,
    work: impl Future<Output = Result<T>>,
) -> Result<T> {
    let result = match caller.require(scope) {
        Ok(()) => work.await,
        Err(e) => Err(e),
    };
    record(engine, caller, action, resource, &result, detail).await;
    result
}

/// The audit log, newest first.
pub async fn audit_list(engine: &Engine, caller: &Caller, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    caller.require(Scope::Read)?;
    engine.store().audit_list(filter).await
}
