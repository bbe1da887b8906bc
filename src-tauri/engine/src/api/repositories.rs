//! Repository entry points: add, list, test, sync, remove.

use std::time::Instant;

use super::audit::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::git::{self, url};
use crate::model::Scope;
use crate::model::{now_ms, FieldError, RefKind, RepoAuth, RepoRefs, Repository, RepositoryInput};
use crate::store::NewRepository;
use crate::Engine;

/// Every repository, by name.
pub async fn repo_list(engine: &Engine) -> Result<Vec<Repository>> {
    engine.store().repo_all().await
}

/// One repository.
pub async fn repo_get(engine: &Engine, name: &str) -> Result<Repository> {
    engine
        .store()
        .repo_by_name(name)
        .await?
        .ok_or_else(|| Error::NotFound { what: "repository", name: name.to_string() })
}

fn check(input: &RepositoryInput, existing: Option<&Repository>) -> Result<url::RepoUrl> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !name_ok {
        errors.push(FieldError::new(
            "name",
            if name.is_empty() { "required" } else { "invalid" },
            "a repository name holds 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit",
        ));
    }
    let parsed = match url::parse(&input.url) {
        Ok(u) => Some(u),
        Err(Error::Invalid(mut f)) => {
            errors.append(&mut f);
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(u) = &input.username {
        if u.is_empty()
            || u.len() > 128
            || u.chars().any(|c| c.is_whitespace() || c.is_control() || c == ':' || c == '@')
        {
            errors.push(FieldError::new("username", "invalid", "a user name has no spaces, ':' or '@'"));
        }
    }
    let has_secret = input.secret.as_deref().is_some_and(|s| !s.trim().is_empty());
    let keeps_secret = existing.is_some_and(|e| e.auth == input.auth);
    if let Some(u) = &parsed {
        match input.auth {
            RepoAuth::Token if u.scheme.is_ssh() => errors.push(FieldError::new(
                "auth",
                "invalid",
                "a token or password works over https; an ssh URL needs an SSH key or the ssh-agent",
            )),
            RepoAuth::SshKey | RepoAuth::SshAgent if !u.scheme.is_ssh() => errors.push(FieldError::new(
                "auth",
                "invalid",
                "SSH keys work with ssh:// and user@host:path URLs; an https URL needs a token",
            )),
            _ => {}
        }
    }
    match input.auth {
        RepoAuth::Token | RepoAuth::SshKey if !has_secret && !keeps_secret => errors.push(FieldError::new(
            "secret",
            "required",
            if input.auth == RepoAuth::Token { "give the token or password" } else { "give the SSH private key" },
        )),
        RepoAuth::SshKey if has_secret => {
            let key = input.secret.as_deref().unwrap_or("");
            if !key.contains("PRIVATE KEY-----") {
                errors.push(FieldError::new(
                    "secret",
                    "invalid",
                    "this is not an SSH private key (expected -----BEGIN ... PRIVATE KEY-----); give the private key, not the .pub file",
                ));
            }
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(parsed.expect("no errors means the URL parsed"))
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Adds a repository, or (with `replace`) changes the one with that name. Credentials go to the
/// secret store; giving none when the kind is unchanged keeps the stored ones.
pub async fn repo_save(engine: &Engine, caller: &Caller, input: RepositoryInput, replace: bool) -> Result<Repository> {
    let resource = format!("repository {}", input.name.trim());
    audited(engine, caller, Scope::Write, "repo.save", &resource, None, save(engine, input, replace)).await
}

async fn save(engine: &Engine, input: RepositoryInput, replace: bool) -> Result<Repository> {
    let name = input.name.trim().to_string();
    let existing = engine.store().repo_by_name(&name).await?;
    if existing.is_some() && !replace {
        return Err(Error::NameTaken { what: "repository", name });
    }
    let parsed = check(&input, existing.as_ref())?;
    let provider = input.provider.unwrap_or_else(|| url::guess_provider(&parsed));
    let (secret_key, pass_key) = (git::secret_name(&name, "secret"), git::secret_name(&name, "passphrase"));
    let secret = input.secret.clone().filter(|s| !s.trim().is_empty());
    let passphrase = input.passphrase.clone().filter(|s| !s.is_empty());
    let auth = input.auth;
    let had_secrets = existing.as_ref().is_some_and(|e| matches!(e.auth, RepoAuth::Token | RepoAuth::SshKey));
    let drop_old = had_secrets && (existing.as_ref().is_some_and(|e| e.auth != auth) || secret.is_some());
    // The secret store is touched only when there is something to store or to remove, so
    // anonymous repositories work without a keyring.
    if drop_old || secret.is_some() {
        let store = crate::secrets::store(engine).await?;
        tokio::task::spawn_blocking(move || {
            if drop_old {
                store.delete(&secret_key)?;
                store.delete(&pass_key)?;
            }
            if let Some(s) = secret {
                let s = if auth == RepoAuth::SshKey { format!("{}\n", s.trim_end()) } else { s.trim().to_string() };
                store.set(&secret_key, &s)?;
                if let Some(p) = passphrase {
                    store.set(&pass_key, &p)?;
                }
            }
            Ok::<_, Error>(())
        })
        .await
        .map_err(|e| Error::Corrupt(format!("secret store task failed: {e}")))??;
    }
    let new = NewRepository {
        name: &name,
        url: &parsed.url,
        provider,
        auth,
        username: input.username.as_deref().map(str::trim).filter(|u| !u.is_empty()),
    };
    let saved = engine.store().repo_upsert(new, replace, now_ms()).await?;
    if existing.as_ref().is_some_and(|e| e.url != saved.url) {
        let _ = std::fs::remove_dir_all(git::cache_dir(engine.data_dir(), saved.id));
    }
    Ok(saved)
}

/// Removes a repository with its credentials and cache. Refused while a template uses it.
pub async fn repo_delete(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let resource = format!("repository {name}");
    audited(engine, caller, Scope::Write, "repo.delete", &resource, None, delete(engine, name)).await
}

async fn delete(engine: &Engine, name: &str) -> Result<()> {
    let repo = repo_get(engine, name).await?;
    let users: Vec<String> = engine
        .store()
        .template_all()
        .await?
        .into_iter()
        .filter(|t| t.spec.source.as_ref().is_some_and(|s| s.repo == name))
        .map(|t| t.spec.name)
        .collect();
    if !users.is_empty() {
        return Err(Error::InUse {
            what: "repository",
            name: name.to_string(),
            users: format!("templates {}", users.join(", ")),
        });
    }
    if matches!(repo.auth, RepoAuth::Token | RepoAuth::SshKey) {
        let store = crate::secrets::store(engine).await?;
        let (a, b) = (git::secret_name(name, "secret"), git::secret_name(name, "passphrase"));
        tokio::task::spawn_blocking(move || {
            store.delete(&a)?;
            store.delete(&b)
        })
        .await
        .map_err(|e| Error::Corrupt(format!("secret store task failed: {e}")))??;
    }
    engine.store().repo_delete(name).await?;
    let cache = git::cache_dir(engine.data_dir(), repo.id);
    let _ = std::fs::remove_dir_all(&cache);
    let _ = std::fs::remove_file(cache.with_extension("lock"));
    Ok(())
}

/// Lists the remote's branches and tags with the stored credentials, or says exactly why it
/// cannot (host unreachable, credentials refused, no such repository). Pins the SSH host key on
/// first contact.
pub async fn repo_test(engine: &Engine, name: &str) -> Result<RepoRefs> {
    let repo = repo_get(engine, name).await?;
    let creds = git::credentials(engine, &repo).await?;
    let pin = git::HostKeyPin::for_url(&repo.url, repo.host_key.clone());
    let seen = pin.seen.clone();
    let (n, u) = (repo.name.clone(), repo.url.clone());
    let started = Instant::now();
    let (refs, default_branch) = tokio::task::spawn_blocking(move || git::list_refs(&n, &u, &creds, &pin))
        .await
        .map_err(|e| Error::Corrupt(format!("git task failed: {e}")))??;
    let seen = seen.lock().expect("host key lock").clone();
    if repo.host_key.is_none() {
        if let Some(fp) = seen {
            engine.store().repo_set_host_key(repo.id, &fp).await?;
        }
    }
    let (branches, tags) = refs.into_iter().partition(|r| r.kind == RefKind::Branch);
    Ok(RepoRefs { repo: repo.name, default_branch, branches, tags, elapsed_ms: started.elapsed().as_millis() as u64 })
}

/// What a sync fetched.
#[derive(Debug, Clone, Copy)]
pub struct RepoSync {
    /// True when the cache was created (a full clone).
    pub cloned: bool,
    /// Objects received.
    pub objects: usize,
    /// Bytes received.
    pub bytes: usize,
}

/// Brings the repository's cache up to date now; `progress` receives the progress lines.
pub async fn repo_sync(engine: &Engine, name: &str, progress: impl FnMut(String) + Send + 'static) -> Result<RepoSync> {
    let repo = repo_get(engine, name).await?;
    let s = git::sync_cache(engine, &repo, progress).await?;
    Ok(RepoSync { cloned: s.cloned, objects: s.objects, bytes: s.bytes })
}
