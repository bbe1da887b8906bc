//! The file form of a template: the flat mapping of its YAML file (and of the UI's form), with
//! every kind's fields side by side. [`TemplateFile::into_spec`] turns it into the typed
//! [`TemplateSpec`], naming each field that does not belong to the file's kind.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::docker::PushSpec;
use super::error::FieldError;
use super::helm::HelmBody;
use super::notify::NotifyRule;
use super::pipeline::{BuildBody, ComposeBody, PipelineStep, ShellBody, SshBody};
use super::template::{ConcurrencyPolicy, ParamSpec, TemplateBody, TemplateKind, TemplateSpec};
use super::trigger::{SourceSpec, TriggerSpec};

/// A template as written in its YAML file: everything the user edits, each kind's fields flat.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, rename = "TemplateSpec")]
#[schemars(rename = "TemplateSpec")]
pub struct TemplateFile {
    /// The template kind.
    pub kind: TemplateKind,
    /// Unique name; also the CLI's handle on it.
    #[serde(default)]
    pub name: String,
    /// A sentence on what it does.
    #[serde(default)]
    pub description: String,
    /// The repository and ref a run checks out into its working directory.
    #[serde(default)]
    pub source: Option<SourceSpec>,
    /// What starts the template by itself: webhooks, polling, cron.
    #[serde(default)]
    pub triggers: Vec<TriggerSpec>,
    /// Typed parameters.
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    /// shell: where the script starts: absolute, or relative to the run's own workspace.
    #[serde(default)]
    pub workdir: Option<String>,
    /// Limit on the run's duration; the run ends `timed_out` after it.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub timeout_seconds: Option<u64>,
    /// What a new run does when another run of this template is queued or running.
    #[serde(default)]
    pub concurrency: ConcurrencyPolicy,
    /// shell: the script.
    #[serde(default)]
    pub script: String,
    /// The Docker endpoint a container step or an image build uses (default: `local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    /// shell: run the script in a container of this image, with the run's workspace mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image: Option<String>,
    /// docker-build: the Dockerfile's path in the context (default `Dockerfile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dockerfile: Option<String>,
    /// docker-build: the Dockerfile itself, instead of a path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dockerfile_inline: Option<String>,
    /// docker-build: the context directory, absolute or relative to the run's workspace (default `.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub context: Option<String>,
    /// docker-build: `--build-arg`s; values may use the run's variables (`${NAME}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub build_args: BTreeMap<String, String>,
    /// docker-build: the stage to build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target: Option<String>,
    /// docker-build: the image's tags; they may use the run's variables (`${SIMPLE_CICD_RUN_NUMBER}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub tags: Vec<String>,
    /// docker-build: push the tags that name this registry's host after the build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub push: Option<PushSpec>,
    /// ssh: the host, `user@host[:port]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub host: Option<String>,
    /// ssh: the stored secret holding the private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// compose: the compose file itself (YAML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub compose: Option<String>,
    /// compose: compose files of the run's workspace, merged in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub files: Vec<String>,
    /// compose: the project's name (default: the template's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub project: Option<String>,
    /// compose: how long `up --wait` waits for healthy services; helm: how long Helm waits for
    /// ready workloads before it rolls back (default 300 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub wait_seconds: Option<u64>,
    /// helm: a chart directory of the run's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chart_path: Option<String>,
    /// helm: the chart's name in `repo`, or an `oci://` reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chart: Option<String>,
    /// helm: a chart repository's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub repo: Option<String>,
    /// helm: the chart's version (repository and OCI charts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub version: Option<String>,
    /// helm: the release's name (default: the template's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub release: Option<String>,
    /// helm: the namespace, created when missing (default: the cluster's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub namespace: Option<String>,
    /// helm: the stored cluster's name (default: the only one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cluster: Option<String>,
    /// helm: values, a YAML mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub values: Option<String>,
    /// helm: `--set KEY=VALUE` pairs; values may use the run's variables (`${NAME}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, String>>")]
    pub set: BTreeMap<String, String>,
    /// helm: roll back to this Helm revision instead of upgrading (an app's rollback sets it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rollback_to: Option<u32>,
    /// Who hears of a run's end, and when.
    #[serde(default)]
    pub notify: Vec<NotifyRule>,
    /// pipeline: its steps, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<PipelineStep>>")]
    pub steps: Vec<PipelineStep>,
}

impl TemplateFile {
    /// The typed template, and a problem for each field set that its kind does not have (the
    /// field is left out of the template). Empty problems: the file's fields all belong to it.
    pub fn into_spec(self) -> (TemplateSpec, Vec<FieldError>) {
        use TemplateKind::{Compose, DockerBuild, Helm, Pipeline, Shell, Ssh};
        let kind = self.kind;
        // Every kind-specific field: its name in the file, whether it is set, the kinds it belongs to.
        let fields: [(&str, bool, &[TemplateKind]); 28] = [
            ("script", !self.script.trim().is_empty(), &[Shell, Ssh]),
            ("image", self.image.is_some(), &[Shell]),
            ("workdir", self.workdir.is_some(), &[Shell, Ssh]),
            ("endpoint", self.endpoint.is_some(), &[Shell, DockerBuild, Compose]),
            ("dockerfile", self.dockerfile.is_some(), &[DockerBuild]),
            ("dockerfileInline", self.dockerfile_inline.is_some(), &[DockerBuild]),
            ("context", self.context.is_some(), &[DockerBuild]),
            ("buildArgs", !self.build_args.is_empty(), &[DockerBuild]),
            ("target", self.target.is_some(), &[DockerBuild]),
            ("tags", !self.tags.is_empty(), &[DockerBuild]),
            ("push", self.push.is_some(), &[DockerBuild]),
            ("host", self.host.is_some(), &[Ssh]),
            ("key", self.key.is_some(), &[Ssh]),
            ("compose", self.compose.is_some(), &[Compose]),
            ("files", !self.files.is_empty(), &[Compose]),
            ("project", self.project.is_some(), &[Compose]),
            ("waitSeconds", self.wait_seconds.is_some(), &[Compose, Helm]),
            ("chartPath", self.chart_path.is_some(), &[Helm]),
            ("chart", self.chart.is_some(), &[Helm]),
            ("repo", self.repo.is_some(), &[Helm]),
            ("version", self.version.is_some(), &[Helm]),
            ("release", self.release.is_some(), &[Helm]),
            ("namespace", self.namespace.is_some(), &[Helm]),
            ("cluster", self.cluster.is_some(), &[Helm]),
            ("values", self.values.is_some(), &[Helm]),
            ("set", !self.set.is_empty(), &[Helm]),
            ("rollbackTo", self.rollback_to.is_some(), &[Helm]),
            ("steps", !self.steps.is_empty(), &[Pipeline]),
        ];
        let errors = fields
            .iter()
            .filter(|(_, set, owners)| *set && !owners.contains(&kind))
            .map(|(field, _, owners)| FieldError::new(*field, "invalid", not_of_this_kind(kind, field, owners)))
            .collect();
        let body = match kind {
            Shell => TemplateBody::Shell(ShellBody {
                script: self.script,
                image: self.image,
                endpoint: self.endpoint,
                workdir: self.workdir,
            }),
            DockerBuild => TemplateBody::DockerBuild(BuildBody {
                endpoint: self.endpoint,
                dockerfile: self.dockerfile,
                dockerfile_inline: self.dockerfile_inline,
                context: self.context,
                build_args: self.build_args,
                target: self.target,
                tags: self.tags,
                push: self.push,
            }),
            Pipeline => TemplateBody::Pipeline(self.steps),
            Compose => TemplateBody::Compose(ComposeBody {
                compose: self.compose,
                files: self.files,
                project: self.project,
                endpoint: self.endpoint,
                wait_seconds: self.wait_seconds,
            }),
            Ssh => TemplateBody::Ssh(SshBody {
                host: self.host.unwrap_or_default(),
                key: self.key,
                script: self.script,
                workdir: self.workdir,
            }),
            Helm => TemplateBody::Helm(HelmBody {
                chart_path: self.chart_path,
                chart: self.chart,
                repo: self.repo,
                version: self.version,
                release: self.release,
                namespace: self.namespace,
                cluster: self.cluster,
                values: self.values,
                set: self.set,
                wait_seconds: self.wait_seconds,
                rollback_to: self.rollback_to,
            }),
        };
        let spec = TemplateSpec {
            name: self.name,
            description: self.description,
            source: self.source,
            triggers: self.triggers,
            params: self.params,
            timeout_seconds: self.timeout_seconds,
            concurrency: self.concurrency,
            notify: self.notify,
            body,
        };
        (spec, errors)
    }
}

/// Why `field` (which belongs to the `owners` kinds) is refused in a template of `kind`, and what
/// to do instead.
fn not_of_this_kind(kind: TemplateKind, field: &str, owners: &[TemplateKind]) -> String {
    match (kind, field) {
        (TemplateKind::Pipeline, _) => format!("a pipeline has no `{field}` of its own: put it in the step that uses it"),
        (_, "steps") => {
            format!("only a pipeline has steps; this template is a {}: write `kind: pipeline`", kind.as_str())
        }
        (TemplateKind::DockerBuild, "script") => "a docker-build template has no script: its Dockerfile says what to do (to run commands in a container, use a shell template with `image:`)".into(),
        (TemplateKind::DockerBuild, "image") => "a docker-build template builds its image; `image` is for shell templates that run in a container".into(),
        (TemplateKind::DockerBuild, "workdir") => "a docker-build template has no workdir: `context` says which directory the build sends".into(),
        (TemplateKind::Compose, "script" | "image" | "workdir") => {
            format!("a compose template has no `{field}`: its compose file says what runs")
        }
        (TemplateKind::Helm, "script" | "image" | "workdir" | "compose" | "files") => {
            format!("a helm template has no `{field}`: its chart says what runs (`chartPath`, or `chart` with `repo`, or an oci:// `chart`)")
        }
        (TemplateKind::Helm, "endpoint") => {
            "a helm template deploys to a Kubernetes cluster: name it in `cluster`, not `endpoint`".into()
        }
        (TemplateKind::Ssh, "image" | "endpoint") => {
            format!("`{field}` is not used by an ssh template: it runs its script on the host")
        }
        _ => {
            let names: Vec<&str> = owners.iter().map(|k| k.as_str()).collect();
            format!("`{field}` belongs to {} templates; this one is a {}", names.join(" and "), kind.as_str())
        }
    }
}

impl From<TemplateSpec> for TemplateFile {
    fn from(spec: TemplateSpec) -> TemplateFile {
        let mut file = TemplateFile {
            kind: spec.kind(),
            name: spec.name,
            description: spec.description,
            source: spec.source,
            triggers: spec.triggers,
            params: spec.params,
            timeout_seconds: spec.timeout_seconds,
            concurrency: spec.concurrency,
            notify: spec.notify,
            ..Default::default()
        };
        match spec.body {
            TemplateBody::Shell(b) => {
                file.script = b.script;
                file.image = b.image;
                file.endpoint = b.endpoint;
                file.workdir = b.workdir;
            }
            TemplateBody::DockerBuild(b) => {
                file.endpoint = b.endpoint;
                file.dockerfile = b.dockerfile;
                file.dockerfile_inline = b.dockerfile_inline;
                file.context = b.context;
                file.build_args = b.build_args;
                file.target = b.target;
                file.tags = b.tags;
                file.push = b.push;
            }
            TemplateBody::Pipeline(steps) => file.steps = steps,
            TemplateBody::Ssh(b) => {
                file.host = Some(b.host);
                file.key = b.key;
                file.script = b.script;
                file.workdir = b.workdir;
            }
            TemplateBody::Compose(b) => {
                file.compose = b.compose;
                file.files = b.files;
                file.project = b.project;
                file.endpoint = b.endpoint;
                file.wait_seconds = b.wait_seconds;
            }
            TemplateBody::Helm(b) => {
                file.chart_path = b.chart_path;
                file.chart = b.chart;
                file.repo = b.repo;
                file.version = b.version;
                file.release = b.release;
                file.namespace = b.namespace;
                file.cluster = b.cluster;
                file.values = b.values;
                file.set = b.set;
                file.wait_seconds = b.wait_seconds;
                file.rollback_to = b.rollback_to;
            }
        }
        file
    }
}

impl TemplateSpec {
    /// A template as stored by simple-cicd (the JSON of its file form). A field its kind does not
    /// use, which an earlier release accepted and ignored, is left out instead of refused: what
    /// was saved keeps loading.
    pub fn from_stored_json(json: &str) -> Result<TemplateSpec, serde_json::Error> {
        serde_json::from_str::<TemplateFile>(json).map(|file| file.into_spec().0)
    }
}

/// Reading a typed template from its file form refuses fields of another kind, all named.
impl TryFrom<TemplateFile> for TemplateSpec {
    type Error = String;

    fn try_from(file: TemplateFile) -> Result<TemplateSpec, String> {
        match file.into_spec() {
            (spec, errors) if errors.is_empty() => Ok(spec),
            (_, errors) => {
                Err(errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect::<Vec<_>>().join("; "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(yaml: &str) -> TemplateFile {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn each_kind_keeps_its_own_fields_in_its_body() {
        let (spec, errors) = file("kind: shell\nname: a\nscript: make\nimage: alpine:3\nworkdir: src\n").into_spec();
        assert!(errors.is_empty(), "{errors:?}");
        let TemplateBody::Shell(b) = &spec.body else { panic!("{spec:?}") };
        assert_eq!(
            (b.script.as_str(), b.image.as_deref(), b.workdir.as_deref()),
            ("make", Some("alpine:3"), Some("src"))
        );
        let (spec, errors) = file("kind: docker-build\nname: b\ntags: [r/b:1]\ncontext: app\n").into_spec();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            matches!(&spec.body, TemplateBody::DockerBuild(b) if b.tags == ["r/b:1"] && b.context.as_deref() == Some("app"))
        );
    }

    #[test]
    fn a_field_of_another_kind_is_named_and_left_out() {
        let (spec, errors) = file("kind: shell\nname: a\nscript: x\ntags: [t]\npush: { registry: r }\n").into_spec();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["tags", "push"]);
        assert!(errors[0].message.contains("belongs to docker-build templates"), "{errors:?}");
        assert_eq!(spec.kind(), TemplateKind::Shell);
        let (_, errors) = file("kind: docker-build\nname: b\nscript: make\nworkdir: x\n").into_spec();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["script", "workdir"]);
        let (_, errors) =
            file("kind: pipeline\nname: p\nimage: alpine\nsteps: [{ name: a, kind: shell, script: x }]\n").into_spec();
        assert!(errors[0].message.contains("put it in the step"), "{errors:?}");
    }

    #[test]
    fn the_file_form_and_the_typed_form_round_trip() {
        for yaml in [
            "kind: shell\nname: a\nscript: make\nimage: alpine:3\nendpoint: far\n",
            "kind: docker-build\nname: b\ndockerfileInline: FROM scratch\ntags: [r/b:1]\npush: { registry: r }\nbuildArgs: { A: b }\n",
            "kind: pipeline\nname: p\nsteps:\n  - { name: a, kind: shell, script: x }\n",
            "kind: compose\nname: c\ncompose: 'services: {}'\nproject: shop\nendpoint: far\nwaitSeconds: 60\n",
            "kind: ssh\nname: s\nhost: deploy@web1:2222\nkey: WEB1_KEY\nscript: ./deploy.sh\nworkdir: /srv/app\n",
            "kind: helm\nname: h\nwaitSeconds: 90\nchartPath: deploy/chart\nrelease: web\nnamespace: shop\ncluster: prod\nvalues: 'replicas: 2'\nset: { image.tag: \"${TAG}\" }\n",
            "kind: helm\nname: r\nchart: nginx\nrepo: https://charts.example.com\nversion: 1.2.3\n",
        ] {
            let written = file(yaml);
            let spec = TemplateSpec::try_from(written.clone()).unwrap();
            assert_eq!(TemplateFile::from(spec.clone()), written);
            let json = serde_json::to_string(&spec).unwrap();
            assert_eq!(serde_json::from_str::<TemplateSpec>(&json).unwrap(), spec, "{json}");
        }
    }
}
