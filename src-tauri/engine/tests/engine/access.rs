//! Who calls, through the engine's API whatever the door: a run's trigger names its caller, a
//! change from the desktop or the CLI is audited like one over HTTP, and an operator's grants
//! narrow the templates it may run, cancel, approve, retry and deploy.

use simple_cicd_engine::api;
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::ErrorCode;
use simple_cicd_engine::model::{AuditFilter, Role, Scope};

use crate::support::*;

fn operator(grants: &[&str]) -> Caller {
    Caller::User {
        id: 7,
        name: "ana".into(),
        role: Role::Operator,
        grants: grants.iter().map(|g| g.to_string()).collect(),
        addr: "192.0.2.7".into(),
    }
}

/// The entries of exactly `action` (the filter is a prefix, and it ignores `_`), newest first.
async fn audit(engine: &simple_cicd_engine::Engine, action: &str) -> Vec<(String, String, String, String)> {
    let entries = api::audit_list(engine, &Caller::cli(), &AuditFilter::default()).await.unwrap();
    entries.into_iter().filter(|e| e.action == action).map(|e| (e.actor, e.resource, e.origin, e.result)).collect()
}

#[tokio::test]
async fn a_runs_trigger_names_its_caller_and_a_rerun_names_the_run_it_repeats() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: hello\nscript: 'true'\n").await;
    let none = Default::default();
    let by_ana = api::run_start(&t.engine, &operator(&[]), "hello", &none).await.unwrap();
    assert_eq!(by_ana.trigger, "manual by ana");
    let token = Caller::Token {
        id: 1,
        name: "deploy-bot".into(),
        user: "ana".into(),
        scopes: vec![Scope::Read, Scope::Run],
        grants: vec![],
        addr: "127.0.0.1".into(),
    };
    assert_eq!(api::run_start(&t.engine, &token, "hello", &none).await.unwrap().trigger, "api token deploy-bot");
    let cli = api::run_start(&t.engine, &Caller::cli(), "hello", &none).await.unwrap();
    assert!(cli.trigger.starts_with("cli by "), "{}", cli.trigger);
    let again = api::StartOptions { rerun_of: Some(by_ana.id), ..Default::default() };
    let rerun = api::run_start_with(&t.engine, &operator(&[]), "hello", &none, &again).await.unwrap();
    assert_eq!(rerun.trigger, format!("rerun of #{} by ana", by_ana.number));
    for run in [by_ana.id, cli.id, rerun.id] {
        wait_end(&t.engine, run).await;
    }
}

#[tokio::test]
async fn a_change_from_the_desktop_or_the_cli_is_audited_with_its_door() {
    let t = engine().await;
    let desktop = Caller::desktop();
    api::template_apply_yaml(&t.engine, &desktop, "kind: shell\nname: tidy\nscript: 'true'\n").await.unwrap();
    api::template_delete(&t.engine, &Caller::cli(), "tidy").await.unwrap();
    let missing = api::template_delete(&t.engine, &Caller::cli(), "tidy").await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);

    let saved = audit(&t.engine, "template.import_yaml").await;
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert!(saved[0].0.starts_with("desktop (") && saved[0].1 == "template tidy", "{saved:?}");
    assert_eq!((saved[0].2.as_str(), saved[0].3.as_str()), ("desktop", "ok"));
    let deleted = audit(&t.engine, "template.delete").await;
    assert_eq!(deleted.len(), 2, "the refused delete is recorded too: {deleted:?}");
    assert!(deleted.iter().all(|d| d.0.starts_with("cli (") && d.2 == "cli"), "{deleted:?}");
    assert_eq!(deleted.iter().map(|d| d.3.as_str()).collect::<Vec<_>>(), ["not_found", "ok"], "newest first");
}

#[tokio::test]
async fn an_operators_grants_narrow_what_it_may_run_and_a_refusal_is_audited() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: web-deploy\nscript: 'true'\n").await;
    apply(&t.engine, "kind: shell\nname: db-migrate\nscript: 'sleep 30'\n").await;
    let ana = operator(&["web-*"]);
    let none = Default::default();
    let ok = api::run_start(&t.engine, &ana, "web-deploy", &none).await.unwrap();
    let refused = api::run_start(&t.engine, &ana, "db-migrate", &none).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::NotGranted);
    assert!(refused.to_string().contains("ana may not run db-migrate"), "{refused}");

    // Someone else's run of a template ana may not run: ana may not cancel it either.
    let other = start(&t.engine, "db-migrate", &[]).await;
    let cancel = api::run_cancel(&t.engine, &ana, other.id).await.unwrap_err();
    assert_eq!(cancel.code(), ErrorCode::NotGranted);
    assert!(!api::run_get(&t.engine, other.id).await.unwrap().status.is_final(), "the run goes on");
    api::run_cancel(&t.engine, &Caller::cli(), other.id).await.unwrap();

    let starts = audit(&t.engine, "run.start").await;
    let refusal = starts.iter().find(|s| s.1 == "template db-migrate" && s.0 == "ana").expect("the refusal is audited");
    assert_eq!((refusal.2.as_str(), refusal.3.as_str()), ("192.0.2.7", "not_granted"));
    wait_end(&t.engine, ok.id).await;
    wait_end(&t.engine, other.id).await;
}

#[tokio::test]
async fn a_viewer_changes_nothing_through_the_engine_whatever_the_door_let_through() {
    let t = engine().await;
    let viewer = Caller::User { id: 9, name: "vic".into(), role: Role::Viewer, grants: vec![], addr: "::1".into() };
    let e = api::template_apply_yaml(&t.engine, &viewer, "kind: shell\nname: x\nscript: 'true'\n").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert!(api::template_list(&t.engine).await.unwrap().is_empty(), "nothing saved");
    let e = simple_cicd_engine::secrets::secret_set(&t.engine, &viewer, "TOKEN", "v").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "refused before the keyring is asked");
}

#[tokio::test]
async fn the_audit_log_keeps_its_newest_entries_up_to_its_limit() {
    let t = engine().await;
    simple_cicd_engine::settings::config_set(&t.engine, &Caller::cli(), "retention.maxAuditEntries", "100")
        .await
        .unwrap();
    for i in 0..600 {
        let _ = api::template_delete(&t.engine, &Caller::cli(), &format!("gone-{i}")).await.unwrap_err();
    }
    let filter = AuditFilter { limit: Some(1000), ..Default::default() };
    let entries = api::audit_list(&t.engine, &Caller::cli(), &filter).await.unwrap();
    // Pruned every 256 entries: between the limit and the limit plus 256 remain.
    assert!((100..=356).contains(&entries.len()), "{} entries kept", entries.len());
    assert_eq!(entries[0].resource, "template gone-599", "the newest is kept");
    assert!(entries.iter().all(|e| e.resource != "template gone-0"), "the oldest is gone");
}
