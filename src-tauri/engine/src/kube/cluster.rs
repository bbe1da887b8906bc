//! A stored cluster made usable: its kubectl target (the user's kubeconfig files or a private copy
//! of the kept kubeconfig) and its "Test": the API server's version and the nodes, or why not.

use std::time::Instant;

use super::error::{classify, ClusterError, Failed};
use super::kubeconfig;
use super::kubectl::{self, Kubectl, PrivateKubeconfig, Target};
use crate::error::{Error, Result};
use crate::model::{Cluster, ClusterInfo, ClusterNode, ClusterSource};
use crate::{secrets, settings, Engine};

/// The keyring name of a cluster's kept kubeconfig.
pub(crate) fn kubeconfig_secret(name: &str) -> String {
    format!("cluster:{name}:kubeconfig")
}

/// The stored cluster called `name`.
pub(crate) async fn find(engine: &Engine, name: &str) -> Result<Cluster> {
    engine.store().cluster_get(name).await?.ok_or_else(|| Error::ClusterUnknown { name: name.to_string() })
}

/// The kubectl simple-cicd runs (the `kube.kubectl` setting, else `PATH`).
pub(crate) async fn kubectl(engine: &Engine) -> Result<Kubectl> {
    Ok(kubectl::find(&settings::text(engine, "kube.kubectl").await)?)
}

/// The user's kubeconfig files (the `kube.kubeconfig` setting, else `$KUBECONFIG`, else `~/.kube/config`).
pub(crate) async fn user_files(engine: &Engine) -> Vec<std::path::PathBuf> {
    kubeconfig::user_files(&settings::text(engine, "kube.kubeconfig").await)
}

/// Where kubectl and helm are pointed for this cluster. Keep it alive while they run: a kept
/// kubeconfig's private file is removed when it is dropped.
pub(crate) async fn target(engine: &Engine, cluster: &Cluster) -> Result<Target> {
    match cluster.source {
        ClusterSource::Context => {
            Ok(Target { user_files: user_files(engine).await, kept: None, context: cluster.context.clone() })
        }
        ClusterSource::Kubeconfig => {
            let text = secrets::reserved_get(engine, &kubeconfig_secret(&cluster.name))
                .await?
                .ok_or_else(|| ClusterError::KubeconfigGone { cluster: cluster.name.clone() })?;
            let kept = PrivateKubeconfig::write(&text)
                .map_err(|e| Error::io("cannot write the cluster's kubeconfig for kubectl", e))?;
            Ok(Target { user_files: Vec::new(), kept: Some(kept), context: cluster.context.clone() })
        }
    }
}

/// Where kubectl and helm are pointed for the stored cluster called `name`.
pub async fn cluster_target(engine: &Engine, name: &str) -> Result<Target> {
    let cluster = find(engine, name).await?;
    target(engine, &cluster).await
}

/// What kubectl resolves for the target: the context's name and its API server's URL.
async fn resolve(k: &Kubectl, target: &Target, cluster: &Cluster) -> Result<(String, String), ClusterError> {
    let out = k.run(target, &["config", "view", "--minify", "-o", "json"]).await?;
    let context_asked = target.context.clone().unwrap_or_else(|| "current-context".to_string());
    if !out.success {
        return Err(classify(Failed {
            stderr: &out.stderr,
            server: "",
            context: &context_asked,
            kubeconfig: &target.files_display(&cluster.name),
        }));
    }
    let v: serde_json::Value = serde_json::from_str(&out.stdout)
        .map_err(|e| ClusterError::Kubectl { message: format!("kubectl config view printed no JSON: {e}") })?;
    let context = v["contexts"][0]["name"].as_str().unwrap_or_default().to_string();
    let server = v["clusters"][0]["cluster"]["server"].as_str().unwrap_or_default().to_string();
    if context.is_empty() {
        return Err(ClusterError::ContextUnknown {
            context: context_asked,
            kubeconfig: target.files_display(&cluster.name),
        });
    }
    Ok((context, server))
}

/// Connects to a cluster and describes it, or says exactly why it cannot.
pub(crate) async fn test(engine: &Engine, cluster: &Cluster) -> Result<ClusterInfo> {
    let k = kubectl(engine).await?;
    let kubectl_version = k.client_version().await?;
    let target = target(engine, cluster).await?;
    let (context, server) = resolve(&k, &target, cluster).await?;
    let failed = |stderr: &str| {
        classify(Failed {
            stderr,
            server: &server,
            context: &context,
            kubeconfig: &target.files_display(&cluster.name),
        })
    };

    let started = Instant::now();
    let version = k.run(&target, &["get", "--raw", "/version"]).await?;
    let latency_ms = started.elapsed().as_millis() as i64;
    if !version.success {
        return Err(failed(&version.stderr).into());
    }
    let v: serde_json::Value = serde_json::from_str(&version.stdout).map_err(|_| ClusterError::Kubectl {
        message: format!("{server}/version did not answer JSON: is this a Kubernetes API server?"),
    })?;

    let nodes_out = k.run(&target, &["get", "nodes", "-o", "json"]).await?;
    let (nodes, nodes_error) = if nodes_out.success {
        (parse_nodes(&nodes_out.stdout)?, None)
    } else if nodes_out.stderr.contains("Forbidden") || nodes_out.stderr.contains("forbidden") {
        (Vec::new(), Some(super::error::last_words(&nodes_out.stderr)))
    } else {
        return Err(failed(&nodes_out.stderr).into());
    };

    Ok(ClusterInfo {
        cluster: cluster.name.clone(),
        context,
        server,
        namespace: cluster.namespace.clone(),
        server_version: v["gitVersion"].as_str().unwrap_or_default().to_string(),
        platform: v["platform"].as_str().unwrap_or_default().to_string(),
        nodes,
        nodes_error,
        kubectl: format!("{} {kubectl_version}", k.path().display()),
        latency_ms,
    })
}

fn parse_nodes(json: &str) -> Result<Vec<ClusterNode>, ClusterError> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| ClusterError::Kubectl { message: format!("kubectl get nodes printed no JSON: {e}") })?;
    let items = v["items"].as_array().cloned().unwrap_or_default();
    Ok(items
        .iter()
        .map(|n| ClusterNode {
            name: n["metadata"]["name"].as_str().unwrap_or_default().to_string(),
            ready: n["status"]["conditions"]
                .as_array()
                .map(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
                .unwrap_or(false),
            version: n["status"]["nodeInfo"]["kubeletVersion"].as_str().unwrap_or_default().to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_are_ready_only_when_their_ready_condition_is_true() {
        let json = r#"{"items":[
          {"metadata":{"name":"a"},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.20.2"}}},
          {"metadata":{"name":"b"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}],"nodeInfo":{"kubeletVersion":"v1.19.0"}}}]}"#;
        let nodes = parse_nodes(json).unwrap();
        assert_eq!(nodes[0], ClusterNode { name: "a".into(), ready: true, version: "v1.20.2".into() });
        assert!(!nodes[1].ready, "a node whose Ready condition is Unknown is not ready");
    }
}
