//! Webhook deliveries written in groups: each delivery's claim of its id, its run and its steps
//! are one unit, and every delivery waiting at the same moment shares one write transaction and
//! one `fsync` (group commit).
//!
//! The connection is the writer's own, opened with `synchronous = FULL`: a commit returns only
//! once the WAL is on disk, so a delivery answered 202 after it survives a killed process and a
//! power cut alike. (The pool's connections keep `NORMAL`, which survives a killed process only.)
//! One delivery that cannot be written (its template deleted meanwhile) is rolled back to its
//! savepoint alone; the rest of the group is committed.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::sqlite::{SqliteConnectOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

use super::deliveries::{prune, NewDelivery};
use super::runs::{insert_run, NewRun};
use super::Store;
use crate::error::Result;
use crate::model::{DeliveryOutcome, TemplateSpec};

/// A run to queue with its delivery.
#[derive(Debug, Clone)]
pub(crate) struct BatchRun {
    /// The template's id.
    pub template_id: i64,
    /// The spec that will run (snapshot).
    pub spec: TemplateSpec,
    /// Resolved parameters.
    pub params: BTreeMap<String, String>,
    /// What started it.
    pub trigger: String,
    /// The engine instance that will execute it.
    pub owner: String,
    /// Cookie placed in the script's environment.
    pub run_key: String,
    /// The pushed ref.
    pub git_ref: Option<String>,
    /// The pushed commit.
    pub git_sha: Option<String>,
}

/// One delivery to write.
#[derive(Debug, Clone)]
pub(crate) struct BatchEntry {
    /// What the delivery said about itself.
    pub delivery: NewDelivery,
    /// A verified delivery claims its id (a second one with the same id is a duplicate);
    /// otherwise it is only recorded.
    pub claim: bool,
    /// The outcome recorded when the claim holds.
    pub outcome: DeliveryOutcome,
    /// The HTTP status answered then.
    pub status: u16,
    /// Why, in a sentence; with a run, what follows `started NAME #NUMBER`.
    pub message: String,
    /// The run to queue when the claim holds.
    pub run: Option<BatchRun>,
    /// When it arrived (unix ms).
    pub now: i64,
}

/// What became of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BatchOutcome {
    /// Written as asked; the queued run's id and number, if one was asked for.
    Written {
        /// `(id, number)` of the run.
        run: Option<(i64, i64)>,
    },
    /// The id was claimed before: recorded as a duplicate, no run queued.
    Duplicate {
        /// The run of the first delivery with this id.
        first_run: Option<i64>,
    },
    /// This entry could not be written; the others were.
    Failed(String),
}

/// The message recorded and answered for a replayed delivery.
pub(crate) const DUPLICATE_MESSAGE: &str = "this delivery was already received; no second run";

/// The group writer's connection (opened on first use, reopened after an error).
pub(crate) struct DeliveryWriter {
    options: SqliteConnectOptions,
    conn: Option<SqliteConnection>,
}

impl Store {
    /// A writer for groups of deliveries, on a connection of its own.
    pub(crate) fn delivery_writer(&self) -> DeliveryWriter {
        DeliveryWriter { options: self.options.clone().synchronous(SqliteSynchronous::Full), conn: None }
    }
}

impl DeliveryWriter {
    /// Writes `entries` in one transaction and returns once it is durable, one outcome per
    /// entry in order. An `Err` means nothing was written.
    pub(crate) async fn commit(&mut self, entries: &[BatchEntry]) -> Result<Vec<BatchOutcome>> {
        let result = self.try_commit(entries).await;
        if result.is_err() {
            // A connection in an unknown state is not reused.
            self.conn = None;
        }
        result
    }

    async fn try_commit(&mut self, entries: &[BatchEntry]) -> Result<Vec<BatchOutcome>> {
        if self.conn.is_none() {
            self.conn = Some(SqliteConnection::connect_with(&self.options).await?);
        }
        let conn = self.conn.as_mut().expect("opened above");
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        let mut outcomes = Vec::with_capacity(entries.len());
        let mut to_prune = BTreeSet::new();
        for entry in entries {
            sqlx::query("SAVEPOINT delivery").execute(&mut *tx).await?;
            match write_one(&mut tx, entry).await {
                Ok((outcome, id)) => {
                    sqlx::query("RELEASE delivery").execute(&mut *tx).await?;
                    if id % 100 == 0 {
                        to_prune.insert((entry.delivery.template.as_str(), entry.now));
                    }
                    outcomes.push(outcome);
                }
                Err(e) => {
                    sqlx::query("ROLLBACK TO delivery").execute(&mut *tx).await?;
                    sqlx::query("RELEASE delivery").execute(&mut *tx).await?;
                    outcomes.push(BatchOutcome::Failed(e.to_string()));
                }
            }
        }
        for (template, now) in to_prune {
            prune(&mut tx, template, now).await?;
        }
        tx.commit().await?;
        Ok(outcomes)
    }
}

/// Writes one entry; its outcome and the id of the row written.
async fn write_one(conn: &mut SqliteConnection, e: &BatchEntry) -> Result<(BatchOutcome, i64)> {
    let d = &e.delivery;
    if !e.claim {
        let id = insert_row(conn, d, e.outcome, e.status, &e.message, None, e.now).await?;
        return Ok((BatchOutcome::Written { run: None }, id));
    }
    let claimed: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO deliveries (template_name, provider, delivery_id, event, git_ref, sha, outcome, status, message, accepted, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(&d.template)
    .bind(&d.provider)
    .bind(&d.delivery_id)
    .bind(&d.event)
    .bind(&d.git_ref)
    .bind(&d.sha)
    .bind(e.outcome.as_str())
    .bind(i64::from(e.status))
    .bind(&e.message)
    .bind(e.now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id,)) = claimed else {
        let first: Option<(Option<i64>,)> = sqlx::query_as(
            "SELECT run_id FROM deliveries WHERE provider = ? AND template_name = ? AND delivery_id = ? AND accepted = 1",
        )
        .bind(&d.provider)
        .bind(&d.template)
        .bind(&d.delivery_id)
        .fetch_optional(&mut *conn)
        .await?;
        let first_run = first.and_then(|(r,)| r);
        let id = insert_row(conn, d, DeliveryOutcome::Duplicate, 200, DUPLICATE_MESSAGE, first_run, e.now).await?;
        return Ok((BatchOutcome::Duplicate { first_run }, id));
    };
    let Some(run) = &e.run else { return Ok((BatchOutcome::Written { run: None }, id)) };
    let new = NewRun {
        template_id: run.template_id,
        spec: &run.spec,
        params: &run.params,
        trigger: &run.trigger,
        owner: &run.owner,
        run_key: &run.run_key,
        now: e.now,
        git_ref: run.git_ref.as_deref(),
        git_sha: run.git_sha.as_deref(),
        retry: None,
    };
    let (run_id, number) = insert_run(conn, &new).await?;
    sqlx::query("UPDATE deliveries SET run_id = ?, message = ? WHERE id = ?")
        .bind(run_id)
        .bind(format!("started {} #{number}{}", run.spec.name, e.message))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok((BatchOutcome::Written { run: Some((run_id, number)) }, id))
}

/// Records a delivery that claims nothing (a duplicate, a refusal after the signature check).
async fn insert_row(
    conn: &mut SqliteConnection,
    d: &NewDelivery,
    outcome: DeliveryOutcome,
    status: u16,
    message: &str,
    run_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO deliveries (template_name, provider, delivery_id, event, git_ref, sha, outcome, status, message, run_id, accepted, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
    )
    .bind(&d.template)
    .bind(&d.provider)
    .bind(&d.delivery_id)
    .bind(&d.event)
    .bind(&d.git_ref)
    .bind(&d.sha)
    .bind(outcome.as_str())
    .bind(i64::from(status))
    .bind(message)
    .bind(run_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
