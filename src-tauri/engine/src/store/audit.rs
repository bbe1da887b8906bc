//! The `audit` table: one row per change or action, never updated; the oldest are removed past
//! `retention.maxAuditEntries` (see [`Store::audit_prune`]).

use sqlx::Row;

use super::Store;
use crate::error::Result;
use crate::model::{rfc3339, AuditEntry, AuditFilter};

/// An entry to append.
pub(crate) struct NewAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub resource: &'a str,
    pub origin: &'a str,
    pub result: &'a str,
    pub detail: Option<&'a str>,
}

impl Store {
    /// Appends `e`; its id (ids only grow: the newest row is never removed).
    pub(crate) async fn audit_insert(&self, e: NewAudit<'_>, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO audit (at, actor, action, resource, origin, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?) \
             RETURNING id",
        )
        .bind(now)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.resource)
        .bind(e.origin)
        .bind(e.result)
        .bind(e.detail)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// Removes the entries older than the newest `keep` (ids up to `newest - keep`): one range of
    /// the primary key. Returns how many were removed.
    pub(crate) async fn audit_prune(&self, newest: i64, keep: i64) -> Result<u64> {
        let removed = sqlx::query("DELETE FROM audit WHERE id <= ?").bind(newest - keep).execute(self.pool()).await?;
        Ok(removed.rows_affected())
    }

    /// Entries matching `filter`, newest first.
    pub async fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let limit = filter.limit.unwrap_or(100).clamp(1, 1000);
        let prefix = filter.action.as_ref().map(|a| format!("{}%", a.replace(['%', '_'], "")));
        let rows = sqlx::query(
            "SELECT * FROM audit WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action LIKE ?) \
             AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
        )
        .bind(&filter.actor)
        .bind(&filter.actor)
        .bind(&prefix)
        .bind(&prefix)
        .bind(filter.before)
        .bind(filter.before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: rfc3339(r.try_get("at")?),
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    resource: r.try_get("resource")?,
                    origin: r.try_get("origin")?,
                    result: r.try_get("result")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
