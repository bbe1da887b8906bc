//! Notification rules of a template, the e-mail delivery status of a run, and what the tray shows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::run::{Run, RunStatus};

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum NotifyWhen {
    /// The run failed, timed out or was interrupted.
    Failed,
    /// The run succeeded.
    Succeeded,
    /// Every end, cancelled runs included.
    Always,
    /// The outcome differs from the template's previous finished run (failed -> succeeded, ...).
    Changed,
    /// An app the template deploys turned unhealthy, went down or cannot be checked (the apps
    /// watch saw it; not a run's end).
    Unhealthy,
    /// What runs of an app the template deploys is no longer its current revision.
    Drifted,
    /// Such an app is healthy and in sync again.
    Recovered,
}

impl NotifyWhen {
    /// Every spelling of the YAML file.
    pub const ALL: [&'static str; 7] =
        ["failed", "succeeded", "always", "changed", "unhealthy", "drifted", "recovered"];

    /// Whether it is about an app's state (the apps watch) rather than a run's end.
    pub fn is_app_event(self) -> bool {
        matches!(self, NotifyWhen::Unhealthy | NotifyWhen::Drifted | NotifyWhen::Recovered)
    }
}

/// One notification rule of a template: when it fires and who hears of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct NotifyRule {
    /// The outcomes that fire the rule (any of them).
    #[serde(default)]
    pub when: Vec<NotifyWhen>,
    /// Addresses that receive an e-mail.
    #[serde(default)]
    pub email: Vec<String>,
    /// Whether a desktop notification is shown.
    #[serde(default)]
    pub desktop: bool,
}

/// Where the e-mail of a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EmailState {
    /// Being sent, or waiting for another attempt.
    Pending,
    /// The SMTP server accepted it.
    Sent,
    /// Given up; `message` says why.
    Failed,
}

/// The e-mail of a run: to whom, how it went, and the SMTP server's last answer or the error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EmailDelivery {
    /// Where it is.
    pub state: EmailState,
    /// The recipients.
    pub recipients: Vec<String>,
    /// Attempts made so far.
    pub attempts: u32,
    /// The server's answer (`250 OK`) or why it was not sent (`535 5.7.8 Authentication credentials invalid`).
    pub message: Option<String>,
    /// RFC 3339, when this status was recorded.
    pub updated_at: String,
}

/// What an SMTP server answered to a test message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SmtpAnswer {
    /// Whether the server accepted the message.
    pub accepted: bool,
    /// Its exact answer (`250 OK`, `535 5.7.8 Authentication credentials invalid`), or what went
    /// wrong before it could answer, with what to do.
    pub message: String,
}

/// A pinned template, for quick runs from the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PinnedTemplate {
    /// Template name.
    pub name: String,
    /// Whether a quick run opens the run form first (see [`super::Template::needs_form`]);
    /// without, it starts at once.
    pub needs_form: bool,
}

/// An app in the tray: its name and what the apps watch saw of it last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrayApp {
    /// `NAME@ENDPOINT`, for opening its page.
    pub handle: String,
    /// The app's name.
    pub name: String,
    /// `healthy`, `unhealthy`, `drifted`, `down`, `unknown` (cannot be checked), or `unchecked`
    /// (the watch has not looked yet, or is off).
    pub state: String,
}

/// What the tray shows: pinned templates, recent runs and the switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TraySummary {
    /// Pinned templates, by name.
    pub pinned: Vec<PinnedTemplate>,
    /// The newest runs (at most five).
    pub recent: Vec<Run>,
    /// Pipeline runs waiting for an approval, newest first (at most five).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Run>>")]
    pub waiting: Vec<Run>,
    /// Every app with what the apps watch saw of it last, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<TrayApp>>")]
    pub apps: Vec<TrayApp>,
    /// Runs queued or running now.
    pub active: u32,
    /// The status of the newest finished run.
    pub last_finished: Option<RunStatus>,
    /// Whether triggers are paused (setting `triggers.paused`).
    pub triggers_paused: bool,
    /// Whether desktop notifications are held back (setting `notify.doNotDisturb`).
    pub do_not_disturb: bool,
}

/// A page the desktop window is asked to show (event `app://navigate`), from the tray or a
/// notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
#[ts(export)]
pub enum NavigateTo {
    /// A run's page.
    Run {
        /// Run id.
        #[ts(type = "number")]
        id: i64,
    },
    /// A template's run form (a quick run of a template with parameters).
    RunForm {
        /// Template name.
        template: String,
    },
    /// An app's page.
    App {
        /// `NAME@ENDPOINT`.
        name: String,
    },
    /// The Apps page.
    Apps,
}
