//! The `api_tokens` table: named tokens with scopes and an expiry, stored by their SHA-256 only,
//! with the time of their last use.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, ApiToken, Role, Scope};

/// A token found by its hash, with its user.
pub(crate) struct TokenRecord {
    pub token: ApiToken,
    pub user_role: Role,
    /// Its user's grants.
    pub user_grants: Vec<String>,
    pub user_disabled: bool,
    /// Milliseconds since the epoch.
    pub expires_at: Option<i64>,
    pub revoked: bool,
    /// Milliseconds since the epoch.
    pub last_used_at: Option<i64>,
}

/// A token with its user's name, role and state, then `$tail` (a literal, so the SQL stays static).
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT t.*, u.name AS user_name, u.role AS user_role, u.disabled AS user_disabled, u.grants AS user_grants ",
            "FROM api_tokens t JOIN users u ON u.id = t.user_id ",
            $tail
        )
    };
}

fn scopes_of(text: &str) -> Result<Vec<Scope>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Scope::parse(s).ok_or_else(|| Error::Corrupt(format!("token scope {s}"))))
        .collect()
}

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<TokenRecord> {
    let expires_at: Option<i64> = row.try_get("expires_at")?;
    let revoked_at: Option<i64> = row.try_get("revoked_at")?;
    let last_used_at: Option<i64> = row.try_get("last_used_at")?;
    let role: String = row.try_get("user_role")?;
    Ok(TokenRecord {
        token: ApiToken {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            user: row.try_get("user_name")?,
            scopes: scopes_of(&row.try_get::<String, _>("scopes")?)?,
            created_at: rfc3339(row.try_get("created_at")?),
            expires_at: expires_at.map(rfc3339),
            last_used_at: last_used_at.map(rfc3339),
            revoked_at: revoked_at.map(rfc3339),
        },
        user_role: Role::parse(&role).ok_or_else(|| Error::Corrupt(format!("user role {role}")))?,
        user_disabled: row.try_get::<i64, _>("user_disabled")? != 0,
        user_grants: super::users::grants_of(&row.try_get::<String, _>("user_grants")?)?,
        expires_at,
        revoked: revoked_at.is_some(),
        last_used_at,
    })
}

impl Store {
    /// Stores a token; false when its user already has one by that name.
    pub(crate) async fn token_insert(
        &self,
        user_id: i64,
        name: &str,
        scopes: &[Scope],
        hash: &str,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<Option<i64>> {
        let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO api_tokens (name, user_id, scopes, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (user_id, name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(user_id)
        .bind(scopes.join(","))
        .bind(hash)
        .bind(now)
        .bind(expires_at)
        .fetch_optional(self.pool())
        .await?;
        Ok(id)
    }

    /// Every token (of one user, when given), newest first.
    pub async fn token_all(&self, user: Option<&str>) -> Result<Vec<ApiToken>> {
        let sql = select!("WHERE (? IS NULL OR u.name = ?) ORDER BY t.id DESC");
        let rows = sqlx::query(sql).bind(user).bind(user).fetch_all(self.pool()).await?;
        rows.iter().map(|r| decode(r).map(|t| t.token)).collect()
    }

    pub(crate) async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(select!("WHERE t.token_hash = ?")).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    pub(crate) async fn token_by_id(&self, id: i64) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(select!("WHERE t.id = ?")).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Records a use, at most once a minute per token (a busy script does not write every request:
    /// the caller skips this when the record it read was touched within the minute).
    pub(crate) async fn token_touch(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
        )
        .bind(now)
        .bind(id)
        .bind(now - 60_000)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Revokes a token; false when it was already revoked.
    pub(crate) async fn token_revoke(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
