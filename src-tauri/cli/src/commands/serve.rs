//! `scicd serve [--listen ADDR]`: the HTTP server (webhooks, API) and the poll and cron
//! scheduler, until SIGINT or SIGTERM. Runs of this process are cancelled on the way out.

use std::net::SocketAddr;
use std::path::PathBuf;

use simple_cicd_engine::{settings, trigger};
use tokio::signal::unix::{signal, SignalKind};

use crate::args::ServeArgs;
use crate::failure::{CmdResult, Failure};

/// Serves until a signal arrives.
pub async fn serve(data_dir: Option<PathBuf>, args: ServeArgs) -> CmdResult {
    let engine = crate::open_engine_with(data_dir, true).await?;
    let text = match args.listen {
        Some(l) => l,
        None => {
            settings::config_get(&engine, "server.listen").await?.value.as_str().unwrap_or("127.0.0.1:8750").to_string()
        }
    };
    let addr: SocketAddr = text.parse().map_err(|_| {
        Failure::usage(format!("--listen {text}: expected an address and port such as 127.0.0.1:8750 or 0.0.0.0:8750"))
    })?;
    if !addr.ip().is_loopback() && engine.store().user_count().await? == 0 {
        return Err(Failure::usage(format!(
            "--listen {addr}: no user exists yet, so simple-cicd listens only on this machine (127.0.0.1). \
             Create the first admin with `scicd user add NAME --role admin`, then start the server again"
        )));
    }
    let mut term = signal(SignalKind::terminate()).map_err(|e| Failure::usage(e.to_string()))?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| Failure::usage(e.to_string()))?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = simple_cicd_server::start(engine.clone(), addr, async move {
        let _ = stop_rx.await;
    })
    .await
    .map_err(|m| Failure::new(3, m))?;
    let scheduler = trigger::spawn_scheduler(&engine);
    let _watch = simple_cicd_engine::deploy::watch::spawn_app_watch(&engine);
    // The address, once, on stdout: for people, and for scripts that asked for port 0.
    println!("listening {}", server.addr);
    eprintln!(
        "simple-cicd serves the UI, the API and webhooks (POST /hooks/<provider>/<template>) there; Ctrl-C stops it"
    );
    if !server.addr.ip().is_loopback() {
        eprintln!("/api/v1 answers signed-in users and API tokens; webhooks are open and checked by signature.");
    }
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    eprintln!("Stopping: cancelling this process's runs");
    scheduler.abort();
    let _ = stop_tx.send(());
    let _ = server.task.await;
    engine.shutdown().await;
    Ok(0)
}
