import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { blankSpec } from "@/lib/templateSpec";
import { mountApp } from "@/test/mountApp";
import TemplateDockerFields from "./TemplateDockerFields.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function mountFields(spec: TemplateSpec) {
  mockIPC((cmd) => (cmd === "endpoint_list" || cmd === "registry_list" ? [] : null));
  let current = spec;
  const wrapper = mountApp(TemplateDockerFields, {
    props: {
      modelValue: spec,
      errors: {},
      dark: false,
      "onUpdate:modelValue": (s: TemplateSpec) => {
        current = s;
        void wrapper.setProps({ modelValue: s });
      },
    },
    attachTo: document.body,
  });
  return { wrapper, spec: () => current };
}

describe("docker fields of the template editor", () => {
  it("turns a shell template into a docker-build and back without losing the script", async () => {
    const { wrapper, spec } = mountFields({ ...blankSpec(), script: "echo hi\n" });
    await flushPromises();
    const kinds = wrapper.findAll('[data-testid="editor-kind"] input');
    await kinds[1]!.setValue(true);
    await flushPromises();
    expect(spec().kind).toBe("docker-build");
    expect(spec().script).toBe("");
    const tags = wrapper.find('[data-testid="editor-tags"]');
    await tags.setValue("localhost:5000/web:${SIMPLE_CICD_RUN_NUMBER}\n\n  web:latest  \n");
    expect(spec().tags).toEqual(["localhost:5000/web:${SIMPLE_CICD_RUN_NUMBER}", "web:latest"]);
    await kinds[0]!.setValue(true);
    await flushPromises();
    expect(spec().kind).toBe("shell");
    expect(spec().script).toBe("echo hi\n");
    expect(spec().tags).toBeUndefined();
  });

  it("runs a shell script in a container when an image is given", async () => {
    const { wrapper, spec } = mountFields({ ...blankSpec(), script: "make\n" });
    await flushPromises();
    expect(wrapper.find('[data-testid="editor-image"]').exists()).toBe(false);
    await wrapper.findAll('[data-testid="editor-run-in"] input')[1]!.setValue(true);
    await flushPromises();
    await wrapper.find('[data-testid="editor-image"]').setValue("alpine:3.20");
    expect(spec().image).toBe("alpine:3.20");
    await wrapper.findAll('[data-testid="editor-run-in"] input')[0]!.setValue(true);
    expect(spec().image).toBeUndefined();
  });
});
