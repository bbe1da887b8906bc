//! The `users` table: names, roles, Argon2id password hashes, the disabled flag and the
//! wrong-password counter with its lock.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Role, User, UserChange};

/// A user with what only the sign-in check needs.
pub(crate) struct UserRecord {
    pub user: User,
    pub password_hash: String,
    pub failed_attempts: i64,
    /// Milliseconds since the epoch.
    pub locked_until: Option<i64>,
}

/// A user's grants as stored: a JSON array of template name patterns.
pub(crate) fn grants_of(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("user grants {text}: {e}")))
}

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<UserRecord> {
    let role: String = row.try_get("role")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    Ok(UserRecord {
        user: User {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            role: Role::parse(&role).ok_or_else(|| Error::Corrupt(format!("user role {role}")))?,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            grants: grants_of(&row.try_get::<String, _>("grants")?)?,
            locked_until: locked_until.filter(|t| *t > crate::model::now_ms()).map(rfc3339),
            created_at: rfc3339(row.try_get("created_at")?),
        },
        password_hash: row.try_get("password_hash")?,
        failed_attempts: row.try_get("failed_attempts")?,
        locked_until,
    })
}

impl Store {
    /// Every user, by name.
    pub async fn user_all(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter().map(|r| decode(r).map(|u| u.user)).collect()
    }

    /// How many users there are.
    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(self.pool()).await?)
    }

    pub(crate) async fn user_record(&self, name: &str) -> Result<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE name = ?").bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    pub(crate) async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = ?").bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| decode(r).map(|u| u.user)).transpose()
    }

    /// Adds a user; false when the name is taken (names are compared without case).
    pub(crate) async fn user_insert(&self, name: &str, role: Role, hash: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a user's password (and lifts a lock); false when there is no such user.
    pub(crate) async fn user_set_password(&self, name: &str, hash: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE name = ?",
        )
        .bind(hash)
        .bind(now)
        .bind(name)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a user's role, disabled flag or grants; false when there is no such user.
    pub(crate) async fn user_update(&self, name: &str, change: &UserChange, now: i64) -> Result<bool> {
        let grants = change.grants.as_ref().map(|g| serde_json::json!(g).to_string());
        let done = sqlx::query(
            "UPDATE users SET role = COALESCE(?, role), disabled = COALESCE(?, disabled), \
             grants = COALESCE(?, grants), updated_at = ? WHERE name = ?",
        )
        .bind(change.role.map(Role::as_str))
        .bind(change.disabled.map(i64::from))
        .bind(grants)
        .bind(now)
        .bind(name)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes a user with its sessions and tokens; false when there was none.
    pub(crate) async fn user_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM users WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts a wrong password; locks the account until `lock_until` when given. Returns the
    /// count.
    pub(crate) async fn user_failed_sign_in(&self, id: i64, lock_until: Option<i64>) -> Result<i64> {
        let n: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_attempts = failed_attempts + 1, locked_until = COALESCE(?, locked_until) \
             WHERE id = ? RETURNING failed_attempts",
        )
        .bind(lock_until)
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// A good password: the counter and the lock are cleared.
    pub(crate) async fn user_signed_in(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
