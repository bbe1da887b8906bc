//! `scicd repo`, `run --ref`, `runs show` with a commit, `triggers` and `serve`, as a user runs them.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Cli Tester")
        .env("GIT_AUTHOR_EMAIL", "cli@example.com")
        .env("GIT_COMMITTER_NAME", "Cli Tester")
        .env("GIT_COMMITTER_EMAIL", "cli@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository with main (two commits) and tag v1 on the first; returns (dir, url).
fn repo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("r");
    std::fs::create_dir(&w).unwrap();
    git(&w, &["init", "-q", "-b", "main"]);
    std::fs::write(w.join("a"), "1").unwrap();
    git(&w, &["add", "."]);
    git(&w, &["commit", "-qm", "first"]);
    git(&w, &["tag", "v1"]);
    std::fs::write(w.join("a"), "2").unwrap();
    git(&w, &["commit", "-qam", "second"]);
    let url = format!("file://{}", w.display());
    (dir, url)
}

const TEMPLATE: &str = "kind: shell\nname: app\nsource: { repo: app, ref: main }\nscript: echo \"at $SIMPLE_CICD_COMMIT_SHORT ${SIMPLE_CICD_BRANCH:-}${SIMPLE_CICD_TAG:-}\"\n";

#[test]
fn repo_add_list_test_and_rm_round_trip() {
    let s = Scicd::new();
    let (_d, url) = repo();
    let out = s.run(&["repo", "add", "app", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Saved repository app"), "{}", stdout(&out));
    let out = s.run(&["repo", "list"]);
    assert!(stdout(&out).contains("app") && stdout(&out).contains("generic"), "{}", stdout(&out));
    let out = s.run(&["repo", "test", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("1 branch, 1 tag in") && text.contains("main") && text.contains("v1"), "{text}");
    let out = s.run(&["repo", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["auth"], "none");
    let out = s.run(&["repo", "rm", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&s.run(&["repo", "list"])).contains("No repositories yet"));
}

#[test]
fn bad_urls_unreachable_hosts_and_missing_refs_are_clear_errors() {
    let s = Scicd::new();
    for (url, needle) in [
        ("https://github.com/o/r.git;reboot", "shell metacharacter `;`"),
        ("https://github.com/o/$(id).git", "shell metacharacter `$`"),
        ("https://me:pw@github.com/o/r.git", "keyring"),
        ("/srv/r.git", "file:///srv/r.git"),
    ] {
        let out = s.run(&["repo", "add", "x", url]);
        assert_eq!(out.status.code(), Some(2), "{url}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{url}: {}", stderr(&out));
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = s.run(&["repo", "add", "down", &format!("http://127.0.0.1:{port}/r.git")]);
    assert!(out.status.success());
    let out = s.run(&["repo", "test", "down"]);
    assert_eq!(out.status.code(), Some(4), "a remote problem has its own exit status");
    assert!(stderr(&out).contains("cannot reach http://127.0.0.1"), "{}", stderr(&out));

    let (_d, url) = repo();
    assert!(s.run(&["repo", "add", "app", &url]).status.success());
    s.apply(TEMPLATE);
    let out = s.run(&["run", "app", "--ref", "nope"]);
    assert_eq!(out.status.code(), Some(2), "a ref that does not exist is a usage mistake: {}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("`nope` is no branch or tag of repository app"), "{text}");
    assert!(text.contains("Branches: main; tags: v1"), "lists what exists: {text}");
    assert_eq!(stdout(&s.run(&["runs", "list", "--json"])).trim(), "[]", "no run was created for a missing ref");
    let out = s.run(&["run", "app", "--ref", "a b"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = s.run(&["repo", "rm", "app"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("used by templates app"), "{}", stderr(&out));
}

#[test]
fn run_with_a_ref_records_and_shows_the_commit() {
    let s = Scicd::new();
    let (d, url) = repo();
    assert!(s.run(&["repo", "add", "app", &url]).status.success());
    s.apply(TEMPLATE);
    let v1 = git(&d.path().join("r"), &["rev-parse", "v1"]);
    let out = s.run(&["run", "app", "--ref", "v1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("at {} v1", &v1[..8])), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("Cloning") && err.contains("Checked out tag v1"), "progress is in the log: {err}");
    let out = s.run(&["runs", "show", "1"]);
    let text = stdout(&out);
    assert!(text.contains(&format!("Commit:    {v1} (tag v1) of app")), "{text}");
    assert!(text.contains("Author:    Cli Tester <cli@example.com>") && text.contains("Message:   first"), "{text}");
    let detached = s.run(&["run", "app", "--ref", "v1", "--detach"]);
    assert!(detached.status.success(), "{}", stderr(&detached));
    let id: i64 = stdout(&detached).trim().parse().unwrap();
    let run = s.wait_status(id, |st| st != "queued" && st != "running");
    assert_eq!(run["commit"]["tag"], "v1", "--ref reaches detached runs: {run}");
}

#[test]
fn serve_listens_receives_a_signed_webhook_and_stops_on_sigterm() {
    let s = Scicd::new();
    let (_d, url) = repo();
    assert!(s.run(&["config", "set", "secrets.backend", "file"]).status.success());
    let with_key = |c: &mut Command| {
        c.env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase");
    };
    let mut set = s.cmd();
    with_key(&mut set);
    let mut child = set.args(["secret", "set", "HOOK"]).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"hook-secret\n").unwrap();
    assert!(child.wait().unwrap().success());
    assert!(s.run(&["repo", "add", "app", &url]).status.success());
    s.apply("kind: shell\nname: hooked\nsource: { repo: app }\ntriggers:\n  - webhook: { provider: github, secret: HOOK }\n  - cron: \"0 3 * * *\"\nscript: echo hooked\n");

    let mut serve = s.cmd();
    with_key(&mut serve);
    let mut server =
        serve.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening ").unwrap_or_else(|| panic!("no address in {line:?}")).to_string();

    let sha = git(&_d.path().join("r"), &["rev-parse", "HEAD"]);
    let body = format!(r#"{{"ref":"refs/heads/main","after":"{sha}"}}"#);
    let sig = simple_cicd_engine::trigger::sign_hub("hook-secret", body.as_bytes());
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /hooks/github/hooked HTTP/1.1\r\nHost: ci.example.com\r\nConnection: close\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: cli-1\r\nX-Hub-Signature-256: {sig}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    let run = s.wait_status(1, |st| st == "succeeded" || st == "failed");
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["commit"]["sha"], sha.as_str());

    let out = s.run(&["triggers", "hooked"]);
    let text = stdout(&out);
    assert!(
        text.contains("webhook  http://127.0.0.1:8750/hooks/github/hooked") && text.contains("cron     0 3 * * *"),
        "{text}"
    );
    assert!(text.contains("started") && text.contains("202"), "the delivery is listed: {text}");

    nix::sys::signal::kill(nix::unistd::Pid::from_raw(server.id() as i32), nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = server.wait().unwrap();
    assert!(status.success(), "serve ends cleanly on SIGTERM: {status}");
}

#[test]
fn ssh_agent_credentials_come_from_the_users_agent() {
    // scripts/bootstrap.sh installs openssh-server; a machine without it fails here, never skips.
    assert!(Path::new("/usr/sbin/sshd").exists(), "sshd is missing: run scripts/bootstrap.sh (openssh-server)");
    let s = Scicd::new();
    let (d, _) = repo();
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("id");
    assert!(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-f")
        .arg(&key)
        .status()
        .unwrap()
        .success());
    let sock = keys.path().join("agent.sock");
    let mut agent = Command::new("ssh-agent").arg("-D").arg("-a").arg(&sock).stdout(Stdio::null()).spawn().unwrap();
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &sock)
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success());
    let sshd = Sshd::start(&std::fs::read_to_string(key.with_extension("pub")).unwrap());
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let url = format!("ssh://{}@127.0.0.1:{}{}/r", user.trim(), sshd.port, d.path().display());
    assert!(s.run(&["repo", "add", "agent", &url, "--ssh-agent"]).status.success());
    let out = s.cmd().args(["repo", "test", "agent"]).env("SSH_AUTH_SOCK", &sock).output().unwrap();
    let _ = agent.kill();
    let _ = agent.wait();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 branch, 1 tag in"), "{}", stdout(&out));
}

/// sshd on a free port accepting one public key.
struct Sshd {
    port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Sshd {
    fn start(public: &str) -> Sshd {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let hk = dir.path().join("hk");
        assert!(Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", ""])
            .arg("-f")
            .arg(&hk)
            .status()
            .unwrap()
            .success());
        std::fs::write(dir.path().join("ak"), public).unwrap();
        let conf = dir.path().join("conf");
        std::fs::write(
            &conf,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {d}/pid\nAuthorizedKeysFile {d}/ak\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n",
                hk.display(),
                d = dir.path().display()
            ),
        )
        .unwrap();
        let _ = std::fs::create_dir_all("/run/sshd");
        let child =
            Command::new("/usr/sbin/sshd").arg("-D").arg("-f").arg(&conf).stderr(Stdio::null()).spawn().unwrap();
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        Sshd { port, child, _dir: dir }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_host_listed_in_known_hosts_with_another_key_is_refused_on_first_contact() {
    assert!(Path::new("/usr/sbin/sshd").exists(), "sshd is missing: run scripts/bootstrap.sh (openssh-server)");
    let s = Scicd::new();
    let (d, _) = repo();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("id");
    assert!(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-f")
        .arg(&key)
        .status()
        .unwrap()
        .success());
    let sshd = Sshd::start(&std::fs::read_to_string(key.with_extension("pub")).unwrap());
    // known_hosts names this server with some other key (the client's own public key will do).
    std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
    let other = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let blob = other.split_whitespace().nth(1).unwrap();
    std::fs::write(home.path().join(".ssh/known_hosts"), format!("[127.0.0.1]:{} ssh-ed25519 {blob}\n", sshd.port))
        .unwrap();
    assert!(s.run(&["config", "set", "secrets.backend", "file"]).status.success());
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
    let url = format!("ssh://{}@127.0.0.1:{}{}/r", user.trim(), sshd.port, d.path().display());
    let run = |args: &[&str]| {
        s.cmd()
            .args(args)
            .env("HOME", home.path())
            .env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["repo", "add", "pinned", &url, "--ssh-key", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["repo", "test", "pinned"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("SSH host key"), "{}", stderr(&out));
    std::fs::remove_file(home.path().join(".ssh/known_hosts")).unwrap();
    let out = run(&["repo", "test", "pinned"]);
    assert!(out.status.success(), "unknown to known_hosts: trusted on first use and pinned: {}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&run(&["repo", "list", "--json"]).stdout).unwrap();
    assert!(list[0]["hostKey"].as_str().unwrap().starts_with("SHA256:"), "{list}");
}
