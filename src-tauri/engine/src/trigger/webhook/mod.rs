//! Receiving a webhook delivery: authenticate, de-duplicate, filter, start the run.
//!
//! The order matters. Nothing is trusted before the signature is checked: an unknown template or
//! provider is answered 404 and not recorded; a bad signature is recorded as rejected but never
//! claims the delivery id (or a forger could burn ids ahead of the real deliveries). Only a
//! verified delivery claims its id, so a replay is answered with the first run and starts none.

mod payload;
mod verify;

use std::collections::BTreeMap;

use crate::api::{queue, StartOptions};
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{now_ms, DeliveryOutcome, Provider, Run, TriggerSpec, WebhookTrigger};
use crate::store::NewDelivery;
use crate::{settings, Engine};

pub use verify::sign_hub;

use payload::Event;

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
    /// The started run.
    pub run: Option<Run>,
}

impl WebhookAnswer {
    fn new(status: u16, outcome: DeliveryOutcome, message: impl Into<String>) -> WebhookAnswer {
        WebhookAnswer { status, outcome, message: message.into(), run_id: None, run: None }
    }
}

/// The largest body the server reads, in bytes (setting `webhooks.maxBodyKiB`).
pub async fn webhook_body_limit(engine: &Engine) -> usize {
    settings::int(engine, "webhooks.maxBodyKiB").await.max(1) as usize * 1024
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
    let template = engine.store().template_by_name(&request.template).await?;
    let sourceless = template.as_ref().is_some_and(|t| t.spec.source.is_none());
    let trigger = template.as_ref().and_then(|t| {
        t.spec.triggers.iter().find_map(|tr| match tr {
            TriggerSpec::Webhook(w) if w.provider == provider => Some(w.clone()),
            _ => None,
        })
    });
    let Some(trigger) = trigger else {
        return Ok(WebhookAnswer::new(
            404,
            DeliveryOutcome::Rejected,
            format!("no template `{}` with a {provider} webhook trigger", request.template),
        ));
    };
    let record = NewDelivery {
        template: request.template.clone(),
        provider: provider.as_str().to_string(),
        delivery_id: payload::delivery_id(provider, &request.headers),
        event: payload::event_name(provider, &request.headers),
        ..NewDelivery::default()
    };
    let answer = match authenticate(engine, provider, &trigger, &request).await? {
        Err(answer) => answer,
        Ok(body) if sourceless => return accept_sourceless(engine, &request, &body, record).await,
        Ok(body) => return accept(engine, provider, &trigger, &request, &body, record).await,
    };
    engine.store().delivery_record(&record, answer.outcome, answer.status, &answer.message, None, now_ms()).await?;
    Ok(answer)
}

/// Checks size, body, secret and signature; the body when all is well.
async fn authenticate(
    engine: &Engine,
    provider: Provider,
    trigger: &WebhookTrigger,
    request: &WebhookRequest,
) -> Result<Result<Vec<u8>, WebhookAnswer>> {
    let reject = |status: u16, message: String| Ok(Err(WebhookAnswer::new(status, DeliveryOutcome::Rejected, message)));
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
    let Some(secret_name) = trigger.secret.as_deref().filter(|s| !s.is_empty()) else {
        return reject(
            401,
            "the webhook trigger has no secret, so no delivery can be trusted: give it `secret: NAME` and store that secret".into(),
        );
    };
    let secret = match crate::secrets::secret_value(engine, secret_name).await {
        Ok(s) => s,
        Err(Error::SecretMissing { .. }) => {
            return reject(
                401,
                format!(
                    "the trigger's secret {secret_name} is not stored; store it with `scicd secret set {secret_name}`"
                ),
            )
        }
        Err(e) => return reject(503, format!("the secret store cannot be read: {e}")),
    };
    if let Err(why) = verify::verify(provider, &request.headers, body, &secret) {
        return reject(401, why);
    }
    if settings::flag(engine, "triggers.paused").await {
        return reject(503, "triggers are paused (setting triggers.paused): resume them and redeliver".into());
    }
    Ok(Ok(body.clone()))
}

async fn accept(
    engine: &Engine,
    provider: Provider,
    trigger: &WebhookTrigger,
    request: &WebhookRequest,
    body: &[u8],
    mut record: NewDelivery,
) -> Result<WebhookAnswer> {
    let event = payload::parse(provider, &request.headers, body);
    if let Ok(Event::Push(push)) = &event {
        record.git_ref = Some(push.git_ref.clone());
        record.sha = Some(push.sha.clone());
    }
    let Some(id) = engine.store().delivery_accept(&record, now_ms()).await? else {
        let first = match &record.delivery_id {
            Some(d) => engine.store().delivery_accepted_run(provider.as_str(), &record.template, d).await?,
            None => None,
        };
        let mut answer =
            WebhookAnswer::new(200, DeliveryOutcome::Duplicate, "this delivery was already received; no second run");
        answer.run_id = first;
        engine.store().delivery_record(&record, answer.outcome, 200, &answer.message, first, now_ms()).await?;
        return Ok(answer);
    };
    let caller = Caller::Webhook { provider: provider.as_str().to_string(), delivery: record.delivery_id.clone() };
    let answer = decide(engine, &caller, trigger, &request.template, event).await;
    engine.store().delivery_finish(id, answer.outcome, answer.status, &answer.message, answer.run_id).await?;
    Ok(answer)
}

/// A verified delivery to a template without a repository (generic webhooks only): it starts
/// the template, its parameters taken from the body's `params` object when there is one.
async fn accept_sourceless(
    engine: &Engine,
    request: &WebhookRequest,
    body: &[u8],
    record: NewDelivery,
) -> Result<WebhookAnswer> {
    let Some(id) = engine.store().delivery_accept(&record, now_ms()).await? else {
        let first = match &record.delivery_id {
            Some(d) => engine.store().delivery_accepted_run(&request.provider, &record.template, d).await?,
            None => None,
        };
        let mut answer =
            WebhookAnswer::new(200, DeliveryOutcome::Duplicate, "this delivery was already received; no second run");
        answer.run_id = first;
        engine.store().delivery_record(&record, answer.outcome, 200, &answer.message, first, now_ms()).await?;
        return Ok(answer);
    };
    let answer = match payload::params_of(body) {
        Err(why) => WebhookAnswer::new(400, DeliveryOutcome::Rejected, why),
        Ok(params) => {
            let caller = Caller::Webhook { provider: request.provider.clone(), delivery: record.delivery_id.clone() };
            match queue(engine, &request.template, &params, &StartOptions::default(), &caller.trigger()).await {
                Ok(run) => {
                    let mut answer = WebhookAnswer::new(
                        202,
                        DeliveryOutcome::Started,
                        format!("started {} #{}", run.template, run.number),
                    );
                    answer.run_id = Some(run.id);
                    answer.run = Some(run);
                    answer
                }
                Err(e) => WebhookAnswer::new(422, DeliveryOutcome::Rejected, format!("the run could not start: {e}")),
            }
        }
    };
    engine.store().delivery_finish(id, answer.outcome, answer.status, &answer.message, answer.run_id).await?;
    Ok(answer)
}

async fn decide(
    engine: &Engine,
    caller: &Caller,
    trigger: &WebhookTrigger,
    template: &str,
    event: Result<Event, String>,
) -> WebhookAnswer {
    let push = match event {
        Err(why) => return WebhookAnswer::new(400, DeliveryOutcome::Rejected, why),
        Ok(Event::Ping) => return WebhookAnswer::new(200, DeliveryOutcome::Ignored, "pong: the webhook works"),
        Ok(Event::Other(name)) => {
            return WebhookAnswer::new(200, DeliveryOutcome::Ignored, format!("`{name}` events do not start runs"))
        }
        Ok(Event::Push(p)) => p,
    };
    let (kind, name) = match (push.git_ref.strip_prefix("refs/heads/"), push.git_ref.strip_prefix("refs/tags/")) {
        (Some(b), _) => ("branch", b),
        (_, Some(t)) => ("tag", t),
        _ => {
            return WebhookAnswer::new(
                200,
                DeliveryOutcome::Ignored,
                format!("{} is neither a branch nor a tag", push.git_ref),
            )
        }
    };
    if push.deleted {
        return WebhookAnswer::new(200, DeliveryOutcome::Ignored, format!("{kind} {name} was deleted; nothing to run"));
    }
    if !super::push_wanted(trigger, kind == "branch", name) {
        return WebhookAnswer::new(
            200,
            DeliveryOutcome::Filtered,
            format!("{kind} {name} is not among the trigger's {kind} filters"),
        );
    }
    let options =
        StartOptions { git_ref: Some(push.git_ref.clone()), git_sha: Some(push.sha.clone()), ..Default::default() };
    match queue(engine, template, &BTreeMap::new(), &options, &caller.trigger()).await {
        Ok(run) => {
            let mut answer = WebhookAnswer::new(
                202,
                DeliveryOutcome::Started,
                format!("started {} #{} for {kind} {name} at {}", run.template, run.number, &push.sha[..8]),
            );
            answer.run_id = Some(run.id);
            answer.run = Some(run);
            answer
        }
        Err(e) => WebhookAnswer::new(422, DeliveryOutcome::Rejected, format!("the run could not start: {e}")),
    }
}
