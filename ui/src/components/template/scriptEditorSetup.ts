// CodeMirror 6 set-up for shell scripts, Dockerfiles and template YAML: extensions, a highlight style and an editor theme built
// on CSS variables (so light/dark follows the app), and CRLF-paste detection. CodeMirror itself
// stores any pasted line ending as LF.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  StreamLanguage,
  syntaxHighlighting,
} from "@codemirror/language";
import { dockerFile } from "@codemirror/legacy-modes/mode/dockerfile";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { yaml } from "@codemirror/legacy-modes/mode/yaml";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  placeholder,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

const themeSlot = new Compartment();

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--cm-keyword)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--cm-string)" },
  { tag: tags.comment, color: "var(--cm-comment)", fontStyle: "italic" },
  { tag: [tags.variableName, tags.definition(tags.variableName)], color: "var(--cm-variable)" },
  { tag: tags.standard(tags.variableName), color: "var(--cm-builtin)" },
  { tag: tags.number, color: "var(--cm-number)" },
  { tag: tags.operator, color: "var(--cm-operator)" },
]);

const baseTheme = EditorView.theme({
  "&": {
    fontSize: "13px",
    backgroundColor: "var(--el-fill-color-blank)",
    color: "var(--el-text-color-primary)",
  },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55", minHeight: "220px" },
  ".cm-content, .cm-gutter": { minHeight: "220px" },
  ".cm-content": { caretColor: "var(--el-color-primary)", padding: "8px 0" },
  ".cm-gutters": {
    backgroundColor: "var(--el-fill-color-light)",
    color: "var(--el-text-color-placeholder)",
    borderRight: "1px solid var(--el-border-color-lighter)",
  },
  ".cm-activeLine": {
    backgroundColor: "color-mix(in srgb, var(--el-color-primary) 6%, transparent)",
  },
  ".cm-activeLineGutter": {
    backgroundColor: "color-mix(in srgb, var(--el-color-primary) 10%, transparent)",
    color: "var(--el-text-color-regular)",
  },
  "&.cm-focused": { outline: "none" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--el-color-primary)" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection": {
    backgroundColor: "color-mix(in srgb, var(--el-color-primary) 25%, transparent) !important",
  },
});

function themeFor(dark: boolean) {
  return EditorView.theme({}, { dark });
}

interface ScriptEditorOptions {
  parent: HTMLElement;
  doc: string;
  dark: boolean;
  label: string;
  onChange: (text: string) => void;
  onCrlfPaste: () => void;
  /** The highlighting: shell (the default), a Dockerfile or YAML. */
  language?: EditorLanguage;
  /** Shown while the document is empty. */
  placeholder?: string;
  /** Selectable and copyable, not editable (a view of exported text). */
  readOnly?: boolean;
  /** More extensions (e.g. the pipeline editor's error marks). */
  extensions?: Extension[];
}

export type EditorLanguage = "shell" | "dockerfile" | "yaml";
const MODES = { shell, dockerfile: dockerFile, yaml } as const;

export function createScriptEditor(options: ScriptEditorOptions): EditorView {
  const state = EditorState.create({
    doc: options.doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      history(),
      indentOnInput(),
      bracketMatching(),
      EditorState.tabSize.of(4),
      StreamLanguage.define(MODES[options.language ?? "shell"]),
      options.placeholder ? placeholder(options.placeholder) : [],
      options.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : [],
      options.extensions ?? [],
      syntaxHighlighting(highlight),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      baseTheme,
      themeSlot.of(themeFor(options.dark)),
      EditorView.contentAttributes.of({ "aria-label": options.label, spellcheck: "false" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString());
      }),
      EditorView.domEventHandlers({
        paste(event) {
          if (event.clipboardData?.getData("text/plain").includes("\r")) options.onCrlfPaste();
          return false;
        },
      }),
    ],
  });
  return new EditorView({ state, parent: options.parent });
}

export function setEditorDark(view: EditorView, dark: boolean): void {
  view.dispatch({ effects: themeSlot.reconfigure(themeFor(dark)) });
}
