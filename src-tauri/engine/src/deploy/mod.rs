//! Deployments: what a run launches and then lives on (a Docker Compose stack, a script run
//! over ssh; Helm releases join them), each launch recorded as a revision of its app, and
//! a watch that tells the user when an app turns unhealthy or drifts.

pub mod compose;
pub mod ssh;
pub mod watch;
