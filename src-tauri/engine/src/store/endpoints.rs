//! The `docker_endpoints` table: names, URLs and kinds. Certificates and keys are in the keyring.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Endpoint, EndpointKind};

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Endpoint> {
    let kind: String = row.try_get("kind")?;
    Ok(Endpoint {
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        kind: EndpointKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("endpoint kind {kind}")))?,
        builtin: false,
        has_ssh_key: row.try_get("has_ssh_key")?,
        created_at: Some(rfc3339(row.try_get("created_at")?)),
    })
}

impl Store {
    /// Every stored endpoint, by name.
    pub async fn endpoint_all(&self) -> Result<Vec<Endpoint>> {
        let rows = sqlx::query("SELECT * FROM docker_endpoints ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter().map(decode).collect()
    }

    /// The stored endpoint with this name.
    pub async fn endpoint_get(&self, name: &str) -> Result<Option<Endpoint>> {
        let row =
            sqlx::query("SELECT * FROM docker_endpoints WHERE name = ?").bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Stores an endpoint; false when the name is taken.
    pub async fn endpoint_insert(&self, e: &Endpoint, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO docker_endpoints (name, url, kind, has_ssh_key, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&e.name)
        .bind(&e.url)
        .bind(e.kind.as_str())
        .bind(e.has_ssh_key)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes an endpoint; false when there was none.
    pub async fn endpoint_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM docker_endpoints WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() == 1)
    }
}
