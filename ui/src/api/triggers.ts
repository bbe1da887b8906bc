// Trigger commands: webhook URLs and secrets, cron previews, deliveries, the server's status.
import type { Provider } from "@/bindings/Provider";
import type { ServerStatus } from "@/bindings/ServerStatus";
import type { TriggerOverview } from "@/bindings/TriggerOverview";
import { call } from "./invoke";

export function triggerOverview(template: string): Promise<TriggerOverview> {
  return call<TriggerOverview>("trigger_overview", { template });
}

/** The next fire times (RFC 3339) of a cron expression; rejects with `invalid` and why. */
export function cronPreview(expression: string, count = 5): Promise<string[]> {
  return call<string[]>("cron_preview", { expression, count });
}

export function webhookSecretGenerate(template: string, provider: Provider): Promise<string> {
  return call<string>("webhook_secret_generate", { template, provider });
}

export function webhookSecretReveal(template: string, provider: Provider): Promise<string> {
  return call<string>("webhook_secret_reveal", { template, provider });
}

export function serverStatus(): Promise<ServerStatus> {
  return call<ServerStatus>("server_status");
}
