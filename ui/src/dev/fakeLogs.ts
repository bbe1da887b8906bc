// Deterministic fake log lines for the development fake backend: steps, test output, ANSI
// colours (16, 256 and truecolour), stderr warnings, long lines and system lines.
import type { LogLine } from "@/bindings/LogLine";
import { stripAnsi } from "@/lib/ansi";

const E = "\x1b[";
const STEPS = [
  "checkout",
  "install dependencies",
  "lint",
  "unit tests",
  "build",
  "package",
  "upload artifacts",
];

export function fakeLine(runId: number, seq: number, total: number, startMs: number): LogLine {
  const ts = startMs + seq * 37;
  if (seq === 1)
    return { seq, ts, stream: "system", text: `Run #${runId} started on host ci-worker-1 (sh -e)` };
  if (seq === total && total > 1)
    return { seq, ts, stream: "system", text: "Process exited with code 0" };
  const n = seq % 97;
  if (n === 0) {
    const step = STEPS[Math.floor(seq / 97) % STEPS.length];
    return {
      seq,
      ts,
      stream: "stdout",
      text: `${E}1;34m==>${E}0m ${E}1mStep ${(Math.floor(seq / 97) % 7) + 1}/7: ${step}${E}0m`,
    };
  }
  if (n === 13)
    return {
      seq,
      ts,
      stream: "stderr",
      text: `${E}33mwarning${E}0m: package "left-pad@1.3.0" is deprecated; use String.prototype.padStart`,
    };
  if (n === 29)
    return {
      seq,
      ts,
      stream: "stderr",
      text: `${E}1;31merror${E}0m: retrying request to registry (attempt ${(seq % 3) + 1}/3) <script>alert(1)</script>`,
    };
  if (n === 41)
    return {
      seq,
      ts,
      stream: "stdout",
      text:
        `${E}38;5;208mcompiling${E}0m src/components/run/RunLogView.vue ${E}2m(${(seq % 400) + 12} ms)${E}0m ` +
        "a-very-long-token-that-does-not-stop-".repeat(6),
    };
  if (n === 55)
    return {
      seq,
      ts,
      stream: "stdout",
      text: `${E}38;2;120;200;255mtruecolour${E}0m ${E}7m inverse ${E}27m ${E}4munderlined${E}24m ${E}3mitalic${E}23m 中文输出也可以`,
    };
  if (n % 5 === 0)
    return {
      seq,
      ts,
      stream: "stdout",
      text: `  ${E}32m✓${E}0m renders line ${seq} ${E}90m(${seq % 17} ms)${E}0m`,
    };
  return {
    seq,
    ts,
    stream: "stdout",
    text: `  processing item ${seq} of ${total}\tstatus=${E}36mok${E}0m`,
  };
}

/** The fake backend's run_log_search: scans the generated lines like the real one scans SQLite. */
export function searchFakeLog(
  runId: number,
  lines: number,
  total: number,
  startMs: number,
  query: string,
  limit: number,
): { seqs: number[]; total: number } {
  const needle = query.toLowerCase();
  const seqs: number[] = [];
  let count = 0;
  if (!needle) return { seqs, total: 0 };
  for (let seq = 1; seq <= lines; seq++) {
    const text = stripAnsi(fakeLine(runId, seq, total, startMs).text).toLowerCase();
    if (!text.includes(needle)) continue;
    count++;
    if (seqs.length < limit) seqs.push(seq);
  }
  return { seqs, total: count };
}
