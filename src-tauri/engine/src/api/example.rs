//! The worked example: a small web app's templates and pipelines (`examples/webapp/simple-cicd/`),
//! embedded in the binary so the desktop app and `scicd` import it without a clone of simple-cicd
//! at hand. An import saves them all or none, checking out the repository the user names.
//!
//! Left out: the web app's repository itself (the user adds it: `scicd repo add`, the Repositories
//! page, or `scripts/example.sh`, which also starts Docker and a registry), and running anything.

use crate::error::{Error, Result};
use crate::model::{now_ms, Example, ExampleImported, FieldError, TemplateKind, TemplateSpec};
use crate::template::{check, from_yaml};
use crate::Engine;

/// The example's name.
const NAME: &str = "webapp";

/// Its files, one template each, as `examples/webapp/simple-cicd/` has them (its README lists them).
const FILES: &[(&str, &str)] = &[
    ("webapp-test.yaml", include_str!("../../../../examples/webapp/simple-cicd/webapp-test.yaml")),
    ("webapp-image.yaml", include_str!("../../../../examples/webapp/simple-cicd/webapp-image.yaml")),
    ("webapp-deploy.yaml", include_str!("../../../../examples/webapp/simple-cicd/webapp-deploy.yaml")),
    ("webapp-check.yaml", include_str!("../../../../examples/webapp/simple-cicd/webapp-check.yaml")),
    ("webapp-helm.yaml", include_str!("../../../../examples/webapp/simple-cicd/webapp-helm.yaml")),
    ("pipeline.yaml", include_str!("../../../../examples/webapp/simple-cicd/pipeline.yaml")),
    ("pipeline-helm.yaml", include_str!("../../../../examples/webapp/simple-cicd/pipeline-helm.yaml")),
];

/// The file of the pipeline the example is about (the others are variants of it).
const MAIN_PIPELINE: &str = "pipeline.yaml";

/// The names of the embedded files, for the test that checks none of the folder's is left out.
pub fn example_files() -> Vec<&'static str> {
    FILES.iter().map(|(name, _)| *name).collect()
}

/// The example's templates as written, checked, in the order they are saved: the pipelines last,
/// after the templates their steps use; and the name of the main pipeline.
fn bundled() -> Result<(Vec<TemplateSpec>, String)> {
    let mut specs = Vec::with_capacity(FILES.len());
    let mut main = None;
    for (file, text) in FILES {
        let (spec, _) = from_yaml(text)
            .and_then(check)
            .map_err(|e| Error::Internal(format!("the bundled example's {file} is invalid: {e}")))?;
        if *file == MAIN_PIPELINE {
            main = Some(spec.name.clone());
        }
        specs.push(spec);
    }
    specs.sort_by_key(|s| s.kind() == TemplateKind::Pipeline);
    let main = main.ok_or_else(|| Error::Internal(format!("the bundled example has no {MAIN_PIPELINE}")))?;
    Ok((specs, main))
}

/// The repository the example's templates name as written.
fn written_repo(specs: &[TemplateSpec]) -> String {
    specs.iter().find_map(|s| s.source.as_ref()).map(|s| s.repo.clone()).unwrap_or_else(|| NAME.to_string())
}

/// The names among `specs` that are taken by saved templates.
async fn taken(engine: &Engine, specs: &[TemplateSpec]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for spec in specs {
        if engine.store().template_by_name(&spec.name).await?.is_some() {
            names.push(spec.name.clone());
        }
    }
    Ok(names)
}

/// What importing the example would save, which of its names are taken already, and what its
/// runs use besides the repository.
pub async fn example_get(engine: &Engine) -> Result<Example> {
    let (templates, pipeline) = bundled()?;
    Ok(Example {
        name: NAME.to_string(),
        repo: written_repo(&templates),
        existing: taken(engine, &templates).await?,
        needs: super::example_needs::needs(engine, &templates).await?,
        pipeline,
        templates,
    })
}

/// Saves the example's templates and pipeline, checking out `repo` (default: the name the files
/// use), all in one transaction. Refused, with nothing saved: a repository that is not stored
/// ([`Error::Invalid`] on `repo`), names that are taken unless `replace` ([`Error::TemplatesExist`]).
pub async fn example_import(
    engine: &Engine,
    caller: &crate::auth::Caller,
    repo: Option<&str>,
    replace: bool,
) -> Result<ExampleImported> {
    let result = match caller.require(crate::model::Scope::Write) {
        Ok(()) => import(engine, repo, replace).await,
        Err(e) => Err(e),
    };
    let resource = match &result {
        Ok(done) => {
            format!("example (templates {})", [done.created.clone(), done.replaced.clone()].concat().join(", "))
        }
        Err(_) => "example".to_string(),
    };
    let detail = Some(if replace { "replace" } else { "create" });
    super::audit_record(engine, caller, "example.import", &resource, &result, detail).await;
    result
}

async fn import(engine: &Engine, repo: Option<&str>, replace: bool) -> Result<ExampleImported> {
    let (mut specs, pipeline) = bundled()?;
    let repo = match repo.map(str::trim) {
        Some(r) => r.to_string(),
        None => written_repo(&specs),
    };
    check_repo(engine, &repo).await?;
    for spec in &mut specs {
        if let Some(source) = spec.source.as_mut() {
            source.repo.clone_from(&repo);
        }
    }
    let existing = taken(engine, &specs).await?;
    if !existing.is_empty() && !replace {
        return Err(Error::TemplatesExist { names: existing });
    }
    for (i, spec) in specs.iter().enumerate() {
        if spec.kind() == TemplateKind::Pipeline {
            crate::plan::plan_among(engine, spec, &specs[..i]).await?;
        }
    }
    let saved = engine.store().template_put_all(&specs, replace, now_ms()).await?;
    let (created, replaced): (Vec<_>, Vec<_>) = saved.into_iter().partition(|(_, created)| *created);
    Ok(ExampleImported {
        repo,
        created: created.into_iter().map(|(t, _)| t.spec.name).collect(),
        replaced: replaced.into_iter().map(|(t, _)| t.spec.name).collect(),
        pipeline,
    })
}

async fn check_repo(engine: &Engine, repo: &str) -> Result<()> {
    if repo.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "repo",
            "required",
            "name the repository the example builds: the web app's git repository, added with `scicd repo add NAME URL` or on the Repositories page",
        )]));
    }
    if engine.store().repo_by_name(repo).await?.is_none() {
        return Err(Error::Invalid(vec![FieldError::new(
            "repo",
            "unknown",
            format!(
                "there is no repository {repo}; the example builds the web app from it: add it first (scicd repo add {repo} URL, or the Repositories page), or name another"
            ),
        )]));
    }
    Ok(())
}
