import { describe, expect, it } from "vitest";
import { nextTick } from "vue";
import type { ParamSpec } from "@/bindings/ParamSpec";
import type { ParamValue } from "@/lib/params";
import { mountApp } from "@/test/mountApp";
import RunParamInput from "./RunParamInput.vue";

const spec = (patch: Partial<ParamSpec>): ParamSpec => ({
  name: "P",
  type: "string",
  default: null,
  required: false,
  description: null,
  choices: [],
  secret: null,
  ...patch,
});

function render(s: ParamSpec, value: ParamValue) {
  const updates: ParamValue[] = [];
  const wrapper = mountApp(RunParamInput, {
    props: {
      spec: s,
      testid: "run-param-P",
      modelValue: value,
      "onUpdate:modelValue": (v: ParamValue) => updates.push(v),
    },
  });
  return { wrapper, updates, el: () => wrapper.find('[data-testid="run-param-P"]') };
}

describe("run form inputs are typed by parameter type", () => {
  it("a string parameter is a text input that emits text", async () => {
    const { el, updates } = render(spec({}), "world");
    expect(el().element.tagName).toBe("INPUT");
    expect((el().element as HTMLInputElement).value).toBe("world");
    await el().setValue("you");
    expect(updates).toEqual(["you"]);
  });

  it("a number parameter is a numeric input that emits numbers (null when empty)", async () => {
    const { el, updates } = render(spec({ type: "number" }), 4);
    expect(el().element.tagName).toBe("INPUT");
    expect(el().attributes("type")).toBe("number");
    await el().setValue("12.5");
    await el().setValue("");
    expect(updates).toEqual([12.5, null]);
  });

  it("a boolean parameter is a switch that emits booleans", async () => {
    const { el, updates } = render(spec({ type: "boolean" }), false);
    expect(el().classes()).toContain("el-switch");
    await el().trigger("click");
    await nextTick();
    expect(updates).toEqual([true]);
  });

  it("a choice parameter is a select of its choices that emits the chosen one", async () => {
    const { el, updates } = render(spec({ type: "choice", choices: ["dev", "prod"] }), null);
    expect(el().element.tagName).toBe("SELECT");
    const options = el()
      .findAll("option")
      .map((o) => o.attributes("value"));
    expect(options).toEqual(["", "dev", "prod"]);
    await el().setValue("prod");
    expect(updates).toEqual(["prod"]);
  });
});
