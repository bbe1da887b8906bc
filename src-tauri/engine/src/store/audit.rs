//! The `audit` table: one row per change or action, never updated.

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
    pub(crate) async fn audit_insert(&self, e: NewAudit<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit (at, actor, action, resource, origin, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(now)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.resource)
        .bind(e.origin)
        .bind(e.result)
        .bind(e.detail)
        .execute(self.pool())
        .await?;
        Ok(())
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
