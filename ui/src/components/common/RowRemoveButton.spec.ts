import { describe, expect, it } from "vitest";
import { mountApp } from "@/test/mountApp";
import RowRemoveButton from "./RowRemoveButton.vue";

describe("row remove button", () => {
  it("is a labelled danger icon button that emits click and spins while loading", async () => {
    const w = mountApp(RowRemoveButton, {
      props: { loading: false, label: "Remove build-box", testid: "thing-remove-build-box" },
    });
    const button = w.find('[data-testid="thing-remove-build-box"]');
    expect(button.attributes("aria-label")).toBe("Remove build-box");
    expect(button.classes()).toContain("el-button--danger");
    await button.trigger("click");
    expect(w.emitted("click")).toHaveLength(1);
    await w.setProps({ loading: true });
    expect(w.find("button").classes()).toContain("is-loading");
  });
});
