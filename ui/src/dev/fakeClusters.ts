// The cluster commands of the fake backend (`npm run dev` in a plain browser): two contexts in
// "your kubeconfig", one cluster that answers and, once added, one called `down` that does not.
import type { Cluster } from "@/bindings/Cluster";
import type { ClusterInfo } from "@/bindings/ClusterInfo";
import type { NewCluster } from "@/bindings/NewCluster";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;

export function clusterHandlers(empty: boolean): Record<string, (a: Args) => unknown> {
  const now = new Date().toISOString();
  const clusters: Cluster[] = empty
    ? []
    : [
        {
          name: "staging",
          source: "context",
          context: "kind-staging",
          namespace: "web",
          createdAt: now,
        },
      ];
  const find = (name: unknown): Cluster => {
    const c = clusters.find((x) => x.name === name);
    if (!c)
      throw fail("not_found", `the cluster ${String(name)} does not exist`, [], {
        what: "cluster",
        name: String(name),
      });
    return c;
  };
  return {
    cluster_list: () => clusters,
    cluster_contexts: () => ({
      files: ["/home/dev/.kube/config"],
      contexts: [
        {
          name: "kind-staging",
          cluster: "kind-staging",
          server: "https://127.0.0.1:40123",
          namespace: null,
          current: true,
        },
        {
          name: "prod",
          cluster: "prod",
          server: "https://k8s.example.com:6443",
          namespace: "apps",
          current: false,
        },
      ],
    }),
    cluster_add: (a) => {
      const n = a.cluster as NewCluster;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(n.name))
        throw fail("invalid", "invalid input", [
          {
            path: "name",
            code: "invalid",
            message: "a cluster name holds 1 to 64 letters, digits, '-', '_' and '.'",
          },
        ]);
      const c: Cluster = {
        name: n.name,
        source: n.kubeconfig ? "kubeconfig" : "context",
        context: n.context ?? null,
        namespace: n.namespace ?? "default",
        createdAt: new Date().toISOString(),
      };
      clusters.push(c);
      return c;
    },
    cluster_test: (a): ClusterInfo => {
      const c = find(a.name);
      if (c.name === "down")
        throw fail(
          "cluster_unreachable",
          "the Kubernetes API server https://10.0.0.9:6443 is not reachable (connection refused)",
          [],
          {
            server: "https://10.0.0.9:6443",
            cause: "connection refused",
          },
        );
      return {
        cluster: c.name,
        context: c.context ?? "default",
        server: "https://127.0.0.1:40123",
        namespace: c.namespace,
        serverVersion: "v1.30.2",
        platform: "linux/amd64",
        nodes: [
          { name: "staging-control-plane", ready: true, version: "v1.30.2" },
          { name: "staging-worker", ready: false, version: "v1.30.2" },
        ],
        nodesError: null,
        kubectl: "/usr/local/bin/kubectl v1.33.0",
        latencyMs: 12,
      };
    },
    cluster_remove: (a) => {
      find(a.name);
      clusters.splice(
        clusters.findIndex((c) => c.name === a.name),
        1,
      );
      return null;
    },
  };
}
