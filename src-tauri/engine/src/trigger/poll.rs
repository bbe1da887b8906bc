//! Polling: look at the remote's branches (`ls-remote`) and start one run per new head commit of
//! a watched branch. The first look only records what is there; a branch that appears later is
//! new work and runs. Deleted branches are forgotten and never run.

use std::collections::{BTreeMap, HashSet};

use crate::api::{queue, StartOptions};
use crate::error::{Error, Result};
use crate::model::{PollTrigger, RefKind, Template, TriggerSpec};
use crate::Engine;

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    /// Branches watched, with their head commit.
    pub watched: Vec<(String, String)>,
    /// Runs started.
    pub started: Vec<i64>,
    /// True on the first look, which only records the heads.
    pub baseline: bool,
}

/// Polls every poll trigger of template `name` now.
pub async fn poll_now(engine: &Engine, name: &str) -> Result<PollReport> {
    let template = crate::api::template_get(engine, name).await?;
    let mut report = PollReport::default();
    for (index, trigger) in template.spec.triggers.iter().enumerate() {
        if let TriggerSpec::Poll(p) = trigger {
            let r = poll_trigger(engine, &template, index, p).await?;
            report.watched.extend(r.watched);
            report.started.extend(r.started);
            report.baseline |= r.baseline;
        }
    }
    Ok(report)
}

/// Polls one trigger.
pub(crate) async fn poll_trigger(
    engine: &Engine,
    template: &Template,
    index: usize,
    trigger: &PollTrigger,
) -> Result<PollReport> {
    let source = template.spec.source.as_ref().ok_or_else(|| {
        Error::invalid(
            "source",
            "required",
            format!("template {} has a poll trigger but no source", template.spec.name),
        )
    })?;
    let repo = engine
        .store()
        .repo_by_name(&source.repo)
        .await?
        .ok_or_else(|| Error::NotFound { what: "repository", name: source.repo.clone() })?;
    let creds = crate::git::credentials(engine, &repo).await?;
    let pin = crate::git::HostKeyPin::for_url(&repo.url, repo.host_key.clone());
    let (name, url) = (repo.name.clone(), repo.url.clone());
    let (refs, default_branch) = tokio::task::spawn_blocking(move || crate::git::list_refs(&name, &url, &creds, &pin))
        .await
        .map_err(|e| Error::Corrupt(format!("git task failed: {e}")))??;
    let patterns: Vec<String> = if !trigger.branches.is_empty() {
        trigger.branches.clone()
    } else if !source.git_ref.is_empty() {
        vec![source.git_ref.trim_start_matches("refs/heads/").to_string()]
    } else {
        default_branch.into_iter().collect()
    };
    let heads: BTreeMap<String, String> = refs
        .into_iter()
        .filter(|r| r.kind == RefKind::Branch && super::glob::any(&patterns, &r.name))
        .map(|r| (r.name, r.sha))
        .collect();

    let store = engine.store();
    let id = template.id;
    let prefix = format!("poll:{index}:");
    let init_key = format!("{prefix}*");
    let initialised = store.trigger_state_get(id, &init_key).await?.is_some();
    let mut report =
        PollReport { watched: heads.clone().into_iter().collect(), baseline: !initialised, ..Default::default() };
    let known: HashSet<String> = heads.keys().map(|b| format!("{prefix}{b}")).collect();
    for (key, _) in store.trigger_state_keys(id, &prefix).await? {
        if key != init_key && !known.contains(&key) {
            store.trigger_state_delete(id, &key).await?;
        }
    }
    for (branch, sha) in &heads {
        let key = format!("{prefix}{branch}");
        let old = store.trigger_state_get(id, &key).await?;
        if old.as_deref() == Some(sha.as_str()) {
            continue;
        }
        // Only the process whose compare-and-set wins starts the run.
        if !store.trigger_state_swap(id, &key, old.as_deref(), sha).await? || !initialised {
            continue;
        }
        let options = StartOptions {
            git_ref: Some(format!("refs/heads/{branch}")),
            git_sha: Some(sha.clone()),
            ..Default::default()
        };
        let run = queue(engine, &template.spec.name, &BTreeMap::new(), &options, "poll").await?;
        tracing::info!(template = %template.spec.name, branch, run_id = run.id, "poll found a new commit");
        report.started.push(run.id);
    }
    if !initialised {
        store.trigger_state_swap(id, &init_key, None, "1").await?;
    }
    Ok(report)
}
