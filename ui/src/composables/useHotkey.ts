// Ctrl/Cmd + key shortcuts bound while the calling component is mounted.
import { onBeforeUnmount, onMounted } from "vue";

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** The label of a shortcut, e.g. `Ctrl+K` or `⌘K`. */
export function shortcutLabel(key: string): string {
  return isMac ? `⌘${key.toUpperCase()}` : `Ctrl+${key.toUpperCase()}`;
}

export function useHotkey(key: string, handler: (event: KeyboardEvent) => void): void {
  const listener = (event: KeyboardEvent) => {
    if (event.key.toLowerCase() !== key || !(event.ctrlKey || event.metaKey) || event.altKey)
      return;
    event.preventDefault();
    handler(event);
  };
  onMounted(() => window.addEventListener("keydown", listener));
  onBeforeUnmount(() => window.removeEventListener("keydown", listener));
}
