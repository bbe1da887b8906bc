//! Kubernetes clusters: a name for a context of the user's kubeconfig or for a kubeconfig kept in
//! the keyring, a default namespace, and "Test" (server version and nodes, or exactly why not),
//! all through the real `kubectl` (why: see `kubectl.rs`).
//!
//! What is deployed to a cluster (Helm releases, their history) is `deploy`'s; what the user manages
//! (add, list, test, remove) is in `api`. Nothing here stores anything but through the store, and a
//! kept kubeconfig is only ever on disk in a private file for the duration of one use.

mod cluster;
mod error;
mod kubeconfig;
mod kubectl;

pub use cluster::cluster_target;
pub(crate) use cluster::{find, kubeconfig_secret, kubectl, target, test, user_files};
pub use error::ClusterError;
pub(crate) use kubeconfig::{display as display_files, relative_files, user_contexts, Kubeconfig};
pub(crate) use kubectl::Kubectl;
pub use kubectl::Target;
