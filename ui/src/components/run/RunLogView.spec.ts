import { describe, expect, it } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { mountApp } from "@/test/mountApp";
import { arraySource } from "@/test/logSource";
import RunLogView from "./RunLogView.vue";

function makeLine(seq: number): LogLine {
  return {
    seq,
    ts: 1_764_096_000_000 + seq,
    stream: seq % 10 === 0 ? "stderr" : seq === 1 ? "system" : "stdout",
    text: seq === 3 ? "\x1b[31m<script>alert(1)</script>\x1b[0m" : `line ${seq} error here`,
  };
}

const base = { wrap: false, timestamps: false, placeholder: "" };

describe("run log view", () => {
  it("puts only the visible window of a huge log in the DOM and asks only for it", () => {
    const source = arraySource(1_000_000, (i) => makeLine(i + 1));
    const wrapper = mountApp(RunLogView, { props: { ...base, source } });
    const rendered = wrapper.findAll('[data-testid="log-line"]');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(100);
    expect(rendered[0]?.attributes("data-seq")).toBe("1");
    const [start, end] = source.requests.at(-1) ?? [0, 0];
    expect(end - start).toBeLessThan(100);
  });

  it("shows lines whose page is still loading as placeholders, not as log-line", () => {
    const source = arraySource(50, (i) => (i < 5 ? makeLine(i + 1) : undefined));
    const wrapper = mountApp(RunLogView, { props: { ...base, source } });
    expect(wrapper.findAll('[data-testid="log-line"]')).toHaveLength(5);
    expect(wrapper.findAll(".is-pending").length).toBeGreaterThan(10);
  });

  it("marks stderr and system lines and renders ANSI colours escaped", () => {
    const source = arraySource(20, (i) => makeLine(i + 1));
    const wrapper = mountApp(RunLogView, { props: { ...base, timestamps: true, source } });
    const line = (seq: number) => wrapper.find(`[data-testid="log-line"][data-seq="${seq}"]`);
    expect(line(10).classes()).toContain("is-stderr");
    expect(line(1).classes()).toContain("is-system");
    expect(line(3).find("script").exists()).toBe(false);
    expect(line(3).find(".txt span").attributes("style")).toContain("var(--ansi-1)");
    expect(line(3).text()).toContain("<script>alert(1)</script>");
    expect(line(2).find(".ts").exists()).toBe(true);
  });

  it("marks search matches, the current match and the selected lines", () => {
    const source = arraySource(20, (i) => makeLine(i + 1));
    const wrapper = mountApp(RunLogView, {
      props: { ...base, source, query: "ERROR", currentSeq: 4, selection: [6, 8] as const },
    });
    const line = (seq: number) => wrapper.find(`[data-testid="log-line"][data-seq="${seq}"]`);
    expect(line(2).find("mark").text()).toBe("error");
    expect(line(4).classes()).toContain("is-current");
    expect(["6", "7", "8"].map((s) => line(Number(s)).classes().includes("is-selected"))).toEqual([
      true,
      true,
      true,
    ]);
    expect(line(9).classes()).not.toContain("is-selected");
  });

  it("reports clicks on line numbers, with shift to extend", async () => {
    const source = arraySource(20, (i) => makeLine(i + 1));
    const wrapper = mountApp(RunLogView, { props: { ...base, source } });
    await wrapper.find('[data-seq="5"] .ln').trigger("click");
    await wrapper.find('[data-seq="9"] .ln').trigger("click", { shiftKey: true });
    expect(wrapper.emitted("lineClick")).toEqual([
      [5, false],
      [9, true],
    ]);
  });

  it("shows the placeholder while there are no lines", () => {
    const source = arraySource(0, () => undefined);
    const wrapper = mountApp(RunLogView, {
      props: { ...base, wrap: true, source, placeholder: "Waiting…" },
    });
    expect(wrapper.text()).toContain("Waiting…");
    expect(wrapper.findAll('[data-testid="log-line"]')).toHaveLength(0);
  });
});
