//! `scicd cluster` through the real binary, against the real Kubernetes of
//! scripts/services/k8s.sh (started by scripts/test.sh's services step) and the real kubectl.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

use crate::support::*;

fn admin_kubeconfig() -> PathBuf {
    let path = std::env::var_os("SIMPLE_CICD_TEST_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/k8s-local/run/admin.kubeconfig"));
    assert!(path.is_file(), "{} is missing: start the test cluster with scripts/services/k8s.sh start", path.display());
    path
}

fn kubectl() -> String {
    let path =
        std::env::var("SIMPLE_CICD_KUBECTL").unwrap_or_else(|_| "/var/cache/simple-cicd/tools/kubectl/kubectl".into());
    assert!(std::path::Path::new(&path).is_file(), "{path} is missing: install it with scripts/deploy-tools.sh");
    path
}

/// A data directory using the test cluster's kubectl, its admin kubeconfig as "the user's", and
/// the encrypted file for secrets.
fn scicd() -> Scicd {
    let s = Scicd::new();
    for (k, v) in [
        ("secrets.backend", "file".to_string()),
        ("kube.kubectl", kubectl()),
        ("kube.kubeconfig", admin_kubeconfig().to_string_lossy().into_owned()),
    ] {
        let out = s.run(&["config", "set", k, &v]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    s
}

fn run(s: &Scicd, args: &[&str]) -> Output {
    s.cmd().args(args).env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase").stdin(Stdio::null()).output().unwrap()
}

#[test]
fn clusters_are_added_from_a_context_listed_tested_and_removed() {
    let s = scicd();
    let out = run(&s, &["cluster", "contexts"]);
    assert!(stdout(&out).contains("local") && stdout(&out).contains("https://127.0.0.1:6443"), "{}", stdout(&out));
    let out = run(&s, &["cluster", "add", "dev", "--context", "local", "-n", "apps"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Added cluster dev (context local of your kubeconfig, namespace apps)"),
        "{}",
        stdout(&out)
    );

    let out = run(&s, &["cluster", "test", "dev"]);
    assert!(out.status.success(), "the test cluster answers: {}", stderr(&out));
    let text = stdout(&out);
    for part in ["Kubernetes  v1.20.2 (linux/amd64)", "Namespace   apps", "  Ready  v1.20.2"] {
        assert!(text.contains(part), "`cluster test` shows {part}: {text}");
    }
    let out = run(&s, &["cluster", "test", "dev", "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["serverVersion"], "v1.20.2");
    assert_eq!(info["nodes"][0]["ready"], true, "{info}");

    let list: serde_json::Value = serde_json::from_slice(&run(&s, &["cluster", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["name"], "dev");
    assert_eq!(list[0]["source"], "context");
    assert!(run(&s, &["cluster", "remove", "dev"]).status.success());
    let out = run(&s, &["cluster", "test", "dev"]);
    assert_eq!(out.status.code(), Some(2), "an unknown cluster is a usage error: {}", stderr(&out));
    assert!(
        stderr(&out).contains("the cluster dev does not exist: add it with `scicd cluster add dev"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_kubeconfig_from_standard_input_is_kept_and_a_dead_server_fails_with_json() {
    let s = scicd();
    let text = std::fs::read_to_string(admin_kubeconfig()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dead = text.replace("https://127.0.0.1:6443", &format!("https://127.0.0.1:{port}"));
    let mut child = s
        .cmd()
        .args(["cluster", "add", "gone", "--kubeconfig", "-"])
        .env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(dead.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("the kubeconfig kept in the keyring"), "{}", stdout(&out));

    let out = run(&s, &["cluster", "test", "gone", "--json"]);
    assert_eq!(out.status.code(), Some(3), "an unreachable cluster is an environment failure: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--json prints JSON on failure too");
    assert_eq!(json["code"], "cluster_unreachable", "{json}");
    assert_eq!(json["params"]["cause"], "connection refused", "{json}");
    assert!(stderr(&out).contains(&format!("https://127.0.0.1:{port} is not reachable")), "{}", stderr(&out));
}

#[test]
fn a_context_that_is_not_in_the_kubeconfig_is_refused_with_the_ones_that_are() {
    let s = scicd();
    let out = run(&s, &["cluster", "add", "x", "--context", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("context: your kubeconfig")
            && stderr(&out).contains("has no context nope (it has local)"),
        "{}",
        stderr(&out)
    );
}

/// The demo chart of the engine's Helm tests: a Deployment of the cluster's local nginx stand-in
/// whose pod template carries `message`.
const CHART: &[(&str, &str)] = &[
    ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
    ("values.yaml", "message: hello\n"),
    (
        "templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: {{ .Release.Name }}}}\n  template:\n    metadata:\n      labels: {app: {{ .Release.Name }}}\n      annotations: {message: {{ .Values.message | quote }}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.16.0\n        imagePullPolicy: Never\n        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}\n",
    ),
];

#[test]
fn a_helm_release_is_an_app_shown_rolled_back_redeployed_and_uninstalled() {
    let s = scicd();
    let helm = std::env::var("SIMPLE_CICD_HELM3").unwrap_or_else(|_| "/var/cache/simple-cicd/tools/helm3/helm".into());
    assert!(run(&s, &["config", "set", "kube.helm", &helm]).status.success());
    assert!(run(&s, &["cluster", "add", "k", "--context", "local"]).status.success());
    let src = tempfile::tempdir().unwrap();
    for (file, text) in CHART {
        let path = src.path().join("chart").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").current_dir(src.path()).args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "chart"]);
    let url = format!("file://{}", src.path().display());
    assert!(run(&s, &["repo", "add", "charts", &url]).status.success());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let ns = format!("cli-helm-{nanos}");
    s.apply(&format!(
        "kind: helm\nname: web\nsource: {{ repo: charts, ref: main }}\nparams: [{{ name: MESSAGE, type: string, default: one }}]\nchartPath: chart\nnamespace: {ns}\ncluster: k\nwaitSeconds: 90\nset: {{ message: \"${{MESSAGE}}\" }}\n"
    ));
    for message in ["one", "two"] {
        let out = run(&s, &["run", "web", "-p", &format!("MESSAGE={message}")]);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }
    let app = format!("web@k/{ns}");
    let list = stdout(&run(&s, &["app", "list"]));
    assert!(list.contains(&format!("k/{ns}")) && list.contains("#2 deployed"), "{list}");
    let show = stdout(&run(&s, &["app", "show", &app]));
    assert!(show.contains("Helm release in cluster/namespace") && show.contains("Helm revision 2, deployed"), "{show}");
    assert!(show.contains("deployed (helm 1)") && show.contains("healthy, in sync"), "{show}");

    let out = run(&s, &["app", "rollback", &app, "--to", "1"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&run(&s, &["app", "show", &app, "--json"]))).unwrap();
    let trigger = shown["revisions"][0]["trigger"].as_str().unwrap_or_default();
    assert!(trigger.starts_with("rollback to #1 by "), "{shown}");
    assert_eq!(shown["helm"]["helmRevision"], 3, "{shown}");
    let out = run(&s, &["app", "redeploy", &app]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let out = run(&s, &["app", "down", &app]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&run(&s, &["app", "show", &app, "--json"]))).unwrap();
    assert_eq!(shown["helm"]["status"], "missing", "uninstalled: {shown}");
}
