// Repository commands: one typed function per Tauri command.
import type { RepoRefs } from "@/bindings/RepoRefs";
import type { Repository } from "@/bindings/Repository";
import type { RepositoryInput } from "@/bindings/RepositoryInput";
import { call } from "./invoke";

export function repoList(): Promise<Repository[]> {
  return call<Repository[]>("repo_list");
}

/** Adds a repository, or changes the one with that name when `replace` is set. */
export function repoSave(input: RepositoryInput, replace: boolean): Promise<Repository> {
  return call<Repository>("repo_save", { input, replace });
}

export async function repoDelete(name: string): Promise<void> {
  await call<null>("repo_delete", { name });
}

/** The remote's branches and tags; rejects with git_unreachable, git_auth, git_not_found… */
export function repoTest(name: string): Promise<RepoRefs> {
  return call<RepoRefs>("repo_test", { name });
}
