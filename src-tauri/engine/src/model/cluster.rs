//! Kubernetes clusters as the UI and the CLI see them: a name for a context of the user's own
//! kubeconfig, or for a kubeconfig kept in the keyring. Kubeconfig contents are never part of these
//! types (they hold keys and tokens): only the engine reads them, from the keyring.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a cluster's kubeconfig comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ClusterSource {
    /// A context of the user's kubeconfig (`$KUBECONFIG`, else `~/.kube/config`, or the
    /// `kube.kubeconfig` setting), read each time it is used.
    Context,
    /// A kubeconfig given to simple-cicd and kept in the keyring.
    Kubeconfig,
}

impl ClusterSource {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterSource::Context => "context",
            ClusterSource::Kubeconfig => "kubeconfig",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<ClusterSource> {
        [ClusterSource::Context, ClusterSource::Kubeconfig].into_iter().find(|k| k.as_str() == s)
    }
}

/// A Kubernetes cluster simple-cicd can deploy to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Cluster {
    /// What templates call it (`cluster: NAME`).
    pub name: String,
    /// Where its kubeconfig comes from.
    pub source: ClusterSource,
    /// The kubeconfig context: always set for [`ClusterSource::Context`]; for a stored kubeconfig,
    /// `null` means that kubeconfig's `current-context`.
    pub context: Option<String>,
    /// The namespace deployments go to unless they name another.
    pub namespace: String,
    /// RFC 3339.
    pub created_at: Option<String>,
}

/// What a new cluster is made of: a `context` of the user's kubeconfig, or a `kubeconfig` (YAML
/// text, kept in the keyring) with optionally one of its contexts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct NewCluster {
    /// Its name.
    pub name: String,
    /// A context name (of the user's kubeconfig, or of `kubeconfig` when that is given).
    pub context: Option<String>,
    /// A whole kubeconfig file's text, to keep in the keyring.
    pub kubeconfig: Option<String>,
    /// The default namespace (empty: the context's own, else `default`).
    pub namespace: Option<String>,
}

/// A context of the user's kubeconfig, offered when adding a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KubeContext {
    /// The context's name.
    pub name: String,
    /// The name of its cluster entry.
    pub cluster: String,
    /// The API server URL of that cluster entry, when it has one.
    pub server: Option<String>,
    /// The context's namespace, when it sets one.
    pub namespace: Option<String>,
    /// Whether it is the kubeconfig's `current-context`.
    pub current: bool,
}

/// The contexts of the user's kubeconfig and the files they were read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KubeContexts {
    /// The kubeconfig files looked at, in order (missing ones included).
    pub files: Vec<String>,
    /// The contexts, in the order the files list them.
    pub contexts: Vec<KubeContext>,
}

/// A node of a cluster, as "Test" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClusterNode {
    /// The node's name.
    pub name: String,
    /// Whether its `Ready` condition is `True`.
    pub ready: bool,
    /// The kubelet's version, e.g. `v1.20.2`.
    pub version: String,
}

/// What "Test" found on a cluster that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClusterInfo {
    /// The cluster's name.
    pub cluster: String,
    /// The kubeconfig context used.
    pub context: String,
    /// The API server's URL.
    pub server: String,
    /// The default namespace.
    pub namespace: String,
    /// The API server's version, e.g. `v1.20.2`.
    pub server_version: String,
    /// Its platform, e.g. `linux/amd64`.
    pub platform: String,
    /// The nodes (empty when they may not be listed: see `nodes_error`).
    pub nodes: Vec<ClusterNode>,
    /// Why the nodes could not be listed (e.g. the user may not list nodes), when so.
    pub nodes_error: Option<String>,
    /// The kubectl that was used, and its version.
    pub kubectl: String,
    /// Round trip of the version request, in milliseconds.
    #[ts(type = "number")]
    pub latency_ms: i64,
}
