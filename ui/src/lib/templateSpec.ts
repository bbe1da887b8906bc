// Template specs the editor starts from (blank, the hello example) and the clean-up applied
// before saving (trimmed name, empty optional text as null, choices only for choice params).
import type { TemplateSpec } from "@/bindings/TemplateSpec";

export function blankSpec(): TemplateSpec {
  return {
    kind: "shell",
    name: "",
    description: "",
    params: [],
    workdir: null,
    timeoutSeconds: null,
    concurrency: "parallel",
    script: "",
    notify: [],
  };
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
    workdir: null,
    timeoutSeconds: 600,
    concurrency: "parallel",
    script: 'echo "hello $WHO"\n',
    notify: [],
  };
}

export function cleanSpec(spec: TemplateSpec): TemplateSpec {
  const workdir = spec.workdir?.trim() ?? "";
  return {
    ...spec,
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
