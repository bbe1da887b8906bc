import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import appRouter from "@/router";
import { mountApp } from "@/test/mountApp";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import TemplateHelmFields from "@/components/template/TemplateHelmFields.vue";
import TemplateEditView from "./TemplateEditView.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const VALUES_ERROR =
  "`values` is not valid YAML at line 2, column 1: found a tab character; YAML indents with spaces, and a tab is used for indentation here";

async function openNewHelm(saved: unknown[]) {
  mockIPC((cmd, args) => {
    if (cmd === "cluster_list")
      return [{ name: "prod", source: "context", context: "prod", namespace: "default" }];
    if (cmd === "template_save") {
      saved.push((args as { spec: unknown }).spec);
      throw {
        code: "invalid",
        message: "The template is not valid",
        fields: [{ path: "values", code: "invalid", message: VALUES_ERROR }],
      };
    }
    return [];
  });
  const router = createRouter({ history: createMemoryHistory(), routes: appRouter.options.routes });
  await router.push("/templates/new?kind=helm");
  const wrapper = mountApp(TemplateEditView, {
    global: { plugins: [router] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

describe("the helm template editor", () => {
  it("opens a new Helm release with its section instead of script and Docker", async () => {
    const wrapper = await openNewHelm([]);
    const titles = wrapper.findAll("h2.panel-title").map((h) => h.text());
    expect(titles[1]).toBe("Helm release");
    expect(titles).not.toContain("Script");
    expect(wrapper.find("h1").text()).toBe("New Helm release");
    expect(wrapper.find('[data-testid="helm-chart-path"]').exists(), "a chart of the source").toBe(
      true,
    );
    wrapper.unmount();
  });

  it("saves the release as written and marks a values error at its line", async () => {
    const saved: unknown[] = [];
    const wrapper = await openNewHelm(saved);
    await wrapper.find('[data-testid="editor-name"]').setValue("web");
    const fields = wrapper.findComponent(TemplateHelmFields);
    const spec = fields.props("modelValue") as TemplateSpec;
    fields.vm.$emit("update:modelValue", {
      ...spec,
      chartPath: "deploy/chart",
      cluster: "prod",
      values: "image:\n\ttag: 1\n",
      set: { "image.tag": "${TAG}" },
    });
    await flushPromises();
    await wrapper.find('[data-testid="editor-save"]').trigger("click");
    await flushPromises();
    expect(saved[0], "the set value keeps its variable").toMatchObject({
      kind: "helm",
      chartPath: "deploy/chart",
      cluster: "prod",
      set: { "image.tag": "${TAG}" },
    });
    expect(wrapper.find('[data-testid="field-error-values"]').text()).toContain(
      "Line 2: `values` is not valid YAML",
    );
    expect(
      wrapper.find('[data-testid="helm-values"] [data-testid="pipeline-yaml-problem"]').exists(),
      "the problem is marked at its line in the editor",
    ).toBe(true);
    wrapper.unmount();
  });
});
