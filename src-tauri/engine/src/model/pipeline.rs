//! Pipelines: templates made of steps that form a graph (`needs`), each step a typed body (a
//! shell script, an image build, an approval, or a saved template run by `uses`).
//!
//! A step is written flat in YAML (`name`, `needs`, … beside the body's own fields, `kind` telling
//! which body). Reading one checks every key against the body its kind names, so a field of
//! another kind is refused with its name, not ignored. Nothing here looks at other steps: the
//! graph and the references between steps are checked in `template::pipeline`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use super::docker::PushSpec;

/// When a step runs, given how the steps before it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum StepWhen {
    /// Only when every step it needs succeeded (or failed with `continueOnError`).
    #[default]
    OnSuccess,
    /// Only when a step before it failed.
    OnFailure,
    /// Whatever happened before it, unless the run was cancelled.
    Always,
}

/// A step's condition: the outcome it waits for and, optionally, the branches, tags and triggers
/// it runs for. Written as `when: always` or `when: { status: always, branches: [main] }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct StepCondition {
    /// The outcome it waits for.
    #[serde(default)]
    pub status: StepWhen,
    /// Glob patterns of the branches it runs for (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub branches: Vec<String>,
    /// Glob patterns of the tags it runs for (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub tags: Vec<String>,
    /// The kinds of trigger it runs for: manual, webhook, poll, cron, retry (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub triggers: Vec<String>,
}

impl StepCondition {
    /// Whether the condition is the default one (nothing to write).
    pub fn is_default(&self) -> bool {
        *self == StepCondition::default()
    }
}

/// A shell script, on the host or in a container of `image`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ShellBody {
    /// The script.
    pub script: String,
    /// Run it in a container of this image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image: Option<String>,
    /// The Docker endpoint of the container (default `local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    /// Where it starts, relative to the run's workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub workdir: Option<String>,
}

/// An image built from a Dockerfile, optionally pushed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct BuildBody {
    /// The Docker endpoint (default `local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    /// The Dockerfile's path in the context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dockerfile: Option<String>,
    /// The Dockerfile itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dockerfile_inline: Option<String>,
    /// The context directory, relative to the run's workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub context: Option<String>,
    /// Build arguments.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub build_args: BTreeMap<String, String>,
    /// The stage to build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target: Option<String>,
    /// The image's tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub tags: Vec<String>,
    /// Push the tags naming this registry's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub push: Option<PushSpec>,
}

impl ShellBody {
    /// The Docker endpoint of its container, when it runs in one.
    pub fn docker_endpoint(&self) -> Option<&str> {
        self.image.as_ref().map(|_| endpoint_or_local(self.endpoint.as_deref()))
    }
}

impl BuildBody {
    /// The Docker endpoint it builds on.
    pub fn docker_endpoint(&self) -> &str {
        endpoint_or_local(self.endpoint.as_deref())
    }
}

fn endpoint_or_local(endpoint: Option<&str>) -> &str {
    endpoint.filter(|e| !e.trim().is_empty()).unwrap_or(super::template::LOCAL_ENDPOINT)
}

/// A Docker Compose stack launched on an endpoint: validated, pulled, then `up -d --wait`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ComposeBody {
    /// The compose file itself (YAML), typed in the editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub compose: Option<String>,
    /// Or compose files of the run's workspace (its git source), merged in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub files: Vec<String>,
    /// The compose project's name (default: the template's or step's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub project: Option<String>,
    /// The Docker endpoint (default `local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    /// How long `up --wait` waits for the services to be healthy (default 300 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub wait_seconds: Option<u64>,
}

impl ComposeBody {
    /// The Docker endpoint it deploys to.
    pub fn docker_endpoint(&self) -> &str {
        endpoint_or_local(self.endpoint.as_deref())
    }
}

/// A script run on another machine over ssh.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct SshBody {
    /// `user@host`, `user@host:port` or `host`.
    pub host: String,
    /// The stored secret holding the private key (default: your own keys and ssh-agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// The script, run by `sh -e` on the host.
    pub script: String,
    /// Where it starts on the host (default: the login directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub workdir: Option<String>,
}

/// A gate: the run waits until someone approves or declines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ApprovalBody {
    /// What the approver is asked.
    #[serde(default)]
    pub message: String,
    /// Minutes after which the step is declined (default: 24 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub timeout_minutes: Option<u64>,
}

/// A saved template run as a step, its parameters given by `with`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct UsesBody {
    /// The template's name.
    pub uses: String,
    /// Its parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, serde_json::Value>>")]
    pub with: BTreeMap<String, serde_json::Value>,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum StepBody {
    /// `uses: TEMPLATE`.
    Uses(UsesBody),
    /// `kind: …` with the kind's fields.
    Inline(InlineBody),
}

/// A step body written in the pipeline itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum InlineBody {
    /// A shell script.
    Shell(ShellBody),
    /// An image build.
    DockerBuild(BuildBody),
    /// An approval gate.
    Approval(ApprovalBody),
    /// A Docker Compose stack.
    Compose(ComposeBody),
    /// A script on another machine.
    Ssh(SshBody),
    /// A Helm release.
    Helm(super::HelmBody),
}

impl InlineBody {
    /// The kinds a step may name, in the spelling of the YAML file.
    pub const KINDS: [&'static str; 6] = ["shell", "docker-build", "approval", "compose", "ssh", "helm"];
}

/// One step of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
// Its `Deserialize` is written by hand and is more lenient than its schema (`needs: one`, `when:
// always`, numbers in `env`); the schema marks the fields it fills in when missing as
// `#[schemars(default)]`, and refuses the keys that are neither the step's nor its body's (see
// `schema.rs` for `StepBody`).
#[schemars(extend("unevaluatedProperties" = false))]
#[ts(export)]
pub struct PipelineStep {
    /// Unique in the pipeline: letters, digits, `-` and `_`.
    pub name: String,
    /// The steps that must end first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub needs: Vec<String>,
    /// When it runs.
    #[serde(skip_serializing_if = "StepCondition::is_default")]
    #[schemars(default)]
    #[ts(optional, as = "Option<StepCondition>")]
    pub when: StepCondition,
    /// A failure of this step does not stop the steps after it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(default)]
    #[ts(optional, as = "Option<bool>")]
    pub continue_on_error: bool,
    /// Extra environment of the step; values may use `${steps.NAME.outputs.KEY}`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(default)]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub env: BTreeMap<String, String>,
    /// Limit on the step's duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub timeout_seconds: Option<u64>,
    /// What it does.
    #[serde(flatten)]
    pub body: StepBody,
}

/// The keys every step may have, whatever its body.
const COMMON: [&str; 6] = ["name", "needs", "when", "continueOnError", "env", "timeoutSeconds"];

impl<'de> Deserialize<'de> for PipelineStep {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        // `script: true` is the command `true`, not a boolean (as at the top of a template file).
        if let Some(script) = map.get_mut("script") {
            if let serde_json::Value::Bool(_) | serde_json::Value::Number(_) = script {
                *script = serde_json::Value::String(script.to_string());
            }
        }
        let mut common = serde_json::Map::new();
        for key in COMMON {
            if let Some(v) = map.remove(key) {
                common.insert(key.to_string(), v);
            }
        }
        let name = match common.remove("name") {
            Some(serde_json::Value::String(s)) => s,
            Some(_) => return Err(D::Error::custom("`name` must be text")),
            None => return Err(D::Error::custom("a step needs a `name`")),
        };
        let field = |key: &str, common: &mut serde_json::Map<String, serde_json::Value>| common.remove(key);
        let needs: Vec<String> = match field("needs", &mut common) {
            None => Vec::new(),
            Some(serde_json::Value::String(s)) => vec![s],
            Some(v) => serde_json::from_value(v).map_err(|e| D::Error::custom(format!("`needs`: {e}")))?,
        };
        let when = match field("when", &mut common) {
            None => StepCondition::default(),
            Some(serde_json::Value::String(s)) => {
                let status = serde_json::from_value(serde_json::Value::String(s.clone())).map_err(|_| {
                    D::Error::custom(format!("`when: {s}`: use on-success, on-failure or always (or a mapping)"))
                })?;
                StepCondition { status, ..Default::default() }
            }
            Some(v) => serde_json::from_value(v).map_err(|e| D::Error::custom(format!("`when`: {e}")))?,
        };
        let continue_on_error = match field("continueOnError", &mut common) {
            None => false,
            Some(v) => serde_json::from_value(v).map_err(|e| D::Error::custom(format!("`continueOnError`: {e}")))?,
        };
        let env = match field("env", &mut common) {
            None => BTreeMap::new(),
            Some(serde_json::Value::Object(m)) => m
                .into_iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => Ok((k, s)),
                    serde_json::Value::Number(n) => Ok((k, n.to_string())),
                    serde_json::Value::Bool(b) => Ok((k, b.to_string())),
                    _ => Err(D::Error::custom(format!("`env.{k}` must be text, a number or true/false"))),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(D::Error::custom("`env` is a mapping of NAME: value")),
        };
        let timeout_seconds = match field("timeoutSeconds", &mut common) {
            None => None,
            Some(v) => serde_json::from_value(v).map_err(|e| D::Error::custom(format!("`timeoutSeconds`: {e}")))?,
        };
        let body = if map.contains_key("uses") {
            if map.contains_key("kind") {
                return Err(D::Error::custom(format!(
                    "step `{name}` has both `uses` and `kind`: a step either runs a saved template (uses) or says what it does (kind)"
                )));
            }
            StepBody::Uses(
                serde_json::from_value(serde_json::Value::Object(map))
                    .map_err(|e| D::Error::custom(format!("step `{name}`: {e}")))?,
            )
        } else {
            match map.get("kind") {
                None => {
                    return Err(D::Error::custom(format!(
                        "step `{name}` needs `kind` ({}) or `uses: TEMPLATE`",
                        InlineBody::KINDS.join(", ")
                    )))
                }
                Some(serde_json::Value::String(k)) if !InlineBody::KINDS.contains(&k.as_str()) => {
                    return Err(D::Error::custom(format!(
                        "step `{name}`: unknown kind `{k}`; a step's kind is one of {}",
                        InlineBody::KINDS.join(", ")
                    )))
                }
                _ => {}
            }
            StepBody::Inline(
                serde_json::from_value(serde_json::Value::Object(map))
                    .map_err(|e| D::Error::custom(format!("step `{name}`: {e}")))?,
            )
        };
        Ok(PipelineStep { name, needs, when, continue_on_error, env, timeout_seconds, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(yaml: &str) -> Result<PipelineStep, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn a_step_reads_its_common_fields_and_its_kind_s_body() {
        let s =
            step("name: image\nneeds: [test]\nkind: docker-build\ntags: [\"r/web:1\"]\npush: { registry: local }\n")
                .unwrap();
        assert_eq!(s.needs, ["test"]);
        let StepBody::Inline(InlineBody::DockerBuild(b)) = &s.body else { panic!("{s:?}") };
        assert_eq!(b.tags, ["r/web:1"]);
        let s = step("name: t\nuses: unit-tests\nwith: { LEVEL: full }\nwhen: always\n").unwrap();
        assert_eq!(s.when.status, StepWhen::Always);
        assert!(matches!(&s.body, StepBody::Uses(u) if u.uses == "unit-tests" && u.with["LEVEL"] == "full"));
    }

    #[test]
    fn a_field_of_another_kind_is_refused_by_name() {
        let err = step("name: deploy\nkind: shell\nscript: x\ntags: [a]\n").unwrap_err();
        assert!(err.contains("tags") && err.contains("deploy"), "{err}");
        let err = step("name: gate\nkind: approval\nscript: x\n").unwrap_err();
        assert!(err.contains("script"), "{err}");
    }

    #[test]
    fn a_helm_step_reads_its_chart_release_and_set_pairs() {
        let s =
            step("name: deploy\nkind: helm\nchartPath: deploy/chart\nrelease: web\nset: { image.tag: \"${TAG}\" }\n")
                .unwrap();
        let StepBody::Inline(InlineBody::Helm(b)) = &s.body else { panic!("{s:?}") };
        assert_eq!((b.chart_path.as_deref(), b.release.as_deref()), (Some("deploy/chart"), Some("web")));
        assert_eq!(b.set["image.tag"], "${TAG}");
        assert!(step("name: d\nkind: helm\nchartPath: c\nproject: x\n").unwrap_err().contains("project"));
    }

    #[test]
    fn a_step_without_kind_or_with_both_kind_and_uses_says_what_to_write() {
        assert!(step("name: a\nscript: x\n").unwrap_err().contains("needs `kind`"));
        assert!(step("name: a\nkind: shell\nuses: t\n").unwrap_err().contains("both `uses` and `kind`"));
        assert!(step("name: a\nkind: banana\n").unwrap_err().contains("unknown kind `banana`"));
        assert!(step("kind: shell\nscript: x\n").unwrap_err().contains("needs a `name`"));
    }

    #[test]
    fn when_takes_a_word_or_a_mapping_with_filters() {
        let s = step("name: a\nkind: shell\nscript: x\nwhen: { status: on-failure, branches: [main] }\n").unwrap();
        assert_eq!((s.when.status, s.when.branches.as_slice()), (StepWhen::OnFailure, ["main".to_string()].as_slice()));
        assert!(step("name: a\nkind: shell\nscript: x\nwhen: sometimes\n").unwrap_err().contains("on-success"));
    }

    #[test]
    fn a_step_written_back_reads_the_same() {
        let text = "name: deploy\nneeds: [approve]\nenv: { IMAGE: \"${steps.image.outputs.image}\" }\nkind: shell\nscript: ./deploy.sh \"$IMAGE\"\n";
        let s = step(text).unwrap();
        let back: PipelineStep = serde_yaml::from_str(&serde_yaml::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
