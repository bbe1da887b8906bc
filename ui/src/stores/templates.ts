// Templates as the lists show them (summaries with their last run), and the write operations,
// which refresh the list afterwards. The editor loads full templates itself (templateGet).
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import {
  templateDelete,
  templateImportYaml,
  templateList,
  templatePin,
  templateSave,
  toApiError,
} from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import type { TemplateSummary } from "@/bindings/TemplateSummary";

export const useTemplateStore = defineStore("templates", () => {
  const items = ref<TemplateSummary[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  let inFlight: Promise<void> | null = null;

  const names = computed(() => items.value.map((t) => t.name));

  /** Reloads the list; concurrent callers share one request. */
  function refresh(): Promise<void> {
    if (inFlight) return inFlight;
    loading.value = true;
    inFlight = templateList()
      .then((list) => {
        items.value = list;
        error.value = null;
        loaded.value = true;
      })
      .catch((e: unknown) => {
        error.value = toApiError(e);
      })
      .finally(() => {
        loading.value = false;
        inFlight = null;
      });
    return inFlight;
  }

  async function save(spec: TemplateSpec, originalName: string | null): Promise<Template> {
    const saved = await templateSave(spec, originalName);
    void refresh();
    return saved;
  }

  async function remove(name: string): Promise<void> {
    await templateDelete(name);
    items.value = items.value.filter((t) => t.name !== name);
    void refresh();
  }

  async function importYaml(yaml: string): Promise<Template> {
    const imported = await templateImportYaml(yaml);
    void refresh();
    return imported;
  }

  /** Pins to the tray (or unpins) at once on screen; reverts when the backend refuses. */
  async function pin(name: string, pinned: boolean): Promise<void> {
    const item = items.value.find((t) => t.name === name);
    if (item) item.pinned = pinned;
    try {
      await templatePin(name, pinned);
    } catch (e) {
      if (item) item.pinned = !pinned;
      throw e;
    }
  }

  return { items, loaded, loading, error, names, refresh, save, remove, importYaml, pin };
});
