//! Real git servers on loopback for the tests: a repository on disk (file://), `git daemon`
//! (git://), lighttpd + git-http-backend (smart HTTP, with a basic-auth area), and sshd with a
//! generated host key and client key. Each server is a child process killed when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ann Dev")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Ann Dev")
        .env("GIT_COMMITTER_EMAIL", "ann@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A work repository and its bare copy that the servers serve (`<root>/repo.git`).
pub struct Fixture {
    pub dir: TempDir,
    pub work: PathBuf,
    pub bare: PathBuf,
}

impl Fixture {
    /// Two commits on main (the first tagged v1, annotated), a branch dev with one more.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        std::fs::create_dir(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        std::fs::write(work.join("README.md"), "hello\n").unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", "first commit"]);
        git(&work, &["tag", "-a", "v1", "-m", "version 1"]);
        std::fs::write(work.join("build.sh"), "echo built\n").unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", "second commit\n\nwith a body"]);
        git(&work, &["checkout", "-qb", "dev"]);
        std::fs::write(work.join("dev.txt"), "dev\n").unwrap();
        git(&work, &["add", "."]);
        git(&work, &["commit", "-qm", "dev work"]);
        git(&work, &["checkout", "-q", "main"]);
        let srv = dir.path().join("srv");
        std::fs::create_dir(&srv).unwrap();
        let bare = srv.join("repo.git");
        git(dir.path(), &["clone", "-q", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()]);
        git(&bare, &["config", "http.receivepack", "true"]);
        Fixture { dir, work, bare }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("srv")
    }

    pub fn file_url(&self) -> String {
        format!("file://{}", self.bare.display())
    }

    /// Commits a file on `branch` and pushes it to the bare repository; returns the new SHA.
    pub fn commit(&self, branch: &str, file: &str, message: &str) -> String {
        git(&self.work, &["checkout", "-q", branch]);
        std::fs::write(self.work.join(file), message).unwrap();
        git(&self.work, &["add", "."]);
        git(&self.work, &["commit", "-qm", message]);
        git(&self.work, &["push", "-q", self.bare.to_str().unwrap(), branch]);
        let sha = git(&self.work, &["rev-parse", "HEAD"]);
        git(&self.work, &["checkout", "-q", "main"]);
        sha
    }

    pub fn sha(&self, rev: &str) -> String {
        git(&self.bare, &["rev-parse", &format!("{rev}^{{commit}}")])
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_listening(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before it listened: {status}");
        }
        assert!(Instant::now() < deadline, "{what} did not listen on {port} within 10 s");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// A server process, killed on drop.
pub struct Server {
    pub port: u16,
    child: Child,
    _dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A program of git's exec path (`git --exec-path`), e.g. `git-daemon`.
fn git_program(name: &str) -> String {
    let exec = Command::new("git").arg("--exec-path").output().expect("git --exec-path");
    format!("{}/{name}", String::from_utf8_lossy(&exec.stdout).trim())
}

/// `git daemon` serving `root` on a free port.
pub fn git_daemon(root: &Path) -> Server {
    let port = free_port();
    // git-daemon itself, not `git daemon`: that wrapper would leave git-daemon running when killed.
    let mut child = Command::new(git_program("git-daemon"))
        .args(["--reuseaddr", "--export-all", "--listen=127.0.0.1"])
        .arg(format!("--port={port}"))
        .arg(format!("--base-path={}", root.display()))
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("git daemon starts");
    wait_listening(port, &mut child, "git daemon");
    Server { port, child, _dir: tempfile::tempdir().unwrap() }
}

/// lighttpd + git-http-backend serving `root`: `/git/<repo>` anonymously and `/auth/<repo>` only
/// with basic auth `user:password`.
pub fn smart_http(root: &Path, user: &str, password: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let backend = git_program("git-http-backend");
    std::fs::write(dir.path().join("users"), format!("{user}:{password}\n")).unwrap();
    let conf = format!(
        r#"server.modules = ( "mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv" )
server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{dir}/error.log"
alias.url = ( "/git" => "{backend}", "/auth" => "{backend}" )
auth.backend = "plain"
auth.backend.plain.userfile = "{dir}/users"
auth.require = ( "/auth" => ( "method" => "basic", "realm" => "git", "require" => "valid-user" ) )
$HTTP["url"] =~ "^/(git|auth)" {{
  cgi.assign = ( "" => "" )
  setenv.add-environment = ( "GIT_PROJECT_ROOT" => "{root}", "GIT_HTTP_EXPORT_ALL" => "1" )
}}
"#,
        root = root.display(),
        dir = dir.path().display(),
    );
    let path = dir.path().join("lighttpd.conf");
    std::fs::write(&path, conf).unwrap();
    let exe = if Path::new("/usr/sbin/lighttpd").exists() { "/usr/sbin/lighttpd" } else { "lighttpd" };
    let mut child = Command::new(exe)
        .arg("-D")
        .arg("-f")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lighttpd starts (apt install lighttpd)");
    wait_listening(port, &mut child, "lighttpd");
    Server { port, child, _dir: dir }
}

/// An SSH client key pair.
pub struct Key {
    pub private: String,
    pub public: String,
}

pub fn ssh_key(dir: &Path, name: &str, passphrase: &str) -> Key {
    let path = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Key {
        private: std::fs::read_to_string(&path).unwrap(),
        public: std::fs::read_to_string(path.with_extension("pub")).unwrap(),
    }
}

/// sshd on a free port with its own host key, accepting `authorized` for the current user.
pub fn sshd(authorized: &[&Key]) -> Server {
    sshd_on(free_port(), authorized)
}

/// sshd on `port`.
pub fn sshd_on(port: u16, authorized: &[&Key]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let host_key = dir.path().join("host_ed25519");
    let out = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&host_key).output().unwrap();
    assert!(out.status.success());
    let keys: Vec<&str> = authorized.iter().map(|k| k.public.as_str()).collect();
    std::fs::write(dir.path().join("authorized_keys"), keys.join("")).unwrap();
    let conf = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
         PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nLogLevel ERROR\n",
        hk = host_key.display(),
        d = dir.path().display()
    );
    let path = dir.path().join("sshd_config");
    std::fs::write(&path, conf).unwrap();
    let _ = std::fs::create_dir_all("/run/sshd");
    let mut child = Command::new("/usr/sbin/sshd")
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sshd starts (apt install openssh-server)");
    wait_listening(port, &mut child, "sshd");
    Server { port, child, _dir: dir }
}

pub fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
