//! The SQLite database: one pool, embedded migrations, one file per table.
//!
//! WAL mode and a busy timeout let the desktop app and any number of `scicd` processes share the
//! file. Queries are checked at run time (no compile-time database needed).

mod api_tokens;
mod app_history;
mod apps;
mod audit;
mod clusters;
mod config_version;
mod deliveries;
mod delivery_batch;
mod endpoints;
mod log_tail;
mod logs;
mod notify;
mod registries;
mod repositories;
mod run_specs;
mod run_steps;
mod runs;
mod runs_cache;
mod secrets;
mod sessions;
mod settings;
mod templates;
mod trigger_state;
mod users;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};

use crate::error::{Error, Result};

pub(crate) use apps::NewRevision;
pub(crate) use audit::NewAudit;
pub use deliveries::NewDelivery;
pub(crate) use delivery_batch::{BatchEntry, BatchOutcome, BatchRun, DeliveryWriter, DUPLICATE_MESSAGE};
pub use logs::LogChunk;
pub use repositories::NewRepository;
pub(crate) use run_steps::Decision;
pub use runs::NewRun;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connections of a long-lived process (the desktop app, `scicd serve`): its runs, its readers and
/// its HTTP requests work side by side.
pub const DEFAULT_CONNECTIONS: u32 = 4;

/// How many pages the write-ahead log may hold before a commit copies them into the database
/// (SQLite's default is 1,000, 4 MB). The first process to open the database reads and checksums
/// the whole log to rebuild its index (any `scicd` command, when no app or server has it open):
/// about 4 µs a page here, 4 ms of CPU at 1,000 pages, against about 0.5 ms (two fsyncs) for a
/// checkpoint of 100. A `scicd run` adds some 25 pages.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 100;

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// How the pool's connections were opened, for a dedicated connection (see [`DeliveryWriter`]).
    options: SqliteConnectOptions,
    /// Pages of the runs list until the database changes.
    runs_cache: std::sync::Arc<runs_cache::RunsCache>,
    /// The spec snapshots of runs read lately (they never change).
    run_specs: std::sync::Arc<run_specs::RunSpecs>,
    /// The newest log chunks of the runs this process writes.
    log_tail: std::sync::Arc<log_tail::LogTail>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date. Refuses a
    /// database written by a newer simple-cicd.
    /// `page_limit` caps the file's size in pages (fault-injection tests simulate a full disk
    /// with it); `None` in normal use.
    pub async fn open(path: &Path, page_limit: Option<u32>) -> Result<Store> {
        Store::open_with(path, page_limit, DEFAULT_CONNECTIONS).await
    }

    /// [`Store::open`] with at most `connections` connections (at least one). Each costs a thread,
    /// a parse of the schema and a page cache of its own, and the connections of one process wait
    /// on each other's write locks: a process that runs one run at a time does best with few.
    pub async fn open_with(path: &Path, page_limit: Option<u32>, connections: u32) -> Result<Store> {
        let url = format!("sqlite://{}", path.display());
        let mut options = SqliteConnectOptions::from_str(&url)
            .map_err(Error::Database)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15))
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string());
        if let Some(pages) = page_limit {
            options = options.pragma("max_page_count", pages.to_string());
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            // The pool would otherwise send each idle connection a ping before handing it out: a
            // round trip to the connection's thread per query. A SQLite connection is a file in
            // this process, not a socket that can go away between queries; a broken one still
            // fails its query with an error.
            .test_before_acquire(false)
            // When a full disk or an I/O error makes SQLite roll a transaction back by itself,
            // sqlx's own ROLLBACK then fails and it keeps counting the transaction as open: that
            // connection's next `begin` would open a savepoint instead, whose rollback leaves a
            // write transaction open and every other connection waiting on its lock for good. A
            // connection in the pool is never inside a transaction; one that says so is closed
            // instead of handed out (checked in memory, no round trip).
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options.clone())
            .await
            .map_err(|e| open_error(path, e))?;
        if !schema_is_current(&pool, path).await? {
            MIGRATOR.run(&pool).await?;
        }
        Ok(Store {
            pool,
            options,
            runs_cache: Default::default(),
            run_specs: Default::default(),
            log_tail: Default::default(),
        })
    }

    /// The pool, for the table modules.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn open_error(path: &Path, e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::Io(source) => Error::DataDir { path: path.to_path_buf(), source },
        sqlx::Error::Database(db) => Error::io(
            format!("cannot open the database {}", path.display()),
            std::io::Error::other(db.message().to_string()),
        ),
        other => Error::Database(other),
    }
}

/// Whether the database holds every migration, all applied in full (then there is nothing for
/// the migrator to do, and its checks cost a short-lived process several statements). Refuses a
/// database written by a newer simple-cicd.
async fn schema_is_current(pool: &SqlitePool, path: &Path) -> Result<bool> {
    let has_table: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(pool)
            .await?;
    if has_table.is_none() {
        return Ok(false);
    }
    let (found, unfinished): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT MAX(version), SUM(NOT success) FROM _sqlx_migrations").fetch_one(pool).await?;
    let supported = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    match found {
        Some(found) if found > supported => Err(Error::NewerSchema { path: PathBuf::from(path), found, supported }),
        Some(found) => Ok(found == supported && unfinished.unwrap_or(0) == 0),
        None => Ok(false),
    }
}
