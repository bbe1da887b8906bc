//! `scicd logs ID [--follow]`: the log's lines and nothing else, printed as `scicd run` prints
//! them, with or without `--follow`: the script's stdout on stdout, its stderr on stderr, and
//! simple-cicd's own lines (Running…, Finished…) on stderr after `» `.

use std::io::Write;

use simple_cicd_engine::model::LogStream;
use simple_cicd_engine::{api, Engine};

use crate::args::LogsArgs;
use crate::failure::CmdResult;

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
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut open = true;
    api::run_log_scan_runs(engine, args.id, |lines| {
        if !open || (step.is_some() && lines.step != step) {
            return;
        }
        if lines.stream == LogStream::Stdout {
            // Stored as they are printed: one write.
            open = out.write_all(lines.text.as_bytes()).is_ok();
        } else {
            for l in lines.lines() {
                open = open && super::run::print_line(&mut out, l.stream, l.text, "");
            }
        }
    })
    .await?;
    let _ = out.flush();
    Ok(0)
}
