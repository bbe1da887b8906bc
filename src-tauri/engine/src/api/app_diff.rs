//! `app_diff`: what differs between two revisions of an app (its configuration, line by line,
//! and each service's image by digest). The rollback confirmation asks it for the current
//! revision against the target.

use super::apps::{app_find, revision};
use crate::deploy::diff::revision_diff;
use crate::error::Result;
use crate::model::AppDiff;
use crate::Engine;

/// The difference from revision `from` to revision `to` of app `name` (`NAME` or `NAME@ENDPOINT`).
pub async fn app_diff(engine: &Engine, name: &str, from: u32, to: u32) -> Result<AppDiff> {
    let app = app_find(engine, name).await?;
    let (a, b) = (revision(engine, &app, from).await?, revision(engine, &app, to).await?);
    Ok(revision_diff(&a, &b))
}
