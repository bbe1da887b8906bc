// The i18n key of a credentials kind (the bindings spell them with a hyphen).
import type { RepoAuth } from "@/bindings/RepoAuth";

const KEYS = {
  none: "none",
  token: "token",
  "ssh-key": "sshKey",
  "ssh-agent": "sshAgent",
} as const;

export function authKey(auth: RepoAuth): (typeof KEYS)[RepoAuth] {
  return KEYS[auth];
}
