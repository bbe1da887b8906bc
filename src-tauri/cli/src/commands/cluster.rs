//! `scicd cluster add | list | contexts | test | remove`.

use std::io::Read;
use std::path::Path;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{ClusterInfo, ClusterSource, NewCluster};
use simple_cicd_engine::{api, Engine};

use crate::args::ClusterCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

fn read_kubeconfig(path: &Path) -> CmdResult<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("--kubeconfig -: cannot read standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("--kubeconfig {}: cannot read it: {e}", path.display())))
}

/// Runs a cluster subcommand.
pub async fn dispatch(engine: &Engine, cmd: ClusterCmd) -> CmdResult {
    match cmd {
        ClusterCmd::Add { name, context, kubeconfig, namespace } => {
            let kubeconfig = kubeconfig.as_deref().map(read_kubeconfig).transpose()?;
            let c =
                api::cluster_add(engine, &Caller::cli(), NewCluster { name, context, kubeconfig, namespace }).await?;
            let from = match (c.source, &c.context) {
                (ClusterSource::Context, Some(ctx)) => format!("context {ctx} of your kubeconfig"),
                (_, Some(ctx)) => format!("context {ctx} of the kubeconfig kept in the keyring"),
                (_, None) => "the kubeconfig kept in the keyring".to_string(),
            };
            println!(
                "Added cluster {} ({from}, namespace {}); check it with: scicd cluster test {}",
                c.name, c.namespace, c.name
            );
        }
        ClusterCmd::List { json } => {
            let list = api::cluster_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No cluster: add one with scicd cluster add NAME --context CONTEXT (scicd cluster contexts lists yours) or --kubeconfig FILE");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        let context = c.context.clone().unwrap_or_else(|| "(current-context)".to_string());
                        vec![c.name.clone(), c.source.as_str().to_string(), context, c.namespace.clone()]
                    })
                    .collect();
                output::table(&["NAME", "SOURCE", "CONTEXT", "NAMESPACE"], &rows);
            }
        }
        ClusterCmd::Contexts { json } => {
            let found = api::cluster_contexts(engine, &Caller::cli()).await?;
            if json {
                output::json(&found);
            } else if found.contexts.is_empty() {
                eprintln!("No context in your kubeconfig ({})", found.files.join(":"));
            } else {
                let rows: Vec<Vec<String>> = found
                    .contexts
                    .iter()
                    .map(|c| {
                        vec![
                            if c.current { "*".to_string() } else { String::new() },
                            c.name.clone(),
                            c.server.clone().unwrap_or_default(),
                            c.namespace.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::table(&["CURRENT", "NAME", "SERVER", "NAMESPACE"], &rows);
            }
        }
        ClusterCmd::Test { name, json } => {
            let info = api::cluster_test(engine, &name).await?;
            if json {
                output::json(&info);
            } else {
                print_info(&info);
            }
        }
        ClusterCmd::Remove { name } => {
            api::cluster_remove(engine, &Caller::cli(), &name).await?;
            println!("Removed cluster {name}");
        }
    }
    Ok(0)
}

fn print_info(i: &ClusterInfo) {
    println!("Cluster {} ({}) answers in {} ms", i.cluster, i.server, i.latency_ms);
    println!("  Kubernetes  {} ({})", i.server_version, i.platform);
    println!("  Context     {}", i.context);
    println!("  Namespace   {}", i.namespace);
    println!("  kubectl     {}", i.kubectl);
    match &i.nodes_error {
        Some(why) => println!("  Nodes       cannot be listed: {why}"),
        None if i.nodes.is_empty() => println!("  Nodes       none"),
        None => {
            println!("  Nodes");
            for n in &i.nodes {
                println!("    {}  {}  {}", n.name, if n.ready { "Ready" } else { "NotReady" }, n.version);
            }
        }
    }
}
