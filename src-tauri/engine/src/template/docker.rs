//! Validation of the Docker parts of a body (a shell script in a container, an image build),
//! for templates and pipeline steps alike: what can be checked before a run (tags and images
//! without variables, names). Tags with variables are checked again, after substitution, when a
//! run starts. Each problem's path starts with `at` (`""` for a template, `steps[2].` for a step).

use crate::docker::ImageRef;
use crate::model::{BuildBody, FieldError, ShellBody};

/// Whether `name` can name an endpoint or a registry: 1-64 letters, digits, `-`, `_`, `.`,
/// starting with a letter or digit.
pub(crate) fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn check_endpoint(endpoint: Option<&str>, at: &str, errors: &mut Vec<FieldError>) {
    if let Some(endpoint) = endpoint {
        if !name_ok(endpoint) {
            errors.push(FieldError::new(
                format!("{at}endpoint"),
                "invalid",
                format!("`{endpoint}` is not an endpoint name"),
            ));
        }
    }
}

/// Adds the problems of a shell body's container fields to `errors`.
pub(crate) fn check_shell(body: &ShellBody, at: &str, errors: &mut Vec<FieldError>) {
    check_endpoint(body.endpoint.as_deref(), at, errors);
    if body.endpoint.as_deref().is_some_and(name_ok) && body.image.is_none() {
        errors.push(FieldError::new(
            format!("{at}endpoint"),
            "invalid",
            "an endpoint is used by docker-build templates and by shell templates with an `image`",
        ));
    }
    if let Some(image) = &body.image {
        if image.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{at}image"),
                "required",
                "the image is empty; name one such as alpine:3.20, or remove `image`",
            ));
        } else if !image.contains('$') {
            if let Err(message) = ImageRef::parse(image) {
                errors.push(FieldError::new(format!("{at}image"), "invalid", message));
            }
        }
    }
}

/// Adds the problems of an image build's fields to `errors`.
pub(crate) fn check_build(body: &BuildBody, at: &str, errors: &mut Vec<FieldError>) {
    check_endpoint(body.endpoint.as_deref(), at, errors);
    let inline = body.dockerfile_inline.as_deref().is_some_and(|t| !t.trim().is_empty());
    if inline && body.dockerfile.is_some() {
        errors.push(FieldError::new(
            format!("{at}dockerfileInline"),
            "invalid",
            "give either `dockerfile` (a path) or `dockerfileInline` (the text), not both",
        ));
    }
    if body.dockerfile_inline.is_some() && !inline {
        errors.push(FieldError::new(format!("{at}dockerfileInline"), "required", "the inline Dockerfile is empty"));
    }
    for (i, tag) in body.tags.iter().enumerate() {
        // A tag with a variable or a step's output is checked once they are put in.
        if tag.contains('$') {
            continue;
        }
        match ImageRef::parse(tag) {
            Ok(r) if r.digest.is_some() => errors.push(FieldError::new(
                format!("{at}tags[{i}]"),
                "invalid",
                format!("`{tag}`: a tag cannot name a digest"),
            )),
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(format!("{at}tags[{i}]"), "invalid", message)),
        }
    }
    for name in body.build_args.keys() {
        if name.is_empty() || name.contains(['=', ' ', '\t', '\n']) {
            errors.push(FieldError::new(
                format!("{at}buildArgs.{name}"),
                "invalid",
                format!("`{name}` is not a build argument name"),
            ));
        }
    }
    if let Some(push) = &body.push {
        if !name_ok(&push.registry) {
            errors.push(FieldError::new(
                format!("{at}push.registry"),
                "invalid",
                "name the registry to push to (see `scicd registry list`)",
            ));
        }
        if body.tags.is_empty() {
            errors.push(FieldError::new(
                format!("{at}tags"),
                "required",
                "a push needs a tag that names the registry's host, e.g. localhost:5000/web:latest",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PushSpec;

    fn build() -> BuildBody {
        BuildBody { tags: vec!["localhost:5000/web:${SIMPLE_CICD_RUN_NUMBER}".into()], ..Default::default() }
    }

    fn build_paths(body: &BuildBody) -> Vec<String> {
        let mut errors = Vec::new();
        check_build(body, "", &mut errors);
        errors.into_iter().map(|e| e.path).collect()
    }

    #[test]
    fn a_plain_build_is_valid_and_variables_wait_for_the_run() {
        assert!(build_paths(&build()).is_empty());
    }

    #[test]
    fn a_tag_with_spaces_is_refused_at_once() {
        let mut b = build();
        b.tags.push("web app:1".into());
        assert_eq!(build_paths(&b), ["tags[1]"]);
    }

    #[test]
    fn an_endpoint_without_an_image_and_two_dockerfiles_are_refused() {
        let s = ShellBody { script: "true".into(), endpoint: Some("local".into()), ..Default::default() };
        let mut errors = Vec::new();
        check_shell(&s, "steps[1].", &mut errors);
        assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["steps[1].endpoint"]);
        let mut b = build();
        b.dockerfile = Some("Dockerfile".into());
        b.dockerfile_inline = Some("FROM scratch".into());
        assert_eq!(build_paths(&b), ["dockerfileInline"]);
    }

    #[test]
    fn a_push_needs_tags() {
        let mut b = build();
        b.tags.clear();
        b.push = Some(PushSpec { registry: "local".into() });
        assert_eq!(build_paths(&b), ["tags"]);
    }
}
