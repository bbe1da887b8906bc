//! `scicd app diff APP FROM TO`: each service's image in the two revisions (by digest), then the
//! configuration as a unified diff, as `git diff` prints one.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{ImageChange, PinnedImage};
use simple_cicd_engine::Engine;

use crate::failure::CmdResult;
use crate::output;

/// Prints the difference from revision `from` to revision `to` of app `name`.
pub async fn print(engine: &Engine, name: &str, from: u32, to: u32, json: bool) -> CmdResult<()> {
    let diff = api::app_diff(engine, name, from, to).await?;
    if json {
        output::json(&diff);
        return Ok(());
    }
    if diff.images.is_empty() {
        println!("Images: none recorded in either revision");
    } else {
        println!("Images:");
        let rows: Vec<Vec<String>> = diff.images.iter().map(row).collect();
        output::table(&["", "SERVICE", &format!("#{from}"), &format!("#{to}")], &rows);
    }
    println!();
    if diff.config.is_empty() {
        println!("Configuration: the same in #{from} and #{to}");
    } else {
        println!("Configuration:");
        print!("{}", diff.config);
    }
    Ok(())
}

fn row(c: &ImageChange) -> Vec<String> {
    let shown = |p: &Option<PinnedImage>| match p {
        Some(p) if p.pinned.is_empty() => p.image.clone(),
        Some(p) => p.pinned.clone(),
        None => "-".to_string(),
    };
    let mark = match (&c.from, &c.to) {
        (None, _) => "+",
        (_, None) => "-",
        _ if c.changed => "~",
        _ => " ",
    };
    vec![mark.to_string(), c.service.clone(), shown(&c.from), shown(&c.to)]
}
