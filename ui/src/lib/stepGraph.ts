// The steps of a pipeline as a graph to draw: columns by depth (what the engine computes as
// `RunStep.depth`), file order within a column, and one line per `needs`. For the editor's
// preview, the same steps are derived from a parsed spec the way the engine plans them
// (template/pipeline.rs `dependencies`, plan.rs `depths`): without any `needs`, the steps form
// a chain in file order. Pure functions, so the layout is tested without a DOM.
import type { PipelineStep } from "@/bindings/PipelineStep";
import type { RunStep } from "@/bindings/RunStep";

export interface GraphSizes {
  cardWidth: number;
  cardHeight: number;
  columnGap: number;
  rowGap: number;
  padding: number;
}

export const GRAPH_SIZES: GraphSizes = {
  cardWidth: 184,
  cardHeight: 52,
  columnGap: 40,
  rowGap: 12,
  padding: 8,
};

export interface GraphNode {
  step: RunStep;
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** SVG path from the right middle of `from` to the left middle of `to`. */
  path: string;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  columns: number;
  width: number;
  height: number;
}

/**
 * Places the steps in columns by depth and draws a curve for each `needs`. `vertical` turns the
 * graph a quarter (depths as rows, top to bottom), for a narrow place such as the editor's
 * preview; `column` and `row` stay the depth and the place within it.
 */
export function layoutSteps(
  steps: readonly RunStep[],
  sizes: GraphSizes = GRAPH_SIZES,
  vertical = false,
): GraphLayout {
  const { cardWidth, cardHeight, columnGap, rowGap, padding } = sizes;
  const across = vertical ? cardHeight + columnGap : cardWidth + columnGap;
  const along = vertical ? cardWidth + rowGap : cardHeight + rowGap;
  const rows = new Map<number, number>();
  const nodes: GraphNode[] = steps.map((step) => {
    const column = step.depth;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return {
      step,
      column,
      row,
      x: padding + (vertical ? row * along : column * across),
      y: padding + (vertical ? column * across : row * along),
    };
  });
  const byName = new Map(nodes.map((n) => [n.step.name, n]));
  const edges: GraphEdge[] = [];
  for (const node of nodes) {
    for (const need of node.step.needs) {
      const from = byName.get(need);
      if (!from || from === node) continue;
      edges.push({ from: need, to: node.step.name, path: edgePath(from, node, sizes, vertical) });
    }
  }
  const columns = nodes.length ? Math.max(...nodes.map((n) => n.column)) + 1 : 0;
  const tallest = Math.max(0, ...rows.values());
  const depthSize = columns ? padding * 2 + columns * across - columnGap : 0;
  const breadth = tallest ? padding * 2 + tallest * along - rowGap : 0;
  return {
    nodes,
    edges,
    columns,
    width: vertical ? breadth : depthSize,
    height: vertical ? depthSize : breadth,
  };
}

/** A curve from the need's outgoing side to the step's incoming side. */
function edgePath(from: GraphNode, to: GraphNode, sizes: GraphSizes, vertical: boolean): string {
  const { cardWidth: w, cardHeight: h } = sizes;
  if (vertical) {
    const [x1, y1, x2, y2] = [from.x + w / 2, from.y + h, to.x + w / 2, to.y];
    const bend = Math.max(12, (y2 - y1) / 2);
    return `M${x1} ${y1} C${x1} ${y1 + bend} ${x2} ${y2 - bend} ${x2} ${y2}`;
  }
  const [x1, y1, x2, y2] = [from.x + w, from.y + h / 2, to.x, to.y + h / 2];
  const bend = Math.max(12, (x2 - x1) / 2);
  return `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`;
}

/** The kind a step shows: its inline kind, or `uses` for a saved template. */
export function stepKind(step: PipelineStep): string {
  return "uses" in step ? "uses" : step.kind;
}

/**
 * The steps of a pipeline spec as a run would list them before it starts (all `queued`), for
 * the editor's preview. Unknown `needs` are dropped and a cycle is cut, as drawing must not fail
 * on a pipeline that is still being typed.
 */
export function stepsFromSpec(steps: readonly PipelineStep[]): RunStep[] {
  const graph = steps.some((s) => (s.needs ?? []).length > 0);
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!index.has(s.name)) index.set(s.name, i);
  });
  const deps = steps.map((s, i) => {
    if (!graph) return i === 0 ? [] : [i - 1];
    return (s.needs ?? [])
      .map((n) => index.get(n))
      .filter((d): d is number => d !== undefined && d !== i);
  });
  const depth = steps.map(() => 0);
  for (let round = 0; round < steps.length; round++) {
    let changed = false;
    deps.forEach((d, i) => {
      const value = d.reduce((m, j) => Math.max(m, (depth[j] ?? 0) + 1), 0);
      if (value !== depth[i] && value < steps.length) {
        depth[i] = value;
        changed = true;
      }
    });
    if (!changed) break;
  }
  return steps.map((s, i) => ({
    index: i,
    name: s.name,
    kind: stepKind(s),
    needs: (deps[i] ?? []).map((j) => steps[j]?.name ?? ""),
    depth: depth[i] ?? 0,
    status: "queued",
    startedAt: null,
    endedAt: null,
    durationMs: null,
    exitCode: null,
    outputs: {},
    error: null,
    continueOnError: s.continueOnError ?? false,
  }));
}
