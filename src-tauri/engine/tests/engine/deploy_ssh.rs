//! ssh steps against a real sshd on loopback: the script on the host with the run's values as
//! environment (never as text), its exit status and both streams in the log; a cancel and a
//! timeout that stop the remote processes; a host whose key changed refused.

use std::time::{Duration, Instant};

use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::{api, secrets};

use crate::docker_support::*;
use crate::support::*;

async fn ssh_template(t: &TestEngine, sshd: &TestSshd, name: &str, script: &str, extra: &str) {
    secrets::secret_set(&t.engine, &me(), "HOST_KEY", &sshd.key).await.unwrap();
    let script = script.lines().map(|l| format!("  {l}\n")).collect::<String>();
    let yaml = format!(
        "kind: ssh\nname: {name}\nhost: root@127.0.0.1:{}\nkey: HOST_KEY\nparams: [{{ name: WHO, type: string, default: nobody }}]\n{extra}script: |\n{script}",
        sshd.port
    );
    apply(&t.engine, &yaml).await;
}

fn alive(pid: i32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
}

async fn pid_in(file: &std::path::Path) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(pid) = std::fs::read_to_string(file).ok().and_then(|t| t.trim().parse().ok()) {
            return pid;
        }
        assert!(Instant::now() < deadline, "the remote script never wrote {}", file.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_script_runs_on_the_host_with_values_as_environment_and_its_exit_status() {
    let t = engine().await;
    let sshd = TestSshd::start().await;
    ssh_template(&t, &sshd, "remote", "echo \"hello $WHO\"\necho to-stderr >&2\npwd\nexit 3\n", "workdir: /tmp\n")
        .await;
    let tricky = "it's $(touch /tmp/simple-cicd-pwned) `id`";
    let run = wait_end(&t.engine, start(&t.engine, "remote", &[("WHO", tricky)]).await.id).await;
    let log = log_text(&t.engine, run.id).await;
    assert_eq!((run.status, run.exit_code), (RunStatus::Failed, Some(3)), "{log:?}");
    assert!(log.contains(&format!("hello {tricky}")), "the value arrives as written: {log:?}");
    assert!(log.contains(&"to-stderr".to_string()) && log.contains(&"/tmp".to_string()), "{log:?}");
    assert!(!std::path::Path::new("/tmp/simple-cicd-pwned").exists(), "a value is never run as shell text");
}

#[tokio::test]
async fn a_cancel_stops_the_processes_on_the_host() {
    let t = engine().await;
    let sshd = TestSshd::start().await;
    let marker = t.dir.path().join("remote-pid");
    ssh_template(&t, &sshd, "long", &format!("echo $$ > {}\nsleep 300\n", marker.display()), "").await;
    let id = start(&t.engine, "long", &[]).await.id;
    let pid = pid_in(&marker).await;
    assert!(alive(pid), "the remote script runs");
    api::run_cancel(&t.engine, &me(), id).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!alive(pid), "the remote process {pid} was stopped");
    assert!(log_text(&t.engine, id).await.iter().any(|l| l.starts_with("Stopped the script's processes on")));
}

#[tokio::test]
async fn a_timeout_ends_the_step_and_the_remote_processes() {
    let t = engine().await;
    let sshd = TestSshd::start().await;
    let marker = t.dir.path().join("remote-pid");
    ssh_template(&t, &sshd, "slow", &format!("echo $$ > {}\nsleep 300\n", marker.display()), "timeoutSeconds: 3\n")
        .await;
    let id = start(&t.engine, "slow", &[]).await.id;
    let pid = pid_in(&marker).await;
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::TimedOut);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!alive(pid), "the remote process {pid} was stopped at the timeout");
}

#[tokio::test]
async fn a_host_whose_key_changed_is_refused() {
    let t = engine().await;
    let sshd = TestSshd::start().await;
    ssh_template(&t, &sshd, "pinned", "echo ok\n", "").await;
    let first = wait_end(&t.engine, start(&t.engine, "pinned", &[]).await.id).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, first.id).await);
    // Another machine answers at that address now: its key replaces the pinned one.
    let known = t.dir.path().join("ssh").join("known_hosts");
    let pinned = std::fs::read_to_string(&known).expect("the first connection pinned the host key");
    let other = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(other.path().join("k"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let other_key = std::fs::read_to_string(other.path().join("k.pub")).unwrap();
    let host = pinned.split_whitespace().next().unwrap().to_string();
    let mut words = other_key.split_whitespace();
    std::fs::write(&known, format!("{host} {} {}\n", words.next().unwrap(), words.next().unwrap())).unwrap();
    let second = wait_end(&t.engine, start(&t.engine, "pinned", &[]).await.id).await;
    assert_eq!(second.status, RunStatus::Failed);
    let error = second.error.unwrap_or_default();
    assert!(error.contains("host key") && error.contains("refused"), "{error}");
}

#[tokio::test]
async fn bad_hosts_and_empty_scripts_are_refused_at_save() {
    let t = engine().await;
    let err =
        api::template_apply_yaml(&t.engine, &me(), "kind: ssh\nname: x\nhost: '-oProxyCommand=evil'\nscript: ''\n")
            .await
            .unwrap_err()
            .to_string();
    assert!(err.contains("user@host") && err.contains("script is empty"), "{err}");
    let err = api::template_apply_yaml(&t.engine, &me(), "kind: ssh\nname: y\nhost: a@b\nscript: x\nimage: alpine\n")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("not used by an ssh template"), "{err}");
}
