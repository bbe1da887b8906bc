//! Template commands.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{
    Example, ExampleImported, FieldError, Template, TemplateFile, TemplateSpec, TemplateSummary,
};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Every template with its last run.
#[tauri::command]
pub async fn template_list(state: State<'_, AppState>) -> CmdResult<Vec<TemplateSummary>> {
    Ok(api::template_list(&state.engine).await?)
}

/// One template.
#[tauri::command]
pub async fn template_get(state: State<'_, AppState>, name: String) -> CmdResult<Template> {
    Ok(api::template_get(&state.engine, &name).await?)
}

/// Creates, or updates the template called `original_name`.
#[tauri::command]
pub async fn template_save(
    state: State<'_, AppState>,
    spec: TemplateFile,
    original_name: Option<String>,
) -> CmdResult<Template> {
    Ok(api::template_save(&state.engine, &state.caller, spec, original_name.as_deref()).await?.template)
}

/// Deletes a template; its runs stay.
#[tauri::command]
pub async fn template_delete(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(api::template_delete(&state.engine, &state.caller, &name).await?)
}

/// The template's YAML file.
#[tauri::command]
pub async fn template_export_yaml(state: State<'_, AppState>, name: String) -> CmdResult<String> {
    Ok(api::template_export_yaml(&state.engine, &name).await?)
}

/// Creates or updates a template from YAML.
#[tauri::command]
pub async fn template_import_yaml(state: State<'_, AppState>, yaml: String) -> CmdResult<Template> {
    Ok(api::template_apply_yaml(&state.engine, &state.caller, &yaml).await?.template)
}

/// Parses and validates YAML without saving.
#[tauri::command]
pub fn template_parse_yaml(yaml: String) -> CmdResult<TemplateSpec> {
    Ok(api::template_parse_yaml(&yaml)?)
}

/// Pins a template to the tray for quick runs, or unpins it.
#[tauri::command]
pub async fn template_pin(
    state: State<'_, AppState>,
    tray: State<'_, crate::tray::Tray>,
    name: String,
    pinned: bool,
) -> CmdResult<()> {
    api::template_pin(&state.engine, &state.caller, &name, pinned).await?;
    tray.wake();
    Ok(())
}

/// The bundled example: its templates and pipeline, and which of their names are taken.
#[tauri::command]
pub async fn example_get(state: State<'_, AppState>) -> CmdResult<Example> {
    Ok(api::example_get(&state.engine).await?)
}

/// Imports the bundled example, checking out `repo`; replaces taken names only when asked.
#[tauri::command]
pub async fn example_import(
    state: State<'_, AppState>,
    repo: Option<String>,
    replace: bool,
) -> CmdResult<ExampleImported> {
    Ok(api::example_import(&state.engine, &state.caller, repo.as_deref(), replace).await?)
}

/// The field errors of a template without saving it (empty when it may be saved).
#[tauri::command]
pub async fn template_validate(state: State<'_, AppState>, spec: TemplateFile) -> CmdResult<Vec<FieldError>> {
    Ok(api::template_validate(&state.engine, spec).await?)
}
