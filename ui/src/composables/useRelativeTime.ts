// "3 minutes ago" that stays true while the page is open, plus the exact time for a tooltip.
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { useFormat } from "./useFormat";
import { useNow } from "./useNow";

export function useRelativeTime(iso: MaybeRefOrGetter<string | null>) {
  const now = useNow(15_000);
  const format = useFormat();
  const relative = computed(() => {
    const value = toValue(iso);
    return value ? format.relative(value, Math.max(now.value, Date.now() - 15_000)) : "";
  });
  const exact = computed(() => {
    const value = toValue(iso);
    return value ? format.dateTime(value) : "";
  });
  return { relative, exact };
}
