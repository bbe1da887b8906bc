//! Checking a pipeline's steps as a whole: names, the `needs` graph (unknown steps, cycles, named
//! with their path), and every `${steps.NAME.outputs.KEY}` reference (to a step that exists, ends
//! before this one, and has that output when its kind's outputs are known).
//!
//! What needs the database (`uses` of a saved template, its `with` parameters) is checked when the
//! pipeline is saved and planned, in `plan`.

use std::collections::{BTreeSet, HashMap};

use crate::model::{FieldError, InlineBody, PipelineStep, StepBody};

const MAX_STEPS: usize = 200;
/// The outputs each kind publishes; a shell step's are whatever its script writes.
pub const BUILD_OUTPUTS: [&str; 4] = ["image", "digest", "tags", "imageId"];
/// A compose step's outputs.
pub const COMPOSE_OUTPUTS: [&str; 2] = ["project", "revision"];
/// A helm step's outputs: the release, the app's revision number and Helm's revision number.
pub const HELM_OUTPUTS: [&str; 3] = ["release", "revision", "helmRevision"];
/// An approval step's outputs.
pub const APPROVAL_OUTPUTS: [&str; 2] = ["approver", "comment"];

/// The kind a step runs as: its body's, `shell` for a `uses` not planned yet.
pub fn kind_name(step: &PipelineStep) -> &'static str {
    match &step.body {
        StepBody::Inline(InlineBody::Shell(_)) | StepBody::Uses(_) => "shell",
        StepBody::Inline(InlineBody::DockerBuild(_)) => "docker-build",
        StepBody::Inline(InlineBody::Approval(_)) => "approval",
        StepBody::Inline(InlineBody::Compose(_)) => "compose",
        StepBody::Inline(InlineBody::Ssh(_)) => "ssh",
        StepBody::Inline(InlineBody::Helm(_)) => "helm",
    }
}

/// The steps each step waits for, by index. Without any `needs`, the steps form a chain in file
/// order; with one, only what `needs` says (unknown names are left out: [`check`] reports them).
pub fn dependencies(steps: &[PipelineStep]) -> Vec<Vec<usize>> {
    let graph = steps.iter().any(|s| !s.needs.is_empty());
    let index: HashMap<&str, usize> = steps.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if graph {
                s.needs.iter().filter_map(|n| index.get(n.as_str()).copied()).filter(|d| *d != i).collect()
            } else if i == 0 {
                Vec::new()
            } else {
                vec![i - 1]
            }
        })
        .collect()
}

/// Every problem of the steps, each with its path (`steps[2].needs`).
pub fn check(steps: &[PipelineStep], errors: &mut Vec<FieldError>) {
    if steps.is_empty() {
        errors.push(FieldError::new("steps", "required", "a pipeline needs at least one step"));
        return;
    }
    if steps.len() > MAX_STEPS {
        errors.push(FieldError::new("steps", "too_long", format!("a pipeline has at most {MAX_STEPS} steps")));
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        let at = |f: &str| format!("steps[{i}].{f}");
        if s.name.is_empty() {
            errors.push(FieldError::new(at("name"), "required", "the step needs a name"));
        } else if !s.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.push(FieldError::new(
                at("name"),
                "invalid",
                format!("step name `{}`: use letters, digits, '-' and '_' (no spaces)", s.name),
            ));
        } else if let Some(j) = first.insert(&s.name, i) {
            first.insert(&s.name, j);
            errors.push(FieldError::new(
                at("name"),
                "duplicate",
                format!("two steps are called `{}` (steps {} and {}): step names are unique", s.name, j + 1, i + 1),
            ));
        }
        for n in &s.needs {
            if n == &s.name {
                errors.push(FieldError::new(at("needs"), "invalid", format!("step `{n}` cannot need itself")));
            } else if !steps.iter().any(|o| &o.name == n) {
                errors.push(FieldError::new(
                    at("needs"),
                    "unknown",
                    format!("step `{}` needs `{n}`, which is not a step of this pipeline", s.name),
                ));
            }
        }
        check_body(s, i, errors);
    }
    let deps = dependencies(steps);
    if let Some(cycle) = find_cycle(&deps) {
        let names: Vec<&str> = cycle.iter().map(|i| steps[*i].name.as_str()).collect();
        errors.push(FieldError::new(
            format!("steps[{}].needs", cycle[0]),
            "cycle",
            format!("the steps need each other in a circle: {} -> {}", names.join(" -> "), names[0]),
        ));
        return;
    }
    check_references(steps, &deps, errors);
}

fn check_body(s: &PipelineStep, i: usize, errors: &mut Vec<FieldError>) {
    let at = |f: &str| format!("steps[{i}].{f}");
    match &s.body {
        StepBody::Uses(u) if u.uses.trim().is_empty() => {
            errors.push(FieldError::new(at("uses"), "required", "`uses` names the saved template to run"))
        }
        StepBody::Uses(_) => {}
        StepBody::Inline(InlineBody::Shell(b)) => {
            if b.script.trim().is_empty() {
                errors.push(FieldError::new(at("script"), "required", format!("step `{}` has an empty script", s.name)))
            }
            super::docker::check_shell(b, &at(""), errors);
        }
        StepBody::Inline(InlineBody::DockerBuild(b)) => super::docker::check_build(b, &at(""), errors),
        StepBody::Inline(InlineBody::Compose(b)) => super::compose::check(b, &at(""), errors),
        StepBody::Inline(InlineBody::Ssh(b)) => super::ssh::check(b, &at(""), errors),
        StepBody::Inline(InlineBody::Helm(b)) => super::helm::check(b, &s.name, &at(""), errors),
        StepBody::Inline(InlineBody::Approval(a)) => {
            if a.timeout_minutes == Some(0) {
                errors.push(FieldError::new(
                    at("timeoutMinutes"),
                    "invalid",
                    "an approval's timeout is at least 1 minute (leave it out for 24 hours)",
                ));
            }
            if s.continue_on_error {
                errors.push(FieldError::new(
                    at("continueOnError"),
                    "invalid",
                    "a declined approval must stop what follows: remove continueOnError",
                ));
            }
        }
    }
}

/// A cycle of the graph, as the indices along it, if there is one.
fn find_cycle(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    // 0 unvisited, 1 on the current path, 2 done.
    fn visit(n: usize, deps: &[Vec<usize>], state: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        state[n] = 1;
        path.push(n);
        for &d in &deps[n] {
            if state[d] == 1 {
                let from = path.iter().position(|p| *p == d).expect("on the path");
                let mut cycle: Vec<usize> = path[from..].to_vec();
                cycle.reverse();
                return Some(cycle);
            }
            if state[d] == 0 {
                if let Some(c) = visit(d, deps, state, path) {
                    return Some(c);
                }
            }
        }
        path.pop();
        state[n] = 2;
        None
    }
    let mut state = vec![0u8; deps.len()];
    (0..deps.len()).find_map(|n| if state[n] == 0 { visit(n, deps, &mut state, &mut Vec::new()) } else { None })
}

/// The steps that end before step `i` (its ancestors in the graph).
pub fn ancestors(deps: &[Vec<usize>], i: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut todo = deps[i].clone();
    while let Some(n) = todo.pop() {
        if seen.insert(n) {
            todo.extend(deps[n].iter().copied());
        }
    }
    seen
}

/// A `${steps.NAME.outputs.KEY}` found in a text: where it starts and ends, and its two names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRef {
    /// Byte range of the whole reference.
    pub range: std::ops::Range<usize>,
    /// The step.
    pub step: String,
    /// The output.
    pub key: String,
}

/// The step output references in `text`; `Err` for one that is not well formed.
pub fn output_refs(text: &str) -> Result<Vec<OutputRef>, String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("${steps.") {
        let start = from + at;
        let body_start = start + "${steps.".len();
        let end = text[body_start..]
            .find('}')
            .map(|e| body_start + e)
            .ok_or_else(|| format!("`{}`: `${{` is not closed with `}}`", &text[start..]))?;
        let inner = &text[body_start..end];
        let (step, key) = inner
            .split_once(".outputs.")
            .filter(|(s, k)| !s.is_empty() && !k.is_empty() && !k.contains('.'))
            .ok_or_else(|| format!("`${{steps.{inner}}}` is not a step output: write ${{steps.STEP.outputs.NAME}}"))?;
        found.push(OutputRef { range: start..end + 1, step: step.to_string(), key: key.to_string() });
        from = end + 1;
    }
    Ok(found)
}

/// The fields of a step where references may be used, with their paths.
pub fn reference_fields(s: &PipelineStep) -> Vec<(String, &str)> {
    let mut fields: Vec<(String, &str)> = s.env.iter().map(|(k, v)| (format!("env.{k}"), v.as_str())).collect();
    match &s.body {
        StepBody::Uses(u) => {
            fields.extend(u.with.iter().filter_map(|(k, v)| v.as_str().map(|t| (format!("with.{k}"), t))));
        }
        StepBody::Inline(InlineBody::Shell(b)) => fields.extend(b.image.iter().map(|t| ("image".into(), t.as_str()))),
        StepBody::Inline(InlineBody::DockerBuild(b)) => {
            fields.extend(b.tags.iter().enumerate().map(|(j, t)| (format!("tags[{j}]"), t.as_str())));
            fields.extend(b.build_args.iter().map(|(k, v)| (format!("buildArgs.{k}"), v.as_str())));
        }
        StepBody::Inline(InlineBody::Approval(a)) => fields.push(("message".into(), a.message.as_str())),
        StepBody::Inline(InlineBody::Compose(b)) => {
            fields.extend(b.project.iter().map(|p| ("project".into(), p.as_str())))
        }
        StepBody::Inline(InlineBody::Ssh(b)) => fields.push(("host".into(), b.host.as_str())),
        StepBody::Inline(InlineBody::Helm(b)) => {
            fields.extend(b.set.iter().map(|(k, v)| (format!("set.{k}"), v.as_str())));
        }
    }
    fields
}

/// The outputs a step is known to publish, when its kind fixes them (`None`: any, a shell script's).
pub fn known_outputs(s: &PipelineStep) -> Option<&'static [&'static str]> {
    match &s.body {
        StepBody::Inline(InlineBody::DockerBuild(_)) => Some(&BUILD_OUTPUTS),
        StepBody::Inline(InlineBody::Approval(_)) => Some(&APPROVAL_OUTPUTS),
        StepBody::Inline(InlineBody::Compose(_)) => Some(&COMPOSE_OUTPUTS),
        StepBody::Inline(InlineBody::Ssh(_)) => Some(&[]),
        StepBody::Inline(InlineBody::Helm(_)) => Some(&HELM_OUTPUTS),
        _ => None,
    }
}

fn check_references(steps: &[PipelineStep], deps: &[Vec<usize>], errors: &mut Vec<FieldError>) {
    if let Some((i, _)) = steps.iter().enumerate().find(|(_, s)| match &s.body {
        StepBody::Inline(InlineBody::Shell(b)) => b.script.contains("${steps."),
        StepBody::Inline(InlineBody::Ssh(b)) => b.script.contains("${steps."),
        _ => false,
    }) {
        errors.push(FieldError::new(
            format!("steps[{i}].script"),
            "invalid",
            "a script gets step outputs as environment variables, never spliced into its text: add `env: { NAME: \"${steps.STEP.outputs.KEY}\" }` and use $NAME",
        ));
    }
    for (i, s) in steps.iter().enumerate() {
        let before = ancestors(deps, i);
        for (path, text) in reference_fields(s) {
            let path = format!("steps[{i}].{path}");
            let refs = match output_refs(text) {
                Ok(r) => r,
                Err(message) => {
                    errors.push(FieldError::new(path, "invalid", message));
                    continue;
                }
            };
            for r in refs {
                let Some(j) = steps.iter().position(|o| o.name == r.step) else {
                    errors.push(FieldError::new(
                        &path,
                        "unknown",
                        format!("`${{steps.{}.outputs.{}}}`: there is no step `{}`", r.step, r.key, r.step),
                    ));
                    continue;
                };
                if !before.contains(&j) {
                    errors.push(FieldError::new(
                        &path,
                        "invalid",
                        format!(
                            "step `{}` uses an output of `{}`, which does not end before it: add `needs: [{}]`",
                            s.name, r.step, r.step
                        ),
                    ));
                } else if let Some(known) = known_outputs(&steps[j]) {
                    if !known.contains(&r.key.as_str()) {
                        errors.push(FieldError::new(
                            &path,
                            "unknown",
                            format!("step `{}` has no output `{}`; it has {}", r.step, r.key, known.join(", ")),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(yaml: &str) -> Vec<PipelineStep> {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn problems(yaml: &str) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        check(&steps(yaml), &mut errors);
        errors.into_iter().map(|e| (e.path, e.message)).collect()
    }

    const WEB: &str = r#"
- { name: test, kind: shell, script: make test }
- { name: image, needs: [test], kind: docker-build, tags: ["r/web:1"] }
- { name: approve, needs: [image], kind: approval, message: "Deploy ${steps.image.outputs.digest}?" }
- { name: deploy, needs: [approve], kind: shell, env: { IMAGE: "${steps.image.outputs.image}" }, script: ./deploy.sh }
- { name: cleanup, kind: shell, when: always, script: true }
"#;

    #[test]
    fn the_example_pipeline_is_valid_and_forms_its_graph() {
        assert_eq!(problems(WEB), Vec::<(String, String)>::new());
        let deps = dependencies(&steps(WEB));
        assert_eq!(deps, vec![vec![], vec![0], vec![1], vec![2], vec![]]);
        assert_eq!(ancestors(&deps, 3), BTreeSet::from([0, 1, 2]));
    }

    #[test]
    fn steps_without_needs_run_in_file_order() {
        let deps =
            dependencies(&steps("- { name: a, kind: shell, script: x }\n- { name: b, kind: shell, script: x }\n"));
        assert_eq!(deps, vec![vec![], vec![0]]);
    }

    #[test]
    fn a_cycle_is_named_step_by_step() {
        let p = problems(
            "- { name: a, needs: [c], kind: shell, script: x }\n- { name: b, needs: [a], kind: shell, script: x }\n- { name: c, needs: [b], kind: shell, script: x }\n",
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("a -> b -> c -> a") || p[0].1.contains("circle"), "{p:?}");
        assert!(p[0].0.starts_with("steps["), "{p:?}");
    }

    #[test]
    fn bad_names_and_needs_are_refused_with_their_paths() {
        let p = problems(
            "- { name: a b, kind: shell, script: x }\n- { name: c, kind: shell, script: x }\n- { name: c, needs: [nope], kind: shell, script: x }\n",
        );
        let paths: Vec<&str> = p.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["steps[0].name", "steps[2].name", "steps[2].needs"], "{p:?}");
        assert!(p[1].1.contains("two steps are called `c`"));
    }

    #[test]
    fn references_must_name_an_earlier_step_and_a_known_output() {
        let p = problems(
            r#"
- { name: image, kind: docker-build, tags: [a/b] }
- { name: side, kind: shell, script: x }
- { name: use, needs: [image], kind: shell, env: { A: "${steps.image.outputs.sha}", B: "${steps.side.outputs.x}", C: "${steps.ghost.outputs.x}" }, script: x }
"#,
        );
        let messages: Vec<&str> = p.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(messages[0].contains("no output `sha`") && messages[0].contains("digest"), "{messages:?}");
        assert!(
            messages[1].contains("does not end before it") && messages[1].contains("needs: [side]"),
            "{messages:?}"
        );
        assert!(messages[2].contains("there is no step `ghost`"), "{messages:?}");
    }

    #[test]
    fn an_approval_timeout_of_zero_and_outputs_spliced_into_a_script_are_refused() {
        let p = problems("- { name: a, kind: approval, timeoutMinutes: 0 }\n");
        assert_eq!(p[0].0, "steps[0].timeoutMinutes");
        let p = problems("- { name: a, kind: shell, script: x }\n- { name: b, kind: shell, script: \"echo ${steps.a.outputs.v}\" }\n");
        assert_eq!(p[0].0, "steps[1].script", "{p:?}");
    }

    #[test]
    fn output_references_are_found_and_malformed_ones_explained() {
        let refs = output_refs("${steps.a.outputs.x}-${steps.b-c.outputs.y_1}").unwrap();
        assert_eq!(refs.len(), 2);
        assert_eq!((refs[1].step.as_str(), refs[1].key.as_str()), ("b-c", "y_1"));
        assert!(output_refs("${steps.a.x}").unwrap_err().contains("STEP.outputs.NAME"));
        assert!(output_refs("${steps.a.outputs.x").unwrap_err().contains("not closed"));
    }
}
