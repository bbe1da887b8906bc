//! Templates through the API: save, validate, import/export, delete.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{RunStatus, TemplateFile};
use simple_cicd_engine::Error;

use crate::support::*;

#[tokio::test]
async fn yaml_import_export_round_trips() {
    let t = engine().await;
    let yaml = "kind: shell\nname: hello\ndescription: Greets someone\nparams:\n- name: WHO\n  type: string\n  default: world\n  required: false\ntimeoutSeconds: 600\nscript: |\n  echo \"hello $WHO\"\n";
    let saved = api::template_apply_yaml(&t.engine, &me(), yaml).await.unwrap();
    assert!(saved.created);
    let exported = api::template_export_yaml(&t.engine, "hello").await.unwrap();
    assert_eq!(api::template_parse_yaml(&exported).unwrap(), saved.template.spec);
    let again =
        api::template_apply_yaml(&t.engine, &me(), &exported.replace("Greets someone", "Says hi")).await.unwrap();
    assert!(!again.created, "applying the same name updates");
    assert_eq!(again.template.id, saved.template.id);
}

#[tokio::test]
async fn crlf_scripts_are_normalised_and_said_so() {
    let t = engine().await;
    let saved =
        api::template_apply_yaml(&t.engine, &me(), "kind: shell\nname: win\nscript: \"echo a\\r\\necho b\\r\\n\"\n")
            .await
            .unwrap();
    assert_eq!(TemplateFile::from(saved.template.spec).script, "echo a\necho b\n");
    assert_eq!(saved.notes.len(), 1);
    let run = wait_end(&t.engine, start(&t.engine, "win", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded);
}

#[tokio::test]
async fn invalid_templates_are_refused_with_every_problem_and_nothing_saved() {
    let t = engine().await;
    let err =
        api::template_apply_yaml(&t.engine, &me(), "kind: shell\nname: 'bad name'\nscript: ''\n").await.unwrap_err();
    let Error::Invalid(fields) = err else { panic!("expected Invalid") };
    assert_eq!(fields.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["name", "script"]);
    assert!(api::template_list(&t.engine).await.unwrap().is_empty(), "nothing half-saved");
}

#[tokio::test]
async fn a_second_template_with_the_same_name_is_a_conflict() {
    let t = engine().await;
    let spec = api::template_parse_yaml("kind: shell\nname: twin\nscript: 'true'\n").unwrap();
    api::template_save(&t.engine, &me(), spec.clone().into(), None).await.unwrap();
    let err = api::template_save(&t.engine, &me(), spec.into(), None).await.unwrap_err();
    assert!(matches!(err, Error::NameTaken { .. }), "{err}");
}

#[tokio::test]
async fn running_with_unknown_or_ill_typed_parameters_starts_nothing() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: typed\nparams:\n  - name: N\n    type: number\nscript: echo $N\n").await;
    let err = api::run_start(&t.engine, &me(), "typed", &params(&[("N", "ten"), ("X", "1")])).await.unwrap_err();
    assert!(matches!(err, Error::Invalid(ref f) if f.len() == 2), "{err}");
    assert_eq!(api::run_list(&t.engine, &Default::default()).await.unwrap().total, 0, "no run was created");
}

#[tokio::test]
async fn validating_a_template_reports_what_saving_would_refuse_and_saves_nothing() {
    let t = engine().await;
    let bad = api::template_parse_yaml("kind: shell\nname: ok\nscript: 'true'\n").unwrap();
    let mut file = TemplateFile::from(bad);
    file.name = "构建 web".into();
    file.script = String::new();
    let found = api::template_validate(&t.engine, file.clone()).await.unwrap();
    let Error::Invalid(refused) = api::template_save(&t.engine, &me(), file, None).await.unwrap_err() else {
        panic!("expected Invalid")
    };
    assert_eq!(found, refused, "validate and save apply the same rules, so the form never disagrees with a save");
    assert_eq!(
        found.iter().map(|f| (f.path.as_str(), f.code.as_str())).collect::<Vec<_>>(),
        [("name", "invalid"), ("script", "required")]
    );
    assert!(api::template_list(&t.engine).await.unwrap().is_empty(), "validating saves nothing");
}

#[tokio::test]
async fn validating_a_pipeline_checks_the_saved_templates_it_uses() {
    let t = engine().await;
    let yaml = "kind: pipeline\nname: p\nsteps:\n  - { name: a, uses: helper }\n";
    let file = TemplateFile::from(api::template_parse_yaml(yaml).unwrap());
    let found = api::template_validate(&t.engine, file.clone()).await.unwrap();
    assert!(
        found.iter().any(|f| f.path.starts_with("steps[0]") && f.message.contains("helper")),
        "a step using a template that is not saved is refused at its path: {found:?}"
    );
    apply(&t.engine, "kind: shell\nname: helper\nscript: 'true'\n").await;
    assert_eq!(api::template_validate(&t.engine, file).await.unwrap(), [], "once it exists the pipeline is valid");
}
