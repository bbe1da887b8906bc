//! The Docker Compose v2 CLI: found as the `docker compose` plugin or a standalone
//! `docker-compose` of major version 2 (or later), and the environment that points it at a Docker
//! endpoint: a unix socket, plain tcp, tcp with TLS client certificates from the keyring, or ssh
//! (an `ssh` wrapper with the endpoint's key and host-key rules). Certificates and keys are written
//! for the launch to a directory only the user can read, removed after it.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::Command;

use crate::docker::{DockerError, TlsBundle};
use crate::error::{Error, Result};
use crate::model::EndpointKind;
use crate::Engine;

/// How to invoke compose: a program and the arguments before the subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComposeCli {
    /// `docker` or `docker-compose`.
    pub program: String,
    /// `["compose"]` for the plugin, nothing for the standalone binary.
    pub prefix: Vec<String>,
    /// Its version, e.g. `2.40.3`.
    pub version: String,
}

impl ComposeCli {
    /// The `docker compose` plugin, its version not yet known.
    pub fn plugin() -> ComposeCli {
        ComposeCli { program: "docker".into(), prefix: vec!["compose".into()], version: String::new() }
    }

    /// Whether both invoke the same program with the same words.
    pub fn same_program(&self, other: &ComposeCli) -> bool {
        self.program == other.program && self.prefix == other.prefix
    }

    /// A command for `args`, with the endpoint's environment.
    pub fn command(&self, args: &[&str], env: &[(String, String)]) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.prefix).args(args).envs(env.iter().map(|(k, v)| (k, v))).stdin(Stdio::null());
        c
    }

    /// The command line as a user would type it, for the log.
    pub fn shown(&self, args: &[&str]) -> String {
        let mut words = vec![self.program.clone()];
        words.extend(self.prefix.iter().cloned());
        words.extend(args.iter().map(|a| a.to_string()));
        words.join(" ")
    }
}

/// Compose as found once in this process (an install found missing is looked for again).
static FOUND: tokio::sync::OnceCell<ComposeCli> = tokio::sync::OnceCell::const_new();

/// Finds compose v2: the `docker compose` plugin first, then `docker-compose`; or says what to
/// install.
pub(crate) async fn find() -> std::result::Result<ComposeCli, String> {
    FOUND.get_or_try_init(look).await.cloned()
}

async fn look() -> std::result::Result<ComposeCli, String> {
    let candidates: [(&str, &[&str]); 2] = [("docker", &["compose"]), ("docker-compose", &[])];
    let mut seen = Vec::new();
    for (program, prefix) in candidates {
        let out = Command::new(program).args(prefix).args(["version", "--short"]).stdin(Stdio::null()).output().await;
        let Ok(out) = out else { continue };
        if !out.status.success() {
            continue;
        }
        let version = String::from_utf8_lossy(&out.stdout).trim().trim_start_matches('v').to_string();
        let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        if major >= 2 {
            return Ok(ComposeCli {
                program: program.into(),
                prefix: prefix.iter().map(|s| s.to_string()).collect(),
                version,
            });
        }
        seen.push(format!("{program} {version}"));
    }
    let found = if seen.is_empty() { String::new() } else { format!(" (found only {}, version 1)", seen.join(", ")) };
    Err(format!(
        "Docker Compose v2 is not installed{found}: install Docker's `docker-compose-plugin` package, or put the compose v2 binary at /usr/local/lib/docker/cli-plugins/docker-compose (or ~/.docker/cli-plugins/docker-compose)"
    ))
}

/// The environment that points compose at endpoint `name`; TLS material goes to files in `dir`.
pub(crate) async fn endpoint_env(engine: &Engine, name: &str, dir: &Path) -> Result<Vec<(String, String)>> {
    let endpoint = crate::docker::find(engine, name).await?;
    let mut env = vec![("DOCKER_HOST".to_string(), endpoint.url.clone())];
    match endpoint.kind {
        EndpointKind::Unix | EndpointKind::Tcp => {}
        EndpointKind::Tls => {
            let bundle: TlsBundle = crate::docker::tls_bundle(engine, name).await?;
            let certs = write_tls(dir, &bundle)
                .map_err(|e| Error::io(format!("cannot write the TLS files of endpoint {name}"), e))?;
            env.push(("DOCKER_TLS_VERIFY".into(), "1".into()));
            env.push(("DOCKER_CERT_PATH".into(), certs.to_string_lossy().into_owned()));
        }
        EndpointKind::Ssh => {
            let key = match endpoint.has_ssh_key {
                true => Some(
                    crate::secrets::reserved_get(engine, &crate::docker::ssh_secret(name)).await?.ok_or_else(|| {
                        DockerError::Ssh {
                            url: endpoint.url.clone(),
                            detail:
                                "its SSH key is no longer in the secret store; remove the endpoint and add it again"
                                    .into(),
                        }
                    })?,
                ),
                false => None,
            };
            let bin = write_ssh_wrapper(dir, key.as_deref())
                .map_err(|e| Error::io(format!("cannot write the ssh settings of endpoint {name}"), e))?;
            let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
            env.push(("PATH".into(), format!("{}:{path}", bin.display())));
        }
    }
    Ok(env)
}

/// An `ssh` first on compose's `PATH` that runs the system's ssh the way the engine's own ssh
/// connections do: never prompting, a new host key remembered and a changed one refused, a
/// connect timeout, and the endpoint's stored key when it has one. The Docker CLI reaches an
/// `ssh://` host through `ssh ... docker system dial-stdio`, and has no flag for any of this.
fn write_ssh_wrapper(dir: &Path, key: Option<&str>) -> std::io::Result<PathBuf> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let bin = dir.join("ssh-bin");
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&bin)?;
    let ssh = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("ssh"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("/usr/bin/ssh"));
    let mut script = format!(
        "#!/bin/sh\nexec {} -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=15",
        quote(&ssh)
    );
    if let Some(key) = key {
        let file = dir.join("ssh-key");
        let mut text = key.to_string();
        if !text.ends_with('\n') {
            text.push('\n'); // ssh refuses a key file without its final newline
        }
        let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&file)?;
        f.write_all(text.as_bytes())?;
        script.push_str(&format!(" -o IdentitiesOnly=yes -i {}", quote(&file)));
    }
    script.push_str(" \"$@\"\n");
    let mut f =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o700).open(bin.join("ssh"))?;
    f.write_all(script.as_bytes())?;
    Ok(bin)
}

/// `path` in single quotes for sh.
fn quote(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', "'\\''"))
}

fn write_tls(dir: &Path, bundle: &TlsBundle) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let certs = dir.join("tls");
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&certs)?;
    for (file, text) in [("ca.pem", &bundle.ca), ("cert.pem", &bundle.cert), ("key.pem", &bundle.key)] {
        use std::io::Write;
        let mut f =
            std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(certs.join(file))?;
        f.write_all(text.as_bytes())?;
    }
    Ok(certs)
}
