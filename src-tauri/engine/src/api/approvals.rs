//! Answering a pipeline run's approval step: approve or decline, with who and why. The answer is
//! stored; the process running the pipeline picks it up. Answering a run that waits for nothing,
//! or a step that already has its answer, is refused and changes nothing.

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{now_ms, RunStep, Scope, StepStatus};
use crate::store::Decision;
use crate::Engine;

/// What the caller answers.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// Approve (true) or decline.
    pub approve: bool,
    /// Why, optional.
    pub comment: Option<String>,
    /// The approval step, when the run waits on several.
    pub step: Option<String>,
}

/// The OS user running this process (the desktop window's and the CLI's caller): `USER`,
/// `USERNAME` or `LOGNAME`, else the name of the process's uid, else `uid N`.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| {
            let uid = nix::unistd::getuid();
            match nix::unistd::User::from_uid(uid) {
                Ok(Some(user)) => user.name,
                _ => format!("uid {uid}"),
            }
        })
}

/// Answers the approval step run `id` waits on, as `caller` (recorded under
/// [`Caller::person`]); returns that step as it is now.
pub async fn run_answer(engine: &Engine, caller: &Caller, id: i64, answer: Answer) -> Result<RunStep> {
    let action = if answer.approve { "run.approve" } else { "run.decline" };
    let result = async {
        caller.require(Scope::Run)?;
        caller.may_run(&engine.store().run_get(id).await?.template)?;
        answer_step(engine, &caller.person(), id, answer).await
    }
    .await;
    super::audit_record(engine, caller, action, &format!("run {id}"), &result, None).await;
    result
}

async fn answer_step(engine: &Engine, by: &str, id: i64, answer: Answer) -> Result<RunStep> {
    let run = engine.store().run_get(id).await?;
    let refuse = |message: String| Error::invalid("run", "not_waiting", message);
    let steps = super::run_steps(engine, id).await?;
    let approvals: Vec<&RunStep> =
        steps.iter().filter(|s| s.kind == "approval" && answer.step.as_deref().is_none_or(|n| s.name == n)).collect();
    if let Some(name) = &answer.step {
        if approvals.is_empty() {
            let all: Vec<&str> = steps.iter().filter(|s| s.kind == "approval").map(|s| s.name.as_str()).collect();
            return Err(refuse(format!(
                "run {id} has no approval step {name}; its approval steps: {}",
                all.join(", ")
            )));
        }
    }
    let waiting: Vec<&&RunStep> = approvals.iter().filter(|s| s.status == StepStatus::Waiting).collect();
    let step = match waiting.as_slice() {
        [one] => **one,
        [] => {
            for s in &approvals {
                if let Some((d, _)) = engine.store().run_step_answer(id, s.index).await? {
                    let how = if d.approved { "approved" } else { "declined" };
                    return Err(refuse(format!("step {} of run {id} was already {how} by {}", s.name, d.by)));
                }
            }
            return Err(refuse(format!(
                "run {id} ({} #{}) is not waiting for an approval: it is {}",
                run.template, run.number, run.status
            )));
        }
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.name.as_str()).collect();
            return Err(refuse(format!(
                "run {id} waits on several approvals: say which with --step ({})",
                names.join(", ")
            )));
        }
    };
    let decision = Decision {
        approved: answer.approve,
        by: if by.trim().is_empty() { "someone".into() } else { by.trim().to_string() },
        comment: answer.comment.unwrap_or_default().trim().to_string(),
    };
    if !engine.store().run_step_decide(id, step.index, &decision, now_ms()).await? {
        return Err(refuse(format!("step {} of run {id} has just been answered by someone else", step.name)));
    }
    engine.emit_run(id).await;
    let steps = super::run_steps(engine, id).await?;
    Ok(steps.into_iter().find(|s| s.index == step.index).expect("the step answered exists"))
}
