//! Templates: what the user saves and runs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::helm::HelmBody;
use super::notify::NotifyRule;
use super::pipeline::{BuildBody, ComposeBody, PipelineStep, ShellBody, SshBody};
use super::run::Run;
use super::template_file::TemplateFile;
use super::trigger::{SourceSpec, TriggerSpec};

/// The kinds of template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum TemplateKind {
    /// A shell script run on the host, or in a container when the template names an `image`.
    #[default]
    Shell,
    /// An image built from a Dockerfile on a Docker endpoint, optionally pushed to a registry.
    DockerBuild,
    /// Steps that form a graph: test, build, push, deploy, each step one of the other kinds.
    Pipeline,
    /// A Docker Compose stack deployed to an endpoint.
    Compose,
    /// A script run on another machine over ssh.
    Ssh,
    /// A Helm chart installed or upgraded as a release of a Kubernetes cluster.
    Helm,
}

impl TemplateKind {
    /// Every kind, in the spelling of the YAML file.
    pub const ALL: [&'static str; 6] = ["shell", "docker-build", "pipeline", "compose", "ssh", "helm"];

    /// The YAML spelling of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Shell => "shell",
            TemplateKind::DockerBuild => "docker-build",
            TemplateKind::Pipeline => "pipeline",
            TemplateKind::Compose => "compose",
            TemplateKind::Ssh => "ssh",
            TemplateKind::Helm => "helm",
        }
    }
}

/// The type of a template parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
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
    /// Whether a run asks the user for its value. A `secret` parameter does not: its value is read
    /// from the keyring.
    pub fn takes_input(&self) -> bool {
        self.kind != ParamType::Secret
    }

    /// The stored secret a `secret` parameter refers to.
    pub fn secret_name(&self) -> &str {
        self.secret.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.name)
    }
}

/// A template: what the user saves and runs. Its kind-specific part is a typed [`TemplateBody`];
/// the YAML file and the UI's form keep the flat shape of [`TemplateFile`], which this is read
/// from and written to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "TemplateFile", into = "TemplateFile")]
pub struct TemplateSpec {
    /// Unique name; also the CLI's handle on it.
    pub name: String,
    /// A sentence on what it does.
    pub description: String,
    /// The repository and ref a run checks out into its working directory.
    pub source: Option<SourceSpec>,
    /// What starts the template by itself: webhooks, polling, cron.
    pub triggers: Vec<TriggerSpec>,
    /// Typed parameters.
    pub params: Vec<ParamSpec>,
    /// Limit on the run's duration; the run ends `timed_out` after it.
    pub timeout_seconds: Option<u64>,
    /// What a new run does when another run of this template is queued or running.
    pub concurrency: ConcurrencyPolicy,
    /// Who hears of a run's end, and when.
    pub notify: Vec<NotifyRule>,
    /// What it does: the kind and the kind's own fields.
    pub body: TemplateBody,
}

/// What a template does, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateBody {
    /// A shell script, on the host or in a container.
    Shell(ShellBody),
    /// An image build, optionally pushed.
    DockerBuild(BuildBody),
    /// Steps that form a graph.
    Pipeline(Vec<PipelineStep>),
    /// A Docker Compose stack.
    Compose(ComposeBody),
    /// A script on another machine.
    Ssh(SshBody),
    /// A Helm release.
    Helm(HelmBody),
}

impl Default for TemplateBody {
    fn default() -> Self {
        TemplateBody::Shell(ShellBody::default())
    }
}

impl TemplateBody {
    /// The kind of template this body makes.
    pub fn kind(&self) -> TemplateKind {
        match self {
            TemplateBody::Shell(_) => TemplateKind::Shell,
            TemplateBody::DockerBuild(_) => TemplateKind::DockerBuild,
            TemplateBody::Pipeline(_) => TemplateKind::Pipeline,
            TemplateBody::Compose(_) => TemplateKind::Compose,
            TemplateBody::Ssh(_) => TemplateKind::Ssh,
            TemplateBody::Helm(_) => TemplateKind::Helm,
        }
    }

    /// The body as the one step of a run (none for a pipeline, whose steps are its own).
    pub fn as_step(&self) -> Option<super::InlineBody> {
        use super::InlineBody;
        match self {
            TemplateBody::Shell(b) => Some(InlineBody::Shell(b.clone())),
            TemplateBody::DockerBuild(b) => Some(InlineBody::DockerBuild(b.clone())),
            TemplateBody::Compose(b) => Some(InlineBody::Compose(b.clone())),
            TemplateBody::Ssh(b) => Some(InlineBody::Ssh(b.clone())),
            TemplateBody::Helm(b) => Some(InlineBody::Helm(b.clone())),
            TemplateBody::Pipeline(_) => None,
        }
    }
}

impl TemplateSpec {
    /// The template's kind.
    pub fn kind(&self) -> TemplateKind {
        self.body.kind()
    }

    /// Whether a run of it asks for input first: some parameter takes a value. The one rule for
    /// every door that starts runs with one click.
    pub fn needs_run_form(&self) -> bool {
        self.params.iter().any(ParamSpec::takes_input)
    }

    /// A pipeline's steps (none for the other kinds).
    pub fn steps(&self) -> &[PipelineStep] {
        match &self.body {
            TemplateBody::Pipeline(steps) => steps,
            _ => &[],
        }
    }

    /// The Docker endpoint the template uses, when it uses one.
    pub fn docker_endpoint(&self) -> Option<&str> {
        match &self.body {
            TemplateBody::Shell(b) => b.docker_endpoint(),
            TemplateBody::DockerBuild(b) => Some(b.docker_endpoint()),
            TemplateBody::Compose(b) => Some(b.docker_endpoint()),
            TemplateBody::Pipeline(_) | TemplateBody::Ssh(_) | TemplateBody::Helm(_) => None,
        }
    }
}

/// The name of the built-in endpoint: the local Docker socket.
pub const LOCAL_ENDPOINT: &str = "local";

/// A saved template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
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
    /// Whether starting it asks for input first ([`TemplateSpec::needs_run_form`]): every door
    /// that starts a run with one click (the tray, the quick picker, the Run buttons) opens the
    /// run form when this is true and starts the run at once when it is false.
    pub needs_form: bool,
    /// The content.
    #[ts(as = "super::TemplateFile")]
    pub spec: TemplateSpec,
}

/// A line of the templates list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
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
    /// Whether starting it asks for input first (see [`Template::needs_form`]).
    pub needs_form: bool,
    /// RFC 3339.
    pub updated_at: String,
    /// The newest run of this template, if any.
    pub last_run: Option<Run>,
    /// Whether it is pinned to the tray for quick runs.
    pub pinned: bool,
}

/// What the desktop app tells the UI about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
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
