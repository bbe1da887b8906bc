//! The per-repository cache: a bare repository under `<data>/git/<id>.git` that runs fetch into
//! (a clone the first time, then only what is new). Runs check out from it; their own `.git`
//! borrows its objects (alternates), so a checkout copies no history.
//!
//! Processes sharing the data directory serialise on `<id>.lock` (flock) while they fetch.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use git2::{AutotagOption, FetchOptions, FetchPrune, RemoteCallbacks, Repository};
use nix::fcntl::{Flock, FlockArg};

use super::auth::{install, Credentials, HostKeyPin};
use super::error::{classify, Attempt};
use super::progress::Progress;
use crate::error::{Error, Result};

/// The refs a cache mirrors.
const REFSPECS: [&str; 2] = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/// Where the cache of repository `id` lives.
pub(crate) fn dir(data_root: &Path, id: i64) -> PathBuf {
    data_root.join("git").join(format!("{id}.git"))
}

/// Holds the cache's lock until dropped.
pub(crate) struct CacheLock {
    _lock: Flock<File>,
}

/// Takes the cache's lock, telling `progress` when another process holds it.
pub(crate) fn lock(cache: &Path, progress: &mut Progress<'_>) -> Result<CacheLock> {
    let path = cache.with_extension("lock");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    let open = || {
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))
    };
    match Flock::lock(open()?, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(CacheLock { _lock: lock }),
        Err(_) => {
            progress.line("Waiting for another run that is fetching the same repository");
            let lock = Flock::lock(open()?, FlockArg::LockExclusive)
                .map_err(|(_, errno)| Error::io(format!("cannot lock {}", path.display()), errno.into()))?;
            Ok(CacheLock { _lock: lock })
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SyncStats {
    /// True when the cache was created (a full clone).
    pub cloned: bool,
    /// Objects received.
    pub objects: usize,
    /// Bytes received.
    pub bytes: usize,
}

/// Brings the cache at `cache` up to date with `url`: every branch and tag, pruned. The caller
/// holds the cache's lock.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sync(
    cache: &Path,
    repo_name: &str,
    url: &str,
    creds: &Credentials,
    pin: &HostKeyPin,
    progress: &mut Progress<'_>,
    cancel: &AtomicBool,
) -> Result<SyncStats> {
    super::init();
    let attempt = Attempt::default();
    let fail = |e: git2::Error| classify(repo_name, url, &e, &attempt);
    let cloned = !cache.join("HEAD").exists();
    let repo = if cloned {
        let _ = std::fs::remove_dir_all(cache);
        Repository::init_bare(cache).map_err(fail)?
    } else {
        Repository::open_bare(cache).map_err(fail)?
    };
    progress.line(if cloned {
        format!("Cloning {url} into the cache (first run of this repository)")
    } else {
        format!("Fetching {url}")
    });
    let mut remote = repo.remote_anonymous(url).map_err(fail)?;
    let stats = {
        let mut callbacks = RemoteCallbacks::new();
        install(&mut callbacks, creds, pin, &attempt);
        let cancelled = attempt.cancelled.clone();
        callbacks.transfer_progress(move |p| {
            progress.transfer(&p);
            if cancel.load(Ordering::Relaxed) {
                cancelled.set(true);
                return false;
            }
            true
        });
        let mut options = FetchOptions::new();
        options.remote_callbacks(callbacks).prune(FetchPrune::On).download_tags(AutotagOption::None);
        options.update_fetchhead(false);
        let result = remote.fetch(&REFSPECS, Some(&mut options), None);
        if cancel.load(Ordering::Relaxed) {
            attempt.cancelled.set(true);
        }
        result.map_err(fail)?;
        let s = remote.stats();
        SyncStats { cloned, objects: s.received_objects(), bytes: s.received_bytes() }
    };
    // Remember the remote's default branch as the cache's HEAD, for templates without a ref.
    if let Ok(head) = remote.default_branch() {
        if let Ok(name) = head.as_str() {
            let _ = repo.set_head(name);
        }
    }
    Ok(stats)
}
