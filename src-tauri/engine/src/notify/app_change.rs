//! Telling people that an app changed state: the apps watch saw it turn unhealthy (or down, or
//! impossible to check), drift from its current revision, or recover. The notify rules of the
//! template that deployed it decide who hears of it, with the `when` values `unhealthy`,
//! `drifted` and `recovered`, as they do for run ends; a template without such a rule shows every
//! change on the desktop (see `rules::plan_app`). Called once per change of state, never per
//! watch tick.

use super::email::{deliver_app, AppReport};
use super::{rules, DesktopNote};
use crate::api::AppDetail;
use crate::model::NotifyWhen;
use crate::{settings, Engine};

/// Tells the desktop and the rules' recipients that `detail`'s app went through `event`, in the
/// words of `note`. The e-mail goes in the background (tracked by the outbox).
pub(crate) async fn app_changed(engine: &Engine, detail: &AppDetail, event: NotifyWhen, note: DesktopNote) {
    let rules = match crate::api::template_get(engine, &detail.app.template).await {
        Ok(t) => t.spec.notify,
        // The template is gone: the default rule still tells the desktop.
        Err(_) => Vec::new(),
    };
    let plan = rules::plan_app(&rules, event);
    if !plan.email.is_empty() {
        let (task_engine, detail, note) = (engine.clone(), detail.clone(), note.clone());
        // No run carries this e-mail: 0 is no run's id.
        engine.outbox().spawn(0, async move {
            deliver_app(&task_engine, &plan.email, AppReport { note: &note, detail: &detail }).await;
        });
    }
    if plan.desktop
        && settings::flag(engine, "notify.desktop").await
        && !settings::flag(engine, "notify.doNotDisturb").await
    {
        engine.outbox().show(note).await;
    }
}
