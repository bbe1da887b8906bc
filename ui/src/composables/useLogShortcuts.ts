// Keyboard shortcuts of the log panel, active while focus is inside the panel (or on nothing, as
// after a click on the page): Ctrl/Cmd+F search, Ctrl/Cmd+G go to line, Ctrl/Cmd+C copy the
// selected lines (unless some text is selected, which the browser copies as usual).
import { onBeforeUnmount, onMounted, type Ref } from "vue";

export interface LogShortcuts {
  find: () => void;
  goto: () => void;
  /** Returns false when there is nothing to copy (the key then does what it normally does). */
  copy: () => boolean;
}

export function useLogShortcuts(panel: Ref<HTMLElement | null>, actions: LogShortcuts): void {
  function listener(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const active = document.activeElement;
    const inside = !!panel.value && !!active && panel.value.contains(active);
    if (!inside && active !== document.body && active !== null) return;
    const key = event.key.toLowerCase();
    if (key === "f") actions.find();
    else if (key === "g") actions.goto();
    else if (key === "c") {
      if (window.getSelection()?.toString()) return;
      const tag = active?.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA") return;
      if (!actions.copy()) return;
    } else return;
    event.preventDefault();
  }
  onMounted(() => window.addEventListener("keydown", listener));
  onBeforeUnmount(() => window.removeEventListener("keydown", listener));
}
