//! The Helm driver: the official `helm` CLI (3 or 4, read from `helm version`), pointed at a
//! cluster's kubeconfig and context. Lint and template before anything is sent, then
//! `upgrade --install --wait --timeout` that rolls back on failure (`--atomic` on Helm 3,
//! `--rollback-on-failure` on Helm 4), status, history, rollback, uninstall, and the detection of a
//! release left `pending-*` by an interrupted operation.
//!
//! Output is captured, not streamed: wiring into steps (live log lines, cancel) is the helm step
//! executor's job ([`launch`]). Nothing here writes the store.

mod error;
pub(crate) mod launch;
mod oci;
mod release;
mod stage;
pub(crate) mod workloads;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::HelmError;
pub use oci::ChartAccess;
pub use release::{Pending, Recovery, Release, Revision};

use crate::kube::Target;

/// The margin between Helm's own `--timeout` and the moment the process is killed.
const KILL_MARGIN: Duration = Duration::from_secs(60);
/// The limit of the short commands (version, status, history, lint, template).
const SHORT_LIMIT: Duration = Duration::from_secs(120);

/// A helm binary and its major version.
#[derive(Debug, Clone)]
pub struct Helm {
    path: PathBuf,
    major: u8,
    version: String,
    home: Option<PathBuf>,
}

/// What `upgrade --install` deploys.
#[derive(Debug, Clone)]
pub struct UpgradeSpec {
    /// The release name.
    pub release: String,
    /// A chart directory, archive, `repo/chart` or `oci://` reference (or a chart's name in `repo`).
    pub chart: String,
    /// A chart repository's URL (`--repo`), when `chart` is a name in it.
    pub repo: Option<String>,
    /// The chart version (for repository and OCI charts).
    pub version: Option<String>,
    /// The namespace (created when missing).
    pub namespace: String,
    /// Values files, in order.
    pub values_files: Vec<PathBuf>,
    /// `--set KEY=VALUE` pairs, in order (commas and backslashes in values are escaped).
    pub set: Vec<(String, String)>,
    /// `--set-file KEY=FILE` pairs: values kept off the command line (secrets), each read from a
    /// file as text.
    pub set_files: Vec<(String, PathBuf)>,
    /// How long Helm waits for the workloads to be ready before it rolls back.
    pub timeout: Duration,
    /// How Helm reaches an OCI chart's registry.
    pub access: ChartAccess,
}

impl Helm {
    /// Reads `helm version` of the binary at `path`: Helm 3 and 4 are driven, others refused.
    pub async fn detect(path: &Path) -> Result<Helm, HelmError> {
        let mut helm = Helm { path: path.to_path_buf(), major: 0, version: String::new(), home: None };
        let out = helm.exec(None, &["version", "--short"], SHORT_LIMIT, "version", "").await?;
        let version = out.trim().to_string();
        let major = match version.strip_prefix('v').and_then(|v| v.split('.').next()) {
            Some("3") => 3,
            Some("4") => 4,
            _ => return Err(HelmError::Unsupported { path: path.display().to_string(), version }),
        };
        helm.major = major;
        helm.version = version;
        Ok(helm)
    }

    /// Finds helm: `setting` (the `kube.helm` setting) when not empty, else `helm` on `PATH`.
    pub async fn find(setting: &str) -> Result<Helm, HelmError> {
        let setting = setting.trim();
        if !setting.is_empty() {
            return Helm::detect(Path::new(setting)).await;
        }
        let path_var = std::env::var_os("PATH").unwrap_or_default();
        let found = std::env::split_paths(&path_var).map(|d| d.join("helm")).find(|p| p.is_file());
        match found {
            Some(p) => Helm::detect(&p).await,
            None => Err(HelmError::Missing { looked: "it is not on PATH".into() }),
        }
    }

    /// Keeps Helm's cache, configuration and data (repositories, plugins) under `dir` instead of
    /// the user's own (HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME).
    pub fn with_home(mut self, dir: &Path) -> Helm {
        self.home = Some(dir.to_path_buf());
        self
    }

    /// 3 or 4.
    pub fn major(&self) -> u8 {
        self.major
    }

    /// What `helm version --short` said, e.g. `v3.18.0+gcc58e3f`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The flags that make an upgrade wait for readiness and roll back when it fails.
    fn wait_and_roll_back(&self) -> [&'static str; 2] {
        match self.major {
            3 => ["--wait", "--atomic"],
            _ => ["--wait=watcher", "--rollback-on-failure"],
        }
    }

    fn wait_flag(&self) -> &'static str {
        self.wait_and_roll_back()[0]
    }

    /// `helm lint CHART [-f VALUES]...`: problems of the chart and values before anything is sent.
    pub async fn lint(&self, chart: &str, values_files: &[PathBuf]) -> Result<String, HelmError> {
        let mut args: Vec<OsString> = vec!["lint".into(), chart.into()];
        for f in values_files {
            args.extend(["-f".into(), f.into()]);
        }
        // Lint says what is wrong on standard output (`[ERROR] templates/: parse error at ...`) and
        // only counts the failed charts on standard error.
        let out = self.run(None, &args, SHORT_LIMIT, "lint", chart).await?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let problems: Vec<&str> = stdout.lines().map(str::trim).filter(|l| l.starts_with("[ERROR]")).collect();
        let mut message = error::helm_message(&String::from_utf8_lossy(&out.stderr));
        if !problems.is_empty() {
            message = format!("{message}: {}", problems.join("; "));
        }
        Err(HelmError::Failed { command: "lint".into(), release: chart.into(), message })
    }

    /// `helm template`: the manifests the spec renders to, without contacting the cluster.
    pub async fn template(&self, spec: &UpgradeSpec) -> Result<String, HelmError> {
        let mut args: Vec<OsString> = vec!["template".into(), spec.release.as_str().into(), spec.chart.as_str().into()];
        args.extend(["--namespace".into(), spec.namespace.as_str().into()]);
        self.chart_args(spec, &mut args);
        self.exec_os(None, &args, SHORT_LIMIT, "template", &spec.release).await
    }

    fn chart_args(&self, spec: &UpgradeSpec, args: &mut Vec<OsString>) {
        if let Some(r) = &spec.repo {
            args.extend(["--repo".into(), r.into()]);
        }
        if let Some(v) = &spec.version {
            args.extend(["--version".into(), v.into()]);
        }
        if let Some(f) = &spec.access.registry_config {
            args.extend(["--registry-config".into(), f.into()]);
        }
        if spec.access.plain_http {
            args.push("--plain-http".into());
        }
        for f in &spec.values_files {
            args.extend(["-f".into(), f.into()]);
        }
        for (k, v) in &spec.set {
            args.extend(["--set".into(), format!("{k}={}", escape_set_value(v)).into()]);
        }
        for (k, f) in &spec.set_files {
            let mut pair = OsString::from(format!("{k}="));
            pair.push(f);
            args.extend(["--set-file".into(), pair]);
        }
    }

    /// `helm upgrade --install --create-namespace --wait --timeout` with rollback on failure.
    /// A release stuck in `pending-*` is refused first, with the way out.
    pub async fn upgrade_install(&self, target: &Target, spec: &UpgradeSpec) -> Result<Release, HelmError> {
        if let Some(p) = self.pending(target, &spec.release, &spec.namespace).await? {
            return Err(p.refusal(&spec.release, &spec.namespace));
        }
        self.upgrade_install_noted(target, spec).await.map(|(release, _)| release)
    }

    /// `upgrade --install` without the pending check (the caller made it, e.g. beside lint and
    /// template), with what Helm said on its standard error (warnings) when it succeeded.
    pub async fn upgrade_install_noted(
        &self,
        target: &Target,
        spec: &UpgradeSpec,
    ) -> Result<(Release, String), HelmError> {
        let mut args: Vec<OsString> =
            vec!["upgrade".into(), "--install".into(), spec.release.as_str().into(), spec.chart.as_str().into()];
        args.extend(["--namespace".into(), spec.namespace.as_str().into(), "--create-namespace".into()]);
        args.extend(self.wait_and_roll_back().map(OsString::from));
        args.extend(["--timeout".into(), format!("{}s", spec.timeout.as_secs()).into(), "-o".into(), "json".into()]);
        self.chart_args(spec, &mut args);
        let out = self.run(Some(target), &args, spec.timeout + KILL_MARGIN, "upgrade", &spec.release).await?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if !out.status.success() {
            let message = error::helm_message(&stderr);
            return Err(HelmError::Failed { command: "upgrade".into(), release: spec.release.clone(), message });
        }
        let release = release::parse_release(&String::from_utf8_lossy(&out.stdout))
            .map_err(|detail| self.unreadable("upgrade", detail))?;
        Ok((release, stderr))
    }

    /// `helm status`: the release, or `None` when there is none by that name in the namespace.
    pub async fn status(&self, target: &Target, release: &str, namespace: &str) -> Result<Option<Release>, HelmError> {
        let args = ["status", release, "--namespace", namespace, "-o", "json"];
        match self.exec(Some(target), &args, SHORT_LIMIT, "status", release).await {
            Ok(out) => release::parse_release(&out).map(Some).map_err(|d| self.unreadable("status", d)),
            Err(HelmError::Failed { message, .. }) if message.contains("release: not found") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `helm history`: every revision kept, oldest first (empty when there is no such release).
    pub async fn history(&self, target: &Target, release: &str, namespace: &str) -> Result<Vec<Revision>, HelmError> {
        let args = ["history", release, "--namespace", namespace, "-o", "json"];
        match self.exec(Some(target), &args, SHORT_LIMIT, "history", release).await {
            Ok(out) => release::parse_history(&out).map_err(|d| self.unreadable("history", d)),
            Err(HelmError::Failed { message, .. }) if message.contains("release: not found") => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Whether the release is stuck in `pending-*`, and the way out.
    pub async fn pending(&self, target: &Target, release: &str, namespace: &str) -> Result<Option<Pending>, HelmError> {
        Ok(release::pending_of(&self.history(target, release, namespace).await?))
    }

    /// `helm rollback RELEASE REVISION --wait --timeout`.
    pub async fn rollback(
        &self,
        target: &Target,
        release: &str,
        namespace: &str,
        revision: u32,
        timeout: Duration,
    ) -> Result<(), HelmError> {
        let (rev, secs) = (revision.to_string(), format!("{}s", timeout.as_secs()));
        let args = ["rollback", release, &rev, "--namespace", namespace, self.wait_flag(), "--timeout", &secs];
        self.exec(Some(target), &args, timeout + KILL_MARGIN, "rollback", release).await.map(|_| ())
    }

    /// `helm uninstall RELEASE --wait --timeout`.
    pub async fn uninstall(
        &self,
        target: &Target,
        release: &str,
        namespace: &str,
        timeout: Duration,
    ) -> Result<(), HelmError> {
        let secs = format!("{}s", timeout.as_secs());
        let args = ["uninstall", release, "--namespace", namespace, self.wait_flag(), "--timeout", &secs];
        self.exec(Some(target), &args, timeout + KILL_MARGIN, "uninstall", release).await.map(|_| ())
    }

    fn unreadable(&self, command: &str, detail: String) -> HelmError {
        HelmError::Unreadable { command: command.into(), path: self.path.display().to_string(), detail }
    }

    async fn exec(
        &self,
        target: Option<&Target>,
        args: &[&str],
        limit: Duration,
        command: &str,
        release: &str,
    ) -> Result<String, HelmError> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        self.exec_os(target, &args, limit, command, release).await
    }

    /// Runs helm; its standard output on success, its message as [`HelmError::Failed`] otherwise.
    async fn exec_os(
        &self,
        target: Option<&Target>,
        args: &[OsString],
        limit: Duration,
        command: &str,
        release: &str,
    ) -> Result<String, HelmError> {
        let out = self.run(target, args, limit, command, release).await?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(HelmError::Failed {
                command: command.into(),
                release: release.into(),
                message: error::helm_message(&String::from_utf8_lossy(&out.stderr)),
            })
        }
    }

    /// Runs helm pointed at `target`, within `limit`.
    async fn run(
        &self,
        target: Option<&Target>,
        args: &[OsString],
        limit: Duration,
        command: &str,
        release: &str,
    ) -> Result<std::process::Output, HelmError> {
        let mut cmd = tokio::process::Command::new(&self.path);
        cmd.args(args).stdin(std::process::Stdio::null()).kill_on_drop(true);
        if let Some(t) = target {
            if let Some(k) = t.kubeconfig_env() {
                cmd.env("KUBECONFIG", k);
            }
            if let Some(c) = &t.context {
                cmd.arg("--kube-context").arg(c);
            }
        }
        if let Some(home) = &self.home {
            cmd.env("HELM_CACHE_HOME", home.join("cache"))
                .env("HELM_CONFIG_HOME", home.join("config"))
                .env("HELM_DATA_HOME", home.join("data"));
        }
        match tokio::time::timeout(limit, cmd.output()).await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(HelmError::Missing { looked: format!("{} cannot be run: {e}", self.path.display()) }),
            Err(_) => {
                Err(HelmError::Timeout { command: command.into(), release: release.into(), seconds: limit.as_secs() })
            }
        }
    }
}

/// Escapes a `--set` value so that Helm takes it whole: a comma would start another pair.
fn escape_set_value(v: &str) -> String {
    v.replace('\\', "\\\\").replace(',', "\\,")
}

#[cfg(test)]
mod tests {
    use super::escape_set_value;

    #[test]
    fn set_values_with_commas_stay_one_value() {
        assert_eq!(escape_set_value("a,b\\c"), "a\\,b\\\\c");
    }
}
