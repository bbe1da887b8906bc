//! `scicd endpoint`, `scicd registry` and Docker runs through the real binary, against the real
//! daemon (scripts/services/dockerd.sh) and a docker-registry started here.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::*;

const BASE_IMAGE: &str = "simple-cicd-test/busybox:1";

fn tls_dir() -> std::path::PathBuf {
    std::env::var_os("SIMPLE_CICD_DOCKER_TLS_DIR")
        .map(Into::into)
        .unwrap_or_else(|| "/var/lib/simple-cicd-test/docker-tls".into())
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// A data directory whose secrets go to the encrypted file (the keyring is tested elsewhere).
fn scicd() -> Scicd {
    let s = Scicd::new();
    let out = s.run(&["config", "set", "secrets.backend", "file"]);
    assert!(out.status.success(), "{}", stderr(&out));
    s
}

fn run(s: &Scicd, args: &[&str]) -> std::process::Output {
    s.cmd().args(args).env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase").stdin(Stdio::null()).output().unwrap()
}

/// The busybox base image, built by scicd itself from busybox-static.
fn base_image(s: &Scicd) {
    let ctx = s.dir.path().join("base-ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::copy("/bin/busybox", ctx.join("busybox")).expect("busybox-static provides /bin/busybox");
    s.apply(&format!(
        "kind: docker-build\nname: base\ncontext: {}\ndockerfileInline: |\n  FROM scratch\n  COPY busybox /bin/busybox\n  RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\ntags: [\"{BASE_IMAGE}\"]\n",
        ctx.display()
    ));
    let out = run(s, &["run", "base"]);
    assert!(out.status.success(), "the base image builds: {}{}", stdout(&out), stderr(&out));
}

fn containers_of(template: &str) -> String {
    let out = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("label=dev.simple-cicd.template={template}")])
        .output()
        .expect("the docker CLI is installed");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn endpoints_are_added_listed_tested_and_removed() {
    let s = scicd();
    let dir = tls_dir();
    let file = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let out = run(
        &s,
        &[
            "endpoint",
            "add",
            "tls",
            "tcp://127.0.0.1:2376",
            "--tls-ca",
            &file("ca.pem"),
            "--tls-cert",
            &file("cert.pem"),
            "--tls-key",
            &file("key.pem"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&s, &["endpoint", "test", "tls"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    for field in ["Docker Engine", "API version", "OS", "CPUs", "Memory", "Images", "Containers"] {
        assert!(text.contains(field), "`endpoint test` shows {field}: {text}");
    }
    let list: serde_json::Value = serde_json::from_slice(&run(&s, &["endpoint", "list", "--json"]).stdout).unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["local", "tls"]);
    let out = run(&s, &["endpoint", "add", "half", "tcp://127.0.0.1:2376", "--tls-ca", &file("ca.pem")]);
    assert_eq!(out.status.code(), Some(2), "clap wants all three TLS files: {}", stderr(&out));
    let out = run(&s, &["endpoint", "add", "plain", "tcp://127.0.0.1:2376"]);
    assert!(out.status.success());
    let out = run(&s, &["endpoint", "test", "plain"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("requires TLS"), "{}", stderr(&out));
    assert!(run(&s, &["endpoint", "rm", "tls"]).status.success());
    let out = run(&s, &["endpoint", "test", "tls"]);
    assert_eq!(out.status.code(), Some(2), "an unknown endpoint is a usage error: {}", stderr(&out));
}

#[test]
fn a_user_outside_the_docker_group_is_told_why() {
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m)).unwrap_or(1);
    assert_eq!(uid, 0, "this test switches to the user nobody, which needs root (the suite runs as root)");
    let s = Scicd::new();
    let data = s.dir.path().join("nobody");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_scicd"))
        .arg("--data-dir")
        .arg(&data)
        .args(["endpoint", "test", "local"])
        .output()
        .expect("setpriv (util-linux) runs");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "permission denied on the Docker socket unix:///var/run/docker.sock: add your user to the `docker` group"
        ),
        "{}",
        stderr(&out)
    );
}

struct Registry {
    host: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn registry() -> Registry {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    std::fs::write(
        dir.path().join("config.yml"),
        format!("version: 0.1\nlog: {{ level: error }}\nstorage: {{ filesystem: {{ rootdirectory: {} }} }}\nhttp: {{ addr: 127.0.0.1:{port} }}\n", dir.path().join("data").display()),
    )
    .unwrap();
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(dir.path().join("config.yml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("apt install docker-registry");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Registry { host: format!("127.0.0.1:{port}"), child, _dir: dir }
}

#[test]
fn a_registry_password_comes_from_stdin_and_never_comes_back() {
    let s = scicd();
    let mut child = s
        .cmd()
        .args(["registry", "add", "hub", "registry.example.com", "--username", "ci", "--password-stdin"])
        .env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"tok-3n-value\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("password in the encrypted file"), "names the active store: {}", stdout(&out));
    let list = stdout(&run(&s, &["registry", "list", "--json"]));
    assert!(list.contains("\"hasPassword\": true") && !list.contains("tok-3n"), "{list}");
    let reg = registry();
    assert!(run(&s, &["registry", "add", "mine", &reg.host]).status.success());
    let out = run(&s, &["registry", "test", "mine"]);
    assert!(out.status.success() && stdout(&out).contains("Login Succeeded"), "{}{}", stdout(&out), stderr(&out));
    assert!(run(&s, &["registry", "rm", "hub"]).status.success());
    assert!(!stdout(&run(&s, &["registry", "list"])).contains("hub"));
}

#[test]
fn a_build_and_push_show_the_image_and_digest_on_the_run() {
    let s = scicd();
    base_image(&s);
    let reg = registry();
    assert!(run(&s, &["registry", "add", "mine", &reg.host]).status.success());
    let ctx = s.dir.path().join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(ctx.join("Dockerfile"), format!("FROM {BASE_IMAGE}\nCOPY id.txt /\nRUN cat /id.txt\n")).unwrap();
    let id = unique("image");
    std::fs::write(ctx.join("id.txt"), &id).unwrap();
    s.apply(&format!(
        "kind: docker-build\nname: app\ncontext: {}\ntags: [\"{}/app:${{SIMPLE_CICD_RUN_NUMBER}}\"]\npush: {{ registry: mine }}\n",
        ctx.display(),
        reg.host
    ));
    let out = run(&s, &["run", "app"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains(&id) && text.contains("Pushed"), "the build and the push stream live: {text}");
    let show = stdout(&run(&s, &["runs", "show", "2"]));
    assert!(show.contains("Image:     sha256:") && show.contains(&format!("Tag:       {}/app:1", reg.host)), "{show}");
    assert!(show.contains("Pushed:    sha256:"), "{show}");
}

#[test]
fn kill_9_during_a_container_step_leaves_no_container_after_recovery() {
    let s = scicd();
    base_image(&s);
    let name = unique("victim");
    s.apply(&format!("kind: shell\nname: {name}\nimage: {BASE_IMAGE}\nscript: |\n  echo started\n  sleep 300\n"));
    let id: i64 = stdout(&run(&s, &["run", &name, "--detach"])).trim().parse().unwrap();
    s.wait_status(id, |st| st == "running");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !stdout(&run(&s, &["logs", &id.to_string()])).contains("started") {
        assert!(std::time::Instant::now() < deadline, "the container step started");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!containers_of(&name).is_empty(), "the container runs, labelled with the run");
    let worker = find_worker(s.dir.path()).expect("the detached worker is running");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(worker), nix::sys::signal::Signal::SIGKILL).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!containers_of(&name).is_empty(), "the container outlives its killed owner until recovery");
    let shown = s.run_json(id); // any scicd start recovers
    assert_eq!(shown["status"], "interrupted");
    assert_eq!(containers_of(&name), "", "recovery removed the dead run's container");
    let logs = stderr(&run(&s, &["logs", &id.to_string()]));
    assert!(logs.contains("1 leftover container(s) removed from endpoint local"), "a system line: {logs}");
}

fn find_worker(dir: &std::path::Path) -> Option<i32> {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        (cmd.contains("__worker") && cmd.contains(&needle)).then_some(pid)
    })
}

/// `endpoint test NAME --json` on an endpoint that fails: exit 3, the cause in words on stderr,
/// and `{code, message, params}` on stdout (a script that asked for JSON gets JSON).
fn failed_test(s: &Scicd, name: &str, url: &str) -> (String, serde_json::Value) {
    let out = run(s, &["endpoint", "add", name, url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(s, &["endpoint", "test", name, "--json"]);
    assert_eq!(out.status.code(), Some(3), "a failed test is an environment failure: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("--json prints JSON on failure too ({e}): {}", stdout(&out)));
    (stderr(&out), json)
}

#[test]
fn a_refused_endpoint_test_names_the_refused_connection_and_prints_json() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s = scicd();
    let (text, json) = failed_test(&s, "refused", &format!("tcp://127.0.0.1:{port}"));
    assert!(text.contains("connection refused") && text.contains("nothing listens"), "names the cause: {text}");
    assert_eq!(json["code"], "docker_refused", "the UI translates by code: {json}");
    assert_eq!(json["params"]["url"], format!("tcp://127.0.0.1:{port}"), "{json}");
    assert!(json["message"].as_str().unwrap().contains("connection refused"), "{json}");
}

#[test]
fn an_endpoint_that_answers_http_but_not_as_docker_says_so() {
    // What the review saw at tcp://10.0.0.5:2376: an HTTP server (a gateway) answering 404 with an
    // empty body, shown as "Docker at ... answered:" with nothing after it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    let s = scicd();
    let (text, json) = failed_test(&s, "not-docker", &format!("tcp://127.0.0.1:{port}"));
    assert!(!text.trim_end().ends_with("answered:"), "the cause is never empty: {text}");
    assert!(text.contains("HTTP 404 Not Found") && text.contains("not the Docker Engine API"), "{text}");
    assert_eq!(json["code"], "docker_daemon", "{json}");
    assert_eq!(json["params"]["status"], "404 Not Found", "{json}");
}

#[test]
fn an_endpoint_that_accepts_but_never_answers_times_out_and_says_after_how_long() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let s = scicd();
    let out = run(&s, &["endpoint", "add", "silent", &format!("tcp://127.0.0.1:{port}")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = s
        .cmd()
        .args(["endpoint", "test", "silent", "--json"])
        .env("SIMPLE_CICD_DOCKER_CONNECT_TIMEOUT_SECONDS", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    drop(listener);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not answer within 1 s"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((json["code"].as_str(), json["params"]["seconds"].as_str()), (Some("docker_timeout"), Some("1")));
}

#[test]
fn a_registry_that_does_not_resolve_is_reported_without_transport_noise() {
    let s = scicd();
    let out = run(&s, &["registry", "add", "company", "registry.example.invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&s, &["registry", "test", "company"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("not reachable at registry.example.invalid"), "says what happened: {text}");
    assert!(text.contains("does not resolve"), "names the cause in words: {text}");
    for noise in ["client error", "(Connect)", "dns error:", "os error"] {
        assert!(!text.contains(noise), "no transport noise ({noise}): {text}");
    }
    let out = run(&s, &["registry", "test", "company", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["code"], "registry_unreachable", "the UI's short status comes from the code: {json}");
    assert_eq!(json["params"]["host"], "registry.example.invalid", "{json}");
}

/// The pipeline users write: build and push the image, then deploy it with compose by digest.
fn shop_pipeline(reg: &str, project: &str, port: u16, ctx: &std::path::Path) -> String {
    format!(
        r#"kind: pipeline
name: {project}
steps:
  - name: image
    kind: docker-build
    context: {ctx}
    tags: ["{reg}/{project}:${{SIMPLE_CICD_RUN_NUMBER}}"]
    push: {{ registry: mine }}
  - name: deploy
    kind: compose
    project: {project}
    waitSeconds: 30
    env: {{ IMAGE: "${{steps.image.outputs.image}}" }}
    compose: |
      services:
        web:
          image: ${{IMAGE}}
          ports: ["127.0.0.1:{port}:8080"]
          healthcheck: {{ test: ["CMD", "true"], interval: 1s }}
"#,
        ctx = ctx.display()
    )
}

fn served(port: u16) -> String {
    let out = Command::new("curl").args(["-sf", &format!("http://127.0.0.1:{port}/")]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_pipeline_builds_pushes_and_deploys_by_digest_and_scicd_app_rolls_it_back() {
    let s = scicd();
    base_image(&s);
    let reg = registry();
    assert!(run(&s, &["registry", "add", "mine", &reg.host]).status.success());
    let ctx = s.dir.path().join("site");
    std::fs::create_dir_all(&ctx).unwrap();
    let write_site = |content: &str| {
        std::fs::write(
            ctx.join("Dockerfile"),
            format!("FROM {BASE_IMAGE}\nRUN mkdir /www && echo {content} > /www/index.html\nCMD [\"httpd\", \"-f\", \"-v\", \"-p\", \"8080\", \"-h\", \"/www\"]\n"),
        )
        .unwrap();
    };
    let project = unique("shop").replace('_', "-");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    s.apply(&shop_pipeline(&reg.host, &project, port, &ctx));
    write_site("first-site");
    let out = run(&s, &["run", &project]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(served(port), "first-site");
    write_site("second-site");
    let out = run(&s, &["run", &project]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(served(port), "second-site");

    let list = stdout(&run(&s, &["app", "list"]));
    assert!(list.contains(&project) && list.contains("#2 deployed"), "{list}");
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&run(&s, &["app", "show", &project, "--json"]))).unwrap();
    let pinned = |rev: usize| shown["revisions"][rev]["services"][0]["pinned"].as_str().unwrap_or_default().to_string();
    assert!(pinned(1).contains(&format!("{}/{project}@sha256:", reg.host)), "deployed by digest: {shown}");
    assert_eq!(shown["healthy"], true, "{shown}");
    let config = shown["revisions"][0]["config"].as_str().unwrap_or_default();
    assert!(config.contains("${IMAGE}"), "the configuration is kept as written: {config}");
    let diff = stdout(&run(&s, &["app", "diff", &project, "1", "2"]));
    let web = diff.lines().find(|l| l.starts_with("~ ") && l.contains("web")).unwrap_or_default();
    assert!(web.contains(&pinned(1)) && web.contains(&pinned(0)), "the image changed by digest: {diff}");
    assert!(diff.contains("Configuration: the same in #1 and #2"), "the file did not change, only ${{IMAGE}}: {diff}");

    let out = run(&s, &["app", "rollback", &project, "--to", "1"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(served(port), "first-site", "the rollback serves the first site again");
    let logs = stdout(&run(&s, &["app", "logs", &project, "web", "--tail", "50"]));
    assert!(logs.contains("web-1") && logs.contains("response:200"), "the service's log: {logs}");
    let unknown = run(&s, &["app", "rollback", &project, "--to", "9"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("has no revision #9"), "{}", stderr(&unknown));
    let out = run(&s, &["app", "down", &project]);
    assert!(out.status.success() && stdout(&out).contains("volumes kept"), "{}{}", stdout(&out), stderr(&out));
    assert!(served(port).is_empty());
}
