import { describe, expect, it } from "vitest";
import type { AppDetail } from "@/bindings/AppDetail";
import type { ServiceState } from "@/bindings/ServiceState";
import { appHealth, appSync, imageChanges, parseAppTrigger, shortDigest } from "./appState";

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

  it("lists per service what a rollback changes, by digest", () => {
    const now = [svc("db", "d1"), svc("web", "w2"), svc("cache", "c1")];
    const after = [svc("db", "d1"), svc("web", "w1"), svc("worker", "k1")];
    const changes = imageChanges(now, after);
    expect(changes.map((c) => [c.service, c.changed])).toEqual([
      ["cache", true],
      ["db", false],
      ["web", true],
      ["worker", true],
    ]);
    expect(changes[0]!.after, "a service the revision did not have goes away").toBeNull();
    expect(changes[3]!.now, "a service that does not run now is added").toBeNull();
  });

  it("reads rollback and redeploy triggers", () => {
    expect(parseAppTrigger("rollback to #12")).toEqual({ kind: "rollback", number: 12 });
    expect(parseAppTrigger("redeploy")).toEqual({ kind: "redeploy" });
    expect(parseAppTrigger("webhook")).toEqual({ kind: "run", trigger: "webhook" });
  });
});
