//! The `settings` table.

use super::Store;
use crate::error::{Error, Result};

impl Store {
    /// A stored setting, if set.
    pub async fn setting_get(&self, key: &str) -> Result<Option<serde_json::Value>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(self.pool()).await?;
        row.map(|(v,)| serde_json::from_str(&v).map_err(|e| Error::Corrupt(format!("setting {key}: {e}")))).transpose()
    }

    /// Stores a setting.
    pub async fn setting_put(&self, key: &str, value: &serde_json::Value) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value.to_string())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes a setting.
    pub async fn setting_delete(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM settings WHERE key = ?").bind(key).execute(self.pool()).await?;
        Ok(())
    }
}
