import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { HEALTH_INTERVAL_MS, useHealthStore } from "./health";

const INFO = {
  endpoint: "local",
  url: "unix:///var/run/docker.sock",
  engineVersion: "26.1.5",
  apiVersion: "1.45",
  clientApiVersion: "1.45",
  os: "Debian GNU/Linux 12",
  osType: "linux",
  architecture: "x86_64",
  cpus: 2,
  memoryBytes: 1,
  images: 0,
  containers: 0,
  containersRunning: 0,
  latencyMs: 3,
};
const DOWN = {
  code: "docker",
  message:
    "Docker is not running at unix:///var/run/docker.sock: start it (sudo systemctl start docker)",
  fields: [],
};

describe("health store", () => {
  let dockerUp: boolean;
  let calls: string[];

  beforeEach(() => {
    setActivePinia(createPinia());
    dockerUp = true;
    calls = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === "endpoint_test") {
        expect((args as { name: string }).name).toBe("local");
        if (!dockerUp) throw DOWN;
        return INFO;
      }
      if (cmd === "server_status")
        return {
          listening: false,
          address: null,
          error: "127.0.0.1:8750 is in use by another program",
        };
      return null;
    });
  });
  afterEach(() => {
    clearMocks();
    vi.useRealTimers();
  });

  it("reports a reachable Docker with its details and a server that is not listening with why", async () => {
    const health = useHealthStore();
    expect(health.docker.state).toBe("checking");
    await health.check();
    expect(health.docker).toEqual({ state: "ok", info: INFO });
    expect(health.server).toEqual({
      state: "down",
      message: "127.0.0.1:8750 is in use by another program",
    });
  });

  it("turns red with Docker's own message when the daemon stops answering", async () => {
    const health = useHealthStore();
    await health.check();
    dockerUp = false;
    await health.check();
    expect(health.docker).toEqual({ state: "down", message: DOWN.message });
  });

  it("checks again on its own while started, and no more once stopped", async () => {
    vi.useFakeTimers();
    const health = useHealthStore();
    health.start();
    health.start(); // idempotent: one timer
    await vi.advanceTimersByTimeAsync(HEALTH_INTERVAL_MS);
    expect(calls.filter((c) => c === "endpoint_test")).toHaveLength(2);
    health.stop();
    await vi.advanceTimersByTimeAsync(HEALTH_INTERVAL_MS * 3);
    expect(calls.filter((c) => c === "endpoint_test")).toHaveLength(2);
  });
});
