//! `scicd storage usage | cleanup`.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{retention, Engine};

use crate::args::StorageCmd;
use crate::failure::CmdResult;
use crate::output;

fn human(bytes: i64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// Runs a storage subcommand.
pub async fn dispatch(engine: &Engine, cmd: StorageCmd) -> CmdResult {
    match cmd {
        StorageCmd::Usage { json } => {
            let u = retention::storage_usage(engine).await?;
            if json {
                output::json(&u);
            } else {
                println!("Runs:        {}", u.run_count);
                println!("Logs:        {}", human(u.log_bytes));
                println!("Workspaces:  {}", human(u.workspace_bytes));
                println!("Git caches:  {}", human(u.git_cache_bytes));
                println!("Database:    {} (logs included)", human(u.database_bytes));
            }
        }
        StorageCmd::Cleanup => {
            let r = retention::storage_cleanup(engine, &Caller::cli(), None).await?;
            let runs = crate::output::count(r.removed_runs as usize, "run", "runs");
            let revisions = crate::output::count(r.removed_revisions as usize, "app revision", "app revisions");
            println!("Removed {runs}, {} of workspaces and {revisions}", human(r.freed_workspace_bytes));
        }
    }
    Ok(0)
}
