//! `scicd secret set | list | rm`. Values come from stdin or a hidden prompt, never from argv.

use std::io::{IsTerminal, Read};

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::secrets;
use simple_cicd_engine::Engine;

use crate::args::SecretCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

/// Runs a secret subcommand.
pub async fn dispatch(engine: &Engine, cmd: SecretCmd) -> CmdResult {
    match cmd {
        SecretCmd::Set { name } => {
            secrets::check_name(&name)?;
            let value = read_value(&name)?;
            let info = secrets::secret_set(engine, &Caller::cli(), &name, &value).await?;
            println!(
                "Stored secret {} in the {}",
                info.name,
                if info.backend == "file" { "encrypted file" } else { "OS keyring" }
            );
        }
        SecretCmd::List { json } => {
            let list = secrets::secret_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No secrets yet. Store one with: scicd secret set NAME");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|s| vec![s.name.clone(), s.backend.clone(), output::local_time(Some(&s.updated_at))])
                    .collect();
                output::table(&["NAME", "STORED IN", "CHANGED"], &rows);
            }
        }
        SecretCmd::Rm { name } => {
            secrets::secret_delete(engine, &Caller::cli(), &name).await?;
            println!("Removed secret {name}");
        }
    }
    Ok(0)
}

/// The value: a hidden prompt on a terminal, else all of stdin without its final newline.
pub fn read_value(name: &str) -> CmdResult<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("Value of {name} (not shown): "))
            .map_err(|e| Failure::usage(format!("cannot read the value: {e}")));
    }
    let mut value = String::new();
    std::io::stdin()
        .read_to_string(&mut value)
        .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    if value.ends_with('\n') {
        value.pop();
        if value.ends_with('\r') {
            value.pop();
        }
    }
    Ok(value)
}
