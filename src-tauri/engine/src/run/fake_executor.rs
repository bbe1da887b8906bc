//! A scripted executor for the scheduler's own tests: each step, by name, ends as the script says
//! (an outcome, outputs, after a delay), without processes. What the tests check is the
//! scheduler: the order of the graph, steps side by side, skips, `when`, `continueOnError`,
//! cancel, the pipeline's timeout, outputs flowing on. The real executors keep their real tests
//! (tests/engine/pipelines.rs and the Docker tests).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::step_executor::{StepDone, StepExecutor, StepJob};
use crate::error::Result;
use crate::exec::{stop_requested, StepOutcome, StopReason};
use crate::log::LogWriter;

/// How one step ends.
#[derive(Clone)]
pub(crate) struct Script {
    pub outcome: StepOutcome,
    pub outputs: BTreeMap<String, String>,
    pub takes: Duration,
}

impl Script {
    pub(crate) fn ok(ms: u64) -> Script {
        Script { outcome: StepOutcome::Succeeded, outputs: BTreeMap::new(), takes: Duration::from_millis(ms) }
    }
    pub(crate) fn fails(ms: u64) -> Script {
        Script { outcome: StepOutcome::Failed(1), ..Script::ok(ms) }
    }
    pub(crate) fn with_output(mut self, key: &str, value: &str) -> Script {
        self.outputs.insert(key.into(), value.into());
        self
    }
}

/// What the fake saw of one step.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub name: String,
    pub started: Instant,
    pub ended: Instant,
    pub env: Vec<(String, String)>,
}

/// Steps end as scripted (a step not in the script succeeds at once); every execution is kept.
#[derive(Default)]
pub(crate) struct ScriptedExecutor {
    pub scripts: HashMap<String, Script>,
    pub seen: Mutex<Vec<Seen>>,
}

impl ScriptedExecutor {
    pub(crate) fn new(scripts: &[(&str, Script)]) -> ScriptedExecutor {
        ScriptedExecutor {
            scripts: scripts.iter().map(|(n, s)| (n.to_string(), s.clone())).collect(),
            seen: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

impl StepExecutor for ScriptedExecutor {
    async fn execute(&self, job: StepJob, log: &LogWriter, mut stop: watch::Receiver<StopReason>) -> Result<StepDone> {
        let script = self.scripts.get(&job.step.name).cloned().unwrap_or_else(|| Script::ok(0));
        let started = Instant::now();
        log.system(format!("fake {} runs", job.step.name)).await;
        let limit = job.timeout.unwrap_or(Duration::from_secs(3600));
        let outcome = tokio::select! {
            () = tokio::time::sleep(script.takes.min(limit)) => {
                if script.takes > limit { StepOutcome::TimedOut(None) } else { script.outcome.clone() }
            }
            () = stop_requested(&mut stop) => StepOutcome::Cancelled(None),
        };
        self.seen.lock().expect("not poisoned").push(Seen {
            name: job.step.name.clone(),
            started,
            ended: Instant::now(),
            env: job.env.clone(),
        });
        Ok(StepDone { outcome, outputs: script.outputs })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::{RunStatus, StepStatus, TemplateSpec};
    use crate::run::execute::StepContext;
    use crate::run::pipeline::run_pipeline;
    use crate::store::NewRun;
    use crate::{Engine, EngineOptions};

    struct Harness {
        engine: Engine,
        _dir: tempfile::TempDir,
    }

    async fn harness() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let engine =
            Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
        crate::settings::set(&engine, "runs.maxParallel", "4").await.unwrap();
        Harness { engine, _dir: dir }
    }

    /// Runs `yaml` (a pipeline) on `exec`, cancelling after `cancel_after` when given; returns the
    /// outcome and each step's status.
    async fn run(
        h: &Harness,
        yaml: &str,
        exec: &ScriptedExecutor,
        cancel_after: Option<Duration>,
    ) -> (StepOutcome, Vec<(String, StepStatus)>) {
        let spec: TemplateSpec = crate::template::spec_from_yaml(yaml).unwrap();
        let errors = crate::template::validate(&spec);
        assert!(errors.is_empty(), "{errors:?}");
        let saved = h.engine.store().template_insert(&spec, 1).await.unwrap();
        // Owned by nobody alive here, so the engine's own queue leaves it alone.
        let run = h
            .engine
            .store()
            .run_insert(NewRun {
                template_id: saved.id,
                spec: &spec,
                params: &Default::default(),
                trigger: "manual",
                owner: "fake-executor-test",
                run_key: "fakekey",
                now: 1,
                git_ref: None,
                git_sha: None,
                retry: None,
            })
            .await
            .unwrap();
        let workspace = tempfile::tempdir().unwrap();
        let ctx = StepContext { engine: &h.engine, run: &run, run_key: "fakekey", workspace: workspace.path() };
        let log = LogWriter::start(
            h.engine.store().clone(),
            run.id,
            0,
            std::sync::Arc::new(tokio::sync::watch::channel(0u64).0),
            crate::log::mask::Masker::none(),
        );
        let (stop_tx, stop) = tokio::sync::watch::channel(StopReason::None);
        let canceller = async {
            if let Some(after) = cancel_after {
                tokio::time::sleep(after).await;
                stop_tx.send_replace(StopReason::Cancel);
            }
        };
        let (outcome, ()) = tokio::join!(run_pipeline(&ctx, &spec, Vec::new(), &log, stop, exec), canceller);
        log.close().await;
        let steps = crate::api::run_steps(&h.engine, run.id).await.unwrap();
        assert_eq!(
            h.engine.store().run_get(run.id).await.unwrap().status,
            RunStatus::Queued,
            "the run row is the test's"
        );
        (outcome.unwrap(), steps.into_iter().map(|s| (s.name, s.status)).collect())
    }

    fn statuses(list: &[(String, StepStatus)]) -> Vec<(&str, StepStatus)> {
        list.iter().map(|(n, s)| (n.as_str(), *s)).collect()
    }

    const DIAMOND: &str = "kind: pipeline\nname: diamond\nsteps:\n  - { name: a, kind: shell, script: x }\n  - { name: b, needs: [a], kind: shell, script: x }\n  - { name: c, needs: [a], kind: shell, script: x }\n  - { name: d, needs: [b, c], kind: shell, script: x }\n";

    #[tokio::test]
    async fn the_graph_runs_in_dependency_order_with_branches_side_by_side() {
        let h = harness().await;
        let exec = ScriptedExecutor::new(&[("b", Script::ok(300)), ("c", Script::ok(300))]);
        let (outcome, steps) = run(&h, DIAMOND, &exec, None).await;
        assert_eq!(outcome, StepOutcome::Succeeded);
        assert!(steps.iter().all(|(_, s)| *s == StepStatus::Succeeded), "{steps:?}");
        let seen = exec.seen();
        let at = |n: &str| seen.iter().find(|s| s.name == n).unwrap().clone();
        assert!(at("b").started >= at("a").ended && at("c").started >= at("a").ended, "b and c wait for a");
        assert!(at("b").started < at("c").ended && at("c").started < at("b").ended, "b and c overlap");
        assert!(at("d").started >= at("b").ended.max(at("c").ended), "d waits for both");
    }

    #[tokio::test]
    async fn a_failure_skips_what_waits_for_success_and_runs_on_failure_and_always_steps() {
        let h = harness().await;
        let yaml = "kind: pipeline\nname: p\nsteps:\n  - { name: a, kind: shell, script: x }\n  - { name: b, needs: [a], kind: shell, script: x }\n  - { name: c, needs: [b], kind: shell, script: x }\n  - { name: report, needs: [a], when: on-failure, kind: shell, script: x }\n  - { name: tidy, needs: [c], when: always, kind: shell, script: x }\n";
        let exec = ScriptedExecutor::new(&[("a", Script::fails(0))]);
        let (outcome, steps) = run(&h, yaml, &exec, None).await;
        assert!(matches!(outcome, StepOutcome::FailedBecause(ref why) if why == "step `a` failed"), "{outcome:?}");
        assert_eq!(
            statuses(&steps),
            [
                ("a", StepStatus::Failed),
                ("b", StepStatus::Skipped),
                ("c", StepStatus::Skipped),
                ("report", StepStatus::Succeeded),
                ("tidy", StepStatus::Succeeded),
            ],
            "skips propagate down the graph; always still runs"
        );
    }

    #[tokio::test]
    async fn continue_on_error_keeps_the_run_going_and_green() {
        let h = harness().await;
        let yaml = "kind: pipeline\nname: p\nsteps:\n  - { name: lint, kind: shell, continueOnError: true, script: x }\n  - { name: build, kind: shell, script: x }\n";
        let exec = ScriptedExecutor::new(&[("lint", Script::fails(0))]);
        let (outcome, steps) = run(&h, yaml, &exec, None).await;
        assert_eq!(outcome, StepOutcome::Succeeded);
        assert_eq!(statuses(&steps), [("lint", StepStatus::Failed), ("build", StepStatus::Succeeded)]);
    }

    #[tokio::test]
    async fn cancel_mid_graph_stops_the_running_steps_and_skips_the_rest() {
        let h = harness().await;
        let exec = ScriptedExecutor::new(&[("b", Script::ok(5000)), ("c", Script::ok(5000))]);
        let started = std::time::Instant::now();
        let (outcome, steps) = run(&h, DIAMOND, &exec, Some(Duration::from_millis(200))).await;
        assert!(started.elapsed() < Duration::from_secs(3), "the cancel does not wait for the steps");
        assert_eq!(outcome, StepOutcome::Cancelled(None));
        assert_eq!(
            statuses(&steps),
            [
                ("a", StepStatus::Succeeded),
                ("b", StepStatus::Cancelled),
                ("c", StepStatus::Cancelled),
                ("d", StepStatus::Skipped)
            ]
        );
    }

    #[tokio::test]
    async fn the_pipeline_timeout_bounds_each_step_and_skips_what_is_left() {
        let h = harness().await;
        let yaml = "kind: pipeline\nname: p\ntimeoutSeconds: 1\nsteps:\n  - { name: slow, kind: shell, script: x }\n  - { name: after, kind: shell, when: always, script: x }\n";
        let exec = ScriptedExecutor::new(&[("slow", Script::ok(10_000))]);
        let (outcome, steps) = run(&h, yaml, &exec, None).await;
        assert_eq!(outcome, StepOutcome::TimedOut(None));
        assert_eq!(statuses(&steps), [("slow", StepStatus::TimedOut), ("after", StepStatus::Skipped)]);
    }

    #[tokio::test]
    async fn outputs_reach_the_environment_of_later_steps_and_steps_are_bounded_by_max_parallel() {
        let h = harness().await;
        crate::settings::set(&h.engine, "runs.maxParallel", "2").await.unwrap();
        let yaml = "kind: pipeline\nname: p\nsteps:\n  - { name: v, kind: shell, script: x }\n  - { name: w1, needs: [v], kind: shell, env: { V: \"${steps.v.outputs.version}\" }, script: x }\n  - { name: w2, needs: [v], kind: shell, script: x }\n  - { name: w3, needs: [v], kind: shell, script: x }\n";
        let exec = ScriptedExecutor::new(&[
            ("v", Script::ok(0).with_output("version", "1.$2")),
            ("w1", Script::ok(200)),
            ("w2", Script::ok(200)),
            ("w3", Script::ok(200)),
        ]);
        let (outcome, _) = run(&h, yaml, &exec, None).await;
        assert_eq!(outcome, StepOutcome::Succeeded);
        let seen = exec.seen();
        let w1 = seen.iter().find(|s| s.name == "w1").unwrap();
        assert!(w1.env.contains(&("V".to_string(), "1.$2".to_string())), "the output, `$` and all: {:?}", w1.env);
        let ws: Vec<&Seen> = seen.iter().filter(|s| s.name.starts_with('w')).collect();
        let overlapping_all = ws.iter().all(|a| ws.iter().all(|b| a.started < b.ended));
        assert!(!overlapping_all, "three ready steps never run three at once under runs.maxParallel 2");
    }
}
