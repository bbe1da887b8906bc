//! The `secrets` table: names and dates only.

use super::Store;
use crate::error::Result;
use crate::model::rfc3339;
use crate::secrets::SecretInfo;

impl Store {
    /// Records that a secret was stored now.
    pub async fn secret_touch(&self, name: &str, backend: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO secrets (name, backend, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET backend = excluded.backend, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(backend)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets a secret's name.
    pub async fn secret_forget(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM secrets WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(())
    }

    /// Every secret's name, backend and date, by name.
    pub async fn secret_all(&self) -> Result<Vec<SecretInfo>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT name, backend, updated_at FROM secrets ORDER BY name")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(name, backend, at)| SecretInfo { name, backend, updated_at: rfc3339(at) }).collect())
    }

    /// The namespace of this data directory's keyring entries, created on first use.
    pub async fn secret_namespace(&self) -> Result<String> {
        let fresh = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('internal.secretNamespace', ?) ON CONFLICT (key) DO NOTHING",
        )
        .bind(serde_json::Value::String(fresh).to_string())
        .execute(self.pool())
        .await?;
        let (value,): (String,) = sqlx::query_as("SELECT value FROM settings WHERE key = 'internal.secretNamespace'")
            .fetch_one(self.pool())
            .await?;
        Ok(serde_json::from_str::<String>(&value).unwrap_or(value))
    }
}
