//! Entry points of the desktop presence: pinning templates, what the tray shows, testing SMTP.

use super::audit::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{PinnedTemplate, RunFilter, Scope, TraySummary};
use crate::{settings, Engine};

/// Sends a test e-mail with the SMTP settings; the answer is the server's own words.
pub async fn smtp_test(engine: &Engine, caller: &Caller, to: &str) -> Result<crate::model::SmtpAnswer> {
    let resource = format!("e-mail to {}", to.trim());
    audited(engine, caller, Scope::Admin, "smtp.test", &resource, None, crate::notify::smtp_test(engine, to)).await
}

/// Pins a template to the tray (or unpins it).
pub async fn template_pin(engine: &Engine, caller: &Caller, name: &str, pinned: bool) -> Result<()> {
    let work = async {
        if engine.store().template_set_pinned(name, pinned).await? {
            Ok(())
        } else {
            Err(Error::NotFound { what: "template", name: name.to_string() })
        }
    };
    let detail = Some(if pinned { "pinned" } else { "unpinned" });
    audited(engine, caller, Scope::Write, "template.pin", &format!("template {name}"), detail, work).await
}

/// What the tray shows: pinned templates, the five newest runs, what is active, the switches.
pub async fn tray_summary(engine: &Engine) -> Result<TraySummary> {
    let store = engine.store();
    let pinned = store
        .template_pinned()
        .await?
        .into_iter()
        .map(|t| PinnedTemplate { needs_form: t.needs_form, name: t.spec.name })
        .collect();
    let (recent, _) = store.run_list(&RunFilter { limit: 5, ..RunFilter::default() }).await?;
    Ok(TraySummary {
        pinned,
        recent,
        waiting: store.run_waiting_for_approval(5).await?,
        apps: store.app_watch_states().await?,
        active: store.run_active_count().await?.try_into().unwrap_or(u32::MAX),
        last_finished: store.run_last_final_status().await?,
        triggers_paused: settings::flag(engine, "triggers.paused").await,
        do_not_disturb: settings::flag(engine, "notify.doNotDisturb").await,
    })
}
