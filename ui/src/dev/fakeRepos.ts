// Development-only fakes of the repository and trigger commands (see fakeBackend.ts).
import type { Delivery } from "@/bindings/Delivery";
import type { Repository } from "@/bindings/Repository";
import type { RepositoryInput } from "@/bindings/RepositoryInput";
import type { Template } from "@/bindings/Template";
import type { TriggerOverview } from "@/bindings/TriggerOverview";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;
const now = () => new Date().toISOString();

export function fakeRepoHandlers(templates: Template[]): Record<string, (a: Args) => unknown> {
  const repos: Repository[] = [
    {
      id: 1,
      name: "web-app",
      url: "https://github.com/example/web-app.git",
      provider: "github",
      auth: "token",
      username: "ci-bot",
      hostKey: null,
      createdAt: now(),
      updatedAt: now(),
    },
  ];
  const deliveries: Delivery[] = [
    {
      id: 2,
      template: "build-web",
      provider: "github",
      deliveryId: "72d3162e",
      event: "push",
      gitRef: "refs/heads/main",
      sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      outcome: "started",
      status: 202,
      message: "started build-web #4 for branch main at 6113728f",
      runId: 1,
      receivedAt: now(),
    },
    {
      id: 1,
      template: "build-web",
      provider: "github",
      deliveryId: "1f0c2a11",
      event: "push",
      gitRef: null,
      sha: null,
      outcome: "rejected",
      status: 401,
      message:
        "the signature does not match: the secret set in GitHub differs from the trigger's secret",
      runId: null,
      receivedAt: now(),
    },
  ];
  return {
    repo_list: () => repos,
    repo_save: (a) => {
      const input = a.input as RepositoryInput;
      if (!input.url.includes("/"))
        throw {
          code: "invalid",
          message: "bad URL",
          fields: [{ path: "url", code: "invalid", message: "not a repository URL" }],
        };
      const repo: Repository = {
        id: repos.length + 1,
        name: input.name,
        url: input.url,
        provider: input.provider ?? "generic",
        auth: input.auth,
        username: input.username,
        hostKey: null,
        createdAt: now(),
        updatedAt: now(),
      };
      const i = repos.findIndex((r) => r.name === input.name);
      if (i >= 0) repos[i] = repo;
      else repos.push(repo);
      return repo;
    },
    repo_delete: (a) =>
      void repos.splice(
        repos.findIndex((r) => r.name === a.name),
        1,
      ),
    repo_test: (a) => {
      if (a.name !== "web-app")
        throw fail("git_unreachable", `cannot reach the host of ${String(a.name)}`);
      const sha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
      return {
        repo: a.name,
        defaultBranch: "main",
        branches: ["main", "dev", "release/1.0"].map((name) => ({ name, kind: "branch", sha })),
        tags: ["v1.0.0", "v1.1.0"].map((name) => ({ name, kind: "tag", sha })),
        elapsedMs: 240,
      };
    },
    trigger_overview: (a): TriggerOverview => {
      const spec = templates.find((t) => t.spec.name === a.template)?.spec;
      return {
        template: String(a.template),
        webhooks: (spec?.triggers ?? []).flatMap((t) =>
          "webhook" in t
            ? [
                {
                  provider: t.webhook.provider,
                  url: `http://127.0.0.1:8750/hooks/${t.webhook.provider}/${String(a.template)}`,
                  secretName: t.webhook.secret,
                  secretStored: t.webhook.secret !== null,
                },
              ]
            : [],
        ),
        crons: (spec?.triggers ?? []).flatMap((t) =>
          "cron" in t ? [{ expression: t.cron, next: [now()], error: null }] : [],
        ),
        polls: [],
        paused: false,
        deliveries: deliveries.filter((d) => d.template === a.template),
      };
    },
    cron_preview: (a) => {
      if (String(a.expression).trim().split(/\s+/).length !== 5)
        throw fail("invalid", "a cron expression has five fields");
      return [0, 1, 2].map((d) => new Date(Date.now() + (d + 1) * 86_400_000).toISOString());
    },
    webhook_secret_generate: () => "4f1c0a9e2b7d4e6f8a1c3e5b7d9f1a2c",
    webhook_secret_reveal: () => "4f1c0a9e2b7d4e6f8a1c3e5b7d9f1a2c",
    server_status: () => ({ listening: true, address: "127.0.0.1:8750", error: null }),
  };
}
