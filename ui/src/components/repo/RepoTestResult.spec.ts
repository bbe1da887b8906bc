import { describe, expect, it } from "vitest";
import { mountApp } from "@/test/mountApp";
import RepoTestResult from "./RepoTestResult.vue";

const ref = (name: string, kind: "branch" | "tag") => ({ name, kind, sha: "0".repeat(40) });

describe("repository test result", () => {
  it("counts branches and tags with their plural forms", () => {
    const w = mountApp(RepoTestResult, {
      props: {
        name: "web",
        result: {
          state: "ok",
          refs: {
            repo: "web",
            defaultBranch: "main",
            branches: [ref("main", "branch")],
            tags: [ref("v1", "tag"), ref("v2", "tag")],
            elapsedMs: 3,
          },
        },
      },
    });
    expect(w.text()).toContain("Reachable: 1 branch and 2 tags in 3 ms");
  });
});
