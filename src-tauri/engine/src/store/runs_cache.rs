//! Pages of the runs list kept in memory until the database changes.
//!
//! Many clients poll the runs list (every browser on the Runs page, scripts); between two changes
//! of the database they all get the same page. A change by any connection, in this process or
//! another (a `scicd` worker, the desktop app), moves SQLite's `PRAGMA data_version` as seen from
//! a connection that never writes: that connection is kept here for the one question, and a page
//! is served from memory only while the version it was read at is still current. The version is
//! read before the page, so a page is never older than the version it is kept under.

use std::collections::HashMap;
use std::sync::Mutex;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::error::Result;
use crate::model::{Run, RunFilter};

/// Pages kept at once (one per filter and page); more are dropped with the next change.
const MAX_PAGES: usize = 64;

type Key = (Option<String>, Option<&'static str>, u32, u32);

/// The cache of one [`super::Store`].
#[derive(Debug, Default)]
pub(crate) struct RunsCache {
    /// The connection that only asks for `data_version` (opened on first use).
    watcher: tokio::sync::Mutex<Option<SqliteConnection>>,
    pages: Mutex<Pages>,
}

#[derive(Debug, Default)]
struct Pages {
    version: i64,
    by_filter: HashMap<Key, (Vec<Run>, i64)>,
}

fn key(filter: &RunFilter, limit: u32) -> Key {
    (filter.template.clone(), filter.status.map(|s| s.as_str()), limit, filter.offset)
}

impl RunsCache {
    /// The database's version as seen from the watching connection.
    pub(crate) async fn version(&self, options: &SqliteConnectOptions) -> Result<i64> {
        let mut watcher = self.watcher.lock().await;
        if watcher.is_none() {
            *watcher = Some(SqliteConnection::connect_with(options).await?);
        }
        let conn = watcher.as_mut().expect("opened above");
        match sqlx::query_as::<_, (i64,)>("PRAGMA data_version").fetch_one(&mut *conn).await {
            Ok((v,)) => Ok(v),
            Err(e) => {
                // Reopened on the next call: a broken connection must not pin an old version.
                *watcher = None;
                Err(e.into())
            }
        }
    }

    /// The page read at `version`, if it is kept.
    pub(crate) fn get(&self, version: i64, filter: &RunFilter, limit: u32) -> Option<(Vec<Run>, i64)> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.version != version {
            return None;
        }
        pages.by_filter.get(&key(filter, limit)).cloned()
    }

    /// Keeps a page read at `version` (a page of an older version than the kept ones is not kept).
    pub(crate) fn put(&self, version: i64, filter: &RunFilter, limit: u32, page: &(Vec<Run>, i64)) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.version != version {
            pages.version = version;
            pages.by_filter.clear();
        }
        if pages.by_filter.len() < MAX_PAGES {
            pages.by_filter.insert(key(filter, limit), page.clone());
        }
    }
}
