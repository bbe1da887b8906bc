//! Compiling a pipeline into what its run executes: every `uses` step replaced by the saved
//! template it names (its body, its parameters from `with` and their defaults as the step's
//! environment), checked before anything is queued. The result is a pipeline whose steps are all
//! inline: plain data, stored with the run, so a retry runs what the first run ran even when the
//! templates have changed since.
//!
//! Left to the run: expanding `${steps.NAME.outputs.KEY}` (the outputs exist only then).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{FieldError, ParamType, PipelineStep, StepBody, TemplateBody, TemplateKind, TemplateSpec};
use crate::template::pipeline::dependencies;
use crate::template::resolve_params;
use crate::Engine;

/// The planned pipeline, or every problem of its `uses` steps, each with its path.
pub async fn plan(engine: &Engine, spec: &TemplateSpec) -> Result<TemplateSpec> {
    plan_among(engine, spec, &[]).await
}

/// [`plan`], with `unsaved` templates found before the saved ones: a pipeline checked before it is
/// saved together with the templates it uses (an import of several at once).
pub async fn plan_among(engine: &Engine, spec: &TemplateSpec, unsaved: &[TemplateSpec]) -> Result<TemplateSpec> {
    let mut planned = spec.clone();
    let mut errors = Vec::new();
    let TemplateBody::Pipeline(steps) = &mut planned.body else { return Ok(planned) };
    for (i, step) in steps.iter_mut().enumerate() {
        let StepBody::Uses(uses) = &step.body else { continue };
        let at = |f: &str| format!("steps[{i}].{f}");
        let found = match unsaved.iter().find(|t| t.name == uses.uses) {
            Some(t) => Some(t.clone()),
            None => engine.store().template_by_name(&uses.uses).await?.map(|t| t.spec),
        };
        let used = match found {
            Some(t) => t,
            None => {
                errors.push(FieldError::new(
                    at("uses"),
                    "unknown",
                    format!("step `{}` uses `{}`, which is not a saved template", step.name, uses.uses),
                ));
                continue;
            }
        };
        match inline(step, &used) {
            Ok(planned_step) => *step = planned_step,
            Err(mut found) => {
                for e in &mut found {
                    e.path = at(&e.path);
                }
                errors.extend(found);
            }
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// `step` (a `uses` step) with the body of the template it uses; errors with paths inside the step.
fn inline(step: &PipelineStep, used: &TemplateSpec) -> std::result::Result<PipelineStep, Vec<FieldError>> {
    let StepBody::Uses(uses) = &step.body else { return Ok(step.clone()) };
    let refuse = |field: &str, message: String| vec![FieldError::new(field, "invalid", message)];
    if used.kind() == TemplateKind::Pipeline {
        return Err(refuse(
            "uses",
            format!(
                "`{}` is a pipeline; a step runs a shell, docker-build, compose or ssh template, pipelines do not nest",
                uses.uses
            ),
        ));
    }
    if let Some(p) = used.params.iter().find(|p| p.kind == ParamType::Secret) {
        return Err(refuse(
            "uses",
            format!(
                "`{}` takes the secret parameter {}; declare it on the pipeline and give it to the step in `env`",
                uses.uses, p.name
            ),
        ));
    }
    // `with` values that use step outputs are only known at run time: checked by type then.
    let mut given = BTreeMap::new();
    let mut later = BTreeMap::new();
    for (k, v) in &uses.with {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if text.contains("${steps.") {
            later.insert(k.clone(), text);
        } else {
            given.insert(k.clone(), text);
        }
    }
    let known: Vec<_> = used.params.iter().filter(|p| !later.contains_key(&p.name)).cloned().collect();
    let mut env = match resolve_params(&known, &given) {
        Ok(values) => values,
        Err(Error::Invalid(errors)) => {
            return Err(errors
                .into_iter()
                .map(|mut e| {
                    e.path = e.path.replacen("params.", "with.", 1);
                    e
                })
                .collect())
        }
        Err(other) => return Err(refuse("with", other.to_string())),
    };
    for k in later.keys() {
        if !used.params.iter().any(|p| &p.name == k) {
            return Err(vec![FieldError::new(
                format!("with.{k}"),
                "unknown",
                format!("`{}` has no parameter {k}", uses.uses),
            )]);
        }
    }
    env.extend(later);
    env.extend(step.env.clone());
    let body = used.body.as_step().expect("a pipeline was refused above");
    Ok(PipelineStep {
        env,
        timeout_seconds: step.timeout_seconds.or(used.timeout_seconds),
        body: StepBody::Inline(body),
        ..step.clone()
    })
}

/// The order the steps of a planned pipeline may start in: by depth in the graph, file order
/// within a depth (what the run page draws as columns).
pub fn depths(steps: &[PipelineStep]) -> Vec<usize> {
    let deps = dependencies(steps);
    let mut depth = vec![0usize; steps.len()];
    // The graph has no cycle once validated; a bound keeps a bad one from looping.
    for _ in 0..steps.len() {
        let mut changed = false;
        for i in 0..steps.len() {
            let d = deps[i].iter().map(|j| depth[*j] + 1).max().unwrap_or(0);
            if d != depth[i] {
                depth[i] = d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InlineBody, ParamSpec};

    fn uses_step(yaml: &str) -> PipelineStep {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn template(yaml: &str) -> TemplateSpec {
        crate::template::spec_from_yaml(yaml).unwrap()
    }

    #[test]
    fn a_uses_step_becomes_the_template_s_body_with_its_parameters_as_environment() {
        let used = template(
            "kind: shell\nname: unit\ntimeoutSeconds: 60\nparams:\n  - { name: LEVEL, type: choice, choices: [quick, full], default: quick }\n  - { name: N, type: number, default: 2 }\nscript: make test\n",
        );
        let step = inline(&uses_step("name: test\nuses: unit\nwith: { LEVEL: full }\nenv: { X: y }\n"), &used).unwrap();
        let StepBody::Inline(InlineBody::Shell(body)) = &step.body else { panic!("{step:?}") };
        assert_eq!(body.script, "make test");
        assert_eq!(step.env["LEVEL"], "full");
        assert_eq!(step.env["N"], "2", "defaults fill what `with` leaves out");
        assert_eq!(step.env["X"], "y");
        assert_eq!(step.timeout_seconds, Some(60));
    }

    #[test]
    fn with_of_an_unknown_or_ill_typed_parameter_is_refused_by_path() {
        let used = TemplateSpec {
            name: "unit".into(),
            body: TemplateBody::Shell(crate::model::ShellBody { script: "x".into(), ..Default::default() }),
            params: vec![ParamSpec {
                name: "N".into(),
                kind: ParamType::Number,
                default: None,
                required: false,
                description: None,
                choices: vec![],
                secret: None,
            }],
            ..Default::default()
        };
        let errors = inline(&uses_step("name: t\nuses: unit\nwith: { N: many, M: 1 }\n"), &used).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"with.M") && paths.contains(&"with.N"), "{errors:?}");
    }

    #[test]
    fn a_pipeline_cannot_be_used_as_a_step() {
        let used = TemplateSpec { name: "p".into(), body: TemplateBody::Pipeline(Vec::new()), ..Default::default() };
        let errors = inline(&uses_step("name: t\nuses: p\n"), &used).unwrap_err();
        assert!(errors[0].message.contains("do not nest"), "{errors:?}");
    }

    #[test]
    fn depths_are_columns_of_the_graph() {
        let steps: Vec<PipelineStep> = serde_yaml::from_str(
            "- { name: a, kind: shell, script: x }\n- { name: b, needs: [a], kind: shell, script: x }\n- { name: c, needs: [a], kind: shell, script: x }\n- { name: d, needs: [b, c], kind: shell, script: x }\n",
        )
        .unwrap();
        assert_eq!(depths(&steps), [0, 1, 1, 2]);
    }
}
