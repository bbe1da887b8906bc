// Seed data of the development fake backend: a few templates (every parameter type, a very long
// name, one never run) and a history of runs in every status, including a live running run and a
// finished run with a million log lines.
import type { Run } from "@/bindings/Run";
import type { RunStatus } from "@/bindings/RunStatus";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function spec(
  name: string,
  description: string,
  params: TemplateSpec["params"],
  script: string,
): TemplateSpec {
  return {
    kind: "shell",
    name,
    description,
    params,
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: 900,
    concurrency: "parallel",
    script,
    notify: [],
  };
}

export function seedTemplates(): Template[] {
  const specs: TemplateSpec[] = [
    spec(
      "hello",
      "Greets someone",
      [
        {
          name: "WHO",
          type: "string",
          default: "world",
          required: false,
          description: "Who to greet",
          choices: [],
          secret: null,
        },
      ],
      'echo "hello $WHO"\n',
    ),
    spec(
      "build-frontend",
      "Installs dependencies, runs the unit tests and builds the web bundle",
      [
        {
          name: "BRANCH",
          type: "string",
          default: "main",
          required: true,
          description: "Git branch to build",
          choices: [],
          secret: null,
        },
        {
          name: "JOBS",
          type: "number",
          default: 4,
          required: false,
          description: "Parallel jobs",
          choices: [],
          secret: null,
        },
        {
          name: "CLEAN",
          type: "boolean",
          default: false,
          required: false,
          description: "Remove node_modules first",
          choices: [],
          secret: null,
        },
      ],
      'set -eu\n# install and build\nif [ "$CLEAN" = true ]; then rm -rf node_modules; fi\nnpm ci\nnpm test -- --jobs="$JOBS"\nnpm run build\n',
    ),
    spec(
      "deploy",
      "Deploys the current build to an environment",
      [
        {
          name: "ENV",
          type: "choice",
          default: "staging",
          required: true,
          description: "Target environment",
          choices: ["dev", "staging", "prod"],
          secret: null,
        },
        {
          name: "DRY_RUN",
          type: "boolean",
          default: true,
          required: false,
          description: null,
          choices: [],
          secret: null,
        },
        {
          name: "DEPLOY_TOKEN",
          type: "secret",
          default: null,
          required: true,
          description: "Token of the deploy API",
          choices: [],
          secret: "deploy-token",
        },
      ],
      'echo "deploying to $ENV (dry run: $DRY_RUN)"\n./scripts/deploy.sh "$ENV"\n',
    ),
    spec(
      "nightly-database-backup-with-retention-and-offsite-copy-v2",
      "Dumps every database, compresses the dumps, keeps 14 days locally and copies them to the offsite store; this description is long on purpose so that it gets truncated in the table",
      [],
      "pg_dumpall | gzip > /backups/$(date +%F).sql.gz\n",
    ),
    spec("lint", "Static checks", [], "npm run lint\n"),
  ];
  specs[1] = {
    ...specs[1]!,
    source: { repo: "web-app", ref: "main" },
    triggers: [
      {
        webhook: {
          provider: "github",
          secret: "GH_HOOK",
          branches: ["main", "release/*"],
          tags: ["v*"],
        },
      },
      { cron: "0 3 * * *" },
    ],
  };
  return specs.map((s, i) => ({
    id: i + 1,
    createdAt: iso(Date.now() - 30 * 24 * HOUR),
    updatedAt: iso(Date.now() - (i + 1) * 5 * HOUR),
    pinned: i < 2,
    spec: s,
  }));
}

export function seedRuns(templates: Template[]): Run[] {
  const statuses: RunStatus[] = [
    "succeeded",
    "succeeded",
    "failed",
    "succeeded",
    "cancelled",
    "timed_out",
    "succeeded",
    "interrupted",
    "failed",
    "succeeded",
  ];
  const triggers = ["manual", "cli", "rerun", "manual", "alice@laptop"];
  const runs: Run[] = [];
  const active = templates.slice(0, 4);
  const counters = new Map<number, number>();
  let id = 1;
  for (let i = 0; i < 46; i++) {
    const t = active[i % active.length]!;
    const number = (counters.get(t.id) ?? 0) + 1;
    counters.set(t.id, number);
    const started = Date.now() - (46 - i) * 2.7 * HOUR;
    const status = statuses[i % statuses.length]!;
    const duration = 8_000 + ((i * 7919) % 400_000);
    const failed = status !== "succeeded";
    runs.push({
      id: id++,
      number,
      template: t.spec.name,
      templateId: t.id,
      status,
      trigger: triggers[i % triggers.length]!,
      queuedAt: iso(started - 900),
      startedAt: iso(started),
      finishedAt: iso(started + duration),
      exitCode:
        status === "succeeded"
          ? 0
          : status === "failed"
            ? 2
            : status === "interrupted"
              ? null
              : 143,
      params: Object.fromEntries(t.spec.params.map((p) => [p.name, String(p.default ?? "")])),
      error:
        failed && status !== "cancelled"
          ? `The run ended as ${status}: step "unit tests" returned exit code 2`
          : null,
      logLines: i === 2 ? 1_000_000 : 300 + ((i * 131) % 900),
      workdir: `/var/lib/simple-cicd/work/${t.spec.name}/${number}`,
      email:
        status === "failed"
          ? {
              state: i % 2 ? "sent" : "failed",
              recipients: ["dev@example.com"],
              attempts: 1,
              message: i % 2 ? "250 OK" : "535 5.7.8 Authentication credentials invalid",
              updatedAt: iso(started + duration + 2000),
            }
          : null,
      gitRef: null,
      commit: null,
    });
  }
  const hello = templates[0]!;
  const n = (counters.get(hello.id) ?? 0) + 1;
  runs.push({
    id: id++,
    number: n,
    template: hello.spec.name,
    templateId: hello.id,
    status: "running",
    trigger: "manual",
    queuedAt: iso(Date.now() - 65_000),
    startedAt: iso(Date.now() - 64_000),
    finishedAt: null,
    exitCode: null,
    params: { WHO: "simple-cicd" },
    error: null,
    logLines: 240,
    workdir: null,
    email: null,
    gitRef: null,
    commit: null,
  });
  runs.push({
    id,
    number: n + 1,
    template: hello.spec.name,
    templateId: hello.id,
    status: "queued",
    trigger: "cli",
    queuedAt: iso(Date.now() - 5_000),
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    params: { WHO: "queue" },
    error: null,
    logLines: 0,
    workdir: null,
    email: null,
    gitRef: null,
    commit: null,
  });
  return runs.reverse();
}
