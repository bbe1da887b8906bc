//! Pipelines against a real shell: the graph's order, steps side by side, skips, `when`,
//! `continueOnError`, outputs flowing from step to step, `uses`, cancel, and what is refused.

use std::time::{Duration, Instant};

use simple_cicd_engine::api;
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{LogStream, RunFilter, RunStatus, RunStep, StepStatus};

use crate::support::*;

async fn run_pipeline(t: &TestEngine, yaml: &str) -> (simple_cicd_engine::model::Run, Vec<RunStep>) {
    apply(&t.engine, yaml).await;
    let name = yaml.lines().find_map(|l| l.strip_prefix("name: ")).expect("a name line").trim().to_string();
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let steps = api::run_steps(&t.engine, run.id).await.unwrap();
    (run, steps)
}

fn status_of<'a>(steps: &'a [RunStep], name: &str) -> &'a RunStep {
    steps.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no step {name}: {steps:?}"))
}

#[tokio::test]
async fn steps_without_needs_run_one_after_another_in_file_order() {
    let t = engine().await;
    let (run, steps) = run_pipeline(
        &t,
        "kind: pipeline\nname: chain\nsteps:\n  - { name: one, kind: shell, script: \"echo 1 >> order\" }\n  - { name: two, kind: shell, script: \"echo 2 >> order\" }\n  - { name: three, kind: shell, script: \"cat order\" }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert!(steps.iter().all(|s| s.status == StepStatus::Succeeded), "{steps:?}");
    assert_eq!((run.steps_done, run.steps_total), (3, 3), "lists show 3/3");
    let log = log_lines(&t.engine, run.id).await;
    let printed: Vec<&str> = log.iter().filter(|l| l.stream == LogStream::Stdout).map(|l| l.text.as_str()).collect();
    assert_eq!(printed, ["1", "2"], "one workspace shared by the steps, in file order");
    assert!(log.iter().filter(|l| l.stream == LogStream::Stdout).all(|l| l.step == Some(2)), "lines carry their step");
    assert_eq!(steps.iter().map(|s| s.depth).collect::<Vec<_>>(), [0, 1, 2]);
}

#[tokio::test]
async fn independent_steps_run_side_by_side_within_runs_max_parallel() {
    let t = engine().await;
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "runs.maxParallel", "3").await.unwrap();
    let started = Instant::now();
    let (run, steps) = run_pipeline(
        &t,
        "kind: pipeline\nname: fan\nsteps:\n  - { name: a, kind: shell, script: sleep 1 }\n  - { name: b, kind: shell, script: sleep 1 }\n  - { name: c, kind: shell, script: sleep 1 }\n  - { name: end, needs: [a, b, c], kind: shell, script: echo done }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert!(started.elapsed() < Duration::from_millis(2800), "a, b and c ran side by side: {:?}", started.elapsed());
    let end = status_of(&steps, "end");
    assert_eq!((end.depth, end.needs.len()), (1, 3));
    let ends_of_abc = ["a", "b", "c"].map(|n| status_of(&steps, n).ended_at.clone().unwrap());
    assert!(ends_of_abc.iter().all(|e| e <= end.started_at.as_ref().unwrap()), "end starts after what it needs");

    simple_cicd_engine::settings::config_set(&t.engine, &me(), "runs.maxParallel", "1").await.unwrap();
    let started = Instant::now();
    let (run, _) = run_pipeline(
        &t,
        "kind: pipeline\nname: narrow\nsteps:\n  - { name: a, kind: shell, script: sleep 0.5 }\n  - { name: b, needs: [], kind: shell, script: sleep 0.5 }\n  - { name: c, needs: [a], kind: shell, script: true }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert!(started.elapsed() >= Duration::from_millis(1000), "one step at a time with runs.maxParallel 1");
}

#[tokio::test]
async fn a_failed_step_skips_what_waits_for_success_and_runs_the_rest() {
    let t = engine().await;
    let (run, steps) = run_pipeline(
        &t,
        "kind: pipeline\nname: fails\nsteps:\n  - { name: test, kind: shell, script: exit 3 }\n  - { name: deploy, needs: [test], kind: shell, script: echo deployed }\n  - { name: report, needs: [test], when: on-failure, kind: shell, script: echo reporting }\n  - { name: cleanup, needs: [deploy], when: always, kind: shell, script: echo cleaned }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Failed);
    assert!(run.error.as_deref().unwrap_or_default().contains("test"), "the run names the failed step: {run:?}");
    assert_eq!((status_of(&steps, "test").status, status_of(&steps, "test").exit_code), (StepStatus::Failed, Some(3)));
    let deploy = status_of(&steps, "deploy");
    assert_eq!(deploy.status, StepStatus::Skipped);
    assert!(deploy.error.as_deref().unwrap_or_default().contains("failed"), "{deploy:?}");
    assert_eq!(status_of(&steps, "report").status, StepStatus::Succeeded, "on-failure runs after a failure");
    assert_eq!(status_of(&steps, "cleanup").status, StepStatus::Succeeded, "always runs anyway");
    let text = log_text(&t.engine, run.id).await;
    assert!(!text.contains(&"deployed".to_string()) && text.contains(&"cleaned".to_string()), "{text:?}");
}

#[tokio::test]
async fn continue_on_error_lets_the_steps_after_it_run() {
    let t = engine().await;
    let (run, steps) = run_pipeline(
        &t,
        "kind: pipeline\nname: lenient\nsteps:\n  - { name: lint, kind: shell, continueOnError: true, script: exit 1 }\n  - { name: build, kind: shell, script: echo built }\n  - { name: notify, kind: shell, when: on-failure, script: echo nope }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "a failure with continueOnError does not fail the run");
    assert_eq!(status_of(&steps, "lint").status, StepStatus::Failed);
    assert!(status_of(&steps, "lint").continue_on_error, "the UI tells a failure that fails the run by this");
    assert!(!status_of(&steps, "build").continue_on_error);
    assert_eq!(status_of(&steps, "build").status, StepStatus::Succeeded);
    assert_eq!(status_of(&steps, "notify").status, StepStatus::Skipped);
}

#[tokio::test]
async fn outputs_flow_into_later_steps_as_environment_never_as_shell_text() {
    let t = engine().await;
    let (run, steps) = run_pipeline(
        &t,
        r#"kind: pipeline
name: outputs
steps:
  - name: version
    kind: shell
    script: |
      echo "tag=1.2.$SIMPLE_CICD_RUN_NUMBER" >> "$SIMPLE_CICD_OUTPUT"
      echo 'evil=$(touch pwned) `touch pwned2`' >> "$SIMPLE_CICD_OUTPUT"
  - name: use
    needs: [version]
    kind: shell
    env: { TAG: "v${steps.version.outputs.tag}", EVIL: "${steps.version.outputs.evil}" }
    script: |
      echo "tag is $TAG"
      echo "evil is $EVIL"
"#,
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_eq!(status_of(&steps, "version").outputs["tag"], "1.2.1");
    let text = log_text(&t.engine, run.id).await;
    assert!(text.contains(&"tag is v1.2.1".to_string()), "{text:?}");
    assert!(text.contains(&"evil is $(touch pwned) `touch pwned2`".to_string()), "printed verbatim: {text:?}");
    let ws = std::path::PathBuf::from(run.workdir.unwrap());
    assert!(!ws.join("pwned").exists() && !ws.join("pwned2").exists(), "an output is never run as shell code");
}

#[tokio::test]
async fn a_step_uses_a_saved_template_with_its_parameters() {
    let t = engine().await;
    apply(
        &t.engine,
        "kind: shell\nname: unit-tests\nparams:\n  - { name: LEVEL, type: choice, choices: [quick, full], default: quick }\nscript: echo \"testing $LEVEL\"\n",
    )
    .await;
    let (run, _) = run_pipeline(
        &t,
        "kind: pipeline\nname: uses\nsteps:\n  - { name: test, uses: unit-tests, with: { LEVEL: full } }\n",
    )
    .await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert!(log_text(&t.engine, run.id).await.contains(&"testing full".to_string()));
}

#[tokio::test]
async fn bad_references_are_refused_at_save_with_the_step_and_field() {
    let t = engine().await;
    let refused = |yaml: &'static str| {
        let engine = t.engine.clone();
        async move {
            match api::template_apply_yaml(&engine, &me(), yaml).await {
                Err(simple_cicd_engine::Error::Invalid(f)) => f,
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
    };
    let f = refused("kind: pipeline\nname: p\nsteps:\n  - { name: a, uses: nope }\n").await;
    assert_eq!(f[0].path, "steps[0].uses", "{f:?}");
    let f = refused(
        "kind: pipeline\nname: p\nsteps:\n  - { name: a, needs: [b], kind: shell, script: x }\n  - { name: b, needs: [a], kind: shell, script: x }\n",
    )
    .await;
    assert!(f[0].message.contains("circle"), "{f:?}");
    apply(&t.engine, "kind: shell\nname: unit\nparams: [ { name: N, type: number } ]\nscript: x\n").await;
    let f = refused("kind: pipeline\nname: p\nsteps:\n  - { name: a, uses: unit, with: { N: lots } }\n").await;
    assert_eq!(f[0].path, "steps[0].with.N", "{f:?}");
    let f = refused("kind: pipeline\nname: p\nsteps:\n  - { name: a, kind: shell, script: x }\n  - { name: b, kind: shell, env: { V: \"${steps.a.outputs.v}\" }, script: x }\n  - { name: c, needs: [a], kind: shell, env: { V: \"${steps.b.outputs.v}\" }, script: x }\n").await;
    assert!(f.iter().any(|e| e.path == "steps[2].env.V" && e.message.contains("needs: [b]")), "{f:?}");
    assert!(api::template_get(&t.engine, "p").await.is_err(), "nothing was saved");
}

#[tokio::test]
async fn cancel_stops_the_running_step_and_skips_the_rest() {
    let t = engine().await;
    apply(
        &t.engine,
        "kind: pipeline\nname: long\nsteps:\n  - { name: slow, kind: shell, script: \"echo started; sleep 300\" }\n  - { name: after, kind: shell, script: echo after }\n",
    )
    .await;
    let id = start(&t.engine, "long", &[]).await.id;
    wait_for_line(&t.engine, id, "started").await;
    api::run_cancel(&t.engine, &me(), id).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    let steps = api::run_steps(&t.engine, id).await.unwrap();
    assert_eq!(status_of(&steps, "slow").status, StepStatus::Cancelled);
    assert_eq!(status_of(&steps, "after").status, StepStatus::Skipped);
    let left: Vec<String> = processes_with_env("SIMPLE_CICD_TEMPLATE", "long")
        .iter()
        .map(|p| std::fs::read_to_string(format!("/proc/{p}/cmdline")).unwrap_or_default().replace('\0', " "))
        .collect();
    assert!(left.is_empty(), "nothing left running: {left:?} {:?}", log_text(&t.engine, id).await);
}

#[tokio::test]
async fn a_one_step_template_s_run_has_no_steps() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: solo\nscript: echo hi\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "solo", &[]).await.id).await;
    assert!(api::run_steps(&t.engine, run.id).await.unwrap().is_empty());
    assert!(log_lines(&t.engine, run.id).await.iter().all(|l| l.step.is_none()));
}

const GATED: &str = r#"kind: pipeline
name: gated
steps:
  - name: build
    kind: shell
    script: echo "digest=sha256:abc" >> "$SIMPLE_CICD_OUTPUT"
  - name: approve
    needs: [build]
    kind: approval
    message: "Deploy ${steps.build.outputs.digest}?"
  - name: deploy
    needs: [approve]
    kind: shell
    env: { WHO: "${steps.approve.outputs.approver}", WHY: "${steps.approve.outputs.comment}" }
    script: echo "deploying, approved by $WHO ($WHY)"
"#;

async fn wait_for_step(t: &TestEngine, id: i64, name: &str, status: StepStatus) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let steps = api::run_steps(&t.engine, id).await.unwrap();
        if status_of(&steps, name).status == status {
            return;
        }
        assert!(Instant::now() < deadline, "step {name} never became {status}: {steps:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn answer(approve: bool, comment: &str) -> api::Answer {
    api::Answer { approve, comment: Some(comment.into()), step: None }
}

/// Someone at the command line, as approvals and retries record them.
fn person(name: &str) -> Caller {
    Caller::Cli { os_user: name.into() }
}

#[tokio::test]
async fn an_approval_waits_and_its_answer_reaches_the_next_step() {
    let t = engine().await;
    apply(&t.engine, GATED).await;
    let queued = start(&t.engine, "gated", &[]).await;
    assert_eq!((queued.steps_done, queued.steps_total), (0, 3), "the steps exist from the start: 0/3");
    let id = queued.id;
    wait_for_step(&t, id, "approve", StepStatus::Waiting).await;
    let waiting = api::run_get(&t.engine, id).await.unwrap();
    assert_eq!((waiting.status, waiting.steps_done), (RunStatus::Waiting, 1), "the run waits, 1/3 done");
    let filter = RunFilter { status: Some(RunStatus::Waiting), ..Default::default() };
    let listed = api::run_list(&t.engine, &filter).await.unwrap();
    assert_eq!(listed.runs.iter().map(|r| r.id).collect::<Vec<_>>(), [id], "history finds the runs that wait");
    wait_for_line(&t.engine, id, "Waiting for approval: Deploy sha256:abc?").await;
    let step = api::run_answer(&t.engine, &person("ana"), id, answer(true, "ship it")).await.unwrap();
    assert_eq!(step.name, "approve");
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    let steps = api::run_steps(&t.engine, id).await.unwrap();
    assert_eq!(status_of(&steps, "approve").outputs["approver"], "ana");
    assert!(log_text(&t.engine, id).await.contains(&"deploying, approved by ana (ship it)".to_string()));
    let again = api::run_answer(&t.engine, &person("bob"), id, answer(true, "")).await.unwrap_err();
    assert!(again.to_string().contains("already approved by ana"), "{again}");
}

#[tokio::test]
async fn a_declined_approval_skips_the_deploy_and_fails_the_run() {
    let t = engine().await;
    apply(&t.engine, GATED).await;
    let id = start(&t.engine, "gated", &[]).await.id;
    wait_for_step(&t, id, "approve", StepStatus::Waiting).await;
    api::run_answer(&t.engine, &person("bob"), id, answer(false, "not on a Friday")).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Failed);
    let steps = api::run_steps(&t.engine, id).await.unwrap();
    let approve = status_of(&steps, "approve");
    assert_eq!(approve.status, StepStatus::Failed);
    assert!(approve.error.as_deref().unwrap_or_default().contains("declined by bob: not on a Friday"), "{approve:?}");
    assert_eq!(status_of(&steps, "deploy").status, StepStatus::Skipped);
}

#[tokio::test]
async fn a_run_cancelled_while_it_waits_for_an_approval_ends_cancelled() {
    let t = engine().await;
    apply(&t.engine, GATED).await;
    let id = start(&t.engine, "gated", &[]).await.id;
    wait_for_step(&t, id, "approve", StepStatus::Waiting).await;
    api::run_cancel(&t.engine, &me(), id).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    let steps = api::run_steps(&t.engine, id).await.unwrap();
    assert_eq!(status_of(&steps, "approve").status, StepStatus::Cancelled);
    assert_eq!(status_of(&steps, "deploy").status, StepStatus::Skipped);
}

#[tokio::test]
async fn answering_a_run_that_waits_for_nothing_is_refused_and_changes_nothing() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: plain\nscript: echo hi\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "plain", &[]).await.id).await;
    let err = api::run_answer(&t.engine, &person("ana"), run.id, answer(true, "")).await.unwrap_err();
    assert!(err.to_string().contains("is not waiting for an approval"), "{err}");
    assert_eq!(api::run_get(&t.engine, run.id).await.unwrap().status, RunStatus::Succeeded);
}

#[tokio::test]
async fn an_approval_nobody_answers_is_declined_when_time_runs_out() {
    let t = engine().await;
    apply(
        &t.engine,
        "kind: pipeline\nname: nobody\ntimeoutSeconds: 2\nsteps:\n  - { name: gate, kind: approval, message: Go? }\n  - { name: after, kind: shell, script: echo after }\n",
    )
    .await;
    let run = wait_end(&t.engine, start(&t.engine, "nobody", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::TimedOut);
    let steps = api::run_steps(&t.engine, run.id).await.unwrap();
    let gate = status_of(&steps, "gate");
    assert_eq!((gate.status, gate.outputs["approver"].as_str()), (StepStatus::Failed, "timeout"));
    assert_eq!(status_of(&steps, "after").status, StepStatus::Skipped);
}

const FLAKY: &str = r#"kind: pipeline
name: flaky
steps:
  - name: prepare
    kind: shell
    script: |
      echo "prepared" > prepared.txt
      echo "version=7" >> "$SIMPLE_CICD_OUTPUT"
  - name: test
    kind: shell
    script: |
      if [ -f tried ]; then echo "passes the second time"; else touch tried; echo "fails the first time"; exit 1; fi
  - name: deploy
    kind: shell
    env: { V: "${steps.prepare.outputs.version}" }
    script: echo "deploying $V from $(cat prepared.txt)"
"#;

#[tokio::test]
async fn a_retry_from_the_failed_step_takes_over_the_workspace_and_the_steps_before_it() {
    let t = engine().await;
    let (first, _) = run_pipeline(&t, FLAKY).await;
    assert_eq!(first.status, RunStatus::Failed);
    let retry = api::run_retry(&t.engine, &person("ana"), first.id, None).await.unwrap();
    assert_eq!(retry.retry_of, Some(first.id));
    assert_eq!(retry.number, 2, "a retry is a run of its own");
    assert!(retry.trigger.contains("retry of #1 from test by ana"), "{}", retry.trigger);
    let run = wait_end(&t.engine, retry.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    let steps = api::run_steps(&t.engine, run.id).await.unwrap();
    let prepare = status_of(&steps, "prepare");
    assert_eq!(prepare.status, StepStatus::Succeeded);
    assert!(prepare.error.as_deref().unwrap_or_default().contains("taken over from #1"), "{prepare:?}");
    assert_eq!(prepare.outputs["version"], "7", "the outputs before the step are kept");
    let text = log_text(&t.engine, run.id).await;
    assert!(!text.contains(&"prepared".to_string()), "prepare did not run again: {text:?}");
    assert!(text.contains(&"passes the second time".to_string()), "the workspace is the first run's: {text:?}");
    assert!(text.contains(&"deploying 7 from prepared".to_string()), "{text:?}");
}

#[tokio::test]
async fn a_retry_is_refused_for_a_run_that_succeeded_or_a_step_that_does_not_exist() {
    let t = engine().await;
    let (ok, _) =
        run_pipeline(&t, "kind: pipeline\nname: fine\nsteps:\n  - { name: a, kind: shell, script: \"true\" }\n").await;
    let err = api::run_retry(&t.engine, &person("ana"), ok.id, None).await.unwrap_err();
    assert!(err.to_string().contains("succeeded"), "{err}");
    let (bad, _) =
        run_pipeline(&t, "kind: pipeline\nname: bad\nsteps:\n  - { name: a, kind: shell, script: exit 1 }\n").await;
    let err = api::run_retry(&t.engine, &person("ana"), bad.id, Some("zzz")).await.unwrap_err();
    assert!(err.to_string().contains("no step zzz; its steps: a"), "{err}");
    apply(&t.engine, "kind: shell\nname: single\nscript: exit 1\n").await;
    let single = wait_end(&t.engine, start(&t.engine, "single", &[]).await.id).await;
    let err = api::run_retry(&t.engine, &person("ana"), single.id, None).await.unwrap_err();
    assert!(err.to_string().contains("not a pipeline run"), "{err}");
}
