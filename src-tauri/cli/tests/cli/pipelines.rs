//! Pipelines from the command line: `scicd run` streams each step's lines under its name and
//! ends with the table of steps; `runs show` lists steps and outputs; `logs --step`.

use crate::support::*;

const PIPELINE: &str = r#"kind: pipeline
name: web
steps:
  - name: test
    kind: shell
    script: |
      echo "tests pass"
      echo "version=2.0.$SIMPLE_CICD_RUN_NUMBER" >> "$SIMPLE_CICD_OUTPUT"
  - name: deploy
    needs: [test]
    kind: shell
    env: { VERSION: "${steps.test.outputs.version}" }
    script: echo "deploying $VERSION"
  - name: after-failure
    needs: [deploy]
    when: on-failure
    kind: shell
    script: echo never
"#;

#[test]
fn run_streams_each_step_under_its_name_and_ends_with_the_steps() {
    let s = Scicd::new();
    s.apply(PIPELINE);
    let out = s.run(&["run", "web"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("test          | tests pass"), "{text}");
    assert!(text.contains("deploy        | deploying 2.0.1"), "the output reached the next step: {text}");
    let err = stderr(&out);
    let table: Vec<&str> = err.lines().skip_while(|l| !l.starts_with("STEP")).collect();
    assert!(table.len() == 4, "a table of the three steps ends the run: {err}");
    assert!(table[1].starts_with("test") && table[1].contains("succeeded"), "{table:?}");
    assert!(table[3].starts_with("after-failure") && table[3].contains("skipped"), "{table:?}");
}

#[test]
fn runs_show_lists_steps_and_outputs_and_logs_reads_one_step() {
    let s = Scicd::new();
    s.apply(PIPELINE);
    assert_eq!(s.run(&["run", "web"]).status.code(), Some(0));
    let show = stdout(&s.run(&["runs", "show", "1"]));
    assert!(show.contains("Steps:") && show.contains("deploy") && show.contains("test"), "{show}");
    assert!(show.contains("steps.test.outputs.version") && show.contains("2.0.1"), "{show}");
    let only = s.run(&["logs", "1", "--step", "deploy"]);
    assert_eq!(only.status.code(), Some(0));
    let lines = stdout(&only);
    assert!(lines.contains("deploying 2.0.1") && !lines.contains("tests pass"), "{lines}");
    let wrong = s.run(&["logs", "1", "--step", "nope"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("its steps: test, deploy, after-failure"), "{}", stderr(&wrong));
}

#[test]
fn a_failed_step_fails_the_run_with_exit_1_and_a_bad_pipeline_is_refused_with_exit_2() {
    let s = Scicd::new();
    s.apply("kind: pipeline\nname: red\nsteps:\n  - { name: a, kind: shell, script: exit 5 }\n  - { name: b, kind: shell, script: echo b }\n");
    let out = s.run(&["run", "red"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("step `a` failed"), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, "kind: pipeline\nname: bad\nsteps:\n  - { name: a, needs: [a2], kind: shell, script: x }\n")
        .unwrap();
    let refused = s.run(&["template", "apply", "-f", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("steps[0].needs"), "{}", stderr(&refused));
}

#[test]
fn approve_and_decline_answer_a_waiting_run_from_another_process() {
    let s = Scicd::new();
    s.apply(
        "kind: pipeline\nname: gate\nsteps:\n  - { name: ok, kind: approval, message: Ship? }\n  - name: ship\n    kind: shell\n    env: { BY: \"${steps.ok.outputs.approver}\" }\n    script: echo \"shipped, approved by $BY\"\n",
    );
    let detached = s.run(&["run", "gate", "--detach"]);
    assert_eq!(detached.status.code(), Some(0), "{}", stderr(&detached));
    let id = stdout(&detached).trim().to_string();
    let not_yet = std::time::Instant::now();
    loop {
        let show = stdout(&s.run(&["runs", "show", &id]));
        if show.contains("waiting") {
            break;
        }
        assert!(not_yet.elapsed() < std::time::Duration::from_secs(20), "the run never waited: {show}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let ok = s.cmd().args(["approve", &id, "--comment", "go"]).env("USER", "ana").output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("Approved step ok"), "{}", stdout(&ok));
    let run = s.wait_status(id.parse().unwrap(), |st| st == "succeeded" || st == "failed");
    assert_eq!(run["status"], "succeeded");
    assert!(stdout(&s.run(&["logs", &id])).contains("shipped, approved by ana"));
    let twice = s.run(&["decline", &id]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("already approved by ana"), "{}", stderr(&twice));
}

#[test]
fn retry_runs_a_failed_pipeline_again_from_the_step_that_failed() {
    let s = Scicd::new();
    s.apply("kind: pipeline\nname: flaky\nsteps:\n  - { name: build, kind: shell, script: echo built }\n  - name: test\n    kind: shell\n    script: |\n      if [ -f tried ]; then echo passed; else touch tried; exit 1; fi\n");
    assert_eq!(s.run(&["run", "flaky"]).status.code(), Some(1));
    let out = s.run(&["retry", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("retry of #1 from test"), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("passed") && !text.contains("built"), "only test ran again: {text}");
    let again = s.run(&["retry", "2"]);
    assert_eq!(again.status.code(), Some(2), "a run that succeeded is re-run, not retried");
    assert!(stderr(&again).contains("succeeded"), "{}", stderr(&again));
}

#[test]
fn more_steps_side_by_side_than_the_database_has_connections_do_not_stall() {
    let s = Scicd::new();
    assert!(s.run(&["config", "set", "runs.maxParallel", "10"]).status.success());
    let mut yaml = String::from("kind: pipeline\nname: wide\nsteps:\n");
    for level in 0..3 {
        let needs: Vec<String> =
            if level == 0 { Vec::new() } else { (0..10).map(|w| format!("s{}-{w}", level - 1)).collect() };
        for w in 0..10 {
            yaml.push_str(&format!(
                "  - {{ name: s{level}-{w}, needs: [{}], kind: shell, script: \"true\" }}\n",
                needs.join(", ")
            ));
        }
    }
    s.apply(&yaml);
    let started = std::time::Instant::now();
    let out = s.cmd().args(["run", "wide"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "no step waited for a database connection: {:?}",
        started.elapsed()
    );
}
