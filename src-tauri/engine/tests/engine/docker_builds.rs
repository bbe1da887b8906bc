//! docker-build runs against the real daemon and a real registry: the context and .dockerignore,
//! variables in tags and build args, live output, the image id and pushed digest on the run, and
//! every bad input failing clearly with nothing left behind.

use std::path::Path;
use std::time::Duration;

use simple_cicd_engine::api;
use simple_cicd_engine::model::{NewRegistry, RunStatus};

use crate::docker_support::*;
use crate::support::*;

/// A context directory with a Dockerfile (FROM the base image), an app file, a .dockerignore and
/// files it leaves out.
fn context(dir: &Path, dockerfile: &str) {
    std::fs::create_dir_all(dir.join("node_modules/pkg")).unwrap();
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(dir.join("app.txt"), "the app\n").unwrap();
    std::fs::write(dir.join("build-id.txt"), unique("build")).unwrap(); // no cache from earlier runs
    std::fs::write(dir.join("secret.env"), "TOKEN=nope\n").unwrap();
    std::fs::write(dir.join("node_modules/pkg/index.js"), "x").unwrap();
    std::fs::write(dir.join(".dockerignore"), "node_modules\n*.env\n").unwrap();
}

fn yaml(name: &str, ctx: &Path, extra: &str) -> String {
    format!("kind: docker-build\nname: {name}\ncontext: {}\n{extra}", ctx.display())
}

async fn failed_with(t: &TestEngine, name: &str, params: &[(&str, &str)]) -> (String, Vec<String>) {
    let run = wait_end(&t.engine, start(&t.engine, name, params).await.id).await;
    let log = log_text(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Failed, "{log:?}");
    (run.error.clone().expect("a failed build says why on the run"), log)
}

#[tokio::test]
async fn a_build_streams_its_output_honours_dockerignore_and_records_the_image() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    let name = unique("web");
    context(
        ctx.path(),
        &format!(
            "FROM {base} AS build\nARG VERSION\nCOPY . /app\nRUN echo \"version=$VERSION\" && ls -a /app\n\nFROM build AS runtime\nRUN echo runtime-stage\n\nFROM build AS unused\nRUN echo never-built\n"
        ),
    );
    let extra = format!(
        "params:\n  - name: CHANNEL\n    type: string\n    default: beta\nbuildArgs:\n  VERSION: \"1.${{SIMPLE_CICD_RUN_NUMBER}}-$CHANNEL\"\ntarget: runtime\ntags: [\"simple-cicd-test/{name}:${{SIMPLE_CICD_RUN_NUMBER}}\", \"simple-cicd-test/{name}:latest\"]\n"
    );
    apply(&t.engine, &yaml(&name, ctx.path(), &extra)).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await;
    let text = log.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{text}");
    assert!(text.contains("Step 1/"), "Docker's build output is in the log: {text}");
    assert!(text.contains("version=1.1-beta"), "build args get the run's variables: {text}");
    assert!(text.contains("runtime-stage") && !text.contains("never-built"), "only the target stage is built: {text}");
    assert!(text.contains("app.txt") && text.contains("Dockerfile"), "the context reached the build: {text}");
    assert!(!text.contains("secret.env") && !text.contains("node_modules"), ".dockerignore is honoured: {text}");
    assert!(text.contains("left out by .dockerignore"), "{text}");
    let id = run.image_id.clone().expect("the image id is recorded on the run");
    assert!(id.starts_with("sha256:"), "{id}");
    assert_eq!(run.image_tags, [format!("simple-cicd-test/{name}:1"), format!("simple-cicd-test/{name}:latest")]);
    for tag in &run.image_tags {
        let image = docker().inspect_image(tag).await.expect("every tag exists");
        assert_eq!(image.id.as_deref(), Some(id.as_str()));
    }
    assert!(containers_of_template(&name).await.is_empty());
}

#[tokio::test]
async fn an_inline_dockerfile_needs_no_file_and_is_not_copied_into_the_image() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(ctx.path().join("hello.txt"), unique("hi")).unwrap();
    let name = unique("inline");
    let extra = format!(
        "dockerfileInline: |\n  FROM {base}\n  COPY . /ctx\n  RUN ls -a /ctx\ntags: [\"simple-cicd-test/{name}\"]\n"
    );
    apply(&t.engine, &yaml(&name, ctx.path(), &extra)).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let text = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{text}");
    assert!(text.contains("hello.txt"), "{text}");
    assert!(!text.contains(".simple-cicd.Dockerfile"), "the generated Dockerfile is hidden from COPY: {text}");
}

#[tokio::test]
async fn an_unknown_instruction_fails_the_run_with_docker_s_message() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), &format!("FROM {base}\nFROBNICATE the build\n"));
    let name = unique("unknown-instr");
    apply(&t.engine, &yaml(&name, ctx.path(), "")).await;
    let (error, log) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("unknown instruction") && error.to_lowercase().contains("frobnicate"), "{error}");
    assert!(log.iter().any(|l| l.contains("unknown instruction")), "Docker's message is in the log: {log:?}");
}

#[tokio::test]
async fn a_missing_base_image_fails_the_run_with_docker_s_message() {
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), "FROM simple-cicd-test/does-not-exist:1\nRUN true\n");
    let name = unique("no-base");
    apply(&t.engine, &yaml(&name, ctx.path(), "")).await;
    let (error, log) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("the image build failed") && error.contains("simple-cicd-test/does-not-exist"), "{error}");
    assert!(log.iter().any(|l| l.contains("does-not-exist")), "{log:?}");
}

#[tokio::test]
async fn a_failing_run_instruction_leaves_no_intermediate_container() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    let marker = unique("marker");
    context(ctx.path(), &format!("FROM {base}\nRUN echo {marker} && exit 3\n"));
    let name = unique("run-fails");
    apply(&t.engine, &yaml(&name, ctx.path(), "")).await;
    let (error, log) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("returned a non-zero code: 3"), "{error}");
    assert!(log.iter().any(|l| l == &marker), "the RUN's output is in the log: {log:?}");
    assert_eq!(
        containers_mentioning(&marker).await,
        Vec::<String>::new(),
        "forcerm removed the failed step's container"
    );
}

#[tokio::test]
async fn a_tag_with_spaces_after_substitution_fails_before_anything_is_sent() {
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), "FROM scratch\n");
    let name = unique("bad-tag");
    let extra = "params:\n  - name: WHO\n    type: string\ntags: [\"simple-cicd-test/web:${WHO}\"]\n";
    apply(&t.engine, &yaml(&name, ctx.path(), extra)).await;
    let (error, log) = failed_with(&t, &name, &[("WHO", "a b")]).await;
    assert!(error.contains("tags[0]") && error.contains("contains a space"), "{error}");
    assert!(!log.iter().any(|l| l.contains("Connecting") || l.contains("Sending")), "nothing was sent: {log:?}");
    let (error, _) = failed_with(&t, &name, &[]).await; // WHO is empty: `web:` has no tag
    assert!(error.contains("the tag after `:` is empty"), "{error}");
}

#[tokio::test]
async fn an_unknown_variable_in_a_tag_names_it() {
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), "FROM scratch\n");
    let name = unique("unknown-var");
    apply(&t.engine, &yaml(&name, ctx.path(), "tags: [\"web:${SIMPLE_CICD_COMMIT_SHORT}\"]\n")).await;
    let (error, _) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("$SIMPLE_CICD_COMMIT_SHORT") && error.contains("SIMPLE_CICD_RUN_NUMBER"), "{error}");
}

#[tokio::test]
async fn a_push_goes_to_the_registry_and_its_digest_is_recorded() {
    let base = base_image().await;
    let registry = TestRegistry::start(None).await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), &format!("FROM {base}\nCOPY app.txt /app.txt\n"));
    api::registry_add(
        &t.engine,
        &me(),
        NewRegistry { name: "local-reg".into(), url: registry.host.clone(), ..Default::default() },
    )
    .await
    .unwrap();
    let name = unique("pushed");
    let extra = format!(
        "tags: [\"{host}/team/{name}:${{SIMPLE_CICD_RUN_NUMBER}}\", \"simple-cicd-test/{name}:only-local\"]\npush: {{ registry: local-reg }}\n",
        host = registry.host
    );
    apply(&t.engine, &yaml(&name, ctx.path(), &extra)).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let text = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{text}");
    assert!(text.contains("Pushing") && text.contains("digest: sha256:"), "push progress is in the log: {text}");
    let digest = run.image_digest.clone().expect("the pushed digest is recorded");
    assert_eq!(registry.manifest_digest(&format!("team/{name}"), "1", None).as_deref(), Some(digest.as_str()));
    assert!(!text.contains("only-local: digest"), "only tags naming the registry are pushed: {text}");
}

#[tokio::test]
async fn a_push_with_a_wrong_password_fails_with_a_clear_message_and_the_right_one_works() {
    let base = base_image().await;
    let registry = TestRegistry::start(Some(("ci", "right-password-1"))).await;
    let t = engine().await;
    file_secrets(&t.engine).await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), &format!("FROM {base}\nCOPY app.txt /app.txt\n"));
    for (reg, password) in [("wrong", "wrong-password-1"), ("right", "right-password-1")] {
        let new = NewRegistry {
            name: reg.into(),
            url: format!("http://{}", registry.host),
            username: Some("ci".into()),
            password: Some(password.into()),
        };
        api::registry_add(&t.engine, &me(), new).await.unwrap();
    }
    let name = unique("auth-push");
    let tag = format!("{}/{name}:1", registry.host);
    apply(&t.engine, &yaml(&name, ctx.path(), &format!("tags: [\"{tag}\"]\npush: {{ registry: wrong }}\n"))).await;
    let (error, log) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("the registry wrong") && error.contains("refused the push"), "{error}");
    assert!(error.contains("scicd registry test wrong"), "the message says what to do: {error}");
    assert!(!log.join("\n").contains("wrong-password-1"), "the password never reaches the log");

    apply(&t.engine, &yaml(&name, ctx.path(), &format!("tags: [\"{tag}\"]\npush: {{ registry: right }}\n"))).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, run.id).await);
    let digest = registry.manifest_digest(&name, "1", Some(("ci", "right-password-1")));
    assert_eq!(digest, run.image_digest);
}

#[tokio::test]
async fn a_push_to_a_registry_that_is_not_running_fails_clearly() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), &format!("FROM {base}\n"));
    let host = format!("127.0.0.1:{}", free_port());
    api::registry_add(&t.engine, &me(), NewRegistry { name: "gone".into(), url: host.clone(), ..Default::default() })
        .await
        .unwrap();
    let name = unique("push-nowhere");
    apply(&t.engine, &yaml(&name, ctx.path(), &format!("tags: [\"{host}/{name}:1\"]\npush: {{ registry: gone }}\n")))
        .await;
    let (error, _) = failed_with(&t, &name, &[]).await;
    assert!(error.contains(&format!("to registry gone ({host}) failed")), "{error}");
    assert!(error.contains("connection refused"), "Docker's reason is kept: {error}");
}

#[tokio::test]
async fn cancelling_a_build_leaves_no_container_behind() {
    let base = base_image().await;
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    let marker = unique("slow");
    context(ctx.path(), &format!("FROM {base}\nRUN echo {marker} && sleep 60\n"));
    let name = unique("cancelled-build");
    apply(&t.engine, &yaml(&name, ctx.path(), "")).await;
    let id = start(&t.engine, &name, &[]).await.id;
    wait_for_line(&t.engine, id, &marker).await;
    api::run_cancel(&t.engine, &me(), id).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !containers_mentioning(&marker).await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the daemon removes the abandoned build's container");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_build_on_the_tls_endpoint_works_like_on_the_socket() {
    let base = base_image().await;
    let t = engine().await;
    file_secrets(&t.engine).await;
    add_endpoint(&t.engine, tls_endpoint("remote")).await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), &format!("FROM {base}\nRUN echo over-tls\n"));
    let name = unique("tls-build");
    apply(&t.engine, &yaml(&name, ctx.path(), "endpoint: remote\n")).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let text = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{text}");
    assert!(text.contains("over-tls") && text.contains("endpoint remote"), "{text}");
}

#[tokio::test]
async fn an_unreachable_endpoint_fails_the_run_clearly() {
    let t = engine().await;
    let ctx = tempfile::tempdir().unwrap();
    context(ctx.path(), "FROM scratch\n");
    let port = free_port();
    let new = simple_cicd_engine::model::NewEndpoint {
        name: "down".into(),
        url: format!("tcp://127.0.0.1:{port}"),
        ..Default::default()
    };
    api::endpoint_add(&t.engine, &me(), new).await.unwrap();
    let name = unique("unreachable");
    apply(&t.engine, &yaml(&name, ctx.path(), "endpoint: down\n")).await;
    let (error, log) = failed_with(&t, &name, &[]).await;
    assert!(
        error.starts_with(&format!("Docker is not reachable at tcp://127.0.0.1:{port} (connection refused)")),
        "{error}"
    );
    assert!(log.iter().any(|l| l.contains(&error)), "{log:?}");
    apply(&t.engine, &yaml(&name, ctx.path(), "endpoint: nowhere\n")).await;
    let (error, _) = failed_with(&t, &name, &[]).await;
    assert!(error.contains("the Docker endpoint nowhere does not exist"), "{error}");
}

#[tokio::test]
async fn a_build_from_a_git_source_uses_the_checkout_and_its_commit_in_the_tags() {
    let base = base_image().await;
    let fx = crate::git_servers::Fixture::new();
    let sha = fx.commit(
        "main",
        "Dockerfile",
        &format!("FROM {base}\nARG COMMIT\nCOPY README.md /\nRUN cat /README.md && echo built-from=$COMMIT\n"),
    );
    let t = engine().await;
    let repo = unique("app");
    add_repo(
        &t.engine,
        simple_cicd_engine::model::RepositoryInput { name: repo.clone(), url: fx.file_url(), ..Default::default() },
    )
    .await;
    let name = unique("from-git");
    apply(
        &t.engine,
        &format!(
            "kind: docker-build\nname: {name}\nsource: {{ repo: {repo}, ref: main }}\nbuildArgs: {{ COMMIT: \"${{SIMPLE_CICD_COMMIT}}\" }}\ntags: [\"simple-cicd-test/{name}:${{SIMPLE_CICD_COMMIT_SHORT}}\"]\n"
        ),
    )
    .await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let text = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{text}");
    assert!(
        text.contains("hello") && text.contains(&format!("built-from={sha}")),
        "the checkout is the context: {text}"
    );
    let short = run.commit.as_ref().expect("the run records its commit").short_sha.clone();
    assert_eq!(run.image_tags, [format!("simple-cicd-test/{name}:{short}")]);
}
