//! The cluster side of a helm step: following a helm command that changes the release (the
//! workloads' readiness logged while it waits; a cancel, the time limit or a cluster that has
//! stopped answering drop it, which kills helm), then reading what it left (status, readiness, whether it is stuck `pending-*` and the
//! way out) into the step's outcome and the app revision's record.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

use super::launch::{refused, HelmLaunched, HelmRecord};
use super::workloads::{self, readiness, summary, workloads_in};
use super::{Helm, HelmError, Release};
use crate::exec::{stop_requested, StepOutcome, StopReason};
use crate::kube::{Kubectl, Target};
use crate::log::LogWriter;

/// How often the workloads' readiness is logged while Helm waits.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// How long the cluster may refuse or drop every request while Helm waits before helm is
/// stopped. Helm itself retries until its own `--timeout` (often minutes), though nothing it
/// waits for can change while the API server is gone; a blip shorter than this is waited out.
pub(crate) const GONE_FOR: Duration = Duration::from_secs(30);

pub(crate) async fn log_lines(log: &LogWriter, text: &str) {
    for line in text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
        log.system(line.to_string()).await;
    }
}

/// How a followed helm command ended.
pub(crate) enum Ended<T> {
    Done(Result<T, HelmError>),
    Cancelled,
    TimedOut,
    /// Every request to the cluster failed for [`GONE_FOR`]: the network's cause and what
    /// kubectl said last.
    ClusterGone {
        cause: &'static str,
        said: String,
    },
}

impl<T> Ended<T> {
    pub(crate) fn map<U>(self, f: impl FnOnce(Result<T, HelmError>) -> Result<U, HelmError>) -> Ended<U> {
        match self {
            Ended::Done(r) => Ended::Done(f(r)),
            Ended::Cancelled => Ended::Cancelled,
            Ended::TimedOut => Ended::TimedOut,
            Ended::ClusterGone { cause, said } => Ended::ClusterGone { cause, said },
        }
    }
}

/// The cluster side of a launch.
pub(crate) struct Stage<'a> {
    pub helm: &'a Helm,
    pub target: &'a Target,
    pub kubectl: Option<&'a Kubectl>,
    pub namespace: &'a str,
    pub log: &'a LogWriter,
}

impl Stage<'_> {
    /// Runs a helm command to its end, a cancel or the time limit (helm is killed then: the future
    /// is dropped), logging the workloads' readiness when it changes.
    pub(crate) async fn follow<T>(
        &mut self,
        command: impl Future<Output = Result<T, HelmError>>,
        watched: &[(String, String)],
        limit: Option<Duration>,
        stop: &mut watch::Receiver<StopReason>,
    ) -> Ended<T> {
        tokio::pin!(command);
        let deadline = async {
            match limit {
                Some(t) => tokio::time::sleep(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(deadline);
        let mut tick = tokio::time::interval(PROGRESS_EVERY);
        tick.tick().await;
        let mut last = String::new();
        let mut gone_since: Option<tokio::time::Instant> = None;
        loop {
            tokio::select! {
                r = &mut command => return Ended::Done(r),
                _ = stop_requested(stop) => return Ended::Cancelled,
                _ = &mut deadline => return Ended::TimedOut,
                _ = tick.tick() => {
                    let Some(k) = self.kubectl else { continue };
                    match self.probe(k, watched).await {
                        Ok(ws) => {
                            gone_since = None;
                            let now = summary(&ws);
                            if !now.is_empty() && now != last {
                                self.log.system(format!("Waiting for the workloads: {now}")).await;
                                last = now;
                            }
                        }
                        Err(said) => match super::error::cluster_gone(&said) {
                            Some(cause) => {
                                let since = *gone_since.get_or_insert_with(tokio::time::Instant::now);
                                if since.elapsed() >= GONE_FOR {
                                    return Ended::ClusterGone { cause, said };
                                }
                            }
                            None => gone_since = None,
                        },
                    }
                }
            }
        }
    }

    /// The watched workloads' readiness, or (none watched) whether the API server answers at all.
    async fn probe(
        &self,
        k: &Kubectl,
        watched: &[(String, String)],
    ) -> Result<Vec<crate::model::HelmWorkload>, String> {
        if !watched.is_empty() {
            return readiness(k, self.target, self.namespace, watched).await;
        }
        let out = k.run(self.target, &["get", "--raw", "/readyz"]).await.map_err(|e| e.to_string())?;
        if out.success {
            Ok(Vec::new())
        } else {
            Err(out.stderr.trim().to_string())
        }
    }

    /// Logs how the command ended, asks the release's status (unless the command answered it)
    /// and readiness, and makes the outcome and the revision's record.
    pub(crate) async fn finish(
        &mut self,
        ended: Ended<(Option<Release>, String)>,
        release: &str,
        target: String,
        config: String,
        limit: Option<Duration>,
    ) -> HelmLaunched {
        let log = self.log;
        let mut answered = None;
        let (outcome, error) = match ended {
            Ended::Done(Ok((release, notes))) => {
                log_lines(log, &notes).await;
                answered = release;
                (StepOutcome::Succeeded, None)
            }
            Ended::Done(Err(e @ HelmError::Pending { .. })) => return refused(release, e.to_string()),
            Ended::Done(Err(e)) => {
                log.system(format!("Helm: {e}")).await;
                let said = e.to_string();
                let why = match super::error::cluster_gone(&said) {
                    Some(cause) => cluster_gone_message(release, &target, cause, &said),
                    None => said,
                };
                (StepOutcome::FailedBecause(why.clone()), Some(why))
            }
            Ended::Cancelled => {
                log.system(format!("Cancelled: helm was stopped while it changed release {release}")).await;
                (StepOutcome::Cancelled(None), Some("cancelled while Helm changed the release".to_string()))
            }
            Ended::ClusterGone { cause, said } => {
                log.system(format!(
                    "The cluster has not answered for {} s ({cause}): helm was stopped while it changed release {release}",
                    GONE_FOR.as_secs()
                ))
                .await;
                let why = cluster_gone_message(release, &target, cause, &said);
                (StepOutcome::FailedBecause(why.clone()), Some(why))
            }
            Ended::TimedOut => {
                let secs = limit.map(|l| l.as_secs()).unwrap_or_default();
                log.system(format!(
                    "The step's time limit of {secs} s ran out: helm was stopped while it changed release {release}"
                ))
                .await;
                (
                    StepOutcome::TimedOut(None),
                    Some(format!("the step's time limit of {secs} s ran out while Helm changed the release")),
                )
            }
        };
        let mut unreadable = false;
        let now: Option<Release> = match answered {
            Some(r) => Some(r),
            None => match self.helm.status(self.target, release, self.namespace).await {
                Ok(r) => r,
                Err(e) => {
                    log.system(format!("The release's status cannot be read: {e}")).await;
                    unreadable = true;
                    None
                }
            },
        };
        if outcome != StepOutcome::Succeeded && !unreadable {
            match self.helm.pending(self.target, release, self.namespace).await {
                Ok(Some(p)) => {
                    log.system(format!(
                        "The release is left {} (revision {}): {}. Its app's page offers this way out (Recover), as does `scicd app recover {release}`",
                        p.status, p.revision, p.way_out(release, self.namespace)
                    ))
                    .await
                }
                Ok(None) if matches!(outcome, StepOutcome::Cancelled(_) | StepOutcome::TimedOut(_)) => {
                    log.system("The release is not left pending: Helm had finished or not yet begun").await
                }
                Ok(None) => {}
                Err(e) => log.system(format!("The release may be left pending-*; it cannot be checked now: {e}")).await,
            }
        }
        // After a wait that succeeded, Helm has checked every Deployment and StatefulSet ready:
        // the manifest says how many pods. Otherwise (a DaemonSet, a failure) the cluster is asked.
        let declared = match (&now, outcome == StepOutcome::Succeeded) {
            (Some(r), true) => workloads::declared_ready(&r.manifest),
            _ => None,
        };
        let live = match (declared, &now, self.kubectl) {
            (Some(ws), _, _) => Some(ws),
            (None, Some(r), Some(k)) => {
                readiness(k, self.target, self.namespace, &workloads_in(&r.manifest)).await.ok()
            }
            _ => None,
        };
        let ws = live.unwrap_or_default();
        if !ws.is_empty() {
            log.system(format!("Workloads: {}", summary(&ws))).await;
        }
        let services = ws.iter().map(workloads::as_service).collect();
        match &now {
            Some(r) => {
                log.system(format!("Release {release}: Helm revision {}, {} ({})", r.revision, r.status, r.description))
                    .await
            }
            None if unreadable => {}
            None => log.system(format!("Release {release} does not exist in namespace {} now", self.namespace)).await,
        }
        let deployed = outcome == StepOutcome::Succeeded;
        let record =
            HelmRecord { target, config, helm_revision: now.as_ref().map(|r| r.revision), services, deployed, error };
        HelmLaunched { outcome, release: release.to_string(), record: Some(record) }
    }
}

/// Why a helm command failed when the cluster stopped answering during it: what happened, what
/// Helm may have left behind, and the way out once the cluster is back.
fn cluster_gone_message(release: &str, target: &str, cause: &str, helm_said: &str) -> String {
    let cluster = target.split('/').next().unwrap_or(target);
    format!(
        "the cluster {cluster} stopped answering ({cause}) while Helm changed release {release}; Helm may have left the release pending-upgrade or pending-install. \
         Once the cluster answers again (`scicd cluster test {cluster}`), open the app {release}@{target}: if it shows the release stuck, Recover it there \
         (or `scicd app recover {release}@{target}`), then run again.\n{helm_said}"
    )
}
