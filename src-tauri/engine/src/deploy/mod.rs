//! Deployments: the drivers of the tools that deploy (Helm now; compose and ssh come next), pointed
//! at a cluster or endpoint. They run the official CLIs and parse what those print; they keep no
//! state of their own and never write the store. Recording revisions, rollback as a run, drift and
//! health are the deployment steps' job, built on these drivers.

pub mod helm;
