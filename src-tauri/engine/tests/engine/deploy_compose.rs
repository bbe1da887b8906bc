//! Compose stacks against the real daemon, the compose v2 CLI and a real registry: a launch that
//! becomes healthy and serves its content, revisions with images by digest, a rollback that
//! serves the old content again, an unhealthy service, a pull failure and a bad file that leave
//! the running stack alone, down, and a launch through the TLS endpoint.

use simple_cicd_engine::api;
use simple_cicd_engine::model::RunStatus;

use crate::docker_support::*;
use crate::support::*;

/// Builds `REGISTRY/NAME:TAG`, an httpd serving `content` with a healthcheck, and pushes it.
async fn push_site(registry: &TestRegistry, name: &str, tag: &str, content: &str) -> String {
    let base = base_image().await;
    let image = format!("{}/{name}:{tag}", registry.host);
    let dockerfile = format!(
        "FROM {base}\nRUN mkdir /www && echo {content} > /www/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n"
    );
    build_dockerfile(&image, &dockerfile).await;
    push(&format!("{}/{name}", registry.host), tag).await;
    image
}

fn stack(project: &str, image: &str, port: u16, health: &str) -> String {
    format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 30\ncompose: |\n  services:\n    web:\n      image: {image}\n      ports: [\"127.0.0.1:{port}:8080\"]\n      healthcheck:\n        test: [\"CMD\", \"{health}\"]\n        interval: 1s\n        retries: 3\n"
    )
}

async fn served(port: u16) -> String {
    let out = tokio::process::Command::new("curl").args(["-sf", &format!("http://127.0.0.1:{port}/")]).output().await;
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}

async fn down(t: &TestEngine, project: &str) {
    let _ = api::app_action(&t.engine, &me(), project, api::AppAction::DownWithVolumes).await;
}

#[tokio::test]
async fn a_stack_deploys_healthy_records_its_revisions_and_rolls_back_to_the_old_content() {
    let t = engine().await;
    let registry = TestRegistry::start(None).await;
    let project = unique("shop");
    let port = free_port();
    let latest = push_site(&registry, &project, "latest", "version-one").await;
    apply(&t.engine, &stack(&project, &latest, port, "true")).await;
    let first = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let log = log_text(&t.engine, first.id).await.join("\n");
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}\n{log}", first.error);
    assert_eq!(served(port).await, "version-one");
    assert!(log.contains("Service web: running, healthy"), "{log}");

    push_site(&registry, &project, "latest", "version-two").await;
    let second = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(second.status, RunStatus::Succeeded, "{:?}", second.error);
    assert_eq!(served(port).await, "version-two", "the new image was pulled before up");

    let detail = api::app_get(&t.engine, &project).await.unwrap();
    assert_eq!(detail.revisions.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
    let (one, two) = (&detail.revisions[1].services[0].pinned, &detail.revisions[0].services[0].pinned);
    assert!(one.contains("@sha256:") && two.contains("@sha256:") && one != two, "{one} {two}");
    assert!(detail.healthy && !detail.drifted, "{detail:?}");
    assert!(detail.revisions[0].config.contains("healthcheck"), "the configuration is kept");

    let rollback = api::app_rollback(&t.engine, &me(), &project, 1).await.unwrap();
    assert_eq!(rollback.trigger, rollback_trigger(1));
    let rollback = wait_end(&t.engine, rollback.id).await;
    assert_eq!(rollback.status, RunStatus::Succeeded, "{:?}", rollback.error);
    assert_eq!(served(port).await, "version-one", "the old content is served again");
    let detail = api::app_get(&t.engine, &project).await.unwrap();
    let newest = &detail.revisions[0];
    assert_eq!((newest.number, newest.trigger.clone()), (3, rollback_trigger(1)));
    assert_eq!(&newest.services[0].pinned, one, "the rollback runs revision 1's image by digest");

    api::app_action(&t.engine, &me(), &project, api::AppAction::Down).await.unwrap();
    assert!(served(port).await.is_empty(), "down stopped the service");
    let after = api::app_get(&t.engine, &project).await.unwrap();
    assert!(after.services.is_empty() && !after.healthy, "{after:?}");
}

#[tokio::test]
async fn a_redeploy_reuses_the_parameters_of_the_run_that_launched_the_revision() {
    let t = engine().await;
    let registry = TestRegistry::start(None).await;
    let project = unique("greet");
    let port = free_port();
    let image = push_site(&registry, &project, "1", "hello").await;
    let yaml = stack(&project, &image, port, "true")
        .replace("waitSeconds: 30\n", "waitSeconds: 30\nparams: [{ name: GREETING, type: string, required: true }]\n")
        .replace("      healthcheck:", "      environment: { GREETING: \"${GREETING}\" }\n      healthcheck:");
    apply(&t.engine, &yaml).await;
    let first = wait_end(&t.engine, start(&t.engine, &project, &[("GREETING", "hi")]).await.id).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", first.error);
    let again =
        api::app_redeploy(&t.engine, &me(), &project).await.expect("the required parameter comes from the first run");
    let again = wait_end(&t.engine, again.id).await;
    down(&t, &project).await;
    assert_eq!(again.status, RunStatus::Succeeded, "{:?}", again.error);
    assert_eq!(again.params.get("GREETING").map(String::as_str), Some("hi"));
}

#[tokio::test]
async fn an_unhealthy_service_fails_the_launch_and_says_which() {
    let t = engine().await;
    let registry = TestRegistry::start(None).await;
    let project = unique("sick");
    let image = push_site(&registry, &project, "1", "sick").await;
    apply(&t.engine, &stack(&project, &image, free_port(), "false").replace("waitSeconds: 30", "waitSeconds: 8")).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    down(&t, &project).await;
    assert_eq!(run.status, RunStatus::Failed);
    let error = run.error.unwrap_or_default();
    assert!(error.contains("did not become healthy") && error.contains("web"), "{error}");
    let detail = api::app_get(&t.engine, &project).await.unwrap();
    assert_eq!(detail.revisions[0].status, "failed", "a failed launch is a revision too");
}

#[tokio::test]
async fn an_image_that_cannot_be_pulled_leaves_the_running_stack_untouched() {
    let t = engine().await;
    let registry = TestRegistry::start(None).await;
    let project = unique("steady");
    let port = free_port();
    let image = push_site(&registry, &project, "1", "steady-one").await;
    apply(&t.engine, &stack(&project, &image, port, "true")).await;
    let ok = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(ok.status, RunStatus::Succeeded, "{:?}", ok.error);
    let missing = format!("{}/{project}:does-not-exist", registry.host);
    apply(&t.engine, &stack(&project, &missing, port, "true")).await;
    let bad = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let served_after = served(port).await;
    down(&t, &project).await;
    assert_eq!(bad.status, RunStatus::Failed);
    assert!(bad.error.unwrap_or_default().contains("could not be pulled"), "a pull failure says so");
    assert_eq!(served_after, "steady-one", "the running service was not stopped");
    let detail = api::app_get(&t.engine, &project).await.unwrap();
    assert_eq!(detail.revisions.len(), 1, "nothing was deployed, so no revision");
}

#[tokio::test]
async fn a_bad_compose_file_is_refused_at_save_with_its_line_and_a_hint() {
    let t = engine().await;
    let yaml = "kind: compose\nname: typo\ncompose: |\n  services:\n    web: { image: a }\n  volume: {}\n";
    let err = api::template_apply_yaml(&t.engine, &me(), yaml).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("did you mean `volumes`"), "{text}");
    let v1 = "kind: compose\nname: old\ncompose: |\n  web:\n    image: nginx\n";
    assert!(api::template_apply_yaml(&t.engine, &me(), v1).await.unwrap_err().to_string().contains("version 1"));
    let tabs = "kind: compose\nname: tabs\ncompose: \"services:\\n\\tweb:\\n\\t\\timage: a\\n\"\n";
    let text = api::template_apply_yaml(&t.engine, &me(), tabs).await.unwrap_err().to_string();
    assert!(text.contains("line 2") && text.contains("tab"), "{text}");
}

#[tokio::test]
async fn a_stack_deploys_through_the_tls_endpoint() {
    let t = engine().await;
    api::endpoint_add(&t.engine, &me(), tls_endpoint("far")).await.unwrap();
    let registry = TestRegistry::start(None).await;
    let project = unique("far");
    let port = free_port();
    let image = push_site(&registry, &project, "1", "over-tls").await;
    let yaml = stack(&project, &image, port, "true").replace("waitSeconds: 30", "waitSeconds: 30\nendpoint: far");
    apply(&t.engine, &yaml).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let text = served(port).await;
    let detail = api::app_get(&t.engine, &format!("{project}@far")).await.unwrap();
    down(&t, &format!("{project}@far")).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_eq!(text, "over-tls");
    assert_eq!(detail.app.target, "far");
}

#[tokio::test]
async fn a_stack_deploys_through_an_ssh_endpoint_with_its_stored_key() {
    let t = engine().await;
    let _sshd = ssh_endpoint(&t.engine, "box").await;
    let registry = TestRegistry::start(None).await;
    let project = unique("box");
    let port = free_port();
    let image = push_site(&registry, &project, "1", "over-ssh").await;
    let yaml = stack(&project, &image, port, "true").replace("waitSeconds: 30", "waitSeconds: 30\nendpoint: box");
    apply(&t.engine, &yaml).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let text = served(port).await;
    let detail = api::app_get(&t.engine, &format!("{project}@box")).await;
    let leftovers: Vec<_> = std::fs::read_dir(t.dir.path().join("scripts"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("ssh-key").exists() || e.path().join("ssh-bin").exists())
        .collect();
    down(&t, &format!("{project}@box")).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_eq!(text, "over-ssh", "the stack answers, deployed through ssh");
    let detail = detail.expect("the app's services are read through ssh");
    assert_eq!(detail.app.target, "box");
    assert_eq!(detail.services_error, None);
    assert!(detail.services.iter().any(|s| s.service == "web"), "{:?}", detail.services);
    assert!(leftovers.is_empty(), "the key and the ssh wrapper are removed after the launch: {leftovers:?}");
}

#[tokio::test]
async fn the_watch_tells_when_an_app_goes_down_and_comes_back() {
    let recorder = crate::notify::Recorder::default();
    let t = crate::notify::with_recorder(&recorder).await;
    let registry = TestRegistry::start(None).await;
    let project = unique("watched");
    let image = push_site(&registry, &project, "1", "watched").await;
    apply(&t.engine, &stack(&project, &image, free_port(), "true")).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    let changes = simple_cicd_engine::deploy::watch::check_apps(&t.engine).await.unwrap();
    assert_eq!(changes.len(), 1, "the first look learns the state");
    let before = recorder.summaries().len();
    api::app_action(&t.engine, &me(), &project, api::AppAction::Stop).await.unwrap();
    let changes = simple_cicd_engine::deploy::watch::check_apps(&t.engine).await.unwrap();
    let said = recorder.summaries();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(said[before..].iter().any(|s| s.contains(&project) && s.contains("unhealthy")), "{said:?}");
    assert!(simple_cicd_engine::deploy::watch::check_apps(&t.engine).await.unwrap().is_empty(), "no change, no news");
    api::app_action(&t.engine, &me(), &project, api::AppAction::Start).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    simple_cicd_engine::deploy::watch::check_apps(&t.engine).await.unwrap();
    down(&t, &project).await;
    assert!(recorder.summaries().iter().any(|s| s.contains("healthy again")), "{:?}", recorder.summaries());
}

#[tokio::test]
async fn an_image_built_here_and_never_pushed_deploys_without_a_registry() {
    let t = engine().await;
    let project = unique("local-only");
    let base = base_image().await;
    let yaml = format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 30\ncompose: |\n  services:\n    app:\n      image: {base}\n      command: [\"sleep\", \"600\"]\n"
    );
    apply(&t.engine, &yaml).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await.join("\n");
    down(&t, &project).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}\n{log}", run.error);
    assert!(log.contains("every image is already on endpoint local"), "{log}");
}
