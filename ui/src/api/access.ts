// The audit log: one typed function per Tauri command.
import type { AuditEntry } from "@/bindings/AuditEntry";
import type { AuditFilter } from "@/bindings/AuditFilter";
import { call } from "./invoke";

/** Audit entries matching `filter`, newest first. */
export function auditList(filter: AuditFilter): Promise<AuditEntry[]> {
  return call<AuditEntry[]>("audit_list", { filter });
}
