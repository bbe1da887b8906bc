import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import appRouter from "@/router";
import { mountApp } from "@/test/mountApp";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import TemplateComposeFields from "@/components/template/TemplateComposeFields.vue";
import TemplateEditView from "./TemplateEditView.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const YAML_ERROR =
  "the compose file is not valid YAML at line 2, column 3: found a tab character; YAML indents with spaces, and a tab is used for indentation here";

const REQUIRED = {
  path: "compose",
  code: "required",
  message: "Write the compose file, or name compose files of the source",
};
const INVALID = [
  { path: "compose", code: "invalid", message: YAML_ERROR },
  {
    path: "project",
    code: "invalid",
    message: "`Shop`: a compose project name holds lower case letters",
  },
];

/** The engine's answers, stubbed: an empty compose file is required, any other is invalid. */
function engineErrors(spec: TemplateSpec) {
  return (spec.compose ?? "").trim() === "" ? [REQUIRED] : INVALID;
}

async function openNewCompose(saved: unknown[]) {
  mockIPC((cmd, args) => {
    const spec = (args as { spec: TemplateSpec }).spec;
    if (cmd === "template_validate") return engineErrors(spec);
    if (cmd === "template_save") {
      saved.push(spec);
      throw { code: "invalid", message: "The template is not valid", fields: engineErrors(spec) };
    }
    return [];
  });
  const router = createRouter({ history: createMemoryHistory(), routes: appRouter.options.routes });
  await router.push("/templates/new?kind=compose");
  const wrapper = mountApp(TemplateEditView, {
    global: { plugins: [router] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

describe("the compose template editor", () => {
  it("opens a new compose stack with the compose section instead of script and Docker", async () => {
    const wrapper = await openNewCompose([]);
    const titles = wrapper.findAll("h2.panel-title").map((h) => h.text());
    expect(titles[0]).toBe("General");
    expect(titles[1]).toBe("Compose stack");
    expect(titles, "a compose file says what runs: no script, no container fields").not.toContain(
      "Script",
    );
    expect(titles).not.toContain("Docker");
    expect(wrapper.find('[data-testid="editor-workdir"]').exists()).toBe(false);
    expect(wrapper.find("h1").text()).toBe("New compose stack");
    expect(
      wrapper.find('[data-testid="editor-dirty"]').exists(),
      "a blank stack is not unsaved work",
    ).toBe(false);
    wrapper.unmount();
  });

  it("asks for the compose file once one tries to save, then shows the engine's errors at their field and line", async () => {
    const saved: unknown[] = [];
    const wrapper = await openNewCompose(saved);
    await wrapper.find('[data-testid="editor-name"]').setValue("shop");
    await new Promise((r) => setTimeout(r, 400));
    await flushPromises();
    expect(
      wrapper.find('[data-testid="field-error-compose"]').exists(),
      "an empty required field is not an error before the first attempt",
    ).toBe(false);
    await wrapper.find('[data-testid="editor-save"]').trigger("click");
    await flushPromises();
    expect(saved, "the engine refused it: nothing was saved").toHaveLength(1);
    expect(wrapper.find('[data-testid="field-error-compose"]').text()).toContain(
      "Write the compose file",
    );

    const fields = wrapper.findComponent(TemplateComposeFields);
    const spec = fields.props("modelValue") as TemplateSpec;
    fields.vm.$emit("update:modelValue", {
      ...spec,
      compose: "services:\n\tweb: {}\n",
      project: "shop",
    });
    await flushPromises();
    await wrapper.find('[data-testid="editor-save"]').trigger("click");
    await flushPromises();
    expect(saved).toHaveLength(2);
    expect(saved[1], "the file is sent as written").toMatchObject({
      kind: "compose",
      project: "shop",
    });
    const fileError = wrapper.find('[data-testid="field-error-compose"]').text();
    expect(fileError, "the YAML error names its line").toContain(
      "Line 2: the compose file is not valid YAML",
    );
    expect(wrapper.find('[data-testid="field-error-project"]').text()).toContain(
      "Lower case letters",
    );
    expect(
      wrapper.find('[data-testid="compose-yaml"] [data-testid="pipeline-yaml-problem"]').exists(),
      "the problem is marked at its line in the editor",
    ).toBe(true);
    wrapper.unmount();
  });
});
