// Selected log lines and what can be done with them: click a line number to select it, shift-click
// to extend, "go to line" (`120` or `120-180`) selects too; copy puts their plain text on the
// clipboard, fetching the lines that are not in memory first.
import { computed, ref } from "vue";
import { useI18n } from "vue-i18n";
import type { LogSource } from "@/composables/useRunLogs";
import { copyText } from "@/lib/download";
import { notifyError, notifySuccess } from "@/lib/feedback";
import {
  clickLine,
  collectLines,
  linesToText,
  MAX_COPY_LINES,
  parseLineTarget,
  selectionRange,
  type LineFetch,
  type LineSelection,
} from "@/lib/logSelection";

export function useLogSelection(source: LogSource, fetch: LineFetch, show: (seq: number) => void) {
  const { t } = useI18n();
  const selection = ref<LineSelection | null>(null);
  const copying = ref(false);
  const range = computed(() => (selection.value ? selectionRange(selection.value) : null));
  const size = computed(() => (range.value ? range.value[1] - range.value[0] + 1 : 0));

  function onLineClick(seq: number, extend: boolean): void {
    selection.value = clickLine(selection.value, seq, extend);
  }

  /** Goes to `120` or `120-180`; returns false when the text is not a line number. */
  function goto(text: string): boolean {
    const target = parseLineTarget(text, source.count.value);
    if (!target) {
      notifyError({ code: "invalid", message: t("log.goto.invalid", { n: source.count.value }) });
      return false;
    }
    selection.value = target;
    show(Math.min(target.anchor, target.head));
    return true;
  }

  async function copy(): Promise<void> {
    const r = range.value;
    if (!r || copying.value) return;
    if (size.value > MAX_COPY_LINES) {
      notifyError({ code: "invalid", message: t("log.copy.tooMany", { max: MAX_COPY_LINES }) });
      return;
    }
    copying.value = true;
    try {
      const lines = await collectLines(r[0], r[1], (seq) => source.line(seq - 1), fetch);
      await copyText(linesToText(lines));
      notifySuccess(t("log.copy.done", { n: lines.length }, lines.length));
    } catch (e) {
      notifyError(e);
    } finally {
      copying.value = false;
    }
  }

  return { selection, range, size, copying, onLineClick, goto, copy };
}
