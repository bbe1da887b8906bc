//! Resolving the ref a run asks for in the cache, and checking it out into the run's working
//! directory as a small repository of its own that borrows the cache's objects.

use std::path::Path;
use std::time::{Duration, Instant};

use git2::build::CheckoutBuilder;
use git2::{Oid, Repository};

use super::error::git_error;
use super::progress::Progress;
use crate::error::{Error, GitFailure, Result};
use crate::model::RunCommit;

/// A commit and how it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The commit.
    pub oid: Oid,
    /// The branch, when a branch was asked for.
    pub branch: Option<String>,
    /// The tag, when a tag was asked for.
    pub tag: Option<String>,
}

fn io(context: String) -> impl FnOnce(git2::Error) -> Error {
    move |e| git_error(GitFailure::Other, format!("{context}: {}", e.message()))
}

/// Finds `want` (a branch, tag, full ref or commit; empty: the remote's default branch) in the
/// cache. With `pinned`, the commit is that SHA (a webhook's pushed commit) and `want` only names it.
pub(crate) fn resolve(cache: &Repository, repo_name: &str, want: &str, pinned: Option<&str>) -> Result<Resolved> {
    let want = want.trim();
    let (branch, tag) = name_of(cache, want);
    if let Some(sha) = pinned {
        let oid = Oid::from_str(sha)
            .map_err(|_| git_error(GitFailure::RefNotFound, format!("`{sha}` is not a commit SHA")))?;
        cache.find_commit(oid).map_err(|_| {
            git_error(
                GitFailure::RefNotFound,
                format!("commit {sha} is not in repository {repo_name} after fetching (was it force-pushed away?)"),
            )
        })?;
        return Ok(Resolved { oid, branch, tag });
    }
    if want.is_empty() {
        let head =
            cache.find_reference("HEAD").ok().and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
        let Some(target) = head else {
            return Err(git_error(
                GitFailure::RefNotFound,
                format!(
                    "repository {repo_name} does not say which branch is its default; give the template's source a ref"
                ),
            ));
        };
        let commit = cache.find_reference(&target).and_then(|r| r.peel_to_commit()).map_err(|_| {
            git_error(
                GitFailure::RefNotFound,
                format!("repository {repo_name} is empty: its default branch has no commit"),
            )
        })?;
        let branch = target.strip_prefix("refs/heads/").map(str::to_string);
        return Ok(Resolved { oid: commit.id(), branch, tag: None });
    }
    let candidates = if want.starts_with("refs/") {
        vec![want.to_string()]
    } else {
        vec![format!("refs/heads/{want}"), format!("refs/tags/{want}")]
    };
    for name in candidates {
        if let Ok(reference) = cache.find_reference(&name) {
            let commit = reference.peel_to_commit().map_err(io(format!("{name} does not point at a commit")))?;
            return Ok(Resolved { oid: commit.id(), branch, tag });
        }
    }
    if want.len() >= 4 && want.len() <= 40 && want.chars().all(|c| c.is_ascii_hexdigit()) {
        if let Ok(object) = cache.revparse_single(want) {
            if let Ok(commit) = object.peel_to_commit() {
                return Ok(Resolved { oid: commit.id(), branch: None, tag: None });
            }
        }
    }
    Err(git_error(GitFailure::RefNotFound, not_found_message(cache, repo_name, want)))
}

/// The branch or tag a ref name stands for, as far as the cache knows.
fn name_of(cache: &Repository, want: &str) -> (Option<String>, Option<String>) {
    if let Some(b) = want.strip_prefix("refs/heads/") {
        return (Some(b.to_string()), None);
    }
    if let Some(t) = want.strip_prefix("refs/tags/") {
        return (None, Some(t.to_string()));
    }
    if want.is_empty() {
        return (None, None);
    }
    if cache.find_reference(&format!("refs/heads/{want}")).is_ok() {
        (Some(want.to_string()), None)
    } else if cache.find_reference(&format!("refs/tags/{want}")).is_ok() {
        (None, Some(want.to_string()))
    } else {
        (None, None)
    }
}

fn not_found_message(cache: &Repository, repo_name: &str, want: &str) -> String {
    let list = |prefix: &str| -> Vec<String> {
        cache
            .references_glob(&format!("{prefix}*"))
            .map(|refs| refs.flatten().filter_map(|r| r.name().ok().map(|n| n[prefix.len()..].to_string())).collect())
            .unwrap_or_default()
    };
    format!(
        "`{want}` is no branch, tag or commit of repository {repo_name}. Branches: {}; tags: {}",
        ref_names(list("refs/heads/")),
        ref_names(list("refs/tags/"))
    )
}

/// Ref names for a message: sorted, the first ten, then `and N more`; `none` when empty.
pub fn ref_names(mut names: Vec<String>) -> String {
    names.sort();
    let more = names.len().saturating_sub(10);
    names.truncate(10);
    let mut text = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// Checks `resolved` out into `workdir` (which may exist and be empty) and describes the commit.
pub(crate) fn checkout(
    cache_dir: &Path,
    workdir: &Path,
    url: &str,
    repo_name: &str,
    resolved: &Resolved,
    progress: &mut Progress<'_>,
) -> Result<RunCommit> {
    let fail = |what: &str| io(format!("cannot {what} in {}", workdir.display()));
    let repo = Repository::init(workdir).map_err(fail("create a repository"))?;
    let alternates = workdir.join(".git/objects/info/alternates");
    std::fs::write(&alternates, format!("{}\n", cache_dir.join("objects").display()))
        .map_err(|e| Error::io(format!("cannot write {}", alternates.display()), e))?;
    let _ = repo.remote("origin", url);
    let commit = repo.find_commit(resolved.oid).map_err(fail("find the commit"))?;
    match (&resolved.branch, &resolved.tag) {
        (Some(branch), _) => {
            repo.branch(branch, &commit, true).map_err(fail("create the branch"))?;
            repo.set_head(&format!("refs/heads/{branch}")).map_err(fail("point HEAD at the branch"))?;
        }
        (None, tag) => {
            if let Some(tag) = tag {
                let _ = repo.reference(&format!("refs/tags/{tag}"), resolved.oid, true, "simple-cicd checkout");
            }
            repo.set_head_detached(resolved.oid).map_err(fail("detach HEAD"))?;
        }
    }
    let started = Instant::now();
    let mut last = Instant::now();
    let mut files = 0usize;
    {
        let mut builder = CheckoutBuilder::new();
        builder.force().progress(|_path, current, total| {
            files = total;
            if last.elapsed() >= Duration::from_millis(750) && total > 0 {
                progress.line(format!("Checking out files: {}% ({current}/{total})", current * 100 / total));
                last = Instant::now();
            }
        });
        repo.checkout_tree(commit.as_object(), Some(&mut builder)).map_err(fail("check out the files"))?;
    }
    let named = match (&resolved.branch, &resolved.tag) {
        (Some(b), _) => format!("branch {b}"),
        (None, Some(t)) => format!("tag {t}"),
        _ => "commit".to_string(),
    };
    let sha = resolved.oid.to_string();
    progress.line(format!(
        "Checked out {named} at {} ({files} files in {} ms): {}",
        &sha[..8],
        started.elapsed().as_millis(),
        commit.summary().ok().flatten().unwrap_or("")
    ));
    let author = commit.author();
    Ok(RunCommit {
        repo: repo_name.to_string(),
        short_sha: sha[..8].to_string(),
        sha,
        branch: resolved.branch.clone(),
        tag: resolved.tag.clone(),
        author: format!("{} <{}>", author.name().unwrap_or_default(), author.email().unwrap_or_default()),
        message: commit.message().unwrap_or_default().trim_end().to_string(),
    })
}
