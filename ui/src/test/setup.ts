// Test environment gaps of jsdom that components rely on.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

if (!("ResizeObserver" in globalThis)) {
  (globalThis as Record<string, unknown>).ResizeObserver = ResizeObserverStub;
}

if (!("scrollIntoView" in Element.prototype)) {
  (Element.prototype as unknown as Record<string, unknown>).scrollIntoView = () => {};
}
