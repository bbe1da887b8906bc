//! Removing what a run created on an endpoint, found by the label every container carries. Used
//! when a step ends (whatever way it ends) and by crash recovery for runs whose process died.

use std::collections::HashMap;

use bollard::query_parameters::{ListContainersOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;

use super::labels::{RUN_KEY, STEP_KEY};

/// Removes (forcefully, with their anonymous volumes) every container labelled with `run_key`.
/// Returns how many were removed. Idempotent.
pub(crate) async fn remove_run_containers(docker: &Docker, run_key: &str) -> Result<usize, bollard::errors::Error> {
    let label = if run_key.contains('.') { STEP_KEY } else { RUN_KEY };
    let filters = HashMap::from([("label".to_string(), vec![format!("{label}={run_key}")])]);
    let list = docker
        .list_containers(Some(ListContainersOptionsBuilder::default().all(true).filters(&filters).build()))
        .await?;
    let mut removed = 0;
    for c in list {
        let Some(id) = c.id else { continue };
        match remove_container(docker, &id).await {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(container = %id, error = %e, "cannot remove a container of a run"),
        }
    }
    Ok(removed)
}

/// Removes one container; one that is already gone is not an error.
pub(crate) async fn remove_container(docker: &Docker, id: &str) -> Result<(), bollard::errors::Error> {
    let options = RemoveContainerOptionsBuilder::default().force(true).v(true).build();
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => Ok(()),
        Err(bollard::errors::Error::DockerResponseServerError { status_code: 404 | 409, .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
