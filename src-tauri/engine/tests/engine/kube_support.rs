//! The real Kubernetes cluster the cluster tests use (scripts/services/k8s.sh, started by
//! scripts/test.sh's services step) and kubeconfigs derived from its admin kubeconfig. When the
//! cluster is not there, the tests fail and say how to start it: they never skip.

use crate::support::me;
use std::path::PathBuf;
use std::process::Command;

use simple_cicd_engine::Engine;

/// The admin kubeconfig of the test cluster.
pub fn admin_kubeconfig() -> PathBuf {
    let path = std::env::var_os("SIMPLE_CICD_TEST_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/k8s-local/run/admin.kubeconfig"));
    assert!(
        path.is_file(),
        "the test cluster's kubeconfig {} is missing: start the cluster with scripts/services/k8s.sh start \
         (scripts/test.sh's services step does), or set SIMPLE_CICD_TEST_KUBECONFIG",
        path.display()
    );
    path
}

/// The kubectl the tests use (scripts/deploy-tools.sh installs it).
pub fn kubectl_path() -> PathBuf {
    let path = std::env::var_os("SIMPLE_CICD_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/simple-cicd/tools/kubectl/kubectl"));
    assert!(path.is_file(), "kubectl {} is missing: install it with scripts/deploy-tools.sh", path.display());
    path
}

/// The admin kubeconfig as YAML, to derive others from.
pub fn admin_doc() -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(admin_kubeconfig()).unwrap()).unwrap()
}

/// The admin kubeconfig changed by `f`, as text.
pub fn kubeconfig_with(f: impl FnOnce(&mut serde_yaml::Value)) -> String {
    let mut doc = admin_doc();
    f(&mut doc);
    serde_yaml::to_string(&doc).unwrap()
}

/// Points the engine at the test cluster: its kubectl, and the admin kubeconfig as "the user's"
/// (context `local`), unless `user_kubeconfig` names another file.
pub async fn use_test_cluster(engine: &Engine, user_kubeconfig: Option<&std::path::Path>) {
    let kubectl = kubectl_path();
    let user = user_kubeconfig.map(PathBuf::from).unwrap_or_else(admin_kubeconfig);
    simple_cicd_engine::settings::config_set(engine, &me(), "kube.kubectl", &kubectl.to_string_lossy()).await.unwrap();
    simple_cicd_engine::settings::config_set(engine, &me(), "kube.kubeconfig", &user.to_string_lossy()).await.unwrap();
}

/// This machine's hostname: the test cluster's one node.
pub fn node_name() -> String {
    let out = Command::new("hostname").output().expect("hostname runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A client certificate and key (base64 PEM, as kubeconfigs embed them) for user `cn`, signed by
/// the test cluster's CA: the API server knows who it is, and RBAC gives that user nothing.
pub fn user_signed_by_the_cluster(cn: &str) -> (String, String) {
    let pki = admin_kubeconfig().parent().unwrap().join("pki");
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    std::fs::write(p("ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        &format!("/CN={cn}"),
        "-keyout",
        &p("key"),
        "-out",
        &p("csr"),
    ]);
    let (ca, ca_key) = (pki.join("ca.crt"), pki.join("ca.key"));
    openssl(&[
        "x509",
        "-req",
        "-in",
        &p("csr"),
        "-CA",
        &ca.to_string_lossy(),
        "-CAkey",
        &ca_key.to_string_lossy(),
        "-CAcreateserial",
        "-CAserial",
        &p("serial"),
        "-days",
        "2",
        "-extfile",
        &p("ext"),
        "-out",
        &p("crt"),
    ]);
    (base64(&std::fs::read(p("crt")).unwrap()), base64(&std::fs::read(p("key")).unwrap()))
}

/// A CA certificate (base64 PEM) that did not sign the API server's certificate.
pub fn foreign_ca() -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=foreign CA",
        "-keyout",
        &p("k"),
        "-out",
        &p("c"),
    ]);
    base64(&std::fs::read(p("c")).unwrap())
}
