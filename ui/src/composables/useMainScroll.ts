// The page scrolls inside <main>, outside <RouterView>, so the router's own scroll behaviour
// (which moves the window) never applies. This gives <main> the behaviour users expect: a new
// page starts at the top; Back and Forward return to where that page was left.
import { nextTick, onUnmounted, type Ref } from "vue";
import { useRouter } from "vue-router";

/** Frames to keep trying a restore while the page's data arrives and makes it tall enough. */
const RESTORE_FRAMES = 30;

export function useMainScroll(main: Ref<HTMLElement | null>): void {
  const router = useRouter();
  const history = router.options.history;
  const saved = new Map<number, number>();
  const position = () => Number((history.state as { position?: unknown }).position ?? 0);
  let shown = position();
  let popped = false;

  const stopListening = history.listen((_to, _from, info) => {
    popped = info.type === "pop";
  });
  const stopBefore = router.beforeEach(() => {
    if (main.value) saved.set(shown, main.value.scrollTop);
  });
  const stopAfter = router.afterEach((to, from, failure) => {
    const back = popped;
    popped = false;
    if (failure) return;
    shown = position();
    if (to.path === from.path) return;
    void nextTick(() => restore(back ? (saved.get(shown) ?? 0) : 0));
  });

  function restore(top: number, frames = RESTORE_FRAMES): void {
    const el = main.value;
    if (!el) return;
    el.scrollTop = top;
    if (Math.abs(el.scrollTop - top) > 1 && frames > 0)
      requestAnimationFrame(() => restore(top, frames - 1));
  }

  onUnmounted(() => {
    stopListening();
    stopBefore();
    stopAfter();
  });
}
