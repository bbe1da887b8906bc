//! `scicd registry add | list | test | rm`. The password comes from standard input, never argv.

use std::io::Read;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::NewRegistry;
use simple_cicd_engine::{api, Engine};

use crate::args::RegistryCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

/// Runs a registry subcommand.
pub async fn dispatch(engine: &Engine, cmd: RegistryCmd) -> CmdResult {
    match cmd {
        RegistryCmd::Add { name, url, username, password_stdin } => {
            let password = if password_stdin { Some(read_stdin()?) } else { None };
            let r = api::registry_add(engine, &Caller::cli(), NewRegistry { name, url, username, password }).await?;
            let stored = if r.has_password {
                format!(", password in the {}", simple_cicd_engine::secrets::backend_name(engine).await)
            } else {
                String::new()
            };
            println!("Added registry {} ({}){stored}; check it with: scicd registry test {}", r.name, r.host, r.name);
        }
        RegistryCmd::List { json } => {
            let list = api::registry_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No registries yet. Add one with: scicd registry add NAME HOST[:PORT] [--username U --password-stdin]");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|r| {
                        let login = match (&r.username, r.has_password) {
                            (Some(u), true) => format!("{u} (password stored)"),
                            (Some(u), false) => u.clone(),
                            (None, _) => "-".into(),
                        };
                        vec![r.name.clone(), r.host.clone(), login]
                    })
                    .collect();
                output::table(&["NAME", "HOST", "LOGIN"], &rows);
            }
        }
        RegistryCmd::Test { name, json } => {
            let check = api::registry_test(engine, &name).await?;
            if json {
                output::json(&check);
            } else {
                println!("{} ({}): {}", check.registry, check.host, check.status);
            }
        }
        RegistryCmd::Rm { name } => {
            api::registry_remove(engine, &Caller::cli(), &name).await?;
            println!("Removed registry {name}");
        }
    }
    Ok(0)
}

/// All of standard input without its final newline (what `echo $TOKEN |` adds).
fn read_stdin() -> CmdResult<String> {
    let mut value = String::new();
    std::io::stdin()
        .read_to_string(&mut value)
        .map_err(|e| Failure::usage(format!("cannot read the password from standard input: {e}")))?;
    let trimmed = value.trim_end_matches(['\n', '\r']).to_string();
    if trimmed.is_empty() {
        return Err(Failure::usage("--password-stdin: standard input was empty"));
    }
    Ok(trimmed)
}
