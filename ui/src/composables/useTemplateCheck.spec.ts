import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick, ref } from "vue";
import type { FieldError } from "@/bindings/FieldError";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { blankSpec } from "@/lib/templateSpec";

// The transport's one call this composable makes, answered by hand in each test.
const asked: Array<{ spec: TemplateSpec; answer: (errors: FieldError[]) => void }> = [];
vi.mock("@/api", () => ({
  templateValidate: (spec: TemplateSpec) =>
    new Promise<FieldError[]>((answer) => asked.push({ spec, answer })),
}));
const { useTemplateCheck } = await import("./useTemplateCheck");

const badName: FieldError = { path: "name", code: "invalid", message: "Use letters…" };

function setup() {
  const spec = ref<TemplateSpec>(blankSpec());
  const scope = effectScope();
  const check = scope.run(() => useTemplateCheck(() => spec.value, 300))!;
  return { spec, check, scope };
}

beforeEach(() => {
  asked.length = 0;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe("checking a template against the engine as one types", () => {
  it("asks once, 300 ms after the last edit, and shows the engine's errors", async () => {
    const { spec, check, scope } = setup();
    for (const name of ["a", "a ", "a b"]) {
      spec.value = { ...spec.value, name };
      await nextTick();
      vi.advanceTimersByTime(100);
    }
    expect(asked, "nothing is asked while the user is typing").toHaveLength(0);
    expect(check.checking.value, "the form says a check is coming").toBe(true);
    vi.advanceTimersByTime(300);
    expect(asked.map((a) => a.spec.name)).toEqual(["a b"]);
    asked[0]!.answer([badName]);
    await vi.waitFor(() => expect(check.errors.value).toEqual([badName]));
    expect(check.checking.value).toBe(false);
    scope.stop();
  });

  it("drops an answer about an older spec that arrives after a newer one", async () => {
    const { spec, check, scope } = setup();
    spec.value = { ...spec.value, name: "a b" };
    await nextTick();
    vi.advanceTimersByTime(300);
    spec.value = { ...spec.value, name: "ab" };
    await nextTick();
    vi.advanceTimersByTime(300);
    expect(asked).toHaveLength(2);
    asked[1]!.answer([]);
    await vi.waitFor(() => expect(check.checking.value).toBe(false));
    asked[0]!.answer([badName]);
    await Promise.resolve();
    await nextTick();
    expect(check.errors.value, "the late answer was about `a b`, no longer in the form").toEqual(
      [],
    );
    scope.stop();
  });

  it("forgets answers on its way when the form is reset", async () => {
    const { spec, check, scope } = setup();
    spec.value = { ...spec.value, name: "a b" };
    await nextTick();
    vi.advanceTimersByTime(300);
    check.clear();
    asked[0]!.answer([badName]);
    await Promise.resolve();
    expect(check.errors.value).toEqual([]);
    expect(check.checking.value).toBe(false);
    scope.stop();
  });
});
