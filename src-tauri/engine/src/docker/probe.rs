//! "Test" of an endpoint: what the daemon is and holds.

use std::time::Instant;

use super::endpoint::Connection;
use crate::error::Result;
use crate::model::EndpointInfo;

/// Version and system information of the connected daemon.
pub(crate) async fn endpoint_info(conn: &Connection) -> Result<EndpointInfo> {
    let started = Instant::now();
    let version = conn.docker.version().await.map_err(|e| conn.error(&e))?;
    let latency_ms = started.elapsed().as_millis() as i64;
    let info = conn.docker.info().await.map_err(|e| conn.error(&e))?;
    let client = conn.docker.client_version();
    Ok(EndpointInfo {
        endpoint: conn.endpoint.name.clone(),
        url: conn.endpoint.url.clone(),
        engine_version: version.version.unwrap_or_default(),
        api_version: version.api_version.unwrap_or_default(),
        client_api_version: format!("{}.{}", client.major_version, client.minor_version),
        os: info.operating_system.unwrap_or_default(),
        os_type: info.os_type.unwrap_or_default(),
        architecture: info.architecture.unwrap_or_default(),
        cpus: info.ncpu.unwrap_or_default(),
        memory_bytes: info.mem_total.unwrap_or_default(),
        images: info.images.unwrap_or_default(),
        containers: info.containers.unwrap_or_default(),
        containers_running: info.containers_running.unwrap_or_default(),
        latency_ms,
    })
}
