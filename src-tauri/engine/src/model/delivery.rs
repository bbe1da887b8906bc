//! Webhook deliveries and what the UI shows about a template's triggers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::repository::Provider;

/// What became of a webhook delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeliveryOutcome {
    /// A run was started.
    Started,
    /// A push of a branch or tag the trigger's filters leave out.
    Filtered,
    /// Answered without a run: a ping, another event, a deleted branch or tag.
    Ignored,
    /// The same delivery was already accepted; no second run.
    Duplicate,
    /// Refused: signature, secret, size, body, or triggers paused.
    Rejected,
}

impl DeliveryOutcome {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryOutcome::Started => "started",
            DeliveryOutcome::Filtered => "filtered",
            DeliveryOutcome::Ignored => "ignored",
            DeliveryOutcome::Duplicate => "duplicate",
            DeliveryOutcome::Rejected => "rejected",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<DeliveryOutcome> {
        [
            DeliveryOutcome::Started,
            DeliveryOutcome::Filtered,
            DeliveryOutcome::Ignored,
            DeliveryOutcome::Duplicate,
            DeliveryOutcome::Rejected,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// One received webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Delivery {
    /// Database id.
    #[ts(type = "number")]
    pub id: i64,
    /// The template addressed.
    pub template: String,
    /// The provider in the URL.
    pub provider: Provider,
    /// The forge's delivery id, when it sent one.
    pub delivery_id: Option<String>,
    /// The event (`push`, `ping`, `Push Hook`...).
    pub event: Option<String>,
    /// The pushed ref, e.g. `refs/heads/main`.
    pub git_ref: Option<String>,
    /// The pushed commit.
    pub sha: Option<String>,
    /// What became of it.
    pub outcome: DeliveryOutcome,
    /// The HTTP status answered.
    pub status: u16,
    /// Why, in a sentence.
    pub message: String,
    /// The run started (or, for a duplicate, the run of the first delivery).
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// RFC 3339.
    pub received_at: String,
}

/// The webhook of one trigger, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WebhookInfo {
    /// The forge.
    pub provider: Provider,
    /// Where the forge must POST: `http://<server.listen>/hooks/<provider>/<template>`.
    pub url: String,
    /// The stored secret's name, if the trigger names one.
    pub secret_name: Option<String>,
    /// Whether that secret is stored.
    pub secret_stored: bool,
}

/// The cron expression of one trigger and its next fire times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CronInfo {
    /// The expression.
    pub expression: String,
    /// The next fire times, RFC 3339 with the local offset.
    pub next: Vec<String>,
    /// Why it never fires, when the expression is invalid.
    pub error: Option<String>,
}

/// Everything the UI shows about a template's triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TriggerOverview {
    /// The template.
    pub template: String,
    /// One entry per webhook trigger.
    pub webhooks: Vec<WebhookInfo>,
    /// One entry per cron trigger.
    pub crons: Vec<CronInfo>,
    /// Minutes between polls, per poll trigger.
    pub polls: Vec<u32>,
    /// Whether automatic triggers are paused (setting `triggers.paused`).
    pub paused: bool,
    /// The newest deliveries, newest first.
    pub deliveries: Vec<Delivery>,
}

/// Whether the HTTP server that receives webhooks listens (the UI's health indicator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerStatus {
    /// Whether it listens.
    pub listening: bool,
    /// Where (`127.0.0.1:8750`), when it listens.
    pub address: Option<String>,
    /// Why it does not: switched off (setting `server.enabled`) or the address is taken.
    pub error: Option<String>,
}
