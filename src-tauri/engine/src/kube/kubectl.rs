//! Running the real `kubectl` against a cluster: found through the `kube.kubectl` setting or on
//! `PATH`, pointed at the user's kubeconfig files (`KUBECONFIG` in its environment) or at a kept
//! kubeconfig written to a private file (mode 0600, in `$XDG_RUNTIME_DIR` when there is one) that
//! lives exactly as long as the [`Target`].
//!
//! Why kubectl rather than HTTP of our own: kubeconfigs authenticate in many ways (client
//! certificates, tokens and token files, exec credential plugins such as `aws eks get-token` or
//! `gke-gcloud-auth-plugin`, OIDC, proxies, `tls-server-name`) and only Kubernetes' own client
//! implements them all. Helm, which deploys, uses that same client; so a Test that passes through
//! kubectl means the deployments will reach the cluster with the same kubeconfig, and one that
//! fails fails for the reason they would.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::ClusterError;

/// How long one kubectl call may take before it is killed (its own `--request-timeout` is shorter).
const CALL_LIMIT: Duration = Duration::from_secs(40);
/// kubectl's `--request-timeout` for each request.
pub(crate) const REQUEST_TIMEOUT_SECS: u64 = 15;

/// A kubectl that can be run.
#[derive(Debug, Clone)]
pub(crate) struct Kubectl {
    path: PathBuf,
}

/// Finds kubectl: `setting` (the `kube.kubectl` setting) when not empty, else `kubectl` on `PATH`.
pub(crate) fn find(setting: &str) -> Result<Kubectl, ClusterError> {
    let setting = setting.trim();
    if !setting.is_empty() {
        let path = PathBuf::from(setting);
        return if is_executable(&path) {
            Ok(Kubectl { path })
        } else {
            Err(ClusterError::KubectlMissing {
                looked: format!("the kube.kubectl setting names {setting}, which is not an executable file"),
            })
        };
    }
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path_var)
        .map(|dir| dir.join("kubectl"))
        .find(|p| is_executable(p))
        .map(|path| Kubectl { path })
        .ok_or_else(|| ClusterError::KubectlMissing { looked: "it is not on PATH".to_string() })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// A private copy of a kept kubeconfig; removed with its directory when dropped.
#[derive(Debug)]
pub(crate) struct PrivateKubeconfig {
    dir: PathBuf,
    path: PathBuf,
}

impl PrivateKubeconfig {
    /// Writes `text` to a new file readable only by this user.
    pub(crate) fn write(text: &str) -> std::io::Result<PrivateKubeconfig> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("simple-cicd-kube-{}", uuid::Uuid::new_v4().simple()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let path = dir.join("kubeconfig");
        let file = PrivateKubeconfig { dir, path };
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&file.path)?;
        std::io::Write::write_all(&mut f, text.as_bytes())?;
        Ok(file)
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PrivateKubeconfig {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where kubectl and helm are pointed: the user's kubeconfig files, or a private copy of a kept
/// one, and optionally a context of it. Keep it alive while they run: the private copy is removed
/// when it is dropped.
#[derive(Debug)]
pub struct Target {
    /// The user's files (`KUBECONFIG` of the child), when it uses them.
    pub(crate) user_files: Vec<PathBuf>,
    /// The private copy, when it uses a kept kubeconfig.
    pub(crate) kept: Option<PrivateKubeconfig>,
    /// `--context` (`--kube-context` for helm), when one is named.
    pub(crate) context: Option<String>,
}

impl Target {
    /// The kubeconfig file(s), for messages.
    pub(crate) fn files_display(&self, cluster: &str) -> String {
        match &self.kept {
            Some(_) => format!("the kubeconfig kept for cluster {cluster}"),
            None => super::kubeconfig::display(&self.user_files),
        }
    }

    /// The arguments and environment that point a kubectl or helm at this target.
    pub(crate) fn kubeconfig_env(&self) -> Option<OsString> {
        match &self.kept {
            Some(k) => Some(k.path().as_os_str().to_owned()),
            None => std::env::join_paths(&self.user_files).ok(),
        }
    }
}

/// What a kubectl call printed.
#[derive(Debug)]
pub(crate) struct Output {
    /// Whether it exited 0.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Kubectl {
    /// The path of the binary.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `kubectl ARGS` against `target` (never the caller's `~/.kube/config` by accident:
    /// `KUBECONFIG` is always set for the child).
    pub(crate) async fn run(&self, target: &Target, args: &[&str]) -> Result<Output, ClusterError> {
        let mut cmd = tokio::process::Command::new(&self.path);
        if let Some(env) = target.kubeconfig_env() {
            cmd.env("KUBECONFIG", env);
        }
        if let Some(c) = &target.context {
            cmd.arg("--context").arg(c);
        }
        cmd.arg(format!("--request-timeout={REQUEST_TIMEOUT_SECS}s"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let run = cmd.output();
        let out = match tokio::time::timeout(CALL_LIMIT, run).await {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => {
                return Err(ClusterError::KubectlMissing {
                    looked: format!("{} cannot be run: {e}", self.path.display()),
                })
            }
            Err(_) => {
                return Err(ClusterError::Kubectl {
                    message: format!("kubectl {} did not finish within {} s", args.join(" "), CALL_LIMIT.as_secs()),
                })
            }
        };
        Ok(Output {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// `kubectl version --client`, e.g. `v1.33.0`.
    pub(crate) async fn client_version(&self) -> Result<String, ClusterError> {
        let target = Target { user_files: Vec::new(), kept: None, context: None };
        let out = self.run(&target, &["version", "--client", "-o", "json"]).await?;
        let v: serde_json::Value = serde_json::from_str(&out.stdout).map_err(|_| ClusterError::Kubectl {
            message: format!("{} version --client did not print JSON: {}", self.path.display(), out.stderr.trim()),
        })?;
        Ok(v["clientVersion"]["gitVersion"].as_str().unwrap_or("unknown").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_kubeconfig_is_private_and_gone_with_its_target() {
        use std::os::unix::fs::PermissionsExt;
        let k = PrivateKubeconfig::write("apiVersion: v1\n").unwrap();
        let path = k.path().to_path_buf();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        drop(k);
        assert!(!path.exists() && !path.parent().unwrap().exists(), "the file and its directory are removed");
    }

    #[test]
    fn a_setting_that_names_no_executable_says_so() {
        let err = find("/nonexistent/kubectl").unwrap_err().to_string();
        assert!(
            err.starts_with("kubectl is not installed (the kube.kubectl setting names /nonexistent/kubectl"),
            "{err}"
        );
        assert!(err.contains("scicd config set kube.kubectl"), "{err}");
    }
}
