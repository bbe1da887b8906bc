// Kubernetes clusters as the UI sees them, the last "Test" answer of each (version and nodes, or
// why the cluster cannot be reached), and the contexts of the user's kubeconfig for the add dialog.
import { defineStore } from "pinia";
import { ref } from "vue";
import {
  clusterAdd,
  clusterContexts,
  clusterList,
  clusterRemove,
  clusterTest,
  toApiError,
} from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { Cluster } from "@/bindings/Cluster";
import type { ClusterInfo } from "@/bindings/ClusterInfo";
import type { KubeContexts } from "@/bindings/KubeContexts";
import type { NewCluster } from "@/bindings/NewCluster";
import { useNamedResourceList, type TestResult } from "./namedResourceList";

export type ClusterTestResult = TestResult<{ ok: true; info: ClusterInfo }>;

export const useClusterStore = defineStore("clusters", () => {
  const list = useNamedResourceList<
    Cluster,
    NewCluster,
    ClusterInfo,
    { ok: true; info: ClusterInfo }
  >(
    { list: clusterList, add: clusterAdd, test: clusterTest, remove: clusterRemove },
    { passed: (info) => ({ ok: true, info }), sortOnAdd: true },
  );
  const contexts = ref<KubeContexts | null>(null);
  const contextsError = ref<ApiError | null>(null);

  /** Reads the user's kubeconfig again (it may have changed since the page opened). */
  async function loadContexts(): Promise<void> {
    try {
      contexts.value = await clusterContexts();
      contextsError.value = null;
    } catch (e) {
      contexts.value = null;
      contextsError.value = toApiError(e);
    }
  }

  return { ...list, contexts, contextsError, loadContexts };
});
