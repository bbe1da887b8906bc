//! Apps: what runs deployed and live on (a compose project on a Docker endpoint), and their
//! revisions, one per launch.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A deployment target and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct App {
    /// Database id.
    #[ts(type = "number")]
    pub id: i64,
    /// `compose`.
    pub kind: String,
    /// The compose project's name.
    pub name: String,
    /// The Docker endpoint.
    pub target: String,
    /// The template whose run launched it last.
    pub template: String,
    /// The newest revision.
    pub current: Option<AppRevision>,
}

/// One launch of an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppRevision {
    /// 1, 2, … per app.
    pub number: u32,
    /// The run that launched it (gone when retention removed the run).
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// That run's number (`#12`), while the run exists.
    #[ts(type = "number | null")]
    pub run_number: Option<i64>,
    /// What started the run (`manual`, `webhook`, `rollback to #2`, …).
    pub trigger: String,
    /// The commit it was built from, when the run had a source.
    pub commit: Option<super::RunCommit>,
    /// The configuration as written (variables, secrets among them, not put in).
    pub config: String,
    /// The services after the launch, images by digest.
    pub services: Vec<ServiceState>,
    /// `deployed` or `failed`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// A Helm app's release revision after this launch (for an upgrade Helm rolled back, the
    /// revision of that automatic rollback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub helm_revision: Option<u32>,
    /// RFC 3339.
    pub created_at: String,
}

/// One service as `docker compose ps` sees it after the launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServiceState {
    /// The service's name.
    pub service: String,
    /// `running`, `exited`, …
    pub state: String,
    /// `healthy`, `unhealthy`, `starting`, or empty without a healthcheck.
    pub health: String,
    /// The image as the compose file names it.
    pub image: String,
    /// The image by digest (`repo@sha256:…`), or its id when it has no registry digest.
    pub pinned: String,
}
