//! Resolving the values a run gives against a template's typed parameters.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{FieldError, ParamSpec, ParamType};

/// How a secret parameter is recorded in a run's parameters: by reference, never by value.
pub const SECRET_PREFIX: &str = "secret:";

/// Why one value does not fit its parameter.
pub(crate) struct Mismatch {
    pub code: &'static str,
    pub message: String,
}

/// Turns a typed value (from YAML or JSON) into the text the script receives, checking its type.
pub(crate) fn coerce(p: &ParamSpec, value: &serde_json::Value) -> Result<String, Mismatch> {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => String::new(),
        _ => {
            return Err(Mismatch {
                code: "type_mismatch",
                message: format!("{} takes a single value, not a list or a mapping", p.name),
            })
        }
    };
    check_text(p, &text)
}

/// Checks a value given as text (CLI `-p K=V`, UI form) and returns its canonical form.
fn check_text(p: &ParamSpec, text: &str) -> Result<String, Mismatch> {
    match p.kind {
        ParamType::Secret => Err(Mismatch {
            code: "secret_value",
            message: format!(
                "{} is a secret parameter: its value comes from the stored secret {}, never from the run's input",
                p.name,
                p.secret_name()
            ),
        }),
        ParamType::String => Ok(text.to_string()),
        ParamType::Number => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(text.trim().to_string()),
            _ => Err(Mismatch {
                code: "type_mismatch",
                message: format!("{} is a number, and `{text}` is not one", p.name),
            }),
        },
        ParamType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Ok("true".into()),
            "false" | "no" | "0" | "off" => Ok("false".into()),
            _ => Err(Mismatch {
                code: "type_mismatch",
                message: format!("{} is true or false, and `{text}` is neither", p.name),
            }),
        },
        ParamType::Choice => {
            if p.choices.iter().any(|c| c == text) {
                Ok(text.to_string())
            } else {
                Err(Mismatch {
                    code: "not_in_choices",
                    message: format!("{} must be one of: {}; `{text}` is not", p.name, p.choices.join(", ")),
                })
            }
        }
    }
}

/// Resolves the values given to a run: every given name must be a parameter, every value must fit
/// its type, required parameters need a value or a default. Returns the environment the script gets
/// from its parameters (unset optional parameters are empty strings).
pub fn resolve_params(specs: &[ParamSpec], given: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>> {
    let mut errors = Vec::new();
    for name in given.keys() {
        if !specs.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = specs.iter().map(|p| p.name.as_str()).collect();
            let hint = if known.is_empty() {
                "this template takes no parameters".to_string()
            } else {
                format!("this template takes: {}", known.join(", "))
            };
            errors.push(FieldError::new(
                format!("params.{name}"),
                "unknown",
                format!("unknown parameter {name}; {hint}"),
            ));
        }
    }
    let mut out = BTreeMap::new();
    for p in specs {
        let at = format!("params.{}", p.name);
        if p.kind == ParamType::Secret {
            if given.contains_key(&p.name) {
                let m = check_text(p, "").expect_err("secret parameters take no input");
                errors.push(FieldError::new(at, m.code, m.message));
            } else {
                out.insert(p.name.clone(), format!("{SECRET_PREFIX}{}", p.secret_name()));
            }
            continue;
        }
        let value = match (given.get(&p.name), &p.default) {
            // A required value left blank in a form is missing, not given.
            (Some(v), _) if p.required && v.trim().is_empty() => {
                errors.push(FieldError::new(at, "required", format!("{} is required; give it a value", p.name)));
                continue;
            }
            (Some(v), _) => check_text(p, v),
            (None, Some(d)) => coerce(p, d),
            (None, None) if p.required => {
                errors.push(FieldError::new(at, "required", format!("{} is required; give it a value", p.name)));
                continue;
            }
            (None, None) => Ok(String::new()),
        };
        match value {
            Ok(v) => {
                out.insert(p.name.clone(), v);
            }
            Err(m) => errors.push(FieldError::new(at, m.code, m.message)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, kind: ParamType, default: Option<serde_json::Value>, required: bool) -> ParamSpec {
        ParamSpec {
            name: name.into(),
            kind,
            default,
            required,
            description: None,
            choices: vec!["a".into(), "b".into()],
            secret: None,
        }
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_fill_in_and_values_are_canonical() {
        let specs = [
            p("WHO", ParamType::String, Some("world".into()), false),
            p("N", ParamType::Number, Some(serde_json::json!(3)), false),
            p("FLAG", ParamType::Boolean, None, false),
        ];
        let out = resolve_params(&specs, &given(&[("FLAG", "yes")])).unwrap();
        assert_eq!(out, given(&[("FLAG", "true"), ("N", "3"), ("WHO", "world")]));
    }

    #[test]
    fn shell_text_is_kept_verbatim() {
        let specs = [p("WHO", ParamType::String, None, true)];
        let out = resolve_params(&specs, &given(&[("WHO", "$(touch /tmp/x); reboot")])).unwrap();
        assert_eq!(out["WHO"], "$(touch /tmp/x); reboot");
    }

    #[test]
    fn unknown_missing_and_ill_typed_values_are_all_reported() {
        let specs = [
            p("REQ", ParamType::String, None, true),
            p("N", ParamType::Number, None, false),
            p("C", ParamType::Choice, None, false),
        ];
        let err = resolve_params(&specs, &given(&[("N", "ten"), ("C", "z"), ("NOPE", "1")])).unwrap_err();
        let Error::Invalid(fields) = err else { panic!("expected Invalid") };
        let codes: Vec<_> = fields.iter().map(|f| (f.path.as_str(), f.code.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("params.NOPE", "unknown"),
                ("params.REQ", "required"),
                ("params.N", "type_mismatch"),
                ("params.C", "not_in_choices")
            ]
        );
    }

    #[test]
    fn a_required_value_given_blank_is_missing_even_with_a_default() {
        let specs = [p("WHO", ParamType::String, Some("ana".into()), true), p("OPT", ParamType::String, None, false)];
        let err = resolve_params(&specs, &given(&[("WHO", "  "), ("OPT", "")])).unwrap_err();
        let Error::Invalid(fields) = err else { panic!("expected Invalid") };
        let codes: Vec<_> = fields.iter().map(|f| (f.path.as_str(), f.code.as_str())).collect();
        assert_eq!(codes, [("params.WHO", "required")], "an optional blank value is fine");
    }
}
