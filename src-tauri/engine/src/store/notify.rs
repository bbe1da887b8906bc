//! What notifications and the tray need from the database: pinned templates, the e-mail status
//! of runs, the previous outcome of a template.

use super::Store;
use crate::error::{Error, Result};
use crate::model::{EmailDelivery, RunStatus, Template};

impl Store {
    /// Pins or unpins a template. False when there is no template by that name.
    pub async fn template_set_pinned(&self, name: &str, pinned: bool) -> Result<bool> {
        let done = sqlx::query("UPDATE templates SET pinned = ? WHERE name = ?")
            .bind(pinned)
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The pinned templates, by name.
    pub async fn template_pinned(&self) -> Result<Vec<Template>> {
        Ok(self.template_all().await?.into_iter().filter(|t| t.pinned).collect())
    }

    /// Records the e-mail status of a run.
    pub async fn run_set_email(&self, id: i64, email: &EmailDelivery) -> Result<()> {
        let json = serde_json::to_string(email).expect("an EmailDelivery always serialises");
        sqlx::query("UPDATE runs SET email = ? WHERE id = ?").bind(json).bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// The status of the newest finished, not cancelled, run of `template` older than run `before`
    /// (what "the outcome changed" compares with).
    pub async fn run_previous_final_status(&self, template: &str, before: i64) -> Result<Option<RunStatus>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM runs WHERE template_name = ? AND id < ? AND status NOT IN ('queued', 'running', 'waiting', 'cancelled') \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(template)
        .bind(before)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(s,)| RunStatus::parse(&s).ok_or_else(|| Error::Corrupt(format!("run status {s}")))).transpose()
    }

    /// How many runs are queued or running, in every process.
    pub async fn run_active_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running', 'waiting')")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// The status of the newest finished run.
    pub async fn run_last_final_status(&self) -> Result<Option<RunStatus>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM runs WHERE status NOT IN ('queued', 'running', 'waiting') ORDER BY finished_at DESC, id DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(s,)| RunStatus::parse(&s)))
    }
}
