// Apps of the development fake backend: a healthy two-service shop with three revisions (the
// newest a rollback), a drifted and unhealthy blog, an app on an endpoint that does not answer,
// and one with a very long name. Rollback and redeploy start runs of the app's template through
// `launch` and record a new revision; stop, start, restart and down change the services.
import type { App } from "@/bindings/App";
import type { AppAction } from "@/bindings/AppAction";
import type { AppDetail } from "@/bindings/AppDetail";
import type { AppRevision } from "@/bindings/AppRevision";
import type { Run } from "@/bindings/Run";
import type { ServiceState } from "@/bindings/ServiceState";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { fakeAppDiff } from "./fakeAppDiff";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;
const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const digest = (seed: string) =>
  "sha256:" +
  Array.from(
    { length: 64 },
    (_, i) => "0123456789abcdef"[(seed.charCodeAt(i % seed.length) * (i + 7)) % 16],
  ).join("");

function service(name: string, image: string, health = "healthy", state = "running"): ServiceState {
  const repo = image.split(":")[0] ?? image;
  return { service: name, state, health, image, pinned: `${repo}@${digest(image)}` };
}

const shopConfig = (tag: string) =>
  `name: shop\nservices:\n  web:\n    image: localhost:5000/shop-web:${tag}\n    ports: ["8080:80"]\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost/health"]\n  db:\n    image: localhost:5000/postgres:16\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data: {}\n`;

interface FakeApp {
  app: App;
  revisions: AppRevision[];
  services: ServiceState[];
  servicesError: string | null;
}

function revision(
  number: number,
  runId: number | null,
  trigger: string,
  tag: string,
  ago: number,
  status = "deployed",
): AppRevision {
  return {
    number,
    runId,
    runNumber: runId,
    trigger,
    commit: null,
    config: shopConfig(tag),
    services: [
      service("db", "localhost:5000/postgres:16"),
      service("web", `localhost:5000/shop-web:${tag}`),
    ],
    status,
    error:
      status === "failed"
        ? "service web is unhealthy: wget: can't connect to remote host (127.0.0.1): Connection refused"
        : null,
    createdAt: iso(Date.now() - ago),
  };
}

/** The compose templates the apps were launched by. */
export function seedComposeSpecs(): TemplateSpec[] {
  const base = {
    kind: "compose" as const,
    description: "",
    params: [],
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: 900,
    concurrency: "queue" as const,
    script: "",
    notify: [],
  };
  return [
    {
      ...base,
      name: "shop",
      description: "The shop's web front and its database",
      compose: shopConfig("1.4"),
      project: "shop",
    },
    {
      ...base,
      name: "blog",
      description: "The team blog",
      compose: "services:\n  blog:\n    image: localhost:5000/blog:3\n",
      endpoint: "build-box",
    },
  ];
}

function seedApps(): FakeApp[] {
  const shopRevs = [
    revision(4, 44, "rollback to #2", "1.3", 0.4 * HOUR),
    revision(3, 41, "webhook", "1.4", 20 * HOUR, "failed"),
    revision(2, 30, "manual", "1.3", 50 * HOUR),
    revision(1, 12, "manual", "1.2", 120 * HOUR),
  ];
  const blogRevs: AppRevision[] = [
    {
      ...revision(2, 40, "cron", "x", 3 * HOUR),
      config: "services:\n  blog:\n    image: localhost:5000/blog:3\n",
      services: [service("blog", "localhost:5000/blog:3", "")],
    },
    {
      ...revision(1, null, "manual", "x", 90 * HOUR),
      config: "services:\n  blog:\n    image: localhost:5000/blog:2\n",
      services: [service("blog", "localhost:5000/blog:2", "")],
    },
  ];
  const long = "customer-portal-staging-eu-west-with-a-very-long-project-name-for-layout";
  return [
    {
      app: {
        id: 1,
        kind: "compose",
        name: "shop",
        target: "local",
        template: "shop",
        current: shopRevs[0]!,
      },
      revisions: shopRevs,
      services: shopRevs[0]!.services.map((s) => ({ ...s })),
      servicesError: null,
    },
    {
      app: {
        id: 2,
        kind: "compose",
        name: "blog",
        target: "build-box",
        template: "blog",
        current: blogRevs[0]!,
      },
      revisions: blogRevs,
      services: [service("blog", "localhost:5000/blog:4", "unhealthy")],
      servicesError: null,
    },
    {
      app: {
        id: 3,
        kind: "compose",
        name: "metrics",
        target: "pi",
        template: "shop",
        current: { ...shopRevs[2]!, number: 1 },
      },
      revisions: [{ ...shopRevs[2]!, number: 1 }],
      services: [],
      servicesError:
        "Docker is not reachable at ssh://deploy@pi.local (connection refused): check that the host is up and sshd listens",
    },
    {
      app: {
        id: 4,
        kind: "compose",
        name: long,
        target: "local",
        template: "shop",
        current: { ...shopRevs[3]!, number: 1 },
      },
      revisions: [{ ...shopRevs[3]!, number: 1 }],
      services: shopRevs[3]!.services.map((s) => ({ ...s })),
      servicesError: null,
    },
  ];
}

function drifted(a: FakeApp): boolean {
  const current = a.revisions.find((r) => r.status === "deployed");
  if (!current || a.servicesError) return false;
  const want = new Map(current.services.map((s) => [s.service, s.pinned]));
  return (
    want.size !== a.services.length || a.services.some((s) => want.get(s.service) !== s.pinned)
  );
}

export function fakeAppHandlers(
  empty: boolean,
  templates: Template[],
  launch: (template: string, trigger: string) => Run,
): Record<string, (a: Args) => unknown> {
  const apps: FakeApp[] = empty ? [] : seedApps();
  const find = (ref: unknown): FakeApp => {
    const [name, target] = String(ref).split("@");
    const found = apps.find((a) => a.app.name === name && (!target || a.app.target === target));
    if (!found) throw fail("not_found", `There is no app called ${String(ref)}`);
    return found;
  };
  const detail = (a: FakeApp): AppDetail => ({
    app: a.app,
    revisions: a.revisions,
    services: a.servicesError ? [] : a.services,
    servicesError: a.servicesError,
    drifted: drifted(a),
    healthy:
      a.services.length > 0 &&
      a.services.every(
        (s) => s.state === "running" && s.health !== "unhealthy" && s.health !== "starting",
      ),
  });
  function relaunch(a: FakeApp, services: ServiceState[], config: string, trigger: string): Run {
    if (!templates.some((t) => t.spec.name === a.app.template))
      throw fail(
        "invalid",
        `the template ${a.app.template} that launched app ${a.app.name} no longer exists`,
      );
    const run = launch(a.app.template, trigger);
    const rev: AppRevision = {
      number: (a.revisions[0]?.number ?? 0) + 1,
      runId: run.id,
      runNumber: run.number,
      trigger,
      commit: null,
      config,
      services: services.map((s) => ({ ...s })),
      status: "deployed",
      error: null,
      createdAt: new Date().toISOString(),
    };
    a.revisions.unshift(rev);
    a.app.current = rev;
    a.services = services.map((s) => ({
      ...s,
      state: "running",
      health: s.health === "unhealthy" ? "healthy" : s.health,
    }));
    return run;
  }
  return {
    app_list: () => apps.map((a) => a.app),
    app_get: (args) => detail(find(args.name)),
    app_rollback: (args) => {
      const a = find(args.name);
      const to = a.revisions.find((r) => r.number === Number(args.to));
      if (!to)
        throw fail("invalid", `app ${a.app.name} has no revision #${String(args.to)}`, [
          { path: "to", code: "unknown", message: "no such revision" },
        ]);
      return relaunch(a, to.services, to.config, `rollback to #${to.number}`);
    },
    app_diff: (args) => {
      const a = find(args.name);
      const rev = (n: unknown) => {
        const r = a.revisions.find((x) => x.number === Number(n));
        if (!r) throw fail("invalid", `app ${a.app.name} has no revision #${String(n)}`);
        return r;
      };
      return fakeAppDiff(rev(args.from), rev(args.to));
    },
    app_redeploy: (args) => {
      const a = find(args.name);
      const current = a.app.current;
      if (!current) throw fail("not_found", `app ${a.app.name} has no revision to redeploy`);
      return relaunch(a, current.services, current.config, "redeploy");
    },
    app_action: (args) => {
      const a = find(args.name);
      if (a.servicesError) throw fail("invalid", `docker compose failed: ${a.servicesError}`);
      const action = args.action as AppAction;
      if (action === "down" || action === "down-with-volumes") a.services = [];
      else
        a.services = a.services.map((s) => ({
          ...s,
          state: action === "stop" ? "exited" : "running",
        }));
      return `Container ${a.app.name}-web-1  ${action === "stop" ? "Stopped" : "Started"}\n`;
    },
    app_logs: (args) => {
      const a = find(args.name);
      const tail = Math.min(Number(args.tail ?? 100), 40);
      return Array.from(
        { length: tail },
        (_, i) =>
          `${String(args.service)}-1  | ${iso(Date.now() - (tail - i) * 60_000)} GET /health 200 (${a.app.name})`,
      ).join("\n");
    },
  };
}
