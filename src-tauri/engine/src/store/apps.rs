//! The `apps` and `app_revisions` tables: each deployment target and its launches.

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, App, AppRevision, RunCommit, ServiceState};

/// A launch to record.
pub(crate) struct NewRevision<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub target: &'a str,
    pub template: &'a str,
    pub run_id: i64,
    pub step: u16,
    pub trigger: &'a str,
    pub commit: Option<&'a RunCommit>,
    pub config: &'a str,
    pub services: &'a [ServiceState],
    pub deployed: bool,
    pub error: Option<&'a str>,
    /// A Helm app's release revision after the launch.
    pub helm_revision: Option<u32>,
    pub now: i64,
}

fn decode_revision(row: &sqlx::sqlite::SqliteRow) -> Result<AppRevision> {
    let services: String = row.try_get("services")?;
    Ok(AppRevision {
        number: row.try_get::<i64, _>("number")? as u32,
        run_id: row.try_get("run_id")?,
        run_number: row.try_get("run_number")?,
        trigger: row.try_get("trigger")?,
        commit: row.try_get::<Option<String>, _>("git_commit")?.and_then(|c| serde_json::from_str(&c).ok()),
        config: row.try_get("config")?,
        services: serde_json::from_str(&services).map_err(|e| Error::Corrupt(format!("app revision services: {e}")))?,
        status: row.try_get("status")?,
        error: row.try_get("error")?,
        helm_revision: row.try_get::<Option<i64>, _>("helm_revision")?.map(|r| r as u32),
        created_at: rfc3339(row.try_get("created_at")?),
    })
}

/// Each app with the columns of its newest revision (NULL when it has none); a literal, so that
/// the queries built on it stay literals.
macro_rules! app_with_newest_revision {
    () => {
        "SELECT a.id AS app_id, a.kind, a.name, a.target, a.template_name, r.number, r.run_id, r.trigger, \
           r.git_commit, r.config, r.services, r.status, r.error, r.created_at, r.helm_revision, \
           (SELECT number FROM runs WHERE runs.id = r.run_id) AS run_number \
         FROM apps a LEFT JOIN app_revisions r ON r.app_id = a.id \
           AND r.number = (SELECT MAX(x.number) FROM app_revisions x WHERE x.app_id = a.id)"
    };
}

fn decode_app(row: &sqlx::sqlite::SqliteRow) -> Result<App> {
    let has_revision = row.try_get::<Option<i64>, _>("number")?.is_some();
    Ok(App {
        id: row.try_get("app_id")?,
        kind: row.try_get("kind")?,
        name: row.try_get("name")?,
        target: row.try_get("target")?,
        template: row.try_get("template_name")?,
        current: if has_revision { Some(decode_revision(row)?) } else { None },
    })
}

/// Creates the app, or points it at `template`; returns its id.
async fn upsert_app(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    kind: &str,
    name: &str,
    target: &str,
    template: &str,
    now: i64,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO apps (kind, name, target, template_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (kind, target, name) DO UPDATE SET template_name = ?4",
    )
    .bind(kind)
    .bind(name)
    .bind(target)
    .bind(template)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let (app_id,): (i64,) = sqlx::query_as("SELECT id FROM apps WHERE kind = ? AND target = ? AND name = ?")
        .bind(kind)
        .bind(target)
        .bind(name)
        .fetch_one(&mut **tx)
        .await?;
    Ok(app_id)
}

impl Store {
    /// Makes sure the app exists (no revision yet on its first launch), so that a launch that
    /// never finishes (its process killed) still leaves an app to look at and take down.
    pub(crate) async fn app_ensure(
        &self,
        kind: &str,
        name: &str,
        target: &str,
        template: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        upsert_app(&mut tx, kind, name, target, template, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a launch as the app's next revision (creating the app on its first launch);
    /// returns the revision's number.
    pub(crate) async fn app_revision_insert(&self, new: NewRevision<'_>) -> Result<u32> {
        let mut tx = self.pool().begin().await?;
        let app_id = upsert_app(&mut tx, new.kind, new.name, new.target, new.template, new.now).await?;
        let services = serde_json::to_string(new.services).expect("services always serialise");
        let commit = new.commit.map(|c| serde_json::to_string(c).expect("a commit always serialises"));
        let (number,): (i64,) = sqlx::query_as(
            "INSERT INTO app_revisions (app_id, number, run_id, step_idx, trigger, git_commit, config, services, status, error, created_at, helm_revision) \
             VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM app_revisions WHERE app_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
             RETURNING number",
        )
        .bind(app_id)
        .bind(new.run_id)
        .bind(new.step as i64)
        .bind(new.trigger)
        .bind(commit)
        .bind(new.config)
        .bind(services)
        .bind(if new.deployed { "deployed" } else { "failed" })
        .bind(new.error)
        .bind(new.now)
        .bind(new.helm_revision.map(i64::from))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(number as u32)
    }

    /// Every app, with its newest revision, by name (one query, whatever the number of apps).
    pub async fn app_all(&self) -> Result<Vec<App>> {
        let rows = sqlx::query(concat!(app_with_newest_revision!(), " ORDER BY a.name COLLATE NOCASE, a.target"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(decode_app).collect()
    }

    /// The apps called `name` (one per endpoint running a project of that name), as [`Store::app_all`].
    pub async fn app_named(&self, name: &str) -> Result<Vec<App>> {
        let rows = sqlx::query(concat!(app_with_newest_revision!(), " WHERE a.name = ? ORDER BY a.target"))
            .bind(name)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(decode_app).collect()
    }

    /// Records what the watch saw of app `id`; returns what it saw the time before.
    pub(crate) async fn app_swap_watch_state(&self, id: i64, state: &str) -> Result<Option<String>> {
        let mut tx = self.pool().begin().await?;
        let (before,): (Option<String>,) =
            sqlx::query_as("SELECT watch_state FROM apps WHERE id = ?").bind(id).fetch_one(&mut *tx).await?;
        sqlx::query("UPDATE apps SET watch_state = ? WHERE id = ?").bind(state).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(before)
    }

    /// The newest `limit` revisions of app `id`, newest first.
    pub async fn app_revisions(&self, id: i64, limit: u32) -> Result<Vec<AppRevision>> {
        let rows = sqlx::query(
            "SELECT r.*, (SELECT number FROM runs WHERE runs.id = r.run_id) AS run_number \
             FROM app_revisions r WHERE r.app_id = ? ORDER BY r.number DESC LIMIT ?",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(decode_revision).collect()
    }
}
