//! The bundled example: imported whole, naming the user's repository, or refused with nothing saved.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{NeedKind, NewRegistry, RepositoryInput, TemplateKind, TemplateSummary};
use simple_cicd_engine::Error;

use crate::support::*;

async fn with_repo(name: &str) -> TestEngine {
    let t = engine().await;
    add_repo(
        &t.engine,
        RepositoryInput { name: name.into(), url: "file:///srv/git/webapp.git".into(), ..Default::default() },
    )
    .await;
    t
}

async fn names(t: &TestEngine) -> Vec<String> {
    api::template_list(&t.engine).await.unwrap().into_iter().map(|s: TemplateSummary| s.name).collect()
}

#[tokio::test]
async fn every_yaml_file_of_the_example_folder_is_embedded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/webapp/simple-cicd");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = api::example_files().into_iter().map(String::from).collect();
    embedded.sort();
    assert_eq!(embedded, on_disk, "a template file added to the example must be embedded too (api/example.rs FILES)");
}

#[tokio::test]
async fn the_example_imports_its_templates_and_pipeline_checking_out_the_named_repository() {
    let t = with_repo("my-web").await;
    let example = api::example_get(&t.engine).await.unwrap();
    assert!(example.existing.is_empty(), "nothing is taken in a fresh data directory");
    assert_eq!(
        example.templates.last().map(|s| s.kind()),
        Some(TemplateKind::Pipeline),
        "the pipeline is saved last, after the templates its steps use"
    );

    let imported = api::example_import(&t.engine, &me(), Some("my-web"), false).await.unwrap();
    assert_eq!(imported.repo, "my-web");
    assert!(imported.replaced.is_empty());
    let expected: Vec<String> = example.templates.iter().map(|s| s.name.clone()).collect();
    assert_eq!(imported.created, expected, "every template of the example is created, in order");
    assert_eq!(imported.pipeline, example.pipeline);
    for name in &imported.created {
        let saved = api::template_get(&t.engine, name).await.unwrap();
        if let Some(source) = &saved.spec.source {
            assert_eq!(source.repo, "my-web", "{name} checks out the repository the user named");
        }
    }
    let pipeline = api::template_get(&t.engine, &imported.pipeline).await.unwrap();
    assert_eq!(pipeline.spec.kind(), TemplateKind::Pipeline);
    assert_eq!(
        pipeline.spec.source.as_ref().map(|s| s.repo.as_str()),
        Some("my-web"),
        "the pipeline has a source: its steps work in the web app's checkout"
    );
    assert_eq!(api::example_get(&t.engine).await.unwrap().existing, expected, "once imported, every name is taken");
}

#[tokio::test]
async fn without_a_repository_name_the_one_the_files_use_is_taken() {
    let t = engine().await;
    let written = api::example_get(&t.engine).await.unwrap().repo;
    add_repo(
        &t.engine,
        RepositoryInput { name: written.clone(), url: "file:///srv/git/webapp.git".into(), ..Default::default() },
    )
    .await;
    let imported = api::example_import(&t.engine, &me(), None, false).await.unwrap();
    assert_eq!(imported.repo, written);
}

#[tokio::test]
async fn a_repository_that_is_not_stored_is_refused_saying_how_to_add_it_and_nothing_is_saved() {
    let t = engine().await;
    let err = api::example_import(&t.engine, &me(), Some("nope"), false).await.unwrap_err();
    let Error::Invalid(fields) = &err else { panic!("expected Invalid, got {err}") };
    assert_eq!(fields[0].path, "repo");
    assert_eq!(fields[0].code, "unknown");
    assert!(fields[0].message.contains("scicd repo add nope"), "says how to add it: {}", fields[0].message);
    let err = api::example_import(&t.engine, &me(), Some("  "), false).await.unwrap_err();
    assert!(matches!(&err, Error::Invalid(f) if f[0].code == "required"), "{err}");
    assert!(names(&t).await.is_empty(), "nothing half-written");
}

#[tokio::test]
async fn taken_names_are_refused_naming_them_and_nothing_is_half_written() {
    let t = with_repo("web").await;
    let example = api::example_get(&t.engine).await.unwrap();
    // The last template saved: a clash there must not leave the templates before it behind.
    let pipeline = example.templates.last().unwrap().name.clone();
    apply(&t.engine, &format!("kind: shell\nname: {pipeline}\ndescription: mine\nscript: 'true'\n")).await;

    let err = api::example_import(&t.engine, &me(), Some("web"), false).await.unwrap_err();
    let Error::TemplatesExist { names: taken } = &err else { panic!("expected TemplatesExist, got {err}") };
    assert_eq!(taken, std::slice::from_ref(&pipeline));
    assert!(err.to_string().contains("--replace"), "says how to replace them: {err}");
    assert_eq!(names(&t).await, std::slice::from_ref(&pipeline), "nothing of the example was saved");
    let mine = api::template_get(&t.engine, &pipeline).await.unwrap();
    assert_eq!(mine.spec.description, "mine", "the user's template is untouched");
}

#[tokio::test]
async fn asked_to_replace_the_example_overwrites_the_taken_names_and_says_which() {
    let t = with_repo("web").await;
    let example = api::example_get(&t.engine).await.unwrap();
    let first = example.templates[0].name.clone();
    apply(&t.engine, &format!("kind: shell\nname: {first}\ndescription: mine\nscript: 'true'\n")).await;
    let before = api::template_get(&t.engine, &first).await.unwrap();

    let imported = api::example_import(&t.engine, &me(), Some("web"), true).await.unwrap();
    assert_eq!(imported.replaced, std::slice::from_ref(&first));
    assert_eq!(imported.created.len(), example.templates.len() - 1);
    let after = api::template_get(&t.engine, &first).await.unwrap();
    assert_eq!(after.id, before.id, "replaced in place: its runs stay linked");
    assert_eq!(after.spec.kind(), example.templates[0].kind(), "now the example's");

    let again = api::example_import(&t.engine, &me(), Some("web"), true).await.unwrap();
    assert!(again.created.is_empty(), "a second import replaces every template: {again:?}");
    assert_eq!(names(&t).await.len(), example.templates.len(), "and creates no duplicate");
}

#[tokio::test]
async fn a_clash_inside_the_transaction_saves_none_of_the_example() {
    let t = with_repo("web").await;
    let example = api::example_get(&t.engine).await.unwrap();
    // Another process saving the last name between the check and the write: the store refuses
    // the whole batch.
    let last = example.templates.last().unwrap().clone();
    t.engine.store().template_insert(&last, 1).await.unwrap();
    let err = t.engine.store().template_put_all(&example.templates, false, 2).await.unwrap_err();
    assert!(matches!(&err, Error::NameTaken { name, .. } if *name == last.name), "{err}");
    assert_eq!(
        names(&t).await,
        std::slice::from_ref(&last.name),
        "the templates saved before the clash were rolled back"
    );
}

#[tokio::test]
async fn the_example_says_which_registries_secrets_and_clusters_its_runs_use_and_which_are_stored() {
    let t = engine().await;
    let needs = |e: &simple_cicd_engine::model::Example| {
        e.needs.iter().map(|n| (n.what, n.name.clone(), n.present)).collect::<Vec<_>>()
    };
    let before = api::example_get(&t.engine).await.unwrap();
    assert_eq!(
        needs(&before),
        [
            (NeedKind::Registry, "local".to_string(), false),
            (NeedKind::Secret, "WEBAPP_HOOK".to_string(), false),
            (NeedKind::Cluster, "local".to_string(), false),
        ],
        "the image is pushed to `local`, the webhook is signed with WEBAPP_HOOK, Helm deploys to `local`"
    );
    let registry = &before.needs[0];
    assert_eq!(registry.used_by, ["webapp-image"], "named by the build template only");
    api::registry_add(
        &t.engine,
        &me(),
        NewRegistry { name: "local".into(), url: "localhost:5000".into(), username: None, password: None },
    )
    .await
    .unwrap();
    let after = api::example_get(&t.engine).await.unwrap();
    assert!(after.needs[0].present, "a stored registry is seen: {:?}", after.needs);
    assert!(!after.needs[1].present && !after.needs[2].present);
}
