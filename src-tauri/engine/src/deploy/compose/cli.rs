//! The Docker Compose v2 CLI: found as the `docker compose` plugin or a standalone
//! `docker-compose` of major version 2 (or later), and the environment that points it at a Docker
//! endpoint (a unix socket, plain tcp, or tcp with TLS client certificates from the keyring,
//! written for the launch to a directory only the user can read, removed after it).

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

/// Finds compose v2: the `docker compose` plugin first, then `docker-compose`; or says what to
/// install.
pub(crate) async fn find() -> std::result::Result<ComposeCli, String> {
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
            return Err(DockerError::Ssh {
                url: endpoint.url,
                detail: "compose stacks deploy to unix, tcp and TLS endpoints for now; reach this host through a TLS endpoint (dockerd --tlsverify) instead".into(),
            }
            .into())
        }
    }
    Ok(env)
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
