// Access: the audit log (both doors), and users and API tokens (the browser UI of `scicd serve`).
// One typed function per command; the command names are the server's ops.
import type { ApiToken } from "@/bindings/ApiToken";
import type { AuditEntry } from "@/bindings/AuditEntry";
import type { AuditFilter } from "@/bindings/AuditFilter";
import type { CreatedToken } from "@/bindings/CreatedToken";
import type { Role } from "@/bindings/Role";
import type { Scope } from "@/bindings/Scope";
import type { User } from "@/bindings/User";
import { call } from "./invoke";

/** Audit entries matching `filter`, newest first. */
export function auditList(filter: AuditFilter): Promise<AuditEntry[]> {
  return call<AuditEntry[]>("audit_list", { filter });
}

export function userList(): Promise<User[]> {
  return call<User[]>("user_list");
}

export function userAdd(name: string, role: Role, password: string): Promise<User> {
  return call<User>("user_add", { name, role, password });
}

/** What a user update changes (null or absent: unchanged). */
export interface UserChange {
  role?: Role | null;
  disabled?: boolean | null;
  /** The templates an operator may run (patterns); [] for every template. */
  grants?: string[] | null;
}

/** Changes a user's role, grants, and/or disables or enables them. */
export function userUpdate(name: string, change: UserChange): Promise<User> {
  const { role = null, disabled = null, grants = null } = change;
  return call<User>("user_update", { name, role, disabled, grants });
}

export async function userRemove(name: string): Promise<void> {
  await call<null>("user_remove", { name });
}

/** Sets a user's password (an admin's, or one's own); their sessions end. */
export async function userPasswd(name: string, password: string): Promise<void> {
  await call<null>("user_passwd", { name, password });
}

/** The caller's API tokens, or (an admin) those of `user`. */
export function tokenList(user: string | null = null): Promise<ApiToken[]> {
  return call<ApiToken[]>("token_list", { user });
}

/** A new token; its value is in this answer only. `expires`: `30d`, `12h`, or null for never. */
export function tokenCreate(
  name: string,
  scopes: Scope[],
  expires: string | null,
): Promise<CreatedToken> {
  return call<CreatedToken>("token_create", { name, user: null, scopes, expires });
}

export function tokenRevoke(id: number): Promise<ApiToken> {
  return call<ApiToken>("token_revoke", { id });
}
