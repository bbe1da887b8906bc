// Just enough YAML for the fake backend's import/export: writes a spec out, and reads back the
// top-level scalars and the block script. The real backend uses a real YAML parser.
import type { TemplateSpec } from "@/bindings/TemplateSpec";

const q = (v: unknown) => JSON.stringify(v);

export function specToYaml(spec: TemplateSpec): string {
  const lines = [`kind: ${spec.kind}`, `name: ${spec.name}`, `description: ${q(spec.description)}`];
  lines.push(spec.params.length ? "params:" : "params: []");
  for (const p of spec.params) {
    lines.push(
      `  - name: ${p.name}`,
      `    type: ${p.type}`,
      `    default: ${q(p.default)}`,
      `    required: ${p.required}`,
    );
    if (p.description) lines.push(`    description: ${q(p.description)}`);
    if (p.type === "choice") lines.push(`    choices: [${p.choices.map(q).join(", ")}]`);
  }
  lines.push(
    `timeoutSeconds: ${spec.timeoutSeconds ?? "null"}`,
    `workdir: ${spec.workdir ?? "null"}`,
    `concurrency: ${spec.concurrency}`,
    "script: |",
  );
  for (const l of spec.script.replace(/\n$/, "").split("\n")) lines.push(`  ${l}`);
  return `${lines.join("\n")}\n`;
}

export function yamlToSpec(yaml: string): TemplateSpec {
  const scalar = (key: string) =>
    new RegExp(`^${key}:[ \\t]*(.*)$`, "m")
      .exec(yaml)?.[1]
      ?.trim()
      .replace(/^"(.*)"$/, "$1") ?? "";
  const name = scalar("name");
  const fields = [];
  if (!name) fields.push({ path: "name", code: "required", message: "A name is required" });
  const block = /^script:\s*\|\s*\n((?:[ \t]+.*\n?|\n)*)/m.exec(yaml)?.[1] ?? "";
  const script = block.replace(/^ {2}/gm, "");
  if (!script.trim())
    fields.push({ path: "script", code: "required", message: "The script is empty" });
  if (fields.length) throw { code: "invalid", message: "The YAML is not a valid template", fields };
  const timeout = Number(scalar("timeoutSeconds"));
  return {
    kind: "shell",
    name,
    description: scalar("description"),
    params: [],
    source: null,
    triggers: [],
    workdir: null,
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : null,
    concurrency: "parallel",
    script,
    notify: [],
  };
}
