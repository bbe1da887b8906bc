//! The operations of `/api/v1`, each declared once: its name (the Tauri command's), method, path,
//! scope, arguments (the Tauri command's, camelCase on the wire), answer, and the few lines that
//! call the engine. The [`ops!`] macro makes from each an argument struct that refuses unknown
//! fields (and derives the JSON Schema of the arguments), a handler, and an entry of [`OPS`] (with
//! the schemas of its arguments and its answer, for the OpenAPI document). Each passes the caller
//! the route's check established to the engine, which checks it again (scope, grants), sets a run's
//! trigger from it and records every change in the audit log (who, what, which resource, the
//! result; never a value), whichever door the call came through; the tests check that.

use std::collections::BTreeMap;
use std::future::Future;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use simple_cicd_engine::api::{self, AppAction, AppDetail, LogSearch};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{
    ApiToken, App, AppDiff, AppInfo, AuditEntry, AuditFilter, Cluster, ClusterInfo, DashboardStats, Endpoint,
    EndpointInfo, Example, ExampleImported, KubeContexts, LogLine, NewCluster, NewEndpoint, NewRegistry, Provider,
    Registry, RegistryCheck, RepoRefs, Repository, RepositoryInput, Role, Run, RunFilter, RunPage, RunStep, Scope,
    ServerStatus, SmtpAnswer, Template, TemplateFile, TemplateSpec, TemplateSummary, TriggerOverview, User, UserChange,
};
use simple_cicd_engine::retention::{self, CleanupReport, StorageUsage};
use simple_cicd_engine::secrets::{self, SecretInfo};
use simple_cicd_engine::settings::{self, Setting};
use simple_cicd_engine::{Engine, Error, Result};

use super::{args, ApiFailure, Arg, Kind, Method, Route};

const READ: Option<Scope> = Some(Scope::Read);
const RUN: Option<Scope> = Some(Scope::Run);
const DEPLOY: Option<Scope> = Some(Scope::Deploy);
const WRITE: Option<Scope> = Some(Scope::Write);
const ADMIN: Option<Scope> = Some(Scope::Admin);

/// Where the server listens, put into every request by [`crate::start`] (`server_status`).
#[derive(Debug, Clone)]
pub struct ServerInfo(pub ServerStatus);

/// What an operation's handler has: the engine, the caller the route's check established, the
/// route.
pub struct Cx {
    engine: Engine,
    caller: Caller,
    server: Option<ServerInfo>,
    route: &'static Route,
}

impl Cx {
    /// Records a request refused before its operation ran (bad arguments, too large) under the
    /// action named after the operation (`template_save` → `template.save`). The operations
    /// themselves are audited by the engine, whichever door calls them.
    async fn audit<T>(&self, resource: &str, result: &Result<T>, detail: Option<&str>) {
        api::audit_record(&self.engine, &self.caller, &action(self.route.op), resource, result, detail).await;
    }
}

/// The audit action of an operation: its first `_` a `.` (`run_start` → `run.start`).
pub fn action(op: &str) -> String {
    op.replacen('_', ".", 1)
}

/// Runs one operation: its arguments from the request, its handler, its answer as JSON. A request
/// refused before the handler runs (bad arguments, too large) is audited too when the operation
/// changes something.
async fn serve<A, R, F, Fut>(route: &'static Route, engine: Engine, request: Request, f: F) -> Response
where
    A: DeserializeOwned,
    R: Serialize,
    F: FnOnce(Cx, A) -> Fut,
    Fut: Future<Output = Result<R>>,
{
    let Some(caller) = request.extensions().get::<Caller>().cloned() else {
        let e = Error::Unauthenticated { reason: "sign in first (POST /api/v1/auth/signin)".into() };
        return ApiFailure::from(e).into_response();
    };
    let server = request.extensions().get::<ServerInfo>().cloned();
    let path = request.uri().path().to_string();
    let cx = Cx { engine, caller, server, route };
    let args = match args::extract::<A>(route, request).await {
        Ok(a) => a,
        Err(failure) => {
            if route.changes() {
                let refused: Result<()> =
                    Err(Error::invalid("request", failure.0.code.as_str(), failure.0.message.clone()));
                cx.audit(&path, &refused, Some(failure.0.code.as_str())).await;
            }
            return failure.into_response();
        }
    };
    match f(cx, args).await {
        Ok(v) => {
            let status = StatusCode::from_u16(route.status).unwrap_or(StatusCode::OK);
            (status, Json(v)).into_response()
        }
        Err(e) => ApiFailure::from(e).into_response(),
    }
}

macro_rules! ops {
    ($(
        $(#[doc = $doc:literal])+
        $op:ident: $method:ident $path:literal $scope:ident
            ( $( $(#[$meta:meta])* $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty $(, $status:literal)?
            => |$cx:pat_param, $a:pat_param| $body:block
    )*) => {
        $(
            #[allow(non_camel_case_types)]
            #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            pub struct $op { $( $(#[$meta])* $arg: $ty, )* }

            async fn $op($cx: Cx, $a: $op) -> Result<$ret> $body
        )*

        /// The generated operations.
        pub const OPS: &[Route] = &[ $( Route {
            method: Method::$method,
            path: $path,
            scope: $scope,
            op: stringify!($op),
            summary: concat!($($doc),+),
            args: &[ $( Arg { name: stringify!($arg), ty: stringify!($ty), attrs: concat!("" $(, stringify!($meta))*) } ),* ],
            returns: stringify!($ret),
            status: ops!(@status $($status)?),
            kind: Kind::Json,
            request: super::arguments::<$op>,
            response: super::answer::<$ret>,
        } ),* ];

        /// Runs the operation `route.op`.
        pub async fn dispatch(route: &'static Route, engine: Engine, request: Request) -> Response {
            match route.op {
                $( stringify!($op) => serve(route, engine, request, $op).await, )*
                other => unreachable!("the operation {other} has no handler"),
            }
        }

        /// Only reads the arguments of `route.op` from the request, as [`dispatch`] does, and
        /// calls nothing: 204 when they fit, the API's refusal when not (the fuzz targets' door).
        pub(crate) async fn arguments_only(route: &'static Route, request: Request) -> Response {
            let fitted = match route.op {
                $( stringify!($op) => args::extract::<$op>(route, request).await.map(drop), )*
                other => unreachable!("the operation {other} has no handler"),
            };
            match fitted {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(failure) => failure.into_response(),
            }
        }
    };
    (@status) => { 200 };
    (@status $s:literal) => { $s };
}

ops! {
    /// Version, data directory and the server's locale
    app_info: Get "/api/v1/info" READ () -> AppInfo => |cx, _| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: cx.engine.data_dir().display().to_string(),
            locale: server_locale(),
        })
    }

    /// Run counts by status and the latest runs
    dashboard_stats: Get "/api/v1/dashboard" READ () -> DashboardStats => |cx, _| {
        api::dashboard_stats(&cx.engine).await
    }

    /// Every template with its last run
    template_list: Get "/api/v1/templates" READ () -> Vec<TemplateSummary> => |cx, _| {
        api::template_list(&cx.engine).await
    }

    /// One template
    template_get: Get "/api/v1/templates/{name}" READ (name: String) -> Template => |cx, a| {
        api::template_get(&cx.engine, &a.name).await
    }

    /// Create a template, or update (and possibly rename) the one called originalName
    template_save: Post "/api/v1/templates" WRITE (spec: TemplateFile, original_name: Option<String>) -> Template => |cx, a| {
        api::template_save(&cx.engine, &cx.caller, a.spec, a.original_name.as_deref()).await.map(|s| s.template)
    }

    /// Delete a template; its runs stay
    template_delete: Delete "/api/v1/templates/{name}" WRITE (name: String) -> () => |cx, a| {
        api::template_delete(&cx.engine, &cx.caller, &a.name).await
    }

    /// The template's YAML file
    template_export_yaml: Get "/api/v1/templates/{name}/yaml" READ (name: String) -> String => |cx, a| {
        api::template_export_yaml(&cx.engine, &a.name).await
    }

    /// Create or update a template from YAML
    template_import_yaml: Post "/api/v1/yaml/import" WRITE (yaml: String) -> Template => |cx, a| {
        api::template_apply_yaml(&cx.engine, &cx.caller, &a.yaml).await.map(|s| s.template)
    }

    /// Parse and validate YAML without saving: the spec it describes
    template_parse_yaml: Post "/api/v1/yaml/parse" READ (yaml: String) -> TemplateSpec => |_, a| {
        api::template_parse_yaml(&a.yaml)
    }

    /// The bundled example: its templates and pipelines, the names already taken, what its runs use
    example_get: Get "/api/v1/example" READ () -> Example => |cx, _a| {
        api::example_get(&cx.engine).await
    }

    /// Import the bundled example (all or none), checking out repo; taken names are replaced only when asked
    example_import: Post "/api/v1/example/import" WRITE (repo: Option<String>, #[serde(default)] replace: bool) -> ExampleImported, 201 => |cx, a| {
        api::example_import(&cx.engine, &cx.caller, a.repo.as_deref(), a.replace).await
    }

    /// Pin a template to the desktop tray for quick runs, or unpin it
    template_pin: Put "/api/v1/templates/{name}/pin" WRITE (name: String, pinned: bool) -> () => |cx, a| {
        api::template_pin(&cx.engine, &cx.caller, &a.name, a.pinned).await
    }

    /// Start a run (on gitRef instead of the template's source ref, when given; rerunOf: the run it starts again); its trigger names the caller
    run_start: Post "/api/v1/runs" RUN (
        template: String,
        #[serde(default)] params: BTreeMap<String, String>,
        git_ref: Option<String>,
        rerun_of: Option<i64>,
    ) -> Run, 201 => |cx, a| {
        let options = api::StartOptions { git_ref: a.git_ref.filter(|r| !r.is_empty()), rerun_of: a.rerun_of, ..Default::default() };
        api::run_start_with(&cx.engine, &cx.caller, &a.template, &a.params, &options).await
    }

    /// One run
    run_get: Get "/api/v1/runs/{id}" READ (id: i64) -> Run => |cx, a| {
        api::run_get(&cx.engine, a.id).await
    }

    /// A page of the run history (filter: template, status, limit, offset)
    run_list: Get "/api/v1/runs" READ (#[serde(default)] filter: RunFilter) -> RunPage => |cx, a| {
        api::run_list(&cx.engine, &a.filter).await
    }

    /// Cancel a queued or running run
    run_cancel: Post "/api/v1/runs/{id}/cancel" RUN (id: i64) -> Run => |cx, a| {
        api::run_cancel(&cx.engine, &cx.caller, a.id).await
    }

    /// Log lines with seq >= fromSeq, at most limit of them (default 1000, at most 10000)
    run_logs: Get "/api/v1/runs/{id}/logs" READ (
        id: i64,
        #[serde(default)] from_seq: i64,
        #[serde(default)] limit: u32,
    ) -> Vec<LogLine> => |cx, a| {
        let limit = if a.limit == 0 { 1000 } else { a.limit.min(10_000) };
        api::run_logs(&cx.engine, a.id, a.from_seq, limit as usize).await
    }

    /// The steps of a run: a pipeline's graph, or one step for other templates
    run_steps: Get "/api/v1/runs/{id}/steps" READ (id: i64) -> Vec<RunStep> => |cx, a| {
        api::run_steps(&cx.engine, a.id).await
    }

    /// Approve or decline the approval step a run waits on (step names it among several), as the caller
    run_answer: Post "/api/v1/runs/{id}/answer" RUN (
        id: i64,
        approve: bool,
        comment: Option<String>,
        step: Option<String>,
    ) -> RunStep => |cx, a| {
        let answer = api::Answer { approve: a.approve, comment: a.comment, step: a.step.filter(|s| !s.is_empty()) };
        api::run_answer(&cx.engine, &cx.caller, a.id, answer).await
    }

    /// Run a failed pipeline run again from step `from` (default: its first step that did not succeed)
    run_retry: Post "/api/v1/runs/{id}/retry" RUN (id: i64, from: Option<String>) -> Run, 201 => |cx, a| {
        let from = a.from.filter(|s| !s.is_empty());
        api::run_retry(&cx.engine, &cx.caller, a.id, from.as_deref()).await
    }

    /// Lines of a run's whole log that contain query (case-insensitive, ANSI ignored)
    run_log_search: Get "/api/v1/runs/{id}/log/search" READ (id: i64, query: String, limit: Option<u32>) -> LogSearch => |cx, a| {
        api::run_log_search(&cx.engine, a.id, &a.query, a.limit.unwrap_or(10_000) as usize).await
    }

    /// Every setting with its value (a password setting's value is never sent)
    config_list: Get "/api/v1/settings" READ () -> Vec<Setting> => |cx, _| {
        settings::config_list(&cx.engine).await
    }

    /// Change a setting (value in its text form; a password goes to the keyring)
    config_set: Put "/api/v1/settings/{key}" ADMIN (key: String, value: String) -> Setting => |cx, a| {
        settings::config_set(&cx.engine, &cx.caller, &a.key, &a.value).await
    }

    /// Go back to a setting's default (for a password: remove it from the keyring)
    config_unset: Delete "/api/v1/settings/{key}" ADMIN (key: String) -> Setting => |cx, a| {
        settings::config_unset(&cx.engine, &cx.caller, &a.key).await
    }

    /// Send a test e-mail with the SMTP settings; the answer is the server's own words
    smtp_test: Post "/api/v1/smtp/test" ADMIN (to: String) -> SmtpAnswer => |cx, a| {
        api::smtp_test(&cx.engine, &cx.caller, &a.to).await
    }

    /// The stored secrets' names and dates (never their values)
    secret_list: Get "/api/v1/secrets" READ () -> Vec<SecretInfo> => |cx, _| {
        secrets::secret_list(&cx.engine).await
    }

    /// Store a secret; the value goes to the secret store and is never sent back
    secret_set: Put "/api/v1/secrets/{name}" WRITE (name: String, value: String) -> SecretInfo => |cx, a| {
        secrets::secret_set(&cx.engine, &cx.caller, &a.name, &a.value).await
    }

    /// Remove a secret
    secret_delete: Delete "/api/v1/secrets/{name}" WRITE (name: String) -> () => |cx, a| {
        secrets::secret_delete(&cx.engine, &cx.caller, &a.name).await
    }

    /// Disk used by logs, workspaces and the database
    storage_usage: Get "/api/v1/storage" READ () -> StorageUsage => |cx, _| {
        retention::storage_usage(&cx.engine).await
    }

    /// Apply the retention settings now
    storage_cleanup: Post "/api/v1/storage/cleanup" ADMIN () -> CleanupReport => |cx, _| {
        retention::storage_cleanup(&cx.engine, &cx.caller, None).await
    }

    /// The Docker endpoints (the local socket first, when a daemon answers there)
    endpoint_list: Get "/api/v1/endpoints" READ () -> Vec<Endpoint> => |cx, _| {
        api::endpoint_list(&cx.engine).await
    }

    /// Add a Docker endpoint; certificates and keys go to the secret store
    endpoint_add: Post "/api/v1/endpoints" WRITE (endpoint: NewEndpoint) -> Endpoint, 201 => |cx, a| {
        api::endpoint_add(&cx.engine, &cx.caller, a.endpoint).await
    }

    /// Connect to an endpoint and describe the daemon, or say exactly why it cannot
    endpoint_test: Post "/api/v1/endpoints/{name}/test" READ (name: String) -> EndpointInfo => |cx, a| {
        api::endpoint_test(&cx.engine, &a.name).await
    }

    /// Remove an endpoint and its keys
    endpoint_remove: Delete "/api/v1/endpoints/{name}" WRITE (name: String) -> () => |cx, a| {
        api::endpoint_remove(&cx.engine, &cx.caller, &a.name).await
    }

    /// The registries (never their passwords)
    registry_list: Get "/api/v1/registries" READ () -> Vec<Registry> => |cx, _| {
        api::registry_list(&cx.engine).await
    }

    /// Add a registry; the password goes to the secret store
    registry_add: Post "/api/v1/registries" WRITE (registry: NewRegistry) -> Registry, 201 => |cx, a| {
        api::registry_add(&cx.engine, &cx.caller, a.registry).await
    }

    /// Log in to a registry with the stored credentials
    registry_test: Post "/api/v1/registries/{name}/test" READ (name: String) -> RegistryCheck => |cx, a| {
        api::registry_test(&cx.engine, &a.name).await
    }

    /// Remove a registry and its password
    registry_remove: Delete "/api/v1/registries/{name}" WRITE (name: String) -> () => |cx, a| {
        api::registry_remove(&cx.engine, &cx.caller, &a.name).await
    }

    /// The Kubernetes clusters
    cluster_list: Get "/api/v1/clusters" READ () -> Vec<Cluster> => |cx, _| {
        api::cluster_list(&cx.engine).await
    }

    /// The contexts of the server user's kubeconfig, to add one of them
    cluster_contexts: Get "/api/v1/kube-contexts" WRITE () -> KubeContexts => |cx, _| {
        api::cluster_contexts(&cx.engine, &cx.caller).await
    }

    /// Add a cluster; a given kubeconfig goes to the secret store
    cluster_add: Post "/api/v1/clusters" WRITE (cluster: NewCluster) -> Cluster, 201 => |cx, a| {
        api::cluster_add(&cx.engine, &cx.caller, a.cluster).await
    }

    /// Ask a cluster for its version and nodes, or say exactly why it cannot
    cluster_test: Post "/api/v1/clusters/{name}/test" READ (name: String) -> ClusterInfo => |cx, a| {
        api::cluster_test(&cx.engine, &a.name).await
    }

    /// Remove a cluster and its kept kubeconfig
    cluster_remove: Delete "/api/v1/clusters/{name}" WRITE (name: String) -> () => |cx, a| {
        api::cluster_remove(&cx.engine, &cx.caller, &a.name).await
    }

    /// Every app (deployment target) with its newest revision
    app_list: Get "/api/v1/apps" READ () -> Vec<App> => |cx, _| {
        api::app_list(&cx.engine).await
    }

    /// An app (NAME or NAME@ENDPOINT): its revisions and its services as they run now
    app_get: Get "/api/v1/apps/{name}" READ (name: String) -> AppDetail => |cx, a| {
        api::app_get(&cx.engine, &a.name).await
    }

    /// Launch revision `to` again, images pinned by digest: the new run
    app_rollback: Post "/api/v1/apps/{name}/rollback" DEPLOY (name: String, to: u32) -> Run, 201 => |cx, a| {
        api::app_rollback(&cx.engine, &cx.caller, &a.name, a.to).await
    }

    /// Launch the current revision again, images pulled anew: the new run
    app_redeploy: Post "/api/v1/apps/{name}/redeploy" DEPLOY (name: String) -> Run, 201 => |cx, a| {
        api::app_redeploy(&cx.engine, &cx.caller, &a.name).await
    }

    /// Stop, start, restart or take down the app: what compose or helm said
    app_action: Post "/api/v1/apps/{name}/action" DEPLOY (name: String, action: AppAction) -> String => |cx, a| {
        api::app_action(&cx.engine, &cx.caller, &a.name, a.action).await
    }

    /// The last `tail` lines of one service's log
    app_logs: Get "/api/v1/apps/{name}/logs" READ (name: String, service: String, tail: u32) -> String => |cx, a| {
        api::app_logs(&cx.engine, &a.name, &a.service, a.tail).await
    }

    /// Recover a Helm release stuck in pending-*: the rollback run, or null when a first install was uninstalled
    app_recover: Post "/api/v1/apps/{name}/recover" DEPLOY (name: String) -> Option<Run> => |cx, a| {
        api::app_recover(&cx.engine, &cx.caller, &a.name).await
    }

    /// What differs from revision `from` to revision `to`: images by digest, the configuration as a diff
    app_diff: Get "/api/v1/apps/{name}/diff" READ (name: String, from: u32, to: u32) -> AppDiff => |cx, a| {
        api::app_diff(&cx.engine, &a.name, a.from, a.to).await
    }

    /// Every repository
    repo_list: Get "/api/v1/repos" READ () -> Vec<Repository> => |cx, _| {
        api::repo_list(&cx.engine).await
    }

    /// Add a repository, or change the one with that name when replace is set
    repo_save: Post "/api/v1/repos" WRITE (input: RepositoryInput, #[serde(default)] replace: bool) -> Repository => |cx, a| {
        api::repo_save(&cx.engine, &cx.caller, a.input, a.replace).await
    }

    /// Remove a repository with its credentials and cache
    repo_delete: Delete "/api/v1/repos/{name}" WRITE (name: String) -> () => |cx, a| {
        api::repo_delete(&cx.engine, &cx.caller, &a.name).await
    }

    /// The remote's branches and tags, or why they cannot be listed
    repo_test: Post "/api/v1/repos/{name}/test" READ (name: String) -> RepoRefs => |cx, a| {
        api::repo_test(&cx.engine, &a.name).await
    }

    /// A template's webhooks, cron next times, polls and last deliveries
    trigger_overview: Get "/api/v1/templates/{template}/triggers" READ (template: String) -> TriggerOverview => |cx, a| {
        api::trigger_overview(&cx.engine, &a.template, 20).await
    }

    /// The next fire times (RFC 3339) of a cron expression
    cron_preview: Get "/api/v1/cron/preview" READ (expression: String, count: Option<u32>) -> Vec<String> => |_, a| {
        api::cron_preview(&a.expression, a.count.unwrap_or(5).min(100) as usize)
    }

    /// Generate and store a new webhook secret: its value, in this answer only, for the forge's settings
    webhook_secret_generate: Post "/api/v1/templates/{template}/webhooks/{provider}/secret" WRITE (template: String, provider: Provider) -> String => |cx, a| {
        api::webhook_secret_generate(&cx.engine, &cx.caller, &a.template, a.provider).await
    }

    /// Whether the webhook server listens, and where
    server_status: Get "/api/v1/server" READ () -> ServerStatus => |cx, _| {
        Ok(cx.server.map(|s| s.0).unwrap_or(ServerStatus { listening: true, address: None, error: None }))
    }

    /// The audit log, newest first
    audit_list: Get "/api/v1/audit" READ (#[serde(default)] filter: AuditFilter) -> Vec<AuditEntry> => |cx, a| {
        api::audit_list(&cx.engine, &cx.caller, &a.filter).await
    }

    /// Every user
    user_list: Get "/api/v1/users" ADMIN () -> Vec<User> => |cx, _| {
        api::user_list(&cx.engine, &cx.caller).await
    }

    /// Add a user
    user_add: Post "/api/v1/users" ADMIN (name: String, role: Role, password: String) -> User, 201 => |cx, a| {
        api::user_add(&cx.engine, &cx.caller, &a.name, a.role, &a.password).await
    }

    /// Change a user's role or grants (the templates an operator may run; [] for all), or disable or enable them (a disabled user's sessions end)
    user_update: Put "/api/v1/users/{name}" ADMIN (name: String, role: Option<Role>, disabled: Option<bool>, grants: Option<Vec<String>>) -> User => |cx, a| {
        let change = UserChange { role: a.role, disabled: a.disabled, grants: a.grants };
        api::user_update(&cx.engine, &cx.caller, &a.name, &change).await
    }

    /// Set a user's password (anyone may set their own; an admin anyone's)
    user_passwd: Put "/api/v1/users/{name}/password" READ (name: String, password: String) -> () => |cx, a| {
        api::user_passwd(&cx.engine, &cx.caller, &a.name, &a.password).await
    }

    /// Remove a user, their sessions and tokens
    user_remove: Delete "/api/v1/users/{name}" ADMIN (name: String) -> () => |cx, a| {
        api::user_remove(&cx.engine, &cx.caller, &a.name).await
    }

    /// API tokens (the caller's own; an admin may name another user)
    token_list: Get "/api/v1/tokens" READ (user: Option<String>) -> Vec<ApiToken> => |cx, a| {
        api::token_list(&cx.engine, &cx.caller, a.user.as_deref()).await
    }

    /// Create an API token (expires: 30d, 12h, ...); its value is in this answer only
    token_create: Post "/api/v1/tokens" READ (
        name: String,
        user: Option<String>,
        scopes: Vec<Scope>,
        expires: Option<String>,
    ) -> simple_cicd_engine::model::CreatedToken, 201 => |cx, a| {
        let expires = a.expires.as_deref().filter(|e| !e.is_empty()).map(api::parse_expiry).transpose()?;
        api::token_create(&cx.engine, &cx.caller, a.user.as_deref(), &a.name, &a.scopes, expires).await
    }

    /// Revoke an API token
    token_revoke: Delete "/api/v1/tokens/{id}" READ (id: i64) -> ApiToken => |cx, a| {
        api::token_revoke(&cx.engine, &cx.caller, a.id).await
    }

    /// The field errors of a template, without saving it (empty when it may be saved)
    template_validate: Post "/api/v1/validate/template" READ (spec: TemplateFile) -> Vec<simple_cicd_engine::model::FieldError> => |cx, a| {
        api::template_validate(&cx.engine, a.spec).await
    }
}

/// The server's locale from `LC_ALL`, `LC_MESSAGES` or `LANG` (`zh_CN.UTF-8` → `zh-CN`).
fn server_locale() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty() && v != "C" && v != "POSIX")
        .map(|v| v.split('.').next().unwrap_or("").replace('_', "-"))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "en-US".into())
}
