//! The `docker_registries` table: names, hosts and user names. Passwords are in the keyring.

use sqlx::Row;

use super::Store;
use crate::error::Result;
use crate::model::{rfc3339, Registry};

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Registry> {
    Ok(Registry {
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        host: row.try_get("host")?,
        username: row.try_get("username")?,
        has_password: row.try_get("has_password")?,
        created_at: rfc3339(row.try_get("created_at")?),
    })
}

impl Store {
    /// Every registry, by name.
    pub async fn registry_all(&self) -> Result<Vec<Registry>> {
        let rows = sqlx::query("SELECT * FROM docker_registries ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter().map(decode).collect()
    }

    /// The registry with this name.
    pub async fn registry_get(&self, name: &str) -> Result<Option<Registry>> {
        let row = sqlx::query("SELECT * FROM docker_registries WHERE name = ?")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Stores a registry; false when the name is taken.
    pub async fn registry_insert(&self, r: &Registry, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO docker_registries (name, url, host, username, has_password, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(&r.name)
        .bind(&r.url)
        .bind(&r.host)
        .bind(&r.username)
        .bind(r.has_password)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes a registry; false when there was none.
    pub async fn registry_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM docker_registries WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() == 1)
    }
}
