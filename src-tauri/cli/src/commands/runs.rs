//! `scicd runs list | show`.

use simple_cicd_engine::model::{EmailState, Run, RunFilter, RunStatus};
use simple_cicd_engine::{api, Engine};

use crate::args::RunsCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

/// Runs a `runs` subcommand.
pub async fn dispatch(engine: &Engine, cmd: RunsCmd) -> CmdResult {
    match cmd {
        RunsCmd::List { json, limit, template, status } => {
            let status = match status {
                None => None,
                Some(s) => Some(RunStatus::parse(&s).ok_or_else(|| {
                    let all: Vec<&str> = RunStatus::ALL.iter().map(|s| s.as_str()).collect();
                    Failure::usage(format!("unknown status {s}; use one of: {}", all.join(", ")))
                })?),
            };
            if limit == 0 {
                return Err(Failure::usage("--limit must be at least 1"));
            }
            let filter = RunFilter { template, status, limit, offset: 0 };
            let page = api::run_list(engine, &filter).await?;
            if page.runs.is_empty() {
                if let Some(name) = &filter.template {
                    // A template that was removed still has its runs; one that never existed is a typo.
                    api::template_get(engine, name).await?;
                }
            }
            if json {
                output::json(&page.runs);
            } else if page.runs.is_empty() {
                eprintln!("{}", no_runs(&filter));
            } else {
                let rows: Vec<Vec<String>> = page.runs.iter().map(row).collect();
                output::table(&["ID", "TEMPLATE", "#", "STATUS", "TRIGGER", "STARTED", "DURATION"], &rows);
                if page.total > page.runs.len() as i64 {
                    eprintln!("({} of {} runs; --limit N shows more)", page.runs.len(), page.total);
                }
            }
        }
        RunsCmd::Show { id, json } => {
            let run = api::run_get(engine, id).await?;
            if json {
                output::json(&run);
            } else {
                print_run(&run);
                super::steps::print_details(&api::run_steps(engine, id).await?);
            }
        }
    }
    Ok(0)
}

/// What an empty list means: no runs at all, or none that match the filters given.
fn no_runs(filter: &RunFilter) -> String {
    let mut given = Vec::new();
    if let Some(t) = &filter.template {
        given.push(format!("--template {t}"));
    }
    if let Some(s) = filter.status {
        given.push(format!("--status {s}"));
    }
    if given.is_empty() {
        "No runs yet. Start one with: scicd run NAME".to_string()
    } else {
        format!("No runs match {}", given.join(" "))
    }
}

fn row(r: &Run) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.template.clone(),
        r.number.to_string(),
        r.status.to_string(),
        r.trigger.clone(),
        output::local_time(r.started_at.as_deref()),
        output::run_duration(r),
    ]
}

fn print_run(r: &Run) {
    println!("Run:       {} #{} (id {})", r.template, r.number, r.id);
    println!("Status:    {}", r.status);
    println!("Trigger:   {}", r.trigger);
    println!("Queued:    {}", output::local_time(Some(&r.queued_at)));
    println!("Started:   {}", output::local_time(r.started_at.as_deref()));
    println!("Finished:  {}", output::local_time(r.finished_at.as_deref()));
    println!("Duration:  {}", output::run_duration(r));
    println!("Exit code: {}", r.exit_code.map_or("-".into(), |c| c.to_string()));
    println!("Log lines: {}", r.log_lines);
    if let Some(e) = &r.error {
        println!("Error:     {e}");
    }
    if let Some(id) = &r.image_id {
        println!("Image:     {id}");
    }
    for tag in &r.image_tags {
        println!("Tag:       {tag}");
    }
    if let Some(d) = &r.image_digest {
        println!("Pushed:    {d}");
    }
    if let Some(email) = &r.email {
        let state = match email.state {
            EmailState::Pending => "sending",
            EmailState::Sent => "sent",
            EmailState::Failed => "not sent",
        };
        let answer = email.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
        println!("E-mail:    {state} to {}{answer}", email.recipients.join(", "));
    }
    if let Some(c) = &r.commit {
        let named = match (&c.branch, &c.tag) {
            (Some(b), _) => format!(" (branch {b})"),
            (None, Some(t)) => format!(" (tag {t})"),
            _ => String::new(),
        };
        println!("Commit:    {}{named} of {}", c.sha, c.repo);
        println!("Short:     {}", c.short_sha);
        println!("Author:    {}", c.author);
        println!("Message:   {}", c.message.lines().next().unwrap_or(""));
    } else if let Some(r) = &r.git_ref {
        println!("Ref:       {r}");
    }
    if !r.params.is_empty() {
        println!("Parameters:");
        for (k, v) in &r.params {
            println!("  {k}={v}");
        }
    }
}
