// Toasts and confirmations in one place, so every backend error is shown the same way: the
// translation of its code when the UI knows the code, otherwise the backend's own message.
import { ElMessage, ElMessageBox } from "element-plus";
import { toApiError } from "@/api/errors";
import { i18n } from "@/i18n";
import { errorView } from "./apiErrorText";

export function errorText(error: unknown): string {
  const e = toApiError(error);
  const key = `errors.${e.code}`;
  if (e.code === "no_backend" && i18n.global.te(key)) return i18n.global.t(key);
  if (e.message) return errorView(e).text;
  return i18n.global.te(key) ? i18n.global.t(key) : e.code;
}

/** Toasts start below the top bar (52px), so they never cover Run… or the health dots. */
const TOAST_OFFSET = 64;

export function notifyError(error: unknown): void {
  ElMessage({
    type: "error",
    message: errorText(error),
    showClose: true,
    duration: 6000,
    grouping: true,
    offset: TOAST_OFFSET,
  });
}

export function notifySuccess(message: string): void {
  ElMessage({ type: "success", message, grouping: true, offset: TOAST_OFFSET });
}

interface ConfirmOptions {
  title: string;
  message: string;
  confirmText: string;
  cancelText?: string;
  danger?: boolean;
}

/**
 * Asks before doing something. Resolves true when confirmed. The dialog's buttons carry the
 * data-testids `confirm-ok` and `confirm-cancel` for the end-to-end tests.
 */
export async function confirmAction(options: ConfirmOptions): Promise<boolean> {
  const box = ElMessageBox.confirm(options.message, options.title, {
    type: options.danger ? "warning" : "info",
    confirmButtonText: options.confirmText,
    cancelButtonText: options.cancelText ?? i18n.global.t("common.cancel"),
    confirmButtonClass: options.danger ? "el-button--danger confirm-ok" : "confirm-ok",
    cancelButtonClass: "confirm-cancel",
    autofocus: true,
    distinguishCancelAndClose: false,
    // Back/Forward changes the hash before a leave guard's question is answered: the question
    // must stay (the router puts the URL back when the answer is Stay).
    closeOnHashChange: false,
  });
  // The newest box is the last one: a box closing from before may still be in the document.
  const last = (selector: string) => [...document.querySelectorAll(selector)].at(-1);
  setTimeout(() => {
    last(".el-message-box .confirm-ok")?.setAttribute("data-testid", "confirm-ok");
    last(".el-message-box .confirm-cancel")?.setAttribute("data-testid", "confirm-cancel");
  });
  try {
    await box;
    return true;
  } catch {
    return false;
  }
}
