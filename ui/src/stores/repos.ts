// Repositories: the list, and the write operations, which refresh it afterwards. Test results
// are kept per repository so the list and the editor's ref picker can show them.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { repoDelete, repoList, repoSave, repoTest, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { RepoRefs } from "@/bindings/RepoRefs";
import type { Repository } from "@/bindings/Repository";
import type { RepositoryInput } from "@/bindings/RepositoryInput";

export type TestState =
  { state: "testing" } | { state: "ok"; refs: RepoRefs } | { state: "error"; error: ApiError };

export const useRepoStore = defineStore("repos", () => {
  const items = ref<Repository[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const tests = ref<Record<string, TestState>>({});
  let inFlight: Promise<void> | null = null;

  const names = computed(() => items.value.map((r) => r.name));

  function refresh(): Promise<void> {
    if (inFlight) return inFlight;
    loading.value = true;
    inFlight = repoList()
      .then((list) => {
        items.value = list;
        error.value = null;
        loaded.value = true;
      })
      .catch((e: unknown) => {
        error.value = toApiError(e);
      })
      .finally(() => {
        loading.value = false;
        inFlight = null;
      });
    return inFlight;
  }

  async function save(input: RepositoryInput, replace: boolean): Promise<Repository> {
    const saved = await repoSave(input, replace);
    delete tests.value[saved.name];
    void refresh();
    return saved;
  }

  async function remove(name: string): Promise<void> {
    await repoDelete(name);
    items.value = items.value.filter((r) => r.name !== name);
    delete tests.value[name];
    void refresh();
  }

  /** Tests the repository; the outcome is kept in `tests[name]`. */
  async function test(name: string): Promise<TestState> {
    tests.value[name] = { state: "testing" };
    let result: TestState;
    try {
      result = { state: "ok", refs: await repoTest(name) };
    } catch (e) {
      result = { state: "error", error: toApiError(e) };
    }
    tests.value[name] = result;
    if (result.state === "ok") void refresh(); // a first SSH contact pins the host key
    return result;
  }

  return { items, loaded, loading, error, tests, names, refresh, save, remove, test };
});
