//! Times the Apps page's calls through the engine API, as the UI makes them (scripts/bench-apps.sh
//! seeds the data and runs this): `app_list` alone, one `app_get`, and a whole page refresh
//! (`app_list`, then `app_get` of every app, four at a time like ui/src/stores/apps.ts).
//!
//! Usage: bench_apps DATA_DIR [ROUNDS]

use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use simple_cicd_engine::{api, Engine, EngineOptions};

/// How many `app_get` calls the UI has in flight at once.
const PARALLEL: usize = 4;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` `rounds` times (after one warm-up); (median, mean, max) in ms.
async fn time<F, Fut>(rounds: usize, mut f: F) -> (f64, f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await;
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        f().await;
        samples.push(ms(start.elapsed()));
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    (samples[samples.len() / 2], mean, *samples.last().unwrap_or(&0.0))
}

fn row(what: &str, (median, mean, max): (f64, f64, f64)) {
    println!("{what:<52} median {median:>9.1} ms   mean {mean:>9.1} ms   max {max:>9.1} ms");
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let data = args.next().expect("usage: bench_apps DATA_DIR [ROUNDS]");
    let rounds: usize = args.next().map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let options = EngineOptions { data_dir: Some(data.clone().into()), ..EngineOptions::default() };
    let engine = Engine::open(options).await.expect("the engine opens on the seeded data");
    let apps = api::app_list(&engine).await.expect("app_list answers");
    if apps.is_empty() {
        eprintln!("no apps in {data}: seed them first (scripts/bench-apps.sh)");
        return;
    }
    let revisions: usize = apps.iter().map(|a| a.current.as_ref().map_or(0, |r| r.number as usize)).sum();
    println!("{} apps, {revisions} revisions; {rounds} rounds each after a warm-up", apps.len());
    let first = format!("{}@{}", apps[0].name, apps[0].target);

    row(
        "app_list (the list, from the database)",
        time(rounds * 10, || async {
            api::app_list(&engine).await.unwrap();
        })
        .await,
    );
    row(
        "app_get of one app (revisions + what runs)",
        time(rounds * 4, || async {
            api::app_get(&engine, &first).await.unwrap();
        })
        .await,
    );
    row(
        &format!("page refresh: app_list + {} x app_get, {PARALLEL} at once", apps.len()),
        time(rounds, || async {
            let list = api::app_list(&engine).await.unwrap();
            stream::iter(list.iter().map(|a| format!("{}@{}", a.name, a.target)))
                .for_each_concurrent(PARALLEL, |handle| {
                    let engine = &engine;
                    async move {
                        api::app_get(engine, &handle).await.unwrap();
                    }
                })
                .await;
        })
        .await,
    );
}
