//! The template file format: YAML in, YAML out.

use crate::error::{Error, Result};
use crate::model::{FieldError, TemplateFile, TemplateKind, TemplateSpec};

/// Parses a template file (not yet checked: see [`super::check`]). Errors name the field and, for
/// syntax errors, the line.
pub fn from_yaml(text: &str) -> Result<TemplateFile> {
    let value: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|e| Error::invalid("yaml", "invalid", format!("the file is not valid YAML: {e}")))?;
    let mut value = value;
    // `script: true` or `script: 42` is a command, not a boolean or a number.
    if let Some(script) = value.get_mut("script") {
        if let serde_yaml::Value::Bool(_) | serde_yaml::Value::Number(_) = script {
            let text = serde_yaml::to_string(script).unwrap_or_default();
            *script = serde_yaml::Value::String(text.trim().to_string());
        }
    }
    let map = value.as_mapping().ok_or_else(|| {
        Error::invalid("yaml", "invalid", "a template file is a YAML mapping with kind, name and script")
    })?;
    match map.get("kind") {
        None => {
            return Err(Error::invalid(
                "kind",
                "required",
                format!("kind is missing; supported kinds: {}", TemplateKind::ALL.join(", ")),
            ))
        }
        Some(serde_yaml::Value::String(k)) if TemplateKind::ALL.contains(&k.as_str()) => {}
        Some(other) => {
            let shown = serde_yaml::to_string(other).unwrap_or_default();
            return Err(Error::invalid(
                "kind",
                "invalid",
                format!("unknown template kind `{}`; supported kinds: {}", shown.trim(), TemplateKind::ALL.join(", ")),
            ));
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "yaml".to_string() } else { path };
        Error::Invalid(vec![FieldError::new(path, "invalid", e.inner().to_string())])
    })
}

/// Parses and checks a template file: the typed template, or every problem at once.
pub fn spec_from_yaml(text: &str) -> Result<TemplateSpec> {
    super::check(from_yaml(text)?).map(|(spec, _)| spec)
}

/// A YAML syntax error of `what` (e.g. `the compose file`) with its line and column; a tab used
/// for indentation before it says so.
pub(crate) fn yaml_syntax_error(what: &str, text: &str, e: &serde_yaml::Error) -> String {
    let Some(at) = e.location() else { return format!("{what} is not valid YAML: {e}") };
    let tab = text.lines().take(at.line()).any(|l| l.trim_start_matches(' ').starts_with('\t'));
    let hint = if tab { "; YAML indents with spaces, and a tab is used for indentation here" } else { "" };
    format!("{what} is not valid YAML at line {}, column {}: {e}{hint}", at.line(), at.column())
}

/// Writes a template file: the fields in the documented order, empty optional fields left out.
pub fn to_yaml(spec: &TemplateSpec) -> String {
    let mut value = serde_yaml::to_value(spec).expect("a TemplateSpec always serialises");
    prune(&mut value);
    serde_yaml::to_string(&value).expect("a YAML value always serialises")
}

/// Fields whose empty values are values, not absences: the user's own maps (an `env` or `with`
/// entry set to "" differs from none) and a parameter's `default: ""`.
const KEPT_AS_WRITTEN: &[&str] = &["env", "with", "buildArgs", "set"];

/// Removes nulls, empty lists and empty strings from mappings, so exports read like hand-written
/// files; what [`KEPT_AS_WRITTEN`] names is left whole (an export must import as the same template).
fn prune(value: &mut serde_yaml::Value) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            map.retain(|k, v| {
                let empty_string = v.as_str().is_some_and(str::is_empty) && k.as_str() != Some("default");
                !(v.is_null() || v.as_sequence().is_some_and(|s| s.is_empty()) || empty_string)
            });
            for (k, v) in map.iter_mut() {
                if !k.as_str().is_some_and(|k| KEPT_AS_WRITTEN.contains(&k)) {
                    prune(v);
                }
            }
        }
        serde_yaml::Value::Sequence(seq) => seq.iter_mut().for_each(prune),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let spec = from_yaml(
            "kind: shell\nname: hello\ndescription: Greets someone\nparams:\n  - name: WHO\n    type: string\n    default: world\n    required: false\ntimeoutSeconds: 600\nscript: |\n  echo \"hello $WHO\"\n",
        )
        .unwrap();
        assert_eq!(spec.name, "hello");
        assert_eq!(spec.params[0].default, Some(serde_json::json!("world")));
        assert_eq!(spec.timeout_seconds, Some(600));
        assert_eq!(spec.script, "echo \"hello $WHO\"\n");
    }

    #[test]
    fn unknown_kind_names_the_supported_ones() {
        let err = from_yaml("kind: banana\nname: x\nscript: true\n").unwrap_err();
        assert!(err.to_string().contains("unknown template kind `banana`"), "{err}");
        assert!(err.to_string().contains("shell"), "{err}");
    }

    #[test]
    fn a_typo_in_a_field_name_is_reported_with_its_path() {
        let err = from_yaml("kind: shell\nname: x\nscript: true\nparams:\n  - name: A\n    typ: string\n").unwrap_err();
        let Error::Invalid(fields) = err else { panic!("expected Invalid") };
        assert_eq!(fields[0].path, "params[0].typ");
        assert!(fields[0].message.contains("typ"), "{}", fields[0].message);
    }

    #[test]
    fn export_round_trips_and_leaves_out_empty_fields() {
        let spec = spec_from_yaml("kind: shell\nname: x\nscript: |\n  echo a\n  echo b\n").unwrap();
        let text = to_yaml(&spec);
        assert!(!text.contains("workdir"), "{text}");
        assert!(!text.contains("params"), "{text}");
        assert_eq!(spec_from_yaml(&text).unwrap(), spec);
    }

    #[test]
    fn an_export_keeps_the_empty_values_that_mean_something() {
        // Found by the template_yaml fuzz target: `default: ""` was left out of the export, so a
        // required parameter with an empty default came back without one (and refused runs).
        let text = "kind: pipeline\nname: p\nparams:\n  - { name: A, type: string, default: \"\", required: true }\n\
                    steps:\n  - { name: s, uses: t, with: { X: \"\" } }\n  - { name: u, kind: shell, script: x, env: { E: \"\" } }\n";
        let spec = spec_from_yaml(text).unwrap();
        let again = spec_from_yaml(&to_yaml(&spec)).unwrap();
        assert_eq!(again, spec, "an export imports as the same template:\n{}", to_yaml(&spec));
    }
}
