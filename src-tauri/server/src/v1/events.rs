//! The event streams, as Server-Sent Events, so that one UI listener works over Tauri and HTTP:
//!
//! - `GET /api/v1/runs/{id}/events?fromSeq=SEQ`: a run's log and status, what the desktop's
//!   `run_follow` channel sends: each event's data is a `FollowEvent` JSON (`{"type":"lines",
//!   "data":[…]}`, `status`, and a final `end`), its name the type. A client that reconnects with
//!   `Last-Event-ID` (the last line's sequence number) resumes after it.
//! - `GET /api/v1/events`: the desktop app's Tauri events: the event's name is the Tauri event's
//!   (`run://status`), its data the same payload (a `Run`).
//!
//! Both take the access token as `?access_token=` too, since EventSource cannot send headers.

use std::convert::Infallible;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use futures_util::stream::{Stream, StreamExt};
use serde::Deserialize;
use simple_cicd_engine::model::FollowEvent;
use simple_cicd_engine::{api, follow_paced, Engine};
use tokio::sync::broadcast::error::RecvError;

use super::run_id::RunId;
use super::ApiFailure;

/// The Tauri event a run's change is emitted as (app/events.rs).
pub const RUN_STATUS_EVENT: &str = "run://status";

/// Becomes true when the server stops; the event streams end then.
#[derive(Debug, Clone)]
pub struct Stopping(pub tokio::sync::watch::Receiver<bool>);

/// `stream` until the server stops (forever when it is not told).
fn until_stopped<S: Stream>(stream: S, stopping: Option<Extension<Stopping>>) -> impl Stream<Item = S::Item> {
    let stopped = async move {
        match stopping {
            Some(Extension(Stopping(mut rx))) => {
                let _ = rx.wait_for(|stop| *stop).await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    stream.take_until(Box::pin(stopped))
}

/// `?fromSeq=SEQ`: the first line wanted (default 1); `from` is its older spelling.
#[derive(Debug, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct EventsQuery {
    from_seq: Option<i64>,
    from: Option<i64>,
    #[allow(dead_code)]
    access_token: Option<String>,
}

fn follow_event(e: &FollowEvent) -> Event {
    let (name, id) = match e {
        FollowEvent::Lines(lines) => ("lines", lines.last().map(|l| l.seq.to_string())),
        FollowEvent::Status(_) => ("status", None),
        FollowEvent::End(_) => ("end", None),
    };
    let data = serde_json::to_string(e).unwrap_or_else(|_| "null".into());
    let ev = Event::default().event(name).data(data);
    match id {
        Some(id) => ev.id(id),
        None => ev,
    }
}

pub async fn run_events(
    State(engine): State<Engine>,
    RunId(id): RunId,
    q: Result<Query<EventsQuery>, QueryRejection>,
    stopping: Option<Extension<Stopping>>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiFailure> {
    let Query(q) = q.map_err(|e| {
        ApiFailure::from(simple_cicd_engine::Error::invalid(
            "fromSeq",
            "invalid",
            format!("{}: give fromSeq as a number", e.body_text()),
        ))
    })?;
    api::run_get(&engine, id).await?;
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let from = resume.map(|seq| seq + 1).or(q.from_seq).or(q.from).unwrap_or(1);
    // A few pages ahead of the client and no more: one that reads slowly (or stops reading)
    // holds the follower back instead of the whole log in this process's memory.
    let (tx, rx) = tokio::sync::mpsc::channel::<FollowEvent>(2);
    tokio::spawn(async move {
        // The follower stops when the client goes (the receiver is dropped) or the run ends.
        let emit = |ev| {
            let tx = tx.clone();
            async move { tx.send(ev).await.is_ok() }
        };
        if let Err(e) = follow_paced(&engine, id, from, emit).await {
            tracing::warn!(run_id = id, error = %e, "the SSE log follower stopped");
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let ev = rx.recv().await?;
        Some((Ok(follow_event(&ev)), rx))
    });
    Ok(Sse::new(until_stopped(stream, stopping)).keep_alive(KeepAlive::default()))
}

pub async fn events(
    State(engine): State<Engine>,
    stopping: Option<Extension<Stopping>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = engine.run_changes();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(run) => {
                    let data = serde_json::to_string(&run).unwrap_or_else(|_| "null".into());
                    return Some((Ok(Event::default().event(RUN_STATUS_EVENT).data(data)), rx));
                }
                // A slow client misses the oldest changes; the next one still comes.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(until_stopped(stream, stopping)).keep_alive(KeepAlive::default())
}
