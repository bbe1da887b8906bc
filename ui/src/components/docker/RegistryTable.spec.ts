import { describe, expect, it } from "vitest";
import { i18n } from "@/i18n";
import { mountApp } from "@/test/mountApp";
import RegistryTable from "./RegistryTable.vue";

const registry = {
  name: "company",
  url: "registry.example.com",
  host: "registry.example.com",
  username: "ci",
  hasPassword: true,
  createdAt: "2026-12-01T00:00:00Z",
};
const unreachable = {
  ok: false as const,
  error: {
    code: "registry_unreachable" as const,
    message:
      "the registry company is not reachable at registry.example.com (the host name does not resolve: failed to lookup address information): check its address and that it is running",
    fields: [],
    params: {
      registry: "company",
      host: "registry.example.com",
      cause: "the host name does not resolve",
    },
  },
};

describe("registry table", () => {
  it("shows a short status in the Check cell and asks for the panel on click", async () => {
    const w = mountApp(RegistryTable, {
      props: { items: [registry], tests: { company: unreachable }, testing: null, busy: null },
    });
    const cell = w.find('[data-testid="registry-status-company"]');
    expect(cell.text()).toBe("Cannot reach");
    await cell.find("button").trigger("click");
    expect(w.emitted("show")).toEqual([["company"]]);
  });

  it("says the short status in Chinese in zh-CN", () => {
    const w = mountApp(RegistryTable, {
      props: { items: [registry], tests: { company: unreachable }, testing: null, busy: null },
    });
    i18n.global.locale.value = "zh-CN";
    return w.vm.$nextTick().then(() => {
      expect(w.find('[data-testid="registry-status-company"]').text()).toBe("无法连接");
      i18n.global.locale.value = "en";
    });
  });
});
