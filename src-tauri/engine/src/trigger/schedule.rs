//! The scheduler of polling and cron triggers. One tick a second looks at every template's
//! triggers: a cron expression fires when its next time has come (a fire missed by more than a
//! minute, because the app was closed or the machine slept, is skipped, not replayed), and a
//! poll trigger polls when its interval has passed (polls run as tasks of their own, one at a
//! time per trigger, so a slow remote delays nothing else).

use std::collections::{BTreeMap, HashMap};
use std::sync::Weak;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local};
use tokio::task::JoinHandle;

use crate::api::{queue, StartOptions};
use crate::model::{Template, TriggerSpec};
use crate::{settings, Engine, EngineInner};

/// How late a cron fire may still happen.
const CRON_GRACE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
const TICK: Duration = Duration::from_secs(1);

/// When a poll trigger polls next, and its poll in flight.
type PollSlot = (Instant, Option<JoinHandle<()>>);

/// The state of the triggers of one process.
#[derive(Default)]
pub struct Scheduler {
    /// Next fire time per (template id, trigger index, expression).
    cron_next: HashMap<(i64, usize, String), DateTime<Local>>,
    /// Next poll per (template id, trigger index), and the poll in flight.
    poll_due: HashMap<(i64, usize), PollSlot>,
}

/// Starts the scheduler for a long-lived host; it stops when the engine is dropped.
pub fn spawn_scheduler(engine: &Engine) -> JoinHandle<()> {
    let weak = std::sync::Arc::downgrade(&engine.inner);
    tokio::spawn(run(weak))
}

async fn run(inner: Weak<EngineInner>) {
    let mut scheduler = Scheduler::default();
    loop {
        let Some(strong) = inner.upgrade() else { return };
        let engine = Engine { inner: strong };
        if let Err(e) = scheduler.tick(&engine, Local::now()).await {
            tracing::warn!(error = %e, "the trigger scheduler could not look at the templates; retrying");
        }
        drop(engine);
        tokio::time::sleep(TICK).await;
    }
}

impl Scheduler {
    /// One look at every trigger at time `now`; returns the runs cron started.
    pub async fn tick(&mut self, engine: &Engine, now: DateTime<Local>) -> crate::Result<Vec<i64>> {
        let paused = settings::flag(engine, "triggers.paused").await;
        let templates = engine.store().template_all().await?;
        let mut started = Vec::new();
        let mut live_cron = Vec::new();
        let mut live_poll = Vec::new();
        for template in &templates {
            for (index, trigger) in template.spec.triggers.iter().enumerate() {
                match trigger {
                    TriggerSpec::Cron(expr) => {
                        let key = (template.id, index, expr.clone());
                        live_cron.push(key.clone());
                        if let Some(id) = self.cron(engine, template, key, now, paused).await {
                            started.push(id);
                        }
                    }
                    TriggerSpec::Poll(p) => {
                        let key = (template.id, index);
                        live_poll.push(key);
                        let every = Duration::from_secs(u64::from(p.every_minutes.max(1)) * 60);
                        let entry = self.poll_due.entry(key).or_insert((Instant::now(), None));
                        let busy = entry.1.as_ref().is_some_and(|h| !h.is_finished());
                        if paused || busy || Instant::now() < entry.0 {
                            continue;
                        }
                        entry.0 = Instant::now() + every;
                        let (engine, template, p) = (engine.clone(), template.clone(), p.clone());
                        entry.1 = Some(tokio::spawn(async move {
                            if let Err(e) = super::poll::poll_trigger(&engine, &template, index, &p).await {
                                tracing::warn!(template = %template.spec.name, error = %e, "polling failed");
                            }
                        }));
                    }
                    TriggerSpec::Webhook(_) => {}
                }
            }
        }
        self.cron_next.retain(|k, _| live_cron.contains(k));
        self.poll_due.retain(|k, _| live_poll.contains(k));
        Ok(started)
    }

    async fn cron(
        &mut self,
        engine: &Engine,
        template: &Template,
        key: (i64, usize, String),
        now: DateTime<Local>,
        paused: bool,
    ) -> Option<i64> {
        let schedule = super::cron::parse(&key.2).ok()?;
        let next = *self.cron_next.entry(key.clone()).or_insert_with(|| schedule.next_after(&now).unwrap_or(now));
        if now < next {
            return None;
        }
        self.cron_next.insert(key.clone(), schedule.next_after(&now)?);
        if paused || now - next > CRON_GRACE {
            tracing::info!(template = %template.spec.name, at = %next, "cron fire skipped (paused or missed)");
            return None;
        }
        // The fire time is claimed in the database, so another process does not fire it too.
        let state_key = format!("cron:{}:{}", key.1, key.2);
        let stamp = next.timestamp_millis().to_string();
        let old = engine.store().trigger_state_get(template.id, &state_key).await.ok()?;
        if old.as_deref().and_then(|o| o.parse::<i64>().ok()).is_some_and(|o| o >= next.timestamp_millis()) {
            return None;
        }
        if !engine.store().trigger_state_swap(template.id, &state_key, old.as_deref(), &stamp).await.ok()? {
            return None;
        }
        match queue(engine, &template.spec.name, &BTreeMap::new(), &StartOptions::default(), "cron").await {
            Ok(run) => Some(run.id),
            Err(e) => {
                tracing::warn!(template = %template.spec.name, error = %e, "cron could not start the run");
                None
            }
        }
    }
}
