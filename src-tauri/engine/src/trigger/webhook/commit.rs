//! The group commit of deliveries: one task owns the [`DeliveryWriter`]; deliveries queue up for
//! it and each group that gathered while the previous one was being written goes to disk in one
//! transaction. Nothing waits on purpose: an idle server writes a lone delivery at once, a busy
//! one writes many per `fsync`.
//!
//! A delivery's waiter learns its outcome only after the commit is durable, so the answer (202)
//! never precedes the data. The task ends when the engine is dropped.

use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};
use crate::store::{BatchEntry, BatchOutcome, DeliveryWriter};
use crate::Engine;

/// Deliveries in one transaction at most.
const MAX_GROUP: usize = 512;

/// One delivery waiting for its group.
pub(crate) struct Pending {
    entry: BatchEntry,
    done: oneshot::Sender<std::result::Result<BatchOutcome, String>>,
}

/// The queue of the writer task.
pub(crate) type Queue = mpsc::UnboundedSender<Pending>;

/// Writes one delivery with the others waiting now; returns once it is on disk.
pub(crate) async fn write(engine: &Engine, entry: BatchEntry) -> Result<BatchOutcome> {
    let queue = engine.webhook_queue().get_or_init(|| {
        let (queue, pending) = mpsc::unbounded_channel();
        tokio::spawn(run(engine.store().delivery_writer(), pending));
        queue
    });
    let (done, outcome) = oneshot::channel();
    let stopped = || Error::io("the webhook delivery was not written", std::io::Error::other("the writer stopped"));
    queue.send(Pending { entry, done }).map_err(|_| stopped())?;
    match outcome.await.map_err(|_| stopped())? {
        Ok(outcome) => Ok(outcome),
        Err(why) => Err(Error::io("the webhook delivery was not written", std::io::Error::other(why))),
    }
}

async fn run(mut writer: DeliveryWriter, mut pending: mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = pending.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match pending.try_recv() {
                Ok(p) => group.push(p),
                Err(_) => break,
            }
        }
        let (entries, waiters): (Vec<BatchEntry>, Vec<_>) = group.into_iter().map(|p| (p.entry, p.done)).unzip();
        match writer.commit(&entries).await {
            Ok(outcomes) => {
                for (done, outcome) in waiters.into_iter().zip(outcomes) {
                    // A waiter that went away (its connection closed) is fine: the data is written.
                    let _ = done.send(Ok(outcome));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, deliveries = entries.len(), "webhook deliveries could not be written");
                for done in waiters {
                    let _ = done.send(Err(e.to_string()));
                }
            }
        }
    }
}
