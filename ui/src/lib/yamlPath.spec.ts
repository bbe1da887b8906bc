import { describe, expect, it } from "vitest";
import { parseFieldPath, yamlLineOf } from "./yamlPath";

const yaml = `kind: pipeline
name: web
# a comment
params:
  - name: TARGET
    type: choice
steps:
  - name: test
    kind: shell
    script: |
      echo needs: this is not a key
      npm test
  - name: image
    needs: [test]
    kind: docker-build
    tags: ["localhost:5000/web"]
  -
    name: deploy
    needs:
      - image
      - nope
    kind: shell
    script: ./deploy.sh
`;

describe("field path to YAML line", () => {
  it("parses paths with indexes", () => {
    expect(parseFieldPath("steps[2].needs[1]")).toEqual(["steps", 2, "needs", 1]);
    expect(parseFieldPath("name")).toEqual(["name"]);
  });

  it("finds top-level keys", () => {
    expect(yamlLineOf(yaml, "name")).toBe(2);
    expect(yamlLineOf(yaml, "steps")).toBe(7);
  });

  it("finds a key inside the nth step, whose first key is on the dash line", () => {
    expect(yamlLineOf(yaml, "steps[0].name")).toBe(8);
    expect(yamlLineOf(yaml, "steps[1].needs")).toBe(14);
    expect(yamlLineOf(yaml, "steps[1].tags")).toBe(16);
    expect(yamlLineOf(yaml, "params[0].type")).toBe(6);
  });

  it("does not take a block scalar's text for a key", () => {
    expect(yamlLineOf(yaml, "steps[0].needs")).toBe(8);
  });

  it("finds items of a block list and items whose keys start on the next line", () => {
    expect(yamlLineOf(yaml, "steps[2]")).toBe(17);
    expect(yamlLineOf(yaml, "steps[2].needs")).toBe(19);
    expect(yamlLineOf(yaml, "steps[2].needs[1]")).toBe(21);
    expect(yamlLineOf(yaml, "steps[2].script")).toBe(23);
  });

  it("answers the deepest part found, or line 1", () => {
    expect(yamlLineOf(yaml, "steps[1].with.LEVEL")).toBe(13);
    expect(yamlLineOf(yaml, "steps[9].needs")).toBe(7);
    expect(yamlLineOf(yaml, "triggers[0]")).toBe(1);
  });

  it("reads sequences written at the key's own indentation", () => {
    const flat =
      "kind: pipeline\nsteps:\n- name: a\n  kind: shell\n- name: b\n  needs: [a]\nname: x\n";
    expect(yamlLineOf(flat, "steps[1].needs")).toBe(6);
    expect(yamlLineOf(flat, "name")).toBe(7);
  });
});
