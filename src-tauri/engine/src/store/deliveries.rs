//! The `deliveries` table: webhook deliveries and their outcome. An accepted delivery id is
//! unique per provider and template (a partial unique index), which is what makes replays safe
//! even when two copies arrive at the same moment. Deliveries are written by
//! [`super::DeliveryWriter`], in groups.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Delivery, DeliveryOutcome, Provider};

/// Deliveries kept per template; older ones are removed (but see [`REPLAY_WINDOW_MS`]).
const KEEP_PER_TEMPLATE: i64 = 1000;

/// How long an accepted delivery's id is remembered, however many deliveries came after it:
/// 30 days, longer than the forges offer to redeliver.
const REPLAY_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;

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
    /// The newest deliveries of a template, newest first.
    pub async fn delivery_list(&self, template: &str, limit: u32) -> Result<Vec<Delivery>> {
        let rows = sqlx::query("SELECT * FROM deliveries WHERE template_name = ? ORDER BY id DESC LIMIT ?")
            .bind(template)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(decode).collect()
    }
}

/// Removes a template's deliveries beyond the newest [`KEEP_PER_TEMPLATE`], except the claims of
/// accepted ones younger than [`REPLAY_WINDOW_MS`]: those are what answers a replay, and neither
/// a burst of genuine deliveries nor of refused ones may push them out early.
pub(super) async fn prune(conn: &mut sqlx::SqliteConnection, template: &str, now: i64) -> Result<()> {
    sqlx::query(
        "DELETE FROM deliveries WHERE template_name = ?1 AND id <= \
         (SELECT id FROM deliveries WHERE template_name = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2) \
         AND (accepted = 0 OR received_at < ?3)",
    )
    .bind(template)
    .bind(KEEP_PER_TEMPLATE)
    .bind(now - REPLAY_WINDOW_MS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
