//! The `run_steps` table: each step of a run (a pipeline's steps, or the one step of any other
//! template's run), its status, times, outputs and the Docker endpoint it used.

use std::collections::BTreeMap;

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, StepStatus};

/// A stored step's state; its name, kind and graph come from the run's plan.
#[derive(Debug, Clone)]
pub(crate) struct StoredStep {
    pub index: u16,
    pub status: StepStatus,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub exit_code: Option<i32>,
    pub outputs: BTreeMap<String, String>,
    pub error: Option<String>,
}

impl StoredStep {
    /// RFC 3339 of the start.
    pub fn started(&self) -> Option<String> {
        self.started_at.map(rfc3339)
    }

    /// RFC 3339 of the end.
    pub fn ended(&self) -> Option<String> {
        self.ended_at.map(rfc3339)
    }
}

impl Store {
    /// Records the Docker endpoint on which a step creates containers, before it creates any
    /// (crash recovery removes them there).
    pub(crate) async fn run_step_set_endpoint(&self, run_id: i64, index: u16, endpoint: &str) -> Result<()> {
        sqlx::query("UPDATE run_steps SET endpoint = ? WHERE run_id = ? AND idx = ?")
            .bind(endpoint)
            .bind(run_id)
            .bind(index as i64)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Makes the run `waiting` while one of its steps waits for an answer, `running` again when
    /// none does (a run that has ended is left alone).
    pub(crate) async fn run_sync_waiting(&self, run_id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE runs SET status = CASE WHEN EXISTS \
               (SELECT 1 FROM run_steps s WHERE s.run_id = ?1 AND s.status = 'waiting') THEN 'waiting' ELSE 'running' END \
             WHERE id = ?1 AND status IN ('running', 'waiting')",
        )
        .bind(run_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Pipeline runs with an approval step waiting, newest first.
    pub(crate) async fn run_waiting_for_approval(&self, limit: u32) -> Result<Vec<crate::model::Run>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT run_id FROM run_steps WHERE status = 'waiting' ORDER BY run_id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut runs = Vec::with_capacity(ids.len());
        for (id,) in ids {
            runs.push(self.run_get(id).await?);
        }
        Ok(runs)
    }

    /// Marks a step started (running, or waiting for an approval).
    pub(crate) async fn run_step_start(&self, run_id: i64, index: u16, status: StepStatus, now: i64) -> Result<()> {
        sqlx::query("UPDATE run_steps SET status = ?, started_at = ? WHERE run_id = ? AND idx = ?")
            .bind(status.as_str())
            .bind(now)
            .bind(run_id)
            .bind(index as i64)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends a step with its outcome and outputs.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn run_step_end(
        &self,
        run_id: i64,
        index: u16,
        status: StepStatus,
        exit_code: Option<i32>,
        outputs: &BTreeMap<String, String>,
        error: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let outputs = serde_json::to_string(outputs).expect("a map of strings always serialises");
        sqlx::query(
            "UPDATE run_steps SET status = ?, exit_code = ?, outputs = ?, error = ?, ended_at = ?, \
             started_at = COALESCE(started_at, ?) WHERE run_id = ? AND idx = ?",
        )
        .bind(status.as_str())
        .bind(exit_code)
        .bind(outputs)
        .bind(error)
        .bind(now)
        .bind(now)
        .bind(run_id)
        .bind(index as i64)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The steps of a run, in plan order (none for a one-step template's run).
    pub(crate) async fn run_steps(&self, run_id: i64) -> Result<Vec<StoredStep>> {
        let rows = sqlx::query(
            "SELECT idx, status, started_at, ended_at, exit_code, outputs, error \
             FROM run_steps WHERE run_id = ? ORDER BY idx",
        )
        .bind(run_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                let outputs: String = row.try_get("outputs")?;
                Ok(StoredStep {
                    index: row.try_get::<i64, _>("idx")? as u16,
                    status: StepStatus::parse(&status)
                        .ok_or_else(|| Error::Corrupt(format!("step status {status}")))?,
                    started_at: row.try_get("started_at")?,
                    ended_at: row.try_get("ended_at")?,
                    exit_code: row.try_get("exit_code")?,
                    outputs: serde_json::from_str(&outputs)
                        .map_err(|_| Error::Corrupt(format!("outputs of step {status}")))?,
                    error: row.try_get("error")?,
                })
            })
            .collect()
    }
}

/// The answer given to an approval step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub approved: bool,
    pub by: String,
    pub comment: String,
}

impl Store {
    /// Records the answer to the run's waiting approval step `index`. False when that step is not
    /// waiting or already has an answer (nothing changes then).
    pub(crate) async fn run_step_decide(&self, run_id: i64, index: u16, decision: &Decision, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE run_steps SET decision = ?, decided_by = ?, comment = ?, decided_at = ? \
             WHERE run_id = ? AND idx = ? AND status = 'waiting' AND decision IS NULL",
        )
        .bind(if decision.approved { "approved" } else { "declined" })
        .bind(&decision.by)
        .bind(&decision.comment)
        .bind(now)
        .bind(run_id)
        .bind(index as i64)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The answer to approval step `index`, once there is one.
    pub(crate) async fn run_step_decision(&self, run_id: i64, index: u16) -> Result<Option<Decision>> {
        let row: Option<(Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT decision, decided_by, comment FROM run_steps WHERE run_id = ? AND idx = ?")
                .bind(run_id)
                .bind(index as i64)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|(d, by, comment)| {
            d.map(|d| Decision {
                approved: d == "approved",
                by: by.unwrap_or_default(),
                comment: comment.unwrap_or_default(),
            })
        }))
    }

    /// Who answered step `index` and how, for a refusal that says so.
    pub(crate) async fn run_step_answer(&self, run_id: i64, index: u16) -> Result<Option<(Decision, StepStatus)>> {
        let status: Option<(String,)> = sqlx::query_as("SELECT status FROM run_steps WHERE run_id = ? AND idx = ?")
            .bind(run_id)
            .bind(index as i64)
            .fetch_optional(self.pool())
            .await?;
        let Some((status,)) = status else { return Ok(None) };
        let status = StepStatus::parse(&status).ok_or_else(|| Error::Corrupt(format!("step status {status}")))?;
        Ok(self.run_step_decision(run_id, index).await?.map(|d| (d, status)))
    }
}
