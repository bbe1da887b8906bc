//! `scicd logs ID [--follow]`: the log's lines and nothing else, printed as `scicd run` prints
//! them, with or without `--follow`: the script's stdout on stdout, its stderr on stderr, and
//! simple-cicd's own lines (Running…, Finished…) on stderr after `» `.

use std::io::Write;

use simple_cicd_engine::{api, Engine};

use crate::args::LogsArgs;
use crate::failure::CmdResult;

const PAGE: usize = 10_000;

/// Prints the lines of a run's log.
pub async fn logs(engine: &Engine, args: LogsArgs) -> CmdResult {
    if args.follow && args.step.is_some() {
        return Err(crate::failure::Failure::usage("--step reads a stored log; leave out --follow"));
    }
    if args.follow {
        super::run::stream_until_end(engine, args.id, 1, false).await?;
        return Ok(0);
    }
    let step = match &args.step {
        Some(name) => Some(super::steps::index_of(engine, args.id, name).await?),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut next = 1;
    loop {
        let lines = api::run_logs(engine, args.id, next, PAGE).await?;
        let Some(last) = lines.last() else { break };
        next = last.seq + 1;
        for l in lines.iter().filter(|l| step.is_none() || l.step == step) {
            if !super::run::print_line(&mut out, l, "") {
                return Ok(0);
            }
        }
    }
    let _ = out.flush();
    Ok(0)
}
