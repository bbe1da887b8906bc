//! A Helm release as a template or pipeline step: the chart (a directory of the run's source, a
//! chart repository's chart, or an `oci://` reference), the release, namespace and cluster, the
//! values (YAML text) and `set` pairs whose values take the run's variables.
//!
//! What is stored with an app's revision is this body as written: `${NAME}` in `set` stays a
//! reference, so a secret's value is never kept.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A Helm chart installed or upgraded as a release of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct HelmBody {
    /// A chart directory of the run's workspace (its git source), e.g. `deploy/chart`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chart_path: Option<String>,
    /// The chart's name in `repo`, or an `oci://` reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chart: Option<String>,
    /// A chart repository's URL (with `chart`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub repo: Option<String>,
    /// The chart's version (repository and OCI charts; default: the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub version: Option<String>,
    /// The release's name (default: the template's or step's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub release: Option<String>,
    /// The namespace, created when missing (default: the cluster's namespace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub namespace: Option<String>,
    /// The stored cluster's name (default: the only stored cluster).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cluster: Option<String>,
    /// Values (a YAML mapping), given to Helm as a values file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub values: Option<String>,
    /// `--set KEY=VALUE` pairs; values may use the run's variables (`${TAG}`, a secret parameter).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub set: BTreeMap<String, String>,
    /// How long Helm waits for the workloads to be ready before it rolls back (default 300 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub wait_seconds: Option<u64>,
    /// Roll the release back to this Helm revision instead of upgrading it: set by an app's
    /// rollback, refused in a saved template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rollback_to: Option<u32>,
}

/// How a Helm app stands now, as `helm status` and the cluster say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HelmAppStatus {
    /// The release's current Helm revision (none when the release does not exist).
    pub helm_revision: Option<u32>,
    /// `deployed`, `failed`, `pending-upgrade`, … (`missing` when there is no such release).
    pub status: String,
    /// Helm's description of the last operation.
    pub description: String,
    /// The workloads of the release and their readiness.
    pub workloads: Vec<HelmWorkload>,
    /// When the release is stuck in `pending-*`: the way out, in words.
    pub pending: Option<String>,
    /// The Helm revision the way out rolls back to (none: a first install to uninstall).
    pub recover_to: Option<u32>,
}

/// A Deployment, StatefulSet or DaemonSet of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HelmWorkload {
    /// `Deployment`, `StatefulSet` or `DaemonSet`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Pods ready.
    pub ready: u32,
    /// Pods wanted.
    pub desired: u32,
    /// Its containers' images.
    pub images: Vec<String>,
}
