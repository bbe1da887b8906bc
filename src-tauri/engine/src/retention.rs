//! Retention and disk use: finished runs beyond `retention.maxRunsPerTemplate` per template, or
//! older than `retention.maxAgeDays`, are removed with their logs and working directories, except
//! the runs that launched one of the last `apps.keepRevisions` successful revisions of an app;
//! revisions older than those are removed. (No image is ever removed here: a kept revision's
//! images stay where its launch left them, by digest.)
//! A run's end trims its own template to these limits at once ([`trim_after_run`]), so that a
//! busy template never holds more than its limit, and the database and logs stay bounded however
//! many runs come between two cleanups. Long-lived engines (the desktop app, `scicd serve`) also
//! clean up everything at start and every hour (age limits, apps); "clean up now" (Settings,
//! `scicd storage cleanup`) does it on demand.

use std::path::Path;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::audited;
use crate::auth::Caller;
use crate::error::Result;
use crate::model::now_ms;
use crate::model::Scope;
use crate::{settings, Engine};

/// How much disk simple-cicd uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StorageUsage {
    /// Bytes of stored log lines.
    #[ts(type = "number")]
    pub log_bytes: i64,
    /// Bytes in the runs' working directories.
    #[ts(type = "number")]
    pub workspace_bytes: i64,
    /// Bytes of the repositories' fetch caches (`<data>/git`); they leave with their repository.
    #[ts(type = "number")]
    pub git_cache_bytes: i64,
    /// Bytes of the database files (logs included).
    #[ts(type = "number")]
    pub database_bytes: i64,
    /// Runs in the history.
    #[ts(type = "number")]
    pub run_count: i64,
}

/// What a cleanup removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CleanupReport {
    /// Runs removed with their logs.
    #[ts(type = "number")]
    pub removed_runs: i64,
    /// Bytes of working directories removed.
    #[ts(type = "number")]
    pub freed_workspace_bytes: i64,
    /// App revisions removed (older than the last `apps.keepRevisions` successful ones).
    #[ts(type = "number")]
    pub removed_revisions: i64,
}

fn dir_size(path: &Path) -> i64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if !meta.is_dir() {
        return meta.len() as i64;
    }
    std::fs::read_dir(path).map_or(0, |entries| entries.flatten().map(|e| dir_size(&e.path())).sum())
}

/// Disk use of logs, workspaces, git caches and the database.
pub async fn storage_usage(engine: &Engine) -> Result<StorageUsage> {
    let (log_bytes, run_count) = engine.store().log_bytes_and_runs().await?;
    let root = engine.data_dir().to_path_buf();
    let (workspace_bytes, git_cache_bytes, database_bytes) = tokio::task::spawn_blocking(move || {
        let db: i64 = ["simple-cicd.db", "simple-cicd.db-wal", "simple-cicd.db-shm"]
            .iter()
            .map(|f| std::fs::metadata(root.join(f)).map_or(0, |m| m.len() as i64))
            .sum();
        (dir_size(&root.join("workspaces")), dir_size(&root.join("git")), db)
    })
    .await
    .unwrap_or((0, 0, 0));
    Ok(StorageUsage { log_bytes, workspace_bytes, git_cache_bytes, database_bytes, run_count })
}

/// Removes what the retention settings no longer keep, now. `template` limits it to one template.
pub async fn storage_cleanup(engine: &Engine, caller: &Caller, template: Option<&str>) -> Result<CleanupReport> {
    let resource = template.map_or_else(|| "storage".to_string(), |t| format!("storage of template {t}"));
    audited(engine, caller, Scope::Admin, "storage.cleanup", &resource, None, cleanup(engine, template)).await
}

async fn cleanup(engine: &Engine, template: Option<&str>) -> Result<CleanupReport> {
    let limits = RunLimits::read(engine).await;
    cleanup_with(engine, template, &limits, true).await
}

/// What `retention.*` keeps of finished runs.
struct RunLimits {
    /// Runs kept per template (`None`: no limit).
    keep: Option<i64>,
    /// Runs that finished before this time (ms) go (`None`: whatever their age).
    cutoff: Option<i64>,
}

impl RunLimits {
    async fn read(engine: &Engine) -> RunLimits {
        let keep = settings::int(engine, "retention.maxRunsPerTemplate").await;
        let days = settings::int(engine, "retention.maxAgeDays").await;
        RunLimits { keep: (keep > 0).then_some(keep), cutoff: (days > 0).then(|| now_ms() - days * 24 * 3600 * 1000) }
    }

    fn any(&self) -> bool {
        self.keep.is_some() || self.cutoff.is_some()
    }
}

/// Removes the runs `limits` no longer keep (of `template`, or of all), except those that
/// launched a kept app revision; with `apps`, also the app revisions past `apps.keepRevisions`.
/// Asks only what it needs: with no run past the limits and no apps to look at, one query.
async fn cleanup_with(
    engine: &Engine,
    template: Option<&str>,
    limits: &RunLimits,
    apps: bool,
) -> Result<CleanupReport> {
    let prunable = if limits.any() {
        engine.store().run_prunable(template, limits.keep, limits.cutoff).await?
    } else {
        Vec::new()
    };
    // Read only when runs may go (kept revisions hold their runs) or app revisions are pruned.
    let keep_revisions =
        if !prunable.is_empty() || apps { settings::int(engine, "apps.keepRevisions").await } else { 0 };
    let ids: Vec<i64> = if prunable.is_empty() {
        Vec::new()
    } else {
        let kept = engine.store().app_kept_runs(keep_revisions).await?;
        prunable.into_iter().filter(|id| kept.binary_search(id).is_err()).collect()
    };
    let mut freed = 0;
    for chunk in ids.chunks(200) {
        engine.store().run_delete(chunk).await?;
        for id in chunk {
            let ws = engine.data().workspace(*id);
            freed += dir_size(&ws);
            let _ = std::fs::remove_dir_all(&ws);
        }
    }
    let removed_revisions = if apps { engine.store().app_revisions_prune(keep_revisions).await? } else { 0 };
    Ok(CleanupReport { removed_runs: ids.len() as i64, freed_workspace_bytes: freed, removed_revisions })
}

/// Trims `template` to the retention limits after one of its runs ended; `deploys` when the run
/// may have added an app revision (then the app revisions past `apps.keepRevisions` go too). A
/// failure is logged and left to the next cleanup: retention never fails a run.
pub(crate) async fn trim_after_run(engine: &Engine, template: &str, deploys: bool) {
    let limits = RunLimits::read(engine).await;
    if !limits.any() && !deploys {
        return;
    }
    match cleanup_with(engine, Some(template), &limits, deploys).await {
        Ok(r) if r.removed_runs > 0 => tracing::debug!(template, removed = r.removed_runs, "retention trim"),
        Ok(_) => {}
        Err(e) => tracing::warn!(template, error = %e, "retention trim after a run failed; the next cleanup retries"),
    }
}

/// Cleans up at start and then every hour, for long-lived engines.
pub(crate) async fn clean_periodically(engine: std::sync::Weak<crate::EngineInner>) {
    loop {
        let Some(inner) = engine.upgrade() else { return };
        let engine = Engine { inner };
        match cleanup(&engine, None).await {
            Ok(r) if r.removed_runs > 0 => tracing::info!(removed = r.removed_runs, "retention cleanup"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention cleanup failed"),
        }
        drop(engine);
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}
