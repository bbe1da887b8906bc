// Is the local Docker Engine reachable, and is the webhook server listening? Checked when the app
// starts, every 30 s while the window is visible, when it becomes visible again, and on demand.
import { defineStore } from "pinia";
import { ref } from "vue";
import { endpointTest, serverStatus, toApiError } from "@/api";
import type { EndpointInfo } from "@/bindings/EndpointInfo";
import type { ServerStatus } from "@/bindings/ServerStatus";

/** The built-in endpoint: the local socket. */
export const LOCAL_ENDPOINT = "local";
export const HEALTH_INTERVAL_MS = 30_000;

export type DockerHealth =
  { state: "checking" } | { state: "ok"; info: EndpointInfo } | { state: "down"; message: string };

export type ServerHealth =
  { state: "checking" } | { state: "ok"; address: string } | { state: "down"; message: string };

export function serverHealth(status: ServerStatus): ServerHealth {
  if (status.listening && status.address) return { state: "ok", address: status.address };
  return { state: "down", message: status.error ?? "" };
}

export const useHealthStore = defineStore("health", () => {
  const docker = ref<DockerHealth>({ state: "checking" });
  const server = ref<ServerHealth>({ state: "checking" });
  let timer: ReturnType<typeof setInterval> | null = null;

  async function checkDocker(): Promise<void> {
    try {
      docker.value = { state: "ok", info: await endpointTest(LOCAL_ENDPOINT) };
    } catch (e) {
      docker.value = { state: "down", message: toApiError(e).message };
    }
  }

  async function checkServer(): Promise<void> {
    try {
      server.value = serverHealth(await serverStatus());
    } catch (e) {
      server.value = { state: "down", message: toApiError(e).message };
    }
  }

  function check(): Promise<void> {
    return Promise.all([checkDocker(), checkServer()]).then(() => undefined);
  }

  const onVisible = () => {
    if (document.visibilityState === "visible") void check();
  };

  /** Starts the periodic checks (idempotent); `stop` ends them. */
  function start(): void {
    if (timer) return;
    void check();
    timer = setInterval(() => {
      if (document.visibilityState === "visible") void check();
    }, HEALTH_INTERVAL_MS);
    document.addEventListener("visibilitychange", onVisible);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
    document.removeEventListener("visibilitychange", onVisible);
  }

  return { docker, server, check, start, stop };
});
