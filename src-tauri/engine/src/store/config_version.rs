//! The `config_version` row: a number that every change to templates, secrets or settings bumps
//! (SQLite triggers, so changes by any process count). Readers that keep those in memory compare
//! it to decide when to reread; it says nothing about what changed.

use super::Store;
use crate::error::Result;

impl Store {
    /// The current configuration version.
    pub(crate) async fn config_version(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT n FROM config_version WHERE id = 1").fetch_one(self.pool()).await?;
        Ok(n)
    }
}
