//! `ssh://user@host[:port]`: the Docker API spoken through `docker system dial-stdio` on the host,
//! over the system's ssh (its config, agent and known hosts), as `docker -H ssh://...` does.
//!
//! This is bollard's ssh transport with what it lacks: it hands ssh `user@host:port` as a host
//! name, so any port but 22 fails ("Could not resolve hostname h:2222"). Here the URL's user and
//! port become ssh options, logins never prompt (BatchMode), a new host key is accepted and
//! remembered the first time, a changed one is refused, and connecting gives up after 15 s.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bollard::{BollardRequest, Docker, API_DEFAULT_VERSION};
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Where to connect and as whom.
#[derive(Clone, Debug)]
struct Target {
    host: String,
    user: Option<String>,
    port: Option<u16>,
    keyfile: Option<PathBuf>,
}

fn parse(url: &str) -> Result<Target, String> {
    let rest = url.strip_prefix("ssh://").ok_or_else(|| format!("`{url}` is not an ssh:// URL"))?;
    let (user, host_port) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_string()), h),
        None => (None, rest),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !h.ends_with(':') => {
            (h.to_string(), Some(p.parse::<u16>().map_err(|_| format!("`{p}` in `{url}` is not a port"))?))
        }
        _ => (host_port.to_string(), None),
    };
    Ok(Target { host: host.trim_matches(['[', ']']).to_string(), user, port, keyfile: None })
}

/// A connector that opens one ssh session per connection and runs `docker system dial-stdio`.
#[derive(Clone, Debug)]
struct SshConnector {
    target: Arc<Target>,
}

/// The stdio of the remote `docker system dial-stdio`, as a connection; the session ends with it.
struct SshStream {
    stdin: Option<TokioIo<openssh::ChildStdin>>,
    stdout: TokioIo<openssh::ChildStdout>,
    _child: openssh::Child<Arc<openssh::Session>>,
}

impl tower_service::Service<hyper::Uri> for SshConnector {
    type Response = SshStream;
    type Error = openssh::Error;
    type Future = Pin<Box<dyn Future<Output = Result<SshStream, openssh::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: hyper::Uri) -> Self::Future {
        let target = self.target.clone();
        Box::pin(async move {
            let mut builder = openssh::SessionBuilder::default();
            builder.known_hosts_check(openssh::KnownHosts::Add).connect_timeout(CONNECT_TIMEOUT);
            if let Some(user) = &target.user {
                builder.user(user.clone());
            }
            if let Some(port) = target.port {
                builder.port(port);
            }
            if let Some(key) = &target.keyfile {
                builder.keyfile(key);
            }
            let tempdir = builder.launch_master(&target.host).await?;
            let session = Arc::new(openssh::Session::new_process_mux(tempdir));
            let mut child = session
                .arc_command("docker")
                .args(["system", "dial-stdio"])
                .stdin(openssh::Stdio::piped())
                .stdout(openssh::Stdio::piped())
                .spawn()
                .await?;
            let stdin = child.stdin().take().map(TokioIo::new);
            let stdout = child.stdout().take().map(TokioIo::new).ok_or_else(|| {
                openssh::Error::ChildIo(io::Error::new(io::ErrorKind::BrokenPipe, "no stdout from dial-stdio"))
            })?;
            Ok(SshStream { stdin, stdout, _child: child })
        })
    }
}

impl hyper::rt::Read for SshStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdout).poll_read(cx, buf)
    }
}

impl SshStream {
    fn stdin(self: Pin<&mut Self>) -> io::Result<Pin<&mut TokioIo<openssh::ChildStdin>>> {
        self.get_mut().stdin.as_mut().map(Pin::new).ok_or_else(|| io::ErrorKind::BrokenPipe.into())
    }
}

impl hyper::rt::Write for SshStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.stdin()?.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stdin()?.poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.as_mut().stdin()?.poll_shutdown(cx))?;
        self.get_mut().stdin = None;
        Poll::Ready(Ok(()))
    }
}

impl Connection for SshStream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

/// A client for the daemon behind `url` (`ssh://[user@]host[:port]`), logging in with `keyfile`
/// when given, else with the user's own keys and agent.
pub(crate) fn connect(url: &str, keyfile: Option<PathBuf>, timeout_secs: u64) -> Result<Docker, String> {
    let mut target = parse(url)?;
    target.keyfile = keyfile;
    let connector = SshConnector { target: Arc::new(target) };
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
    Docker::connect_with_custom_transport(
        move |request: BollardRequest| {
            let client = client.clone();
            async move { client.request(request).await.map_err(bollard::errors::Error::from) }
        },
        Some("http://docker-over-ssh"),
        timeout_secs,
        API_DEFAULT_VERSION,
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_host_and_port_are_read_from_the_url() {
        let t = parse("ssh://deploy@build-box:2222").unwrap();
        assert_eq!((t.user.as_deref(), t.host.as_str(), t.port), (Some("deploy"), "build-box", Some(2222)));
        let t = parse("ssh://build-box").unwrap();
        assert_eq!((t.user, t.host.as_str(), t.port), (None, "build-box", None));
        assert!(parse("ssh://h:port").is_err());
    }
}
