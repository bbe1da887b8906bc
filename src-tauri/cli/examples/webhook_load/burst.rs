//! A burst of deliveries with replays and forgeries, and a `kill -9` of the server halfway:
//! shared by `scripts/bench-hooks.sh` (through the `webhook_load burst` example) and the CLI's
//! integration test, which asserts on the [`Report`].
//!
//! Of every ten deliveries seven carry a fresh id, one is a forgery (signed with another secret,
//! its own id), one replays an earlier id, and one more fresh one: 80% unique valid, 10% replays,
//! 10% forged. They go out over `concurrency` keep-alive connections. When `kill_after` answers
//! have come back the server gets SIGKILL; what was in flight has no answer. The server is then
//! started again on the same data directory and everything unanswered or unsent is sent (as a
//! forge redelivers). The database is then read directly (not through simple-cicd) to count runs
//! per delivery.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::conn::{push_body, Conn, Delivery};

/// What to send and to whom.
#[derive(Debug, Clone)]
pub struct Burst {
    /// The `scicd` binary.
    pub scicd: PathBuf,
    /// Its data directory (the template, its webhook trigger and secret set up already).
    pub data_dir: PathBuf,
    /// Environment for `scicd serve` beyond this process's (the secrets passphrase).
    pub envs: Vec<(String, String)>,
    /// The template, with a GitHub webhook trigger taking pushes to `main`.
    pub template: String,
    /// The trigger's secret.
    pub secret: String,
    /// A commit of the template's repository.
    pub sha: String,
    /// Deliveries in all.
    pub count: usize,
    /// Connections.
    pub concurrency: usize,
    /// Answers received before the server is killed.
    pub kill_after: usize,
}

/// What a delivery of the plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Valid,
    Replay,
    Forged,
}

/// What happened, and what the database holds afterwards.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sent: usize,
    pub unique_valid: usize,
    pub replays: usize,
    pub forged: usize,
    pub concurrency: usize,
    /// Answers before the kill.
    pub answered_before_kill: usize,
    /// Sent before the kill and never answered (sent again after the restart).
    pub unanswered_at_kill: usize,
    /// Answered 202 (a run queued), over both servers.
    pub accepted: usize,
    /// Replays answered 200 `duplicate`.
    pub replays_refused: usize,
    /// Forgeries answered 401.
    pub forged_refused: usize,
    /// Answers that were none of the expected ones, by status.
    pub unexpected: BTreeMap<u16, usize>,
    /// Runs of the template in the database.
    pub runs: usize,
    /// Unique valid delivery ids with no run.
    pub without_run: usize,
    /// Runs beyond one per unique valid delivery (any delivery id with two runs, or runs with no delivery).
    pub duplicates: usize,
    /// Deliveries answered 202 before the kill whose run is not in the database after it.
    pub lost_after_kill: usize,
    /// Rows of the deliveries table for forged ids (nothing may be written for them).
    pub forged_rows: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows = [
            (
                "sent",
                self.sent,
                format!(
                    "{} unique valid, {} replays, {} forged; {} connections",
                    self.unique_valid, self.replays, self.forged, self.concurrency
                ),
            ),
            ("answered before kill -9", self.answered_before_kill, "then SIGKILL, restart on the same data dir".into()),
            (
                "unanswered at kill -9",
                self.unanswered_at_kill,
                "in flight when killed; sent again after the restart".into(),
            ),
            ("202 (run queued)", self.accepted, "over both server processes".into()),
            ("replays refused", self.replays_refused, "200 duplicate".into()),
            ("forged refused", self.forged_refused, format!("401; rows written for them: {}", self.forged_rows)),
            ("runs", self.runs, format!("expected {} (one per unique valid delivery)", self.unique_valid)),
            ("valid without a run", self.without_run, String::new()),
            ("duplicate runs", self.duplicates, String::new()),
            ("lost after kill -9", self.lost_after_kill, "answered 202 before the kill, no run after it".into()),
        ];
        for (name, n, note) in rows {
            writeln!(f, "  {name:<26} {n:>7}  {note}")?;
        }
        if !self.unexpected.is_empty() {
            writeln!(f, "  {:<26} {:?}", "unexpected answers", self.unexpected)?;
        }
        Ok(())
    }
}

/// The plan: each delivery's kind and what it sends.
fn plan(b: &Burst) -> Vec<(Kind, Delivery)> {
    let body = push_body("refs/heads/main", &b.sha);
    let good = simple_cicd_engine::trigger::sign_hub(&b.secret, body.as_bytes());
    let forged = simple_cicd_engine::trigger::sign_hub("not the secret", body.as_bytes());
    let mut valid_ids: Vec<String> = Vec::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    (0..b.count)
        .map(|i| {
            let kind = match i % 10 {
                3 => Kind::Forged,
                7 if !valid_ids.is_empty() => Kind::Replay,
                _ => Kind::Valid,
            };
            let id = match kind {
                Kind::Valid => {
                    let id = format!("burst-{i}");
                    valid_ids.push(id.clone());
                    id
                }
                Kind::Replay => {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    valid_ids[(seed % valid_ids.len() as u64) as usize].clone()
                }
                Kind::Forged => format!("forged-{i}"),
            };
            let signature = if kind == Kind::Forged { forged.clone() } else { good.clone() };
            (kind, Delivery { id, body: body.clone(), signature })
        })
        .collect()
}

/// A running `scicd serve`.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    /// Starts `scicd serve` on a free loopback port and waits until it listens.
    pub async fn start(scicd: &Path, data_dir: &Path, envs: &[(String, String)]) -> Server {
        let mut child = Command::new(scicd)
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .env_remove("SIMPLE_CICD_DATA_DIR")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("scicd serve starts");
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let addr = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.expect("scicd serve's output") {
                if let Some(addr) = line.strip_prefix("listening ") {
                    return addr.to_string();
                }
            }
            panic!("scicd serve stopped before it listened");
        })
        .await
        .expect("scicd serve listens within 60 s");
        Server { child, addr }
    }

    /// SIGKILL, and waits for the process to be gone.
    pub async fn kill_9(mut self) {
        self.child.kill().await.expect("SIGKILL");
    }

    /// SIGTERM (runs of this process are cancelled), and waits for the exit.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), nix::sys::signal::Signal::SIGTERM);
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
        let _ = self.child.kill().await;
    }
}

/// One delivery's fate.
#[derive(Debug, Clone)]
enum Fate {
    Unsent,
    /// Sent, no answer (the server was killed).
    Unanswered,
    Answered {
        status: u16,
        outcome: String,
        run_id: Option<i64>,
        before_kill: bool,
    },
}

/// Sends `todo` (indexes into `plan`) over `b.concurrency` connections until all are answered
/// or the server is gone. With `kill`, the server gets SIGKILL once that many answers came,
/// while the connections keep sending. Returns the answers before the kill (all, without one).
async fn send(
    addr: &str,
    b: &Burst,
    plan: &Arc<Vec<(Kind, Delivery)>>,
    fates: &Arc<Mutex<Vec<Fate>>>,
    todo: Vec<usize>,
    kill: Option<(usize, Server)>,
) -> usize {
    let before_kill = kill.is_some();
    let todo = Arc::new(todo);
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..b.concurrency {
        let (addr, template) = (addr.to_string(), b.template.clone());
        let (plan, fates, todo, next, answered) =
            (plan.clone(), fates.clone(), todo.clone(), next.clone(), answered.clone());
        workers.push(tokio::spawn(async move {
            let Ok(mut conn) = Conn::open(&addr).await else { return };
            loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = todo.get(k) else { return };
                fates.lock().unwrap()[i] = Fate::Unanswered;
                let Ok(a) = conn.deliver(&template, &plan[i].1).await else {
                    // The server is gone: this one stays unanswered.
                    return;
                };
                let json: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or_default();
                fates.lock().unwrap()[i] = Fate::Answered {
                    status: a.status,
                    outcome: json["outcome"].as_str().unwrap_or("").to_string(),
                    run_id: json["runId"].as_i64(),
                    before_kill,
                };
                answered.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let mut at_kill = 0;
    if let Some((after, server)) = kill {
        while answered.load(Ordering::SeqCst) < after && workers.iter().any(|w| !w.is_finished()) {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        at_kill = answered.load(Ordering::SeqCst);
        server.kill_9().await;
    }
    for w in workers {
        let _ = w.await;
    }
    if before_kill {
        // Answers already on their way when the signal landed were given before it too.
        answered.load(Ordering::SeqCst).max(at_kill)
    } else {
        answered.load(Ordering::SeqCst)
    }
}

/// Runs the burst: starts the server, kills it with SIGKILL after `kill_after` answers, starts
/// it again, sends the rest, stops it, and reads the database.
pub async fn run(b: &Burst) -> Report {
    let plan = Arc::new(plan(b));
    let fates = Arc::new(Mutex::new(vec![Fate::Unsent; plan.len()]));
    let server = Server::start(&b.scicd, &b.data_dir, &b.envs).await;
    let addr = server.addr.clone();
    // The connections keep sending: the kill lands mid-burst, with deliveries in flight.
    let answered_before_kill =
        send(&addr, b, &plan, &fates, (0..plan.len()).collect(), Some((b.kill_after, server))).await;
    let (todo, unanswered_at_kill) = {
        let fates = fates.lock().unwrap();
        let todo: Vec<usize> = (0..plan.len()).filter(|&i| !matches!(fates[i], Fate::Answered { .. })).collect();
        let unanswered = fates.iter().filter(|f| matches!(f, Fate::Unanswered)).count();
        (todo, unanswered)
    };
    let server = Server::start(&b.scicd, &b.data_dir, &b.envs).await;
    send(&server.addr, b, &plan, &fates, todo, None).await;
    server.stop().await;
    let fates = fates.lock().unwrap().clone();
    let mut report = Report {
        sent: plan.len(),
        concurrency: b.concurrency,
        answered_before_kill,
        unanswered_at_kill,
        ..Report::default()
    };
    let unique: BTreeSet<&str> = plan.iter().filter(|(k, _)| *k == Kind::Valid).map(|(_, d)| d.id.as_str()).collect();
    report.unique_valid = unique.len();
    report.replays = plan.iter().filter(|(k, _)| *k == Kind::Replay).count();
    report.forged = plan.iter().filter(|(k, _)| *k == Kind::Forged).count();
    for ((kind, _), fate) in plan.iter().zip(&fates) {
        match (kind, fate) {
            (_, Fate::Answered { status: 202, .. }) => report.accepted += 1,
            (_, Fate::Answered { status: 200, outcome, .. }) if outcome == "duplicate" => report.replays_refused += 1,
            (Kind::Forged, Fate::Answered { status: 401, .. }) => report.forged_refused += 1,
            (_, Fate::Answered { status, .. }) => *report.unexpected.entry(*status).or_default() += 1,
            (_, _) => *report.unexpected.entry(0).or_default() += 1,
        }
    }
    // The database, read directly.
    let url = format!("sqlite://{}", b.data_dir.join("simple-cicd.db").display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.expect("the database opens");
    let runs: Vec<(i64,)> = sqlx::query_as("SELECT id FROM runs WHERE template_name = ?")
        .bind(&b.template)
        .fetch_all(&mut db)
        .await
        .unwrap();
    let claims: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT delivery_id, run_id FROM deliveries WHERE template_name = ? AND accepted = 1 AND delivery_id IS NOT NULL",
    )
    .bind(&b.template)
    .fetch_all(&mut db)
    .await
    .unwrap();
    let (forged_rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deliveries WHERE delivery_id LIKE 'forged-%'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    db.close().await.ok();
    let runs: BTreeSet<i64> = runs.into_iter().map(|(r,)| r).collect();
    let run_of: HashMap<&str, i64> = claims.iter().filter_map(|(d, r)| Some((d.as_str(), (*r)?))).collect();
    report.runs = runs.len();
    report.forged_rows = forged_rows as usize;
    report.without_run = unique.iter().filter(|id| !run_of.get(*id).is_some_and(|r| runs.contains(r))).count();
    // A duplicate: a run no delivery claims, or a delivery id answered 202 twice.
    let claimed_runs: BTreeSet<i64> = run_of.values().copied().collect();
    let mut accepted_ids: HashMap<&str, usize> = HashMap::new();
    for ((_, d), f) in plan.iter().zip(&fates) {
        if matches!(f, Fate::Answered { status: 202, .. }) {
            *accepted_ids.entry(d.id.as_str()).or_default() += 1;
        }
    }
    report.duplicates = runs.difference(&claimed_runs).count() + accepted_ids.values().map(|n| n - 1).sum::<usize>();
    report.lost_after_kill = plan
        .iter()
        .zip(&fates)
        .filter(|(_, f)| matches!(f, Fate::Answered { status: 202, before_kill: true, .. }))
        .filter(|((_, d), f)| {
            let Fate::Answered { run_id, .. } = f else { return true };
            run_id.is_none_or(|r| !runs.contains(&r)) || run_of.get(d.id.as_str()) != run_id.as_ref()
        })
        .count();
    report
}
