//! Which rules fire for an outcome, and checking rules when a template is saved.

use crate::model::{FieldError, NotifyRule, NotifyWhen, RunStatus};

/// What the rules ask for one run.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Show a desktop notification.
    pub desktop: bool,
    /// Send an e-mail to these addresses (no duplicates, in rule order).
    pub email: Vec<String>,
}

/// Outcomes people tell apart: a timeout or an interruption is a failure too.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Succeeded,
    Failed,
    Cancelled,
}

fn outcome(status: RunStatus) -> Outcome {
    match status {
        RunStatus::Succeeded => Outcome::Succeeded,
        RunStatus::Cancelled | RunStatus::Queued | RunStatus::Running | RunStatus::Waiting => Outcome::Cancelled,
        RunStatus::Failed | RunStatus::TimedOut | RunStatus::Interrupted => Outcome::Failed,
    }
}

fn fires(when: NotifyWhen, status: RunStatus, previous: Option<RunStatus>) -> bool {
    let now = outcome(status);
    match when {
        NotifyWhen::Always => true,
        NotifyWhen::Failed => now == Outcome::Failed,
        NotifyWhen::Succeeded => now == Outcome::Succeeded,
        // A cancel says nothing about the code; the first run has nothing to differ from.
        NotifyWhen::Changed => now != Outcome::Cancelled && previous.is_some_and(|p| outcome(p) != now),
        // The apps watch's, not a run's end.
        NotifyWhen::Unhealthy | NotifyWhen::Drifted | NotifyWhen::Recovered => false,
    }
}

/// What the rules ask for a run that ended with `status`, after a previous finished (and not
/// cancelled) run that ended with `previous`.
pub(crate) fn plan(rules: &[NotifyRule], status: RunStatus, previous: Option<RunStatus>) -> Plan {
    let mut out = Plan::default();
    for rule in rules.iter().filter(|r| r.when.iter().any(|w| fires(*w, status, previous))) {
        out.desktop |= rule.desktop;
        merge(&mut out.email, &rule.email);
    }
    out
}

/// What the rules ask when the apps watch sees `event` (one of the app `when` values) for an app
/// the template deploys. A template none of whose rules is about apps gets the default rule
/// `{when: [unhealthy, drifted, recovered], desktop: true}`: the desktop hears of every change.
pub(crate) fn plan_app(rules: &[NotifyRule], event: NotifyWhen) -> Plan {
    if !rules.iter().any(|r| r.when.iter().any(|w| w.is_app_event())) {
        return Plan { desktop: true, email: Vec::new() };
    }
    let mut out = Plan::default();
    for rule in rules.iter().filter(|r| r.when.contains(&event)) {
        out.desktop |= rule.desktop;
        merge(&mut out.email, &rule.email);
    }
    out
}

fn merge(into: &mut Vec<String>, addresses: &[String]) {
    for address in addresses {
        if !into.iter().any(|a| a.eq_ignore_ascii_case(address)) {
            into.push(address.clone());
        }
    }
}

/// Checks a template's rules, each problem with its field path (`notify[0].email[1]`).
pub(crate) fn check_rules(rules: &[NotifyRule], errors: &mut Vec<FieldError>) {
    for (i, rule) in rules.iter().enumerate() {
        if rule.when.is_empty() {
            errors.push(FieldError::new(
                format!("notify[{i}].when"),
                "required",
                format!("say when the rule fires: {}", NotifyWhen::ALL.join(", ")),
            ));
        }
        if rule.email.is_empty() && !rule.desktop {
            errors.push(FieldError::new(
                format!("notify[{i}]"),
                "required",
                "the rule tells nobody: add `email` recipients or `desktop: true`",
            ));
        }
        for (j, address) in rule.email.iter().enumerate() {
            if let Err(e) = address.trim().parse::<lettre::Address>() {
                errors.push(FieldError::new(
                    format!("notify[{i}].email[{j}]"),
                    "invalid",
                    format!("`{address}` is not an e-mail address ({e})"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RunStatus::*;

    fn rule(when: &[NotifyWhen], email: &[&str], desktop: bool) -> NotifyRule {
        NotifyRule { when: when.to_vec(), email: email.iter().map(|s| s.to_string()).collect(), desktop }
    }

    #[test]
    fn failed_covers_timeouts_and_interruptions_but_not_cancels() {
        let rules = [rule(&[NotifyWhen::Failed], &[], true)];
        for status in [Failed, TimedOut, Interrupted] {
            assert!(plan(&rules, status, None).desktop, "{status} is a failure");
        }
        for status in [Succeeded, Cancelled] {
            assert!(!plan(&rules, status, None).desktop, "{status} is not a failure");
        }
    }

    #[test]
    fn changed_fires_when_the_outcome_flips_and_not_on_the_first_run() {
        let rules = [rule(&[NotifyWhen::Changed], &["a@example.com"], false)];
        assert!(plan(&rules, Failed, None).email.is_empty(), "nothing to compare the first run with");
        assert!(plan(&rules, Failed, Some(Failed)).email.is_empty());
        assert!(plan(&rules, TimedOut, Some(Failed)).email.is_empty(), "a timeout after a failure is no change");
        assert_eq!(plan(&rules, Succeeded, Some(Failed)).email, ["a@example.com"], "fixed");
        assert_eq!(plan(&rules, Failed, Some(Succeeded)).email, ["a@example.com"], "broken");
        assert!(plan(&rules, Cancelled, Some(Succeeded)).email.is_empty(), "a cancel is not a change");
    }

    #[test]
    fn recipients_of_every_firing_rule_are_merged_without_duplicates() {
        let rules = [
            rule(&[NotifyWhen::Failed, NotifyWhen::Changed], &["me@example.com"], true),
            rule(&[NotifyWhen::Always], &["team@example.com", "ME@example.com"], false),
            rule(&[NotifyWhen::Succeeded], &["boss@example.com"], false),
        ];
        let p = plan(&rules, Failed, Some(Failed));
        assert_eq!(p, Plan { desktop: true, email: vec!["me@example.com".into(), "team@example.com".into()] });
    }

    #[test]
    fn app_events_fire_only_their_own_rules_and_never_a_run_end() {
        let rules = [
            rule(&[NotifyWhen::Always], &["runs@example.com"], true),
            rule(&[NotifyWhen::Unhealthy, NotifyWhen::Recovered], &["ops@example.com"], false),
            rule(&[NotifyWhen::Drifted], &["ops@example.com", "lead@example.com"], true),
        ];
        assert_eq!(
            plan_app(&rules, NotifyWhen::Unhealthy),
            Plan { desktop: false, email: vec!["ops@example.com".into()] }
        );
        assert_eq!(
            plan_app(&rules, NotifyWhen::Drifted),
            Plan { desktop: true, email: vec!["ops@example.com".into(), "lead@example.com".into()] }
        );
        let app_only = [rule(&[NotifyWhen::Unhealthy], &["ops@example.com"], true)];
        assert_eq!(plan(&app_only, Failed, None), Plan::default(), "an app rule says nothing about run ends");
    }

    #[test]
    fn without_an_app_rule_every_app_change_shows_on_the_desktop_only() {
        let rules = [rule(&[NotifyWhen::Failed], &["me@example.com"], true)];
        for event in [NotifyWhen::Unhealthy, NotifyWhen::Drifted, NotifyWhen::Recovered] {
            assert_eq!(plan_app(&rules, event), Plan { desktop: true, email: vec![] }, "{event:?}");
            assert_eq!(plan_app(&[], event), Plan { desktop: true, email: vec![] }, "no rules at all: {event:?}");
        }
    }

    #[test]
    fn a_rule_must_say_when_and_whom_and_use_real_addresses() {
        let mut errors = Vec::new();
        check_rules(
            &[rule(&[], &[], false), rule(&[NotifyWhen::Always], &["ok@example.com", "not an address"], false)],
            &mut errors,
        );
        let paths: Vec<_> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
        assert_eq!(
            paths,
            [("notify[0].when", "required"), ("notify[0]", "required"), ("notify[1].email[1]", "invalid")]
        );
    }
}
