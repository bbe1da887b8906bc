//! `GET /api/v1/runs/{id}/events?from=SEQ`: a run's log and status as Server-Sent Events, the
//! same stream the desktop window gets over its Tauri channel: `status` first, then `lines`
//! (JSON arrays of log lines) and `status` as they come, and a final `end`. A client that
//! reconnects with `Last-Event-ID` (the last line's sequence number) resumes after it.

use std::convert::Infallible;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use serde::Deserialize;
use simple_cicd_engine::model::FollowEvent;
use simple_cicd_engine::{api, follow, Engine};

use super::ApiFailure;

/// `?from=SEQ`: the first line wanted (default 1).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct EventsQuery {
    from: Option<i64>,
}

fn event(e: &FollowEvent) -> Event {
    let (name, id) = match e {
        FollowEvent::Lines(lines) => ("lines", lines.last().map(|l| l.seq.to_string())),
        FollowEvent::Status(_) => ("status", None),
        FollowEvent::End(_) => ("end", None),
    };
    let data = match e {
        FollowEvent::Lines(lines) => serde_json::to_string(lines),
        FollowEvent::Status(run) | FollowEvent::End(run) => serde_json::to_string(run),
    }
    .unwrap_or_else(|_| "null".into());
    let ev = Event::default().event(name).data(data);
    match id {
        Some(id) => ev.id(id),
        None => ev,
    }
}

pub async fn run_events(
    State(engine): State<Engine>,
    Path(id): Path<i64>,
    Query(q): Query<EventsQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiFailure> {
    api::run_get(&engine, id).await?;
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let from = resume.map(|seq| seq + 1).or(q.from).unwrap_or(1);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<FollowEvent>();
    tokio::spawn(async move {
        // The follower stops when the client goes (the receiver is dropped) or the run ends.
        if let Err(e) = follow(&engine, id, from, |ev| tx.send(ev).is_ok()).await {
            tracing::warn!(run_id = id, error = %e, "the SSE log follower stopped");
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let ev = rx.recv().await?;
        Some((Ok(event(&ev)), rx))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
