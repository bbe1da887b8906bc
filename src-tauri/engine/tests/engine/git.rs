//! Git sources against real servers on loopback: file://, git daemon, smart HTTP (lighttpd +
//! git-http-backend, with basic auth) and sshd with keys; and the errors a user can meet.

use simple_cicd_engine::model::{RepoAuth, RepositoryInput, RunStatus};
use simple_cicd_engine::{api, Error, GitFailure};

use crate::git_servers::*;
use crate::support::*;

fn repo(name: &str, url: &str) -> RepositoryInput {
    RepositoryInput { name: name.into(), url: url.into(), ..Default::default() }
}

fn template(name: &str, repo: &str, git_ref: &str) -> String {
    format!(
        "kind: shell\nname: {name}\nsource: {{ repo: {repo}, ref: '{git_ref}' }}\nscript: |\n  test -f README.md\n  echo \"commit=$SIMPLE_CICD_COMMIT short=$SIMPLE_CICD_COMMIT_SHORT branch=${{SIMPLE_CICD_BRANCH:-}} tag=${{SIMPLE_CICD_TAG:-}}\"\n  git log -1 --format=%s\n"
    )
}

fn git_kind(e: &Error) -> Option<GitFailure> {
    match e {
        Error::Git { kind, .. } => Some(*kind),
        _ => None,
    }
}

#[tokio::test]
async fn a_run_clones_once_then_fetches_and_checks_out_the_ref_with_its_commit() {
    let fx = Fixture::new();
    let t = engine().await;
    add_repo(&t.engine, repo("app", &fx.file_url())).await;
    apply(&t.engine, &template("build", "app", "main")).await;

    let first = wait_end(&t.engine, start(&t.engine, "build", &[]).await.id).await;
    let log = log_text(&t.engine, first.id).await.join("\n");
    assert_eq!(first.status, RunStatus::Succeeded, "{log}");
    assert!(log.contains("Cloning file://"), "the first run clones into the cache: {log}");
    let main = fx.sha("main");
    assert!(log.contains(&format!("commit={main} short={} branch=main tag=", &main[..8])), "{log}");
    let commit = first.commit.expect("the run records its commit");
    assert_eq!((commit.sha.as_str(), commit.branch.as_deref(), commit.tag), (main.as_str(), Some("main"), None));
    assert_eq!(commit.author, "Ann Dev <ann@example.com>");
    assert_eq!(commit.message, "second commit\n\nwith a body");

    let newer = fx.commit("main", "third.txt", "third commit");
    let second = wait_end(&t.engine, start(&t.engine, "build", &[]).await.id).await;
    let log = log_text(&t.engine, second.id).await.join("\n");
    assert!(log.contains("Fetching file://") && !log.contains("Cloning"), "later runs fetch: {log}");
    assert_eq!(second.commit.unwrap().sha, newer, "the fetch brought the new commit");
    assert!(log.contains("third commit"), "the script sees the checked-out history: {log}");
}

#[tokio::test]
async fn tags_branches_and_commits_can_be_chosen_per_run() {
    let fx = Fixture::new();
    let t = engine().await;
    add_repo(&t.engine, repo("app", &fx.file_url())).await;
    apply(&t.engine, &template("build", "app", "")).await;
    let run_ref = |r: &str| api::StartOptions { git_ref: Some(r.into()), ..Default::default() };

    let default = wait_end(&t.engine, start(&t.engine, "build", &[]).await.id).await;
    assert_eq!(default.commit.unwrap().branch.as_deref(), Some("main"), "no ref: the remote's default branch");

    let tag = api::run_start_with(&t.engine, &me(), "build", &params(&[]), &run_ref("v1")).await.unwrap();
    let tag = wait_end(&t.engine, tag.id).await;
    let c = tag.commit.clone().unwrap();
    assert_eq!((c.tag.as_deref(), c.sha), (Some("v1"), fx.sha("v1")), "an annotated tag is peeled to its commit");
    assert!(log_text(&t.engine, tag.id).await.join("\n").contains("tag=v1"));

    let dev = wait_end(
        &t.engine,
        api::run_start_with(&t.engine, &me(), "build", &params(&[]), &run_ref("dev")).await.unwrap().id,
    )
    .await;
    assert_eq!(dev.commit.unwrap().branch.as_deref(), Some("dev"));

    let short = &fx.sha("dev")[..10];
    let by_sha = wait_end(
        &t.engine,
        api::run_start_with(&t.engine, &me(), "build", &params(&[]), &run_ref(short)).await.unwrap().id,
    )
    .await;
    let c = by_sha.commit.unwrap();
    assert_eq!((c.sha, c.branch, c.tag), (fx.sha("dev"), None, None), "a commit checks out detached");

    let missing =
        api::run_start_with(&t.engine, &me(), "build", &params(&[]), &run_ref("no-such-branch")).await.unwrap();
    let missing = wait_end(&t.engine, missing.id).await;
    assert_eq!(missing.status, RunStatus::Failed);
    let error = missing.error.unwrap();
    assert!(error.contains("`no-such-branch` is no branch, tag or commit") && error.contains("main"), "{error}");
    assert!(!log_text(&t.engine, missing.id).await.iter().any(|l| l.contains("commit=")), "the script never ran");

    let bad = api::run_start_with(&t.engine, &me(), "build", &params(&[]), &run_ref("x; rm -rf /")).await.unwrap_err();
    assert!(bad.to_string().contains("not a valid branch"), "{bad}");
}

#[tokio::test]
async fn git_daemon_and_anonymous_smart_http_serve_runs_and_tests() {
    let fx = Fixture::new();
    let daemon = git_daemon(&fx.root());
    let http = smart_http(&fx.root(), "ci", "s3cret-pass");
    let t = engine().await;
    add_repo(&t.engine, repo("via-git", &format!("git://127.0.0.1:{}/repo.git", daemon.port))).await;
    add_repo(&t.engine, repo("via-http", &format!("http://127.0.0.1:{}/git/repo.git", http.port))).await;
    for name in ["via-git", "via-http"] {
        let refs = api::repo_test(&t.engine, name).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let branches: Vec<&str> = refs.branches.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(branches, ["dev", "main"], "{name}");
        assert_eq!(refs.tags[0].name, "v1");
        assert_eq!(refs.tags[0].sha, fx.sha("v1"), "{name}: tags are peeled to commits");
        apply(&t.engine, &template(&format!("b-{name}"), name, "main")).await;
        let run = wait_end(&t.engine, start(&t.engine, &format!("b-{name}"), &[]).await.id).await;
        assert_eq!(run.status, RunStatus::Succeeded, "{name}: {:?}", log_text(&t.engine, run.id).await);
    }
}

#[tokio::test]
async fn basic_auth_over_smart_http_needs_the_right_password() {
    let fx = Fixture::new();
    let http = smart_http(&fx.root(), "ci", "s3cret-pass");
    let t = engine().await;
    file_secrets(&t.engine).await;
    let url = format!("http://127.0.0.1:{}/auth/repo.git", http.port);
    let with = |name: &str, pass: Option<&str>| RepositoryInput {
        name: name.into(),
        url: url.clone(),
        auth: if pass.is_some() { RepoAuth::Token } else { RepoAuth::None },
        username: pass.map(|_| "ci".to_string()),
        secret: pass.map(str::to_string),
        ..Default::default()
    };
    add_repo(&t.engine, with("good", Some("s3cret-pass"))).await;
    add_repo(&t.engine, with("wrong", Some("not-the-password"))).await;
    add_repo(&t.engine, with("none", None)).await;
    assert_eq!(api::repo_test(&t.engine, "good").await.unwrap().branches.len(), 2);
    for name in ["wrong", "none"] {
        let started = std::time::Instant::now();
        let e = api::repo_test(&t.engine, name).await.unwrap_err();
        assert_eq!(git_kind(&e), Some(GitFailure::Auth), "{name}: {e}");
        assert!(e.to_string().contains("refused the credentials"), "{e}");
        assert!(started.elapsed().as_secs() < 10, "a refusal is quick, no retry loop");
    }
    apply(&t.engine, &template("priv", "good", "main")).await;
    let run = wait_end(&t.engine, start(&t.engine, "priv", &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{log}");
    assert!(!log.contains("s3cret-pass"), "the password never reaches the log");
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    assert!(!db.windows(11).any(|w| w == b"s3cret-pass"), "nor the database");
    let listed = simple_cicd_engine::secrets::secret_list(&t.engine).await.unwrap();
    assert!(listed.is_empty(), "repository credentials are not among the user's secrets: {listed:?}");
}

#[tokio::test]
async fn ssh_with_a_key_and_passphrase_works_and_the_host_key_is_pinned() {
    let fx = Fixture::new();
    let keys = tempfile::tempdir().unwrap();
    let good = ssh_key(keys.path(), "good", "key passphrase");
    let other = ssh_key(keys.path(), "other", "");
    let server = sshd(&[&good]);
    let t = engine().await;
    file_secrets(&t.engine).await;
    let url = format!("ssh://{}@127.0.0.1:{}{}", user(), server.port, fx.bare.display());
    let input = |name: &str, key: &Key, pass: Option<&str>| RepositoryInput {
        name: name.into(),
        url: url.clone(),
        auth: RepoAuth::SshKey,
        secret: Some(key.private.clone()),
        passphrase: pass.map(str::to_string),
        ..Default::default()
    };
    add_repo(&t.engine, input("ssh", &good, Some("key passphrase"))).await;
    add_repo(&t.engine, input("ssh-other", &other, None)).await;
    add_repo(&t.engine, input("ssh-nopass", &good, None)).await;

    let refs = api::repo_test(&t.engine, "ssh").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refs.branches.len(), 2);
    let pinned = api::repo_get(&t.engine, "ssh").await.unwrap().host_key.expect("the host key is pinned");
    assert!(pinned.starts_with("SHA256:"), "{pinned}");
    for name in ["ssh-other", "ssh-nopass"] {
        let e = api::repo_test(&t.engine, name).await.unwrap_err();
        assert_eq!(git_kind(&e), Some(GitFailure::Auth), "{name}: {e}");
    }
    apply(&t.engine, &template("over-ssh", "ssh", "dev")).await;
    let run = wait_end(&t.engine, start(&t.engine, "over-ssh", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, run.id).await);
    assert_eq!(run.commit.unwrap().branch.as_deref(), Some("dev"));

    // Another server on the same address: another host key, refused.
    let port = server.port;
    drop(server);
    let impostor = sshd_on(port, &[&good]);
    let e = api::repo_test(&t.engine, "ssh").await.unwrap_err();
    assert_eq!(git_kind(&e), Some(GitFailure::HostKey), "{e}");
    drop(impostor);
}

#[tokio::test]
async fn unreachable_hosts_missing_repositories_and_bad_urls_fail_fast_with_the_reason() {
    let fx = Fixture::new();
    let daemon = git_daemon(&fx.root());
    let http = smart_http(&fx.root(), "ci", "pw");
    let closed = free_port();
    let t = engine().await;
    let cases = [
        ("closed-http", format!("http://127.0.0.1:{closed}/git/repo.git"), GitFailure::Unreachable),
        ("closed-git", format!("git://127.0.0.1:{closed}/repo.git"), GitFailure::Unreachable),
        ("no-dns", "https://no-such-host.invalid/o/r.git".to_string(), GitFailure::Unreachable),
        ("no-file", format!("file://{}/missing.git", fx.root().display()), GitFailure::RepoNotFound),
        ("no-http", format!("http://127.0.0.1:{}/git/missing.git", http.port), GitFailure::RepoNotFound),
        ("no-daemon", format!("git://127.0.0.1:{}/missing.git", daemon.port), GitFailure::RepoNotFound),
    ];
    for (name, url, kind) in &cases {
        add_repo(&t.engine, repo(name, url)).await;
        let started = std::time::Instant::now();
        let e = api::repo_test(&t.engine, name).await.unwrap_err();
        assert_eq!(git_kind(&e), Some(*kind), "{name}: {e}");
        assert!(started.elapsed().as_secs() < 20, "{name} took {:?}", started.elapsed());
    }
    let e = api::repo_save(&t.engine, &me(), repo("evil", "https://h/o/r.git;touch"), false).await.unwrap_err();
    assert!(e.to_string().contains("shell metacharacter `;`"), "{e}");
    assert!(api::repo_list(&t.engine).await.unwrap().iter().all(|r| r.name != "evil"), "nothing was saved");
}

#[tokio::test]
async fn the_fetch_cache_counts_in_the_disk_use_and_leaves_with_its_repository() {
    let fx = Fixture::new();
    let t = engine().await;
    let usage = || async { simple_cicd_engine::retention::storage_usage(&t.engine).await.unwrap() };
    assert_eq!(usage().await.git_cache_bytes, 0, "no repository, no cache");
    add_repo(&t.engine, repo("app", &fx.file_url())).await;
    apply(&t.engine, &template("b", "app", "main")).await;
    let run = wait_end(&t.engine, start(&t.engine, "b", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded);
    let cached = usage().await.git_cache_bytes;
    assert!(cached > 1000, "the clone into the cache is counted: {cached} bytes");
    api::template_delete(&t.engine, &me(), "b").await.unwrap();
    api::repo_delete(&t.engine, &me(), "app").await.unwrap();
    assert_eq!(usage().await.git_cache_bytes, 0, "removing the repository removes its cache");
}

#[tokio::test]
async fn a_repository_in_use_cannot_be_removed_and_templates_need_an_existing_one() {
    let fx = Fixture::new();
    let t = engine().await;
    let e = api::template_apply_yaml(&t.engine, &me(), &template("b", "ghost", "main")).await.unwrap_err();
    assert!(e.to_string().contains("there is no repository ghost"), "{e}");
    add_repo(&t.engine, repo("app", &fx.file_url())).await;
    apply(&t.engine, &template("b", "app", "main")).await;
    let e = api::repo_delete(&t.engine, &me(), "app").await.unwrap_err();
    assert!(e.to_string().contains("used by templates b"), "{e}");
    api::template_delete(&t.engine, &me(), "b").await.unwrap();
    api::repo_delete(&t.engine, &me(), "app").await.unwrap();
    assert!(api::repo_list(&t.engine).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_token_kept_in_the_os_keyring_authenticates_and_leaves_with_the_repository() {
    let fx = Fixture::new();
    let http = smart_http(&fx.root(), "ci", "keyring-pass-42");
    let t = engine().await; // default backend: the OS keyring (Secret Service)
    let input = RepositoryInput {
        name: "kr".into(),
        url: format!("http://127.0.0.1:{}/auth/repo.git", http.port),
        auth: RepoAuth::Token,
        username: Some("ci".into()),
        secret: Some("keyring-pass-42".into()),
        ..Default::default()
    };
    api::repo_save(&t.engine, &me(), input, false)
        .await
        .expect("the keyring is reachable (run inside dbus-run-session)");
    assert_eq!(api::repo_test(&t.engine, "kr").await.unwrap().branches.len(), 2);
    let stored = |label: &str| {
        let out =
            std::process::Command::new("secret-tool").args(["search", "--all", "service", "simple-cicd"]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).contains(label)).unwrap_or(false)
    };
    assert!(stored("/repo/kr/secret"), "the token is an entry of the OS keyring");
    api::repo_delete(&t.engine, &me(), "kr").await.unwrap();
    assert!(!stored("/repo/kr/secret"), "removing the repository removes its token");
}

#[tokio::test]
async fn a_run_is_cancelled_at_once_even_while_the_git_server_is_silent() {
    // A server that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = held.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            keep.lock().unwrap().push(conn);
        }
    });
    let t = engine().await;
    add_repo(&t.engine, repo("silent", &format!("git://127.0.0.1:{port}/repo.git"))).await;
    apply(&t.engine, &template("stuck", "silent", "main")).await;
    let run = start(&t.engine, "stuck", &[]).await;
    wait_for_line(&t.engine, run.id, "Cloning git://").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let asked = std::time::Instant::now();
    api::run_cancel(&t.engine, &me(), run.id).await.unwrap();
    let ended = wait_end(&t.engine, run.id).await;
    assert_eq!(ended.status, RunStatus::Cancelled, "{:?}", log_text(&t.engine, run.id).await);
    assert!(asked.elapsed().as_secs() < 5, "cancel does not wait for the network timeout: {:?}", asked.elapsed());
    held.lock().unwrap().clear(); // the stuck git thread now sees the connection close and ends
}
