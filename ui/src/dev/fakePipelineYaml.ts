// Just enough pipeline YAML for the fake backend: writes a pipeline spec out, and reads back its
// name, description and steps (name, needs, kind or uses, script, message, when), with the
// engine's kind of field-addressed errors (unknown needs, duplicate names, a step without a
// kind). The real backend uses a real YAML parser.
import type { PipelineStep } from "@/bindings/PipelineStep";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { pipelineSpec } from "./fakePipelines";

const q = (v: unknown) => JSON.stringify(v);

export function pipelineToYaml(spec: TemplateSpec): string {
  const lines = ["kind: pipeline", `name: ${spec.name}`, `description: ${q(spec.description)}`];
  lines.push("steps:");
  for (const s of spec.steps ?? []) {
    const step = s as PipelineStep & Record<string, unknown>;
    lines.push(`  - name: ${step.name}`);
    if (step.needs?.length) lines.push(`    needs: [${step.needs.join(", ")}]`);
    if (step.when) lines.push(`    when: ${step.when.status}`);
    if ("uses" in step) lines.push(`    uses: ${String(step.uses)}`);
    else lines.push(`    kind: ${String(step.kind)}`);
    for (const key of ["script", "message"])
      if (step[key]) lines.push(`    ${key}: ${q(step[key])}`);
  }
  return `${lines.join("\n")}\n`;
}

export function yamlToPipeline(yaml: string): TemplateSpec {
  const top = (key: string) =>
    new RegExp(`^${key}:[ \\t]*(.*)$`, "m")
      .exec(yaml)?.[1]
      ?.trim()
      .replace(/^"(.*)"$/, "$1") ?? "";
  const steps: Array<Record<string, unknown>> = [];
  let inSteps = false;
  for (const line of yaml.split("\n")) {
    if (/^steps:/.test(line)) inSteps = true;
    else if (/^\S/.test(line)) inSteps = false;
    if (!inSteps) continue;
    const item = /^\s*-\s+name:\s*(.*)$/.exec(line);
    if (item) steps.push({ name: item[1]?.trim() });
    const field = /^\s+(needs|kind|uses|script|message|when):\s*(.*)$/.exec(line);
    const step = steps[steps.length - 1];
    if (!field || !step) continue;
    const [, key = "", raw = ""] = field;
    const value = raw.trim().replace(/^"(.*)"$/, "$1");
    if (key === "needs")
      step.needs = value
        .replace(/^\[|\]$/g, "")
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
    else if (key === "when") step.when = { status: value };
    else step[key] = value;
  }
  const fields = [];
  const name = top("name");
  if (!name) fields.push({ path: "name", code: "required", message: "A name is required" });
  if (!steps.length)
    fields.push({ path: "steps", code: "required", message: "a pipeline needs at least one step" });
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    if (seen.has(String(s.name)))
      fields.push({
        path: `steps[${i}].name`,
        code: "duplicate",
        message: `two steps are called ${String(s.name)}`,
      });
    seen.add(String(s.name));
    if (!s.kind && !s.uses)
      fields.push({ path: `steps[${i}]`, code: "required", message: "a step needs kind or uses" });
  });
  steps.forEach((s, i) => {
    for (const n of (s.needs as string[] | undefined) ?? [])
      if (!seen.has(n))
        fields.push({
          path: `steps[${i}].needs`,
          code: "unknown",
          message: `needs ${n}, which is not a step of this pipeline`,
        });
  });
  if (fields.length) throw { code: "invalid", message: "The YAML is not a valid pipeline", fields };
  return pipelineSpec(name, top("description"), steps as unknown as PipelineStep[]);
}
