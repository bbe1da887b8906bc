//! One module per subcommand; each is a thin layer over `simple_cicd_engine::api`.

pub mod app;
pub mod app_diff;
pub mod approve;
pub mod cancel;
pub mod cluster;
pub mod config;
pub mod endpoint;
pub mod example;
pub mod logs;
pub mod registry;
pub mod repo;
pub mod retry;
pub mod run;
pub mod runs;
pub mod secret;
pub mod serve;
pub mod smtp;
pub mod steps;
pub mod storage;
pub mod template;
pub mod triggers;
pub mod users;
pub mod worker;

use std::collections::BTreeMap;

use crate::failure::{CmdResult, Failure};

/// Parses `-p KEY=VALUE` arguments. The value is kept verbatim (it may contain `=`).
pub fn parse_params(pairs: &[String]) -> CmdResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("-p {pair}: expected KEY=VALUE, e.g. -p WHO=world")))?;
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(Failure::usage(format!("-p {k} is given twice")));
        }
    }
    Ok(out)
}
