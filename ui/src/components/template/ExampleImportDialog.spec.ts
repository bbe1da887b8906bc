import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import type { Example } from "@/bindings/Example";
import { mountApp } from "@/test/mountApp";
import ExampleImportDialog from "./ExampleImportDialog.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const EXAMPLE: Example = {
  name: "webapp",
  repo: "webapp",
  pipeline: "webapp",
  existing: [],
  needs: [
    { what: "registry", name: "local", usedBy: ["webapp-image"], present: true },
    { what: "secret", name: "WEBAPP_HOOK", usedBy: ["webapp"], present: false },
  ],
  templates: [
    {
      kind: "shell",
      name: "webapp-test",
      description: "Runs webapp's test",
      source: { repo: "webapp", ref: "main" },
      triggers: [],
      params: [],
      workdir: null,
      timeoutSeconds: null,
      concurrency: "parallel",
      script: "sh test/test.sh",
      notify: [],
    },
    {
      kind: "pipeline",
      name: "webapp",
      description: "Test, build, push, approve, deploy",
      source: { repo: "webapp", ref: "main" },
      triggers: [],
      params: [],
      workdir: null,
      timeoutSeconds: null,
      concurrency: "queue",
      script: "",
      notify: [],
      steps: [
        { name: "test", needs: [], uses: "webapp-test" },
        { name: "approve", needs: ["test"], kind: "approval", message: "Deploy?" },
      ],
    },
  ] as unknown as Example["templates"],
};

const repo = (name: string) => ({
  name,
  url: `file:///srv/git/${name}.git`,
  provider: "generic",
  auth: "none",
  username: null,
  createdAt: "2026-12-04T00:00:00Z",
  updatedAt: "2026-12-04T00:00:00Z",
});

function open(options: {
  example?: Example;
  repos?: string[];
  importAnswer?: (args: unknown) => unknown;
}) {
  const calls: Array<[string, unknown]> = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "example_get") return options.example ?? EXAMPLE;
    if (cmd === "repo_list") return (options.repos ?? ["webapp"]).map(repo);
    if (cmd === "template_list") return [];
    if (cmd === "example_import")
      return (
        (options.importAnswer ?? (() => null))(args) ?? {
          repo: (args as { repo: string }).repo,
          created: ["webapp-test", "webapp"],
          replaced: [],
          pipeline: "webapp",
        }
      );
    return null;
  });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/", name: "templates", component: { template: "<div />" } },
      { path: "/templates/:name", name: "template-edit", component: { template: "<div />" } },
      { path: "/repositories", name: "repositories", component: { template: "<div />" } },
    ],
  });
  const wrapper = mountApp(ExampleImportDialog, {
    props: { modelValue: true },
    attachTo: document.body,
    global: { plugins: [router] },
  });
  const find = <T extends HTMLElement = HTMLElement>(id: string) =>
    document.querySelector<T>(`[data-testid="${id}"]`);
  const imports = () => calls.filter(([c]) => c === "example_import").map(([, a]) => a);
  return { wrapper, router, calls, find, imports };
}

describe("start from an example", () => {
  it("says what it imports and what its runs use, then imports into the chosen repository and opens the pipeline", async () => {
    const { router, find, imports } = open({ repos: ["other", "webapp"] });
    await flushPromises();
    const text = document.body.textContent ?? "";
    expect(find("example-templates")!.textContent).toContain("webapp-test");
    expect(find("example-graph")!.querySelectorAll("[data-testid=step-edge]")).toHaveLength(1);
    expect(find("example-need-registry-local")!.textContent).toContain("stored");
    expect(find("example-need-secret-WEBAPP_HOOK")!.textContent).toContain("not stored yet");
    expect(text).toContain("The one thing to provide");
    const select = find<HTMLSelectElement>("example-repo")!;
    expect(select.value).toBe("webapp");

    select.value = "other";
    select.dispatchEvent(new Event("change"));
    find("example-import-submit")!.click();
    await vi.waitFor(() => expect(imports()).toEqual([{ repo: "other", replace: false }]));
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe("/templates/webapp"));
  });

  it("without a repository points to the Repositories page and sends nothing", async () => {
    const { find, imports } = open({ repos: [] });
    await flushPromises();
    const hint = find("example-no-repo")!;
    expect(hint.textContent).toContain("No repository yet");
    expect(hint.querySelector("a")!.getAttribute("href")).toBe("/repositories");
    find("example-import-submit")!.click();
    await flushPromises();
    expect(find("field-error-repo")!.textContent).toContain("Choose the repository");
    expect(imports()).toEqual([]);
  });

  it("names the templates that exist and replaces them only when asked", async () => {
    const { find, imports } = open({ example: { ...EXAMPLE, existing: ["webapp"] } });
    await flushPromises();
    expect(find("example-taken")!.textContent).toContain("These templates exist already: webapp.");
    find("example-import-submit")!.click();
    await flushPromises();
    expect(document.body.textContent).toContain("Tick “Replace them”");
    expect(imports()).toEqual([]);

    find("example-replace")!.querySelector<HTMLInputElement>("input")!.click();
    await flushPromises();
    find("example-import-submit")!.click();
    await vi.waitFor(() => expect(imports()).toEqual([{ repo: "webapp", replace: true }]));
  });

  it("shows the backend's refusal of the repository under the field", async () => {
    const message =
      "there is no repository webapp; the example builds the web app from it: add it first";
    const { find, imports } = open({
      importAnswer: () => {
        throw { code: "invalid", message, fields: [{ path: "repo", code: "unknown", message }] };
      },
    });
    await flushPromises();
    find("example-import-submit")!.click();
    await vi.waitFor(() => expect(imports()).toHaveLength(1));
    await vi.waitFor(() => expect(find("field-error-repo")!.textContent).toContain(message));
  });
});
