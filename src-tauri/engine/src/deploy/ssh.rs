//! ssh steps: a script run on another machine with the same live log, cancel, timeout and exit
//! status as a local shell step.
//!
//! The system's `ssh` client does the connecting (the user's config and agent, or a key from the
//! keyring written 0600 for the step and removed after), in batch mode, with simple-cicd's own
//! known-hosts file: a host's key is pinned the first time and a changed key is refused. A short
//! `ssh HOST true` first tells an unreachable host, a refused login and a changed host key apart.
//!
//! What the host receives on its standard input is a small `sh` program, never text made of the
//! run's values: each variable travels base64-encoded and is decoded into the environment there;
//! the script travels as a here-document with a random end marker. The script runs under
//! `setsid`, its process group written to a file, so that a cancel or a timeout (which stop the
//! local client) also stops the remote processes, by a second ssh.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use tokio::process::Command;
use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::exec::{run_shell, ShellStep, StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::SshBody;
use crate::Engine;

/// Where an ssh step goes: user, host, port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// The login (default: ssh's own choice, your user or your ssh config's).
    pub user: Option<String>,
    /// A host name or address.
    pub host: String,
    /// The port (22 unless given).
    pub port: u16,
}

/// Reads `user@host[:port]`; the error says what is wrong.
pub fn parse_target(text: &str) -> std::result::Result<SshTarget, String> {
    let text = text.trim();
    let (user, rest) = match text.rsplit_once('@') {
        Some((u, r)) => (Some(u.to_string()), r),
        None => (None, text),
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => {
            (h, p.parse::<u16>().map_err(|_| format!("`{p}` in `{text}` is not a port number"))?)
        }
        _ => (rest, 22),
    };
    let name_ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if !name_ok(host) {
        return Err(format!("`{text}`: write the host as user@host or user@host:port (a name or an address)"));
    }
    if let Some(u) = &user {
        if !name_ok(u) {
            return Err(format!("`{u}` is not a user name"));
        }
    }
    Ok(SshTarget { user, host: host.to_string(), port })
}

/// An ssh step ready to run.
pub(crate) struct SshStep<'a> {
    pub engine: &'a Engine,
    pub body: &'a SshBody,
    /// The run's variables, set on the host.
    pub env: Vec<(String, String)>,
    /// The step's key (names the remote process-group file and marks the local client).
    pub key: &'a str,
    /// A local directory of its own (payload, key file), removed by the caller.
    pub dir: PathBuf,
    pub timeout: Option<Duration>,
}

/// Runs the step; see the module documentation.
pub(crate) async fn run_ssh(s: SshStep<'_>, log: &LogWriter, stop: watch::Receiver<StopReason>) -> Result<StepOutcome> {
    let target = match parse_target(&s.body.host) {
        Ok(t) => t,
        Err(why) => return Ok(StepOutcome::FailedBecause(why)),
    };
    std::fs::create_dir_all(&s.dir).map_err(|e| Error::io(format!("cannot create {}", s.dir.display()), e))?;
    let known_hosts = known_hosts_file(s.engine)?;
    let key_file = match &s.body.key {
        Some(name) => {
            let key = crate::secrets::secret_value(s.engine, name).await?;
            let path = s.dir.join("key");
            write_private(&path, &format!("{}\n", key.trim_end()))
                .map_err(|e| Error::io("cannot write the ssh key for the step".to_string(), e))?;
            Some(path)
        }
        None => None,
    };
    let conn = Connection { target: target.clone(), known_hosts, key_file };
    let shown = format!(
        "{}{}:{}",
        target.user.as_deref().map(|u| format!("{u}@")).unwrap_or_default(),
        target.host,
        target.port
    );
    log.system(format!("Connecting to {shown} over ssh")).await;
    if let Err(why) = conn.check().await {
        return Ok(StepOutcome::FailedBecause(why));
    }
    let pg_file =
        format!("/tmp/simple-cicd-{}.pgid", s.key.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_"));
    let payload = s.dir.join("payload.sh");
    std::fs::write(&payload, remote_program(s.body, &s.env, &pg_file))
        .map_err(|e| Error::io(format!("cannot write {}", payload.display()), e))?;
    let client = s.dir.join("ssh.sh");
    std::fs::write(&client, CLIENT).map_err(|e| Error::io(format!("cannot write {}", client.display()), e))?;
    let mut env = conn.env();
    env.push(("SIMPLE_CICD_SSH_PAYLOAD".into(), payload.to_string_lossy().into_owned()));
    env.push(("SIMPLE_CICD_RUN_KEY".into(), s.key.to_string()));
    log.system(format!("Running the script on {shown}")).await;
    let step = ShellStep {
        script: client,
        shebang: false,
        cwd: s.dir.clone(),
        env,
        run_key: s.key.to_string(),
        timeout: s.timeout,
        grace: s.engine.cancel_grace().await,
    };
    let outcome = run_shell(step, log, stop, |_| {}).await?;
    match &outcome {
        StepOutcome::Cancelled(_) | StepOutcome::TimedOut(_) => {
            let said = conn.stop_remote(&pg_file).await;
            log.system(format!("Stopped the script's processes on {shown}{said}")).await;
        }
        StepOutcome::Failed(255) => {
            return Ok(StepOutcome::FailedBecause(format!(
                "the ssh connection to {shown} broke (exit status 255); the script's end on the host is unknown"
            )))
        }
        _ => {}
    }
    Ok(outcome)
}

/// The local side: the system ssh client, every value from a variable.
const CLIENT: &str = r#"set -- -T -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=15 -o ServerAliveInterval=15 -o UserKnownHostsFile="$SIMPLE_CICD_SSH_KNOWN_HOSTS" -p "$SIMPLE_CICD_SSH_PORT"
if [ -n "$SIMPLE_CICD_SSH_KEY" ]; then set -- "$@" -i "$SIMPLE_CICD_SSH_KEY" -o IdentitiesOnly=yes; fi
if [ -n "$SIMPLE_CICD_SSH_USER" ]; then set -- "$@" -l "$SIMPLE_CICD_SSH_USER"; fi
exec ssh "$@" -- "$SIMPLE_CICD_SSH_HOST" 'sh -s' < "$SIMPLE_CICD_SSH_PAYLOAD"
"#;

/// The program the host runs: the variables decoded, the script written to a file and run under
/// setsid with its process group noted in `pg_file`.
fn remote_program(body: &SshBody, env: &[(String, String)], pg_file: &str) -> String {
    let mut p = String::from("set -e\n");
    // The run key is this machine's cookie for finding a run's processes: it stays here.
    for (k, v) in env.iter().filter(|(k, _)| crate::template::is_env_name(k) && k != "SIMPLE_CICD_RUN_KEY") {
        // The trailing `x` keeps trailing newlines of the value through `$( )`.
        p.push_str(&format!("{k}=$(printf %s '{}' | base64 -d; echo x); {k}=${{{k}%x}}; export {k}\n", B64.encode(v)));
    }
    if let Some(dir) = body.workdir.as_deref().filter(|d| !d.trim().is_empty()) {
        p.push_str(&format!("cd \"$(printf %s '{}' | base64 -d)\"\n", B64.encode(dir)));
    }
    let marker = format!("SIMPLE_CICD_END_{}", uuid::Uuid::new_v4().simple());
    p.push_str("t=$(mktemp)\n");
    p.push_str(&format!("cat > \"$t\" <<'{marker}'\n{}\n{marker}\n", body.script.trim_end_matches('\n')));
    p.push_str("set +e\n");
    p.push_str(&format!(
        "setsid -w sh -c 'echo $$ > \"$1\"; exec sh -e \"$2\"' sh '{pg_file}' \"$t\" < /dev/null\nrc=$?\nrm -f \"$t\" '{pg_file}'\nexit $rc\n"
    ));
    p
}

/// How to reach the host.
struct Connection {
    target: SshTarget,
    known_hosts: PathBuf,
    key_file: Option<PathBuf>,
}

impl Connection {
    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("SIMPLE_CICD_SSH_HOST".into(), self.target.host.clone()),
            ("SIMPLE_CICD_SSH_PORT".into(), self.target.port.to_string()),
            ("SIMPLE_CICD_SSH_USER".into(), self.target.user.clone().unwrap_or_default()),
            (
                "SIMPLE_CICD_SSH_KEY".into(),
                self.key_file.as_ref().map(|k| k.to_string_lossy().into_owned()).unwrap_or_default(),
            ),
            ("SIMPLE_CICD_SSH_KNOWN_HOSTS".into(), self.known_hosts.to_string_lossy().into_owned()),
        ]
    }

    /// `ssh HOST REMOTE` with the step's options; (success, stderr).
    async fn remote(&self, remote: &str) -> (bool, String) {
        let mut cmd = Command::new("ssh");
        cmd.args(["-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=15"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", self.known_hosts.display()))
            .arg("-p")
            .arg(self.target.port.to_string());
        if let Some(k) = &self.key_file {
            cmd.arg("-i").arg(k).args(["-o", "IdentitiesOnly=yes"]);
        }
        if let Some(u) = &self.target.user {
            cmd.arg("-l").arg(u);
        }
        cmd.arg("--").arg(&self.target.host).arg(remote).stdin(std::process::Stdio::null()).kill_on_drop(true);
        match tokio::time::timeout(Duration::from_secs(30), cmd.output()).await {
            Ok(Ok(out)) => (out.status.success(), String::from_utf8_lossy(&out.stderr).trim().to_string()),
            Ok(Err(e)) => (false, format!("cannot run ssh: {e}; install the OpenSSH client (openssh-client)")),
            Err(_) => (false, "no answer within 30 s".into()),
        }
    }

    /// Connects once and logs out; the error tells what stands in the way.
    async fn check(&self) -> std::result::Result<(), String> {
        let (ok, err) = self.remote("true").await;
        if ok {
            return Ok(());
        }
        let host = &self.target.host;
        let lower = err.to_ascii_lowercase();
        Err(if lower.contains("identification has changed") || lower.contains("host key verification failed") {
            format!(
                "the host key of {host} is not the one pinned at the first connection: refused (a reinstalled host? remove its line from {} after checking the new key)",
                self.known_hosts.display()
            )
        } else if lower.contains("permission denied") {
            format!("{host} refused the login: {err}; check the user and the key (`key:` names a stored secret holding the private key)")
        } else if lower.contains("could not resolve") {
            format!("the host name {host} cannot be resolved: {err}")
        } else {
            format!("cannot reach {host} on port {} over ssh: {err}", self.target.port)
        })
    }

    /// Stops the remote process group noted in `pg_file`; says what happened, for the log.
    async fn stop_remote(&self, pg_file: &str) -> String {
        let program = format!(
            "p=$(cat '{pg_file}' 2>/dev/null) || exit 0; kill -TERM -- -$p 2>/dev/null; sleep 2; kill -KILL -- -$p 2>/dev/null; rm -f '{pg_file}'; exit 0"
        );
        match self.remote(&program).await {
            (true, _) => String::new(),
            (false, err) => format!(" (could not confirm: {err})"),
        }
    }
}

/// simple-cicd's own known hosts (first key pinned, a changed one refused).
fn known_hosts_file(engine: &Engine) -> Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = engine.data().root().join("ssh");
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    Ok(dir.join("known_hosts"))
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_and_bad_ones_explained() {
        assert_eq!(
            parse_target("deploy@web1:2222").unwrap(),
            SshTarget { user: Some("deploy".into()), host: "web1".into(), port: 2222 }
        );
        assert_eq!(parse_target("10.0.0.5").unwrap().port, 22);
        assert!(parse_target("-oProxyCommand=x").unwrap_err().contains("user@host"));
        assert!(parse_target("a@b:port").unwrap_err().contains("not a port"));
        assert!(parse_target("a b@c").is_err());
    }

    #[test]
    fn values_travel_encoded_and_the_script_as_a_here_document() {
        let body = SshBody {
            host: "h".into(),
            key: None,
            script: "echo \"$NAME\"\n".into(),
            workdir: Some("/srv/my app".into()),
        };
        let env = vec![("NAME".to_string(), "it's $(rm -rf /) `x`".to_string())];
        let p = remote_program(&body, &env, "/tmp/simple-cicd-k.pgid");
        assert!(!p.contains("rm -rf"), "the value never appears as text: {p}");
        assert!(p.contains(&B64.encode("it's $(rm -rf /) `x`")));
        assert!(p.contains("echo \"$NAME\""), "the script is there as written");
        assert!(p.contains("setsid -w"));
    }
}
