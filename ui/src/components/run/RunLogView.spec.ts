import { describe, expect, it } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { mountApp } from "@/test/mountApp";
import RunLogView from "./RunLogView.vue";

function lines(n: number): LogLine[] {
  const out: LogLine[] = [];
  for (let seq = 1; seq <= n; seq++) {
    out.push({
      seq,
      ts: 1_764_096_000_000 + seq,
      stream: seq % 10 === 0 ? "stderr" : seq === 1 ? "system" : "stdout",
      text: seq === 3 ? "\x1b[31m<script>alert(1)</script>\x1b[0m" : `line ${seq}`,
    });
  }
  return out;
}

describe("run log view", () => {
  it("puts only the visible window of a huge log in the DOM", () => {
    const all = lines(1_000_000);
    const wrapper = mountApp(RunLogView, {
      props: { lines: all, count: all.length, wrap: false, timestamps: false, placeholder: "" },
    });
    const rendered = wrapper.findAll('[data-testid="log-line"]');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(100);
    expect(rendered[0]?.attributes("data-seq")).toBe("1");
  });

  it("marks stderr and system lines and renders ANSI colours escaped", () => {
    const all = lines(20);
    const wrapper = mountApp(RunLogView, {
      props: { lines: all, count: all.length, wrap: false, timestamps: true, placeholder: "" },
    });
    const line = (seq: number) => wrapper.find(`[data-testid="log-line"][data-seq="${seq}"]`);
    expect(line(10).classes()).toContain("is-stderr");
    expect(line(1).classes()).toContain("is-system");
    expect(line(3).find("script").exists()).toBe(false);
    expect(line(3).find(".txt span").attributes("style")).toContain("var(--ansi-1)");
    expect(line(3).text()).toContain("<script>alert(1)</script>");
    expect(line(2).find(".ts").exists()).toBe(true);
  });

  it("shows the placeholder while there are no lines", () => {
    const wrapper = mountApp(RunLogView, {
      props: { lines: [], count: 0, wrap: true, timestamps: false, placeholder: "Waiting…" },
    });
    expect(wrapper.text()).toContain("Waiting…");
    expect(wrapper.findAll('[data-testid="log-line"]')).toHaveLength(0);
  });
});
