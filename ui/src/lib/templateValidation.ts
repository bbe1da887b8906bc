// Client-side checks of a template spec, with the same paths and codes as the backend's FieldError
// list so both land next to the same field. The backend stays the authority: these only catch the
// obvious mistakes before a round trip.
import type { FieldError } from "@/bindings/FieldError";
import type { TemplateSpec } from "@/bindings/TemplateSpec";

const NAME_START = /^[\p{L}\p{N}]/u;
const NAME_CHARS = /^[\p{L}\p{N}._-]+$/u;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_NAME_LENGTH = 64;

function err(path: string, code: string, message: string): FieldError {
  return { path, code, message };
}

export function validateTemplateName(name: string): FieldError | null {
  if (name.trim() === "") return err("name", "required", "A name is required");
  if ([...name].length > MAX_NAME_LENGTH)
    return err("name", "too_long", `A name has at most ${MAX_NAME_LENGTH} characters`);
  if (!NAME_START.test(name) || !NAME_CHARS.test(name))
    return err(
      "name",
      "invalid",
      "Use letters, digits, '-', '_' and '.', starting with a letter or digit",
    );
  return null;
}

function validateParams(spec: TemplateSpec, errors: FieldError[]): void {
  const seen = new Set<string>();
  spec.params.forEach((p, i) => {
    const at = `params[${i}]`;
    if (p.name === "") errors.push(err(`${at}.name`, "required", "A parameter needs a name"));
    else if (!PARAM_NAME.test(p.name))
      errors.push(
        err(`${at}.name`, "invalid", "Use letters, digits and '_', not starting with a digit"),
      );
    else if (p.name.toUpperCase().startsWith("SIMPLE_CICD_"))
      errors.push(err(`${at}.name`, "reserved", "Names starting with SIMPLE_CICD_ are reserved"));
    else if (seen.has(p.name))
      errors.push(err(`${at}.name`, "duplicate", `Another parameter is already called ${p.name}`));
    seen.add(p.name);

    if (p.type === "choice") {
      if (p.choices.length === 0)
        errors.push(
          err(`${at}.choices`, "required", "A choice parameter needs at least one choice"),
        );
      else if (new Set(p.choices).size !== p.choices.length)
        errors.push(err(`${at}.choices`, "duplicate", "Each choice must be different"));
      if (p.default !== null && !p.choices.includes(String(p.default)))
        errors.push(
          err(`${at}.default`, "not_in_choices", "The default must be one of the choices"),
        );
    }
    if (p.type === "number" && p.default !== null && typeof p.default !== "number")
      errors.push(err(`${at}.default`, "type_mismatch", "The default must be a number"));
  });
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

function validateNotify(spec: TemplateSpec, errors: FieldError[]): void {
  spec.notify.forEach((rule, i) => {
    if (rule.when.length === 0)
      errors.push(err(`notify[${i}].when`, "required", "Say when the rule fires"));
    if (rule.email.length === 0 && !rule.desktop)
      errors.push(
        err(`notify[${i}]`, "required", "The rule tells nobody: add e-mail recipients or desktop"),
      );
    rule.email.forEach((address, j) => {
      if (!EMAIL.test(address.trim()))
        errors.push(
          err(`notify[${i}].email[${j}]`, "invalid", `${address} is not an e-mail address`),
        );
    });
  });
}

const PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

function validateCompose(spec: TemplateSpec, errors: FieldError[]): void {
  if ((spec.compose ?? "").trim() === "" && !(spec.files ?? []).length)
    errors.push(
      err("compose", "required", "Write the compose file, or name compose files of the source"),
    );
  const project = spec.project;
  if (project !== undefined && !project.includes("${") && !PROJECT.test(project))
    errors.push(
      err(
        "project",
        "invalid",
        `\`${project}\`: a compose project name holds lower case letters, digits, '-' and '_', starting with a letter or digit`,
      ),
    );
  const wait = spec.waitSeconds;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 1))
    errors.push(err("waitSeconds", "invalid", "Wait a whole number of seconds, at least 1"));
}

export function validateTemplateSpec(spec: TemplateSpec): FieldError[] {
  const errors: FieldError[] = [];
  const nameError = validateTemplateName(spec.name);
  if (nameError) errors.push(nameError);
  if (spec.kind === "shell" && spec.script.trim() === "")
    errors.push(err("script", "required", "The script is empty"));
  const t = spec.timeoutSeconds;
  if (t !== null && (!Number.isInteger(t) || t < 1))
    errors.push(
      err("timeoutSeconds", "invalid", "The timeout is a whole number of seconds, at least 1"),
    );
  validateParams(spec, errors);
  if (spec.kind === "docker-build")
    (spec.tags ?? []).forEach((tag, i) => {
      if (/\s/.test(tag))
        errors.push(err(`tags[${i}]`, "invalid", `\`${tag}\`: an image tag cannot contain spaces`));
    });
  if (spec.kind === "compose") validateCompose(spec, errors);
  validateNotify(spec, errors);
  return errors;
}
