//! The git server vanishing mid-fetch: a private `git daemon` behind a slow proxy that is cut
//! while a repository of several MB streams through it. The run ends failed saying the transfer
//! broke and what to do, no half-written pack is left in the fetch cache, the run's script never
//! ran, and the same repository fetches fine once the server is back.

use std::time::{Duration, Instant};

use simple_cicd_engine::model::{RepositoryInput, RunStatus};

use crate::fault_outcome::*;
use crate::fault_proxy::TcpProxy;
use crate::git_servers::*;
use crate::support::*;

/// Files in the fetch caches under `dir` (`<id>.git/`) whose name says they are a transfer's
/// leftovers (`tmp_pack_*`, `*.lock`, …). The `<id>.lock` beside each cache is its flock, kept.
fn cache_temp_files(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.flatten().filter(|e| e.path().is_dir()).flat_map(|e| temp_files(&e.path())).collect()
}

fn temp_files(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            found.extend(temp_files(&path));
        } else if name.starts_with("tmp_") || name.ends_with(".lock") || name.starts_with("pack_git2_") {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test]
async fn the_git_server_vanishing_mid_fetch_fails_the_run_clearly_and_leaves_no_partial_pack() {
    let fx = Fixture::new();
    // 6 MiB that do not compress: the fetch takes a while through the slow proxy.
    let mut blob = vec![0u8; 6 * 1024 * 1024];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom").unwrap(), &mut blob).unwrap();
    std::fs::write(fx.work.join("big.bin"), blob).unwrap();
    git(&fx.work, &["add", "."]);
    git(&fx.work, &["commit", "-qm", "a big file"]);
    git(&fx.work, &["push", "-q", fx.bare.to_str().unwrap(), "main"]);
    let daemon = git_daemon(&fx.root());
    let mut proxy = TcpProxy::throttled(format!("127.0.0.1:{}", daemon.port).parse().unwrap(), Some(512 * 1024));
    let t = engine().await;
    let url = format!("git://127.0.0.1:{}/repo.git", proxy.port);
    add_repo(&t.engine, RepositoryInput { name: "far".into(), url: url.clone(), ..Default::default() }).await;
    apply(&t.engine, "kind: shell\nname: fetcher\nsource: { repo: far, ref: main }\nscript: echo script-ran\n").await;
    let run = start(&t.engine, "fetcher", &[]).await;
    proxy.wait_bytes(1024 * 1024, Duration::from_secs(30)).await;

    let fault = Instant::now();
    proxy.cut();
    let run = wait_end(&t.engine, run.id).await;
    let left = cache_temp_files(&t.dir.path().join("git"));
    report_run("git server gone during a fetch", &run, &left, fault);
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    message_says(&run, &[&url, "broke"], &["run again"]);
    let log = log_text(&t.engine, run.id).await;
    assert!(log.iter().any(|l| l.contains("Cloning") || l.contains("Fetching")), "the log up to the fault: {log:?}");
    assert!(!log.iter().any(|l| l == "script-ran"), "the script does not run without its source: {log:?}");
    assert!(left.is_empty(), "no partial pack or lock is left in the fetch cache: {left:?}");
    still_serves(&t.engine).await;

    // The server is back (the same address): the next run fetches and runs.
    drop(proxy);
    let _back = TcpProxy::on_port(proxy_port(&url), format!("127.0.0.1:{}", daemon.port).parse().unwrap());
    let again = wait_end(&t.engine, start(&t.engine, "fetcher", &[]).await.id).await;
    assert_eq!(again.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, again.id).await);
}

fn proxy_port(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().split('/').next().unwrap().parse().unwrap()
}
