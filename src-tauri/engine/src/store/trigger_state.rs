//! The `trigger_state` table: what polling last saw and when cron last fired. Every change is a
//! compare-and-set, so when two processes watch the same template only one of them fires.

use super::Store;
use crate::error::Result;

impl Store {
    /// The stored value of a trigger's key.
    pub async fn trigger_state_get(&self, template_id: i64, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM trigger_state WHERE template_id = ? AND key = ?")
                .bind(template_id)
                .bind(key)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(v,)| v))
    }

    /// Sets the key to `new` if it still holds `old` (`None`: if it is unset). True when this
    /// call made the change.
    pub async fn trigger_state_swap(&self, template_id: i64, key: &str, old: Option<&str>, new: &str) -> Result<bool> {
        let done = match old {
            None => {
                sqlx::query(
                    "INSERT INTO trigger_state (template_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                )
                .bind(template_id)
                .bind(key)
                .bind(new)
                .execute(self.pool())
                .await?
            }
            Some(old) => {
                sqlx::query("UPDATE trigger_state SET value = ? WHERE template_id = ? AND key = ? AND value = ?")
                    .bind(new)
                    .bind(template_id)
                    .bind(key)
                    .bind(old)
                    .execute(self.pool())
                    .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    /// Forgets a key (a branch that was deleted).
    pub async fn trigger_state_delete(&self, template_id: i64, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM trigger_state WHERE template_id = ? AND key = ?")
            .bind(template_id)
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Every key of a template starting with `prefix`.
    pub async fn trigger_state_keys(&self, template_id: i64, prefix: &str) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM trigger_state WHERE template_id = ? AND substr(key, 1, ?) = ?")
                .bind(template_id)
                .bind(prefix.len() as i64)
                .bind(prefix)
                .fetch_all(self.pool())
                .await?;
        Ok(rows)
    }
}
