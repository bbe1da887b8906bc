//! Templates: what the user saves and runs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::notify::NotifyRule;
use super::run::Run;
use super::trigger::{SourceSpec, TriggerSpec};

/// The kinds of template. Later kinds (docker-build, compose, helm) join this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum TemplateKind {
    /// A shell script run on the host.
    Shell,
}

impl TemplateKind {
    /// Every kind, in the spelling of the YAML file.
    pub const ALL: [&'static str; 1] = ["shell"];

    /// The YAML spelling of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Shell => "shell",
        }
    }
}

/// The type of a template parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ParamType {
    /// Any text.
    String,
    /// A finite decimal number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of `choices`.
    Choice,
    /// The value of a stored secret (named by `secret`); masked in the log.
    Secret,
}

/// How a run behaves next to other runs of the same template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ConcurrencyPolicy {
    /// Runs of the template may execute side by side.
    #[default]
    Parallel,
    /// A new run waits until the running one has ended.
    Queue,
    /// A new run cancels the running (and queued) ones.
    CancelPrevious,
}

impl ConcurrencyPolicy {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Parallel => "parallel",
            ConcurrencyPolicy::Queue => "queue",
            ConcurrencyPolicy::CancelPrevious => "cancel-previous",
        }
    }
}

/// One typed parameter of a template; it reaches the script as an environment variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ParamSpec {
    /// The environment variable name.
    pub name: String,
    /// The value's type.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// The value used when the run does not give one.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Whether a run must give a value (or the default must exist).
    #[serde(default)]
    pub required: bool,
    /// What the parameter is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The allowed values of a `choice` parameter.
    #[serde(default)]
    pub choices: Vec<String>,
    /// For a `secret` parameter: the stored secret's name (default: the parameter's name).
    #[serde(default)]
    pub secret: Option<String>,
}

impl ParamSpec {
    /// The stored secret a `secret` parameter refers to.
    pub fn secret_name(&self) -> &str {
        self.secret.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.name)
    }
}

/// A template as written in its YAML file: everything the user edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct TemplateSpec {
    /// The template kind.
    pub kind: TemplateKind,
    /// Unique name; also the CLI's handle on it.
    #[serde(default)]
    pub name: String,
    /// A sentence on what it does.
    #[serde(default)]
    pub description: String,
    /// The repository and ref a run checks out into its working directory.
    #[serde(default)]
    pub source: Option<SourceSpec>,
    /// What starts the template by itself: webhooks, polling, cron.
    #[serde(default)]
    pub triggers: Vec<TriggerSpec>,
    /// Typed parameters.
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    /// Where the script starts: absolute, or relative to the run's own workspace.
    #[serde(default)]
    pub workdir: Option<String>,
    /// Limit on the run's duration; the run ends `timed_out` after it.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub timeout_seconds: Option<u64>,
    /// What a new run does when another run of this template is queued or running.
    #[serde(default)]
    pub concurrency: ConcurrencyPolicy,
    /// The shell script.
    #[serde(default)]
    pub script: String,
    /// Who hears of a run's end, and when.
    #[serde(default)]
    pub notify: Vec<NotifyRule>,
}

/// A saved template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Template {
    /// Database id.
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Whether it is pinned to the tray for quick runs.
    pub pinned: bool,
    /// The content.
    pub spec: TemplateSpec,
}

/// A line of the templates list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TemplateSummary {
    /// Database id.
    #[ts(type = "number")]
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Kind.
    pub kind: TemplateKind,
    /// Description.
    pub description: String,
    /// Number of parameters.
    pub param_count: u32,
    /// RFC 3339.
    pub updated_at: String,
    /// The newest run of this template, if any.
    pub last_run: Option<Run>,
    /// Whether it is pinned to the tray for quick runs.
    pub pinned: bool,
}

/// What the desktop app tells the UI about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    /// simple-cicd's version.
    pub version: String,
    /// The data directory in use.
    pub data_dir: String,
    /// The OS locale, e.g. `zh-CN` or `en-US`.
    pub locale: String,
}
