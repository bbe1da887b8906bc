// CodeMirror marks for the pipeline editor's problems: the line of each problem is tinted and
// its message shown at the end of that line; a gutter-less design so the text does not move.
import { RangeSetBuilder, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";

export interface LineProblem {
  /** 1-based line. */
  line: number;
  message: string;
}

class ProblemWidget extends WidgetType {
  constructor(readonly message: string) {
    super();
  }
  eq(other: ProblemWidget): boolean {
    return other.message === this.message;
  }
  toDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = "cm-problem-text";
    span.textContent = this.message;
    span.setAttribute("data-testid", "pipeline-yaml-problem");
    return span;
  }
}

export const setProblems = StateEffect.define<LineProblem[]>();

function build(view: { state: EditorView["state"] }, problems: LineProblem[]): DecorationSet {
  const doc = view.state.doc;
  const byLine = new Map<number, string[]>();
  for (const p of problems) {
    const line = Math.min(Math.max(1, p.line), doc.lines);
    byLine.set(line, [...(byLine.get(line) ?? []), p.message]);
  }
  const builder = new RangeSetBuilder<Decoration>();
  for (const n of [...byLine.keys()].sort((a, b) => a - b)) {
    const line = doc.line(n);
    const message = (byLine.get(n) ?? []).join(" · ");
    builder.add(
      line.from,
      line.from,
      Decoration.line({ class: "cm-problem-line", attributes: { title: message } }),
    );
    builder.add(
      line.to,
      line.to,
      Decoration.widget({ widget: new ProblemWidget(message), side: 1 }),
    );
  }
  return builder.finish();
}

const field = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setProblems)) next = build({ state: tr.state }, e.value);
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const theme = EditorView.baseTheme({
  ".cm-problem-line": { backgroundColor: "rgba(217, 58, 58, 0.10)" },
  ".cm-problem-text": {
    marginLeft: "16px",
    color: "var(--el-color-danger)",
    fontStyle: "italic",
    fontSize: "12px",
  },
});

export function problemMarks(): Extension {
  return [field, theme];
}
