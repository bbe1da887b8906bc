//! The real services the Docker tests use. They install and start no daemon: dockerd must answer on
//! /var/run/docker.sock and, with TLS client certificates, on $SIMPLE_CICD_DOCKER_TLS_ADDR
//! (scripts/services/dockerd.sh does both). A registry (docker-registry) and an sshd are started
//! here, per test, on free loopback ports. Base images are built FROM scratch with busybox-static,
//! since nothing can be pulled.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bollard::query_parameters::{BuildImageOptionsBuilder, ListContainersOptionsBuilder, PushImageOptionsBuilder};
use bollard::Docker;
use futures_util::StreamExt;
use simple_cicd_engine::model::NewEndpoint;
use simple_cicd_engine::{api, Engine};

/// The base image every test builds on: busybox in an image built FROM scratch.
pub const BASE_IMAGE: &str = "simple-cicd-test/busybox:1";

/// A client of the local daemon; a clear failure when there is none.
pub fn docker() -> Docker {
    let docker = Docker::connect_with_unix("/var/run/docker.sock", 120, bollard::API_DEFAULT_VERSION);
    docker.expect("the Docker tests need dockerd on /var/run/docker.sock: run scripts/services/dockerd.sh")
}

static BASE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

/// Builds [`BASE_IMAGE`] once per test process (quick when the daemon already has it).
/// The build context of the base image: busybox-static installed into an empty image.
pub fn base_context() -> Vec<u8> {
    let busybox = std::fs::read("/bin/busybox").expect("busybox-static provides /bin/busybox");
    let dockerfile =
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in [("Dockerfile", dockerfile.as_bytes(), 0o644), ("busybox", busybox.as_slice(), 0o755)] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        tar.append_data(&mut h, name, data).unwrap();
    }
    tar.into_inner().unwrap()
}

pub async fn base_image() -> &'static str {
    BASE.get_or_init(|| async {
        let docker = docker();
        if docker.inspect_image(BASE_IMAGE).await.is_ok() {
            return;
        }
        let body = bollard::body_full(base_context().into());
        let options = BuildImageOptionsBuilder::default().t(BASE_IMAGE).rm(true).forcerm(true).build();
        let mut build = docker.build_image(options, None, Some(body));
        while let Some(item) = build.next().await {
            item.expect("the busybox base image builds");
        }
    })
    .await;
    BASE_IMAGE
}

/// Builds `image` from a Dockerfile alone (no other context), on the local daemon.
pub async fn build_dockerfile(image: &str, dockerfile: &str) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(dockerfile.len() as u64);
    h.set_mode(0o644);
    tar.append_data(&mut h, "Dockerfile", dockerfile.as_bytes()).unwrap();
    let body = bollard::body_full(tar.into_inner().unwrap().into());
    let docker = docker();
    let mut build = docker.build_image(BuildImageOptionsBuilder::default().t(image).rm(true).build(), None, Some(body));
    while let Some(item) = build.next().await {
        item.unwrap_or_else(|e| panic!("{image} builds: {e}"));
    }
}

/// Pushes `repo:tag` to its registry.
pub async fn push(repo: &str, tag: &str) {
    let docker = docker();
    let mut push = docker.push_image(repo, Some(PushImageOptionsBuilder::default().tag(tag).build()), None);
    while let Some(item) = push.next().await {
        item.unwrap_or_else(|e| panic!("{repo}:{tag} is pushed: {e}"));
    }
}

/// A name no other test (or earlier run) uses, for templates, tags and markers.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..10])
}

/// Containers (in any state) carrying the label of `template`.
pub async fn containers_of_template(template: &str) -> Vec<String> {
    let filters = HashMap::from([("label".to_string(), vec![format!("dev.simple-cicd.template={template}")])]);
    let options = ListContainersOptionsBuilder::default().all(true).filters(&filters).build();
    docker().list_containers(Some(options)).await.unwrap().into_iter().filter_map(|c| c.id).collect()
}

/// Containers (in any state) whose command mentions `marker` (the build's intermediate ones).
pub async fn containers_mentioning(marker: &str) -> Vec<String> {
    let options = ListContainersOptionsBuilder::default().all(true).build();
    let all = docker().list_containers(Some(options)).await.unwrap();
    all.into_iter().filter(|c| c.command.as_deref().unwrap_or("").contains(marker)).filter_map(|c| c.id).collect()
}

/// A free TCP port on 127.0.0.1 (free when this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub async fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited ({status}) before listening on port {port}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not listen on port {port} within 5 s");
}

/// A service process killed (by its own pid) when the value is dropped.
pub struct Service {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Service {
    /// `child`, killed with `dir` removed when the value is dropped.
    pub fn new(child: Child, dir: tempfile::TempDir) -> Service {
        Service { child, _dir: dir }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A docker-registry on a free port, with htpasswd authentication when `auth` is given.
pub struct TestRegistry {
    /// `127.0.0.1:PORT`.
    pub host: String,
    _service: Service,
}

impl TestRegistry {
    pub async fn start(auth: Option<(&str, &str)>) -> TestRegistry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog: {{ level: error }}\nstorage: {{ filesystem: {{ rootdirectory: {} }}, delete: {{ enabled: true }} }}\nhttp: {{ addr: 127.0.0.1:{port} }}\n",
            dir.path().join("data").display()
        );
        if let Some((user, password)) = auth {
            let hash = bcrypt::hash(password, 5).unwrap();
            std::fs::write(dir.path().join("htpasswd"), format!("{user}:{hash}\n")).unwrap();
            config.push_str(&format!(
                "auth: {{ htpasswd: {{ realm: simple-cicd-test, path: {} }} }}\n",
                dir.path().join("htpasswd").display()
            ));
        }
        std::fs::write(dir.path().join("config.yml"), config).unwrap();
        let mut child = Command::new("docker-registry")
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the registry tests need `docker-registry` (apt install docker-registry)");
        wait_for_port(port, "docker-registry", &mut child).await;
        TestRegistry { host: format!("127.0.0.1:{port}"), _service: Service { child, _dir: dir } }
    }

    /// The digest the registry holds for `repo:tag`.
    pub fn manifest_digest(&self, repo: &str, tag: &str, auth: Option<(&str, &str)>) -> Option<String> {
        let mut cmd = Command::new("curl");
        cmd.args(["-sfI", "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json"]);
        if let Some((u, p)) = auth {
            cmd.args(["-u", &format!("{u}:{p}")]);
        }
        let out = cmd.arg(format!("http://{}/v2/{repo}/manifests/{tag}", self.host)).output().ok()?;
        String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("docker-content-digest").then(|| v.trim().to_string())
        })
    }
}

/// Where scripts/services/dockerd.sh keeps the TLS files, and the TLS address.
pub fn tls_dir() -> PathBuf {
    std::env::var_os("SIMPLE_CICD_DOCKER_TLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/simple-cicd-test/docker-tls"))
}

pub fn tls_addr() -> String {
    std::env::var("SIMPLE_CICD_DOCKER_TLS_ADDR").unwrap_or_else(|_| "127.0.0.1:2376".into())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/services/dockerd.sh to create the TLS files", path.display()))
}

/// The TLS endpoint of the local daemon, with the client certificate it trusts.
pub fn tls_endpoint(name: &str) -> NewEndpoint {
    let dir = tls_dir();
    NewEndpoint {
        name: name.into(),
        url: format!("tcp://{}", tls_addr()),
        tls_ca: Some(read(&dir.join("ca.pem"))),
        tls_cert: Some(read(&dir.join("cert.pem"))),
        tls_key: Some(read(&dir.join("key.pem"))),
        ssh_key: None,
    }
}

/// A CA and a client certificate signed by it, which the daemon does not know.
pub struct RogueTls {
    pub ca: String,
    pub cert: String,
    pub key: String,
}

pub fn rogue_tls() -> RogueTls {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=rogue CA",
        "-keyout",
        &p("ca-key.pem"),
        "-out",
        &p("ca.pem"),
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=rogue client",
        "-keyout",
        &p("key.pem"),
        "-out",
        &p("c.csr"),
    ]);
    std::fs::write(dir.path().join("ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        &p("c.csr"),
        "-CA",
        &p("ca.pem"),
        "-CAkey",
        &p("ca-key.pem"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        &p("ext"),
        "-out",
        &p("cert.pem"),
    ]);
    RogueTls {
        ca: read(&dir.path().join("ca.pem")),
        cert: read(&dir.path().join("cert.pem")),
        key: read(&dir.path().join("key.pem")),
    }
}

/// An sshd on a free loopback port that lets root in with a key generated here.
pub struct TestSshd {
    pub port: u16,
    /// The private key it accepts.
    pub key: String,
    _service: Service,
}

fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(path).output().unwrap();
    assert!(out.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&out.stderr));
}

impl TestSshd {
    pub async fn start() -> TestSshd {
        let dir = tempfile::tempdir().unwrap();
        // A host key kept between runs, so ~/.ssh/known_hosts never holds a stale one for a port.
        let host_dir = std::env::temp_dir().join("simple-cicd-test-sshd");
        std::fs::create_dir_all(&host_dir).unwrap();
        let host_key = host_dir.join("host_ed25519");
        if !host_key.exists() {
            keygen(&host_key);
        }
        keygen(&dir.path().join("client"));
        std::fs::copy(dir.path().join("client.pub"), dir.path().join("authorized_keys")).unwrap();
        std::fs::create_dir_all("/run/sshd").unwrap();
        let port = free_port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPidFile none\n",
            host_key.display(),
            dir.path().join("authorized_keys").display()
        );
        std::fs::write(dir.path().join("sshd_config"), config).unwrap();
        let mut child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(dir.path().join("sshd_config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the ssh endpoint tests need openssh-server (/usr/sbin/sshd)");
        wait_for_port(port, "sshd", &mut child).await;
        let key = std::fs::read_to_string(dir.path().join("client")).unwrap();
        TestSshd { port, key, _service: Service { child, _dir: dir } }
    }
}

/// Adds an endpoint, failing the test with the engine's message when it cannot.
pub async fn add_endpoint(engine: &Engine, new: NewEndpoint) {
    let name = new.name.clone();
    api::endpoint_add(engine, &simple_cicd_engine::auth::Caller::cli(), new)
        .await
        .unwrap_or_else(|e| panic!("endpoint {name} is added: {e}"));
}
