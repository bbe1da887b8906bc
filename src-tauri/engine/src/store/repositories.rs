//! The `repositories` table.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Provider, RepoAuth, Repository};

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Repository> {
    let provider: String = row.try_get("provider")?;
    let auth: String = row.try_get("auth")?;
    Ok(Repository {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        url: row.try_get("url")?,
        provider: Provider::parse(&provider)
            .ok_or_else(|| Error::Corrupt(format!("repository provider {provider}")))?,
        auth: RepoAuth::parse(&auth).ok_or_else(|| Error::Corrupt(format!("repository auth {auth}")))?,
        username: row.try_get("username")?,
        host_key: row.try_get("host_key")?,
        created_at: rfc3339(row.try_get("created_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
    })
}

/// What is stored for a repository.
pub struct NewRepository<'a> {
    /// Name.
    pub name: &'a str,
    /// URL.
    pub url: &'a str,
    /// Forge.
    pub provider: Provider,
    /// Credentials kind.
    pub auth: RepoAuth,
    /// User name.
    pub username: Option<&'a str>,
}

impl Store {
    /// Every repository, by name.
    pub async fn repo_all(&self) -> Result<Vec<Repository>> {
        let rows =
            sqlx::query("SELECT * FROM repositories ORDER BY name COLLATE NOCASE").fetch_all(self.pool()).await?;
        rows.iter().map(decode).collect()
    }

    /// The repository with this name, if any.
    pub async fn repo_by_name(&self, name: &str) -> Result<Option<Repository>> {
        let row =
            sqlx::query("SELECT * FROM repositories WHERE name = ?").bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Creates a repository, or replaces the one with the same name (`replace`). A replaced
    /// repository forgets its pinned host key when its URL changed.
    pub async fn repo_upsert(&self, new: NewRepository<'_>, replace: bool, now: i64) -> Result<Repository> {
        let sql = if replace {
            "INSERT INTO repositories (name, url, provider, auth, username, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (name) DO UPDATE SET \
             host_key = CASE WHEN url = excluded.url THEN host_key ELSE NULL END, \
             url = excluded.url, provider = excluded.provider, auth = excluded.auth, \
             username = excluded.username, updated_at = excluded.updated_at RETURNING *"
        } else {
            "INSERT INTO repositories (name, url, provider, auth, username, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING *"
        };
        let row = sqlx::query(sql)
            .bind(new.name)
            .bind(new.url)
            .bind(new.provider.as_str())
            .bind(new.auth.as_str())
            .bind(new.username)
            .bind(now)
            .fetch_one(self.pool())
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_unique_violation() => {
                    Error::NameTaken { what: "repository", name: new.name.to_string() }
                }
                _ => Error::Database(e),
            })?;
        decode(&row)
    }

    /// Records the SSH host key seen on first contact.
    pub async fn repo_set_host_key(&self, id: i64, fingerprint: &str) -> Result<()> {
        sqlx::query("UPDATE repositories SET host_key = ? WHERE id = ? AND host_key IS NULL")
            .bind(fingerprint)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes a repository. False when there was none.
    pub async fn repo_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM repositories WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() > 0)
    }
}
