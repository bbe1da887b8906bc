//! The workloads of a release (its Deployments, StatefulSets and DaemonSets, read from the
//! rendered manifest) and their readiness as the cluster reports it (`kubectl get -o json`): what
//! a launch logs while Helm waits, what an app's page shows and what the watch calls unhealthy.

use crate::kube::{Kubectl, Target};
use crate::model::{HelmWorkload, ServiceState};

/// The kinds whose readiness is followed.
const KINDS: [&str; 3] = ["Deployment", "StatefulSet", "DaemonSet"];

/// `(kind, name)` of each resource in a manifest (several YAML documents), in manifest order.
pub(crate) fn resources_in(manifest: &str) -> Vec<(String, String)> {
    use serde::Deserialize;
    let mut found = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(manifest) {
        let Ok(v) = serde_yaml::Value::deserialize(doc) else { continue };
        let kind = v["kind"].as_str().unwrap_or_default();
        let name = v["metadata"]["name"].as_str().unwrap_or_default();
        if !kind.is_empty() && !name.is_empty() {
            found.push((kind.to_string(), name.to_string()));
        }
    }
    found
}

/// `(kind, name)` of each workload in a manifest, in manifest order.
pub(crate) fn workloads_in(manifest: &str) -> Vec<(String, String)> {
    resources_in(manifest).into_iter().filter(|(k, _)| KINDS.contains(&k.as_str())).collect()
}

/// Asks the cluster how ready each workload is; one missing from the cluster counts as one pod
/// wanted and none ready. `Err` is kubectl's message.
pub(crate) async fn readiness(
    kubectl: &Kubectl,
    target: &Target,
    namespace: &str,
    workloads: &[(String, String)],
) -> Result<Vec<HelmWorkload>, String> {
    if workloads.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<String> = workloads.iter().map(|(k, n)| format!("{}/{n}", k.to_ascii_lowercase())).collect();
    let mut args = vec!["get", "-n", namespace, "-o", "json", "--ignore-not-found"];
    args.extend(names.iter().map(String::as_str));
    let out = kubectl.run(target, &args).await.map_err(|e| e.to_string())?;
    if !out.success {
        return Err(out.stderr.trim().to_string());
    }
    let v: serde_json::Value = if out.stdout.trim().is_empty() {
        serde_json::json!({ "items": [] })
    } else {
        serde_json::from_str(&out.stdout).map_err(|e| format!("kubectl get printed no JSON: {e}"))?
    };
    // One object comes back unwrapped, several as a List.
    let items: Vec<serde_json::Value> = match v["items"].as_array() {
        Some(items) => items.clone(),
        None if v.get("kind").is_some() => vec![v.clone()],
        None => Vec::new(),
    };
    Ok(workloads
        .iter()
        .map(|(kind, name)| {
            let item = items.iter().find(|i| i["kind"] == kind.as_str() && i["metadata"]["name"] == name.as_str());
            match item {
                Some(i) => of_item(kind, name, i),
                None => {
                    HelmWorkload { kind: kind.clone(), name: name.clone(), ready: 0, desired: 1, images: Vec::new() }
                }
            }
        })
        .collect())
}

/// The Deployments and StatefulSets of a manifest as ready as they ask to be (`spec.replicas`,
/// default 1), with their images: what a `helm upgrade --wait` that succeeded has checked. `None`
/// when the manifest has a DaemonSet, whose pod count only the cluster knows.
pub(crate) fn declared_ready(manifest: &str) -> Option<Vec<HelmWorkload>> {
    use serde::Deserialize;
    let mut found = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(manifest) {
        let Ok(v) = serde_yaml::Value::deserialize(doc) else { continue };
        let kind = v["kind"].as_str().unwrap_or_default();
        let name = v["metadata"]["name"].as_str().unwrap_or_default();
        match kind {
            "DaemonSet" => return None,
            "Deployment" | "StatefulSet" if !name.is_empty() => {
                let desired = v["spec"]["replicas"].as_u64().unwrap_or(1) as u32;
                let images = v["spec"]["template"]["spec"]["containers"]
                    .as_sequence()
                    .map(|cs| cs.iter().filter_map(|c| c["image"].as_str().map(String::from)).collect())
                    .unwrap_or_default();
                found.push(HelmWorkload { kind: kind.into(), name: name.into(), ready: desired, desired, images });
            }
            _ => {}
        }
    }
    Some(found)
}

fn of_item(kind: &str, name: &str, i: &serde_json::Value) -> HelmWorkload {
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0) as u32;
    let s = &i["status"];
    let (ready, desired) = match kind {
        "DaemonSet" => (n(&s["numberReady"]), n(&s["desiredNumberScheduled"])),
        // A Deployment counts ready pods of the new template only once rolled out: updatedReplicas.
        "Deployment" => (n(&s["readyReplicas"]).min(n(&s["updatedReplicas"])), n(&i["spec"]["replicas"])),
        _ => (n(&s["readyReplicas"]), n(&i["spec"]["replicas"])),
    };
    let images = i["spec"]["template"]["spec"]["containers"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["image"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    HelmWorkload { kind: kind.to_string(), name: name.to_string(), ready, desired, images }
}

/// Whether a workload has every pod it wants ready.
pub(crate) fn is_ready(w: &HelmWorkload) -> bool {
    w.ready >= w.desired
}

/// A workload as a service of an app's revision (`Deployment/web`, `1/1 ready`).
pub(crate) fn as_service(w: &HelmWorkload) -> ServiceState {
    ServiceState {
        service: format!("{}/{}", w.kind, w.name),
        state: if is_ready(w) { "running".into() } else { "not ready".into() },
        health: if is_ready(w) { "healthy".into() } else { "unhealthy".into() },
        image: w.images.join(", "),
        pinned: format!("{}/{} ready", w.ready, w.desired),
    }
}

/// One line of readiness: `Deployment/web 0/1 ready, StatefulSet/db 1/1 ready`.
pub(crate) fn summary(workloads: &[HelmWorkload]) -> String {
    workloads
        .iter()
        .map(|w| format!("{}/{} {}/{} ready", w.kind, w.name, w.ready, w.desired))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workloads_of_a_manifest_are_found_in_order() {
        let manifest = "---\n# Source: demo/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\nkind: StatefulSet\nmetadata: {name: db}\n";
        assert_eq!(
            workloads_in(manifest),
            [("Deployment".to_string(), "web".to_string()), ("StatefulSet".to_string(), "db".to_string())]
        );
    }

    #[test]
    fn a_waited_manifest_declares_its_replicas_ready_unless_a_daemon_set_needs_the_cluster() {
        let m = "kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template: {spec: {containers: [{image: 'nginx:1'}]}}\n---\nkind: StatefulSet\nmetadata: {name: db}\n";
        let ws = declared_ready(m).unwrap();
        assert_eq!((ws[0].ready, ws[0].desired, ws[0].images.len()), (2, 2, 1));
        assert_eq!((ws[1].ready, ws[1].desired), (1, 1), "replicas default to 1");
        assert_eq!(declared_ready("kind: DaemonSet\nmetadata: {name: agent}\n"), None);
    }

    #[test]
    fn a_deployment_is_ready_when_its_updated_pods_are() {
        let item = serde_json::json!({"kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"template":{"spec":{"containers":[{"image":"nginx:1.16.0"}]}}},"status":{"readyReplicas":2,"updatedReplicas":1}});
        let w = of_item("Deployment", "web", &item);
        assert_eq!((w.ready, w.desired, w.images.as_slice()), (1, 2, ["nginx:1.16.0".to_string()].as_slice()));
        assert!(!is_ready(&w), "an old pod being ready does not make the rollout ready");
        assert_eq!(as_service(&w).health, "unhealthy");
    }
}
