// Moves the keyboard focus to the field a FieldError path points at (from the problems list).

function selectorFor(path: string): string {
  const param = /^params\[(\d+)\]\.(\w+)$/.exec(path);
  if (param) return `[data-testid="param-${param[2]}-${param[1]}"]`;
  if (path === "script") return '[data-testid="editor-script"] .cm-content';
  if (path === "timeoutSeconds") return '[data-testid="editor-timeout"]';
  return `[data-testid="editor-${path}"]`;
}

export function focusField(path: string): void {
  const element = document.querySelector<HTMLElement>(selectorFor(path));
  if (!element) return;
  element.scrollIntoView({ block: "center", behavior: "smooth" });
  const target = element.matches("input, textarea, select, [contenteditable]")
    ? element
    : (element.querySelector<HTMLElement>("input, textarea, select, [contenteditable]") ?? element);
  target.focus({ preventScroll: true });
}
