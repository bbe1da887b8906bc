// app_diff in the browser dev backend: images compared per service, the configuration as one hunk
// of every old line removed and every new one added (the real line diff is the engine's).
import type { AppDiff } from "@/bindings/AppDiff";
import type { AppRevision } from "@/bindings/AppRevision";

export function fakeAppDiff(from: AppRevision, to: AppRevision): AppDiff {
  const names = [...new Set([...from.services, ...to.services].map((s) => s.service))].sort();
  const images = names.map((service) => {
    const a = from.services.find((s) => s.service === service);
    const b = to.services.find((s) => s.service === service);
    const pin = (s: typeof a) => (s ? { image: s.image, pinned: s.pinned } : null);
    return { service, from: pin(a), to: pin(b), changed: !a || !b || a.pinned !== b.pinned };
  });
  if (from.config === to.config) return { from: from.number, to: to.number, config: "", images };
  const old = from.config.trimEnd().split("\n");
  const now = to.config.trimEnd().split("\n");
  const config = [
    `--- #${from.number}`,
    `+++ #${to.number}`,
    `@@ -1,${old.length} +1,${now.length} @@`,
    ...old.map((l) => `-${l}`),
    ...now.map((l) => `+${l}`),
    "",
  ].join("\n");
  return { from: from.number, to: to.number, config, images };
}
