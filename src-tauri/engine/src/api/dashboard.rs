//! The dashboard's figures.

use crate::error::Result;
use crate::model::{DashboardStats, RunFilter, RunStatus, StatusCount};
use crate::Engine;

/// Counts by status (every status, zeros included), the newest runs and the number of templates.
pub async fn dashboard_stats(engine: &Engine) -> Result<DashboardStats> {
    let counts = engine.store().run_counts().await?;
    let counts = RunStatus::ALL
        .into_iter()
        .map(|status| StatusCount { status, count: counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n) })
        .collect();
    let (recent, _) = engine.store().run_list(&RunFilter { limit: 10, ..RunFilter::default() }).await?;
    Ok(DashboardStats { counts, recent, template_count: engine.store().template_count().await? })
}
