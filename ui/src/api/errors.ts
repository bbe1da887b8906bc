// Normalises whatever a failed command rejects with into the contract's ApiError shape, so every
// caller handles one type. It does not translate messages: the UI picks a translation by `code`.
import type { ApiError } from "@/bindings/ApiError";
import type { ErrorCode } from "@/bindings/ErrorCode";
import type { FieldError } from "@/bindings/FieldError";

/** Code used when the page runs outside the desktop app (plain browser, no Tauri IPC). */
export const NO_BACKEND: ErrorCode = "no_backend";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function toFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((f) => ({
    path: String(f.path ?? ""),
    code: String(f.code ?? "invalid"),
    message: String(f.message ?? ""),
  }));
}

function toParams(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

export function isApiError(value: unknown): value is ApiError {
  return isRecord(value) && typeof value.code === "string" && typeof value.message === "string";
}

/** Turns any rejection (ApiError object, string, Error, anything) into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (isRecord(error) && typeof error.code === "string") {
    return {
      // The backend only sends ErrorCode values; an unknown one is still shown by its message.
      code: error.code as ErrorCode,
      message: typeof error.message === "string" ? error.message : error.code,
      fields: toFieldErrors(error.fields),
      params: toParams(error.params),
    };
  }
  const internal = (message: string): ApiError => ({
    code: "internal",
    message,
    fields: [],
    params: {},
  });
  if (typeof error === "string") return internal(error);
  if (error instanceof Error) return internal(error.message);
  return internal(String(error));
}
