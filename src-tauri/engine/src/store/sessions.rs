//! The `sessions` table: every refresh token issued, by its hash, grouped in families (one
//! sign-in and the refreshes after it). A token is used once; a used one presented again means
//! it was stolen, and the whole family is revoked.

use sqlx::Row;

use super::Store;
use crate::error::Result;

/// A refresh token as stored.
pub(crate) struct RefreshRecord {
    pub user_id: i64,
    pub family: String,
    pub used: bool,
    pub revoked: bool,
    /// Milliseconds since the epoch.
    pub expires_at: i64,
}

impl Store {
    pub(crate) async fn session_insert(
        &self,
        user_id: i64,
        family: &str,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (user_id, family, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user_id)
        .bind(family)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Marks the refresh token used and returns what it was: the update only takes a token not
    /// used yet, so two refreshes racing with the same token cannot both get it unused.
    pub(crate) async fn session_use(&self, token_hash: &str) -> Result<Option<RefreshRecord>> {
        let fresh = sqlx::query(
            "UPDATE sessions SET used = 1 WHERE token_hash = ? AND used = 0 \
             RETURNING user_id, family, revoked, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        let (row, used) = match fresh {
            Some(row) => (row, false),
            None => {
                let row = sqlx::query("SELECT user_id, family, revoked, expires_at FROM sessions WHERE token_hash = ?")
                    .bind(token_hash)
                    .fetch_optional(self.pool())
                    .await?;
                match row {
                    Some(row) => (row, true),
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(RefreshRecord {
            user_id: row.try_get("user_id")?,
            family: row.try_get("family")?,
            used,
            revoked: row.try_get::<i64, _>("revoked")? != 0,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    /// Revokes every token of a family (sign-out, or reuse detected).
    pub(crate) async fn session_revoke_family(&self, family: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET revoked = 1 WHERE family = ?").bind(family).execute(self.pool()).await?;
        Ok(())
    }

    /// Whether a family is still signed in (has a token not revoked).
    pub(crate) async fn session_family_live(&self, family: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE family = ? AND revoked = 0")
            .bind(family)
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// Revokes every session of a user (password changed, user disabled).
    pub(crate) async fn session_revoke_user(&self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET revoked = 1 WHERE user_id = ?").bind(user_id).execute(self.pool()).await?;
        Ok(())
    }
}
