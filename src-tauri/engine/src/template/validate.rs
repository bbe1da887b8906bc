//! Validation of a template spec: every problem at once, each with its field path.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::model::{FieldError, ParamType, TemplateBody, TemplateFile, TemplateSpec};

/// Environment variables a parameter may not replace: the engine's own and the ones that would
/// break the shell.
pub const RESERVED_ENV: [&str; 9] =
    ["PATH", "HOME", "PWD", "IFS", "SHELL", "USER", "ENV", "LD_PRELOAD", "LD_LIBRARY_PATH"];

const MAX_NAME: usize = 64;
const MAX_TIMEOUT: u64 = 7 * 24 * 3600;

/// Normalises what can be normalised without asking (CRLF line endings in the script) and says
/// what it changed.
pub fn normalise(file: &mut TemplateFile) -> Vec<String> {
    let mut notes = Vec::new();
    if file.script.contains('\r') {
        file.script = file.script.replace("\r\n", "\n").replace('\r', "\n");
        notes.push("the script had Windows (CRLF) line endings; they were converted to LF".to_string());
    }
    file.name = file.name.trim().to_string();
    notes
}

/// The typed template of a file, normalised and checked, with what normalising changed; or
/// every problem at once (fields of another kind included).
pub fn check(mut file: TemplateFile) -> Result<(TemplateSpec, Vec<String>)> {
    let notes = normalise(&mut file);
    let (spec, mut errors) = file.into_spec();
    errors.extend(validate(&spec));
    if errors.is_empty() {
        Ok((spec, notes))
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Checks a spec; an empty list means it is valid. Whether the source's repository exists is
/// checked when saving (it needs the database).
pub fn validate(spec: &TemplateSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name(&spec.name, &mut errors);
    match &spec.body {
        TemplateBody::Shell(body) => {
            if body.script.trim().is_empty() {
                errors.push(FieldError::new("script", "required", "the script is empty; write the commands to run"));
            }
            super::docker::check_shell(body, "", &mut errors);
            if body.workdir.as_deref().is_some_and(|w| w.contains('\0')) {
                errors.push(FieldError::new("workdir", "invalid", "the working directory contains a NUL byte"));
            }
        }
        TemplateBody::DockerBuild(body) => super::docker::check_build(body, "", &mut errors),
        TemplateBody::Pipeline(steps) => super::pipeline::check(steps, &mut errors),
        TemplateBody::Compose(body) => super::compose::check(body, "", &mut errors),
        TemplateBody::Ssh(body) => super::ssh::check(body, "", &mut errors),
        TemplateBody::Helm(body) => super::helm::check(body, &spec.name, "", &mut errors),
    }
    if spec.description.chars().count() > 2000 {
        errors.push(FieldError::new("description", "too_long", "the description is longer than 2000 characters"));
    }
    if let Some(t) = spec.timeout_seconds {
        if t == 0 || t > MAX_TIMEOUT {
            errors.push(FieldError::new(
                "timeoutSeconds",
                "invalid",
                format!("the timeout must be between 1 and {MAX_TIMEOUT} seconds (7 days)"),
            ));
        }
    }
    check_params(spec, &mut errors);
    crate::notify::check_rules(&spec.notify, &mut errors);
    crate::trigger::validate_triggers(spec, &mut errors);
    errors
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "required",
            "the name is missing; give the template a short name such as `build-web`",
        ));
        return;
    }
    if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", "too_long", format!("the name is longer than {MAX_NAME} characters")));
    }
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !first_ok || !rest_ok {
        errors.push(FieldError::new(
            "name",
            "invalid",
            "the name may hold letters, digits, '-', '_' and '.', and must start with a letter or digit",
        ));
    }
}

/// Whether `name` can be an environment variable name.
pub(crate) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_params(spec: &TemplateSpec, errors: &mut Vec<FieldError>) {
    let mut seen = HashSet::new();
    for (i, p) in spec.params.iter().enumerate() {
        let at = |field: &str| format!("params[{i}].{field}");
        if p.name.is_empty() {
            errors.push(FieldError::new(at("name"), "required", "the parameter needs a name"));
        } else if !is_env_name(&p.name) {
            errors.push(FieldError::new(
                at("name"),
                "invalid",
                format!(
                    "`{}` is not an environment variable name: use letters, digits and '_', not starting with a digit",
                    p.name
                ),
            ));
        } else if p.name.starts_with("SIMPLE_CICD_") || RESERVED_ENV.contains(&p.name.as_str()) {
            errors.push(FieldError::new(
                at("name"),
                "reserved",
                format!("`{}` is reserved; choose another name", p.name),
            ));
        } else if !seen.insert(p.name.clone()) {
            errors.push(FieldError::new(at("name"), "duplicate", format!("`{}` is defined twice", p.name)));
        }
        if p.kind == ParamType::Secret {
            if p.default.is_some() {
                errors.push(FieldError::new(
                    at("default"),
                    "invalid",
                    "a secret parameter has no default: its value is the stored secret's",
                ));
            }
            if let Err(crate::Error::Invalid(fields)) = crate::secrets::check_name(p.secret_name()) {
                for f in fields {
                    errors.push(FieldError::new(at("secret"), &f.code, f.message));
                }
            }
            continue;
        }
        if p.kind == ParamType::Choice && p.choices.is_empty() {
            errors.push(FieldError::new(at("choices"), "required", "a choice parameter needs at least one choice"));
        }
        if let Some(d) = &p.default {
            if let Err(e) = super::params::coerce(p, d) {
                errors.push(FieldError::new(at("default"), e.code, e.message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParamSpec;

    fn spec(name: &str, script: &str) -> TemplateSpec {
        let body = TemplateBody::Shell(crate::model::ShellBody { script: script.into(), ..Default::default() });
        TemplateSpec { name: name.into(), body, ..Default::default() }
    }

    fn param(name: &str, kind: ParamType, default: Option<serde_json::Value>) -> ParamSpec {
        ParamSpec {
            name: name.into(),
            kind,
            default,
            required: false,
            description: None,
            choices: vec![],
            secret: None,
        }
    }

    #[test]
    fn missing_name_and_script_are_both_reported() {
        let errors = validate(&spec("", "  "));
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["name", "script"], "every problem is reported at once");
    }

    #[test]
    fn crlf_scripts_are_normalised_with_a_note() {
        let mut f = TemplateFile::from(spec("a", "echo a\r\necho b\r\n"));
        let notes = normalise(&mut f);
        assert_eq!(f.script, "echo a\necho b\n");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn fields_of_another_kind_are_reported_with_the_other_problems() {
        let f: TemplateFile = serde_yaml::from_str("kind: shell\nname: ''\nscript: x\ntags: [a]\n").unwrap();
        let Err(Error::Invalid(errors)) = check(f) else { panic!("accepted") };
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["tags", "name"]);
    }

    #[test]
    fn parameter_names_must_be_environment_names_and_not_reserved() {
        let mut s = spec("a", "true");
        s.params = vec![
            param("has space", ParamType::String, None),
            param("SIMPLE_CICD_RUN_ID", ParamType::String, None),
            param("PATH", ParamType::String, None),
            param("OK", ParamType::String, None),
            param("OK", ParamType::String, None),
        ];
        let codes: Vec<_> = validate(&s).into_iter().map(|e| (e.path, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("params[0].name".to_string(), "invalid".to_string()),
                ("params[1].name".to_string(), "reserved".to_string()),
                ("params[2].name".to_string(), "reserved".to_string()),
                ("params[4].name".to_string(), "duplicate".to_string()),
            ]
        );
    }

    #[test]
    fn a_default_of_the_wrong_type_is_reported() {
        let mut s = spec("a", "true");
        s.params = vec![param("N", ParamType::Number, Some(serde_json::json!("many")))];
        let errors = validate(&s);
        assert_eq!(errors[0].path, "params[0].default");
        assert_eq!(errors[0].code, "type_mismatch");
    }
}
