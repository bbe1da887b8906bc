//! Plain data shared by every area of the engine and sent across the border to the UI and the CLI.
//!
//! Every type here derives `Serialize` and `ts_rs::TS`; the generated TypeScript lives in
//! `ui/src/bindings/` and is committed. Those the API sends or takes derive `schemars::JsonSchema`
//! too, for the OpenAPI document of `/api/v1` (see `schema.rs` for the hand-written ones).
//! Nothing in this module does I/O.

mod app;
mod app_diff;
mod cluster;
mod delivery;
mod docker;
mod error;
mod example;
mod helm;
mod notify;
mod pipeline;
mod repository;
mod run;
mod schema;
mod step;
mod template;
mod template_file;
mod time;
mod trigger;
mod user;

pub use app::{App, AppRevision, ServiceState};
pub use app_diff::{AppDiff, ImageChange, PinnedImage};
pub use cluster::{Cluster, ClusterInfo, ClusterNode, ClusterSource, KubeContext, KubeContexts, NewCluster};
pub use delivery::{CronInfo, Delivery, DeliveryOutcome, ServerStatus, TriggerOverview, WebhookInfo};
pub use docker::{Endpoint, EndpointInfo, EndpointKind, NewEndpoint, NewRegistry, PushSpec, Registry, RegistryCheck};
pub use error::{ApiError, ErrorCode, ErrorParams, FieldError};
pub use example::{Example, ExampleImported, ExampleNeed, NeedKind};
pub use helm::{HelmAppStatus, HelmBody, HelmWorkload};
pub use notify::{
    EmailDelivery, EmailState, NavigateTo, NotifyRule, NotifyWhen, PinnedTemplate, SmtpAnswer, TrayApp, TraySummary,
};
pub use pipeline::{
    ApprovalBody, BuildBody, ComposeBody, InlineBody, PipelineStep, ShellBody, SshBody, StepBody, StepCondition,
    StepWhen, UsesBody,
};
pub use repository::{Provider, RefKind, RemoteRef, RepoAuth, RepoRefs, Repository, RepositoryInput};
pub use run::{
    DashboardStats, FollowEvent, LogLine, LogLineRef, LogLinesRef, LogStream, Run, RunFilter, RunPage, RunStatus,
    StatusCount,
};
pub use step::{RunStep, StepStatus};
pub use template::{
    AppInfo, ConcurrencyPolicy, ParamSpec, ParamType, Template, TemplateBody, TemplateKind, TemplateSpec,
    TemplateSummary, LOCAL_ENDPOINT,
};
pub use template_file::TemplateFile;
pub use time::{format_duration, now_ms, parse_rfc3339, rfc3339};
pub use trigger::{PollTrigger, RunCommit, SourceSpec, TriggerSpec, WebhookTrigger};
pub use user::{ApiToken, AuditEntry, AuditFilter, CreatedToken, Role, Scope, Session, User, UserChange};
