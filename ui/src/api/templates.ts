// Template commands: one typed function per Tauri command.
import type { Example } from "@/bindings/Example";
import type { ExampleImported } from "@/bindings/ExampleImported";
import type { FieldError } from "@/bindings/FieldError";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import type { TemplateSummary } from "@/bindings/TemplateSummary";
import { call } from "./invoke";

export function templateList(): Promise<TemplateSummary[]> {
  return call<TemplateSummary[]>("template_list");
}

export function templateGet(name: string): Promise<Template> {
  return call<Template>("template_get", { name });
}

/** Creates a template, or updates (and possibly renames) the one called `originalName`. */
export function templateSave(spec: TemplateSpec, originalName: string | null): Promise<Template> {
  return call<Template>("template_save", { spec, originalName });
}

export async function templateDelete(name: string): Promise<void> {
  await call<null>("template_delete", { name });
}

export function templateExportYaml(name: string): Promise<string> {
  return call<string>("template_export_yaml", { name });
}

export function templateImportYaml(yaml: string): Promise<Template> {
  return call<Template>("template_import_yaml", { yaml });
}

/** The field errors of a template, as saving it would find them; saves nothing. */
export function templateValidate(spec: TemplateSpec): Promise<FieldError[]> {
  return call<FieldError[]>("template_validate", { spec });
}

/** Validates YAML text and returns the spec it describes; saves nothing. */
export function templateParseYaml(yaml: string): Promise<TemplateSpec> {
  return call<TemplateSpec>("template_parse_yaml", { yaml });
}

/** Pins a template to the tray for quick runs, or unpins it. */
export async function templatePin(name: string, pinned: boolean): Promise<void> {
  await call<null>("template_pin", { name, pinned });
}

/** The bundled example: its templates, the names already taken, what its runs use. */
export function exampleGet(): Promise<Example> {
  return call<Example>("example_get");
}

/**
 * Imports the bundled example (all or none), checking out `repo`. Rejects with `invalid` on the
 * field `repo` (no such repository) or `conflict` (names taken) unless `replace`.
 */
export function exampleImport(repo: string, replace: boolean): Promise<ExampleImported> {
  return call<ExampleImported>("example_import", { repo, replace });
}
