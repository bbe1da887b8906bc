import { afterEach, describe, expect, it } from "vitest";
import type { ApiError } from "@/bindings/ApiError";
import type { ErrorCode } from "@/bindings/ErrorCode";
import { i18n } from "@/i18n";
import errorsEn from "@/i18n/errors.en";
import errorsZhCN from "@/i18n/errors.zh-CN";
import { errorView } from "./apiErrorText";

const refused: ApiError = {
  code: "registry_unreachable",
  message:
    "the registry company is not reachable at registry.example.com (the host name does not resolve: failed to lookup address information): check its address and that it is running",
  fields: [],
  params: {
    registry: "company",
    host: "registry.example.com",
    cause: "the host name does not resolve: failed to lookup address information",
  },
};

describe("backend errors in the user's language", () => {
  afterEach(() => {
    i18n.global.locale.value = "en";
  });

  it("a registry that cannot be reached gets a short status and a Chinese sentence in zh-CN", () => {
    i18n.global.locale.value = "zh-CN";
    const view = errorView(refused);
    expect(view.short).toBe("无法连接");
    expect(view.text).toContain("镜像仓库 company");
    expect(view.text).toContain("registry.example.com");
    expect(view.detail, "the English detail stays available").toBe(refused.message);
  });

  it("a not-found names the kind of thing in the user's language", () => {
    i18n.global.locale.value = "zh-CN";
    const e: ApiError = {
      code: "not_found",
      message: "template nope does not exist",
      fields: [],
      params: { what: "template", name: "nope" },
    };
    expect(errorView(e).text).toBe("不存在名为 nope 的模板。");
  });

  it("an unknown code falls back to the backend's message with no detail", () => {
    const e: ApiError = {
      code: "database",
      message: "database error: locked",
      fields: [],
      params: {},
    };
    expect(errorView(e)).toEqual({ short: null, text: "database error: locked", detail: null });
  });

  it("every endpoint, registry and cluster test failure has a short status and a sentence in both languages", () => {
    const tested: ErrorCode[] = [
      "docker_not_running",
      "docker_refused",
      "docker_permission",
      "docker_unreachable",
      "docker_timeout",
      "docker_tls",
      "docker_tls_required",
      "docker_tls_files",
      "docker_ssh_auth",
      "docker_ssh",
      "docker_daemon",
      "registry_unreachable",
      "registry_refused",
      "registry_login_required",
      "registry_not_a_registry",
      "kubectl_missing",
      "cluster_context_unknown",
      "cluster_unreachable",
      "cluster_tls",
      "cluster_unauthorized",
      "cluster",
    ];
    for (const table of [errorsEn, errorsZhCN]) {
      for (const code of tested) {
        expect(table.short, code).toHaveProperty(code);
        expect(table.text, code).toHaveProperty(code);
      }
    }
  });
});
