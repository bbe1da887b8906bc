// A LogSource over an array (or a generator for huge logs), for component tests of the log view.
import { ref } from "vue";
import type { LogLine } from "@/bindings/LogLine";
import type { LogSource } from "@/composables/useRunLogs";

export function arraySource(
  count: number,
  line: (index: number) => LogLine | undefined,
): LogSource & { requests: Array<[number, number]> } {
  const requests: Array<[number, number]> = [];
  return {
    count: ref(count),
    version: ref(0),
    line,
    request: (start, end) => requests.push([start, end]),
    requests,
  };
}
