//! `scicd triggers NAME [--poll] [--json]`: what starts a template by itself.

use simple_cicd_engine::{api, trigger, Engine};

use crate::args::TriggersArgs;
use crate::failure::CmdResult;
use crate::output;

/// Shows a template's triggers (and polls them with --poll).
pub async fn triggers(engine: &Engine, args: TriggersArgs) -> CmdResult {
    if args.poll {
        let report = trigger::poll_now(engine, &args.name).await?;
        for (branch, sha) in &report.watched {
            println!("watching {branch} at {}", &sha[..sha.len().min(8)]);
        }
        if report.baseline {
            println!("first look: heads recorded; new commits from now on start runs");
        }
        for id in &report.started {
            println!("started run {id}");
        }
        return Ok(0);
    }
    let overview = api::trigger_overview(engine, &args.name, args.deliveries).await?;
    if args.json {
        output::json(&overview);
        return Ok(0);
    }
    if overview.paused {
        println!("Triggers are PAUSED (setting triggers.paused)");
    }
    if overview.webhooks.is_empty() && overview.crons.is_empty() && overview.polls.is_empty() {
        println!("{} has no triggers", overview.template);
    }
    for w in &overview.webhooks {
        let secret = match (&w.secret_name, w.secret_stored) {
            (None, _) => "NO SECRET: deliveries are refused".to_string(),
            (Some(n), true) => format!("secret {n}"),
            (Some(n), false) => format!("secret {n} NOT STORED: `scicd secret set {n}`"),
        };
        println!("webhook  {}  ({secret})", w.url);
    }
    for c in &overview.crons {
        match &c.error {
            Some(e) => println!("cron     {}  INVALID: {e}", c.expression),
            None => {
                let next: Vec<String> = c.next.iter().map(|t| output::local_time(Some(t))).collect();
                println!("cron     {}  next: {}", c.expression, next.join(", "));
            }
        }
    }
    for p in &overview.polls {
        println!("poll     every {}", if *p == 1 { "minute".to_string() } else { format!("{p} minutes") });
    }
    if !overview.deliveries.is_empty() {
        println!("Last deliveries:");
        let rows: Vec<Vec<String>> = overview
            .deliveries
            .iter()
            .map(|d| {
                vec![
                    output::local_time(Some(&d.received_at)),
                    d.provider.to_string(),
                    d.outcome.as_str().to_string(),
                    d.status.to_string(),
                    d.run_id.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                    d.message.clone(),
                ]
            })
            .collect();
        output::table(&["RECEIVED", "PROVIDER", "OUTCOME", "HTTP", "RUN", "MESSAGE"], &rows);
    }
    Ok(0)
}
