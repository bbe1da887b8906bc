// Who uses the browser UI, and what they may do. In the desktop app the window acts as the OS user,
// who may do everything; in a browser, the signed-in user's scopes (GET /api/v1/me) decide which
// actions are offered, and a refused one says why ("Your role (viewer) cannot run templates").
// The server checks every request anyway: this only keeps the UI honest.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { closeEventStream, httpClient, isBrowser } from "@/api";
import type { SessionEnd } from "@/api/http/client";
import type { Scope } from "@/bindings/Scope";
import type { User } from "@/bindings/User";
import { i18n } from "@/i18n";

export const useAuthStore = defineStore("auth", () => {
  const user = ref<User | null>(null);
  const scopes = ref<Scope[]>([]);
  /** Why the last session ended by itself, for the sign-in page to say. */
  const ended = ref<SessionEnd | null>(null);
  const browser = isBrowser();
  const signedIn = computed(() => !browser || user.value !== null);

  async function loadMe(): Promise<void> {
    const client = httpClient();
    if (!client) return;
    const me = await client.me();
    scopes.value = me.scopes;
    user.value = client.user;
  }

  async function signIn(name: string, password: string): Promise<void> {
    const client = httpClient();
    if (!client) return;
    await client.signIn(name, password);
    ended.value = null;
    await loadMe();
  }

  /** On a page load: the tab's session, if it still has one; false sends the user to sign in. */
  async function resume(): Promise<boolean> {
    const client = httpClient();
    if (!client) return true;
    if (user.value) return true;
    if (!client.hasSession()) return false;
    try {
      await loadMe();
      return user.value !== null;
    } catch {
      return false;
    }
  }

  async function signOut(): Promise<void> {
    const client = httpClient();
    closeEventStream();
    try {
      await client?.signOut();
    } finally {
      user.value = null;
      scopes.value = [];
    }
  }

  function sessionEnded(end: SessionEnd): void {
    closeEventStream();
    user.value = null;
    scopes.value = [];
    ended.value = end;
  }

  function can(scope: Scope): boolean {
    return !browser || scopes.value.includes(scope);
  }

  /**
   * Why an action needing `scope` is not offered (null when it is): `action` is a key under
   * `access.actions` ("run" → "run templates").
   */
  function deniedReason(scope: Scope, action: string): string | null {
    if (can(scope)) return null;
    const t = i18n.global.t;
    const role = user.value ? t(`users.roles.${user.value.role}`) : "";
    return t("access.denied", { role, action: t(`access.actions.${action}`) });
  }

  return {
    user,
    scopes,
    ended,
    browser,
    signedIn,
    signIn,
    resume,
    signOut,
    sessionEnded,
    can,
    deniedReason,
    loadMe,
  };
});
