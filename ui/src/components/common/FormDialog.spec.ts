import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { h } from "vue";
import { mountApp } from "@/test/mountApp";
import FormDialog from "./FormDialog.vue";

afterEach(() => {
  document.body.innerHTML = "";
});

function mountDialog(props: Partial<{ saving: boolean; error: string }> = {}) {
  return mountApp(FormDialog, {
    props: {
      modelValue: true,
      title: "Add thing",
      width: "500px",
      testid: "thing-dialog",
      saveText: "Save thing",
      saveTestid: "thing-save",
      saving: false,
      error: "",
      ...props,
    },
    slots: {
      default: () => [
        h("label", { class: "label", for: "thing-name" }, "Name"),
        h("input", { id: "thing-name", "data-testid": "thing-name" }),
        h("fieldset", [h("p", { class: "hint" }, "nested hint")]),
      ],
    },
    attachTo: document.body,
  });
}

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe("form dialog", () => {
  it("shows the fields, the title and the save text, and submits from the button and Enter", async () => {
    const wrapper = mountDialog();
    await flushPromises();
    expect(q("thing-dialog")?.textContent).toContain("Add thing");
    expect(q("thing-name")).not.toBeNull();
    expect(q("thing-save")?.textContent?.trim()).toBe("Save thing");
    q("thing-save")!.click();
    document.querySelector("form.dialog-form")!.dispatchEvent(new Event("submit"));
    expect(wrapper.emitted("submit")).toHaveLength(2);
  });

  it("styles slotted labels and hints, also nested ones", async () => {
    mountDialog();
    await flushPromises();
    const slotted = (el: Element | null) => el!.getAttributeNames().some((a) => a.endsWith("-s"));
    expect(slotted(document.querySelector("label.label"))).toBe(true);
    expect(slotted(document.querySelector("fieldset .hint"))).toBe(true);
  });

  it("shows an error that belongs to no field, and Cancel closes", async () => {
    const wrapper = mountDialog({ error: "the daemon said no" });
    await flushPromises();
    expect(document.querySelector(".el-alert")?.textContent).toContain("the daemon said no");
    const cancel = [
      ...document.querySelectorAll<HTMLButtonElement>(".el-dialog__footer button"),
    ][0];
    expect(cancel?.textContent?.trim()).toBe("Cancel");
    cancel!.click();
    expect(wrapper.emitted("update:modelValue")?.[0]).toEqual([false]);
  });
});
