//! The arguments of the hand-written routes ([`super::CUSTOM`]) that have no struct of their own
//! in their handler, as structs for their JSON Schemas in the OpenAPI document. Their handlers
//! read the same names (`run_id::RunId` the `{id}`, `events::EventsQuery` the `fromSeq`); a test
//! checks that each schema's properties are the route's declared arguments. Signing in and
//! refreshing use their handlers' own bodies.

use schemars::JsonSchema;

/// No arguments.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// `GET /runs/{id}/events`.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub struct RunEvents {
    /// The run's id.
    id: i64,
    /// The first line wanted (default 1); `Last-Event-ID` resumes after the line it names.
    from_seq: Option<i64>,
}

/// `GET /runs/{id}/log`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RunLog {
    /// The run's id.
    id: i64,
}
