//! `scicd example import`: the worked example's templates and pipeline, saved all or none.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::NeedKind;
use simple_cicd_engine::{api, Engine};

use crate::args::ExampleCmd;
use crate::failure::CmdResult;
use crate::output;

/// Runs an example subcommand.
pub async fn dispatch(engine: &Engine, cmd: ExampleCmd) -> CmdResult {
    match cmd {
        ExampleCmd::Import { repo, replace, json } => {
            let imported = api::example_import(engine, &Caller::cli(), repo.as_deref(), replace).await?;
            if json {
                output::json(&imported);
                return Ok(0);
            }
            for name in &imported.created {
                println!("Created template {name}");
            }
            for name in &imported.replaced {
                println!("Replaced template {name}");
            }
            println!(
                "The pipeline {p} checks out the repository {r}. Run it: scicd run {p}",
                p = imported.pipeline,
                r = imported.repo
            );
            let missing: Vec<_> = api::example_get(engine).await?.needs.into_iter().filter(|n| !n.present).collect();
            if !missing.is_empty() {
                eprintln!("Its runs also use what is not stored yet (scripts/example.sh sets it all up):");
            }
            for need in missing {
                let (what, how) = match need.what {
                    NeedKind::Registry => ("registry", format!("scicd registry add {} HOST:PORT", need.name)),
                    NeedKind::Secret => ("secret", format!("scicd secret set {}", need.name)),
                    NeedKind::Cluster => ("cluster", format!("scicd cluster add {} --context CONTEXT", need.name)),
                };
                eprintln!("  {what} {} (used by {}): {how}", need.name, need.used_by.join(", "));
            }
        }
    }
    Ok(0)
}
