import { describe, expect, it } from "vitest";
import type { PipelineStep } from "@/bindings/PipelineStep";
import { GRAPH_SIZES, layoutSteps, stepsFromSpec } from "./stepGraph";

const step = (name: string, needs: string[] = [], extra: object = {}) =>
  ({ name, needs, kind: "shell", script: "true", ...extra }) as PipelineStep;

describe("step graph", () => {
  it("chains steps in file order when none has needs, as the engine does", () => {
    const steps = stepsFromSpec([step("a"), step("b"), step("c")]);
    expect(steps.map((s) => [s.name, s.depth, s.needs])).toEqual([
      ["a", 0, []],
      ["b", 1, ["a"]],
      ["c", 2, ["b"]],
    ]);
    expect(steps.every((s) => s.status === "queued")).toBe(true);
  });

  it("puts steps in columns by depth once one has needs", () => {
    const steps = stepsFromSpec([
      step("checkout"),
      step("unit", ["checkout"]),
      step("e2e", ["checkout"]),
      step("image", ["unit", "e2e"]),
      step("lint"),
    ]);
    expect(steps.map((s) => s.depth)).toEqual([0, 1, 1, 2, 0]);
    const layout = layoutSteps(steps);
    const at = (name: string) => layout.nodes.find((n) => n.step.name === name);
    expect(layout.columns).toBe(3);
    expect([at("unit")?.column, at("unit")?.row]).toEqual([1, 0]);
    expect([at("e2e")?.column, at("e2e")?.row]).toEqual([1, 1]);
    expect([at("lint")?.column, at("lint")?.row]).toEqual([0, 1]);
    expect(at("e2e")!.y).toBeGreaterThan(at("unit")!.y);
    expect(at("image")!.x).toBeGreaterThan(at("unit")!.x + GRAPH_SIZES.cardWidth);
    expect(layout.edges.map((e) => `${e.from}->${e.to}`)).toEqual([
      "checkout->unit",
      "checkout->e2e",
      "unit->image",
      "e2e->image",
    ]);
  });

  it("draws each edge from the right of the need to the left of the step", () => {
    const layout = layoutSteps(stepsFromSpec([step("a"), step("b", ["a"])]));
    const { cardWidth, cardHeight, padding } = GRAPH_SIZES;
    const y = padding + cardHeight / 2;
    expect(layout.edges[0]?.path.startsWith(`M${padding + cardWidth} ${y} `)).toBe(true);
    expect(layout.edges[0]?.path.endsWith(` ${layout.nodes[1]?.x} ${y}`)).toBe(true);
  });

  it("sizes a 10-wide graph by its tallest column", () => {
    const wide = [step("prepare")];
    for (let i = 0; i < 10; i++) wide.push(step(`shard-${i}`, ["prepare"]));
    wide.push(
      step(
        "report",
        wide.slice(1).map((s) => s.name),
      ),
    );
    const layout = layoutSteps(stepsFromSpec(wide));
    const { cardHeight, rowGap, padding } = GRAPH_SIZES;
    expect(layout.columns).toBe(3);
    expect(layout.height).toBe(padding * 2 + 10 * cardHeight + 9 * rowGap);
    expect(layout.edges).toHaveLength(20);
  });

  it("draws a pipeline still being typed: unknown needs dropped, a cycle cut", () => {
    const steps = stepsFromSpec([step("a", ["b"]), step("b", ["a"]), step("c", ["nope"])]);
    expect(steps[2]?.needs).toEqual([]);
    expect(steps.every((s) => s.depth < 3)).toBe(true);
    expect(layoutSteps(steps).nodes).toHaveLength(3);
  });

  it("shows a step that uses a template with the kind uses", () => {
    const steps = stepsFromSpec([{ name: "t", uses: "unit-tests" } as PipelineStep]);
    expect(steps[0]?.kind).toBe("uses");
  });

  it("turns a quarter for a narrow place: depths as rows, edges from bottom to top", () => {
    const steps = stepsFromSpec([step("a"), step("b", ["a"]), step("c", ["a"])]);
    const layout = layoutSteps(steps, GRAPH_SIZES, true);
    const { cardWidth, cardHeight, columnGap, rowGap, padding } = GRAPH_SIZES;
    expect(layout.nodes.map((n) => [n.x, n.y])).toEqual([
      [padding, padding],
      [padding, padding + cardHeight + columnGap],
      [padding + cardWidth + rowGap, padding + cardHeight + columnGap],
    ]);
    expect(layout.width).toBe(padding * 2 + 2 * cardWidth + rowGap);
    expect(layout.height).toBe(padding * 2 + 2 * cardHeight + columnGap);
    expect(
      layout.edges[0]?.path.startsWith(`M${padding + cardWidth / 2} ${padding + cardHeight} `),
    ).toBe(true);
  });

  it("lays out nothing for no steps", () => {
    expect(layoutSteps([])).toMatchObject({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
