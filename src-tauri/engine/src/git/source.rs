//! The async side: loading a repository's credentials from the secret store, and preparing a
//! run's source (fetch into the cache, resolve, check out) on a blocking thread with its
//! progress in the run's log.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::watch;

use super::auth::{Credentials, HostKeyPin};
use super::cache::{self, SyncStats};
use super::checkout;
use super::error::git_error;
use super::progress::{size, Progress};
use crate::error::{Error, GitFailure, Result};
use crate::exec::StopReason;
use crate::log::LogWriter;
use crate::model::{RepoAuth, Repository, RunCommit};
use crate::Engine;

/// The secret-store name of a repository's token, password or key (`part` = `secret`) or key
/// passphrase (`part` = `passphrase`). The `/` keeps them apart from user secrets, whose names
/// cannot contain one, so they never show in the Secrets list.
pub(crate) fn secret_name(repo: &str, part: &str) -> String {
    format!("repo/{repo}/{part}")
}

/// The repository's credentials, read from the secret store.
pub(crate) async fn credentials(engine: &Engine, repo: &Repository) -> Result<Credentials> {
    let mut creds = Credentials { auth: repo.auth, username: repo.username.clone(), ..Credentials::default() };
    if matches!(repo.auth, RepoAuth::Token | RepoAuth::SshKey) {
        let store = crate::secrets::store(engine).await?;
        let (name, pass) = (secret_name(&repo.name, "secret"), secret_name(&repo.name, "passphrase"));
        let (secret, passphrase) =
            tokio::task::spawn_blocking(move || Ok::<_, Error>((store.get(&name)?, store.get(&pass)?)))
                .await
                .map_err(|e| Error::Corrupt(format!("secret store task failed: {e}")))??;
        if secret.is_none() {
            return Err(Error::Keyring {
                message: format!(
                    "the credentials of repository {} are not in the secret store any more (the keyring was reset?); add the repository again with its token or key",
                    repo.name
                ),
            });
        }
        creds.secret = secret;
        creds.passphrase = passphrase;
    }
    Ok(creds)
}

fn pin_of(repo: &Repository) -> HostKeyPin {
    HostKeyPin::for_url(&repo.url, repo.host_key.clone())
}

async fn remember_host_key(engine: &Engine, repo: &Repository, pin: &Option<String>) {
    if repo.host_key.is_none() {
        if let Some(fp) = pin {
            let _ = engine.store().repo_set_host_key(repo.id, fp).await;
        }
    }
}

/// Brings the repository's cache up to date (`scicd repo sync`, benchmarks); progress to `emit`.
pub(crate) async fn sync_cache(
    engine: &Engine,
    repo: &Repository,
    emit: impl FnMut(String) + Send + 'static,
) -> Result<SyncStats> {
    let creds = credentials(engine, repo).await?;
    let dir = cache::dir(engine.data_dir(), repo.id);
    let (name, url, pin) = (repo.name.clone(), repo.url.clone(), pin_of(repo));
    let (stats, seen) = tokio::task::spawn_blocking(move || {
        let mut progress = Progress::new(emit);
        let _lock = cache::lock(&dir, &mut progress)?;
        let stats = cache::sync(&dir, &name, &url, &creds, &pin, &mut progress, &AtomicBool::new(false))?;
        let seen = pin.seen.lock().expect("host key lock").clone();
        Ok::<_, Error>((stats, seen))
    })
    .await
    .map_err(|e| Error::Corrupt(format!("git task failed: {e}")))??;
    remember_host_key(engine, repo, &seen).await;
    Ok(stats)
}

/// What a run checks out.
pub(crate) struct SourceRequest<'a> {
    /// The repository's name.
    pub repo: &'a str,
    /// Branch, tag, `refs/...`, commit, or empty for the default branch.
    pub want: &'a str,
    /// The exact commit a trigger pinned.
    pub pinned: Option<String>,
}

/// Fetches the template's repository, checks `want` (or the `pinned` commit) out into
/// `workdir`, records the commit on the run and returns it.
pub(crate) async fn prepare_source(
    engine: &Engine,
    run_id: i64,
    request: SourceRequest<'_>,
    workdir: &Path,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
) -> Result<RunCommit> {
    let SourceRequest { repo: repo_name, want, pinned } = request;
    let repo = engine
        .store()
        .repo_by_name(repo_name)
        .await?
        .ok_or_else(|| Error::NotFound { what: "repository", name: repo_name.to_string() })?;
    let creds = credentials(engine, &repo).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    let emit = log.system_lines();
    let dir: PathBuf = cache::dir(engine.data_dir(), repo.id);
    let (name, url, pin) = (repo.name.clone(), repo.url.clone(), pin_of(&repo));
    let (want, workdir) = (want.to_string(), workdir.to_path_buf());
    let flag = cancel.clone();
    let mut task = tokio::task::spawn_blocking(move || {
        let mut progress = Progress::new(emit);
        let lock = cache::lock(&dir, &mut progress)?;
        let stats = cache::sync(&dir, &name, &url, &creds, &pin, &mut progress, &flag)?;
        progress.line(format!("Fetched {} objects ({})", stats.objects, size(stats.bytes)));
        let cache_repo = git2::Repository::open_bare(&dir).map_err(|e| {
            Error::io(
                format!("cannot open the cache {}", dir.display()),
                std::io::Error::other(e.message().to_string()),
            )
        })?;
        let resolved = checkout::resolve(&cache_repo, &name, &want, pinned.as_deref())?;
        drop(lock);
        if flag.load(Ordering::Relaxed) {
            return Err(git_error(GitFailure::Cancelled, "the run was cancelled before its checkout"));
        }
        let commit = checkout::checkout(&dir, &workdir, &url, &name, &resolved, &mut progress)?;
        let seen = pin.seen.lock().expect("host key lock").clone();
        Ok::<_, Error>((commit, seen))
    });
    let stopped = async {
        while *stop.borrow_and_update() == StopReason::None {
            if stop.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    };
    // A cancel ends the run at once, even while libgit2 waits on a silent server: the blocking
    // thread sees the flag at its next callback, or gives up at the network timeout, and its log
    // lines are dropped once the run's log is closed.
    let result = tokio::select! {
        joined = &mut task => joined.map_err(|e| Error::Corrupt(format!("git task failed: {e}")))?,
        () = stopped => {
            cancel.store(true, Ordering::Relaxed);
            Err(git_error(GitFailure::Cancelled, format!("the run was cancelled while fetching {}", repo.url)))
        }
    };
    let (commit, seen) = result?;
    remember_host_key(engine, &repo, &seen).await;
    engine.store().run_set_commit(run_id, &commit).await?;
    Ok(commit)
}
