//! Validation of a compose body, for templates and pipeline steps alike: a file given one way,
//! the file itself checked (YAML, the specification's top level), the project and endpoint names.
//! `docker compose config` checks the rest when the run launches it.

use crate::deploy::compose::check_compose_text;
use crate::model::{ComposeBody, FieldError};

/// Adds the problems of `body` to `errors`, each path starting with `at`.
pub(crate) fn check(body: &ComposeBody, at: &str, errors: &mut Vec<FieldError>) {
    match (&body.compose, body.files.is_empty()) {
        (None, true) => errors.push(FieldError::new(
            format!("{at}compose"),
            "required",
            "write the compose file in `compose`, or name compose files of the source in `files`",
        )),
        (Some(_), false) => errors.push(FieldError::new(
            format!("{at}files"),
            "invalid",
            "give either `compose` (the file itself) or `files` (paths in the source), not both",
        )),
        (Some(text), true) => {
            for problem in check_compose_text(text) {
                errors.push(FieldError::new(format!("{at}compose"), "invalid", problem));
            }
        }
        (None, false) => {
            for (i, f) in body.files.iter().enumerate() {
                if f.trim().is_empty() || f.starts_with('/') || f.split('/').any(|p| p == "..") {
                    errors.push(FieldError::new(
                        format!("{at}files[{i}]"),
                        "invalid",
                        format!(
                            "`{f}`: name a file of the run's workspace by its relative path, e.g. deploy/compose.yaml"
                        ),
                    ));
                }
            }
        }
    }
    if let Some(project) = &body.project {
        let ok = project.contains("${")
            || (project.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && project.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'));
        if !ok {
            errors.push(FieldError::new(
                format!("{at}project"),
                "invalid",
                format!("`{project}`: a compose project name holds lower case letters, digits, '-' and '_', starting with a letter or digit"),
            ));
        }
    }
    if let Some(endpoint) = &body.endpoint {
        if !super::docker::name_ok(endpoint) {
            errors.push(FieldError::new(
                format!("{at}endpoint"),
                "invalid",
                format!("`{endpoint}` is not an endpoint name"),
            ));
        }
    }
    if body.wait_seconds == Some(0) {
        errors.push(FieldError::new(
            format!("{at}waitSeconds"),
            "invalid",
            "wait at least 1 second for the services to be healthy",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(body: &ComposeBody) -> Vec<String> {
        let mut errors = Vec::new();
        check(body, "", &mut errors);
        errors.into_iter().map(|e| e.path).collect()
    }

    #[test]
    fn a_file_is_given_exactly_one_way() {
        assert_eq!(paths(&ComposeBody::default()), ["compose"]);
        let both = ComposeBody {
            compose: Some("services: {a: {image: b}}".into()),
            files: vec!["c.yaml".into()],
            ..Default::default()
        };
        assert_eq!(paths(&both), ["files"]);
        let outside = ComposeBody { files: vec!["../x.yaml".into(), "/etc/y.yaml".into()], ..Default::default() };
        assert_eq!(paths(&outside), ["files[0]", "files[1]"]);
    }

    #[test]
    fn the_inline_file_and_the_project_name_are_checked() {
        let body = ComposeBody {
            compose: Some("service:\n  web: {image: a}\n".into()),
            project: Some("My Shop".into()),
            ..Default::default()
        };
        assert_eq!(paths(&body), ["compose", "project"]);
    }
}
