//! Checks of a template's source and triggers that need no database: every problem with its
//! field path (`triggers[2].cron`).

use std::collections::HashSet;

use crate::model::{FieldError, TemplateSpec, TriggerSpec};

/// Appends the problems of `spec.source` and `spec.triggers` to `errors`.
pub fn validate_triggers(spec: &TemplateSpec, errors: &mut Vec<FieldError>) {
    if let Some(source) = &spec.source {
        if source.repo.trim().is_empty() {
            errors.push(FieldError::new("source.repo", "required", "name the repository (see `scicd repo list`)"));
        }
        if !source.git_ref.is_empty() {
            if let Err(m) = super::check_ref_name(&source.git_ref) {
                errors.push(FieldError::new("source.ref", "invalid", m));
            }
        }
    }
    let mut providers = HashSet::new();
    for (i, trigger) in spec.triggers.iter().enumerate() {
        let at = |field: &str| format!("triggers[{i}].{field}");
        match trigger {
            TriggerSpec::Webhook(w) => {
                // A generic webhook may start a template without a repository (a registry's push
                // notification, a chat command); the forges' webhooks are about pushes.
                if spec.source.is_none() && w.provider != crate::model::Provider::Generic {
                    errors.push(FieldError::new(
                        at("webhook"),
                        "required",
                        format!(
                            "a {} webhook trigger needs the template's source: the repository whose pushes it runs (a generic webhook needs none)",
                            w.provider
                        ),
                    ));
                }
                if !providers.insert(w.provider) {
                    errors.push(FieldError::new(
                        at("webhook.provider"),
                        "duplicate",
                        format!("there is already a {} webhook trigger; one per provider", w.provider),
                    ));
                }
                // A trigger without a secret may be saved (the UI warns); its deliveries are refused.
                if let Some(s) = w.secret.as_deref().filter(|s| !s.is_empty()) {
                    if crate::secrets::check_name(s).is_err() {
                        errors.push(FieldError::new(
                            at("webhook.secret"),
                            "invalid",
                            "a secret name holds 1 to 128 letters, digits, '_', '-' or '.'",
                        ));
                    }
                }
                check_globs(&w.branches, &at("webhook.branches"), errors);
                check_globs(&w.tags, &at("webhook.tags"), errors);
            }
            TriggerSpec::Poll(p) => {
                if spec.source.is_none() {
                    errors.push(FieldError::new(
                        at("poll"),
                        "required",
                        "a poll trigger needs the template's source: the repository to watch",
                    ));
                }
                if !(1..=1440).contains(&p.every_minutes) {
                    errors.push(FieldError::new(at("poll.everyMinutes"), "invalid", "poll every 1 to 1440 minutes"));
                }
                check_globs(&p.branches, &at("poll.branches"), errors);
            }
            TriggerSpec::Cron(expr) => {
                if let Err(m) = super::cron::parse(expr) {
                    errors.push(FieldError::new(at("cron"), "invalid", m));
                }
            }
        }
    }
}

fn check_globs(globs: &[String], at: &str, errors: &mut Vec<FieldError>) {
    for (j, g) in globs.iter().enumerate() {
        if g.trim().is_empty() || g.chars().any(|c| c.is_whitespace() || c.is_control()) {
            errors.push(FieldError::new(
                format!("{at}[{j}]"),
                "invalid",
                "a filter is a branch or tag name or glob without spaces",
            ));
        }
    }
}
