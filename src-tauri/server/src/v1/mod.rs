//! `/api/v1`: the REST API for scripts and the browser UI. Every operation is declared once, in
//! [`ops`] (the generated ones: arguments, answer, scope, handler) or [`CUSTOM`] (signing in and
//! the event streams); [`ROUTES`] is both. From it come the router, the OpenAPI document, the
//! UI's route table (`ui/src/bindings/routes.ts`, written by a test) and the tests' role × route
//! matrix.
//!
//! An operation's name is the Tauri command's name, and its arguments are the command's, under
//! the camelCase names the UI passes to `invoke`: path parameters `{x}`, the rest in the JSON
//! body (POST, PUT, DELETE) or the query string (GET; objects and arrays as JSON text). The answer
//! is the command's answer. So the UI's transport maps any `call(op, args)` to HTTP with the
//! table alone. The commands that only make sense on the desktop are in [`DESKTOP_ONLY`].
//!
//! A request carries `Authorization: Bearer` with an access token (from `POST
//! /api/v1/auth/signin`) or an API token (`scicd_…`); the event streams also take it as
//! `?access_token=`, since a browser's EventSource cannot send headers. The caller is
//! established from it here, never taken from the request. Errors are the engine's `ApiError` JSON
//! with the HTTP status defined next to its code.

mod args;
mod caller;
#[cfg(test)]
mod contract;
mod custom_args;
mod error;
mod events;
mod handlers;
mod links;
mod openapi;
mod ops;
mod run_id;
mod schemas;

use std::sync::LazyLock;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use simple_cicd_engine::model::{ApiError, ErrorCode, Scope, Session};
use simple_cicd_engine::Engine;

pub use caller::peer_addr;
pub use error::ApiFailure;
pub use events::Stopping;
pub use openapi::{document as openapi_document, openapi};
pub use ops::ServerInfo;

/// The HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// `GET`, `POST`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Delete => MethodFilter::DELETE,
        }
    }
}

/// What a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JSON: the operation's answer, or an `ApiError`.
    Json,
    /// A stream of Server-Sent Events (the token may come as `?access_token=`).
    Events,
    /// A file to save (`text/plain` with a file name), not JSON.
    File,
}

/// One argument of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// Its Rust name (snake_case); on the wire it is [`Arg::wire_name`].
    pub name: &'static str,
    /// Its Rust type, as written in the declaration.
    pub ty: &'static str,
    /// Its attributes as written (`serde(default)` makes it optional).
    pub attrs: &'static str,
}

impl Arg {
    /// The name the UI and the wire use: camelCase.
    pub fn wire_name(&self) -> String {
        camel(self.name)
    }

    /// Whether the operation works without it.
    pub fn optional(&self) -> bool {
        self.ty.starts_with("Option") || self.attrs.contains("default")
    }
}

/// `from_seq` → `fromSeq`.
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes a JSON Schema with a generator, whose definitions collect the named types it refers to.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of an operation's arguments: its argument struct's own (inline) schema, one object
/// of every argument (path, query and body alike; the OpenAPI document splits them).
pub fn arguments<A: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    A::json_schema(generator)
}

/// The schema of an answer: a reference to its type's definition (plain types inline).
pub fn answer<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// One route of the API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// Its method.
    pub method: Method,
    /// Its path, with `{arg}` parameters named like the arguments on the wire.
    pub path: &'static str,
    /// What the caller must hold; `None`: no sign-in needed (signing in itself).
    pub scope: Option<Scope>,
    /// The operation: the Tauri command's name where there is one.
    pub op: &'static str,
    /// What it does, in a line (the OpenAPI summary).
    pub summary: &'static str,
    /// Its arguments.
    pub args: &'static [Arg],
    /// Its answer's Rust type (`()` answers `null`).
    pub returns: &'static str,
    /// The status of a success.
    pub status: u16,
    /// JSON or events.
    pub kind: Kind,
    /// The schema of its arguments (with a generator for the deserialize contract), from the
    /// struct they are read into: its properties are [`Route::args`] under their wire names.
    pub request: SchemaFn,
    /// The schema of its answer (with a generator for the serialize contract); of each event's
    /// data for an event stream.
    pub response: SchemaFn,
}

impl Route {
    /// The names of its path parameters.
    pub fn path_params(&self) -> Vec<&'static str> {
        self.path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
    }

    /// Whether it changes something (and so is audited): every POST, PUT and DELETE that needs
    /// more than read, and the few read-scope ones that change the caller's own things.
    pub fn changes(&self) -> bool {
        self.method != Method::Get
            && (matches!(self.scope, Some(s) if s != Scope::Read)
                || matches!(self.op, "sign_out" | "token_create" | "token_revoke" | "user_passwd"))
    }

    /// Whether it needs more than read; a caller refused one is audited.
    pub fn elevated(&self) -> bool {
        matches!(self.scope, Some(s) if s != Scope::Read)
    }
}

use Method::{Get, Post};
const READ: Option<Scope> = Some(Scope::Read);

#[allow(clippy::too_many_arguments)]
const fn custom(
    method: Method,
    path: &'static str,
    scope: Option<Scope>,
    op: &'static str,
    summary: &'static str,
    args: &'static [Arg],
    returns: &'static str,
    kind: Kind,
    (request, response): (SchemaFn, SchemaFn),
) -> Route {
    Route { method, path, scope, op, summary, args, returns, status: 200, kind, request, response }
}

const fn arg(name: &'static str, ty: &'static str) -> Arg {
    Arg { name, ty, attrs: "" }
}

/// The routes with hand-written handlers: signing in, and the event streams.
pub const CUSTOM: &[Route] = &[
    custom(
        Post,
        "/api/v1/auth/signin",
        None,
        "sign_in",
        "Sign in with a name and password: an access token and a refresh token",
        &[arg("name", "String"), arg("password", "String")],
        "Session",
        Kind::Json, (arguments::<handlers::SignIn>, answer::<Session>),
    ),
    custom(
        Post,
        "/api/v1/auth/refresh",
        None,
        "refresh",
        "Trade a refresh token for a new pair (a reused one ends the session)",
        &[arg("refresh_token", "String")],
        "Session",
        Kind::Json, (arguments::<handlers::Refresh>, answer::<Session>),
    ),
    custom(Post, "/api/v1/auth/signout", READ, "sign_out", "End the session of the access token", &[], "()", Kind::Json, (arguments::<custom_args::NoArgs>, answer::<()>)),
    custom(Get, "/api/v1/me", READ, "me", "Who the API takes the caller for, and its scopes", &[], "Me", Kind::Json, (arguments::<custom_args::NoArgs>, answer::<handlers::Me>)),
    custom(
        Get,
        "/api/v1/runs/{id}/events",
        READ,
        "run_events",
        "A run's live log and status as Server-Sent Events, as the desktop's run_follow channel: each event's data is a FollowEvent (lines, status, end); Last-Event-ID resumes",
        &[arg("id", "i64"), arg("from_seq", "Option<i64>")],
        "FollowEvent",
        Kind::Events, (arguments::<custom_args::RunEvents>, answer::<simple_cicd_engine::model::FollowEvent>),
    ),
    custom(
        Get,
        "/api/v1/runs/{id}/log",
        READ,
        "run_log_download",
        "A run's whole log as a text file (ANSI escapes removed), to save: what run_log_save writes into Downloads on the desktop",
        &[arg("id", "i64")],
        "String",
        Kind::File, (arguments::<custom_args::RunLog>, answer::<String>),
    ),
    custom(
        Get,
        "/api/v1/events",
        READ,
        "events",
        "The desktop app's events as Server-Sent Events: the event name is the Tauri event's (run://status), the data its payload",
        &[],
        "Run",
        Kind::Events, (arguments::<custom_args::NoArgs>, answer::<simple_cicd_engine::model::Run>),
    ),
];

/// The Tauri commands that have no route, and why. A test fails when a command of the desktop
/// app has neither a route nor an entry here.
pub const DESKTOP_ONLY: &[(&str, &str)] = &[
    ("app_painted", "benchmark marks written into files of the desktop process"),
    ("tray_menu_model", "the desktop tray's menu"),
    ("tray_menu_click", "the desktop tray's menu"),
    ("tray_set_language", "the desktop tray's language"),
    ("run_follow", "a Tauri channel; over HTTP the same events come from GET /api/v1/runs/{id}/events (run_events)"),
    ("run_unfollow", "stops a Tauri channel; over HTTP closing the event stream stops it"),
    (
        "run_log_save",
        "writes into the Downloads folder of the desktop; a browser saves GET /api/v1/runs/{id}/log (run_log_download)",
    ),
    ("webhook_secret_reveal", "reads a secret's value back; over HTTP secrets are write-only (generate a new one)"),
];

/// Every route of `/api/v1`: [`CUSTOM`], then the generated operations.
pub static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| CUSTOM.iter().chain(ops::OPS).copied().collect());

fn handler(route: &'static Route) -> MethodRouter<Engine> {
    use axum::extract::State;
    let filter = route.method.filter();
    match route.op {
        "sign_in" => on(filter, handlers::sign_in),
        "refresh" => on(filter, handlers::refresh),
        "sign_out" => on(filter, handlers::sign_out),
        "me" => on(filter, handlers::me),
        "run_events" => on(filter, events::run_events),
        "run_log_download" => on(filter, handlers::run_log_download),
        "events" => on(filter, events::events),
        _ => on(filter, move |State(engine): State<Engine>, request: Request| ops::dispatch(route, engine, request)),
    }
}

/// The `/api/v1` router: each route behind the check of its declared scope; unknown `/api/...`
/// paths and methods answer JSON.
pub fn router(engine: &Engine) -> Router<Engine> {
    let mut by_path: std::collections::BTreeMap<&str, MethodRouter<Engine>> = Default::default();
    for route in ROUTES.iter() {
        let mut h = handler(route);
        if let Some(scope) = route.scope {
            h = h.layer(axum::middleware::from_fn_with_state(engine.clone(), move |state, req, next| {
                caller::require(route, scope, state, req, next)
            }));
        }
        let merged = match by_path.remove(route.path) {
            Some(other) => other.merge(h),
            None => h,
        };
        by_path.insert(route.path, merged);
    }
    by_path.into_iter().fold(Router::new(), |router, (path, h)| router.route(path, h.fallback(method_not_allowed)))
}

/// Every generated operation's route, each answering after reading its arguments the way the
/// real route does (path, query, JSON body) and before authenticating or calling the engine: 204
/// when they fit, the API's JSON refusal when not. For the fuzz targets (`fuzz/`); never served.
#[doc(hidden)]
pub fn arguments_router() -> Router {
    let mut by_path: std::collections::BTreeMap<&str, MethodRouter> = Default::default();
    for route in ops::OPS {
        let h = on(route.method.filter(), move |request: Request| ops::arguments_only(route, request));
        let merged = match by_path.remove(route.path) {
            Some(other) => other.merge(h),
            None => h,
        };
        by_path.insert(route.path, merged);
    }
    by_path
        .into_iter()
        .fold(Router::new(), |router, (path, h)| router.route(path, h.fallback(method_not_allowed)))
        .fallback(api_not_found)
}

async fn method_not_allowed(request: Request) -> Response {
    let message =
        format!("{} is not an operation of {}; see /api/openapi.json", request.method(), request.uri().path());
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(ApiError::new(ErrorCode::Invalid, message))).into_response()
}

/// The answer to an `/api/...` path that does not exist: JSON 404.
pub async fn api_not_found(request: Request) -> Response {
    let message = format!("no API route {}; see /api/openapi.json", request.uri().path());
    (StatusCode::NOT_FOUND, axum::Json(ApiError::new(ErrorCode::NotFound, message))).into_response()
}
