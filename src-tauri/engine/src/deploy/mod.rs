//! Deployments: what a run launches and then lives on (a Docker Compose stack, a script run
//! over ssh, a Helm release), each launch recorded as a revision of its app, and a watch that
//! tells the user when an app turns unhealthy or drifts. The drivers run the official CLIs
//! (compose v2, ssh, helm) pointed at an endpoint, host or cluster.

pub mod compose;
pub mod diff;
pub mod helm;
pub mod ssh;
pub mod watch;
