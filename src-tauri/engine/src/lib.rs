//! simple-cicd's engine: templates, runs, their logs and history, with no UI and no transport.
//!
//! The desktop app, the `scicd` CLI and the HTTP server all drive it through [`api`]; it talks
//! back only through the [`EventSink`] trait. Everything is stored in one SQLite file in the data
//! directory, so every process that opens the same directory sees the same templates and runs.
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod deploy;
pub mod docker;
mod error;
pub mod events;
mod exec;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod kube;
mod log;
pub mod model;
pub mod notify;
pub mod paths;
pub mod plan;
pub mod retention;
mod run;
pub mod secrets;
pub mod settings;
mod store;
pub mod template;
pub mod trigger;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{watch, Notify};

pub use error::{Error, GitFailure, Result};
pub use events::{EventSink, NoEvents};
pub use exec::{StepOutcome, StopReason};
pub use log::{follow, follow_each, follow_paced, Followed};
pub use paths::{DataDir, DATA_DIR_ENV};
pub use run::DEFAULT_CANCEL_GRACE;
pub use store::Store;

/// Bumped whenever this engine stores log lines or changes a run; live followers wait on it (and
/// poll the database for runs of other processes).
pub(crate) type Signal = Arc<watch::Sender<u64>>;

/// How to open an engine.
pub struct EngineOptions {
    /// The data directory; `None` chooses `$SIMPLE_CICD_DATA_DIR` or the OS data dir.
    pub data_dir: Option<PathBuf>,
    /// Where lifecycle events go.
    pub events: Arc<dyn EventSink>,
    /// Time between SIGTERM and SIGKILL on cancel and timeout; `None` uses the
    /// `runs.cancelGraceSeconds` setting.
    pub cancel_grace: Option<Duration>,
    /// Take over (and start) queued runs whose process has died. Long-lived hosts (the desktop
    /// app, `scicd serve`) set it; short CLI commands do not, so they never start runs they
    /// would abandon a moment later.
    pub adopt_queued: bool,
    /// Desktop notifications and e-mail retries.
    pub notify: notify::NotifyOptions,
    /// Fault injection for tests: caps the database at this many pages, as a full disk would.
    #[doc(hidden)]
    pub db_page_limit: Option<u32>,
    /// Database connections (see [`Store::open_with`]): four (the default) for a
    /// long-lived host, fewer for a command that runs one run at a time.
    pub db_connections: u32,
}

impl EngineOptions {
    /// The `SIMPLE_CICD_CANCEL_GRACE_SECONDS` override of the `runs.cancelGraceSeconds` setting
    /// (tests shorten the grace with it), read the same way by the app and `scicd`.
    pub fn cancel_grace_from_env() -> Option<Duration> {
        std::env::var("SIMPLE_CICD_CANCEL_GRACE_SECONDS").ok().and_then(|v| v.parse().ok()).map(Duration::from_secs)
    }
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            data_dir: None,
            events: Arc::new(NoEvents),
            cancel_grace: None,
            adopt_queued: false,
            notify: notify::NotifyOptions::default(),
            db_page_limit: None,
            db_connections: store::DEFAULT_CONNECTIONS,
        }
    }
}

/// The engine. Cheap to clone; every clone is the same engine.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    data: DataDir,
    instance: run::Instance,
    events: Arc<dyn EventSink>,
    active: Mutex<HashMap<i64, run::Active>>,
    cancel_grace: Option<Duration>,
    /// Wakes the queue.
    wake: Arc<Notify>,
    /// Notifications being sent.
    outbox: notify::Outbox,
    /// See [`Signal`].
    signal: Signal,
    /// The key access tokens are signed with, read from the secret store once.
    signing_key: tokio::sync::OnceCell<Vec<u8>>,
    /// Every run change, for the event streams of the HTTP server (see [`Engine::run_changes`]).
    runs: tokio::sync::broadcast::Sender<model::Run>,
    /// What webhook deliveries are checked against, kept between deliveries.
    webhook_routes: trigger::webhook::Routes,
    /// The queue of the webhook deliveries' group writer, started with the first delivery.
    webhook_queue: std::sync::OnceLock<trigger::webhook::Queue>,
}

impl Engine {
    /// Opens the data directory and its database, recovers runs left behind by dead processes,
    /// and starts the queue and the listener for cancel requests from other processes.
    pub async fn open(options: EngineOptions) -> Result<Engine> {
        let root = DataDir::choose(options.data_dir);
        let data = DataDir::prepare(&root)?;
        let store = Store::open_with(&data.database(), options.db_page_limit, options.db_connections).await?;
        let instance = run::Instance::acquire(&data)?;
        let engine = Engine {
            inner: Arc::new(Inner {
                store,
                data,
                instance,
                events: options.events,
                active: Mutex::new(HashMap::new()),
                cancel_grace: options.cancel_grace,
                wake: Arc::new(Notify::new()),
                outbox: notify::Outbox::new(options.notify),
                signal: Arc::new(watch::channel(0).0),
                signing_key: tokio::sync::OnceCell::new(),
                runs: tokio::sync::broadcast::channel(256).0,
                webhook_routes: trigger::webhook::Routes::default(),
                webhook_queue: std::sync::OnceLock::new(),
            }),
        };
        run::recover_orphans(&engine, options.adopt_queued).await?;
        tokio::spawn(watch_cancel_requests(Arc::downgrade(&engine.inner)));
        tokio::spawn(run::schedule(Arc::downgrade(&engine.inner), options.adopt_queued));
        if options.adopt_queued {
            tokio::spawn(retention::clean_periodically(Arc::downgrade(&engine.inner)));
        }
        Ok(engine)
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The access-token signing key cell (see `api::auth`).
    pub(crate) fn signing_key_cell(&self) -> &tokio::sync::OnceCell<Vec<u8>> {
        &self.inner.signing_key
    }

    pub(crate) fn webhook_routes(&self) -> &trigger::webhook::Routes {
        &self.inner.webhook_routes
    }

    pub(crate) fn webhook_queue(&self) -> &std::sync::OnceLock<trigger::webhook::Queue> {
        &self.inner.webhook_queue
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        self.inner.data.root()
    }

    pub(crate) fn data(&self) -> &DataDir {
        &self.inner.data
    }

    pub(crate) fn instance_id(&self) -> &str {
        self.inner.instance.id()
    }

    pub(crate) async fn cancel_grace(&self) -> Duration {
        match self.inner.cancel_grace {
            Some(grace) => grace,
            None => Duration::from_secs(settings::int(self, "runs.cancelGraceSeconds").await.max(0) as u64),
        }
    }

    /// Lets the queue look for runs to start now.
    pub(crate) fn wake_scheduler(&self) {
        self.inner.wake.notify_one();
    }

    /// Ids of the runs this process is executing.
    pub fn active_runs(&self) -> Vec<i64> {
        self.inner.active.lock().expect("active runs lock").keys().copied().collect()
    }

    pub(crate) fn activate(&self, run_id: i64) {
        self.inner.active.lock().expect("active runs lock").insert(run_id, run::Active::new(self.signal()));
        self.inner.signal.send_modify(|v| *v += 1);
    }

    pub(crate) fn deactivate(&self, run_id: i64) {
        if let Some(active) = self.inner.active.lock().expect("active runs lock").remove(&run_id) {
            active.signal.send_modify(|v| *v += 1);
        }
    }

    pub(crate) fn active_channels(&self, run_id: i64) -> Option<(watch::Receiver<StopReason>, Signal)> {
        let active = self.inner.active.lock().expect("active runs lock");
        active.get(&run_id).map(|a| (a.stop.subscribe(), a.signal.clone()))
    }

    /// Asks a run of this process to stop. False when this process does not execute it.
    pub(crate) fn stop_local(&self, run_id: i64) -> bool {
        let active = self.inner.active.lock().expect("active runs lock");
        match active.get(&run_id) {
            Some(a) => {
                a.stop.send_replace(StopReason::Cancel);
                true
            }
            None => false,
        }
    }

    /// The engine's change signal.
    pub(crate) fn signal(&self) -> Signal {
        self.inner.signal.clone()
    }

    /// A receiver that changes whenever this engine stores lines or changes a run.
    pub(crate) fn changes(&self) -> watch::Receiver<u64> {
        self.inner.signal.subscribe()
    }

    pub(crate) fn outbox(&self) -> &notify::Outbox {
        &self.inner.outbox
    }

    /// Waits (at most `limit`) until the notifications and e-mails of ended runs are out; what is
    /// still pending then is given up and recorded as not sent. Short-lived processes call it
    /// before they exit. Returns how many were given up.
    pub async fn notifications_settled(&self, limit: Duration) -> usize {
        self.inner.outbox.settle(self, limit).await
    }

    pub(crate) async fn emit_run(&self, run_id: i64) {
        self.inner.signal.send_modify(|v| *v += 1);
        // A command line without listeners (the CLI) reads nothing back.
        if !self.inner.events.listens() && self.inner.runs.receiver_count() == 0 {
            return;
        }
        if let Ok(run) = self.store().run_get(run_id).await {
            self.inner.events.run_changed(&run);
            // Nobody listening is fine.
            let _ = self.inner.runs.send(run);
        }
    }

    /// Every change of a run of this engine from now on (what [`EventSink::run_changed`] gets),
    /// for as many listeners as ask. A listener that falls more than 256 changes behind misses
    /// the oldest (`RecvError::Lagged`).
    pub fn run_changes(&self) -> tokio::sync::broadcast::Receiver<model::Run> {
        self.inner.runs.subscribe()
    }

    /// Cancels every run of this process and waits until they have ended (at most the grace
    /// period plus a little). Call before the process exits.
    pub async fn shutdown(&self) {
        let ids = self.active_runs();
        for id in &ids {
            self.stop_local(*id);
        }
        let deadline = tokio::time::Instant::now() + self.cancel_grace().await + Duration::from_secs(5);
        while !self.active_runs().is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.notifications_settled(Duration::from_secs(5)).await;
    }
}

pub(crate) use Inner as EngineInner;

/// Polls the database for cancel requests made by other processes for this process's runs.
async fn watch_cancel_requests(inner: Weak<Inner>) {
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let Some(inner) = inner.upgrade() else { return };
        let engine = Engine { inner };
        if engine.active_runs().is_empty() {
            continue;
        }
        if let Ok(ids) = engine.store().run_cancel_requests(engine.instance_id()).await {
            for id in ids {
                engine.stop_local(id);
            }
        }
    }
}
