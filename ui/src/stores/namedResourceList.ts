// The state both the endpoint and the registry stores keep: a list of named items loaded from the
// backend, whether it loaded (or why not), and the last "Test" answer of each item by name. Used
// inside a Pinia setup store; the caller passes its four backend calls and how a passed test looks.
import { ref, type Ref } from "vue";
import { toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";

/** A test that passed (`Passed`, e.g. `{ ok: true; info }`), or why it failed. */
export type TestResult<Passed extends { ok: true }> = Passed | { ok: false; error: ApiError };

export interface NamedResourceApi<Item, New, Answer> {
  list: () => Promise<Item[]>;
  add: (item: New) => Promise<Item>;
  test: (name: string) => Promise<Answer>;
  remove: (name: string) => Promise<void>;
}

export interface NamedResourceOptions<Answer, Passed extends { ok: true }> {
  /** Turns the backend's answer to a test into the stored result. */
  passed: (answer: Answer) => Passed;
  /** Keep the list sorted by name after an add (otherwise the added item goes last). */
  sortOnAdd?: boolean;
}

export function useNamedResourceList<
  Item extends { name: string },
  New,
  Answer,
  Passed extends { ok: true },
>(api: NamedResourceApi<Item, New, Answer>, options: NamedResourceOptions<Answer, Passed>) {
  const items = ref([]) as Ref<Item[]>;
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const tests = ref({}) as Ref<Record<string, TestResult<Passed>>>;
  const testing = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      items.value = await api.list();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  function ensureLoaded(): Promise<void> {
    return loaded.value ? Promise.resolve() : refresh();
  }

  async function add(item: New): Promise<Item> {
    const added = await api.add(item);
    const next = [...items.value.filter((i) => i.name !== added.name), added];
    items.value = options.sortOnAdd ? next.sort((a, b) => a.name.localeCompare(b.name)) : next;
    return added;
  }

  async function test(name: string): Promise<TestResult<Passed>> {
    testing.value = name;
    try {
      const answer = await api.test(name);
      tests.value = { ...tests.value, [name]: options.passed(answer) };
    } catch (e) {
      tests.value = { ...tests.value, [name]: { ok: false, error: toApiError(e) } };
    } finally {
      testing.value = null;
    }
    return tests.value[name]!;
  }

  async function remove(name: string): Promise<void> {
    await api.remove(name);
    items.value = items.value.filter((i) => i.name !== name);
    const { [name]: _gone, ...rest } = tests.value;
    tests.value = rest;
  }

  return { items, loaded, error, tests, testing, refresh, ensureLoaded, add, test, remove };
}
