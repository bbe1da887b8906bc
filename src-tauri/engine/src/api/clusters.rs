//! Kubernetes cluster entry points: list, the user's kubeconfig contexts, add, test, remove.
//! A kept kubeconfig goes to the keyring; SQLite holds the cluster's name, source, context and
//! default namespace.

use super::audit::audited;
use super::endpoints::check_name;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::kube::{self, ClusterError, Kubeconfig};
use crate::model::Scope;
use crate::model::{now_ms, rfc3339, Cluster, ClusterInfo, ClusterSource, FieldError, KubeContexts, NewCluster};
use crate::secrets;
use crate::Engine;

/// The stored clusters, by name.
pub async fn cluster_list(engine: &Engine) -> Result<Vec<Cluster>> {
    engine.store().cluster_all().await
}

/// The contexts of the user's kubeconfig (the `kube.kubeconfig` setting, `$KUBECONFIG` or
/// `~/.kube/config`), offered when adding a cluster.
pub async fn cluster_contexts(engine: &Engine, caller: &Caller) -> Result<KubeContexts> {
    // It reads the kubeconfig of the user running simple-cicd: recorded like a change.
    audited(engine, caller, Scope::Write, "cluster.contexts", "kubeconfig", None, contexts(engine)).await
}

async fn contexts(engine: &Engine) -> Result<KubeContexts> {
    let files = kube::user_files(engine).await;
    Ok(kube::user_contexts(&files).map_err(|cause| ClusterError::KubeconfigInvalid { cause })?)
}

/// Whether `ns` is a Kubernetes namespace name (an RFC 1123 label).
fn namespace_ok(ns: &str) -> bool {
    crate::template::dns_label_ok(ns, 63)
}

fn names(k: &Kubeconfig) -> String {
    let all: Vec<String> = k.contexts().into_iter().map(|c| c.name).collect();
    if all.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has {}", all.join(", "))
    }
}

/// Adds a cluster: a `context` of the user's kubeconfig, or a `kubeconfig` (kept in the keyring)
/// with optionally one of its contexts. The context must exist now; nothing is contacted.
pub async fn cluster_add(engine: &Engine, caller: &Caller, new: NewCluster) -> Result<Cluster> {
    let resource = format!("cluster {}", new.name.trim());
    audited(engine, caller, Scope::Write, "cluster.add", &resource, None, add(engine, new)).await
}

async fn add(engine: &Engine, new: NewCluster) -> Result<Cluster> {
    let name = new.name.trim().to_string();
    let mut errors: Vec<FieldError> = check_name("cluster", &name).into_iter().collect();
    let context = new.context.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let kept = new.kubeconfig.as_deref().filter(|k| !k.trim().is_empty()).map(str::to_string);
    let (source, context_ns) = match &kept {
        Some(text) => match Kubeconfig::parse(text) {
            Err(message) => {
                errors.push(FieldError::new("kubeconfig", "invalid", message));
                (ClusterSource::Kubeconfig, None)
            }
            Ok(k) => {
                let relative = kube::relative_files(text);
                if !relative.is_empty() {
                    errors.push(FieldError::new(
                        "kubeconfig",
                        "invalid",
                        format!(
                            "the kubeconfig refers to files by a relative path ({}), which cannot be found once it is kept: \
                             give a kubeconfig with the certificates embedded, from `kubectl config view --flatten --minify --context CONTEXT`",
                            relative.join(", ")
                        ),
                    ));
                }
                let chosen = context.clone().or_else(|| k.current().map(str::to_string));
                match chosen.as_deref().map(|c| (c, k.context(c))) {
                    Some((_, Some(c))) => (ClusterSource::Kubeconfig, c.namespace.clone()),
                    Some((c, None)) => {
                        let path = if context.is_some() { "context" } else { "kubeconfig" };
                        errors.push(FieldError::new(
                            path,
                            "unknown",
                            format!("the kubeconfig has no context {c} ({}); name one of its contexts", names(&k)),
                        ));
                        (ClusterSource::Kubeconfig, None)
                    }
                    None => {
                        errors.push(FieldError::new(
                            "context",
                            "required",
                            format!(
                                "the kubeconfig names no current-context: choose one of its contexts ({})",
                                names(&k)
                            ),
                        ));
                        (ClusterSource::Kubeconfig, None)
                    }
                }
            }
        },
        None => {
            let files = kube::user_files(engine).await;
            match &context {
                None => {
                    errors.push(FieldError::new(
                        "context",
                        "required",
                        "a cluster is a context of your kubeconfig or a kubeconfig file: give one of them",
                    ));
                    (ClusterSource::Context, None)
                }
                Some(c) => match Kubeconfig::read(&files) {
                    Err(cause) => return Err(ClusterError::KubeconfigInvalid { cause }.into()),
                    Ok(k) => match k.context(c) {
                        Some(found) => (ClusterSource::Context, found.namespace.clone()),
                        None => {
                            errors.push(FieldError::new(
                                "context",
                                "unknown",
                                format!(
                                    "your kubeconfig ({}) has no context {c} ({}); `kubectl config get-contexts` lists them",
                                    kube::display_files(&files),
                                    names(&k)
                                ),
                            ));
                            (ClusterSource::Context, None)
                        }
                    },
                },
            }
        }
    };
    let namespace = match new.namespace.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(ns) if namespace_ok(ns) => ns.to_string(),
        Some(ns) => {
            errors.push(FieldError::new(
                "namespace",
                "invalid",
                format!("`{ns}` is not a namespace name: lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit"),
            ));
            String::new()
        }
        None => context_ns.unwrap_or_else(|| "default".to_string()),
    };
    if engine.store().cluster_get(&name).await?.is_some() {
        errors.push(FieldError::new("name", "duplicate", format!("a cluster named {name} already exists")));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(text) = &kept {
        secrets::reserved_set(engine, &kube::kubeconfig_secret(&name), text).await?;
    }
    let cluster = Cluster { name: name.clone(), source, context, namespace, created_at: None };
    let now = now_ms();
    if !engine.store().cluster_insert(&cluster, now).await? {
        return Err(Error::invalid("name", "duplicate", format!("a cluster named {name} already exists")));
    }
    Ok(Cluster { created_at: Some(rfc3339(now)), ..cluster })
}

/// Asks the cluster for its version and nodes through kubectl, or says exactly why it cannot.
pub async fn cluster_test(engine: &Engine, name: &str) -> Result<ClusterInfo> {
    let cluster = kube::find(engine, name).await?;
    kube::test(engine, &cluster).await
}

/// Removes a cluster and its kept kubeconfig.
pub async fn cluster_remove(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let resource = format!("cluster {name}");
    audited(engine, caller, Scope::Write, "cluster.remove", &resource, None, remove(engine, name)).await
}

async fn remove(engine: &Engine, name: &str) -> Result<()> {
    let cluster = kube::find(engine, name).await?;
    engine.store().cluster_delete(name).await?;
    if cluster.source == ClusterSource::Kubeconfig {
        if let Err(e) = secrets::reserved_delete(engine, &kube::kubeconfig_secret(name)).await {
            tracing::warn!(cluster = name, error = %e, "cannot remove the kubeconfig of a removed cluster from the keyring");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::namespace_ok;

    #[test]
    fn namespaces_are_rfc_1123_labels() {
        for ok in ["default", "web-1", "a"] {
            assert!(namespace_ok(ok), "{ok}");
        }
        for bad in ["", "Web", "-a", "a-", "a_b", &"a".repeat(64)] {
            assert!(!namespace_ok(bad), "{bad} is refused");
        }
    }
}
