//! Questions over the apps' revision history: what the watch saw of each app last (the tray),
//! the good revision to go back to after a failed launch, and what retention keeps (the last N deployed revisions of each app, and their runs)
//! or prunes (every revision older than those N).

use super::Store;
use crate::error::Result;
use crate::model::TrayApp;

/// The newest `?1` deployed revisions of each app (a literal, so that the queries stay literals).
macro_rules! kept {
    () => {
        "SELECT app_id, number, run_id FROM ( \
           SELECT app_id, number, run_id, ROW_NUMBER() OVER (PARTITION BY app_id ORDER BY number DESC) AS rank \
           FROM app_revisions WHERE status = 'deployed' \
         ) WHERE rank <= ?1"
    };
}

impl Store {
    /// Every app, by name, with what the watch saw of it last (`unchecked` before its first look).
    pub(crate) async fn app_watch_states(&self) -> Result<Vec<TrayApp>> {
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT name, target, watch_state FROM apps ORDER BY name COLLATE NOCASE, target")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(name, target, state)| TrayApp {
                handle: format!("{name}@{target}"),
                name,
                state: state.unwrap_or_else(|| "unchecked".to_string()),
            })
            .collect())
    }

    /// When run `run_id` recorded a failed revision of an app that has an earlier deployed one:
    /// the app (`NAME@ENDPOINT`) and the number of that last good revision.
    pub(crate) async fn app_last_good_before_failure(&self, run_id: i64) -> Result<Option<(String, u32)>> {
        let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT a.name, a.target, \
               (SELECT MAX(g.number) FROM app_revisions g \
                WHERE g.app_id = f.app_id AND g.status = 'deployed' AND g.number < f.number) \
             FROM app_revisions f JOIN apps a ON a.id = f.app_id \
             WHERE f.run_id = ? AND f.status = 'failed' ORDER BY f.step_idx LIMIT 1",
        )
        .bind(run_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(name, target, good)| Some((format!("{name}@{target}"), good? as u32))))
    }

    /// The runs that launched one of the newest `keep` deployed revisions of some app: retention
    /// leaves them (and their logs) alone.
    pub(crate) async fn app_kept_runs(&self, keep: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as(concat!("SELECT run_id FROM (", kept!(), ") WHERE run_id IS NOT NULL ORDER BY run_id"))
                .bind(keep)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Removes every revision older than the oldest of the newest `keep` deployed revisions of its
    /// app (an app with fewer deployed revisions loses none); returns how many went.
    pub(crate) async fn app_revisions_prune(&self, keep: i64) -> Result<i64> {
        let done = sqlx::query(concat!(
            "DELETE FROM app_revisions WHERE (app_id, number) IN ( \
               SELECT r.app_id, r.number FROM app_revisions r JOIN ( \
                 SELECT app_id, MIN(number) AS cut FROM (",
            kept!(),
            ") GROUP BY app_id HAVING COUNT(*) >= ?1 \
               ) c ON c.app_id = r.app_id WHERE r.number < c.cut)"
        ))
        .bind(keep)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() as i64)
    }
}
