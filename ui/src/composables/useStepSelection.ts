// Which step's log the run page shows, kept in the URL (`?step=NAME`) so Back and a copied
// link keep it; null shows every step's lines.
import { computed, type Ref } from "vue";
import { useRoute, useRouter } from "vue-router";
import type { RunStep } from "@/bindings/RunStep";

export function useStepSelection(steps: Ref<readonly RunStep[]>) {
  const route = useRoute();
  const router = useRouter();
  const selected = computed<RunStep | null>(() => {
    const name = route.query.step;
    if (typeof name !== "string") return null;
    return steps.value.find((s) => s.name === name) ?? null;
  });

  function select(index: number | null): void {
    const step = index === null ? undefined : steps.value.find((s) => s.index === index)?.name;
    void router.replace({ query: { ...route.query, step, line: undefined } });
  }

  return { selected, select };
}
