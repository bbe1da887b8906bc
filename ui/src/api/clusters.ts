// Kubernetes cluster commands: one typed function per Tauri command. A kubeconfig only travels
// towards the backend (which keeps it in the keyring); nothing here can read one back.
import type { Cluster } from "@/bindings/Cluster";
import type { ClusterInfo } from "@/bindings/ClusterInfo";
import type { KubeContexts } from "@/bindings/KubeContexts";
import type { NewCluster } from "@/bindings/NewCluster";
import { call } from "./invoke";

/** The clusters, by name. */
export function clusterList(): Promise<Cluster[]> {
  return call<Cluster[]>("cluster_list");
}

/** The contexts of the user's kubeconfig, to add one of them. */
export function clusterContexts(): Promise<KubeContexts> {
  return call<KubeContexts>("cluster_contexts");
}

/** Adds a cluster; a given kubeconfig goes to the keyring. */
export function clusterAdd(cluster: NewCluster): Promise<Cluster> {
  return call<Cluster>("cluster_add", { cluster });
}

/** The cluster's version and nodes, or (as a rejected ApiError) exactly why it cannot be reached. */
export function clusterTest(name: string): Promise<ClusterInfo> {
  return call<ClusterInfo>("cluster_test", { name });
}

/** Removes a cluster and its kept kubeconfig. */
export async function clusterRemove(name: string): Promise<void> {
  await call<null>("cluster_remove", { name });
}
