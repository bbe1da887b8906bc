import { describe, expect, it } from "vitest";
import { ansiToHtml, parseAnsi, stripAnsi, xterm256 } from "./ansi";

const E = "\x1b[";

describe("ANSI SGR parser", () => {
  it("colours text with the 16 basic and bright colours from the theme palette", () => {
    const [red, plain, brightGreen] = parseAnsi(`${E}31mred${E}0m plain ${E}92mgreen`);
    expect(red).toMatchObject({ text: "red", style: { fg: "var(--ansi-1)" } });
    expect(plain).toMatchObject({ text: " plain ", style: { fg: null } });
    expect(brightGreen?.style.fg).toBe("var(--ansi-10)");
  });

  it("supports 256-colour and truecolour foreground and background", () => {
    const [a, b] = parseAnsi(`${E}38;5;208mA${E}48;2;10;20;30mB`);
    expect(a?.style.fg).toBe(xterm256(208));
    expect(xterm256(208)).toBe("rgb(255,135,0)");
    expect(b?.style).toMatchObject({ fg: "rgb(255,135,0)", bg: "rgb(10,20,30)" });
    expect(xterm256(232)).toBe("rgb(8,8,8)");
    expect(parseAnsi(`${E}38:2::1:2:3mX`)[0]?.style.fg).toBe("rgb(1,2,3)");
  });

  it("tracks bold, dim, italic and underline, and resets them", () => {
    const segments = parseAnsi(`${E}1;2;3;4mstyled${E}22;23;24mnot${E}1mbold${E}mreset`);
    expect(segments[0]?.style).toMatchObject({
      bold: true,
      dim: true,
      italic: true,
      underline: true,
    });
    expect(segments[1]?.style).toMatchObject({
      bold: false,
      dim: false,
      italic: false,
      underline: false,
    });
    expect(segments[2]?.style.bold).toBe(true);
    expect(segments[3]).toMatchObject({ text: "reset", style: { bold: false, fg: null } });
  });

  it("resets colours with 0, 39 and 49", () => {
    const segments = parseAnsi(`${E}31;41ma${E}39mb${E}49mc${E}31m${E}0md`);
    expect(segments.map((s) => [s.style.fg, s.style.bg])).toEqual([
      ["var(--ansi-1)", "var(--ansi-1)"],
      [null, "var(--ansi-1)"],
      [null, null],
    ]);
    expect(segments[2]?.text).toBe("cd");
  });

  it("merges neighbouring text of the same style into one segment", () => {
    expect(parseAnsi(`a${E}0mb${E}32m${E}32mc`).map((s) => s.text)).toEqual(["ab", "c"]);
  });

  it("strips escape sequences that are not colours, and control characters", () => {
    const text = `${E}2K${E}1Gstart\x1b]0;window title\x07 mid\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end\x1b(B\x07`;
    expect(stripAnsi(text)).toBe("start midlink end");
  });

  it("keeps only what was drawn after the last carriage return", () => {
    expect(stripAnsi("progress 10%\rprogress 100%")).toBe("progress 100%");
    expect(stripAnsi("windows line\r")).toBe("windows line");
  });

  it("escapes HTML so log text can never inject markup", () => {
    const html = ansiToHtml(`<script>alert("x")</script> & ${E}31m<b>'red'</b>`);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <span style="color:var(--ansi-1)">&lt;b&gt;&#39;red&#39;&lt;/b&gt;</span>',
    );
  });

  it("renders attributes as classes and inverse as swapped colours", () => {
    expect(ansiToHtml(`${E}1;4mx`)).toBe('<span class="ansi-bold ansi-underline">x</span>');
    expect(ansiToHtml(`${E}7mx`)).toBe(
      '<span style="color:var(--log-bg);background-color:var(--log-fg)">x</span>',
    );
  });

  it("ignores out-of-range extended colours instead of emitting them", () => {
    expect(ansiToHtml(`${E}38;2;999;0;0mx`)).toBe("x");
    expect(ansiToHtml(`${E}38;5;300mx`)).toBe("x");
  });
});
