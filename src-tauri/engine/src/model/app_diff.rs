//! The difference between two revisions of an app: what `app_diff` answers and the rollback
//! confirmation shows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What changes from revision `from` to revision `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppDiff {
    /// The revision compared from.
    pub from: u32,
    /// The revision compared to.
    pub to: u32,
    /// The configurations as a unified line diff (`--- #1`, `+++ #2`, `@@ … @@` hunks); empty
    /// when they are the same. Secret values are never in a stored configuration.
    pub config: String,
    /// Per service (by name), the image in each revision; services of either revision.
    pub images: Vec<ImageChange>,
}

/// One service's image in the two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageChange {
    /// The service.
    pub service: String,
    /// Its image in revision `from` (none: the service is not in that revision).
    pub from: Option<PinnedImage>,
    /// Its image in revision `to` (none: the service is not in that revision).
    pub to: Option<PinnedImage>,
    /// Whether it differs (by digest when both have one).
    pub changed: bool,
}

/// An image as written and as it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PinnedImage {
    /// As the configuration names it (`localhost:5000/web:latest`).
    pub image: String,
    /// By digest (`repo@sha256:…`), or the image id; empty when unknown.
    pub pinned: String,
}
