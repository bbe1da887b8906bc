//! Why a cluster cannot be used, in words that say what to do. kubectl's messages are read by
//! [`classify`]: "Unable to connect to the server" alone does not tell a refused port from a
//! certificate the kubeconfig does not trust.

use crate::model::{ErrorCode, ErrorParams};

/// What went wrong with a Kubernetes cluster.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClusterError {
    /// No kubectl to run.
    #[error("kubectl is not installed ({looked}): install kubectl (https://kubernetes.io/docs/tasks/tools/, or your distribution's package) or give its path with `scicd config set kube.kubectl /path/to/kubectl`")]
    KubectlMissing {
        /// Where it was looked for.
        looked: String,
    },
    /// The context is not in the kubeconfig (or the kubeconfig names none).
    #[error("the kubeconfig context {context} does not exist in {kubeconfig}: list the contexts with `kubectl config get-contexts`, then remove the cluster and add it again with one of them")]
    ContextUnknown {
        /// The context asked for (`current-context` when none was named).
        context: String,
        /// The kubeconfig file(s) looked at.
        kubeconfig: String,
    },
    /// The API server cannot be reached: refused, no such host, no route, no answer in time.
    #[error("the Kubernetes API server {server} is not reachable ({cause}): check that the cluster is running and that the kubeconfig's server address and port are right")]
    Unreachable {
        /// The API server's URL.
        server: String,
        /// What the network said.
        cause: String,
    },
    /// The TLS handshake failed: the server's certificate is not trusted, or not for this name.
    #[error("the TLS handshake with the Kubernetes API server {server} failed ({cause}): the kubeconfig's certificate-authority does not match the cluster's certificate, or the certificate is not for this address; get a fresh kubeconfig from the cluster")]
    Tls {
        /// The API server's URL.
        server: String,
        /// What TLS said.
        cause: String,
    },
    /// The API server refused the credentials.
    #[error("the Kubernetes API server {server} refused the credentials ({cause}): the kubeconfig's token or client certificate is wrong, expired or revoked; get a fresh kubeconfig, then remove the cluster and add it again")]
    Unauthorized {
        /// The API server's URL.
        server: String,
        /// What the server answered.
        cause: String,
    },
    /// The kubeconfig kept for the cluster is no longer in the secret store.
    #[error(
        "the kubeconfig of cluster {cluster} is no longer in the secret store: remove the cluster and add it again"
    )]
    KubeconfigGone {
        /// The cluster's name.
        cluster: String,
    },
    /// The user's kubeconfig cannot be read.
    #[error("your kubeconfig cannot be read ({cause}): fix it (kubectl config view shows what kubectl makes of it), or point the kube.kubeconfig setting at another file")]
    KubeconfigInvalid {
        /// What is wrong, with the file and line.
        cause: String,
    },
    /// Another failure of kubectl.
    #[error("kubectl failed: {message}")]
    Kubectl {
        /// kubectl's own message.
        message: String,
    },
}

impl ClusterError {
    /// The stable code of this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClusterError::KubectlMissing { .. } => ErrorCode::KubectlMissing,
            ClusterError::ContextUnknown { .. } => ErrorCode::ClusterContextUnknown,
            ClusterError::Unreachable { .. } => ErrorCode::ClusterUnreachable,
            ClusterError::Tls { .. } => ErrorCode::ClusterTls,
            ClusterError::Unauthorized { .. } => ErrorCode::ClusterUnauthorized,
            ClusterError::KubeconfigGone { .. }
            | ClusterError::KubeconfigInvalid { .. }
            | ClusterError::Kubectl { .. } => ErrorCode::Cluster,
        }
    }

    /// The values a translation of [`ClusterError::code`] names.
    pub fn params(&self) -> ErrorParams {
        let pairs: Vec<(&str, String)> = match self {
            ClusterError::KubectlMissing { looked } => vec![("looked", looked.clone())],
            ClusterError::ContextUnknown { context, kubeconfig } => {
                vec![("context", context.clone()), ("kubeconfig", kubeconfig.clone())]
            }
            ClusterError::Unreachable { server, cause }
            | ClusterError::Tls { server, cause }
            | ClusterError::Unauthorized { server, cause } => {
                vec![("server", server.clone()), ("cause", cause.clone())]
            }
            ClusterError::KubeconfigGone { cluster } => {
                vec![("cluster", cluster.clone()), ("cause", self.to_string())]
            }
            ClusterError::KubeconfigInvalid { cause } | ClusterError::Kubectl { message: cause } => {
                vec![("cause", cause.clone())]
            }
        };
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

/// What a failed kubectl said, for [`classify`].
pub(crate) struct Failed<'a> {
    /// kubectl's standard error.
    pub stderr: &'a str,
    /// The API server's URL, when known.
    pub server: &'a str,
    /// The context asked for.
    pub context: &'a str,
    /// The kubeconfig file(s) used.
    pub kubeconfig: &'a str,
}

/// The last meaningful line of kubectl's standard error, without its `error: ` prefix and the
/// version-skew warnings kubectl prints before it.
pub(crate) fn last_words(stderr: &str) -> String {
    let line = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("WARNING:") && !l.starts_with("Warning:"))
        .unwrap_or("kubectl failed without saying why");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// The part of a kubectl message after the last `: ` of its connection prefix, e.g.
/// `connect: connection refused` from `Unable to connect to the server: dial tcp ...: connect: connection refused`.
fn cause(words: &str) -> String {
    const KNOWN: &[&str] = &[
        "connection refused",
        "no such host",
        "i/o timeout",
        "network is unreachable",
        "no route to host",
        "context deadline exceeded",
        "Client.Timeout exceeded",
        "connection reset by peer",
    ];
    if words.contains("was refused - did you specify the right host or port") {
        return "connection refused".to_string();
    }
    KNOWN.iter().find(|k| words.contains(**k)).map(|k| k.to_string()).unwrap_or_else(|| words.to_string())
}

/// Turns a failed kubectl into what the user can act on.
pub(crate) fn classify(f: Failed<'_>) -> ClusterError {
    let words = last_words(f.stderr);
    let lower = words.to_lowercase();
    let server = f.server.to_string();
    if lower.contains("context was not found")
        || (lower.contains("context") && lower.contains("does not exist"))
        || lower.contains("cannot locate context")
        || lower.contains("current-context is not set")
        || lower.contains("no configuration has been provided")
    {
        return ClusterError::ContextUnknown { context: f.context.to_string(), kubeconfig: f.kubeconfig.to_string() };
    }
    if lower.contains("x509:") || lower.contains("tls:") || lower.contains("certificate") {
        let detail = words.rsplit_once("x509: ").map(|(_, d)| format!("x509: {d}")).unwrap_or(words.clone());
        return ClusterError::Tls { server, cause: detail };
    }
    if lower.contains("unauthorized") || lower.contains("must be logged in") {
        return ClusterError::Unauthorized { server, cause: words };
    }
    let unreachable = [
        "unable to connect to the server",
        "connection refused",
        "no such host",
        "i/o timeout",
        "network is unreachable",
        "no route to host",
        "context deadline exceeded",
        "timeout",
        "was refused - did you specify the right host or port",
    ];
    if unreachable.iter().any(|u| lower.contains(u)) {
        return ClusterError::Unreachable { server, cause: cause(&words) };
    }
    ClusterError::Kubectl { message: words }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(stderr: &str) -> ClusterError {
        classify(Failed { stderr, server: "https://k:6443", context: "ctx", kubeconfig: "/k/config" })
    }

    #[test]
    fn kubectl_messages_are_classified_into_what_to_do() {
        assert_eq!(
            of("E1204 ... \nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"),
            ClusterError::Unreachable { server: "https://k:6443".into(), cause: "connection refused".into() }
        );
        let e = of("Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused\n");
        assert_eq!(
            e,
            ClusterError::Unreachable { server: "https://k:6443".into(), cause: "connection refused".into() }
        );
        assert!(matches!(
            of("Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority"),
            ClusterError::Tls { .. }
        ));
        assert!(matches!(
            of("error: You must be logged in to the server (Unauthorized)"),
            ClusterError::Unauthorized { .. }
        ));
        assert!(matches!(
            of("error: context was not found for specified context: nope"),
            ClusterError::ContextUnknown { .. }
        ));
        assert!(matches!(of("error: cannot locate context local"), ClusterError::ContextUnknown { .. }));
        assert_eq!(of("error: something odd"), ClusterError::Kubectl { message: "something odd".into() });
    }

    #[test]
    fn version_skew_warnings_are_not_the_reason() {
        let stderr = "error: You must be logged in to the server (Unauthorized)\nWARNING: version difference between client (1.33) and server (1.20) exceeds the supported minor version skew of +/-1\n";
        assert_eq!(last_words(stderr), "You must be logged in to the server (Unauthorized)");
    }
}
