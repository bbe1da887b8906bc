//! A private Docker daemon for the fault tests that stop Docker mid-step: its own socket, data
//! root, exec root, pid file and bridge, and no iptables rules, so stopping it touches nothing of
//! the shared daemon (/var/run/docker.sock) that other tests and CI use. Never `--bridge=none`:
//! a daemon started so deletes the host's `docker0`, the shared daemon's bridge. Dropping it stops
//! the daemon, kills what it left (its containerd and shims, found by the private directory in
//! their command line), unmounts what it mounted, deletes its bridge and removes the directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use simple_cicd_engine::model::NewEndpoint;
use simple_cicd_engine::Engine;

use crate::docker_support::{add_endpoint, base_context, BASE_IMAGE};

/// A dockerd of the test's own.
pub struct PrivateDockerd {
    /// `unix:///…/d.sock`.
    pub url: String,
    dir: tempfile::TempDir,
    child: Option<Child>,
    bridge: String,
    /// `10.251.N.`: the pool of the networks it creates (their bridges are removed with it).
    pool: String,
}

impl PrivateDockerd {
    /// Starts it and waits until it answers (a clear failure after 30 s, with its log).
    pub async fn start() -> PrivateDockerd {
        // Short: the socket paths (ours and containerd's, under exec/) must fit in sun_path.
        let dir = tempfile::Builder::new().prefix("scicd-fd").tempdir_in("/tmp").unwrap();
        let p = |n: &str| dir.path().join(n);
        let log = std::fs::File::create(p("dockerd.log")).unwrap();
        let (bridge, net) = own_bridge();
        let pool = format!("10.251.{net}.");
        let child = Command::new("dockerd")
            .arg("--data-root")
            .arg(p("data"))
            .arg("--exec-root")
            .arg(p("exec"))
            .arg("--pidfile")
            .arg(p("dockerd.pid"))
            .arg("-H")
            .arg(format!("unix://{}", p("d.sock").display()))
            .arg(format!("--bridge={bridge}"))
            .args(["--iptables=false", "--ip-masq=false", "--default-address-pool"])
            .arg(format!("base={pool}0/24,size=28"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the fault tests need dockerd (apt install docker.io)");
        let url = format!("unix://{}", p("d.sock").display());
        let mut d = PrivateDockerd { url, dir, child: Some(child), bridge, pool };
        for _ in 0..120 {
            let client = Docker::connect_with_unix(&d.url, 5, bollard::API_DEFAULT_VERSION);
            if let Ok(client) = client {
                if client.ping().await.is_ok() {
                    return d;
                }
            }
            if let Some(Ok(Some(status))) = d.child.as_mut().map(Child::try_wait) {
                panic!("the private dockerd exited ({status}): {}", d.log());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the private dockerd did not answer on {} within 30 s: {}", d.url, d.log());
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// A client of it.
    pub fn client(&self) -> Docker {
        Docker::connect_with_unix(&self.url, 120, bollard::API_DEFAULT_VERSION).unwrap()
    }

    /// Adds it to `engine` as endpoint `name`.
    pub async fn add_to(&self, engine: &Engine, name: &str) {
        add_endpoint(engine, NewEndpoint { name: name.into(), url: self.url.clone(), ..Default::default() }).await;
    }

    /// Builds the busybox base image (the same as on the shared daemon) in it.
    pub async fn base_image(&self) -> &'static str {
        let body = bollard::body_full(base_context().into());
        let options = BuildImageOptionsBuilder::default().t(BASE_IMAGE).rm(true).forcerm(true).build();
        let docker = self.client();
        let mut build = docker.build_image(options, None, Some(body));
        while let Some(item) = build.next().await {
            item.unwrap_or_else(|e| panic!("the base image builds in the private dockerd: {e}"));
        }
        BASE_IMAGE
    }

    /// Stops the daemon as `kill` (SIGTERM) does, and waits for it to exit (SIGKILL after 15 s).
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            for _ in 0..300 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Processes started for this daemon still alive (its containerd, shims, containers' inits).
    pub fn leftovers(&self) -> Vec<i32> {
        processes_mentioning(self.dir.path())
    }
}

impl Drop for PrivateDockerd {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        for pid in processes_mentioning(self.dir.path()) {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
        }
        std::thread::sleep(Duration::from_millis(200));
        unmount_under(self.dir.path());
        let _ = Command::new("ip").args(["link", "del", &self.bridge]).status();
        // The bridges of the networks it created (compose's `<project>_default`), by their pool.
        let out = Command::new("ip").args(["-o", "-4", "addr", "show"]).output();
        let text = out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains(&format!(" inet {}", self.pool))) {
            if let Some(name) = line.split_whitespace().nth(1) {
                let _ = Command::new("ip").args(["link", "del", name]).status();
            }
        }
    }
}

/// A bridge of its own (`scfd` + 8 hex digits) on a random 10.250.N.0/24, up; and N.
fn own_bridge() -> (String, u8) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("scfd{}", &id[..8]);
    let net = u8::from_str_radix(&id[8..10], 16).unwrap();
    for args in [
        vec!["link", "add", &name, "type", "bridge"],
        vec!["addr", "add", &format!("10.250.{net}.1/24"), "dev", &name],
        vec!["link", "set", &name, "up"],
    ] {
        let out = Command::new("ip").args(&args).output().expect("ip (iproute2) runs");
        assert!(out.status.success(), "ip {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    (name, net)
}

/// Live processes whose command line names `dir`.
fn processes_mentioning(dir: &Path) -> Vec<i32> {
    let needle = dir.to_string_lossy().into_owned();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let zombie = stat.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z'));
        if !zombie && String::from_utf8_lossy(&cmd).contains(&needle) {
            found.push(pid);
        }
    }
    found
}

/// Unmounts every mount under `dir`, deepest first.
fn unmount_under(dir: &Path) {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mut points: Vec<PathBuf> = mounts
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(PathBuf::from)
        .filter(|p| p.starts_with(dir))
        .collect();
    points.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for point in points {
        let _ = Command::new("umount").arg("-l").arg(&point).status();
    }
}
