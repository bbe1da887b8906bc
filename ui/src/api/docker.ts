// Docker endpoint and registry commands: one typed function per Tauri command. Certificates, keys
// and passwords only travel towards the backend; nothing here can read one back.
import type { Endpoint } from "@/bindings/Endpoint";
import type { EndpointInfo } from "@/bindings/EndpointInfo";
import type { NewEndpoint } from "@/bindings/NewEndpoint";
import type { NewRegistry } from "@/bindings/NewRegistry";
import type { Registry } from "@/bindings/Registry";
import type { RegistryCheck } from "@/bindings/RegistryCheck";
import { call } from "./invoke";

/** The local socket first (when a daemon answers there), then the added endpoints. */
export function endpointList(): Promise<Endpoint[]> {
  return call<Endpoint[]>("endpoint_list");
}

/** Invalid input rejects with code `invalid` and fields `name`, `url`, `tlsCa`, `tlsCert`, `tlsKey`, `sshKey`. */
export function endpointAdd(endpoint: NewEndpoint): Promise<Endpoint> {
  return call<Endpoint>("endpoint_add", { endpoint });
}

/** The daemon's details, or rejects with code `docker` and the exact reason. */
export function endpointTest(name: string): Promise<EndpointInfo> {
  return call<EndpointInfo>("endpoint_test", { name });
}

export async function endpointRemove(name: string): Promise<void> {
  await call<null>("endpoint_remove", { name });
}

export function registryList(): Promise<Registry[]> {
  return call<Registry[]>("registry_list");
}

export function registryAdd(registry: NewRegistry): Promise<Registry> {
  return call<Registry>("registry_add", { registry });
}

/** Logs in with the stored credentials; a refusal rejects with code `docker` and the reason. */
export function registryTest(name: string): Promise<RegistryCheck> {
  return call<RegistryCheck>("registry_test", { name });
}

export async function registryRemove(name: string): Promise<void> {
  await call<null>("registry_remove", { name });
}
