// The active secret store in words, for texts that say where a password or key goes: "the OS
// keyring" or "the encrypted secrets file" (setting secrets.backend). Loads the settings once.
import { computed, type ComputedRef } from "vue";
import { useI18n } from "vue-i18n";
import { useConfigStore } from "@/stores/config";

export function useSecretStoreName(): ComputedRef<string> {
  const config = useConfigStore();
  const { t } = useI18n();
  if (!config.loaded) void config.load();
  return computed(() =>
    config.text("secrets.backend") === "file"
      ? t("docker.secretStore.file")
      : t("docker.secretStore.keyring"),
  );
}
