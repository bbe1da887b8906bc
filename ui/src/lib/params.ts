// Typed parameter values: from a ParamSpec's JSON default to a form value of the right type, and
// from form values to the string map that run_start takes. The values are checked by the engine
// alone: run_start refuses them field by field (`params.<NAME>`), and the form shows its answer.
import type { JsonValue } from "@/bindings/serde_json/JsonValue";
import type { ParamSpec } from "@/bindings/ParamSpec";
import type { ParamType } from "@/bindings/ParamType";

/** What a form control holds: text for string/choice, number or null, boolean. */
export type ParamValue = string | number | boolean | null;

function parseNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function parseBoolean(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return null;
}

/** The value a run form starts with: the previous run's value if given, else the default. */
export function initialValue(spec: ParamSpec, previous?: string): ParamValue {
  const source: unknown = previous !== undefined ? previous : spec.default;
  switch (spec.type) {
    case "number":
      return parseNumber(source);
    case "boolean":
      return parseBoolean(source) ?? false;
    case "choice": {
      const s = source === null || source === undefined ? null : String(source);
      return s !== null && spec.choices.includes(s) ? s : null;
    }
    case "string":
      return source === null || source === undefined ? "" : String(source);
    case "secret":
      // Filled by the backend from the secret store, never typed into a form.
      return null;
  }
}

/** The string the backend receives for a value, or undefined to leave the parameter out. */
export function serializeValue(spec: ParamSpec, value: ParamValue): string | undefined {
  if (value === null) return undefined;
  switch (spec.type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
    case "boolean":
      return value === true ? "true" : "false";
    case "choice":
    case "string":
      return String(value);
    case "secret":
      return undefined;
  }
}

function isEmptyValue(spec: ParamSpec, value: ParamValue): boolean {
  if (value === null) return true;
  return spec.type !== "boolean" && typeof value === "string" && value === "";
}

/** The params map for run_start, leaving out values the user left empty. */
export function toRunParams(
  specs: readonly ParamSpec[],
  values: Record<string, ParamValue>,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const spec of specs) {
    const value = values[spec.name] ?? null;
    if (spec.type !== "boolean" && isEmptyValue(spec, value) && !spec.required) continue;
    const s = serializeValue(spec, value);
    if (s !== undefined) params[spec.name] = s;
  }
  return params;
}

/** Keeps a default meaningful when the parameter's type changes in the editor. */
export function coerceDefault(type: ParamType, value: JsonValue, choices: string[]): JsonValue {
  if (value === null || type === "secret") return type === "boolean" ? false : null;
  switch (type) {
    case "string":
      return typeof value === "object" ? null : String(value);
    case "number":
      return parseNumber(value);
    case "boolean":
      return parseBoolean(value) ?? false;
    case "choice":
      return typeof value === "string" && choices.includes(value) ? value : null;
  }
}

export function emptyParam(): ParamSpec {
  return {
    name: "",
    type: "string",
    default: null,
    required: false,
    description: null,
    choices: [],
    secret: null,
  };
}

/** A run's params as a plain string map (tolerates generated types with optional keys). */
export function plainParams(params: { [key: string]: string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}
