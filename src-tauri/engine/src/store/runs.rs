//! The `runs` table. Status changes are conditional updates, so two processes never both move
//! the same run.

use std::collections::BTreeMap;

use sqlx::Row;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{rfc3339, Run, RunFilter, RunStatus, TemplateBody, TemplateSpec};

/// What is stored when a run is created.
pub struct NewRun<'a> {
    /// The template's id.
    pub template_id: i64,
    /// The spec that will run (snapshot).
    pub spec: &'a TemplateSpec,
    /// Resolved parameters.
    pub params: &'a BTreeMap<String, String>,
    /// What started it.
    pub trigger: &'a str,
    /// The engine instance that will execute it.
    pub owner: &'a str,
    /// Cookie placed in the script's environment.
    pub run_key: &'a str,
    /// Creation time.
    pub now: i64,
    /// The ref asked for (`--ref`, a webhook's pushed ref).
    pub git_ref: Option<&'a str>,
    /// The commit a trigger pinned.
    pub git_sha: Option<&'a str>,
    /// A retry: the run it retries and the index of the step it starts from.
    pub retry: Option<(i64, u16)>,
}

/// A running run as crash recovery sees it.
#[derive(Debug, Clone)]
pub struct RunOrphan {
    /// Run id.
    pub id: i64,
    /// Owning engine instance.
    pub owner: Option<String>,
    /// Process group of the script.
    pub pgid: Option<i32>,
    /// Environment cookie.
    pub run_key: String,
    /// The Docker endpoints its steps created containers on.
    pub docker_endpoints: Vec<String>,
}

/// The columns a [`Run`] is decoded from (a macro, so queries stay `&'static str`).
macro_rules! columns {
    () => {
        "id, number, template_name, template_id, status, trigger, queued_at, started_at, \
         finished_at, exit_code, params, error, log_lines, workdir, email, git_ref, git_commit, retry_of, \
         json_extract(spec, '$.kind') = 'pipeline' AS is_pipeline, \
         (SELECT COUNT(*) FROM run_steps s WHERE s.run_id = runs.id) AS steps_total, \
         (SELECT COUNT(*) FROM run_steps s WHERE s.run_id = runs.id \
            AND s.status NOT IN ('queued', 'running', 'waiting')) AS steps_done, \
         (SELECT s.outputs FROM run_steps s WHERE s.run_id = runs.id AND s.idx = 0 \
            AND s.kind = 'docker-build') AS build_outputs"
    };
}

/// The filter of [`Store::run_list`].
macro_rules! list_filter {
    () => {
        "(?1 IS NULL OR template_name = ?1) AND (?2 IS NULL OR status = ?2)"
    };
}

/// A run's columns as stored (see [`columns!`]), from a row or from the JSON of a page.
#[derive(serde::Deserialize)]
struct RunRow {
    id: i64,
    number: i64,
    template_name: String,
    template_id: Option<i64>,
    status: String,
    trigger: String,
    queued_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    exit_code: Option<i32>,
    params: String,
    error: Option<String>,
    log_lines: i64,
    workdir: Option<String>,
    email: Option<String>,
    git_ref: Option<String>,
    git_commit: Option<String>,
    retry_of: Option<i64>,
    is_pipeline: Option<i64>,
    steps_total: i64,
    steps_done: i64,
    build_outputs: Option<String>,
}

/// Each column of [`columns!`] as a `json_object` member: a page of runs comes back as one JSON
/// text in one row, not as fifty rows of twenty-two values copied one by one.
macro_rules! json_columns {
    () => {
        "json_object('id', id, 'number', number, 'template_name', template_name, 'template_id', template_id, \
         'status', status, 'trigger', trigger, 'queued_at', queued_at, 'started_at', started_at, \
         'finished_at', finished_at, 'exit_code', exit_code, 'params', params, 'error', error, \
         'log_lines', log_lines, 'workdir', workdir, 'email', email, 'git_ref', git_ref, \
         'git_commit', git_commit, 'retry_of', retry_of, 'is_pipeline', is_pipeline, \
         'steps_total', steps_total, 'steps_done', steps_done, 'build_outputs', build_outputs)"
    };
}

impl RunRow {
    fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<RunRow> {
        Ok(RunRow {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            template_name: row.try_get("template_name")?,
            template_id: row.try_get("template_id")?,
            status: row.try_get("status")?,
            trigger: row.try_get("trigger")?,
            queued_at: row.try_get("queued_at")?,
            started_at: row.try_get("started_at")?,
            finished_at: row.try_get("finished_at")?,
            exit_code: row.try_get("exit_code")?,
            params: row.try_get("params")?,
            error: row.try_get("error")?,
            log_lines: row.try_get("log_lines")?,
            workdir: row.try_get("workdir")?,
            email: row.try_get("email")?,
            git_ref: row.try_get("git_ref")?,
            git_commit: row.try_get("git_commit")?,
            retry_of: row.try_get("retry_of")?,
            is_pipeline: row.try_get("is_pipeline")?,
            steps_total: row.try_get("steps_total")?,
            steps_done: row.try_get("steps_done")?,
            build_outputs: row.try_get("build_outputs")?,
        })
    }

    fn into_run(self) -> Result<Run> {
        let is_pipeline = self.is_pipeline.unwrap_or(0) != 0;
        // The image of a one-step build run: its step's outputs.
        let image: BTreeMap<String, String> = match &self.build_outputs {
            Some(json) if !is_pipeline => {
                serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("run step outputs: {e}")))?
            }
            _ => BTreeMap::new(),
        };
        let nonempty = |key: &str| image.get(key).filter(|v| !v.is_empty()).cloned();
        let status = self.status;
        Ok(Run {
            image_id: nonempty("imageId"),
            image_tags: image
                .get("tags")
                .map(|t| t.split(',').filter(|t| !t.is_empty()).map(String::from).collect())
                .unwrap_or_default(),
            image_digest: nonempty("digest"),
            id: self.id,
            number: self.number,
            template: self.template_name,
            template_id: self.template_id,
            status: RunStatus::parse(&status).ok_or_else(|| Error::Corrupt(format!("run status {status}")))?,
            trigger: self.trigger,
            queued_at: rfc3339(self.queued_at),
            started_at: self.started_at.map(rfc3339),
            finished_at: self.finished_at.map(rfc3339),
            exit_code: self.exit_code,
            params: serde_json::from_str(&self.params).map_err(|e| Error::Corrupt(format!("run params: {e}")))?,
            error: self.error,
            log_lines: self.log_lines,
            workdir: self.workdir,
            // A damaged status must not hide the run itself.
            email: self.email.and_then(|json| serde_json::from_str(&json).ok()),
            git_ref: self.git_ref,
            commit: self
                .git_commit
                .map(|c| serde_json::from_str(&c).map_err(|e| Error::Corrupt(format!("run commit: {e}"))))
                .transpose()?,
            retry_of: self.retry_of,
            steps_total: if is_pipeline { self.steps_total as u32 } else { 0 },
            steps_done: if is_pipeline { self.steps_done as u32 } else { 0 },
        })
    }
}

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Run> {
    RunRow::from_row(row)?.into_run()
}

/// Inserts a queued run and its steps on `conn` (inside the caller's transaction); returns
/// `(id, number)`. The number is the template's highest plus one, read from an index.
pub(crate) async fn insert_run(conn: &mut sqlx::SqliteConnection, new: &NewRun<'_>) -> Result<(i64, i64)> {
    let params = serde_json::to_string(new.params).expect("a map of strings always serialises");
    let spec = serde_json::to_string(new.spec).expect("a TemplateSpec always serialises");
    let (id, number): (i64, i64) = sqlx::query_as(
        "INSERT INTO runs (template_id, template_name, number, status, trigger, params, spec, queued_at, owner, run_key, policy, git_ref, git_sha, retry_of, retry_from) \
         VALUES (?1, ?2, (SELECT COALESCE(MAX(number), 0) + 1 FROM runs WHERE template_name = ?2), 'queued', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
         RETURNING id, number",
    )
    .bind(new.template_id)
    .bind(&new.spec.name)
    .bind(new.trigger)
    .bind(params)
    .bind(spec)
    .bind(new.now)
    .bind(new.owner)
    .bind(new.run_key)
    .bind(new.spec.concurrency.as_str())
    .bind(new.git_ref)
    .bind(new.git_sha)
    .bind(new.retry.map(|r| r.0))
    .bind(new.retry.map(|r| r.1 as i64))
    .fetch_one(&mut *conn)
    .await?;
    // A pipeline's steps; any other template is one step, named after it.
    let steps: Vec<(&str, &str)> = match &new.spec.body {
        TemplateBody::Pipeline(steps) => {
            steps.iter().map(|s| (s.name.as_str(), crate::template::pipeline::kind_name(s))).collect()
        }
        body => vec![(new.spec.name.as_str(), body.kind().as_str())],
    };
    for (i, (name, kind)) in steps.into_iter().enumerate() {
        sqlx::query("INSERT INTO run_steps (run_id, idx, name, kind, status) VALUES (?, ?, ?, ?, 'queued')")
            .bind(id)
            .bind(i as i64)
            .bind(name)
            .bind(kind)
            .execute(&mut *conn)
            .await?;
    }
    Ok((id, number))
}

impl Store {
    /// Creates a queued run, numbered after the template's last one, with its steps (`queued`)
    /// when it is a pipeline's.
    pub async fn run_insert(&self, new: NewRun<'_>) -> Result<Run> {
        let mut tx = self.pool().begin().await?;
        let (id, _) = insert_run(&mut tx, &new).await?;
        tx.commit().await?;
        self.run_get(id).await
    }

    /// One run.
    pub async fn run_get(&self, id: i64) -> Result<Run> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM runs WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| Error::NotFound { what: "run", name: id.to_string() })?;
        decode(&row)
    }

    /// The spec snapshot a run executes, and its run key (kept in memory once read: see
    /// `run_specs`).
    pub async fn run_spec(&self, id: i64) -> Result<(TemplateSpec, String)> {
        if let Some(kept) = self.run_specs.get(id) {
            return Ok((*kept).clone());
        }
        let (spec, key): (String, String) = sqlx::query_as("SELECT spec, run_key FROM runs WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| Error::NotFound { what: "run", name: id.to_string() })?;
        let spec = TemplateSpec::from_stored_json(&spec).map_err(|e| Error::Corrupt(format!("run spec: {e}")))?;
        let read = std::sync::Arc::new((spec, key));
        self.run_specs.keep(id, read.clone());
        Ok(std::sync::Arc::unwrap_or_clone(read))
    }

    /// The commit a trigger pinned for the run, if any.
    pub async fn run_git_sha(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT git_sha FROM runs WHERE id = ?").bind(id).fetch_optional(self.pool()).await?;
        Ok(row.and_then(|(s,)| s))
    }

    /// The run a retry retries and the index of the step it starts from.
    pub(crate) async fn run_retry_of(&self, id: i64) -> Result<Option<(i64, u16)>> {
        let row: Option<(Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT retry_of, retry_from FROM runs WHERE id = ?")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|(of, from)| Some((of?, from? as u16))))
    }

    /// Records the commit a run checked out.
    pub async fn run_set_commit(&self, id: i64, commit: &crate::model::RunCommit) -> Result<()> {
        let json = serde_json::to_string(commit).expect("a RunCommit always serialises");
        sqlx::query("UPDATE runs SET git_commit = ? WHERE id = ?").bind(json).bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// A page of runs, newest first.
    pub async fn run_list(&self, filter: &RunFilter) -> Result<(Vec<Run>, i64)> {
        let limit = if filter.limit == 0 { 50 } else { filter.limit.min(1000) };
        // Read before the page: the page kept under it is at least as new (see runs_cache).
        let version = self.runs_cache.version(&self.options).await?;
        if let Some(page) = self.runs_cache.get(version, filter, limit) {
            return Ok(page);
        }
        let page = self.run_list_read(filter, limit).await?;
        self.runs_cache.put(version, filter, limit, &page);
        Ok(page)
    }

    async fn run_list_read(&self, filter: &RunFilter, limit: u32) -> Result<(Vec<Run>, i64)> {
        let status = filter.status.map(RunStatus::as_str);
        // The page as one JSON array built by SQLite (see [`json_columns!`]), newest first.
        let (page,): (String,) = sqlx::query_as(concat!(
            "SELECT COALESCE(json_group_array(",
            json_columns!(),
            "), '[]') FROM (SELECT ",
            columns!(),
            " FROM runs WHERE ",
            list_filter!(),
            " ORDER BY id DESC LIMIT ?3 OFFSET ?4)"
        ))
        .bind(&filter.template)
        .bind(status)
        .bind(i64::from(limit))
        .bind(i64::from(filter.offset))
        .fetch_one(self.pool())
        .await?;
        let mut rows: Vec<RunRow> =
            serde_json::from_str(&page).map_err(|e| Error::Corrupt(format!("runs page: {e}")))?;
        // An aggregate's order is SQLite's to choose: the page's order is set here.
        rows.sort_unstable_by_key(|r| std::cmp::Reverse(r.id));
        // Counted on an index: the `?1 IS NULL OR …` form of the page's query cannot use one, and
        // a count over the rows themselves reads every run's spec (88 ms with 100,000 runs).
        let count = match (&filter.template, status) {
            (None, None) => sqlx::query_as("SELECT COUNT(*) FROM runs"),
            (Some(t), None) => sqlx::query_as("SELECT COUNT(*) FROM runs WHERE template_name = ?").bind(t),
            (None, Some(st)) => sqlx::query_as("SELECT COUNT(*) FROM runs WHERE status = ?").bind(st),
            (Some(t), Some(st)) => {
                sqlx::query_as("SELECT COUNT(*) FROM runs WHERE template_name = ? AND status = ?").bind(t).bind(st)
            }
        };
        let (total,): (i64,) = count.fetch_one(self.pool()).await?;
        let runs = rows.into_iter().map(RunRow::into_run).collect::<Result<_>>()?;
        Ok((runs, total))
    }

    /// The newest run of each template id.
    pub async fn run_latest_per_template(&self) -> Result<Vec<Run>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE template_id IS NOT NULL GROUP BY template_id)"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(decode).collect()
    }

    /// Counts by status.
    pub async fn run_counts(&self) -> Result<Vec<(RunStatus, i64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM runs GROUP BY status").fetch_all(self.pool()).await?;
        Ok(rows.into_iter().filter_map(|(s, n)| RunStatus::parse(&s).map(|s| (s, n))).collect())
    }

    /// Whether `owner` has queued runs (the scheduler's cheap idle check).
    pub async fn run_has_queued(&self, owner: &str) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM runs WHERE status = 'queued' AND owner = ?)")
            .bind(owner)
            .fetch_one(self.pool())
            .await?;
        Ok(n == 1)
    }

    /// Moves the queued runs of `owner` that may start now to `running`, in one write transaction,
    /// so that processes sharing the database never exceed `max_parallel` together. Runs start in
    /// queue order: an older run of a live owner keeps its slot for that owner; runs of dead owners
    /// are skipped; a `queue`-policy run waits while its template has a running run.
    pub async fn run_claim(
        &self,
        owner: &str,
        max_parallel: i64,
        mut is_alive: impl FnMut(&str) -> bool,
        workspace_of: impl Fn(i64) -> String,
        now: i64,
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let (running,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM runs WHERE status IN ('running', 'waiting')")
            .fetch_one(&mut *tx)
            .await?;
        let mut free = max_parallel - running;
        let mut claimed = Vec::new();
        if free > 0 {
            let busy: Vec<(String,)> =
                sqlx::query_as("SELECT DISTINCT template_name FROM runs WHERE status IN ('running', 'waiting')")
                    .fetch_all(&mut *tx)
                    .await?;
            let mut busy: std::collections::HashSet<String> = busy.into_iter().map(|(t,)| t).collect();
            let queued: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
                "SELECT id, owner, template_name, policy FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1000",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut alive = std::collections::HashMap::new();
            for (id, run_owner, template, policy) in queued {
                if free <= 0 {
                    break;
                }
                if policy == "queue" && busy.contains(&template) {
                    continue;
                }
                let mine = run_owner.as_deref() == Some(owner);
                let live = mine
                    || run_owner.as_deref().is_some_and(|o| *alive.entry(o.to_string()).or_insert_with(|| is_alive(o)));
                if !live {
                    continue;
                }
                if mine {
                    sqlx::query("UPDATE runs SET status = 'running', started_at = ?, workdir = ? WHERE id = ? AND status = 'queued'")
                        .bind(now)
                        .bind(workspace_of(id))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    claimed.push(id);
                }
                free -= 1;
                busy.insert(template);
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Cancels a run that is still queued. False when it is no longer queued.
    pub async fn run_cancel_queued(&self, id: i64, now: i64) -> Result<bool> {
        let done =
            sqlx::query("UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'")
                .bind(now)
                .bind(id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hands the queued runs of a dead owner to `owner`.
    pub async fn run_adopt_queued(&self, dead_owner: Option<&str>, owner: &str) -> Result<u64> {
        let done = sqlx::query("UPDATE runs SET owner = ? WHERE status = 'queued' AND owner IS ?")
            .bind(owner)
            .bind(dead_owner)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Unfinished runs of a template other than `except`, oldest first.
    pub async fn run_unfinished_of_template(&self, template: &str, except: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM runs WHERE template_name = ? AND id <> ? AND status IN ('queued', 'running', 'waiting') ORDER BY id",
        )
        .bind(template)
        .bind(except)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Records the script's process group.
    pub async fn run_set_pgid(&self, id: i64, pgid: i32) -> Result<()> {
        sqlx::query("UPDATE runs SET pgid = ? WHERE id = ?").bind(pgid).bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// Ends a run that has not ended yet, and the steps it left unfinished (a step that was
    /// executing ends like the run, one that had not started is skipped). False when the run had
    /// already ended.
    pub async fn run_finish(
        &self,
        id: i64,
        status: RunStatus,
        exit_code: Option<i32>,
        error: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE runs SET status = ?, exit_code = ?, error = ?, finished_at = ? \
             WHERE id = ? AND status IN ('queued', 'running', 'waiting')",
        )
        .bind(status.as_str())
        .bind(exit_code)
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let cut = match status {
            RunStatus::Succeeded | RunStatus::Failed | RunStatus::Queued | RunStatus::Running | RunStatus::Waiting => {
                "failed"
            }
            other => other.as_str(),
        };
        sqlx::query(
            "UPDATE run_steps SET status = CASE status WHEN 'queued' THEN 'skipped' ELSE ? END, ended_at = ? \
             WHERE run_id = ? AND status IN ('queued', 'running', 'waiting')",
        )
        .bind(cut)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Asks the owning process to cancel. False when the run had already ended.
    pub async fn run_request_cancel(&self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE runs SET cancel_requested = 1 WHERE id = ? AND status IN ('queued', 'running', 'waiting')",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The runs of `owner` whose cancel was requested by another process.
    pub async fn run_cancel_requests(&self, owner: &str) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM runs WHERE owner = ? AND cancel_requested = 1 AND status IN ('queued', 'running', 'waiting')",
        )
        .bind(owner)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Running runs owned by other instances (candidates for crash recovery).
    pub async fn run_running_not_owned_by(&self, owner: &str) -> Result<Vec<RunOrphan>> {
        let rows = sqlx::query(
            "SELECT id, owner, pgid, run_key, \
             (SELECT json_group_array(DISTINCT s.endpoint) FROM run_steps s WHERE s.run_id = runs.id AND s.endpoint IS NOT NULL) AS endpoints \
             FROM runs WHERE status IN ('running', 'waiting') AND (owner IS NULL OR owner <> ?)",
        )
        .bind(owner)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RunOrphan {
                    id: r.try_get("id")?,
                    owner: r.try_get("owner")?,
                    pgid: r.try_get("pgid")?,
                    run_key: r.try_get("run_key")?,
                    docker_endpoints: serde_json::from_str(&r.try_get::<String, _>("endpoints")?)
                        .map_err(|e| Error::Corrupt(format!("run step endpoints: {e}")))?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The distinct owners of queued runs other than `owner` (candidates for adoption).
    pub async fn run_queued_owners_other_than(&self, owner: &str) -> Result<Vec<Option<String>>> {
        let rows: Vec<(Option<String>,)> =
            sqlx::query_as("SELECT DISTINCT owner FROM runs WHERE status = 'queued' AND (owner IS NULL OR owner <> ?)")
                .bind(owner)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(o,)| o).collect())
    }
}

impl Store {
    /// Finished runs the retention rules no longer keep: beyond the newest `keep` of their
    /// template, or finished before `cutoff` (unix ms).
    pub async fn run_prunable(
        &self,
        template: Option<&str>,
        keep: Option<i64>,
        cutoff: Option<i64>,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM ( \
               SELECT id, finished_at, ROW_NUMBER() OVER (PARTITION BY template_name ORDER BY id DESC) AS rank \
               FROM runs WHERE status NOT IN ('queued', 'running', 'waiting') AND (?1 IS NULL OR template_name = ?1) \
             ) WHERE (?2 IS NOT NULL AND rank > ?2) OR (?3 IS NOT NULL AND finished_at < ?3) ORDER BY id",
        )
        .bind(template)
        .bind(keep)
        .bind(cutoff)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Deletes finished runs and their logs, in one transaction.
    pub async fn run_delete(&self, ids: &[i64]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for id in ids {
            sqlx::query("DELETE FROM runs WHERE id = ? AND status NOT IN ('queued', 'running', 'waiting')")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.run_specs.forget(ids);
        Ok(())
    }

    /// Bytes of stored log data, and the number of runs.
    pub async fn log_bytes_and_runs(&self) -> Result<(i64, i64)> {
        let (bytes,): (Option<i64>,) =
            sqlx::query_as("SELECT SUM(LENGTH(data)) FROM log_chunks").fetch_one(self.pool()).await?;
        let (runs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM runs").fetch_one(self.pool()).await?;
        Ok((bytes.unwrap_or(0), runs))
    }
}
