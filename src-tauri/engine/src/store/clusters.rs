//! The `clusters` table: names, where their kubeconfig comes from, default namespaces. A kept
//! kubeconfig is in the keyring, never here.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Cluster, ClusterSource};

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Cluster> {
    let source: String = row.try_get("source")?;
    Ok(Cluster {
        name: row.try_get("name")?,
        source: ClusterSource::parse(&source).ok_or_else(|| Error::Corrupt(format!("cluster source {source}")))?,
        context: row.try_get("context")?,
        namespace: row.try_get("namespace")?,
        created_at: Some(rfc3339(row.try_get("created_at")?)),
    })
}

impl Store {
    /// Every stored cluster, by name.
    pub async fn cluster_all(&self) -> Result<Vec<Cluster>> {
        let rows = sqlx::query("SELECT * FROM clusters ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter().map(decode).collect()
    }

    /// The stored cluster with this name.
    pub async fn cluster_get(&self, name: &str) -> Result<Option<Cluster>> {
        let row = sqlx::query("SELECT * FROM clusters WHERE name = ?").bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(decode).transpose()
    }

    /// Stores a cluster; false when the name is taken.
    pub async fn cluster_insert(&self, c: &Cluster, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO clusters (name, source, context, namespace, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&c.name)
        .bind(c.source.as_str())
        .bind(&c.context)
        .bind(&c.namespace)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes a cluster; false when there was none.
    pub async fn cluster_delete(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM clusters WHERE name = ?").bind(name).execute(self.pool()).await?;
        Ok(done.rows_affected() == 1)
    }
}
