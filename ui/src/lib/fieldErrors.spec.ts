import { describe, expect, it } from "vitest";
import { errorsByPath, fieldKind, translateFieldError } from "./fieldErrors";

const messages: Record<string, string> = {
  "fieldErrors.name.duplicate": "名称已被使用",
  "fieldErrors.generic.invalid": "值无效",
};
const t = (key: string) => messages[key] ?? key;
const te = (key: string) => key in messages;

describe("field errors next to their fields", () => {
  it("reduces paths to field kinds", () => {
    expect(fieldKind("params[2].name")).toBe("paramName");
    expect(fieldKind("params.WHO")).toBe("runParam");
    expect(fieldKind("timeoutSeconds")).toBe("timeoutSeconds");
    expect(fieldKind("notify[0].when")).toBe("notifyWhen");
    expect(fieldKind("notify[1].email[2]")).toBe("notifyEmail");
    expect(fieldKind("notify[3]")).toBe("notifyRule");
  });

  it("translates by code, falling back to the backend's English message", () => {
    expect(translateFieldError({ path: "name", code: "duplicate", message: "taken" }, t, te)).toBe(
      "名称已被使用",
    );
    expect(translateFieldError({ path: "script", code: "invalid", message: "bad" }, t, te)).toBe(
      "值无效",
    );
    expect(translateFieldError({ path: "x", code: "weird", message: "Weird thing" }, t, te)).toBe(
      "Weird thing",
    );
    expect(
      translateFieldError({ path: "script", code: "invalid", message: "bad" }, t, te, true),
    ).toBe("bad");
  });

  it("keeps the first error of each path", () => {
    const map = errorsByPath(
      [
        { path: "name", code: "duplicate", message: "a" },
        { path: "name", code: "invalid", message: "b" },
      ],
      t,
      te,
    );
    expect(map).toEqual({ name: "名称已被使用" });
  });
});
