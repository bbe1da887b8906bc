//! Webhooks over real HTTP: a server on loopback, the providers' documented payloads with right
//! and wrong signatures, replays, filters, bad and oversized bodies; and that no run starts when
//! it should not.

mod client;
mod payloads;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use simple_cicd_engine::model::{RepositoryInput, RunFilter};
use simple_cicd_engine::trigger::sign_hub;
use simple_cicd_engine::{api, secrets, settings, Engine, EngineOptions};

use client::*;
use payloads::*;

const ZERO: &str = "0000000000000000000000000000000000000000";

struct Setup {
    engine: Engine,
    addr: SocketAddr,
    sha: String,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// The tests' own calls: the OS user at the command line, who may do everything.
fn me() -> simple_cicd_engine::auth::Caller {
    simple_cicd_engine::auth::Caller::cli()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

const TEMPLATE: &str = r#"kind: shell
name: web
source: { repo: app, ref: main }
triggers:
  - webhook: { provider: github, secret: GH_HOOK, branches: ["main", "release/*"], tags: ["v*"] }
  - webhook: { provider: gitlab, secret: GL_HOOK }
  - webhook: { provider: gitea, secret: GT_HOOK }
  - webhook: { provider: generic, secret: GEN_HOOK }
script: echo "built $SIMPLE_CICD_COMMIT ${SIMPLE_CICD_BRANCH:-} ${SIMPLE_CICD_TAG:-}"
"#;

async fn setup_on(listen: &str) -> Setup {
    let repo_dir = tempfile::tempdir().unwrap();
    let work = repo_dir.path().join("w");
    std::fs::create_dir(&work).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    std::fs::write(work.join("f"), "1").unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "one"]);
    git(&work, &["tag", "v1.0"]);
    git(&work, &["branch", "release/2"]);
    let sha = git(&work, &["rev-parse", "HEAD"]);
    let data = tempfile::tempdir().unwrap();
    let engine =
        Engine::open(EngineOptions { data_dir: Some(data.path().into()), ..Default::default() }).await.unwrap();
    settings::config_set(&engine, &me(), "secrets.backend", "file").await.unwrap();
    #[allow(unsafe_code)]
    // SAFETY: every test of this binary sets the same value; nothing else reads it concurrently.
    unsafe {
        std::env::set_var(secrets::SECRETS_KEY_ENV, "a server test passphrase");
    }
    for (name, value) in
        [("GH_HOOK", "gh-secret"), ("GL_HOOK", "gl-token"), ("GT_HOOK", "gt-secret"), ("GEN_HOOK", "gen-secret")]
    {
        secrets::secret_set(&engine, &me(), name, value).await.unwrap();
    }
    let input = RepositoryInput { name: "app".into(), url: format!("file://{}", work.display()), ..Default::default() };
    api::repo_save(&engine, &me(), input, false).await.unwrap();
    api::template_apply_yaml(&engine, &me(), TEMPLATE).await.unwrap();
    api::template_apply_yaml(&engine, &me(),
        "kind: shell\nname: open\nsource: { repo: app }\ntriggers:\n  - webhook: { provider: github }\nscript: 'true'\n",
    )
    .await
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = simple_cicd_server::start(engine.clone(), listen.parse().unwrap(), async move {
        let _ = stopped.await;
    })
    .await
    .unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    Setup { engine, addr, sha, _dirs: (repo_dir, data), _stop: stop }
}

async fn setup() -> Setup {
    setup_on("127.0.0.1:0").await
}

fn github(event: &str, delivery: &str, body: &str, secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("X-GitHub-Event", event.to_string()),
        ("X-GitHub-Delivery", delivery.to_string()),
        ("X-Hub-Signature-256", sign_hub(secret, body.as_bytes())),
        ("Content-Type", "application/json".to_string()),
        ("User-Agent", "GitHub-Hookshot/044aadd".to_string()),
    ]
}

async fn run_count(engine: &Engine) -> i64 {
    api::run_list(engine, &RunFilter::default()).await.unwrap().total
}

async fn wait_run(engine: &Engine, id: i64) -> simple_cicd_engine::model::Run {
    for _ in 0..600 {
        let run = api::run_get(engine, id).await.unwrap();
        if run.status.is_final() && engine.active_runs().is_empty() {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {id} did not end");
}

#[tokio::test]
async fn a_signed_github_push_starts_a_run_of_the_pushed_commit_at_once() {
    let s = setup().await;
    let body = github_push("refs/heads/main", &s.sha);
    let started = std::time::Instant::now();
    let a = post(s.addr, "/hooks/github/web", &github("push", "d-1", &body, "gh-secret"), body.as_bytes()).await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    assert!(started.elapsed() < Duration::from_secs(2), "the answer does not wait for the run");
    let run = wait_run(&s.engine, a.json["runId"].as_i64().expect("the answer carries the run id")).await;
    assert_eq!(run.trigger, "webhook github delivery d-1", "the trigger names the delivery");
    let commit = run.commit.expect("the run checked out the pushed commit");
    assert_eq!((commit.sha.as_str(), commit.branch.as_deref()), (s.sha.as_str(), Some("main")));
    let overview = api::trigger_overview(&s.engine, "web", 10).await.unwrap();
    assert_eq!(overview.deliveries[0].outcome.as_str(), "started");
    assert_eq!(overview.deliveries[0].run_id, Some(run.id));
}

#[tokio::test]
async fn forged_missing_or_unknown_deliveries_are_refused_and_start_nothing() {
    let s = setup().await;
    let body = github_push("refs/heads/main", &s.sha);
    let wrong =
        post(s.addr, "/hooks/github/web", &github("push", "f-1", &body, "not-the-secret"), body.as_bytes()).await;
    assert_eq!(wrong.status, 401, "{:?}", wrong.json);
    assert!(wrong.json["message"].as_str().unwrap().contains("does not match"));
    let mut unsigned = github("push", "f-2", &body, "gh-secret");
    unsigned.retain(|(k, _)| *k != "X-Hub-Signature-256");
    assert_eq!(post(s.addr, "/hooks/github/web", &unsigned, body.as_bytes()).await.status, 401);
    let tampered = body.replace("main", "mainx");
    let a = post(s.addr, "/hooks/github/web", &github("push", "f-3", &body, "gh-secret"), tampered.as_bytes()).await;
    assert_eq!(a.status, 401, "a body changed after signing is refused");
    let a = post(s.addr, "/hooks/github/nope", &github("push", "f-4", &body, "gh-secret"), body.as_bytes()).await;
    assert_eq!(a.status, 404, "unknown template");
    let a = post(s.addr, "/hooks/bitbucket/web", &github("push", "f-5", &body, "gh-secret"), body.as_bytes()).await;
    assert_eq!(a.status, 404, "unknown provider");
    let a = post(s.addr, "/hooks/github/open", &github("push", "f-6", &body, ""), body.as_bytes()).await;
    assert_eq!(a.status, 401, "a trigger without a secret accepts nothing: {:?}", a.json);
    // The forged delivery did not burn its id: the real one with the same id still runs.
    let a = post(s.addr, "/hooks/github/web", &github("push", "f-1", &body, "gh-secret"), body.as_bytes()).await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    assert_eq!(run_count(&s.engine).await, 1, "only the genuine delivery ran");
}

#[tokio::test]
async fn a_replayed_delivery_is_answered_without_a_second_run_even_when_concurrent() {
    let s = setup().await;
    let body = github_push("refs/heads/main", &s.sha);
    let headers = github("push", "same-id", &body, "gh-secret");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (addr, headers, body) = (s.addr, headers.clone(), body.clone());
        tasks.push(tokio::spawn(async move { post(addr, "/hooks/github/web", &headers, body.as_bytes()).await }));
    }
    let mut statuses = Vec::new();
    let mut run_ids = Vec::new();
    for t in tasks {
        let a = t.await.unwrap();
        statuses.push(a.status);
        run_ids.push(a.json["runId"].as_i64());
    }
    statuses.sort();
    assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 202 || *s == 200), "{statuses:?}");
    let first = run_ids.iter().flatten().next().copied().unwrap();
    wait_run(&s.engine, first).await;
    let replay = post(s.addr, "/hooks/github/web", &headers, body.as_bytes()).await;
    assert_eq!((replay.status, replay.json["outcome"].as_str()), (200, Some("duplicate")));
    assert_eq!(replay.json["runId"].as_i64(), Some(first), "the replay names the first run");
    assert_eq!(run_count(&s.engine).await, 1);
}

#[tokio::test]
async fn branch_and_tag_filters_decide_and_deleted_refs_and_pings_never_run() {
    let s = setup().await;
    let cases = [
        ("refs/heads/feature/x", s.sha.as_str(), 200, "filtered"),
        ("refs/tags/nightly", s.sha.as_str(), 200, "filtered"),
        ("refs/heads/main", ZERO, 200, "ignored"),
        ("refs/tags/v1.0", ZERO, 200, "ignored"),
        ("refs/heads/release/2", s.sha.as_str(), 202, "started"),
        ("refs/tags/v1.0", s.sha.as_str(), 202, "started"),
    ];
    for (i, (git_ref, sha, status, outcome)) in cases.iter().enumerate() {
        let body = github_push(git_ref, sha);
        let a =
            post(s.addr, "/hooks/github/web", &github("push", &format!("fl-{i}"), &body, "gh-secret"), body.as_bytes())
                .await;
        assert_eq!(
            (a.status, a.json["outcome"].as_str().unwrap()),
            (*status, *outcome),
            "{git_ref} {sha}: {:?}",
            a.json
        );
        if let Some(id) = a.json["runId"].as_i64() {
            let run = wait_run(&s.engine, id).await;
            let c = run.commit.unwrap();
            if git_ref.contains("tags") {
                assert_eq!(c.tag.as_deref(), Some("v1.0"));
            } else {
                assert_eq!(c.branch.as_deref(), Some("release/2"));
            }
        }
    }
    let ping = github_ping();
    let a = post(s.addr, "/hooks/github/web", &github("ping", "p-1", &ping, "gh-secret"), ping.as_bytes()).await;
    assert_eq!(a.status, 200, "{:?}", a.json);
    assert!(a.json["message"].as_str().unwrap().contains("pong"));
    let a = post(s.addr, "/hooks/github/web", &github("issues", "i-1", "{}", "gh-secret"), b"{}").await;
    assert_eq!((a.status, a.json["outcome"].as_str()), (200, Some("ignored")));
    assert_eq!(run_count(&s.engine).await, 2, "only the two wanted pushes ran");
}

#[tokio::test]
async fn gitlab_gitea_and_generic_schemes_are_checked_each_their_way() {
    let s = setup().await;
    let gl = gitlab_push("refs/heads/main", &s.sha);
    let gl_headers = |token: &str, uuid: &str| {
        vec![
            ("X-Gitlab-Event", "Push Hook".to_string()),
            ("X-Gitlab-Token", token.to_string()),
            ("X-Gitlab-Event-UUID", uuid.to_string()),
            ("Content-Type", "application/json".to_string()),
        ]
    };
    assert_eq!(post(s.addr, "/hooks/gitlab/web", &gl_headers("wrong", "g1"), gl.as_bytes()).await.status, 401);
    let a = post(s.addr, "/hooks/gitlab/web", &gl_headers("gl-token", "g2"), gl.as_bytes()).await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    assert_eq!(post(s.addr, "/hooks/gitlab/web", &gl_headers("gl-token", "g2"), gl.as_bytes()).await.status, 200);
    let tag_delete = gitlab_push("refs/tags/v1.0", ZERO);
    let mut h = gl_headers("gl-token", "g3");
    h[0].1 = "Tag Push Hook".into();
    let a = post(s.addr, "/hooks/gitlab/web", &h, tag_delete.as_bytes()).await;
    assert_eq!((a.status, a.json["outcome"].as_str()), (200, Some("ignored")), "{:?}", a.json);

    let gt = gitea_push("refs/heads/main", &s.sha);
    let gt_headers = |secret: &str, id: &str| {
        let sig = sign_hub(secret, gt.as_bytes()).trim_start_matches("sha256=").to_string();
        vec![("X-Gitea-Event", "push".to_string()), ("X-Gitea-Delivery", id.to_string()), ("X-Gitea-Signature", sig)]
    };
    assert_eq!(post(s.addr, "/hooks/gitea/web", &gt_headers("nope", "t1"), gt.as_bytes()).await.status, 401);
    let a = post(s.addr, "/hooks/gitea/web", &gt_headers("gt-secret", "t2"), gt.as_bytes()).await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;

    let gen = format!(r#"{{"ref":"refs/heads/main","after":"{}"}}"#, s.sha);
    let sig = sign_hub("gen-secret", gen.as_bytes());
    let a = post(s.addr, "/hooks/generic/web", &[("X-Hub-Signature-256", sig.clone())], gen.as_bytes()).await;
    assert_eq!(a.status, 202, "the generic scheme is GitHub's, the event defaults to push: {:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    let a =
        post(s.addr, "/hooks/generic/web", &[("X-Hub-Signature-256", sign_hub("x", gen.as_bytes()))], gen.as_bytes())
            .await;
    assert_eq!(a.status, 401);
    assert_eq!(run_count(&s.engine).await, 3);
}

#[tokio::test]
async fn malformed_truncated_and_oversized_bodies_are_refused_and_nothing_hangs() {
    let s = setup().await;
    let bad = "{\"ref\": \"refs/heads/main\", \"after\": ";
    let a = post(s.addr, "/hooks/github/web", &github("push", "m-1", bad, "gh-secret"), bad.as_bytes()).await;
    assert_eq!(a.status, 400, "{:?}", a.json);
    assert!(a.json["message"].as_str().unwrap().contains("not the JSON"), "{:?}", a.json);

    let body = github_push("refs/heads/main", &s.sha);
    let half = &body.as_bytes()[..body.len() / 2];
    let a =
        post_truncated(s.addr, "/hooks/github/web", &github("push", "m-2", &body, "gh-secret"), half, body.len()).await;
    assert_eq!(a.status, 400, "a body cut short is refused: {:?}", a.json);

    let started = std::time::Instant::now();
    let a =
        post_announcing(s.addr, "/hooks/github/web", &github("push", "m-3", "x", "gh-secret"), 5 * 1024 * 1024).await;
    assert_eq!(a.status, 413, "{:?}", a.json);
    assert!(started.elapsed() < Duration::from_secs(5), "answered before any of the body was sent");

    let a =
        post_chunked_garbage(s.addr, "/hooks/github/web", &github("push", "m-4", "x", "gh-secret"), 5 * 1024 * 1024)
            .await;
    assert_eq!(a.status, 413, "5 MB of garbage without a length: refused at the limit");

    let garbage: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    let a = post(s.addr, "/hooks/github/web", &github("push", "m-5", "", "gh-secret"), &garbage).await;
    assert_eq!(a.status, 401, "garbage under the limit fails the signature");
    let gsig = vec![("X-GitHub-Event", "push".to_string()), ("X-Hub-Signature-256", sign_hub("gh-secret", &garbage))];
    let a = post(s.addr, "/hooks/github/web", &gsig, &garbage).await;
    assert_eq!(a.status, 400, "signed garbage is not a push: {:?}", a.json);
    assert_eq!(run_count(&s.engine).await, 0, "no run started by mistake");
}

#[tokio::test]
async fn paused_triggers_answer_503_and_the_same_delivery_runs_after_resuming() {
    let s = setup().await;
    settings::config_set(&s.engine, &me(), "triggers.paused", "true").await.unwrap();
    let body = github_push("refs/heads/main", &s.sha);
    let headers = github("push", "pz-1", &body, "gh-secret");
    assert_eq!(post(s.addr, "/hooks/github/web", &headers, body.as_bytes()).await.status, 503);
    settings::config_set(&s.engine, &me(), "triggers.paused", "false").await.unwrap();
    let a = post(s.addr, "/hooks/github/web", &headers, body.as_bytes()).await;
    assert_eq!(a.status, 202, "the redelivery runs: {:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
}

#[tokio::test]
async fn on_a_non_loopback_address_webhooks_work_and_the_api_stays_local() {
    let s = setup_on("0.0.0.0:0").await;
    let body = github_push("refs/heads/main", &s.sha);
    let a = post_as(
        s.addr,
        "203.0.113.7:8750",
        "/hooks/github/web",
        &github("push", "nl-1", &body, "gh-secret"),
        body.as_bytes(),
    )
    .await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(b"GET /api/health HTTP/1.1\r\nHost: 203.0.113.7:8750\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "the API still answers only localhost: {answer}");
}

#[tokio::test]
async fn a_generic_webhook_starts_a_template_without_a_repository_with_its_params() {
    let s = setup().await;
    api::template_apply_yaml(&s.engine, &me(),
        "kind: shell\nname: redeploy\nparams: [{ name: TAG, type: string, default: latest }]\ntriggers:\n  - webhook: { provider: generic, secret: GEN_HOOK }\nscript: echo \"deploying $TAG\"\n",
    )
    .await
    .unwrap();
    let refused = api::template_apply_yaml(
        &s.engine,
        &me(),
        "kind: shell\nname: gh-only\ntriggers:\n  - webhook: { provider: github, secret: GH_HOOK }\nscript: 'true'\n",
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("a generic webhook needs none"), "{refused}");

    let body = r#"{"params": {"TAG": "v2.1"}, "source": "registry"}"#;
    let signed = |secret: &str, id: &str| {
        vec![("X-Hub-Signature-256", sign_hub(secret, body.as_bytes())), ("X-Delivery-Id", id.to_string())]
    };
    let forged = post(s.addr, "/hooks/generic/redeploy", &signed("wrong", "r0"), body.as_bytes()).await;
    assert_eq!(forged.status, 401, "{:?}", forged.json);
    let a = post(s.addr, "/hooks/generic/redeploy", &signed("gen-secret", "r1"), body.as_bytes()).await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    let run = wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    assert!(run.trigger.starts_with("webhook generic"), "{}", run.trigger);
    assert_eq!(run.params["TAG"].as_str(), "v2.1");
    let again = post(s.addr, "/hooks/generic/redeploy", &signed("gen-secret", "r1"), body.as_bytes()).await;
    assert_eq!(again.status, 200, "a replay starts nothing: {:?}", again.json);
    let bad = br#"{"params": {"NOPE": "x"}}"#;
    let a = post(
        s.addr,
        "/hooks/generic/redeploy",
        &[("X-Hub-Signature-256", sign_hub("gen-secret", bad)), ("X-Delivery-Id", "r2".to_string())],
        bad,
    )
    .await;
    assert_eq!(a.status, 422, "an unknown parameter is refused: {:?}", a.json);
    assert_eq!(run_count(&s.engine).await, 1);
}

#[tokio::test]
async fn a_rotated_secret_or_a_setting_changed_elsewhere_counts_from_the_next_delivery() {
    let s = setup().await;
    let body = github_push("refs/heads/main", &s.sha);
    let deliver = |id: &str, secret: &str| {
        let (headers, addr, body) = (github("push", id, &body, secret), s.addr, body.clone());
        async move { post(addr, "/hooks/github/web", &headers, body.as_bytes()).await }
    };
    let a = deliver("rot-1", "gh-secret").await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    secrets::secret_set(&s.engine, &me(), "GH_HOOK", "rotated-secret").await.unwrap();
    assert_eq!(deliver("rot-2", "gh-secret").await.status, 401, "the old secret is refused at once");
    assert_eq!(deliver("rot-3", "rotated-secret").await.status, 202, "the new one is taken at once");
    // Another process (here: another connection pool on the same file) pauses the triggers.
    let other = simple_cicd_engine::Store::open(&s.engine.data_dir().join("simple-cicd.db"), None).await.unwrap();
    other.setting_put("triggers.paused", &serde_json::Value::Bool(true)).await.unwrap();
    assert_eq!(deliver("rot-4", "rotated-secret").await.status, 503, "a change by another process is seen");
    other.setting_put("triggers.paused", &serde_json::Value::Bool(false)).await.unwrap();
    let a = deliver("rot-4", "rotated-secret").await;
    assert_eq!(a.status, 202, "{:?}", a.json);
    wait_run(&s.engine, a.json["runId"].as_i64().unwrap()).await;
    assert_eq!(run_count(&s.engine).await, 3);
}
