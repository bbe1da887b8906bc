import { describe, expect, it } from "vitest";
import type { ParamSpec } from "@/bindings/ParamSpec";
import { coerceDefault, initialValue, toRunParams } from "./params";

const p = (patch: Partial<ParamSpec>): ParamSpec => ({
  name: "X",
  type: "string",
  default: null,
  required: false,
  description: null,
  choices: [],
  secret: null,
  ...patch,
});

describe("run form values are typed by parameter type", () => {
  it("prefills numbers, booleans and choices from their JSON defaults", () => {
    expect(initialValue(p({ type: "number", default: 4 }))).toBe(4);
    expect(initialValue(p({ type: "number", default: "2.5" }))).toBe(2.5);
    expect(initialValue(p({ type: "boolean", default: true }))).toBe(true);
    expect(initialValue(p({ type: "boolean", default: null }))).toBe(false);
    expect(initialValue(p({ type: "choice", default: "b", choices: ["a", "b"] }))).toBe("b");
    expect(initialValue(p({ type: "choice", default: "zzz", choices: ["a"] }))).toBeNull();
    expect(initialValue(p({ default: "world" }))).toBe("world");
  });

  it("prefers a previous run's values over the defaults (re-run with other parameters)", () => {
    expect(initialValue(p({ type: "number", default: 4 }), "8")).toBe(8);
    expect(initialValue(p({ type: "boolean", default: false }), "true")).toBe(true);
    expect(initialValue(p({ default: "world" }), "you")).toBe("you");
  });

  it("sends every value as a string, leaving out empty optional ones", () => {
    const specs = [
      p({ name: "N", type: "number" }),
      p({ name: "B", type: "boolean" }),
      p({ name: "C", type: "choice", choices: ["x", "y"] }),
      p({ name: "S" }),
      p({ name: "EMPTY" }),
    ];
    expect(toRunParams(specs, { N: 1.5, B: false, C: "y", S: "hi", EMPTY: "" })).toEqual({
      N: "1.5",
      B: "false",
      C: "y",
      S: "hi",
    });
  });

  it("never asks for or sends secret parameters: the backend reads them from the secret store", () => {
    const secret = p({ name: "TOKEN", type: "secret", required: true, secret: "deploy-token" });
    expect(initialValue(secret, "leaked")).toBeNull();
    expect(toRunParams([secret], { TOKEN: "typed" })).toEqual({});
  });

  it("keeps a default meaningful when the type changes in the editor", () => {
    expect(coerceDefault("number", "42", [])).toBe(42);
    expect(coerceDefault("number", "abc", [])).toBeNull();
    expect(coerceDefault("boolean", "true", [])).toBe(true);
    expect(coerceDefault("string", 7, [])).toBe("7");
    expect(coerceDefault("choice", "b", ["a", "b"])).toBe("b");
    expect(coerceDefault("choice", "c", ["a", "b"])).toBeNull();
  });
});
