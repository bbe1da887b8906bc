//! A template's source (repository and ref) and its triggers, as written in its YAML file:
//!
//! ```yaml
//! source: { repo: web, ref: main }
//! triggers:
//!   - webhook: { provider: github, secret: GH_HOOK, branches: ["main", "release/*"], tags: ["v*"] }
//!   - poll: { everyMinutes: 5, branches: ["main"] }
//!   - cron: "0 3 * * *"
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::repository::Provider;

/// Where a template's code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct SourceSpec {
    /// The repository's name.
    pub repo: String,
    /// The branch, tag or commit to check out (default: the remote's default branch).
    #[serde(rename = "ref", default)]
    pub git_ref: String,
}

/// What starts a template by itself. In YAML and JSON, a mapping with exactly one key:
/// `webhook`, `poll` or `cron`.
#[derive(Debug, Clone, PartialEq, Eq, TS, JsonSchema)]
#[ts(export, rename_all = "camelCase")]
// The schema of serde's externally tagged form, which is the one-key mapping `RawTrigger` writes.
#[schemars(rename_all = "camelCase")]
pub enum TriggerSpec {
    /// A push reported by the forge to `POST /hooks/<provider>/<template>`.
    Webhook(WebhookTrigger),
    /// Looking at the remote's branches every few minutes.
    Poll(PollTrigger),
    /// A five-field cron expression in the local time zone.
    Cron(String),
}

/// The one-key mapping a trigger is written as (serde_yaml would otherwise expect YAML tags).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawTrigger {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    webhook: Option<WebhookTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    poll: Option<PollTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cron: Option<String>,
}

impl From<TriggerSpec> for RawTrigger {
    fn from(t: TriggerSpec) -> RawTrigger {
        match t {
            TriggerSpec::Webhook(w) => RawTrigger { webhook: Some(w), ..Default::default() },
            TriggerSpec::Poll(p) => RawTrigger { poll: Some(p), ..Default::default() },
            TriggerSpec::Cron(c) => RawTrigger { cron: Some(c), ..Default::default() },
        }
    }
}

impl TryFrom<RawTrigger> for TriggerSpec {
    type Error = String;

    fn try_from(raw: RawTrigger) -> Result<TriggerSpec, String> {
        match (raw.webhook, raw.poll, raw.cron) {
            (Some(w), None, None) => Ok(TriggerSpec::Webhook(w)),
            (None, Some(p), None) => Ok(TriggerSpec::Poll(p)),
            (None, None, Some(c)) => Ok(TriggerSpec::Cron(c)),
            (None, None, None) => Err("a trigger is one of `webhook: {...}`, `poll: {...}` or `cron: \"...\"`".into()),
            _ => Err("a trigger has exactly one of webhook, poll or cron; write each as its own list item".into()),
        }
    }
}

impl Serialize for TriggerSpec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RawTrigger::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TriggerSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TriggerSpec, D::Error> {
        TriggerSpec::try_from(RawTrigger::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// A webhook trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
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
