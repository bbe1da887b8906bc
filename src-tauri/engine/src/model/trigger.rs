//! A template's source (repository and ref) and its triggers, as written in its YAML file:
//!
//! ```yaml
//! source: { repo: web, ref: main }
//! triggers:
//!   - webhook: { provider: github, secret: GH_HOOK, branches: ["main", "release/*"], tags: ["v*"] }
//!   - poll: { everyMinutes: 5, branches: ["main"] }
//!   - cron: "0 3 * * *"
//! ```

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::repository::Provider;

/// Where a template's code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct SourceSpec {
    /// The repository's name.
    pub repo: String,
    /// The branch, tag or commit to check out (default: the remote's default branch).
    #[serde(rename = "ref", default)]
    pub git_ref: String,
}

/// What starts a template by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TriggerSpec {
    /// A push reported by the forge to `POST /hooks/<provider>/<template>`.
    Webhook(WebhookTrigger),
    /// Looking at the remote's branches every few minutes.
    Poll(PollTrigger),
    /// A five-field cron expression in the local time zone.
    Cron(String),
}

/// A webhook trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct WebhookTrigger {
    /// Which forge's signature scheme and payload format.
    pub provider: Provider,
    /// The name of the stored secret shared with the forge. Without one, deliveries are refused.
    #[serde(default)]
    pub secret: Option<String>,
    /// Branch globs that run (`main`, `release/*`). None and no tags: every branch.
    #[serde(default)]
    pub branches: Vec<String>,
    /// Tag globs that run (`v*`). None: tags do not run.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A polling trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct PollTrigger {
    /// Minutes between two looks (1 to 1440).
    pub every_minutes: u32,
    /// Branch globs to watch. None: the branch of the template's source ref.
    #[serde(default)]
    pub branches: Vec<String>,
}

/// The commit a run checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunCommit {
    /// The repository's name.
    pub repo: String,
    /// Full SHA.
    pub sha: String,
    /// The first 8 characters.
    pub short_sha: String,
    /// The branch, when the run checked out a branch.
    pub branch: Option<String>,
    /// The tag, when the run checked out a tag.
    pub tag: Option<String>,
    /// `Name <email>`.
    pub author: String,
    /// The commit message.
    pub message: String,
}
