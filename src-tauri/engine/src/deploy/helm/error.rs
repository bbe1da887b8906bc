//! Why a Helm operation did not do what was asked, in words that say what to do.

/// What went wrong with Helm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelmError {
    /// No helm to run.
    #[error("helm is not installed ({looked}): install Helm 3 or 4 (https://helm.sh/docs/intro/install/) or give its path with `scicd config set kube.helm /path/to/helm`")]
    Missing {
        /// Where it was looked for.
        looked: String,
    },
    /// A helm whose major version simple-cicd does not drive.
    #[error("{path} is Helm {version}: simple-cicd drives Helm 3 and Helm 4; install one of them")]
    Unsupported {
        /// The binary.
        path: String,
        /// What `helm version` said.
        version: String,
    },
    /// A release is left `pending-*` by an interrupted operation: nothing can change it until it
    /// is recovered.
    #[error("the release {release} in namespace {namespace} is stuck in {status} (revision {revision}), left by an interrupted operation: {way_out}")]
    Pending {
        /// The release.
        release: String,
        /// Its namespace.
        namespace: String,
        /// `pending-install`, `pending-upgrade` or `pending-rollback`.
        status: String,
        /// The pending revision.
        revision: u32,
        /// What to do about it.
        way_out: String,
    },
    /// helm ran and failed; `message` is Helm's own.
    #[error("helm {command} {release} failed: {message}")]
    Failed {
        /// `upgrade`, `lint`, `rollback`, ...
        command: String,
        /// The release (or chart, for lint).
        release: String,
        /// Helm's message, without its `Error: ` prefix.
        message: String,
    },
    /// helm did not finish in time (its own `--timeout` plus a margin).
    #[error("helm {command} {release} did not finish within {seconds} s and was stopped")]
    Timeout {
        /// The command.
        command: String,
        /// The release.
        release: String,
        /// The limit.
        seconds: u64,
    },
    /// helm printed something this driver cannot read.
    #[error("helm {command} printed what simple-cicd cannot read ({detail}); is {path} Helm 3 or 4?")]
    Unreadable {
        /// The command.
        command: String,
        /// The binary.
        path: String,
        /// What is wrong.
        detail: String,
    },
}

/// Helm's message from its standard error: from the last `Error: ` on (Helm 4 writes warnings
/// and a multi-line cause), or the last line when there is none.
pub(crate) fn helm_message(stderr: &str) -> String {
    match stderr.rfind("Error: ") {
        Some(i) => stderr[i + "Error: ".len()..].trim().to_string(),
        None => stderr
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("helm failed without saying why")
            .to_string(),
    }
}

/// What the network said when Helm's message shows the cluster stopped answering (the API
/// server refused, reset or never answered), else `None`: such a failure is not the chart's.
pub(crate) fn cluster_gone(message: &str) -> Option<&'static str> {
    const CAUSES: &[&str] = &[
        "connection refused",
        "connection reset by peer",
        "no route to host",
        "network is unreachable",
        "i/o timeout",
        "TLS handshake timeout",
        "client connection lost",
        "unexpected EOF",
    ];
    // Not "Kubernetes cluster unreachable" alone: Helm says that of refused credentials too.
    // kubectl's own words for a refused connection (`get --raw` prints only these).
    CAUSES.iter().find(|c| message.contains(**c)).copied().or_else(|| {
        (message.contains("The connection to the server") && message.contains("was refused")).then_some(CAUSES[0])
    })
}

#[cfg(test)]
mod tests {
    use super::{cluster_gone, helm_message};

    #[test]
    fn a_refused_or_reset_api_server_is_told_from_a_failure_of_the_chart() {
        let helm3 = "UPGRADE FAILED: an error occurred while finding last successful release. original upgrade error: context deadline exceeded: Kubernetes cluster unreachable: Get \"https://127.0.0.1:16443/version\": dial tcp 127.0.0.1:16443: connect: connection refused";
        assert_eq!(cluster_gone(helm3), Some("connection refused"));
        let refused_credentials =
            "Kubernetes cluster unreachable: the server has asked for the client to provide credentials";
        assert_eq!(cluster_gone(refused_credentials), None);
        assert_eq!(
            cluster_gone("read tcp 127.0.0.1:5->127.0.0.1:6443: read: connection reset by peer"),
            Some("connection reset by peer")
        );
        assert_eq!(cluster_gone("UPGRADE FAILED: release d4 failed, and has been rolled back due to atomic being set: context deadline exceeded"), None);
        // kubectl get --raw says only this of a refused connection.
        let kubectl = "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?";
        assert_eq!(cluster_gone(kubectl), Some("connection refused"));
    }

    #[test]
    fn the_message_is_helms_error_without_the_warnings_before_it() {
        let stderr = "level=WARN msg=\"upgrade failed\" name=d4\nError: UPGRADE FAILED: release d4 failed, and has been rolled back due to rollback-on-failure being set: not ready\ncontext deadline exceeded\n";
        assert_eq!(
            helm_message(stderr),
            "UPGRADE FAILED: release d4 failed, and has been rolled back due to rollback-on-failure being set: not ready\ncontext deadline exceeded"
        );
        assert_eq!(helm_message("something\nlast words\n"), "last words");
    }
}
