import { describe, expect, it } from "vitest";
import type { AppDetail } from "@/bindings/AppDetail";
import type { ServiceState } from "@/bindings/ServiceState";
import { appHealth, appSync, parseAppTrigger, shortDigest } from "./appState";

const svc = (service: string, pinned: string, patch: Partial<ServiceState> = {}): ServiceState => ({
  service,
  state: "running",
  health: "healthy",
  image: `reg/${service}:1`,
  pinned,
  ...patch,
});
const detail = (patch: Partial<AppDetail>): AppDetail =>
  ({
    app: { id: 1, kind: "compose", name: "shop", target: "local", template: "shop", current: null },
    revisions: [],
    services: [svc("web", "a")],
    servicesError: null,
    drifted: false,
    healthy: true,
    ...patch,
  }) as AppDetail;

describe("app state", () => {
  it("is checking until the endpoint answered, unknown when it could not be read", () => {
    expect(appHealth(null), "no answer yet").toBe("checking");
    expect(appHealth(detail({ servicesError: "refused", services: [] }))).toBe("unknown");
    expect(
      appSync(detail({ servicesError: "refused", drifted: false })),
      "no sync claim without the services",
    ).toBe("unknown");
  });

  it("tells healthy, unhealthy and down apart, and drift from sync", () => {
    expect(appHealth(detail({}))).toBe("healthy");
    expect(appHealth(detail({ healthy: false }))).toBe("unhealthy");
    expect(appHealth(detail({ services: [], healthy: false })), "nothing runs").toBe("down");
    const deployed = [{ number: 1, status: "deployed" }] as AppDetail["revisions"];
    expect(appSync(detail({ drifted: true, revisions: deployed }))).toBe("drifted");
    expect(appSync(detail({ revisions: deployed }))).toBe("inSync");
    expect(
      appSync(detail({ revisions: [{ number: 1, status: "failed" }] as AppDetail["revisions"] })),
      "nothing was deployed to be in sync with",
    ).toBe("unknown");
  });

  it("shortens digests and image ids to 12 hex digits", () => {
    const hex = "0123456789abcdef".repeat(4);
    expect(shortDigest(`localhost:5000/web@sha256:${hex}`)).toBe("sha256:0123456789ab");
    expect(shortDigest(`sha256:${hex}`)).toBe("sha256:0123456789ab");
    expect(shortDigest("web:1"), "anything else is shown as it is").toBe("web:1");
  });

  it("reads rollback and redeploy triggers", () => {
    expect(parseAppTrigger("rollback to #12")).toEqual({ kind: "rollback", number: 12, by: null });
    expect(parseAppTrigger("rollback to #3 by ana")).toEqual({
      kind: "rollback",
      number: 3,
      by: "ana",
    });
    expect(parseAppTrigger("redeploy")).toEqual({ kind: "redeploy", by: null });
    expect(parseAppTrigger("redeploy by ana")).toEqual({ kind: "redeploy", by: "ana" });
    expect(parseAppTrigger("webhook")).toEqual({ kind: "run", trigger: "webhook" });
  });
});
