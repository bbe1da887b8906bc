// Pipelines in the development fake backend: two seeded pipeline templates (a deploy chain with
// an approval, a 10-wide graph with long step names), their runs in several states (done,
// failed with skipped steps, one waiting for approval) and a small simulation for new runs:
// steps start when what they need has ended, write a few lines tagged with their index, and
// approval steps wait for run_answer. Lines are kept in arrays: these logs are small.
import type { LogLine } from "@/bindings/LogLine";
import type { PipelineStep } from "@/bindings/PipelineStep";
import type { Run } from "@/bindings/Run";
import type { RunStatus } from "@/bindings/RunStatus";
import type { RunStep } from "@/bindings/RunStep";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { stripAnsi } from "@/lib/ansi";
import { stepsFromSpec } from "@/lib/stepGraph";
import { isStepActive } from "@/lib/stepStatus";

type SetStatus = (run: Run, status: RunStatus, patch?: Partial<Run>) => void;
const fail = (code: string, message: string) => ({ code, message, fields: [] });

interface Pipe {
  run: Run;
  spec: PipelineStep[];
  steps: RunStep[];
  lines: LogLine[];
  ticks: number[];
}

export function pipelineSpec(
  name: string,
  description: string,
  steps: PipelineStep[],
): TemplateSpec {
  return {
    kind: "pipeline",
    name,
    description,
    params: [],
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: 3600,
    concurrency: "queue",
    script: "",
    notify: [],
    steps,
  };
}

const sh = (name: string, script: string, extra: Partial<PipelineStep> = {}): PipelineStep =>
  ({ name, kind: "shell", script, ...extra }) as PipelineStep;

export function seedPipelineSpecs(): TemplateSpec[] {
  const web = pipelineSpec("web", "Test, build, push and deploy the web app", [
    sh("checkout", "git fetch && git checkout main"),
    sh("unit-tests", "npm test", { needs: ["checkout"] }),
    sh("e2e-tests", "npm run e2e", { needs: ["checkout"] }),
    {
      name: "image",
      needs: ["unit-tests", "e2e-tests"],
      kind: "docker-build",
      tags: ["localhost:5000/web:latest"],
    } as PipelineStep,
    {
      name: "approve",
      needs: ["image"],
      kind: "approval",
      message: "Deploy ${steps.image.outputs.digest} to staging?",
    } as PipelineStep,
    sh("deploy", 'echo "deploying, approved by ${steps.approve.outputs.approver}"', {
      needs: ["approve"],
    }),
    sh("cleanup", "docker image prune -f", { needs: ["deploy"], when: { status: "always" } }),
  ]);
  const wide: PipelineStep[] = [sh("prepare", "true")];
  for (let i = 1; i <= 10; i++) {
    const name =
      i === 3 ? "integration-tests-against-the-staging-database-with-long-name" : `shard-${i}`;
    wide.push(sh(name, "true", { needs: ["prepare"] }));
  }
  wide.push(
    sh("report", "true", { needs: wide.slice(1).map((s) => s.name), when: { status: "always" } }),
  );
  return [web, pipelineSpec("matrix", "Ten test shards side by side, then a report", wide)];
}

export function fakePipelines(setStatus: SetStatus, user = "dev") {
  const pipes = new Map<number, Pipe>();
  /** While seeding: IPC is not mocked yet, so status changes emit no event. */
  let quiet = false;
  const settle: SetStatus = (run, status, patch = {}) =>
    quiet ? void Object.assign(run, { status, ...patch }) : setStatus(run, status, patch);

  function write(
    pipe: Pipe,
    step: number | undefined,
    text: string,
    stream: LogLine["stream"] = "stdout",
  ) {
    const seq = pipe.lines.length + 1;
    pipe.lines.push({ seq, ts: Date.now(), stream, text, ...(step === undefined ? {} : { step }) });
    pipe.run.logLines = pipe.lines.length;
  }

  function expand(pipe: Pipe, text: string): string {
    return text.replace(
      /\$\{steps\.([\w-]+)\.outputs\.([\w-]+)\}/g,
      (_, name: string, key: string) => {
        return pipe.steps.find((s) => s.name === name)?.outputs[key] ?? "";
      },
    );
  }

  function end(pipe: Pipe, step: RunStep, status: RunStep["status"], error: string | null = null) {
    step.status = status;
    step.endedAt = new Date().toISOString();
    step.durationMs = step.startedAt ? Date.now() - Date.parse(step.startedAt) : null;
    step.error = error;
    if (status === "succeeded" || status === "failed") step.exitCode = status === "failed" ? 1 : 0;
    write(pipe, step.index, `Step ${step.name} ${status}`, "system");
  }

  /** One round of the simulation: start what can start, advance what runs, end the run. */
  function tick(pipe: Pipe, failing: ReadonlySet<string> = new Set()): void {
    for (const step of pipe.steps) {
      const body = pipe.spec[step.index] as PipelineStep & Record<string, unknown>;
      if (step.status === "queued") {
        const needs = pipe.steps.filter((s) => step.needs.includes(s.name));
        if (needs.some((s) => isStepActive(s.status))) continue;
        const always = (body.when as { status?: string } | undefined)?.status === "always";
        if (!always && needs.some((s) => s.status !== "succeeded")) {
          step.status = "skipped";
          step.error = "skipped: a step it needs did not succeed";
          continue;
        }
        step.startedAt = new Date().toISOString();
        if (step.kind === "approval") {
          step.status = "waiting";
          const message = expand(pipe, String(body.message ?? "Continue?"));
          write(
            pipe,
            step.index,
            `Waiting for approval: ${message} (scicd approve ${pipe.run.id} or scicd decline ${pipe.run.id}, or the run page; declined after 24h)`,
            "system",
          );
        } else {
          step.status = "running";
          write(
            pipe,
            step.index,
            `\x1b[1;34m==>\x1b[0m ${step.name}: ${expand(pipe, String(body.script ?? "docker build ."))}`,
          );
        }
        pipe.ticks[step.index] = 0;
      } else if (step.status === "running") {
        const n = (pipe.ticks[step.index] = (pipe.ticks[step.index] ?? 0) + 1);
        const body2 = body as { script?: string; env?: Record<string, string> };
        write(
          pipe,
          step.index,
          `  ${step.name}: ${expand(pipe, body2.script ?? "building layer")} (${n}/4)`,
        );
        if (n >= 4) {
          if (step.kind === "docker-build") {
            step.outputs = {
              digest: "sha256:9f2c4e1b7a0d",
              image: "localhost:5000/web@sha256:9f2c4e1b7a0d",
              tags: "localhost:5000/web:latest",
            };
          }
          if (failing.has(step.name)) end(pipe, step, "failed", "exit code 1");
          else end(pipe, step, "succeeded");
        }
      }
    }
    if (pipe.steps.every((s) => !isStepActive(s.status))) {
      const failed = pipe.steps.some((s) => s.status === "failed");
      write(pipe, undefined, failed ? "Pipeline failed" : "Pipeline succeeded", "system");
      settle(pipe.run, failed ? "failed" : "succeeded", {
        finishedAt: new Date().toISOString(),
        exitCode: failed ? 1 : 0,
        error: failed
          ? "A step failed: " +
            pipe.steps
              .filter((s) => s.status === "failed")
              .map((s) => s.name)
              .join(", ")
          : null,
      });
    }
  }

  function create(run: Run, spec: TemplateSpec): Pipe {
    const pipe: Pipe = {
      run,
      spec: spec.steps ?? [],
      steps: stepsFromSpec(spec.steps ?? []),
      lines: [],
      ticks: [],
    };
    pipes.set(run.id, pipe);
    write(
      pipe,
      undefined,
      `Pipeline ${spec.name} #${run.number}: ${pipe.steps.length} steps`,
      "system",
    );
    return pipe;
  }

  function answer(pipe: Pipe, approve: boolean, comment: string, stepName: string | null): RunStep {
    const waiting = pipe.steps.filter(
      (s) => s.status === "waiting" && (!stepName || s.name === stepName),
    );
    const step = waiting[0];
    if (!step) {
      const answered = pipe.steps.find((s) => s.kind === "approval" && s.outputs.approver);
      if (answered)
        throw fail(
          "invalid",
          `step ${answered.name} of run ${pipe.run.id} was already ${answered.status === "succeeded" ? "approved" : "declined"} by ${answered.outputs.approver}`,
        );
      throw fail(
        "invalid",
        `run ${pipe.run.id} is not waiting for an approval: it is ${pipe.run.status}`,
      );
    }
    step.outputs = { approver: user, comment };
    const said = comment ? `: ${comment}` : "";
    write(pipe, step.index, `${approve ? "Approved" : "Declined"} by ${user}${said}`, "system");
    if (approve) end(pipe, step, "succeeded");
    else end(pipe, step, "failed", `declined by ${user}${said}`);
    return { ...step };
  }

  /** Runs a pipeline to its end at once (seeded history), approving as `ana`. */
  function finish(pipe: Pipe, failing: ReadonlySet<string>): void {
    for (let i = 0; i < 200 && pipe.run.status === "running"; i++) {
      tick(pipe, failing);
      for (const s of pipe.steps) if (s.status === "waiting") answer(pipe, true, "ship it", null);
    }
  }

  return {
    has: (id: number) => pipes.has(id),
    line: (id: number, seq: number): LogLine | undefined => pipes.get(id)?.lines[seq - 1],
    steps: (id: number): RunStep[] => pipes.get(id)?.steps.map((s) => ({ ...s })) ?? [],
    search(id: number, query: string, limit: number) {
      const q = query.toLowerCase();
      const seqs = (pipes.get(id)?.lines ?? [])
        .filter((l) => stripAnsi(l.text).toLowerCase().includes(q))
        .map((l) => l.seq);
      return { seqs: seqs.slice(0, limit), total: seqs.length };
    },
    answer(id: number, approve: boolean, comment: string, step: string | null): RunStep {
      const pipe = pipes.get(id);
      if (!pipe) throw fail("invalid", `run ${id} is not a pipeline run`);
      return answer(pipe, approve, comment, step);
    },
    /** Starts a pipeline run: it runs in the background, a round every 400 ms. */
    start(run: Run, spec: TemplateSpec): void {
      const pipe = create(run, spec);
      setTimeout(() => setStatus(run, "running", { startedAt: new Date().toISOString() }), 300);
      const timer = setInterval(() => {
        if (run.status === "queued") return;
        if (run.status !== "running") {
          for (const s of pipe.steps) if (isStepActive(s.status)) s.status = "cancelled";
          return clearInterval(timer);
        }
        tick(pipe);
      }, 400);
    },
    /** Seeds finished runs (one failed) and one waiting for approval. */
    seed(templates: Template[], runs: Run[], nextId: () => number): void {
      quiet = true;
      const seeds: Array<[string, RunStatus | "waiting", string[]]> = [
        ["web", "succeeded", []],
        ["web", "failed", ["e2e-tests"]],
        ["matrix", "failed", ["shard-4"]],
        ["web", "waiting", []],
      ];
      for (const [name, status, failing] of seeds) {
        const template = templates.find((t) => t.spec.name === name);
        if (!template) continue;
        const number = runs.filter((r) => r.template === name).length + 1;
        const started = new Date(
          Date.now() - 3600_000 * (status === "waiting" ? 0.05 : 2),
        ).toISOString();
        const run: Run = {
          id: nextId(),
          number,
          template: name,
          templateId: template.id,
          status: "running",
          trigger: "manual",
          queuedAt: started,
          startedAt: started,
          finishedAt: null,
          exitCode: null,
          params: {},
          error: null,
          logLines: 0,
          workdir: `/tmp/scicd/work/${name}`,
          email: null,
          gitRef: null,
          commit: null,
        };
        runs.unshift(run);
        const pipe = create(run, template.spec);
        if (status === "waiting") {
          for (let i = 0; i < 60 && !pipe.steps.some((s) => s.status === "waiting"); i++)
            tick(pipe);
        } else finish(pipe, new Set(failing));
      }
      quiet = false;
    },
  };
}
