//! `scicd config get | set | unset | list`.

use simple_cicd_engine::settings::{self, Setting};
use simple_cicd_engine::Engine;

use crate::args::ConfigCmd;
use crate::failure::CmdResult;
use crate::output;

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Runs a config subcommand.
pub async fn dispatch(engine: &Engine, cmd: ConfigCmd) -> CmdResult {
    match cmd {
        ConfigCmd::Get { key } => println!("{}", shown(&settings::config_get(engine, &key).await?.value)),
        ConfigCmd::Set { key, value } => {
            let s = settings::config_set(engine, &key, &value).await?;
            println!("{} = {}", s.key, shown(&s.value));
        }
        ConfigCmd::Unset { key } => {
            let s = settings::config_unset(engine, &key).await?;
            println!("{} = {} (default)", s.key, shown(&s.value));
        }
        ConfigCmd::List { json } => {
            let list = settings::config_list(engine).await?;
            if json {
                output::json(&list);
            } else {
                let rows: Vec<Vec<String>> = list.iter().map(row).collect();
                output::table(&["KEY", "VALUE", "DEFAULT", "DESCRIPTION"], &rows);
            }
        }
    }
    Ok(0)
}

fn row(s: &Setting) -> Vec<String> {
    vec![s.key.clone(), shown(&s.value), shown(&s.default), s.description.clone()]
}
