import { describe, expect, it } from "vitest";
import { composeProblems, filesErrors } from "./composeProblems";

describe("compose problems", () => {
  it("marks YAML errors at their line and keeps the others for the whole file", () => {
    const p = composeProblems([
      {
        path: "compose",
        code: "invalid",
        message:
          "the compose file is not valid YAML at line 3, column 12: did not find expected node",
      },
      {
        path: "compose",
        code: "invalid",
        message: "unknown top-level key `volume` (did you mean `volumes`?)",
      },
      { path: "compose", code: "required", message: "write the compose file" },
      { path: "project", code: "invalid", message: "bad project" },
    ]);
    expect(p.atLine.map((x) => x.line)).toEqual([3]);
    expect(p.general, "required is shown translated, the project under its own field").toEqual([
      "unknown top-level key `volume` (did you mean `volumes`?)",
    ]);
  });

  it("gathers the errors of the files list", () => {
    expect(filesErrors({ files: "both given", "files[1]": "outside", project: "x" })).toBe(
      "both given\nfiles[1]: outside",
    );
  });
});
