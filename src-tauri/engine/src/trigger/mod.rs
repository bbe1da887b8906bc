//! What starts runs by itself: webhooks from a forge, polling a remote's branches, and cron.
//!
//! Webhooks are received by the HTTP server, which hands each delivery to [`webhook_receive`].
//! Polling and cron run in the [`Scheduler`], which long-lived hosts (the desktop app,
//! `scicd serve`) start with [`spawn_scheduler`]. The setting `triggers.paused` stops all three.
//! Every decision to fire is a compare-and-set in the database, so several processes on one
//! data directory never start the same trigger twice.

pub mod cron;
pub mod glob;
mod poll;
mod schedule;
mod validate;
pub mod webhook;

pub use poll::{poll_now, PollReport};
pub use schedule::{spawn_scheduler, Scheduler};
pub use validate::validate_triggers;
pub use webhook::{sign_hub, webhook_body_limit, webhook_receive, WebhookAnswer, WebhookBody, WebhookRequest};

use crate::model::WebhookTrigger;

/// Whether a push of branch (or tag) `name` passes the trigger's filters: with no filters at
/// all every branch runs and no tag; otherwise only what a glob names.
pub fn push_wanted(trigger: &WebhookTrigger, is_branch: bool, name: &str) -> bool {
    if trigger.branches.is_empty() && trigger.tags.is_empty() {
        return is_branch;
    }
    if is_branch {
        glob::any(&trigger.branches, name)
    } else {
        glob::any(&trigger.tags, name)
    }
}

/// Checks a ref name given by a user (`--ref`): a branch, tag, `refs/...` or commit SHA.
pub fn check_ref_name(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.len() > 255
        || name.starts_with('-')
        || name.contains("..")
        || name.contains("@{")
        || name.ends_with('/')
        || name.ends_with(".lock")
        || name.chars().any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
    if bad {
        Err(format!("`{name}` is not a valid branch, tag or commit name"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provider;

    fn trigger(branches: &[&str], tags: &[&str]) -> WebhookTrigger {
        WebhookTrigger {
            provider: Provider::Github,
            secret: Some("S".into()),
            branches: branches.iter().map(|s| s.to_string()).collect(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn without_filters_every_branch_runs_and_no_tag() {
        assert!(push_wanted(&trigger(&[], &[]), true, "anything/at-all"));
        assert!(!push_wanted(&trigger(&[], &[]), false, "v1"));
    }

    #[test]
    fn filters_name_what_runs() {
        let t = trigger(&["main", "release/*"], &["v*"]);
        assert!(push_wanted(&t, true, "main"));
        assert!(push_wanted(&t, true, "release/2.0"));
        assert!(!push_wanted(&t, true, "feature/x"));
        assert!(push_wanted(&t, false, "v2.0.1"));
        assert!(!push_wanted(&t, false, "nightly"));
        assert!(!push_wanted(&trigger(&[], &["v*"]), true, "main"), "tags only: branches do not run");
    }

    #[test]
    fn ref_names_with_shell_or_git_syntax_are_refused() {
        for ok in ["main", "release/1.2", "v1.0.0", "refs/heads/main", "6113728f"] {
            assert!(check_ref_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", "a..b", "a b", "x~1", "HEAD^", "a:b", "x\n", "ref@{1}"] {
            assert!(check_ref_name(bad).is_err(), "{bad:?}");
        }
    }
}
