//! Deployments: what a run launches and then lives on (a Docker Compose stack today; Helm
//! releases and ssh scripts join it), each launch recorded as a revision of its app.

pub mod compose;
