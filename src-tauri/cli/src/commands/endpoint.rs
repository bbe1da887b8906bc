//! `scicd endpoint add | list | test | rm`.

use std::path::Path;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{EndpointInfo, NewEndpoint};
use simple_cicd_engine::{api, Engine};

use crate::args::EndpointCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

fn read(flag: &str, path: Option<&Path>) -> CmdResult<Option<String>> {
    path.map(|p| {
        std::fs::read_to_string(p).map_err(|e| Failure::usage(format!("--{flag} {}: cannot read it: {e}", p.display())))
    })
    .transpose()
}

/// Runs an endpoint subcommand.
pub async fn dispatch(engine: &Engine, cmd: EndpointCmd) -> CmdResult {
    match cmd {
        EndpointCmd::Add { name, url, tls_ca, tls_cert, tls_key, ssh_key } => {
            let new = NewEndpoint {
                name,
                url,
                tls_ca: read("tls-ca", tls_ca.as_deref())?,
                tls_cert: read("tls-cert", tls_cert.as_deref())?,
                tls_key: read("tls-key", tls_key.as_deref())?,
                ssh_key: read("ssh-key", ssh_key.as_deref())?,
            };
            let e = api::endpoint_add(engine, &Caller::cli(), new).await?;
            println!(
                "Added endpoint {} ({}, {}); check it with: scicd endpoint test {}",
                e.name,
                e.url,
                e.kind.as_str(),
                e.name
            );
        }
        EndpointCmd::List { json } => {
            let list = api::endpoint_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No Docker endpoint: no daemon answers on the local socket, and none was added (scicd endpoint add NAME URL)");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|e| {
                        let mut kind = e.kind.as_str().to_string();
                        if e.builtin {
                            kind.push_str(" (built in)");
                        } else if e.has_ssh_key {
                            kind.push_str(" (own key)");
                        }
                        vec![e.name.clone(), kind, e.url.clone()]
                    })
                    .collect();
                output::table(&["NAME", "KIND", "URL"], &rows);
            }
        }
        EndpointCmd::Test { name, json } => {
            let info = api::endpoint_test(engine, &name).await?;
            if json {
                output::json(&info);
            } else {
                print_info(&info);
            }
        }
        EndpointCmd::Rm { name } => {
            api::endpoint_remove(engine, &Caller::cli(), &name).await?;
            println!("Removed endpoint {name}");
        }
    }
    Ok(0)
}

fn print_info(i: &EndpointInfo) {
    let gib = i.memory_bytes as f64 / (1u64 << 30) as f64;
    println!("Endpoint {} ({}) answers in {} ms", i.endpoint, i.url, i.latency_ms);
    println!("  Docker Engine  {} ({}/{})", i.engine_version, i.os_type, i.architecture);
    println!("  API version    {} (simple-cicd speaks {})", i.api_version, i.client_api_version);
    println!("  OS             {}", i.os);
    println!("  CPUs           {}", i.cpus);
    println!("  Memory         {gib:.1} GiB");
    println!("  Images         {}", i.images);
    println!("  Containers     {} ({} running)", i.containers, i.containers_running);
}
