// The scrolling side of the log view: tracks the scroll position and size of the scroller (one
// read per frame), follows the tail as lines arrive unless the user scrolled up, and measures the
// monospace character width that wrapping needs.
import { nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref } from "vue";
import { FollowTracker } from "@/lib/follow";

export function useLogViewport(
  scroller: Ref<HTMLElement | null>,
  probe: Ref<HTMLElement | null>,
  rowHeight: number,
  /** Changes whenever content is added or re-laid out (line count, wrap, timestamps). */
  contentKey: () => unknown,
) {
  const scrollTop = ref(0);
  const viewportHeight = ref(0);
  const viewportWidth = ref(0);
  const charWidth = ref(7.8);
  const following = ref(true);
  const tracker = new FollowTracker();
  let frame = 0;
  let observer: ResizeObserver | null = null;

  function onScroll(): void {
    const el = scroller.value;
    if (!el) return;
    // Decide at once, so a batch of lines painted before the next frame cannot undo a scroll-up.
    following.value = tracker.onScroll(el.scrollTop, el.scrollHeight, el.clientHeight, rowHeight);
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      scrollTop.value = scroller.value?.scrollTop ?? 0;
    });
  }

  /** A wheel or key movement upwards pauses following even before the view has moved. */
  function onUserUp(): void {
    if (!scroller.value || scroller.value.scrollTop <= 0) return;
    tracker.pause();
    following.value = false;
  }

  function measure(): void {
    const el = scroller.value;
    if (el) {
      viewportHeight.value = el.clientHeight;
      viewportWidth.value = el.clientWidth;
    }
    const width = probe.value?.getBoundingClientRect().width ?? 0;
    if (width > 0) charWidth.value = width / 10;
  }

  function scrollToEnd(): void {
    const el = scroller.value;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    scrollTop.value = el.scrollTop;
  }

  /** Scrolls to an offset chosen by the app (a search match, a line number): stops following. */
  function scrollToOffset(top: number): void {
    const el = scroller.value;
    if (!el) return;
    tracker.pause();
    following.value = false;
    el.scrollTop = top;
    scrollTop.value = el.scrollTop;
  }

  function jumpToEnd(): void {
    tracker.resume();
    following.value = true;
    void nextTick(scrollToEnd);
  }

  watch(contentKey, async () => {
    if (!following.value) return;
    await nextTick();
    if (!following.value) return;
    scrollToEnd();
    // The spacer grew in the same tick: a second pass lands on the true end.
    await nextTick();
    if (following.value) scrollToEnd();
  });

  onMounted(() => {
    measure();
    observer = new ResizeObserver(() => {
      measure();
      if (following.value) scrollToEnd();
    });
    if (scroller.value) observer.observe(scroller.value);
    void document.fonts?.ready.then(measure);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    if (frame) cancelAnimationFrame(frame);
  });

  return {
    scrollTop,
    viewportHeight,
    viewportWidth,
    charWidth,
    following,
    onScroll,
    onUserUp,
    scrollToOffset,
    jumpToEnd,
  };
}
