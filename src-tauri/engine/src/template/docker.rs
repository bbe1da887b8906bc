//! Validation of the Docker fields of a template: which kind may use which field, and what can be
//! checked before a run (tags and images without variables, names). Tags with variables are
//! checked again, after substitution, when a run starts.

use crate::docker::ImageRef;
use crate::model::{FieldError, TemplateKind, TemplateSpec};

/// Whether `name` can name an endpoint or a registry: 1-64 letters, digits, `-`, `_`, `.`,
/// starting with a letter or digit.
pub(crate) fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Adds the problems of the Docker fields of `spec` to `errors`.
pub(crate) fn check(spec: &TemplateSpec, errors: &mut Vec<FieldError>) {
    let build = spec.kind == TemplateKind::DockerBuild;
    if !build {
        let only_build = [
            ("dockerfile", spec.dockerfile.is_some()),
            ("dockerfileInline", spec.dockerfile_inline.is_some()),
            ("context", spec.context.is_some()),
            ("buildArgs", !spec.build_args.is_empty()),
            ("target", spec.target.is_some()),
            ("tags", !spec.tags.is_empty()),
            ("push", spec.push.is_some()),
        ];
        for (field, set) in only_build {
            if set {
                errors.push(FieldError::new(
                    field,
                    "invalid",
                    format!("`{field}` belongs to docker-build templates; this one is a {}", spec.kind.as_str()),
                ));
            }
        }
    }
    if let Some(endpoint) = &spec.endpoint {
        if !name_ok(endpoint) {
            errors.push(FieldError::new("endpoint", "invalid", format!("`{endpoint}` is not an endpoint name")));
        } else if !build && spec.image.is_none() {
            errors.push(FieldError::new(
                "endpoint",
                "invalid",
                "an endpoint is used by docker-build templates and by shell templates with an `image`",
            ));
        }
    }
    if let Some(image) = &spec.image {
        if build {
            errors.push(FieldError::new(
                "image",
                "invalid",
                "a docker-build template builds its image; `image` is for shell templates that run in a container",
            ));
        } else if image.trim().is_empty() {
            errors.push(FieldError::new(
                "image",
                "required",
                "the image is empty; name one such as alpine:3.20, or remove `image`",
            ));
        } else if !image.contains('$') {
            if let Err(message) = ImageRef::parse(image) {
                errors.push(FieldError::new("image", "invalid", message));
            }
        }
    }
    if !build {
        return;
    }
    let inline = spec.dockerfile_inline.as_deref().is_some_and(|t| !t.trim().is_empty());
    if inline && spec.dockerfile.is_some() {
        errors.push(FieldError::new(
            "dockerfileInline",
            "invalid",
            "give either `dockerfile` (a path) or `dockerfileInline` (the text), not both",
        ));
    }
    if spec.dockerfile_inline.is_some() && !inline {
        errors.push(FieldError::new("dockerfileInline", "required", "the inline Dockerfile is empty"));
    }
    for (i, tag) in spec.tags.iter().enumerate() {
        if tag.contains('$') {
            continue;
        }
        match ImageRef::parse(tag) {
            Ok(r) if r.digest.is_some() => errors.push(FieldError::new(
                format!("tags[{i}]"),
                "invalid",
                format!("`{tag}`: a tag cannot name a digest"),
            )),
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(format!("tags[{i}]"), "invalid", message)),
        }
    }
    for name in spec.build_args.keys() {
        if name.is_empty() || name.contains(['=', ' ', '\t', '\n']) {
            errors.push(FieldError::new(
                format!("buildArgs.{name}"),
                "invalid",
                format!("`{name}` is not a build argument name"),
            ));
        }
    }
    if let Some(push) = &spec.push {
        if !name_ok(&push.registry) {
            errors.push(FieldError::new(
                "push.registry",
                "invalid",
                "name the registry to push to (see `scicd registry list`)",
            ));
        }
        if spec.tags.is_empty() {
            errors.push(FieldError::new(
                "tags",
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

    fn build() -> TemplateSpec {
        TemplateSpec {
            kind: TemplateKind::DockerBuild,
            name: "img".into(),
            tags: vec!["localhost:5000/web:${SIMPLE_CICD_RUN_NUMBER}".into()],
            ..Default::default()
        }
    }

    fn paths(spec: &TemplateSpec) -> Vec<String> {
        let mut errors = Vec::new();
        check(spec, &mut errors);
        errors.into_iter().map(|e| e.path).collect()
    }

    #[test]
    fn a_plain_build_is_valid_and_variables_wait_for_the_run() {
        assert!(paths(&build()).is_empty());
    }

    #[test]
    fn a_tag_with_spaces_is_refused_at_once() {
        let mut s = build();
        s.tags.push("web app:1".into());
        assert_eq!(paths(&s), ["tags[1]"]);
    }

    #[test]
    fn build_fields_on_a_shell_template_and_an_image_on_a_build_are_refused() {
        let mut s = TemplateSpec { name: "x".into(), script: "true".into(), ..Default::default() };
        s.tags = vec!["a".into()];
        s.push = Some(PushSpec { registry: "r".into() });
        s.endpoint = Some("local".into());
        assert_eq!(paths(&s), ["tags", "push", "endpoint"]);
        let mut b = build();
        b.image = Some("alpine".into());
        b.dockerfile = Some("Dockerfile".into());
        b.dockerfile_inline = Some("FROM scratch".into());
        assert_eq!(paths(&b), ["image", "dockerfileInline"]);
    }

    #[test]
    fn a_push_needs_tags() {
        let mut s = build();
        s.tags.clear();
        s.push = Some(PushSpec { registry: "local".into() });
        assert_eq!(paths(&s), ["tags"]);
    }
}
