import { describe, expect, it } from "vitest";
import { useNamedResourceList } from "./namedResourceList";

type Item = { name: string };

function fakeApi(failing = new Set<string>()) {
  const calls: string[] = [];
  return {
    calls,
    api: {
      list: async () => {
        calls.push("list");
        return [{ name: "b" }, { name: "c" }] as Item[];
      },
      add: async (item: Item) => item,
      test: async (name: string) => {
        if (failing.has(name))
          throw { code: "unreachable", message: `${name} is down`, fields: [] };
        return `${name} fine`;
      },
      remove: async (_name: string) => undefined,
    },
  };
}

describe("named resource list", () => {
  it("loads once, adds (sorted or last), tests and forgets a removed item's test", async () => {
    const { api, calls } = fakeApi(new Set(["c"]));
    const list = useNamedResourceList(api, {
      passed: (status: string) => ({ ok: true as const, status }),
      sortOnAdd: true,
    });
    await list.ensureLoaded();
    await list.ensureLoaded();
    expect(calls).toEqual(["list"]);
    expect(list.loaded.value).toBe(true);

    await list.add({ name: "a" });
    expect(list.items.value.map((i) => i.name)).toEqual(["a", "b", "c"]);

    expect(await list.test("b")).toEqual({ ok: true, status: "b fine" });
    const failed = await list.test("c");
    expect(failed.ok).toBe(false);
    expect(list.testing.value).toBeNull();

    await list.remove("b");
    expect(list.items.value.map((i) => i.name)).toEqual(["a", "c"]);
    expect(Object.keys(list.tests.value)).toEqual(["c"]);
  });

  it("appends without sorting and keeps the load error", async () => {
    const { api } = fakeApi();
    const list = useNamedResourceList(
      { ...api, list: () => Promise.reject({ code: "io", message: "disk", fields: [] }) },
      { passed: (status: string) => ({ ok: true as const, status }) },
    );
    await list.refresh();
    expect(list.loaded.value).toBe(false);
    expect(list.error.value?.message).toBe("disk");
    await list.add({ name: "z" });
    await list.add({ name: "a" });
    expect(list.items.value.map((i) => i.name)).toEqual(["z", "a"]);
  });
});
