//! Template entry points.

use std::collections::HashMap;

use super::audit::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{now_ms, FieldError, Scope, Template, TemplateFile, TemplateSpec, TemplateSummary};
use crate::template::{check, from_yaml, normalise, to_yaml, validate};
use crate::Engine;

/// A saved template and what was normalised on the way (e.g. CRLF line endings).
#[derive(Debug, Clone)]
pub struct Saved {
    /// The stored template.
    pub template: Template,
    /// Notes for the user about what was changed.
    pub notes: Vec<String>,
    /// Whether it was created (false: updated).
    pub created: bool,
}

/// Every template with its last run, by name.
pub async fn template_list(engine: &Engine) -> Result<Vec<TemplateSummary>> {
    let templates = engine.store().template_all().await?;
    let mut last: HashMap<i64, _> = engine
        .store()
        .run_latest_per_template()
        .await?
        .into_iter()
        .filter_map(|r| r.template_id.map(|id| (id, r)))
        .collect();
    Ok(templates
        .into_iter()
        .map(|t| TemplateSummary {
            id: t.id,
            name: t.spec.name.clone(),
            kind: t.spec.kind(),
            description: t.spec.description.clone(),
            param_count: t.spec.params.len() as u32,
            needs_form: t.needs_form,
            updated_at: t.updated_at.clone(),
            last_run: last.remove(&t.id),
            pinned: t.pinned,
        })
        .collect())
}

/// One template by name.
pub async fn template_get(engine: &Engine, name: &str) -> Result<Template> {
    engine
        .store()
        .template_by_name(name)
        .await?
        .ok_or_else(|| Error::NotFound { what: "template", name: name.to_string() })
}

/// The field errors of a template, without saving it: an empty list when it may be saved. The same
/// checks as [`template_save`] (normalising, the file's own checks, the repository it names, and a
/// pipeline's plan), so the editor shows the engine's rules as one types and a rule exists once.
pub async fn template_validate(engine: &Engine, file: TemplateFile) -> Result<Vec<FieldError>> {
    let mut file = file;
    normalise(&mut file);
    checked(engine, file).await.map(|(_, errors)| errors)
}

/// The spec of a template file and everything that stops it from being saved.
async fn checked(engine: &Engine, file: TemplateFile) -> Result<(TemplateSpec, Vec<FieldError>)> {
    let (spec, mut errors) = file.into_spec();
    errors.extend(validate(&spec));
    if let Some(source) = spec.source.as_ref().filter(|s| !s.repo.trim().is_empty()) {
        if engine.store().repo_by_name(&source.repo).await?.is_none() {
            errors.push(FieldError::new(
                "source.repo",
                "unknown",
                format!(
                    "there is no repository {}; add it first (scicd repo add {} URL, or the Repositories page)",
                    source.repo, source.repo
                ),
            ));
        }
    }
    if errors.is_empty() && spec.kind() == crate::model::TemplateKind::Pipeline {
        // `uses` and `with` need the saved templates: checked by planning it.
        match crate::plan::plan(engine, &spec).await {
            Ok(_) => {}
            Err(Error::Invalid(found)) => errors.extend(found),
            Err(other) => return Err(other),
        }
    }
    Ok((spec, errors))
}

/// Creates a template, or updates the one called `original_name` (which may rename it).
pub async fn template_save(
    engine: &Engine,
    caller: &Caller,
    file: TemplateFile,
    original_name: Option<&str>,
) -> Result<Saved> {
    let resource = format!("template {}", file.name);
    let detail = original_name.filter(|o| !o.is_empty() && *o != file.name).map(|o| format!("was {o}"));
    let work = save(engine, file, original_name);
    audited(engine, caller, Scope::Write, "template.save", &resource, detail.as_deref(), work).await
}

async fn save(engine: &Engine, file: TemplateFile, original_name: Option<&str>) -> Result<Saved> {
    let mut file = file;
    let notes = normalise(&mut file);
    let (spec, errors) = checked(engine, file).await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let now = now_ms();
    let (template, created) = match original_name.filter(|n| !n.is_empty()) {
        Some(original) => {
            let existing = template_get(engine, original).await?;
            (engine.store().template_update(existing.id, &spec, now).await?, false)
        }
        None => (engine.store().template_insert(&spec, now).await?, true),
    };
    Ok(Saved { template, notes, created })
}

/// Creates or updates (by name) a template from its YAML file text.
pub async fn template_apply_yaml(engine: &Engine, caller: &Caller, yaml: &str) -> Result<Saved> {
    let parsed = from_yaml(yaml);
    let resource = match &parsed {
        Ok(spec) => format!("template {}", spec.name.trim()),
        Err(_) => "template (from YAML)".to_string(),
    };
    let work = async {
        let spec = parsed?;
        let existing = engine.store().template_by_name(spec.name.trim()).await?;
        let original = existing.map(|t| t.spec.name);
        save(engine, spec, original.as_deref()).await
    };
    audited(engine, caller, Scope::Write, "template.import_yaml", &resource, None, work).await
}

/// Parses and validates YAML without saving.
pub fn template_parse_yaml(yaml: &str) -> Result<TemplateSpec> {
    check(from_yaml(yaml)?).map(|(spec, _)| spec)
}

/// The template's YAML file.
pub async fn template_export_yaml(engine: &Engine, name: &str) -> Result<String> {
    Ok(to_yaml(&template_get(engine, name).await?.spec))
}

/// Deletes a template; its runs stay in the history.
pub async fn template_delete(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let work = async {
        if engine.store().template_delete(name).await? {
            Ok(())
        } else {
            Err(Error::NotFound { what: "template", name: name.to_string() })
        }
    };
    audited(engine, caller, Scope::Write, "template.delete", &format!("template {name}"), None, work).await
}
