// Docker endpoints as the UI sees them, and the last "Test" answer of each (the daemon's details or
// the reason it cannot be reached), kept while the page is open.
import { defineStore } from "pinia";
import { ref } from "vue";
import { endpointAdd, endpointList, endpointRemove, endpointTest, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { Endpoint } from "@/bindings/Endpoint";
import type { EndpointInfo } from "@/bindings/EndpointInfo";
import type { NewEndpoint } from "@/bindings/NewEndpoint";

export type EndpointTestResult = { ok: true; info: EndpointInfo } | { ok: false; error: ApiError };

export const useEndpointStore = defineStore("endpoints", () => {
  const items = ref<Endpoint[]>([]);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const tests = ref<Record<string, EndpointTestResult>>({});
  const testing = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      items.value = await endpointList();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  function ensureLoaded(): Promise<void> {
    return loaded.value ? Promise.resolve() : refresh();
  }

  async function add(endpoint: NewEndpoint): Promise<Endpoint> {
    const added = await endpointAdd(endpoint);
    items.value = [...items.value.filter((e) => e.name !== added.name), added];
    return added;
  }

  async function test(name: string): Promise<EndpointTestResult> {
    testing.value = name;
    try {
      const info = await endpointTest(name);
      tests.value = { ...tests.value, [name]: { ok: true, info } };
    } catch (e) {
      tests.value = { ...tests.value, [name]: { ok: false, error: toApiError(e) } };
    } finally {
      testing.value = null;
    }
    return tests.value[name]!;
  }

  async function remove(name: string): Promise<void> {
    await endpointRemove(name);
    items.value = items.value.filter((e) => e.name !== name);
    const { [name]: _gone, ...rest } = tests.value;
    tests.value = rest;
  }

  return { items, loaded, error, tests, testing, refresh, ensureLoaded, add, test, remove };
});
