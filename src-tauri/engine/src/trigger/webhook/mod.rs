//! Receiving a webhook delivery: authenticate, de-duplicate, filter, start the run.
//!
//! The order matters. Nothing is trusted before the signature is checked: an unknown template or
//! provider is answered 404, a delivery whose size, body or signature fails is answered 4xx, and
//! none of them writes anything (a forger must not fill the database, hold its write lock, or
//! burn delivery ids ahead of the real deliveries); the server's log says why at debug level.
//! Only a verified delivery claims its id, in the same transaction as its run (see
//! [`commit`]), so a replay is answered with the first run and starts none, and a delivery
//! answered 202 has its run on disk.
//!
//! What a delivery is checked against is kept in memory between deliveries (see [`route`]).

mod commit;
pub(crate) mod payload;
mod route;
pub(crate) mod verify;

use std::collections::BTreeMap;

use crate::api::{run_prepare, run_queued, StartOptions};
use crate::auth::Caller;
use crate::error::Result;
use crate::model::{now_ms, DeliveryOutcome, Provider, WebhookTrigger};
use crate::store::{BatchEntry, BatchOutcome, BatchRun, NewDelivery};
use crate::Engine;

pub(crate) use commit::Queue;
pub(crate) use route::Routes;
pub use verify::sign_hub;

use payload::Event;
use route::Route;

/// A header's value by its lowercase name.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The body as the server read it.
#[derive(Debug, Clone)]
pub enum WebhookBody {
    /// Read whole, within the limit.
    Complete(Vec<u8>),
    /// Larger than the limit (KiB); not read.
    TooLarge(usize),
    /// The connection broke or the body was cut short.
    Broken(String),
}

/// One delivery, as the HTTP server hands it over.
#[derive(Debug, Clone)]
pub struct WebhookRequest {
    /// The provider in the URL.
    pub provider: String,
    /// The template in the URL.
    pub template: String,
    /// Headers, names in any case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: WebhookBody,
}

/// The answer to a delivery.
#[derive(Debug, Clone)]
pub struct WebhookAnswer {
    /// HTTP status: 202 started, 200 answered without a run, 4xx/5xx refused.
    pub status: u16,
    /// What became of it.
    pub outcome: DeliveryOutcome,
    /// Why, in a sentence.
    pub message: String,
    /// The run started (or, for a replay, the first delivery's run id).
    pub run_id: Option<i64>,
    /// The started run's number.
    pub run_number: Option<i64>,
}

impl WebhookAnswer {
    fn new(status: u16, outcome: DeliveryOutcome, message: impl Into<String>) -> WebhookAnswer {
        WebhookAnswer { status, outcome, message: message.into(), run_id: None, run_number: None }
    }
}

/// The largest body the server reads, in bytes (setting `webhooks.maxBodyKiB`).
pub async fn webhook_body_limit(engine: &Engine) -> Result<usize> {
    Ok(route::hook_settings(engine).await?.body_limit)
}

/// Handles one delivery to `POST /hooks/<provider>/<template>`. Errors are only the engine's own
/// (the database failing); every problem with the delivery is an answer.
pub async fn webhook_receive(engine: &Engine, request: WebhookRequest) -> Result<WebhookAnswer> {
    let Some(provider) = Provider::parse(&request.provider) else {
        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        return Ok(WebhookAnswer::new(
            404,
            DeliveryOutcome::Rejected,
            format!("unknown provider `{}`; use one of: {}", request.provider, known.join(", ")),
        ));
    };
    let (settings, route) = route::route(engine, provider, &request.template).await?;
    let Some(route) = route else {
        return Ok(WebhookAnswer::new(
            404,
            DeliveryOutcome::Rejected,
            format!("no template `{}` with a {provider} webhook trigger", request.template),
        ));
    };
    let body = match authenticate(&route, provider, &request) {
        Ok(body) => body,
        Err(answer) => {
            tracing::debug!(template = %request.template, %provider, status = answer.status, why = %answer.message, "webhook delivery refused");
            return Ok(answer);
        }
    };
    let record = NewDelivery {
        template: request.template.clone(),
        provider: provider.as_str().to_string(),
        delivery_id: payload::delivery_id(provider, &request.headers),
        event: payload::event_name(provider, &request.headers),
        ..NewDelivery::default()
    };
    if settings.paused {
        // Recorded, not claimed: the same delivery runs when it is sent again after resuming.
        let answer = WebhookAnswer::new(
            503,
            DeliveryOutcome::Rejected,
            "triggers are paused (setting triggers.paused): resume them and redeliver",
        );
        return write(engine, record, false, answer, None, None).await;
    }
    let (record, answer, run) = if route.template.spec.source.is_none() {
        let caller = Caller::Webhook { provider: provider.as_str().to_string(), delivery: record.delivery_id.clone() };
        let (answer, run) = decide_sourceless(engine, &caller, &route, body).await;
        (record, answer, run)
    } else {
        decide_push(engine, provider, &route, &request, body, record).await
    };
    let policy = run.as_ref().map(|r| r.spec.concurrency);
    write(engine, record, true, answer, run, policy).await
}

/// Writes the delivery (and its run) with the others of the moment, then answers.
async fn write(
    engine: &Engine,
    delivery: NewDelivery,
    claim: bool,
    answer: WebhookAnswer,
    run: Option<BatchRun>,
    policy: Option<crate::model::ConcurrencyPolicy>,
) -> Result<WebhookAnswer> {
    let template = delivery.template.clone();
    let entry = BatchEntry {
        delivery,
        claim,
        outcome: answer.outcome,
        status: answer.status,
        message: answer.message.clone(),
        run,
        now: now_ms(),
    };
    match commit::write(engine, entry).await? {
        BatchOutcome::Written { run: None } => Ok(answer),
        BatchOutcome::Written { run: Some((id, number)) } => {
            // The run is on disk and will start; a failure to cancel older runs is no reason
            // to make the forge send it again.
            if let Err(e) = run_queued(engine, id, &template, policy.unwrap_or_default()).await {
                tracing::warn!(run_id = id, error = %e, "a webhook run was queued but its older runs were not cancelled");
            }
            Ok(WebhookAnswer {
                message: format!("started {template} #{number}{}", answer.message),
                run_id: Some(id),
                run_number: Some(number),
                ..answer
            })
        }
        BatchOutcome::Duplicate { first_run } => Ok(WebhookAnswer {
            run_id: first_run,
            ..WebhookAnswer::new(200, DeliveryOutcome::Duplicate, crate::store::DUPLICATE_MESSAGE)
        }),
        BatchOutcome::Failed(why) => Ok(WebhookAnswer::new(
            503,
            DeliveryOutcome::Rejected,
            format!("simple-cicd could not record the delivery ({why}); send it again"),
        )),
    }
}

/// Checks size, body and signature; the body when all is well. Reads nothing: the route holds
/// the secret.
fn authenticate<'a>(route: &Route, provider: Provider, request: &'a WebhookRequest) -> Result<&'a [u8], WebhookAnswer> {
    let reject = |status: u16, message: String| Err(WebhookAnswer::new(status, DeliveryOutcome::Rejected, message));
    let body = match &request.body {
        WebhookBody::TooLarge(kib) => {
            return reject(
                413,
                format!("the body is larger than {kib} KiB (setting webhooks.maxBodyKiB); it was not read"),
            )
        }
        WebhookBody::Broken(why) => return reject(400, format!("the body could not be read whole: {why}")),
        WebhookBody::Complete(b) => b,
    };
    let secret = match &route.secret {
        Ok(s) => s,
        Err((status, why)) => return reject(*status, why.clone()),
    };
    if let Err(why) = verify::verify(provider, &request.headers, body, secret) {
        return reject(401, why);
    }
    Ok(body)
}

/// A verified delivery to a template without a repository (generic webhooks only): it starts
/// the template, its parameters taken from the body's `params` object when there is one.
async fn decide_sourceless(
    engine: &Engine,
    caller: &Caller,
    route: &Route,
    body: &[u8],
) -> (WebhookAnswer, Option<BatchRun>) {
    let params = match payload::params_of(body) {
        Err(why) => return (WebhookAnswer::new(400, DeliveryOutcome::Rejected, why), None),
        Ok(params) => params,
    };
    prepare(engine, caller, route, &params, &StartOptions::default(), String::new()).await
}

/// A verified delivery to a template with a repository: a push of a wanted branch or tag starts it.
async fn decide_push(
    engine: &Engine,
    provider: Provider,
    route: &Route,
    request: &WebhookRequest,
    body: &[u8],
    mut record: NewDelivery,
) -> (NewDelivery, WebhookAnswer, Option<BatchRun>) {
    let event = payload::parse(provider, &request.headers, body);
    if let Ok(Event::Push(push)) = &event {
        record.git_ref = Some(push.git_ref.clone());
        record.sha = Some(push.sha.clone());
    }
    let caller = Caller::Webhook { provider: provider.as_str().to_string(), delivery: record.delivery_id.clone() };
    let (answer, run) = decide(engine, &caller, route, &route.trigger, event).await;
    (record, answer, run)
}

async fn decide(
    engine: &Engine,
    caller: &Caller,
    route: &Route,
    trigger: &WebhookTrigger,
    event: Result<Event, String>,
) -> (WebhookAnswer, Option<BatchRun>) {
    let answer = |status, outcome, message: String| (WebhookAnswer::new(status, outcome, message), None);
    let push = match event {
        Err(why) => return answer(400, DeliveryOutcome::Rejected, why),
        Ok(Event::Ping) => return answer(200, DeliveryOutcome::Ignored, "pong: the webhook works".into()),
        Ok(Event::Other(name)) => {
            return answer(200, DeliveryOutcome::Ignored, format!("`{name}` events do not start runs"))
        }
        Ok(Event::Push(p)) => p,
    };
    let (kind, name) = match (push.git_ref.strip_prefix("refs/heads/"), push.git_ref.strip_prefix("refs/tags/")) {
        (Some(b), _) => ("branch", b),
        (_, Some(t)) => ("tag", t),
        _ => return answer(200, DeliveryOutcome::Ignored, format!("{} is neither a branch nor a tag", push.git_ref)),
    };
    if push.deleted {
        return answer(200, DeliveryOutcome::Ignored, format!("{kind} {name} was deleted; nothing to run"));
    }
    if !super::push_wanted(trigger, kind == "branch", name) {
        return answer(
            200,
            DeliveryOutcome::Filtered,
            format!("{kind} {name} is not among the trigger's {kind} filters"),
        );
    }
    let options =
        StartOptions { git_ref: Some(push.git_ref.clone()), git_sha: Some(push.sha.clone()), ..Default::default() };
    let detail = format!(" for {kind} {name} at {}", &push.sha[..8]);
    prepare(engine, caller, route, &BTreeMap::new(), &options, detail).await
}

/// Checks and compiles the run a delivery asks for; the answer once it is written (its message
/// completed with the run's number then).
async fn prepare(
    engine: &Engine,
    caller: &Caller,
    route: &Route,
    params: &BTreeMap<String, String>,
    options: &StartOptions,
    detail: String,
) -> (WebhookAnswer, Option<BatchRun>) {
    match run_prepare(engine, &route.template, params, options, &caller.trigger()).await {
        Ok(p) => {
            let run = BatchRun {
                template_id: p.template_id,
                spec: p.spec,
                params: p.params,
                trigger: p.trigger,
                owner: engine.instance_id().to_string(),
                run_key: p.run_key,
                git_ref: p.git_ref,
                git_sha: p.git_sha,
            };
            (WebhookAnswer::new(202, DeliveryOutcome::Started, detail), Some(run))
        }
        Err(e) => (WebhookAnswer::new(422, DeliveryOutcome::Rejected, format!("the run could not start: {e}")), None),
    }
}
