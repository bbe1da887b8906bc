//! What a delivery to `/hooks/<provider>/<template>` is checked against (the template, its
//! webhook trigger, the trigger's secret value, the settings), kept in memory between
//! deliveries: reading them cost several queries and a keyring call per delivery.
//!
//! Invalidation: every change to templates, secret names and dates, or settings bumps the
//! database's `config_version` (SQLite triggers, whichever process changes them). Each delivery
//! reads that one number and rereads the rest only when it moved. A secret value changed
//! behind simple-cicd's back (in the keyring's own tool) is not seen until the next such change.
//! A secret store that fails to answer is not remembered: the next delivery asks it again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::model::{Provider, Template, TriggerSpec, WebhookTrigger};
use crate::{settings, Engine};

/// The settings a delivery depends on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HookSettings {
    /// `webhooks.maxBodyKiB`, in bytes.
    pub body_limit: usize,
    /// `triggers.paused`.
    pub paused: bool,
}

/// A template's webhook trigger for one provider, with its secret (no `Debug`: it holds the
/// secret's value).
pub(crate) struct Route {
    /// The template.
    pub template: Template,
    /// Its trigger for the provider.
    pub trigger: WebhookTrigger,
    /// The secret's value, or why a delivery cannot be checked (HTTP status, message).
    pub secret: std::result::Result<String, (u16, String)>,
}

/// The routes and settings read at one `config_version`.
#[derive(Default)]
pub(crate) struct Routes {
    inner: Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    version: i64,
    settings: Option<HookSettings>,
    /// `None`: no such template, or no trigger for the provider.
    routes: HashMap<(Provider, String), Option<Arc<Route>>>,
}

/// Templates remembered at most (a flood of deliveries to made-up names must not grow memory).
const MAX_ROUTES: usize = 1024;

impl Routes {
    /// The cache at `version`, emptied first when it was read at another one.
    fn at(&self, version: i64) -> std::sync::MutexGuard<'_, Cached> {
        let mut cached = self.inner.lock().expect("webhook routes lock");
        if cached.version != version {
            *cached = Cached { version, ..Cached::default() };
        }
        cached
    }
}

/// The settings deliveries depend on, current.
pub(crate) async fn hook_settings(engine: &Engine) -> Result<HookSettings> {
    let version = engine.store().config_version().await?;
    settings_at(engine, version).await
}

async fn settings_at(engine: &Engine, version: i64) -> Result<HookSettings> {
    if let Some(s) = engine.webhook_routes().at(version).settings {
        return Ok(s);
    }
    let s = HookSettings {
        body_limit: settings::int(engine, "webhooks.maxBodyKiB").await.max(1) as usize * 1024,
        paused: settings::flag(engine, "triggers.paused").await,
    };
    engine.webhook_routes().at(version).settings = Some(s);
    Ok(s)
}

/// The settings and the route of `template` for `provider`, current; no route when the template
/// does not exist or has no webhook trigger for the provider.
pub(crate) async fn route(
    engine: &Engine,
    provider: Provider,
    template: &str,
) -> Result<(HookSettings, Option<Arc<Route>>)> {
    let version = engine.store().config_version().await?;
    let settings = settings_at(engine, version).await?;
    let key = (provider, template.to_string());
    if let Some(found) = engine.webhook_routes().at(version).routes.get(&key) {
        return Ok((settings, found.clone()));
    }
    let (route, lasting) = load(engine, provider, template).await?;
    let route = route.map(Arc::new);
    let mut cached = engine.webhook_routes().at(version);
    if lasting && (route.is_some() || cached.routes.len() < MAX_ROUTES) {
        cached.routes.insert(key, route.clone());
    }
    Ok((settings, route))
}

/// Reads a route; the flag says whether it may be remembered.
async fn load(engine: &Engine, provider: Provider, name: &str) -> Result<(Option<Route>, bool)> {
    let Some(template) = engine.store().template_by_name(name).await? else { return Ok((None, true)) };
    let trigger = template.spec.triggers.iter().find_map(|tr| match tr {
        TriggerSpec::Webhook(w) if w.provider == provider => Some(w.clone()),
        _ => None,
    });
    let Some(trigger) = trigger else { return Ok((None, true)) };
    let (secret, lasting) = match trigger.secret.as_deref().filter(|s| !s.is_empty()) {
        None => (
            Err((401, "the webhook trigger has no secret, so no delivery can be trusted: give it `secret: NAME` and store that secret".to_string())),
            true,
        ),
        Some(name) => match crate::secrets::secret_value(engine, name).await {
            Ok(value) => (Ok(value), true),
            Err(Error::SecretMissing { .. }) => (
                Err((
                    401,
                    format!("the trigger's secret {name} is not stored; store it with `scicd secret set {name}`"),
                )),
                true,
            ),
            Err(e) => (Err((503, format!("the secret store cannot be read: {e}"))), false),
        },
    };
    Ok((Some(Route { template, trigger, secret }), lasting))
}
