//! The worked example simple-cicd ships (a small web app's templates and pipelines): what importing
//! it would create, and what an import did. The example's files themselves are embedded by
//! `api::example`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::template::TemplateSpec;

/// The bundled example, as an import would save it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Example {
    /// Its name, e.g. `webapp`.
    pub name: String,
    /// The repository its templates check out as written (`scripts/example.sh` adds it under this
    /// name); an import may name another.
    pub repo: String,
    /// The templates in the order they are saved: those the pipelines use first, the pipelines last.
    #[ts(as = "Vec<super::TemplateFile>")]
    pub templates: Vec<TemplateSpec>,
    /// The name of the pipeline the example is about (`pipeline.yaml`'s; another deploys with Helm).
    pub pipeline: String,
    /// The example's template names that are taken already: an import refuses, unless asked to
    /// replace them.
    pub existing: Vec<String>,
    /// What its runs use besides the repository, and whether each is there. An import does not
    /// need them; a run does (`scripts/example.sh` sets them all up).
    pub needs: Vec<ExampleNeed>,
}

/// Something the example's runs use that is stored under a name: a registry, a secret, a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExampleNeed {
    /// What it is.
    pub what: NeedKind,
    /// Its name, e.g. `local`.
    pub name: String,
    /// The example's templates that name it.
    pub used_by: Vec<String>,
    /// Whether one by that name is stored.
    pub present: bool,
}

/// The kinds of stored things a template names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum NeedKind {
    /// An image registry (`scicd registry add`).
    Registry,
    /// A stored secret (`scicd secret set`).
    Secret,
    /// A Kubernetes cluster (`scicd cluster add`).
    Cluster,
}

/// What an import of the example saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExampleImported {
    /// The repository the templates check out.
    pub repo: String,
    /// Templates created, in the order they were saved.
    pub created: Vec<String>,
    /// Templates that existed and were replaced (only when asked).
    pub replaced: Vec<String>,
    /// The main pipeline's name: what to open or run next.
    pub pipeline: String,
}
