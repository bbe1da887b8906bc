// Image registries as the UI sees them (never a password), and the last login check of each.
import { defineStore } from "pinia";
import { registryAdd, registryList, registryRemove, registryTest } from "@/api";
import type { NewRegistry } from "@/bindings/NewRegistry";
import type { Registry } from "@/bindings/Registry";
import type { RegistryCheck } from "@/bindings/RegistryCheck";
import { useNamedResourceList, type TestResult } from "./namedResourceList";

export type RegistryTestResult = TestResult<{ ok: true; check: RegistryCheck }>;

export const useRegistryStore = defineStore("registries", () =>
  useNamedResourceList<Registry, NewRegistry, RegistryCheck, { ok: true; check: RegistryCheck }>(
    { list: registryList, add: registryAdd, test: registryTest, remove: registryRemove },
    { passed: (check) => ({ ok: true, check }), sortOnAdd: true },
  ),
);
