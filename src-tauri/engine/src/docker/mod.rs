//! Docker through bollard: clients per endpoint (local socket, tcp, tcp with TLS, ssh), image
//! builds with a `.dockerignore`-aware context, pushes, containers for steps, and cleanup by label.
//!
//! What a run does with these (the step lifecycle, logs, outcomes) is in `exec`; what the user
//! manages (endpoints, registries) is in `api`. Nothing here stores anything but through the store.

mod cleanup;
mod context;
mod endpoint;
mod error;
mod ignore;
pub(crate) mod labels;
mod login;
mod probe;
mod reference;
mod registry;
mod ssh;
mod tls;

pub(crate) use cleanup::{remove_container, remove_run_containers};
pub(crate) use context::{BuildContext, DockerfileSource};
pub use endpoint::LOCAL_SOCKET_URL;
pub(crate) use endpoint::{connect, find, local, parse_url, ssh_secret, tls_bundle, tls_secret, Connection};
pub use error::DockerError;
pub use ignore::DockerIgnore;
pub(crate) use login::login;
pub(crate) use probe::endpoint_info;
pub use reference::{ImageRef, DOCKER_HUB};
pub(crate) use registry::{api_host, credentials, host_of, password_secret};
pub(crate) use tls::{client_config, TlsBundle};
