import { describe, expect, it } from "vitest";
import { blankSpec } from "./templateSpec";
import { validateTemplateSpec } from "./templateValidation";

const codes = (spec: Parameters<typeof validateTemplateSpec>[0]) =>
  validateTemplateSpec(spec).map((e) => `${e.path}:${e.code}`);

describe("template validation in the editor", () => {
  it("requires a name and a script", () => {
    expect(codes(blankSpec())).toEqual(["name:required", "script:required"]);
  });

  it("rejects names with spaces or a leading dash, and names over 64 characters", () => {
    const spec = { ...blankSpec(), script: "true" };
    expect(codes({ ...spec, name: "my template" })).toEqual(["name:invalid"]);
    expect(codes({ ...spec, name: "-x" })).toEqual(["name:invalid"]);
    expect(codes({ ...spec, name: "a".repeat(65) })).toEqual(["name:too_long"]);
    expect(codes({ ...spec, name: "build-app_1.2" })).toEqual([]);
  });

  it("checks parameter names: env-var syntax, reserved prefix, duplicates", () => {
    const param = {
      type: "string" as const,
      default: null,
      required: false,
      description: null,
      choices: [],
      secret: null,
    };
    const spec = {
      ...blankSpec(),
      name: "t",
      script: "true",
      params: [
        { ...param, name: "1BAD" },
        { ...param, name: "SIMPLE_CICD_RUN" },
        { ...param, name: "WHO" },
        { ...param, name: "WHO" },
      ],
    };
    expect(codes(spec)).toEqual([
      "params[0].name:invalid",
      "params[1].name:reserved",
      "params[3].name:duplicate",
    ]);
  });

  it("checks choices and typed defaults", () => {
    const spec = {
      ...blankSpec(),
      name: "t",
      script: "true",
      timeoutSeconds: 0,
      params: [
        {
          name: "ENV",
          type: "choice" as const,
          default: "prod",
          required: false,
          description: null,
          choices: ["dev"],
          secret: null,
        },
        {
          name: "EMPTY",
          type: "choice" as const,
          default: null,
          required: false,
          description: null,
          choices: [],
          secret: null,
        },
        {
          name: "N",
          type: "number" as const,
          default: "x",
          required: false,
          description: null,
          choices: [],
          secret: null,
        },
      ],
    };
    expect(codes(spec)).toEqual([
      "timeoutSeconds:invalid",
      "params[0].default:not_in_choices",
      "params[1].choices:required",
      "params[2].default:type_mismatch",
    ]);
  });

  it("checks notification rules: when, whom, and real addresses", () => {
    const spec = { ...blankSpec(), name: "n", script: "true" };
    expect(
      codes({
        ...spec,
        notify: [
          { when: [], email: [], desktop: false },
          { when: ["failed"], email: ["me@example.com", "me at example"], desktop: false },
          { when: ["changed"], email: [], desktop: true },
        ],
      }),
    ).toEqual(["notify[0].when:required", "notify[0]:required", "notify[1].email[1]:invalid"]);
  });
});

describe("docker-build templates", () => {
  it("need no script, and refuse a tag with spaces before the backend sees it", () => {
    const spec = {
      ...blankSpec(),
      kind: "docker-build" as const,
      name: "web-image",
      tags: ["localhost:5000/web:${SIMPLE_CICD_RUN_NUMBER}", "web app:1"],
    };
    expect(validateTemplateSpec(spec).map((e) => e.path)).toEqual(["tags[1]"]);
  });
});
