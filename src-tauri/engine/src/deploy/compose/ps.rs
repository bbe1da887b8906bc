//! What runs of a compose project, read from the endpoint's Docker API in one request (the
//! containers carrying the project's label) rather than by `docker compose ps`, a process of its
//! own that costs about a hundred milliseconds: the Apps page and the apps watch ask it of every
//! app. The answer is compose's: one entry per container, with its service, state, health and
//! image as the file names it, by service; one-off containers (`compose run`) left out. Each
//! service's image is then pinned: the registry digest of the image its container runs (not of
//! whatever the tag names now), else that image's id.

use std::collections::HashMap;

use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptionsBuilder;

use crate::docker::{Connection, ImageRef};
use crate::error::{Error, Result};
use crate::model::ServiceState;
use crate::Engine;

/// The label compose puts on every container of a project.
const PROJECT: &str = "com.docker.compose.project";
const SERVICE: &str = "com.docker.compose.service";
const ONE_OFF: &str = "com.docker.compose.oneoff";

/// The services of project `project` on endpoint `endpoint` (stopped ones included), each image
/// pinned.
pub(crate) async fn running_services(engine: &Engine, endpoint: &str, project: &str) -> Result<Vec<ServiceState>> {
    let conn = crate::docker::connect(engine, endpoint).await?;
    let mut services = project_services(&conn, project).await?;
    pin_images(&conn, &mut services).await;
    Ok(services)
}

/// The containers of project `project`, stopped ones included; `pinned` holds the id of the image
/// each one runs, until [`pin_images`].
async fn project_services(conn: &Connection, project: &str) -> Result<Vec<ServiceState>> {
    let filters = HashMap::from([("label".to_string(), vec![format!("{PROJECT}={project}")])]);
    let list = conn
        .docker
        .list_containers(Some(ListContainersOptionsBuilder::default().all(true).filters(&filters).build()))
        .await
        .map_err(|e| Error::invalid("app", "unreachable", conn.error(&e).to_string()))?;
    let mut out: Vec<ServiceState> = list.iter().filter_map(service).collect();
    out.sort_by(|a, b| a.service.cmp(&b.service));
    Ok(out)
}

fn service(c: &ContainerSummary) -> Option<ServiceState> {
    let labels = c.labels.as_ref()?;
    if labels.get(ONE_OFF).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return None;
    }
    let health = c
        .health
        .as_ref()
        .and_then(|h| h.status.map(|s| s.to_string()))
        .filter(|s| !s.is_empty() && s != "none")
        .unwrap_or_else(|| health_in_status(c.status.as_deref().unwrap_or_default()).to_string());
    Some(ServiceState {
        service: labels.get(SERVICE)?.clone(),
        state: c.state.map(|s| s.to_string()).unwrap_or_default(),
        health,
        image: c.image.clone().unwrap_or_default(),
        pinned: c.image_id.clone().unwrap_or_default(),
    })
}

/// Replaces each service's image id with the image's registry digest for the repository the file
/// names (any of its digests when the container only knows the id), and keeps the id when the
/// image has none (built on the endpoint, never pushed or pulled).
async fn pin_images(conn: &Connection, services: &mut [ServiceState]) {
    for s in services.iter_mut() {
        let id = if s.pinned.is_empty() { s.image.clone() } else { s.pinned.clone() };
        let Ok(image) = conn.docker.inspect_image(&id).await else { continue };
        let digests = image.repo_digests.unwrap_or_default();
        s.pinned = match ImageRef::parse(&s.image).map(|r| r.repository()) {
            Ok(repo) if !s.image.starts_with("sha256:") => {
                digests.into_iter().find(|d| d.split('@').next() == Some(repo.as_str()))
            }
            _ => digests.into_iter().next(),
        }
        .or(image.id)
        .unwrap_or(id);
    }
}

/// The health in a status line such as `Up 3 minutes (healthy)` (API 1.41 gives no other), as
/// compose says it: `healthy`, `unhealthy`, `starting`, or empty without a healthcheck.
fn health_in_status(status: &str) -> &'static str {
    if status.ends_with("(healthy)") {
        "healthy"
    } else if status.ends_with("(unhealthy)") {
        "unhealthy"
    } else if status.ends_with("(health: starting)") {
        "starting"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_health_is_read_from_the_status_line_as_compose_says_it() {
        assert_eq!(health_in_status("Up 3 minutes (healthy)"), "healthy");
        assert_eq!(health_in_status("Up 10 seconds (unhealthy)"), "unhealthy");
        assert_eq!(health_in_status("Up 1 second (health: starting)"), "starting");
        assert_eq!(health_in_status("Up 2 hours"), "", "no healthcheck");
        assert_eq!(health_in_status("Exited (0) 5 seconds ago"), "");
    }

    #[test]
    fn one_off_containers_and_containers_without_a_service_are_left_out() {
        let labels = |pairs: &[(&str, &str)]| Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let web = ContainerSummary {
            labels: labels(&[(PROJECT, "shop"), (SERVICE, "web"), (ONE_OFF, "False")]),
            image: Some("localhost:5000/web:1".into()),
            status: Some("Up 3 minutes (healthy)".into()),
            state: Some(bollard::models::ContainerSummaryStateEnum::RUNNING),
            ..Default::default()
        };
        let s = service(&web).expect("a service container");
        assert_eq!((s.service.as_str(), s.state.as_str(), s.health.as_str()), ("web", "running", "healthy"));
        let run = ContainerSummary {
            labels: labels(&[(PROJECT, "shop"), (SERVICE, "web"), (ONE_OFF, "True")]),
            ..web.clone()
        };
        assert!(service(&run).is_none(), "`compose run` containers are not the app's services");
        let stray = ContainerSummary { labels: labels(&[(PROJECT, "shop")]), ..web };
        assert!(service(&stray).is_none());
    }
}
