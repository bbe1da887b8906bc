// Image registries as the UI sees them (never a password), and the last login check of each.
import { defineStore } from "pinia";
import { ref } from "vue";
import { registryAdd, registryList, registryRemove, registryTest, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { NewRegistry } from "@/bindings/NewRegistry";
import type { Registry } from "@/bindings/Registry";
import type { RegistryCheck } from "@/bindings/RegistryCheck";

export type RegistryTestResult =
  { ok: true; check: RegistryCheck } | { ok: false; error: ApiError };

export const useRegistryStore = defineStore("registries", () => {
  const items = ref<Registry[]>([]);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const tests = ref<Record<string, RegistryTestResult>>({});
  const testing = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      items.value = await registryList();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  function ensureLoaded(): Promise<void> {
    return loaded.value ? Promise.resolve() : refresh();
  }

  async function add(registry: NewRegistry): Promise<Registry> {
    const added = await registryAdd(registry);
    items.value = [...items.value.filter((r) => r.name !== added.name), added].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    return added;
  }

  async function test(name: string): Promise<RegistryTestResult> {
    testing.value = name;
    try {
      const check = await registryTest(name);
      tests.value = { ...tests.value, [name]: { ok: true, check } };
    } catch (e) {
      tests.value = { ...tests.value, [name]: { ok: false, error: toApiError(e) } };
    } finally {
      testing.value = null;
    }
    return tests.value[name]!;
  }

  async function remove(name: string): Promise<void> {
    await registryRemove(name);
    items.value = items.value.filter((r) => r.name !== name);
    const { [name]: _gone, ...rest } = tests.value;
    tests.value = rest;
  }

  return { items, loaded, error, tests, testing, refresh, ensureLoaded, add, test, remove };
});
