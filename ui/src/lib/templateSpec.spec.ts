import { describe, expect, it } from "vitest";
import { blankSpec, cleanSpec } from "./templateSpec";

describe("cleanSpec", () => {
  it("drops a source without a repository and trims the ref", () => {
    expect(cleanSpec({ ...blankSpec(), source: { repo: "  ", ref: "main" } }).source).toBeNull();
    expect(cleanSpec({ ...blankSpec(), source: { repo: " web ", ref: " v1 " } }).source).toEqual({
      repo: "web",
      ref: "v1",
    });
  });

  it("tidies triggers: empty secret names and globs go, cron spacing is normalised", () => {
    const spec = cleanSpec({
      ...blankSpec(),
      triggers: [
        { webhook: { provider: "github", secret: "  ", branches: ["main", " "], tags: [" v* "] } },
        { poll: { everyMinutes: 5, branches: ["", "dev"] } },
        { cron: "  0   3 * * *  " },
      ],
    });
    expect(spec.triggers).toEqual([
      { webhook: { provider: "github", secret: null, branches: ["main"], tags: ["v*"] } },
      { poll: { everyMinutes: 5, branches: ["dev"] } },
      { cron: "0 3 * * *" },
    ]);
  });
});
