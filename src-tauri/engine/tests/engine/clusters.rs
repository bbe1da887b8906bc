//! Clusters against the real Kubernetes 1.20 of scripts/services/k8s.sh, through the real kubectl:
//! a context of the user's kubeconfig, a kubeconfig kept in the secret store, and every way of not
//! getting there (unknown context, server down, foreign CA, unknown credentials, no kubectl).

use serde_yaml::Value;
use simple_cicd_engine::model::{ClusterSource, NewCluster};
use simple_cicd_engine::{api, Error};

use crate::docker_support::free_port;
use crate::kube_support::*;
use crate::support::*;

fn by_context(name: &str, context: &str) -> NewCluster {
    NewCluster { name: name.into(), context: Some(context.into()), ..NewCluster::default() }
}

fn kept(name: &str, kubeconfig: String) -> NewCluster {
    NewCluster { name: name.into(), kubeconfig: Some(kubeconfig), ..NewCluster::default() }
}

fn set(doc: &mut Value, path: &[&str], value: Value) {
    let mut at = doc;
    for key in &path[..path.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*key],
        };
    }
    at[path[path.len() - 1]] = value;
}

fn field_paths(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(fields) => fields.into_iter().map(|f| f.path).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

#[tokio::test]
async fn a_context_of_the_users_kubeconfig_shows_the_server_version_and_the_ready_node() {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
    let contexts = api::cluster_contexts(&t.engine, &me()).await.unwrap();
    let local =
        contexts.contexts.iter().find(|c| c.name == "local").expect("the admin kubeconfig's context is offered");
    assert!(local.current && local.server.as_deref() == Some("https://127.0.0.1:6443"), "{local:?}");

    let c = api::cluster_add(&t.engine, &me(), by_context("dev", "local")).await.unwrap();
    assert_eq!((c.source, c.namespace.as_str()), (ClusterSource::Context, "default"), "{c:?}");
    let info = api::cluster_test(&t.engine, "dev").await.expect("the test cluster answers");
    assert_eq!(info.server_version, "v1.20.2", "{info:?}");
    assert_eq!((info.context.as_str(), info.server.as_str()), ("local", "https://127.0.0.1:6443"));
    assert_eq!(info.platform, "linux/amd64");
    let node = info.nodes.iter().find(|n| n.name == node_name()).expect("this machine is the cluster's node");
    assert!(node.ready && node.version == "v1.20.2", "the node is Ready with kubelet v1.20.2: {node:?}");
    assert!(info.nodes_error.is_none() && info.kubectl.contains("v1.33"), "{info:?}");
    let listed = api::cluster_list(&t.engine).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].context.as_deref(), Some("local"));
}

#[tokio::test]
async fn a_kept_kubeconfig_reaches_the_cluster_and_stays_out_of_sqlite() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, Some(&t.dir.path().join("no-kubeconfig"))).await;
    // A marker only this test's kubeconfig holds: other tests' private copies may exist meanwhile.
    let marker = format!("# kept-by-{}", std::process::id());
    let text = format!("{}\n{marker}\n", std::fs::read_to_string(admin_kubeconfig()).unwrap());
    let new = NewCluster { namespace: Some("apps".into()), ..kept("prod", text.clone()) };
    let c = api::cluster_add(&t.engine, &me(), new).await.unwrap();
    assert_eq!((c.source, c.context.as_deref(), c.namespace.as_str()), (ClusterSource::Kubeconfig, None, "apps"));
    let info = api::cluster_test(&t.engine, "prod").await.expect("the kept kubeconfig reaches the cluster");
    assert_eq!((info.server_version.as_str(), info.context.as_str()), ("v1.20.2", "local"));

    let key_data = admin_doc()["users"][0]["user"]["client-key-data"].as_str().unwrap().to_string();
    let probe = &key_data[10..60];
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    let wal = std::fs::read(t.dir.path().join("simple-cicd.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(probe.len()).any(|w| w == probe.as_bytes()), "the client key never enters SQLite");
    }
    let dirs = [Some(std::env::temp_dir()), std::env::var_os("XDG_RUNTIME_DIR").map(Into::into)];
    let leftovers: Vec<_> = dirs
        .into_iter()
        .flatten()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_name().to_string_lossy().starts_with("simple-cicd-kube-"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("kubeconfig")).ok())
        .filter(|k| k.contains(&marker))
        .collect();
    assert!(leftovers.is_empty(), "the private copy of the kubeconfig is removed after the test");

    api::cluster_remove(&t.engine, &me(), "prod").await.unwrap();
    let err = api::cluster_test(&t.engine, "prod").await.unwrap_err();
    assert!(matches!(err, Error::ClusterUnknown { .. }), "{err}");
    assert!(err.to_string().contains("scicd cluster add prod"), "{err}");
}

#[tokio::test]
async fn a_kubeconfig_kept_in_the_os_keyring_reaches_the_cluster() {
    let t = engine().await; // the default secret store: the OS keyring (Secret Service)
    use_test_cluster(&t.engine, Some(&t.dir.path().join("no-kubeconfig"))).await;
    let text = std::fs::read_to_string(admin_kubeconfig()).unwrap();
    api::cluster_add(&t.engine, &me(), kept("in-keyring", text)).await.expect("the keyring takes the kubeconfig");
    let info = api::cluster_test(&t.engine, "in-keyring").await.expect("the kubeconfig comes back from the keyring");
    assert_eq!(info.server_version, "v1.20.2");
    api::cluster_remove(&t.engine, &me(), "in-keyring").await.unwrap();
}

#[tokio::test]
async fn an_unknown_context_is_refused_when_added_and_named_when_it_disappears() {
    let t = engine().await;
    let user = t.dir.path().join("kubeconfig");
    std::fs::write(&user, std::fs::read(admin_kubeconfig()).unwrap()).unwrap();
    use_test_cluster(&t.engine, Some(&user)).await;
    let err = api::cluster_add(&t.engine, &me(), by_context("x", "nope")).await.unwrap_err();
    assert!(err.to_string().contains("has no context nope (it has local)"), "{err}");
    assert_eq!(field_paths(err), ["context"]);

    api::cluster_add(&t.engine, &me(), by_context("dev", "local")).await.unwrap();
    std::fs::write(&user, kubeconfig_with(|d| set(d, &["contexts", "0", "name"], "renamed".into()))).unwrap();
    let err = api::cluster_test(&t.engine, "dev").await.unwrap_err();
    assert_eq!(err.code(), "cluster_context_unknown", "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("the kubeconfig context local does not exist in ") && text.contains(&*user.to_string_lossy()),
        "{text}"
    );
}

#[tokio::test]
async fn a_server_nobody_listens_on_is_unreachable_and_says_so() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, None).await;
    let port = free_port();
    let server = format!("https://127.0.0.1:{port}");
    let text = kubeconfig_with(|d| set(d, &["clusters", "0", "cluster", "server"], server.clone().into()));
    api::cluster_add(&t.engine, &me(), kept("down", text)).await.unwrap();
    let err = api::cluster_test(&t.engine, "down").await.unwrap_err();
    assert_eq!(err.code(), "cluster_unreachable", "{err}");
    assert_eq!(
        err.to_string(),
        format!("the Kubernetes API server {server} is not reachable (connection refused): check that the cluster is running and that the kubeconfig's server address and port are right")
    );
}

#[tokio::test]
async fn a_certificate_authority_that_did_not_sign_the_server_fails_the_tls_handshake() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, None).await;
    let ca = foreign_ca();
    let text = kubeconfig_with(|d| set(d, &["clusters", "0", "cluster", "certificate-authority-data"], ca.into()));
    api::cluster_add(&t.engine, &me(), kept("foreign-ca", text)).await.unwrap();
    let err = api::cluster_test(&t.engine, "foreign-ca").await.unwrap_err();
    assert_eq!(err.code(), "cluster_tls", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("https://127.0.0.1:6443") && text.contains("x509: certificate signed by unknown authority"),
        "{text}"
    );
}

#[tokio::test]
async fn credentials_the_server_does_not_know_are_unauthorized() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, None).await;
    let text = kubeconfig_with(|d| {
        let user = &mut d["users"][0]["user"];
        *user = serde_yaml::from_str("token: not-a-token-this-cluster-issued").unwrap();
    });
    api::cluster_add(&t.engine, &me(), kept("bad-token", text)).await.unwrap();
    let err = api::cluster_test(&t.engine, "bad-token").await.unwrap_err();
    assert_eq!(err.code(), "cluster_unauthorized", "{err}");
    assert!(
        err.to_string().contains("refused the credentials (You must be logged in to the server (Unauthorized))"),
        "{err}"
    );
}

#[tokio::test]
async fn a_user_who_may_not_list_nodes_still_sees_the_server_version_and_why_no_nodes() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, None).await;
    let (cert, key) = user_signed_by_the_cluster("nobody-special");
    let text = kubeconfig_with(|d| {
        set(d, &["users", "0", "user", "client-certificate-data"], cert.into());
        set(d, &["users", "0", "user", "client-key-data"], key.into());
    });
    api::cluster_add(&t.engine, &me(), kept("limited", text)).await.unwrap();
    let info =
        api::cluster_test(&t.engine, "limited").await.expect("the version is readable by any authenticated user");
    assert_eq!(info.server_version, "v1.20.2");
    assert!(info.nodes.is_empty(), "{info:?}");
    let why = info.nodes_error.expect("the reason nodes are missing is given");
    assert!(why.contains("nobody-special") && why.contains("cannot list resource \"nodes\""), "{why}");
}

#[tokio::test]
async fn without_kubectl_the_test_says_what_to_install() {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
    api::cluster_add(&t.engine, &me(), by_context("dev", "local")).await.unwrap();
    let missing = t.dir.path().join("bin/kubectl");
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "kube.kubectl", &missing.to_string_lossy())
        .await
        .unwrap();
    let err = api::cluster_test(&t.engine, "dev").await.unwrap_err();
    assert_eq!(err.code(), "kubectl_missing", "{err}");
    assert!(err.to_string().contains("install kubectl"), "{err}");
}

#[tokio::test]
async fn adding_checks_the_name_the_namespace_and_the_kubeconfig() {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
    let bad_yaml = kept("x", "clusters:\n- name: a\n  cluster: [unclosed\n".into());
    let err = api::cluster_add(&t.engine, &me(), bad_yaml).await.unwrap_err();
    assert!(err.to_string().contains("not a valid kubeconfig") && err.to_string().contains("line 3"), "{err}");
    let no_current = kubeconfig_with(|d| set(d, &["current-context"], "".into()));
    let err = api::cluster_add(&t.engine, &me(), kept("x", no_current)).await.unwrap_err();
    assert!(err.to_string().contains("names no current-context: choose one of its contexts (it has local)"), "{err}");
    let relative = kubeconfig_with(|d| {
        let cluster = &mut d["clusters"][0]["cluster"];
        cluster.as_mapping_mut().unwrap().remove("certificate-authority-data");
        set(cluster, &["certificate-authority"], "pki/ca.crt".into());
    });
    let err = api::cluster_add(&t.engine, &me(), kept("x", relative)).await.unwrap_err().to_string();
    assert!(err.contains("relative path (pki/ca.crt)") && err.contains("kubectl config view --flatten"), "{err}");
    let err =
        api::cluster_add(&t.engine, &me(), NewCluster { name: "x".into(), ..NewCluster::default() }).await.unwrap_err();
    assert_eq!(field_paths(err), ["context"], "a cluster needs a context or a kubeconfig");
    let bad_ns = NewCluster { namespace: Some("Web_1".into()), ..by_context("has space", "local") };
    assert_eq!(field_paths(api::cluster_add(&t.engine, &me(), bad_ns).await.unwrap_err()), ["name", "namespace"]);
    api::cluster_add(&t.engine, &me(), by_context("dev", "local")).await.unwrap();
    assert_eq!(
        field_paths(api::cluster_add(&t.engine, &me(), by_context("dev", "local")).await.unwrap_err()),
        ["name"]
    );
}
