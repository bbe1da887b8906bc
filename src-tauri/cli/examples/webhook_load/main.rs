//! Load generator for `scripts/bench-hooks.sh` and `scripts/bench-git.sh`, loopback only, bounded
//! in count:
//!
//! `webhook_load ADDR TEMPLATE SECRET SHA REF COUNT CONCURRENCY`
//!   signed GitHub push deliveries over keep-alive connections to a running `scicd serve`, each
//!   with its own delivery id; prints deliveries per second by status and the p50/p99 latency.
//!
//! `webhook_load burst SCICD DATA_DIR TEMPLATE SECRET SHA COUNT CONCURRENCY`
//!   the burst of [`burst`]: 10% replays, 10% forged, `kill -9` of `scicd serve` halfway and a
//!   restart; prints the table of what was answered and what the database holds.

mod burst;
mod conn;

use std::time::{Duration, Instant};

use conn::{push_body, Conn, Delivery};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("burst") if args.len() == 9 => {
            let count: usize = args[7].parse().expect("COUNT");
            let b = burst::Burst {
                scicd: args[2].clone().into(),
                data_dir: args[3].clone().into(),
                envs: Vec::new(),
                template: args[4].clone(),
                secret: args[5].clone(),
                sha: args[6].clone(),
                count,
                concurrency: args[8].parse().expect("CONCURRENCY"),
                kill_after: count / 2,
            };
            print!("{}", burst::run(&b).await);
        }
        Some(_) if args.len() == 8 => load(&args).await,
        _ => {
            eprintln!("usage: webhook_load ADDR TEMPLATE SECRET SHA REF COUNT CONCURRENCY");
            eprintln!("       webhook_load burst SCICD DATA_DIR TEMPLATE SECRET SHA COUNT CONCURRENCY");
            std::process::exit(2);
        }
    }
}

async fn load(args: &[String]) {
    let (addr, template, secret, sha, git_ref) = (&args[1], &args[2], &args[3], &args[4], &args[5]);
    let count: usize = args[6].parse().expect("COUNT");
    let concurrency: usize = args[7].parse().expect("CONCURRENCY");
    assert!(addr.starts_with("127.") || addr.starts_with("localhost"), "loopback only");
    let body = push_body(git_ref, sha);
    let signature = simple_cicd_engine::trigger::sign_hub(secret, body.as_bytes());
    let run_id = std::process::id();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let n = count / concurrency + usize::from(worker < count % concurrency);
        let (addr, template, body, signature) = (addr.clone(), template.clone(), body.clone(), signature.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await.expect("connect");
            let mut results = Vec::with_capacity(n);
            for i in 0..n {
                let d = Delivery {
                    id: format!("load-{run_id}-{worker}-{i}"),
                    body: body.clone(),
                    signature: signature.clone(),
                };
                let a = conn.deliver(&template, &d).await.expect("an answer");
                results.push((a.status, a.took));
            }
            results
        }));
    }
    let mut all: Vec<(u16, Duration)> = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    let mut latencies: Vec<Duration> = all.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1];
    let mut by_status = std::collections::BTreeMap::new();
    for (s, _) in &all {
        *by_status.entry(*s).or_insert(0usize) += 1;
    }
    println!(
        "deliveries={} seconds={:.2} per_second={:.0} p50_ms={:.2} p99_ms={:.2} statuses={:?}",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        by_status
    );
}
