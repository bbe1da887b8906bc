// Development-only fake of the worked example's commands (see fakeBackend.ts): a smaller example
// than the bundled one (a test, an image, the pipeline), imported through the fake's own save.
import type { Example } from "@/bindings/Example";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { blankSpec } from "@/lib/templateSpec";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;

function specs(repo: string): TemplateSpec[] {
  const source = { repo, ref: "main" };
  return [
    {
      ...blankSpec(),
      name: "webapp-test",
      description: "Runs webapp's test",
      source,
      script: "sh test/test.sh",
    },
    {
      ...blankSpec(),
      kind: "docker-build",
      name: "webapp-image",
      description: "Builds webapp's image and pushes it",
      source,
      tags: ["localhost:5000/webapp:${SIMPLE_CICD_COMMIT_SHORT}"],
      push: { registry: "local" },
    },
    {
      ...blankSpec(),
      kind: "pipeline",
      name: "webapp",
      description: "Test, build, push, approve",
      source,
      steps: [
        { name: "test", needs: [], uses: "webapp-test" },
        { name: "image", needs: ["test"], uses: "webapp-image" },
        { name: "approve", needs: ["image"], kind: "approval", message: "Deploy?" },
      ],
    } as unknown as TemplateSpec,
  ];
}

export function fakeExampleHandlers(
  templates: Template[],
  repoNames: () => string[],
  save: (spec: TemplateSpec, originalName: string | null) => Template,
): Record<string, (a: Args) => unknown> {
  const taken = () =>
    specs("webapp")
      .map((s) => s.name)
      .filter((n) => templates.some((t) => t.spec.name === n));
  return {
    example_get: (): Example => ({
      name: "webapp",
      repo: "webapp",
      templates: specs("webapp"),
      pipeline: "webapp",
      existing: taken(),
      needs: [{ what: "registry", name: "local", usedBy: ["webapp-image"], present: false }],
    }),
    example_import: (a) => {
      const repo = String(a.repo ?? "");
      if (!repoNames().includes(repo))
        throw fail("invalid", `there is no repository ${repo}`, [
          {
            path: "repo",
            code: "unknown",
            message: `there is no repository ${repo}; add it first`,
          },
        ]);
      const existing = taken();
      if (existing.length && !a.replace)
        throw fail("conflict", `the templates ${existing.join(", ")} already exist`);
      for (const spec of specs(repo)) save(spec, existing.includes(spec.name) ? spec.name : null);
      return {
        repo,
        created: specs(repo)
          .map((s) => s.name)
          .filter((n) => !existing.includes(n)),
        replaced: existing,
        pipeline: "webapp",
      };
    },
  };
}
