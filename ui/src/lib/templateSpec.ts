// Template specs the editor starts from (blank, the hello example) and the clean-up applied
// before saving (trimmed name, empty optional text as null, choices only for choice params).
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import type { TriggerSpec } from "@/bindings/TriggerSpec";

export function blankSpec(): TemplateSpec {
  return {
    kind: "shell",
    name: "",
    description: "",
    params: [],
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: null,
    concurrency: "parallel",
    script: "",
    notify: [],
  };
}

/** A new compose stack: the compose file written in the editor, the rest left to defaults. */
export function blankComposeSpec(): TemplateSpec {
  return { ...blankSpec(), kind: "compose", compose: "" };
}

/** A new Helm release: a chart of the source, the rest left to defaults. */
export function blankHelmSpec(): TemplateSpec {
  return { ...blankSpec(), kind: "helm", chartPath: "" };
}

/** The small example offered by the empty state: greets $WHO. */
export function helloSpec(name: string, description: string, whoDescription: string): TemplateSpec {
  return {
    kind: "shell",
    name,
    description,
    params: [
      {
        name: "WHO",
        type: "string",
        default: "world",
        required: false,
        description: whoDescription,
        choices: [],
        secret: null,
      },
    ],
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: 600,
    concurrency: "parallel",
    script: 'echo "hello $WHO"\n',
    notify: [],
  };
}

/** An optional text field: trimmed, left out when empty. */
const optionalText = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

export function cleanSpec(spec: TemplateSpec): TemplateSpec {
  const workdir = spec.workdir?.trim() ?? "";
  const repo = spec.source?.repo.trim() ?? "";
  return {
    ...spec,
    endpoint: optionalText(spec.endpoint),
    image: optionalText(spec.image),
    dockerfile: optionalText(spec.dockerfile),
    context: optionalText(spec.context),
    target: optionalText(spec.target),
    tags: spec.tags?.length ? [...spec.tags] : undefined,
    buildArgs:
      spec.buildArgs && Object.keys(spec.buildArgs).length ? { ...spec.buildArgs } : undefined,
    push: spec.push?.registry ? { registry: spec.push.registry } : undefined,
    ...cleanCompose(spec),
    ...cleanHelm(spec),
    source: repo === "" ? null : { repo, ref: spec.source?.ref.trim() ?? "" },
    triggers: spec.triggers.map(cleanTrigger),
    name: spec.name.trim(),
    description: spec.description.trim(),
    workdir: workdir === "" ? null : workdir,
    params: spec.params.map((p) => ({
      ...p,
      name: p.name.trim(),
      description: p.description?.trim() ? p.description.trim() : null,
      choices: p.type === "choice" ? p.choices : [],
      secret: p.type === "secret" && p.secret?.trim() ? p.secret.trim() : null,
    })),
    notify: spec.notify.map((r) => ({
      ...r,
      email: r.email.map((a) => a.trim()).filter((a) => a !== ""),
    })),
  };
}

/** The compose fields: the file given one way (inline or files), optional ones left out. */
function cleanCompose(spec: TemplateSpec): Partial<TemplateSpec> {
  const files = (spec.files ?? []).map((f) => f.trim()).filter((f) => f !== "");
  return {
    compose: files.length ? undefined : spec.compose,
    files: files.length ? files : undefined,
    project: optionalText(spec.project),
    waitSeconds: spec.waitSeconds ?? undefined,
  };
}

/** The helm fields: optional text left out when empty, `set` only when it has pairs. */
function cleanHelm(spec: TemplateSpec): Partial<TemplateSpec> {
  return {
    chartPath: optionalText(spec.chartPath),
    chart: optionalText(spec.chart),
    repo: optionalText(spec.repo),
    version: optionalText(spec.version),
    release: optionalText(spec.release),
    namespace: optionalText(spec.namespace),
    cluster: optionalText(spec.cluster),
    values: spec.values?.trim() ? spec.values : undefined,
    set: spec.set && Object.keys(spec.set).length ? { ...spec.set } : undefined,
  };
}

const globs = (list: string[]) => list.map((g) => g.trim()).filter((g) => g !== "");

function cleanTrigger(trigger: TriggerSpec): TriggerSpec {
  if ("webhook" in trigger) {
    const w = trigger.webhook;
    const secret = w.secret?.trim() ?? "";
    return {
      webhook: {
        ...w,
        secret: secret === "" ? null : secret,
        branches: globs(w.branches),
        tags: globs(w.tags),
      },
    };
  }
  if ("poll" in trigger)
    return { poll: { ...trigger.poll, branches: globs(trigger.poll.branches) } };
  return { cron: trigger.cron.trim().replace(/\s+/g, " ") };
}
