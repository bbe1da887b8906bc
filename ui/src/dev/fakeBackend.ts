// Development-only fake of the Tauri backend, for looking at the UI in a plain browser
// (`VITE_FAKE_BACKEND=1 npm run dev`). main.ts imports it only in dev builds with that variable,
// so the production bundle never contains it. URL parameters (before the `#`):
//   ?fake=empty          start with no data
//   ?lang=zh-CN|en       pick the UI language (as if chosen in Settings)
//   ?firehose=10000      add a running run that writes that many lines per second for 60 s
//   ?bench=1             turn the live-lines benchmark on (logged to the console, as app_painted)
//   ?keyring=locked|missing  secret changes fail like a locked or absent keyring
// Run 3 has a million log lines, generated on demand.
import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { Run } from "@/bindings/Run";
import type { RunFilter } from "@/bindings/RunFilter";
import type { RunStatus } from "@/bindings/RunStatus";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { ALL_STATUSES, isActive } from "@/lib/status";
import { validateTemplateSpec } from "@/lib/templateValidation";
import { fakeLine, searchFakeLog } from "./fakeLogs";
import { fakePipelines, seedPipelineSpecs } from "./fakePipelines";
import { pipelineToYaml, yamlToPipeline } from "./fakePipelineYaml";
import { fakeAppHandlers, seedComposeSpecs } from "./fakeApps";
import { clusterHandlers } from "./fakeClusters";
import { dockerHandlers } from "./fakeDocker";
import { fail } from "./fakeFail";
import { fakeExampleHandlers } from "./fakeExample";
import { fakeRepoHandlers } from "./fakeRepos";
import { seedRuns, seedTemplates } from "./fakeSeed";
import { settingsHandlers } from "./fakeSettings";
import { specToYaml, yamlToSpec } from "./fakeYaml";

type Args = Record<string, unknown>;
const now = () => new Date().toISOString();

function applyUrlOptions(params: URLSearchParams): void {
  const lang = params.get("lang");
  if (lang) localStorage.setItem("scicd.locale", lang);
  const bench = params.get("bench");
  if (bench === "1") localStorage.setItem("simple-cicd.bench", "1");
  else if (bench !== null) localStorage.removeItem("simple-cicd.bench");
}

/** app_painted: prints the benchmark marks, with the time since the run page opened its log. */
function logMark(mark: unknown): null {
  const now = performance.now();
  const open = performance.getEntriesByName("run-log-open").at(-1);
  const since = open ? ` (${Math.round(now - open.startTime)} ms after the run page opened)` : "";
  // eslint-disable-next-line no-console -- the fake backend reports benchmark marks here
  console.info(`[bench] ${String(mark ?? "first-paint")} at ${Math.round(now)} ms${since}`);
  return null;
}

export function installFakeBackend(): void {
  const params = new URLSearchParams(location.search);
  applyUrlOptions(params);
  const empty = params.get("fake") === "empty";
  const templates: Template[] = empty ? [] : seedTemplates();
  const runs: Run[] = empty ? [] : seedRuns(templates);
  const streamed = new Map<number, number>(); // run id -> lines written so far (live runs)
  let nextId = Math.max(0, ...runs.map((r) => r.id)) + 1;
  let nextTemplateId = Math.max(0, ...templates.map((t) => t.id)) + 1;
  const pipes = fakePipelines(setStatus);
  if (!empty) {
    for (const spec of [...seedPipelineSpecs(), ...seedComposeSpecs()])
      templates.push({
        id: nextTemplateId++,
        createdAt: now(),
        updatedAt: now(),
        pinned: false,
        spec,
      });
    pipes.seed(templates, runs, () => nextId++);
  }
  /** A line of a run's log: a pipeline run's own, or a generated one. */
  const lineAt = (run: Run, s: number) =>
    pipes.line(run.id, s) ??
    fakeLine(run.id, s, isActive(run.status) ? 1e9 : run.logLines, startMs(run));

  const findTemplate = (name: unknown) => {
    const t = templates.find((x) => x.spec.name === name);
    if (!t) throw fail("not_found", `There is no template called "${String(name)}"`);
    return t;
  };
  const findRun = (id: unknown) => {
    const r = runs.find((x) => x.id === id);
    if (!r) throw fail("not_found", `There is no run ${String(id)}`);
    return r;
  };
  const linesOf = (run: Run) => streamed.get(run.id) ?? run.logLines;
  const startMs = (run: Run) => Date.parse(run.startedAt ?? run.queuedAt);

  function setStatus(run: Run, status: RunStatus, patch: Partial<Run> = {}): void {
    Object.assign(run, { status, ...patch });
    void emit("run://status", { ...run });
  }

  function save(spec: TemplateSpec, originalName: string | null): Template {
    const fields = spec.kind === "pipeline" ? [] : validateTemplateSpec(spec);
    if (fields.length) throw fail("invalid", "The template is not valid", fields);
    const clash = templates.find((t) => t.spec.name === spec.name && t.spec.name !== originalName);
    if (clash)
      throw fail("conflict", "Name taken", [
        {
          path: "name",
          code: "duplicate",
          message: `A template called ${spec.name} already exists`,
        },
      ]);
    const existing = originalName ? templates.find((t) => t.spec.name === originalName) : undefined;
    if (existing) {
      Object.assign(existing, { spec, updatedAt: now() });
      return existing;
    }
    const created = {
      id: nextTemplateId++,
      createdAt: now(),
      updatedAt: now(),
      pinned: false,
      spec,
    };
    templates.push(created);
    return created;
  }

  function start(
    name: unknown,
    params: Record<string, string>,
    trigger: unknown,
    simulated = true,
  ): Run {
    const template = findTemplate(name);
    const number = runs.filter((r) => r.template === template.spec.name).length + 1;
    const run: Run = {
      id: nextId++,
      number,
      template: template.spec.name,
      templateId: template.id,
      status: "queued",
      trigger: typeof trigger === "string" ? trigger : "manual",
      queuedAt: now(),
      startedAt: null,
      finishedAt: null,
      exitCode: null,
      params,
      error: null,
      logLines: 0,
      workdir: "/tmp/scicd/work/" + template.spec.name,
      email: null,
      gitRef: null,
      commit: null,
    };
    runs.unshift(run);
    if (template.spec.kind === "pipeline") {
      pipes.start(run, template.spec);
      return run;
    }
    if (!simulated) return run;
    setTimeout(() => setStatus(run, "running", { startedAt: now() }), 800);
    simulate(run, 420, "succeeded");
    return run;
  }

  /** Writes lines to an active run until `until`, then ends it with `final`. */
  function simulate(run: Run, until: number, final: RunStatus): void {
    streamed.set(run.id, run.logLines);
    const timer = setInterval(() => {
      if (!isActive(run.status)) return clearInterval(timer);
      if (run.status !== "running") return;
      const written = (streamed.get(run.id) ?? 0) + 7;
      streamed.set(run.id, written);
      run.logLines = written;
      if (written >= until) {
        clearInterval(timer);
        const failed = final !== "succeeded";
        setStatus(run, final, {
          finishedAt: now(),
          exitCode: failed ? 1 : 0,
          error: failed ? "Step 'unit tests' failed with exit code 1" : null,
        });
      }
    }, 250);
  }

  runs
    .filter((r) => r.status === "running")
    .forEach((r) => simulate(r, r.logLines + 2000, "failed"));

  const rate = Number(params.get("firehose") ?? 0);
  if (rate > 0 && templates[0]) {
    const run = start(templates[0].spec.name, { WHO: "firehose" }, "bench", false);
    Object.assign(run, { status: "running", startedAt: now() }); // IPC is not mocked yet
    const began = Date.now();
    const timer = setInterval(() => {
      const written = Math.floor(((Date.now() - began) * rate) / 1000);
      streamed.set(run.id, written);
      run.logLines = written;
      if (Date.now() - began > 60_000) {
        clearInterval(timer);
        setStatus(run, "succeeded", { finishedAt: now(), exitCode: 0 });
      }
    }, 20);
  }

  function follow(run: Run, fromSeq: number, channel: Channel<FollowEvent>): void {
    let index = 0;
    const send = (message: FollowEvent) =>
      (window as unknown as TauriInternals).__TAURI_INTERNALS__.runCallback(channel.id, {
        index: index++,
        message,
      });
    let sent = fromSeq - 1;
    let lastStatus = run.status;
    const timer = setInterval(() => {
      const available = linesOf(run);
      if (available > sent) {
        const data = [];
        for (let s = sent + 1; s <= available; s++) data.push(lineAt(run, s));
        sent = available;
        send({ type: "lines", data });
      }
      if (run.status !== lastStatus) {
        lastStatus = run.status;
        send({ type: "status", data: { ...run } });
      }
      if (!isActive(run.status)) {
        clearInterval(timer);
        send({ type: "end", data: { ...run } });
      }
    }, 50);
  }

  const handlers: Record<string, (a: Args) => unknown> = {
    ...fakeRepoHandlers(templates),
    ...fakeExampleHandlers(
      templates,
      () => (handlers.repo_list?.({}) as { name: string }[]).map((r) => r.name),
      save,
    ),
    app_info: () => ({
      version: "0.1.0",
      dataDir: "/home/dev/.local/share/simple-cicd",
      locale: navigator.language,
    }),
    template_list: () =>
      templates.map((t) => ({
        id: t.id,
        name: t.spec.name,
        kind: t.spec.kind,
        description: t.spec.description,
        paramCount: t.spec.params.length,
        updatedAt: t.updatedAt,
        lastRun: runs.find((r) => r.templateId === t.id) ?? null,
        pinned: t.pinned,
      })),
    template_get: (a) => findTemplate(a.name),
    template_save: (a) => save(a.spec as TemplateSpec, (a.originalName as string | null) ?? null),
    template_delete: (a) => {
      const t = findTemplate(a.name);
      templates.splice(templates.indexOf(t), 1);
      runs.forEach((r) => r.templateId === t.id && (r.templateId = null));
      return null;
    },
    template_export_yaml: (a) => {
      const spec = findTemplate(a.name).spec;
      return spec.kind === "pipeline" ? pipelineToYaml(spec) : specToYaml(spec);
    },
    template_parse_yaml: (a) =>
      /^kind:\s*pipeline/m.test(String(a.yaml))
        ? yamlToPipeline(String(a.yaml))
        : yamlToSpec(String(a.yaml)),
    template_import_yaml: (a) => {
      const spec = yamlToSpec(String(a.yaml));
      return save(spec, templates.some((t) => t.spec.name === spec.name) ? spec.name : null);
    },
    run_start: (a) => start(a.template, a.params as Record<string, string>, a.trigger),
    run_get: (a) => findRun(a.id),
    run_list: (a) => {
      const f = a.filter as RunFilter;
      const all = runs.filter(
        (r) => (!f.template || r.template === f.template) && (!f.status || r.status === f.status),
      );
      return { runs: all.slice(f.offset, f.offset + f.limit), total: all.length };
    },
    run_cancel: (a) => {
      const run = findRun(a.id);
      if (isActive(run.status))
        setStatus(run, "cancelled", {
          finishedAt: now(),
          exitCode: 143,
          error: "Cancelled by the user",
        });
      return run;
    },
    run_logs: (a) => {
      const run = findRun(a.id);
      const from = Number(a.fromSeq);
      const to = Math.min(linesOf(run), from + Number(a.limit) - 1);
      const out = [];
      for (let s = from; s <= to; s++) out.push(lineAt(run, s));
      return out;
    },
    run_steps: (a) => pipes.steps(findRun(a.id).id),
    run_answer: (a) => {
      const step = pipes.answer(
        findRun(a.id).id,
        Boolean(a.approve),
        String(a.comment ?? ""),
        (a.step as string | null) ?? null,
      );
      void emit("run://status", { ...findRun(a.id) });
      return step;
    },
    run_follow: (a) => {
      follow(findRun(a.id), Number(a.fromSeq), a.onEvent as Channel<FollowEvent>);
      return null;
    },
    run_unfollow: () => null,
    run_log_search: (a) => {
      const run = findRun(a.id);
      if (pipes.has(run.id))
        return pipes.search(run.id, String(a.query), Number(a.limit ?? 10_000));
      const total = isActive(run.status) ? 1e9 : run.logLines;
      return searchFakeLog(
        run.id,
        linesOf(run),
        total,
        startMs(run),
        String(a.query),
        Number(a.limit ?? 10_000),
      );
    },
    run_log_save: (a) => {
      const run = findRun(a.id);
      return `/home/dev/Downloads/${run.template}-${run.number}.log`;
    },
    ...settingsHandlers(runs, empty),
    ...dockerHandlers(runs, empty),
    ...fakeAppHandlers(empty, templates, (template, trigger) => start(template, {}, trigger)),
    ...clusterHandlers(empty),
    dashboard_stats: () => ({
      counts: ALL_STATUSES.map((status) => ({
        status,
        count: runs.filter((r) => r.status === status).length,
      })),
      recent: runs.slice(0, 8),
      templateCount: templates.length,
    }),
    app_painted: (a) => logMark(a.mark),
    template_pin: (a) => {
      findTemplate(a.name).pinned = Boolean(a.pinned);
      return null;
    },
    tray_set_language: () => null,
    "plugin:window|set_title": () => null,
  };

  mockWindows("main");
  mockIPC(
    async (cmd, args) => {
      const handler = handlers[cmd];
      if (!handler) throw fail("internal", `fake backend: unknown command ${cmd}`);
      const quick = cmd === "run_logs" || cmd === "app_painted";
      await new Promise((r) => setTimeout(r, quick ? 5 : 120));
      return structuredClone(handler((args ?? {}) as Args) ?? null);
    },
    { shouldMockEvents: true },
  );
}

interface TauriInternals {
  __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
}
