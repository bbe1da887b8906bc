//! Load generator for `scripts/bench-git.sh`: signed GitHub push deliveries over keep-alive
//! connections to a running `scicd serve`, each with its own delivery id. Prints deliveries per
//! second by status and the p50/p99 latency. Loopback only; bounded in count.
//!
//! `webhook_load ADDR TEMPLATE SECRET SHA REF COUNT CONCURRENCY`

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 8 {
        eprintln!("usage: webhook_load ADDR TEMPLATE SECRET SHA REF COUNT CONCURRENCY");
        std::process::exit(2);
    }
    let (addr, template, secret, sha, git_ref) = (&args[1], &args[2], &args[3], &args[4], &args[5]);
    let count: usize = args[6].parse().expect("COUNT");
    let concurrency: usize = args[7].parse().expect("CONCURRENCY");
    assert!(addr.starts_with("127.") || addr.starts_with("localhost"), "loopback only");
    let body = format!(
        r#"{{"ref":"{git_ref}","before":"0000000000000000000000000000000000000000","after":"{sha}","deleted":false}}"#
    );
    let signature = simple_cicd_engine::trigger::sign_hub(secret, body.as_bytes());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let n = count / concurrency + usize::from(worker < count % concurrency);
        let (addr, template, body, signature) = (addr.clone(), template.clone(), body.clone(), signature.clone());
        tasks.push(tokio::spawn(async move {
            let mut stream = BufReader::new(TcpStream::connect(&addr).await.expect("connect"));
            let mut results = Vec::with_capacity(n);
            for i in 0..n {
                let request = format!(
                    "POST /hooks/github/{template} HTTP/1.1\r\nHost: {addr}\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: bench-{worker}-{i}\r\nX-Hub-Signature-256: {signature}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let t = Instant::now();
                stream.get_mut().write_all(request.as_bytes()).await.expect("write");
                let mut status_line = String::new();
                stream.read_line(&mut status_line).await.expect("read");
                let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    stream.read_line(&mut line).await.expect("read");
                    if line == "\r\n" || line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut rest = vec![0u8; length];
                stream.read_exact(&mut rest).await.expect("body");
                results.push((status, t.elapsed()));
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
