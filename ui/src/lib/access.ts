// Plain facts of users and API tokens the pages share: the roles and scopes in order, the expiry
// choices of a new token, and a token's state at a given time.
import type { ApiToken } from "@/bindings/ApiToken";
import type { Role } from "@/bindings/Role";
import type { Scope } from "@/bindings/Scope";

export const ROLES: readonly Role[] = ["viewer", "operator", "maintainer", "admin"];
export const SCOPES: readonly Scope[] = ["read", "run", "deploy", "write", "admin"];

/** The expiry choices of a new token: an i18n key under access.tokens.expiry and the server's form. */
export const EXPIRIES: ReadonlyArray<{ key: string; value: string | null }> = [
  { key: "d7", value: "7d" },
  { key: "d30", value: "30d" },
  { key: "d90", value: "90d" },
  { key: "y1", value: "365d" },
  { key: "never", value: null },
];

export type TokenState = "active" | "revoked" | "expired";

export function tokenState(token: ApiToken, now: number): TokenState {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return "expired";
  return "active";
}
