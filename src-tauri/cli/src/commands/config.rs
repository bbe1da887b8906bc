//! `scicd config get | set | unset | list`.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::settings::{self, Setting, SettingInput};
use simple_cicd_engine::Engine;

use crate::args::ConfigCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A setting's value for people; a password only says whether it is stored.
fn value_of(s: &Setting) -> String {
    match (&s.input, s.is_set) {
        (SettingInput::Secret, true) => "(stored)".into(),
        (SettingInput::Secret, false) => "(not set)".into(),
        _ => shown(&s.value),
    }
}

/// The new value: from the command line, or for a password from stdin / a hidden prompt.
async fn new_value(engine: &Engine, key: &str, value: Option<String>) -> CmdResult<String> {
    let is_secret = settings::config_get(engine, key).await?.input == SettingInput::Secret;
    match (is_secret, value) {
        (true, Some(_)) => Err(Failure::usage(format!(
            "{key} is a password and is never taken from the command line, where it would land in the shell history; pipe it in: `printf %s \"$PASSWORD\" | scicd config set {key}`, or type it at the prompt"
        ))),
        (true, None) => super::secret::read_value(key),
        (false, Some(v)) => Ok(v),
        (false, None) => Err(Failure::usage(format!("give the new value: scicd config set {key} VALUE"))),
    }
}

/// Runs a config subcommand.
pub async fn dispatch(engine: &Engine, cmd: ConfigCmd) -> CmdResult {
    match cmd {
        ConfigCmd::Get { key } => println!("{}", value_of(&settings::config_get(engine, &key).await?)),
        ConfigCmd::Set { key, value } => {
            let value = new_value(engine, &key, value).await?;
            let s = settings::config_set(engine, &Caller::cli(), &key, &value).await?;
            println!("{} = {}", s.key, value_of(&s));
        }
        ConfigCmd::Unset { key } => {
            let s = settings::config_unset(engine, &Caller::cli(), &key).await?;
            println!("{}", unset_line(&s));
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

/// `smtp.host unset (default: empty)`, `runs.maxParallel unset (default: 4)`.
fn unset_line(s: &Setting) -> String {
    if s.input == SettingInput::Secret {
        return format!("{} unset (no value stored)", s.key);
    }
    let default = shown(&s.default);
    format!("{} unset (default: {})", s.key, if default.is_empty() { "empty" } else { &default })
}

fn row(s: &Setting) -> Vec<String> {
    let default = if s.input == SettingInput::Secret { "-".into() } else { shown(&s.default) };
    vec![s.key.clone(), value_of(s), default, s.description.clone()]
}
