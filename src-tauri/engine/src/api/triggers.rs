//! Trigger entry points: what the UI shows about a template's webhooks, cron and polling, its
//! last deliveries, and the webhook secret for the copy button.

use chrono::Local;

use super::audit::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::model::{CronInfo, Delivery, TriggerOverview, TriggerSpec, WebhookInfo};
use crate::{secrets, settings, Engine};

/// How many next fire times are shown per cron trigger.
const NEXT_TIMES: usize = 5;

/// The base URL forges post to, from the `server.listen` setting. An unspecified address
/// (`0.0.0.0`) is shown with this machine's host name.
pub async fn server_base_url(engine: &Engine) -> String {
    let listen = settings::text(engine, "server.listen").await;
    match listen.parse::<std::net::SocketAddr>() {
        Ok(addr) if addr.ip().is_unspecified() => {
            let host = nix::unistd::gethostname()
                .ok()
                .and_then(|h| h.into_string().ok())
                .unwrap_or_else(|| "localhost".into());
            format!("http://{host}:{}", addr.port())
        }
        Ok(addr) => format!("http://{addr}"),
        Err(_) => format!("http://{listen}"),
    }
}

/// Webhook URLs, cron next times, poll intervals and the last `deliveries` deliveries.
pub async fn trigger_overview(engine: &Engine, template: &str, deliveries: u32) -> Result<TriggerOverview> {
    let tpl = super::template_get(engine, template).await?;
    let base = server_base_url(engine).await;
    let stored: Vec<String> = secrets::secret_list(engine).await?.into_iter().map(|s| s.name).collect();
    let mut overview = TriggerOverview {
        template: tpl.spec.name.clone(),
        webhooks: Vec::new(),
        crons: Vec::new(),
        polls: Vec::new(),
        paused: settings::flag(engine, "triggers.paused").await,
        deliveries: engine.store().delivery_list(&tpl.spec.name, deliveries.min(500)).await?,
    };
    let now = Local::now();
    for trigger in &tpl.spec.triggers {
        match trigger {
            TriggerSpec::Webhook(w) => overview.webhooks.push(WebhookInfo {
                provider: w.provider,
                url: format!("{base}/hooks/{}/{}", w.provider, tpl.spec.name),
                secret_name: w.secret.clone().filter(|s| !s.is_empty()),
                secret_stored: w.secret.as_ref().is_some_and(|s| stored.contains(s)),
            }),
            TriggerSpec::Cron(expr) => overview.crons.push(match crate::trigger::cron::parse(expr) {
                Ok(schedule) => CronInfo {
                    expression: expr.clone(),
                    next: schedule.next_n(&now, NEXT_TIMES).iter().map(|t| t.to_rfc3339()).collect(),
                    error: None,
                },
                Err(e) => CronInfo { expression: expr.clone(), next: vec![], error: Some(e) },
            }),
            TriggerSpec::Poll(p) => overview.polls.push(p.every_minutes),
        }
    }
    Ok(overview)
}

/// The next `count` fire times of a cron expression (the editor's preview).
pub fn cron_preview(expression: &str, count: usize) -> Result<Vec<String>> {
    let schedule = crate::trigger::cron::parse(expression).map_err(|m| Error::invalid("cron", "invalid", m))?;
    Ok(schedule.next_n(&Local::now(), count.clamp(1, 50)).iter().map(|t| t.to_rfc3339()).collect())
}

/// The newest deliveries of a template.
pub async fn delivery_list(engine: &Engine, template: &str, limit: u32) -> Result<Vec<Delivery>> {
    engine.store().delivery_list(template, limit.clamp(1, 500)).await
}

fn webhook_secret_name(tpl: &crate::model::Template, provider: crate::model::Provider) -> Result<String> {
    tpl.spec
        .triggers
        .iter()
        .find_map(|t| match t {
            TriggerSpec::Webhook(w) if w.provider == provider => Some(w.secret.clone()),
            _ => None,
        })
        .ok_or_else(|| Error::NotFound { what: "webhook trigger", name: format!("{provider} of {}", tpl.spec.name) })?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::invalid("secret", "required", "the webhook trigger names no secret; give it `secret: NAME` first")
        })
}

/// Stores a new random secret (64 hex characters) under the name the template's webhook trigger
/// for `provider` gives, and returns it, for the user to paste into the forge.
pub async fn webhook_secret_generate(
    engine: &Engine,
    caller: &Caller,
    template: &str,
    provider: crate::model::Provider,
) -> Result<String> {
    let work = generate_secret(engine, template, provider);
    let (resource, detail) = (format!("template {template}"), Some(provider.as_str()));
    audited(engine, caller, Scope::Write, "webhook.secret_generate", &resource, detail, work).await
}

async fn generate_secret(engine: &Engine, template: &str, provider: crate::model::Provider) -> Result<String> {
    let tpl = super::template_get(engine, template).await?;
    let name = webhook_secret_name(&tpl, provider)?;
    let mut bytes = [0u8; 32];
    use chacha20poly1305::aead::rand_core::RngCore;
    chacha20poly1305::aead::OsRng.fill_bytes(&mut bytes);
    let value = hex::encode(bytes);
    secrets::set(engine, &name, &value).await?;
    Ok(value)
}

/// The value of the webhook trigger's secret, for the copy button (the desktop app only).
pub async fn webhook_secret_reveal(
    engine: &Engine,
    caller: &Caller,
    template: &str,
    provider: crate::model::Provider,
) -> Result<String> {
    let work = reveal_secret(engine, template, provider);
    let (resource, detail) = (format!("template {template}"), Some(provider.as_str()));
    audited(engine, caller, Scope::Write, "webhook.secret_reveal", &resource, detail, work).await
}

async fn reveal_secret(engine: &Engine, template: &str, provider: crate::model::Provider) -> Result<String> {
    let tpl = super::template_get(engine, template).await?;
    let name = webhook_secret_name(&tpl, provider)?;
    secrets::secret_value(engine, &name).await
}
