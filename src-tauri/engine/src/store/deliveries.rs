//! The `deliveries` table: webhook deliveries and their outcome. An accepted delivery id is
//! unique per provider and template (a partial unique index), which is what makes replays safe
//! even when two copies arrive at the same moment.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Delivery, DeliveryOutcome, Provider};

/// Deliveries kept per template; older ones are removed.
const KEEP_PER_TEMPLATE: i64 = 1000;

/// A delivery as it is first recorded.
#[derive(Debug, Clone, Default)]
pub struct NewDelivery {
    /// The template addressed.
    pub template: String,
    /// The provider in the URL.
    pub provider: String,
    /// The forge's delivery id.
    pub delivery_id: Option<String>,
    /// The event name.
    pub event: Option<String>,
    /// The pushed ref.
    pub git_ref: Option<String>,
    /// The pushed commit.
    pub sha: Option<String>,
}

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Delivery> {
    let provider: String = row.try_get("provider")?;
    let outcome: String = row.try_get("outcome")?;
    Ok(Delivery {
        id: row.try_get("id")?,
        template: row.try_get("template_name")?,
        provider: Provider::parse(&provider).ok_or_else(|| Error::Corrupt(format!("delivery provider {provider}")))?,
        delivery_id: row.try_get("delivery_id")?,
        event: row.try_get("event")?,
        git_ref: row.try_get("git_ref")?,
        sha: row.try_get("sha")?,
        outcome: DeliveryOutcome::parse(&outcome)
            .ok_or_else(|| Error::Corrupt(format!("delivery outcome {outcome}")))?,
        status: row.try_get::<i64, _>("status")? as u16,
        message: row.try_get("message")?,
        run_id: row.try_get("run_id")?,
        received_at: rfc3339(row.try_get("received_at")?),
    })
}

impl Store {
    /// Records a delivery whose signature was checked. `None` when the same delivery id was
    /// already accepted (a replay): nothing is recorded then.
    pub async fn delivery_accept(&self, d: &NewDelivery, now: i64) -> Result<Option<i64>> {
        let result = sqlx::query(
            "INSERT INTO deliveries (template_name, provider, delivery_id, event, git_ref, sha, outcome, status, message, accepted, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'ignored', 0, 'processing', 1, ?) RETURNING id",
        )
        .bind(&d.template)
        .bind(&d.provider)
        .bind(&d.delivery_id)
        .bind(&d.event)
        .bind(&d.git_ref)
        .bind(&d.sha)
        .bind(now)
        .fetch_one(self.pool())
        .await;
        match result {
            Ok(row) => {
                let id: i64 = row.try_get("id")?;
                if id % 100 == 0 {
                    self.delivery_prune(&d.template).await?;
                }
                Ok(Some(id))
            }
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Records a delivery that was not accepted (rejected, or a replay).
    pub async fn delivery_record(
        &self,
        d: &NewDelivery,
        outcome: DeliveryOutcome,
        status: u16,
        message: &str,
        run_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO deliveries (template_name, provider, delivery_id, event, git_ref, sha, outcome, status, message, run_id, accepted, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        )
        .bind(&d.template)
        .bind(&d.provider)
        .bind(&d.delivery_id)
        .bind(&d.event)
        .bind(&d.git_ref)
        .bind(&d.sha)
        .bind(outcome.as_str())
        .bind(i64::from(status))
        .bind(message)
        .bind(run_id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Sets the outcome of an accepted delivery.
    pub async fn delivery_finish(
        &self,
        id: i64,
        outcome: DeliveryOutcome,
        status: u16,
        message: &str,
        run_id: Option<i64>,
    ) -> Result<()> {
        sqlx::query("UPDATE deliveries SET outcome = ?, status = ?, message = ?, run_id = ? WHERE id = ?")
            .bind(outcome.as_str())
            .bind(i64::from(status))
            .bind(message)
            .bind(run_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The run started by the accepted delivery with this id, if any.
    pub async fn delivery_accepted_run(
        &self,
        provider: &str,
        template: &str,
        delivery_id: &str,
    ) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = sqlx::query_as(
            "SELECT run_id FROM deliveries WHERE provider = ? AND template_name = ? AND delivery_id = ? AND accepted = 1",
        )
        .bind(provider)
        .bind(template)
        .bind(delivery_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(r,)| r))
    }

    /// The newest deliveries of a template, newest first.
    pub async fn delivery_list(&self, template: &str, limit: u32) -> Result<Vec<Delivery>> {
        let rows = sqlx::query("SELECT * FROM deliveries WHERE template_name = ? ORDER BY id DESC LIMIT ?")
            .bind(template)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(decode).collect()
    }

    async fn delivery_prune(&self, template: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM deliveries WHERE template_name = ?1 AND id <= \
             (SELECT id FROM deliveries WHERE template_name = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
        )
        .bind(template)
        .bind(KEEP_PER_TEMPLATE)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
